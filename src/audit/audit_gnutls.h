/* audit_gnutls: internal to audit/: a GnuTLS priority string expanded by GnuTLS itself. */
#ifndef MXD_AUDIT_AUDIT_GNUTLS_H
#define MXD_AUDIT_AUDIT_GNUTLS_H

/*
 * Exim built with GnuTLS hands tls_require_ciphers to
 * gnutls_priority_init() unchanged ("NORMAL" when unset).  Rather than
 * re-implement GnuTLS's keywords, we ask this process's GnuTLS, which on
 * the audited machine is the library Exim links (the system-wide
 * /etc/gnutls/config overrides apply to both).
 */

#include <stddef.h>
#include <stdint.h>

#define AUDIT_GNUTLS_DEFAULT	"NORMAL"	/* Exim's tls-gnu.c when unset */
#define AUDIT_GNUTLS_SUITES_MAX	256

struct audit_gnutls_result {
	unsigned	 versions;	/* tls_version_bit mask */
	/* TLS 1.2 and below, and TLS 1.3 suites, in GnuTLS's order (the
	 * preference order), IANA codes; duplicates dropped */
	uint16_t	 suites[AUDIT_GNUTLS_SUITES_MAX];
	size_t		 nsuites;
	uint16_t	 suites13[AUDIT_GNUTLS_SUITES_MAX];
	size_t		 nsuites13;
};

/* audit_gnutls_expand: expands priority (NULL: AUDIT_GNUTLS_DEFAULT).
 * Returns 0, or -1 with *err (malloc'd, one line: GnuTLS's reason and
 * the offending part) when GnuTLS rejects the string. */
int audit_gnutls_expand(const char *priority, struct audit_gnutls_result *out,
    char **err);
/* The linked GnuTLS's version ("3.7.9"); static. */
const char *audit_gnutls_version(void);

#endif
