/* audit_gnutls: a GnuTLS priority string (Exim's tls_require_ciphers) expanded into versions and IANA suites by GnuTLS itself. */
#include "audit/audit_gnutls.h"
#include "tls/suites.h"
#include "util/xalloc.h"

#include <gnutls/gnutls.h>

#include <stdlib.h>
#include <string.h>

#define PRIORITY_MAX	4096	/* bytes of priority string handed to GnuTLS */

static uint16_t
proto_version(unsigned p)
{
	switch (p) {
	case GNUTLS_SSL3:	return TLS_V_SSL3;
	case GNUTLS_TLS1_0:	return TLS_V_TLS10;
	case GNUTLS_TLS1_1:	return TLS_V_TLS11;
	case GNUTLS_TLS1_2:	return TLS_V_TLS12;
	case GNUTLS_TLS1_3:	return TLS_V_TLS13;
	default:		return 0;	/* DTLS and unknown */
	}
}

static void
add_unique(uint16_t *v, size_t *n, uint16_t code)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (v[i] == code)
			return;
	if (*n < AUDIT_GNUTLS_SUITES_MAX)
		v[(*n)++] = code;
}

static void
collect_suites(gnutls_priority_t prio, struct audit_gnutls_result *out)
{
	unsigned i, sidx;
	unsigned char id[2];
	gnutls_kx_algorithm_t kx;
	gnutls_cipher_algorithm_t cipher;
	gnutls_mac_algorithm_t mac;
	gnutls_protocol_t minv;
	int rc;

	/* GnuTLS lists every (kx, cipher, mac) combination the string
	 * enables; combinations that are no suite are skipped. */
	for (i = 0; i < 65536; i++) {
		rc = gnutls_priority_get_cipher_suite_index(prio, i, &sidx);
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc != 0)
			continue;
		if (gnutls_cipher_suite_info(sidx, id, &kx, &cipher, &mac,
		    &minv) == NULL)
			continue;
		if (id[0] == 0x13)
			add_unique(out->suites13, &out->nsuites13,
			    (uint16_t)(id[0] << 8 | id[1]));
		else
			add_unique(out->suites, &out->nsuites,
			    (uint16_t)(id[0] << 8 | id[1]));
	}
}

int
audit_gnutls_expand(const char *priority, struct audit_gnutls_result *out,
    char **err)
{
	gnutls_priority_t prio = NULL;
	const unsigned *protos = NULL;
	const char *errpos = NULL;
	char *s;
	int i, n, rc;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (priority == NULL)
		priority = AUDIT_GNUTLS_DEFAULT;
	if (strlen(priority) > PRIORITY_MAX) {
		*err = xstrdup("priority string too long");
		return -1;
	}
	s = xstrdup(priority);
	rc = gnutls_priority_init(&prio, s, &errpos);
	if (rc < 0) {
		if (errpos != NULL && errpos >= s && errpos < s + strlen(s))
			*err = xasprintf("GnuTLS rejects it (%s) at \"%.40s\"",
			    gnutls_strerror(rc), errpos);
		else
			*err = xasprintf("GnuTLS rejects it (%s)",
			    gnutls_strerror(rc));
		free(s);
		return -1;
	}
	n = gnutls_priority_protocol_list(prio, &protos);
	for (i = 0; i < n && protos != NULL; i++)
		out->versions |= tls_version_bit(proto_version(protos[i]));
	collect_suites(prio, out);
	/* Suites of a version nobody may use are not on offer. */
	if (!(out->versions & tls_version_bit(TLS_V_TLS13)))
		out->nsuites13 = 0;
	if (!(out->versions & ~tls_version_bit(TLS_V_TLS13)))
		out->nsuites = 0;
	gnutls_priority_deinit(prio);
	free(s);
	return 0;
}

const char *
audit_gnutls_version(void)
{
	const char *v = gnutls_check_version(NULL);

	return v != NULL ? v : "?";
}
