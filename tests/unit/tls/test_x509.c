/* test_x509: chain verdicts on certificates made in the test, one row per case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include "testcert.h"
#include "tls/x509.h"

#define NOW	TESTCERT_NOW
#define DAY	TESTCERT_DAY

/* The certificates every row picks from.  "U" = under an unknown root,
 * i.e. one that is not in the test's trust store. */
enum cert_id {
	C_NONE = 0,
	C_ROOT,
	C_INTER,
	C_LEAF,		/* SAN Mail.Example.COM, smtp.example.com */
	C_LEAF_AIA,	/* like C_LEAF, plus AIA caIssuers */
	C_LEAF_WILD,	/* SAN *.example.com */
	C_LEAF_CN_ONLY,	/* CN mail.example.com, no SAN */
	C_LEAF_CN_SAN,	/* CN mail.example.com, SAN other.example.com */
	C_LEAF_EXPIRED,
	C_LEAF_FUTURE,
	C_LEAF_10DAYS,
	C_LEAF_RSA1024,
	C_LEAF_EC,
	C_LEAF_SHA1,
	C_LEAF_CLIENT,	/* extendedKeyUsage clientAuth only */
	C_SELF,		/* self-signed, keyUsage without keyCertSign */
	C_SELF_CA,	/* self-signed CA used as leaf */
	C_UROOT,	/* SHA-1 signed: a root's own signature must not count */
	C_UINTER,
	C_ULEAF,
	C_WEAK_INTER,	/* RSA 1024 intermediate under C_ROOT */
	C_WEAK_LEAF,	/* under C_WEAK_INTER */
	C_MAX
};

struct fixture {
	X509			*c[C_MAX];
	EVP_PKEY		*k_root, *k_inter, *k_leaf, *k_1024, *k_ec;
	EVP_PKEY		*k_uroot, *k_uinter;
	char			*ca_file;
	struct x509_trust	*trust;
};

static struct fixture fx;

#define LEAF_SAN	"DNS:Mail.Example.COM,DNS:smtp.example.com"
#define AIA_URL		"http://ca.example.net/inter.crt"

static X509 *
mk_leaf(const char *cn, const char *san, EVP_PKEY *key, X509 *issuer,
    EVP_PKEY *issuer_key)
{
	struct testcert_spec s = {
		.cn = cn, .org = "mxdoctor test", .san = san, .key = key,
		.issuer = issuer, .issuer_key = issuer_key, .serial = 0x1001,
	};

	return testcert_make(&s);
}

static X509 *
mk_ca(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
    const EVP_MD *md)
{
	struct testcert_spec s = {
		.cn = cn, .org = "mxdoctor test", .ca = true, .key = key,
		.issuer = issuer, .issuer_key = issuer_key, .md = md,
		.not_before = NOW - 365 * DAY, .not_after = NOW + 3650 * DAY,
	};

	return testcert_make(&s);
}

static void
mk_special_leaves(void)
{
	struct testcert_spec s = {
		.org = "mxdoctor test", .cn = "mail.example.com",
		.san = LEAF_SAN, .key = fx.k_leaf, .issuer = fx.c[C_INTER],
		.issuer_key = fx.k_inter,
	};
	struct testcert_spec t;

	t = s;
	t.aia = "caIssuers;URI:" AIA_URL;
	fx.c[C_LEAF_AIA] = testcert_make(&t);
	t = s;
	t.not_before = NOW - 100 * DAY;
	t.not_after = NOW - 10 * DAY + 3600;
	fx.c[C_LEAF_EXPIRED] = testcert_make(&t);
	t = s;
	t.not_before = NOW + 2 * DAY;
	t.not_after = NOW + 92 * DAY;
	fx.c[C_LEAF_FUTURE] = testcert_make(&t);
	t = s;
	t.not_after = NOW + 10 * DAY + 3600;
	fx.c[C_LEAF_10DAYS] = testcert_make(&t);
	t = s;
	t.key = fx.k_1024;
	fx.c[C_LEAF_RSA1024] = testcert_make(&t);
	t = s;
	t.key = fx.k_ec;
	t.ku = "critical,digitalSignature";
	fx.c[C_LEAF_EC] = testcert_make(&t);
	t = s;
	t.md = EVP_sha1();
	fx.c[C_LEAF_SHA1] = testcert_make(&t);
	t = s;
	t.eku = "clientAuth";
	fx.c[C_LEAF_CLIENT] = testcert_make(&t);
	t = s;
	t.issuer = NULL;
	t.issuer_key = NULL;
	fx.c[C_SELF] = testcert_make(&t);
	t = s;
	t.issuer = NULL;
	t.issuer_key = NULL;
	t.ca = true;
	fx.c[C_SELF_CA] = testcert_make(&t);
}

static int
setup(void **state)
{
	X509 *store_certs[2];
	const char *err = NULL;

	fx.k_root = testcert_rsa(2048);
	fx.k_inter = testcert_rsa(2048);
	fx.k_leaf = testcert_rsa(2048);
	fx.k_uroot = testcert_rsa(2048);
	fx.k_uinter = testcert_rsa(2048);
	fx.k_1024 = testcert_rsa(1024);
	fx.k_ec = testcert_ec("P-256");

	fx.c[C_ROOT] = mk_ca("Test Root", fx.k_root, NULL, NULL, NULL);
	fx.c[C_INTER] = mk_ca("Test Intermediate", fx.k_inter, fx.c[C_ROOT],
	    fx.k_root, NULL);
	fx.c[C_LEAF] = mk_leaf("mail.example.com", LEAF_SAN, fx.k_leaf,
	    fx.c[C_INTER], fx.k_inter);
	fx.c[C_LEAF_WILD] = mk_leaf("*.example.com", "DNS:*.example.com",
	    fx.k_leaf, fx.c[C_INTER], fx.k_inter);
	fx.c[C_LEAF_CN_ONLY] = mk_leaf("mail.example.com", NULL, fx.k_leaf,
	    fx.c[C_INTER], fx.k_inter);
	fx.c[C_LEAF_CN_SAN] = mk_leaf("mail.example.com",
	    "DNS:other.example.com", fx.k_leaf, fx.c[C_INTER], fx.k_inter);
	mk_special_leaves();
	fx.c[C_UROOT] = mk_ca("Unknown Root", fx.k_uroot, NULL, NULL,
	    EVP_sha1());
	fx.c[C_UINTER] = mk_ca("Unknown Intermediate", fx.k_uinter,
	    fx.c[C_UROOT], fx.k_uroot, NULL);
	fx.c[C_ULEAF] = mk_leaf("mail.example.com", LEAF_SAN, fx.k_leaf,
	    fx.c[C_UINTER], fx.k_uinter);
	fx.c[C_WEAK_INTER] = mk_ca("Weak Intermediate", fx.k_1024,
	    fx.c[C_ROOT], fx.k_root, NULL);
	fx.c[C_WEAK_LEAF] = mk_leaf("mail.example.com", LEAF_SAN, fx.k_leaf,
	    fx.c[C_WEAK_INTER], fx.k_1024);

	store_certs[0] = fx.c[C_ROOT];
	store_certs[1] = NULL;
	fx.ca_file = testcert_pem_file(store_certs);
	fx.trust = x509_trust_new(fx.ca_file, NULL, &err);
	if (fx.trust == NULL) {
		fprintf(stderr, "x509_trust_new: %s\n", err);
		return -1;
	}
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	x509_trust_free(fx.trust);
	if (fx.ca_file != NULL)
		unlink(fx.ca_file);
	free(fx.ca_file);
	for (i = 0; i < C_MAX; i++)
		X509_free(fx.c[i]);
	EVP_PKEY_free(fx.k_root);
	EVP_PKEY_free(fx.k_inter);
	EVP_PKEY_free(fx.k_leaf);
	EVP_PKEY_free(fx.k_uroot);
	EVP_PKEY_free(fx.k_uinter);
	EVP_PKEY_free(fx.k_1024);
	EVP_PKEY_free(fx.k_ec);
	return 0;
}

static STACK_OF(X509) *
mk_stack(const int *ids)
{
	X509 *certs[8];
	size_t n = 0;

	for (; *ids != C_NONE && n < 7; ids++)
		certs[n++] = fx.c[*ids];
	certs[n] = NULL;
	return testcert_chain(certs);
}

/*
 * The verdict table.  verify_error -1: any error (not X509_V_OK).
 */

#define ANY_ERROR	(-1)

struct chain_case {
	const char	*name;
	int		 chain[4];
	int		 pool[3];
	const char	*host;
	int		 verify_error;
	bool		 trusted;
	bool		 incomplete;
	const char	*missing_issuer;
	bool		 self_signed_leaf;
	bool		 untrusted_root;
	bool		 name_ok;
	const char	*matched;
	bool		 expired;
	bool		 not_yet_valid;
	long		 days_left;
	bool		 weak_key;
	const char	*weak_key_detail;
	bool		 weak_sig;
	const char	*weak_sig_detail;
};

#define GOOD	.verify_error = X509_V_OK, .trusted = true
#define NAME_OK	.name_ok = true, .matched = "mail.example.com"

static const struct chain_case cases[] = {
	{ .name = "good chain", .chain = { C_LEAF, C_INTER },
	  .host = "mail.example.com", GOOD, NAME_OK, .days_left = 90 },
	{ .name = "good chain, root sent too",
	  .chain = { C_LEAF, C_INTER, C_ROOT },
	  .host = "mail.example.com", GOOD, NAME_OK, .days_left = 90 },
	{ .name = "host with case and trailing dot",
	  .chain = { C_LEAF, C_INTER }, .host = "MAIL.example.COM.",
	  GOOD, NAME_OK, .days_left = 90 },
	{ .name = "second SAN", .chain = { C_LEAF, C_INTER },
	  .host = "smtp.example.com", GOOD, .name_ok = true,
	  .matched = "smtp.example.com", .days_left = 90 },
	{ .name = "leaf only, AIA caIssuers", .chain = { C_LEAF_AIA },
	  .host = "mail.example.com",
	  .verify_error = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	  .incomplete = true,
	  .missing_issuer = "CN=Test Intermediate,O=mxdoctor test",
	  NAME_OK, .days_left = 90 },
	{ .name = "leaf only, issuer in pool", .chain = { C_LEAF },
	  .pool = { C_ULEAF, C_INTER }, .host = "mail.example.com",
	  .verify_error = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	  .incomplete = true,
	  .missing_issuer = "CN=Test Intermediate,O=mxdoctor test",
	  NAME_OK, .days_left = 90 },
	{ .name = "leaf only, unrelated pool", .chain = { C_LEAF },
	  .pool = { C_UINTER }, .host = "mail.example.com",
	  .verify_error = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	  NAME_OK, .days_left = 90 },
	{ .name = "leaf only, pool issuer untrusted", .chain = { C_ULEAF },
	  .pool = { C_UINTER }, .host = "mail.example.com",
	  .verify_error = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	  NAME_OK, .days_left = 90 },
	{ .name = "leaf only, no evidence", .chain = { C_LEAF },
	  .host = "mail.example.com",
	  .verify_error = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	  NAME_OK, .days_left = 90 },
	{ .name = "self-signed leaf", .chain = { C_SELF },
	  .host = "mail.example.com", .verify_error = ANY_ERROR,
	  .self_signed_leaf = true, NAME_OK, .days_left = 90 },
	{ .name = "self-signed CA as leaf", .chain = { C_SELF_CA },
	  .host = "mail.example.com",
	  .verify_error = X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
	  .self_signed_leaf = true, NAME_OK, .days_left = 90 },
	{ .name = "unknown root sent",
	  .chain = { C_ULEAF, C_UINTER, C_UROOT },
	  .host = "mail.example.com",
	  .verify_error = X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
	  .untrusted_root = true, NAME_OK, .days_left = 90 },
	{ .name = "unknown root not sent", .chain = { C_ULEAF, C_UINTER },
	  .host = "mail.example.com",
	  .verify_error = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	  NAME_OK, .days_left = 90 },
	{ .name = "expired", .chain = { C_LEAF_EXPIRED, C_INTER },
	  .host = "mail.example.com", GOOD, NAME_OK, .expired = true,
	  .days_left = -10 },
	{ .name = "not yet valid", .chain = { C_LEAF_FUTURE, C_INTER },
	  .host = "mail.example.com", GOOD, NAME_OK, .not_yet_valid = true,
	  .days_left = 92 },
	{ .name = "expires in 10 days", .chain = { C_LEAF_10DAYS, C_INTER },
	  .host = "mail.example.com", GOOD, NAME_OK, .days_left = 10 },
	{ .name = "name mismatch", .chain = { C_LEAF, C_INTER },
	  .host = "mx.example.org", GOOD, .days_left = 90 },
	{ .name = "no host", .chain = { C_LEAF, C_INTER },
	  .host = NULL, GOOD, .days_left = 90 },
	{ .name = "wildcard", .chain = { C_LEAF_WILD, C_INTER },
	  .host = "mx1.example.com", GOOD, .name_ok = true,
	  .matched = "*.example.com", .days_left = 90 },
	{ .name = "wildcard, bare domain", .chain = { C_LEAF_WILD, C_INTER },
	  .host = "example.com", GOOD, .days_left = 90 },
	{ .name = "CN fallback without SAN",
	  .chain = { C_LEAF_CN_ONLY, C_INTER }, .host = "mail.example.com",
	  GOOD, NAME_OK, .days_left = 90 },
	{ .name = "CN ignored when SAN present",
	  .chain = { C_LEAF_CN_SAN, C_INTER }, .host = "mail.example.com",
	  GOOD, .days_left = 90 },
	{ .name = "weak key leaf", .chain = { C_LEAF_RSA1024, C_INTER },
	  .host = "mail.example.com", GOOD, NAME_OK, .days_left = 90,
	  .weak_key = true, .weak_key_detail = "leaf RSA 1024 bits" },
	{ .name = "weak key intermediate",
	  .chain = { C_WEAK_LEAF, C_WEAK_INTER },
	  .host = "mail.example.com", GOOD, NAME_OK, .days_left = 90,
	  .weak_key = true, .weak_key_detail = "certificate 2 RSA 1024 bits" },
	{ .name = "EC P-256 leaf", .chain = { C_LEAF_EC, C_INTER },
	  .host = "mail.example.com", GOOD, NAME_OK, .days_left = 90 },
	{ .name = "SHA-1 leaf", .chain = { C_LEAF_SHA1, C_INTER },
	  .host = "mail.example.com", GOOD, NAME_OK, .days_left = 90,
	  .weak_sig = true, .weak_sig_detail = "leaf sha1WithRSAEncryption" },
	{ .name = "client-only EKU", .chain = { C_LEAF_CLIENT, C_INTER },
	  .host = "mail.example.com",
	  .verify_error = X509_V_ERR_INVALID_PURPOSE, NAME_OK,
	  .days_left = 90 },
};

static void
check_str(const char *row, const char *what, const char *want,
    const char *got, int *failures)
{
	if (want == NULL && got == NULL)
		return;
	if (want != NULL && got != NULL && strcmp(want, got) == 0)
		return;
	print_error("%s: %s: want \"%s\", got \"%s\"\n", row, what,
	    want ? want : "(null)", got ? got : "(null)");
	(*failures)++;
}

#define CHECK_EQ(field, fmt) do {					\
	if (c->field != r.field) {					\
		print_error("%s: " #field ": want " fmt ", got " fmt "\n",\
		    c->name, c->field, r.field);			\
		failures++;						\
	}								\
} while (0)

static int
run_case(const struct chain_case *c)
{
	STACK_OF(X509) *chain, *pool = NULL;
	struct chain_report r;
	int failures = 0;

	chain = mk_stack(c->chain);
	if (c->pool[0] != C_NONE)
		pool = mk_stack(c->pool);
	if (x509_analyze(fx.trust, chain, pool, c->host, NOW, &r) != 0) {
		print_error("%s: x509_analyze failed\n", c->name);
		failures++;
		goto out;
	}
	print_message("%-34s %s\n", c->name, r.verify_error_str);
	if (c->verify_error == ANY_ERROR) {
		if (r.verify_error == X509_V_OK) {
			print_error("%s: verify_error: want an error\n",
			    c->name);
			failures++;
		}
	} else
		CHECK_EQ(verify_error, "%d");
	CHECK_EQ(trusted, "%d");
	CHECK_EQ(incomplete, "%d");
	CHECK_EQ(self_signed_leaf, "%d");
	CHECK_EQ(untrusted_root, "%d");
	CHECK_EQ(name_ok, "%d");
	CHECK_EQ(expired, "%d");
	CHECK_EQ(not_yet_valid, "%d");
	CHECK_EQ(days_left, "%ld");
	CHECK_EQ(weak_key, "%d");
	CHECK_EQ(weak_sig, "%d");
	check_str(c->name, "missing_issuer", c->missing_issuer,
	    r.missing_issuer, &failures);
	check_str(c->name, "matched_name", c->matched, r.matched_name,
	    &failures);
	check_str(c->name, "weak_key_detail", c->weak_key_detail,
	    r.weak_key_detail, &failures);
	check_str(c->name, "weak_sig_detail", c->weak_sig_detail,
	    r.weak_sig_detail, &failures);
	if (r.verify_error_str == NULL || r.ncerts != (size_t)sk_X509_num(chain)) {
		print_error("%s: verify_error_str or ncerts\n", c->name);
		failures++;
	}
	chain_report_clear(&r);
out:
	sk_X509_pop_free(chain, X509_free);
	if (pool != NULL)
		sk_X509_pop_free(pool, X509_free);
	return failures;
}

static void
test_chain_table(void **state)
{
	size_t i;
	int failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		failures += run_case(&cases[i]);
	assert_int_equal(failures, 0);
}

static void
test_empty_chain(void **state)
{
	STACK_OF(X509) *empty = sk_X509_new_null();
	struct chain_report r;

	(void)state;
	assert_int_equal(x509_analyze(fx.trust, empty, NULL,
	    "mail.example.com", NOW, &r), -1);
	assert_int_equal(r.ncerts, 0);
	assert_null(r.certs);
	chain_report_clear(&r);
	assert_int_equal(x509_analyze(fx.trust, NULL, NULL,
	    "mail.example.com", NOW, &r), -1);
	assert_int_equal(x509_analyze(NULL, empty, NULL, NULL, NOW, &r), -1);
	sk_X509_free(empty);
}

static void
test_summary_leaf(void **state)
{
	struct cert_summary s;

	(void)state;
	cert_summary_fill(fx.c[C_LEAF], &s);
	assert_string_equal(s.subject, "CN=mail.example.com,O=mxdoctor test");
	assert_string_equal(s.issuer, "CN=Test Intermediate,O=mxdoctor test");
	assert_string_equal(s.serial, "1001");
	assert_string_equal(s.not_before, "2025-12-02T00:00:00Z");
	assert_string_equal(s.not_after, "2026-04-01T00:00:00Z");
	assert_int_equal(s.not_before_t, NOW - 30 * DAY);
	assert_int_equal(s.not_after_t, NOW + 90 * DAY);
	assert_int_equal(s.san_dns.n, 2);
	assert_string_equal(s.san_dns.v[0], "mail.example.com");
	assert_string_equal(s.san_dns.v[1], "smtp.example.com");
	assert_string_equal(s.cn, "mail.example.com");
	assert_string_equal(s.key_type, "RSA");
	assert_int_equal(s.key_bits, 2048);
	assert_string_equal(s.sig_alg, "sha256WithRSAEncryption");
	assert_int_equal(strlen(s.sha256), 32 * 3 - 1);
	assert_int_equal(s.sha256[2], ':');
	assert_false(s.self_signed);
	assert_false(s.is_ca);
	assert_null(s.aia_ca_issuers);
	cert_summary_clear(&s);
	assert_null(s.subject);
	cert_summary_clear(&s);		/* twice is harmless */
}

static void
test_summary_others(void **state)
{
	struct cert_summary s;

	(void)state;
	cert_summary_fill(fx.c[C_LEAF_AIA], &s);
	assert_string_equal(s.aia_ca_issuers, AIA_URL);
	cert_summary_clear(&s);

	cert_summary_fill(fx.c[C_ROOT], &s);
	assert_true(s.self_signed);
	assert_true(s.is_ca);
	assert_int_equal(s.san_dns.n, 0);
	cert_summary_clear(&s);

	cert_summary_fill(fx.c[C_INTER], &s);
	assert_false(s.self_signed);
	assert_true(s.is_ca);
	cert_summary_clear(&s);

	cert_summary_fill(fx.c[C_SELF], &s);
	assert_true(s.self_signed);
	assert_false(s.is_ca);
	cert_summary_clear(&s);

	cert_summary_fill(fx.c[C_LEAF_EC], &s);
	assert_string_equal(s.key_type, "EC");
	assert_int_equal(s.key_bits, 256);
	assert_string_equal(s.sig_alg, "sha256WithRSAEncryption");
	cert_summary_clear(&s);

	cert_summary_fill(fx.c[C_UROOT], &s);
	assert_string_equal(s.sig_alg, "sha1WithRSAEncryption");
	cert_summary_clear(&s);

	cert_summary_fill(NULL, &s);
	assert_null(s.subject);
	cert_summary_clear(&s);
}

/* A SAN dNSName with bytes no DNS name has (NUL, newline, backslash). */
static void
add_raw_san(X509 *x, const char *data, int len, int copies)
{
	GENERAL_NAMES *names = GENERAL_NAMES_new();
	GENERAL_NAME *gn;
	ASN1_IA5STRING *ia5;
	int i;

	assert_non_null(names);
	for (i = 0; i < copies; i++) {
		gn = GENERAL_NAME_new();
		ia5 = ASN1_IA5STRING_new();
		assert_non_null(gn);
		assert_non_null(ia5);
		assert_int_equal(ASN1_STRING_set(ia5, data, len), 1);
		GENERAL_NAME_set0_value(gn, GEN_DNS, ia5);
		assert_true(sk_GENERAL_NAME_push(names, gn) > 0);
	}
	assert_int_equal(X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0,
	    X509V3_ADD_APPEND), 1);
	GENERAL_NAMES_free(names);
}

/* Hostile input: empty subject, a 100-byte serial, control bytes in the
 * CN and SAN, 150 SAN names in two SAN extensions, no extensions
 * otherwise. */
static void
test_summary_hostile(void **state)
{
	struct testcert_spec spec = {
		.cn = "evil\n\\name\x7f", .key = fx.k_leaf, .no_ext = true,
	};
	struct cert_summary s;
	struct chain_report r;
	STACK_OF(X509) *chain;
	X509 *x, *certs[2];
	BIGNUM *bn;
	unsigned char big[100];
	size_t i;

	(void)state;
	x = testcert_make(&spec);
	memset(big, 0xab, sizeof(big));
	bn = BN_bin2bn(big, sizeof(big), NULL);
	assert_non_null(BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)));
	BN_free(bn);
	add_raw_san(x, "mail.example.com\0.evil", 22, 1);
	add_raw_san(x, "a.example.com", 13, 149);
	assert_true(X509_sign(x, fx.k_leaf, EVP_sha256()) > 0);

	cert_summary_fill(x, &s);
	assert_string_equal(s.cn, "evil\\n\\\\name\\x7f");
	assert_non_null(strstr(s.subject, "evil"));
	assert_null(strchr(s.subject, '\n'));
	assert_true(strlen(s.serial) <= 128 + 3);
	assert_int_equal(s.san_dns.n, 100);
	assert_string_equal(s.san_dns.v[0], "mail.example.com\\x00.evil");
	for (i = 1; i < s.san_dns.n; i++)
		assert_string_equal(s.san_dns.v[i], "a.example.com");
	assert_true(s.self_signed);
	assert_false(s.is_ca);
	cert_summary_clear(&s);

	certs[0] = x;
	certs[1] = NULL;
	chain = testcert_chain(certs);
	assert_int_equal(x509_analyze(fx.trust, chain, NULL,
	    "mail.example.com", NOW, &r), 0);
	assert_false(r.trusted);
	assert_false(r.name_ok);	/* the NUL trick does not match */
	assert_true(r.self_signed_leaf);
	chain_report_clear(&r);
	sk_X509_pop_free(chain, X509_free);

	/* no subject at all */
	spec.cn = NULL;
	X509_free(x);
	x = testcert_make(&spec);
	cert_summary_fill(x, &s);
	assert_null(s.cn);
	assert_string_equal(s.subject, "");
	assert_int_equal(s.san_dns.n, 0);
	cert_summary_clear(&s);
	X509_free(x);
}

static void
test_trust_new(void **state)
{
	const char *err = NULL;
	struct x509_trust *t;

	(void)state;
	t = x509_trust_new("/nonexistent/mxdoctor-ca.pem", NULL, &err);
	assert_null(t);
	assert_non_null(err);
	/* the system store: may be empty on a bare machine, never fails */
	err = NULL;
	t = x509_trust_new(NULL, NULL, &err);
	assert_non_null(t);
	x509_trust_free(t);
	x509_trust_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_table),
		cmocka_unit_test(test_empty_chain),
		cmocka_unit_test(test_summary_leaf),
		cmocka_unit_test(test_summary_others),
		cmocka_unit_test(test_summary_hostile),
		cmocka_unit_test(test_trust_new),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
