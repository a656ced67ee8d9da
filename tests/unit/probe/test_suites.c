/* test_suites: integrity of the cipher-suite table and the version helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include <openssl/ssl.h>

#include "tls/suites.h"

static void
test_sorted_unique(void **state)
{
	const struct tls_suite *t;
	size_t n, i, k;

	(void)state;
	t = tls_suites(&n);
	assert_true(n >= 340);	/* the IANA registry, GOST-free, ~345 */
	for (i = 1; i < n; i++)
		assert_true(t[i - 1].code < t[i].code);
	for (i = 0; i < n; i++) {
		assert_true(t[i].code <= 0xffff);
		for (k = i + 1; k < n; k++) {
			assert_true(strcasecmp(t[i].name, t[k].name) != 0);
			if (t[i].openssl != NULL && t[k].openssl != NULL)
				assert_true(strcmp(t[i].openssl,
				    t[k].openssl) != 0);
		}
	}
	t = tls_ssl2_kinds(&n);
	assert_int_equal(n, 8);
	for (i = 1; i < n; i++)
		assert_true(t[i - 1].code < t[i].code);
	for (i = 0; i < n; i++)
		assert_int_equal(t[i].min_version, TLS_V_SSL2);
}

static bool
kx_ephemeral(const char *kx)
{
	return strcmp(kx, "DHE") == 0 || strcmp(kx, "ECDHE") == 0 ||
	    strcmp(kx, "DHE_PSK") == 0 || strcmp(kx, "ECDHE_PSK") == 0 ||
	    strcmp(kx, "ECCPWD") == 0 || strcmp(kx, "ANY") == 0;
}

/* Flags must agree with the other columns, row by row. */
static void
test_flags_consistent(void **state)
{
	const struct tls_suite *t;
	size_t n, i;

	(void)state;
	t = tls_suites(&n);
	for (i = 0; i < n; i++) {
		const struct tls_suite *s = &t[i];
		unsigned f = s->flags;

		print_message("%s\n", s->name);
		if (f & TLS_SUITE_SCSV) {
			assert_true(s->code == 0x00ff || s->code == 0x5600);
			continue;
		}
		assert_int_equal(!!(f & TLS_SUITE_RC4),
		    strncmp(s->cipher, "RC4", 3) == 0);
		assert_int_equal(!!(f & TLS_SUITE_3DES),
		    strncmp(s->cipher, "3DES", 4) == 0);
		assert_int_equal(!!(f & TLS_SUITE_DES),
		    strncmp(s->cipher, "DES", 3) == 0);
		assert_int_equal(!!(f & TLS_SUITE_NULL),
		    strcmp(s->cipher, "NULL") == 0);
		assert_int_equal(!!(f & TLS_SUITE_NULL), s->bits == 0);
		assert_int_equal(!!(f & TLS_SUITE_EXPORT),
		    strstr(s->name, "EXPORT") != NULL);
		assert_int_equal(!!(f & TLS_SUITE_ANON),
		    strcmp(s->auth, "anon") == 0 ||
		    strcmp(s->auth, "NULL") == 0);
		assert_int_equal(!!(f & TLS_SUITE_FS), kx_ephemeral(s->kx));
		assert_int_equal(!!(f & TLS_SUITE_TLS13),
		    strstr(s->name, "_WITH_") == NULL);
		if (f & TLS_SUITE_TLS13)
			assert_int_equal(s->min_version, TLS_V_TLS13);
		else if (strcmp(s->mac, "AEAD") == 0 ||
		    strcmp(s->mac, "SHA256") == 0 ||
		    strcmp(s->mac, "SHA384") == 0)
			assert_int_equal(s->min_version, TLS_V_TLS12);
		else
			assert_int_equal(s->min_version, TLS_V_SSL3);
		if (f & TLS_SUITE_EXPORT)
			assert_true(s->bits <= 56);
	}
}

struct lookup_case {
	const char	*name;
	uint16_t	 code;
	const char	*iana;
	unsigned	 flags;		/* must all be set */
	unsigned	 not_flags;	/* must all be clear */
};

static const struct lookup_case lookups[] = {
	{ "ECDHE-RSA-AES128-GCM-SHA256", 0xc02f,
	  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TLS_SUITE_FS,
	  TLS_SUITE_WEAK },
	{ "tls_ecdhe_rsa_with_aes_256_gcm_sha384", 0xc030,
	  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", TLS_SUITE_FS, 0 },
	{ "DES-CBC3-SHA", 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
	  TLS_SUITE_3DES, TLS_SUITE_FS },
	{ "RC4-MD5", 0x0004, "TLS_RSA_WITH_RC4_128_MD5", TLS_SUITE_RC4, 0 },
	{ "EXP-RC4-MD5", 0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
	  TLS_SUITE_EXPORT | TLS_SUITE_RC4, 0 },
	{ "ADH-AES128-SHA", 0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA",
	  TLS_SUITE_ANON | TLS_SUITE_FS, 0 },
	{ "NULL-SHA", 0x0002, "TLS_RSA_WITH_NULL_SHA", TLS_SUITE_NULL, 0 },
	{ "TLS_AES_128_GCM_SHA256", 0x1301, "TLS_AES_128_GCM_SHA256",
	  TLS_SUITE_TLS13 | TLS_SUITE_FS, TLS_SUITE_WEAK },
	{ "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", 0x00ff,
	  "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", TLS_SUITE_SCSV, 0 },
	{ "TLS_FALLBACK_SCSV", 0x5600, "TLS_FALLBACK_SCSV",
	  TLS_SUITE_SCSV, 0 },
	{ "EXP1024-RC4-SHA", 0x0064, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA",
	  TLS_SUITE_EXPORT | TLS_SUITE_NONSTD, 0 },
	{ "EDH-RSA-DES-CBC-SHA", 0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA",
	  TLS_SUITE_DES | TLS_SUITE_FS, TLS_SUITE_3DES },
};

static void
test_lookups(void **state)
{
	size_t i;
	char label[16];

	(void)state;
	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		const struct lookup_case *c = &lookups[i];
		const struct tls_suite *s = tls_suite_by_name(c->name);

		print_message("%s\n", c->name);
		assert_non_null(s);
		assert_int_equal(s->code, c->code);
		assert_string_equal(s->name, c->iana);
		assert_ptr_equal(tls_suite_by_code(c->code), s);
		assert_int_equal(s->flags & c->flags, c->flags);
		assert_int_equal(s->flags & c->not_flags, 0);
	}
	assert_null(tls_suite_by_name("NO-SUCH-SUITE"));
	assert_null(tls_suite_by_code(0x0a0a));		/* GREASE */
	assert_string_equal(tls_suite_label(0x0a0a, label, sizeof(label)),
	    "0x0A0A");
	assert_string_equal(tls_suite_label(0xc02f, label, sizeof(label)),
	    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	assert_non_null(tls_ssl2_kind_by_code(0x0700c0));
	assert_null(tls_ssl2_kind_by_code(0x0700c1));
}

/* Every suite this OpenSSL knows is in the table, under the same names. */
static void
test_openssl_agrees(void **state)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());
	SSL *ssl;
	STACK_OF(SSL_CIPHER) *sk;
	int i, n;

	(void)state;
	assert_non_null(ctx);
	SSL_CTX_set_security_level(ctx, 0);
	assert_int_equal(SSL_CTX_set_cipher_list(ctx,
	    "ALL:COMPLEMENTOFALL:@SECLEVEL=0"), 1);
	ssl = SSL_new(ctx);
	assert_non_null(ssl);
	sk = SSL_get_ciphers(ssl);
	n = sk_SSL_CIPHER_num(sk);
	assert_true(n > 50);
	for (i = 0; i < n; i++) {
		const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
		uint16_t id = SSL_CIPHER_get_protocol_id(c);
		const struct tls_suite *s = tls_suite_by_code(id);

		print_message("%s\n", SSL_CIPHER_get_name(c));
		assert_non_null(s);
		assert_string_equal(s->name, SSL_CIPHER_standard_name(c));
		assert_non_null(s->openssl);
		assert_string_equal(s->openssl, SSL_CIPHER_get_name(c));
	}
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}

static void
test_for_version(void **state)
{
	uint16_t out[512];
	const struct tls_suite *s;
	size_t n, i;

	(void)state;
	n = tls_suites_for_version(TLS_V_TLS12, false, out, 512);
	assert_true(n > 200);
	s = tls_suite_by_code(out[0]);
	assert_true(s->flags & TLS_SUITE_FS);
	assert_string_equal(s->mac, "AEAD");
	for (i = 0; i < n; i++) {
		s = tls_suite_by_code(out[i]);
		assert_false(s->flags & (TLS_SUITE_TLS13 | TLS_SUITE_SCSV));
		assert_false(tls_suite_needs_setup(s));
	}
	/* weak ones come last: NULL suites at the very end */
	assert_true(tls_suite_by_code(out[n - 1])->flags & TLS_SUITE_NULL);

	/* the versions scan's capped offer keeps every suite servers run */
	for (i = 0; i < n; i++) {
		s = tls_suite_by_code(out[i]);
		if (i >= 128 && (strcmp(s->kx, "ECDHE") == 0 ||
		    strcmp(s->kx, "DHE") == 0 || strcmp(s->kx, "RSA") == 0) &&
		    !(s->flags & (TLS_SUITE_ANON | TLS_SUITE_EXPORT |
		    TLS_SUITE_NULL | TLS_SUITE_NONSTD)))
			fail_msg("%s falls off a 128-suite offer", s->name);
	}

	n = tls_suites_for_version(TLS_V_TLS10, true, out, 512);
	for (i = 0; i < n; i++) {
		s = tls_suite_by_code(out[i]);
		assert_int_equal(s->min_version, TLS_V_SSL3);
	}
	assert_int_equal(tls_suites_for_version(TLS_V_TLS11, true, out, 512),
	    n);
	n = tls_suites_for_version(TLS_V_TLS13, false, out, 512);
	assert_int_equal(n, 11);	/* 0x1301-0x1307, SM4 x2, SHA x2 */
	assert_int_equal(out[0], 0x1302);	/* AES-256-GCM first */
	n = tls_suites_for_version(TLS_V_TLS12, false, out, 10);
	assert_int_equal(n, 10);
	assert_int_equal(tls_suites_for_version(TLS_V_SSL2, false, out, 512),
	    0);
}

static void
test_versions(void **state)
{
	(void)state;
	assert_int_equal(tls_version_index(TLS_V_SSL2), 0);
	assert_int_equal(tls_version_index(TLS_V_TLS13), 5);
	assert_int_equal(tls_version_index(0x0305), -1);
	assert_int_equal(tls_version_at(3), TLS_V_TLS11);
	assert_int_equal(tls_version_at(6), 0);
	assert_int_equal(tls_version_bit(TLS_V_TLS12), 1u << 4);
	assert_int_equal(tls_version_bit(0x9999), 0);
	assert_string_equal(tls_version_name(TLS_V_TLS10), "TLSv1");
	assert_null(tls_version_name(0x0305));
	assert_int_equal(tls_version_parse("TLSv1.0"), TLS_V_TLS10);
	assert_int_equal(tls_version_parse("tlsv1.3"), TLS_V_TLS13);
	assert_int_equal(tls_version_parse("SSLv3"), TLS_V_SSL3);
	assert_int_equal(tls_version_parse("TLSv1.4"), 0);
	assert_true(tls_suite_usable(tls_suite_by_code(0x0004), TLS_V_SSL3));
	assert_false(tls_suite_usable(tls_suite_by_code(0x0004), TLS_V_TLS13));
	assert_false(tls_suite_usable(tls_suite_by_code(0xc02f), TLS_V_TLS11));
	assert_false(tls_suite_usable(tls_suite_by_code(0x1301), TLS_V_TLS12));
	assert_false(tls_suite_usable(tls_suite_by_code(0x00ff), TLS_V_TLS12));
	assert_true(tls_suite_usable(tls_ssl2_kind_by_code(0x010080),
	    TLS_V_SSL2));
	assert_false(tls_suite_usable(tls_suite_by_code(0x0004), TLS_V_SSL2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_unique),
		cmocka_unit_test(test_flags_consistent),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_openssl_agrees),
		cmocka_unit_test(test_for_version),
		cmocka_unit_test(test_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
