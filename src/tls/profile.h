/* profile: receiver profiles (data/profiles/NAME.conf) and which suite a profile's client would negotiate. */
#ifndef MXD_TLS_PROFILE_H
#define MXD_TLS_PROFILE_H

/*
 * A profile describes the peer a mail server must get along with (the
 * sender that connects to it: Microsoft, Gmail, a Mozilla-configured
 * MTA): the versions and suites its client offers, in order, whether it
 * sends SNI, what it demands of certificates, each fact with its source.
 * The files are data (see data/profiles/README.md); this module reads
 * them and answers "what would that client end up with on this server".
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls/suites.h"

/* Where `mxdoctor` looks for NAME.conf when no directory is given. */
#ifndef MXD_PROFILE_DIR
#define MXD_PROFILE_DIR	"/usr/local/share/mxdoctor/profiles"
#endif

#define TLS_PROFILE_FILE_MAX	(64 * 1024)	/* bytes read from a file */

struct tls_profile;

/* One fact: the value as written, its source and status (documented,
 * observed, inferred, unverified) and an optional note; strings owned by
 * the profile, note NULL when absent. */
struct tls_profile_fact {
	const char	*key;
	const char	*value;
	const char	*source;
	const char	*status;
	const char	*note;
};

enum tls_profile_sni {
	TLS_PROFILE_SNI_UNKNOWN,	/* "unverified": nobody has shown it */
	TLS_PROFILE_SNI_YES,
	TLS_PROFILE_SNI_NO
};

/* tls_profile_load: reads one file.  Returns NULL and sets *err
 * (malloc'd, "path:line: reason") when the file is missing, too large,
 * malformed, names an unknown version or suite, or a fact lacks its
 * source.  tls_profile_load_named: NAME.conf in dir (NULL:
 * MXD_PROFILE_DIR); name must be [a-z0-9-]+ and match the file's name
 * key. */
struct tls_profile *tls_profile_load(const char *path, char **err);
struct tls_profile *tls_profile_load_named(const char *name,
    const char *dir, char **err);
void tls_profile_free(struct tls_profile *p);	/* NULL is a no-op */

/* Getters: borrowed until tls_profile_free(). */
const char *tls_profile_name(const struct tls_profile *p);
const char *tls_profile_title(const struct tls_profile *p);
/* The versions the client offers (tls_version_bit mask). */
unsigned tls_profile_versions(const struct tls_profile *p);
/* The suites the client offers in version v, in its order (for TLS 1.3
 * the suites_tls13 list, otherwise the suites list filtered to those
 * usable in v); *n is 0 if none. */
const uint16_t *tls_profile_suites(const struct tls_profile *p, uint16_t v,
    size_t *n);
enum tls_profile_sni tls_profile_sni(const struct tls_profile *p);
/* Facts in file order; fact(): by key, NULL if absent. */
size_t tls_profile_nfacts(const struct tls_profile *p);
const struct tls_profile_fact *tls_profile_fact_at(
    const struct tls_profile *p, size_t i);
const struct tls_profile_fact *tls_profile_fact(const struct tls_profile *p,
    const char *key);

/*
 * Negotiation.
 */

/* Whose order a server follows when it picks a suite. */
enum tls_order {
	TLS_ORDER_UNKNOWN,	/* not tested, or fewer than two suites */
	TLS_ORDER_SERVER,
	TLS_ORDER_CLIENT,
	TLS_ORDER_MIXED		/* neither, consistently */
};
const char *tls_order_name(enum tls_order o);	/* "server", ... */

/* What the probes found on one server: accepted versions, and for each
 * version whose suites were enumerated, the suites in the order the
 * server picked them (its preference when order is SERVER). */
struct tls_server_view {
	unsigned		 versions;	/* tls_version_bit mask */
	struct tls_server_suites {
		bool		 known;		/* enumerated */
		const uint16_t	*suites;	/* borrowed */
		size_t		 n;
		enum tls_order	 order;
	} v[TLS_NVERSIONS];
};

enum tls_neg_status {
	TLS_NEG_OK,		/* version and suite below */
	TLS_NEG_NO_VERSION,	/* no version both speak (or the server's
				 * choice is one the client refuses) */
	TLS_NEG_NO_SUITE,	/* version agreed, no shared suite in it */
	TLS_NEG_UNKNOWN		/* version agreed, suites not enumerated */
};

struct tls_negotiation {
	enum tls_neg_status	 status;
	uint16_t		 version;	/* agreed version, or 0 */
	uint16_t		 suite;		/* TLS_NEG_OK: the suite */
	enum tls_order		 order_used;	/* whose order decided */
	/* versions both speak in which they share at least one suite
	 * (only enumerated versions count): 0 is cipher.no_overlap */
	unsigned		 overlap;
	char			 reason[256];	/* one sentence */
};

/* tls_profile_negotiate: the handshake the profile's client would get.
 * Version: the highest the server accepts up to the client's highest,
 * refused if the client does not offer it (real clients do not retry
 * lower).  Suite: with server order the server's first that the client
 * offers, otherwise (client or unknown order) the client's first that
 * the server accepts.  Pure: no I/O. */
void tls_profile_negotiate(const struct tls_profile *p,
    const struct tls_server_view *view, struct tls_negotiation *out);

#endif
