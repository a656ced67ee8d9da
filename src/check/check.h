/* check: runs the whole diagnosis of targets in one event loop and fills a report. */
#ifndef MXD_CHECK_CHECK_H
#define MXD_CHECK_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "check/result.h"
#include "check/target.h"

struct tls_profile;

struct check_opts {
	const char	 *ehlo_name;		/* required */
	const char	 *resolver;		/* NULL: /etc/resolv.conf */
	int		  timeout_ms;		/* each connect, reply, handshake and DNS query */
	int		  greeting_timeout_ms;
	const char	 *ca_file;		/* NULL: system trust store */
	const char	 *ca_path;
	/* DNSBL zones: use_default_dnsbl selects dnsbl_default_zones();
	 * otherwise exactly dnsbl_zones (possibly none). */
	bool		  use_default_dnsbl;
	const char	**dnsbl_zones;
	size_t		  ndnsbl_zones;
	const char	**sending_ips;		/* validated IP literals */
	size_t		  nsending_ips;
	int		  max_sessions;		/* concurrent SMTP sessions in all (>= 1) */
	/* TLS prober: connections at once per address (<= 0: 2), ms between
	 * two connections to one address, the receiver profile (borrowed;
	 * NULL: no profile verdict) and the full cipher enumeration. */
	int		  max_conn;
	int		  delay_ms;
	const struct tls_profile *profile;
	bool		  ciphers;
	/* Progress callback (stderr), may be NULL. */
	void		(*progress)(const char *what, void *arg);
	void		 *progress_arg;
};

/* check_profile_load: the receiver profile for --profile: a file when arg
 * holds a slash, else NAME.conf from $MXDOCTOR_PROFILE_DIR if set, else
 * from the installed directory, else from the source tree this binary
 * was built from (so that an uninstalled build works).  NULL with *err
 * malloc'd (the installed directory's reason) when none loads. */
struct tls_profile *check_profile_load(const char *arg, char **err);

/* check_run: checks every target (parsed by target_parse) concurrently and
 * fills r (targets, hosts, addresses, facts and findings, sorted).
 * Returns 0, or -1 when the check cannot start at all (resolver or trust
 * store set-up failed), with *err malloc'd.  A check that started but
 * could not reach DNS sets r->incomplete. */
int check_run(const struct check_opts *o, const struct target_spec *specs,
    size_t nspecs, struct report *r, char **err);

#endif
