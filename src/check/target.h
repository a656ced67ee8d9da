/* target: parsing and validation of command-line targets. */
#ifndef MXD_CHECK_TARGET_H
#define MXD_CHECK_TARGET_H

#include <stddef.h>

#include "check/result.h"
#include "util/addr.h"

#define TARGET_NAME_MAX	253

/* A parsed target.  For TARGET_DOMAIN and TARGET_HOST, name is the lower-
 * cased DNS name without a trailing dot; for TARGET_ADDRESS, addr is set
 * and name is empty. */
struct target_spec {
	enum target_kind	kind;
	char			name[TARGET_NAME_MAX + 1];
	struct addr		addr;
	int			port;
	enum smtp_mode		mode;
};

/* target_parse: accepts
 *   example.com                 a mail domain (MX lookup), port default_port
 *   mx1.example.com:25          a host and port (no MX lookup)
 *   smtp://host[:port]          STARTTLS, default port 25
 *   smtps://host[:port]         implicit TLS, default port 465
 *   192.0.2.1[:port]            an IPv4 literal
 *   [2001:db8::1][:port]        an IPv6 literal (bare 2001:db8::1 too)
 * smtp:// and smtps:// also take address literals.  Returns 0, or -1 with
 * a one-line reason in err. */
int target_parse(const char *s, int default_port, struct target_spec *out,
    char *err, size_t errlen);

/* target_valid_name: LDH-ish DNS name check (letters, digits, '-', '_',
 * dots; labels 1-63 bytes, total <= 253).  Returns 0 or -1 with err. */
int target_valid_name(const char *name, char *err, size_t errlen);

#endif
