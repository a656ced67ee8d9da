/* audit_openssl: what an OpenSSL cipher string and a Postfix protocol list really allow. */
#include "audit/audit.h"
#include "tls/suites.h"
#include "util/str.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

/*
 * The expansion asks this process's libssl, not a table of ours: the MTA
 * links the same system library (audit_postfix.c records the one it really
 * links), and only OpenSSL knows what "HIGH:!aNULL:@STRENGTH" means in its
 * version.  A fresh SSL_CTX carries the system configuration's security
 * level (Debian: 2), which is what the MTA's own SSL_CTX gets too unless
 * its string sets @SECLEVEL; SSL_get1_supported_ciphers() applies it.
 */

#define CIPHERLIST_MAX	4096

static int
collect(SSL *ssl, bool tls13, uint16_t *out, size_t max)
{
	STACK_OF(SSL_CIPHER) *sk;
	size_t n = 0;
	int i;

	sk = SSL_get1_supported_ciphers(ssl);
	if (sk == NULL)
		return 0;
	for (i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
		const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
		uint16_t id = SSL_CIPHER_get_protocol_id(c);
		bool is13 = strcmp(SSL_CIPHER_get_version(c), "TLSv1.3") == 0;

		if (is13 != tls13)
			continue;
		if (n < max)
			out[n] = id;
		n++;
	}
	sk_SSL_CIPHER_free(sk);
	return (int)(n < max ? n : max);
}

static int
expand(const char *list, const char *list13, bool tls13, uint16_t *out,
    size_t max)
{
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	int n = -1;

	if ((list != NULL && strlen(list) > CIPHERLIST_MAX) ||
	    (list13 != NULL && strlen(list13) > CIPHERLIST_MAX))
		return -1;
	if ((ctx = SSL_CTX_new(TLS_method())) == NULL)
		return -1;
	if (tls13) {
		if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
		    (list13 != NULL && *list13 != '\0' &&
		    !SSL_CTX_set_ciphersuites(ctx, list13)))
			goto out;
	} else {
		/* TLS 1.2 and below: the versions the list applies to. */
		if (!SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) ||
		    !SSL_CTX_set_min_proto_version(ctx, 0))
			goto out;
		/* "" selects OpenSSL's compiled-in default, as it does for
		 * an MTA that sets nothing. */
		if (list != NULL && *list != '\0' &&
		    !SSL_CTX_set_cipher_list(ctx, list)) {
			/* OpenSSL refuses a string that selects nothing:
			 * distinguish that from a syntax error is not
			 * possible here; both mean no suites. */
			n = 0;
			goto out;
		}
	}
	if ((ssl = SSL_new(ctx)) == NULL)
		goto out;
	n = collect(ssl, tls13, out, max);
out:
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return n;
}

int
audit_openssl_suites(const char *cipherlist, uint16_t *out, size_t max)
{
	return expand(cipherlist, NULL, false, out, max);
}

int
audit_openssl_suites13(const char *ciphersuites, uint16_t *out, size_t max)
{
	return expand(NULL, ciphersuites, true, out, max);
}

/*
 * Postfix protocol lists (postconf(5), smtp_tls_protocols): words
 * separated by blanks, commas or colons; either a list of exclusions
 * ("!SSLv2, !SSLv3"), of inclusions ("TLSv1.2 TLSv1.3"; Postfix treats
 * them as excluding everything else), or since Postfix 3.6 ">=TLSv1.2"
 * and "<=TLSv1.3" bounds.  An empty list allows everything the library
 * does.  Postfix rejects an unknown protocol name.
 */

static uint16_t
pf_version(const char *w)
{
	static const struct { const char *name; uint16_t v; } names[] = {
		{ "SSLv2", 0x0002 }, { "SSLv3", 0x0300 }, { "TLSv1", 0x0301 },
		{ "TLSv1.1", 0x0302 }, { "TLSv1.2", 0x0303 },
		{ "TLSv1.3", 0x0304 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(w, names[i].name) == 0)
			return names[i].v;
	return 0;
}

int
audit_postfix_protocols(const char *spec, unsigned *mask)
{
	unsigned incl = 0, excl = 0, all = TLS_VERSIONS_ALL;
	unsigned range = TLS_VERSIONS_ALL;
	bool have_incl = false;
	char word[64];
	const char *s = spec != NULL ? spec : "";
	size_t n;
	int bad = 0;

	while (*s != '\0') {
		uint16_t v;
		const char *w;

		while (*s == ' ' || *s == '\t' || *s == ',' || *s == ':')
			s++;
		if (*s == '\0')
			break;
		for (n = 0; s[n] != '\0' && s[n] != ' ' && s[n] != '\t' &&
		    s[n] != ',' && s[n] != ':'; n++)
			;
		if (n >= sizeof(word)) {
			bad = 1;
			s += n;
			continue;
		}
		memcpy(word, s, n);
		word[n] = '\0';
		s += n;
		w = word;
		if (strncmp(w, ">=", 2) == 0 || strncmp(w, "<=", 2) == 0) {
			int idx;

			if ((v = pf_version(w + 2)) == 0) {
				bad = 1;
				continue;
			}
			idx = tls_version_index(v);
			if (w[0] == '>')	/* idx and above */
				range &= all & ~((1u << idx) - 1);
			else			/* idx and below */
				range &= (1u << (idx + 1)) - 1;
			continue;
		}
		if (*w == '!') {
			if ((v = pf_version(w + 1)) == 0) {
				bad = 1;
				continue;
			}
			excl |= tls_version_bit(v);
			continue;
		}
		if ((v = pf_version(w)) == 0) {
			bad = 1;
			continue;
		}
		incl |= tls_version_bit(v);
		have_incl = true;
	}
	*mask = (have_incl ? incl : all) & ~excl & range;
	return bad ? -1 : 0;
}

/* Versions this process's libssl allows with the system configuration
 * (MinProtocol/MaxProtocol in openssl.cnf), which an MTA linking the same
 * library gets too.  SSLv2 never: no OpenSSL since 1.1.0 has it. */
unsigned
audit_openssl_versions(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());
	unsigned mask = 0;
	long lo, hi;
	int i;

	if (ctx == NULL)
		return tls_version_bit(TLS_V_TLS12) | tls_version_bit(TLS_V_TLS13);
	lo = SSL_CTX_get_min_proto_version(ctx);
	hi = SSL_CTX_get_max_proto_version(ctx);
	SSL_CTX_free(ctx);
	if (lo == 0)
		lo = TLS1_VERSION;	/* OpenSSL 1.1+ builds have no SSLv3 by default */
	if (hi == 0)
		hi = TLS1_3_VERSION;
	for (i = 0; i < TLS_NVERSIONS; i++) {
		uint16_t v = tls_version_at(i);

		if (v >= lo && v <= hi && v != TLS_V_SSL2)
			mask |= 1u << i;
	}
	return mask;
}

unsigned
audit_openssl_op_versions(uint64_t bits, unsigned mask)
{
	if (bits & SSL_OP_NO_SSLv3)
		mask &= ~tls_version_bit(TLS_V_SSL3);
	if (bits & SSL_OP_NO_TLSv1)
		mask &= ~tls_version_bit(TLS_V_TLS10);
	if (bits & SSL_OP_NO_TLSv1_1)
		mask &= ~tls_version_bit(TLS_V_TLS11);
	if (bits & SSL_OP_NO_TLSv1_2)
		mask &= ~tls_version_bit(TLS_V_TLS12);
	if (bits & SSL_OP_NO_TLSv1_3)
		mask &= ~tls_version_bit(TLS_V_TLS13);
	return mask & ~tls_version_bit(TLS_V_SSL2);
}
