/* test_profile: the shipped profiles load, broken ones are refused with a line number, and the negotiation logic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tls/profile.h"

#ifndef PROBE_DATADIR
#error "PROBE_DATADIR must name the source tree's data directory"
#endif
#define PROFILE_DIR	PROBE_DATADIR "/profiles"

static struct tls_profile *
load(const char *name)
{
	char *err = NULL;
	struct tls_profile *p = tls_profile_load_named(name, PROFILE_DIR,
	    &err);

	if (p == NULL)
		fail_msg("%s: %s", name, err);
	return p;
}

/* Every shipped profile loads, and every fact but the names has a
 * source. */
static void
test_shipped(void **state)
{
	static const char *const names[] = {
		"microsoft", "gmail", "mozilla-intermediate", "mozilla-modern"
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct tls_profile *p = load(names[i]);

		print_message("%s\n", names[i]);
		assert_string_equal(tls_profile_name(p), names[i]);
		assert_non_null(tls_profile_title(p));
		assert_true(tls_profile_versions(p) != 0);
		for (k = 0; k < tls_profile_nfacts(p); k++) {
			const struct tls_profile_fact *f =
			    tls_profile_fact_at(p, k);

			assert_non_null(f->status);
			if (strcmp(f->key, "name") != 0 &&
			    strcmp(f->key, "title") != 0)
				assert_non_null(f->source);
		}
		tls_profile_free(p);
	}
}

static void
test_microsoft(void **state)
{
	struct tls_profile *p = load("microsoft");
	const struct tls_profile_fact *f;
	const uint16_t *s;
	size_t n;

	(void)state;
	assert_int_equal(tls_profile_versions(p),
	    tls_version_bit(TLS_V_TLS12) | tls_version_bit(TLS_V_TLS13));
	s = tls_profile_suites(p, TLS_V_TLS12, &n);
	assert_int_equal(n, 8);
	assert_int_equal(s[0], 0xc030);
	assert_int_equal(s[1], 0xc02f);
	assert_int_equal(s[7], 0x009c);
	s = tls_profile_suites(p, TLS_V_TLS13, &n);
	assert_int_equal(n, 2);
	assert_int_equal(s[0], 0x1302);
	/* not offered: no suites */
	assert_null(tls_profile_suites(p, TLS_V_TLS10, &n));
	assert_int_equal(n, 0);
	assert_int_equal(tls_profile_sni(p), TLS_PROFILE_SNI_UNKNOWN);
	f = tls_profile_fact(p, "sni");
	assert_non_null(f);
	assert_string_equal(f->status, "unverified");
	f = tls_profile_fact(p, "cert.sha1_refused");
	assert_string_equal(f->value, "yes");
	assert_string_equal(f->status, "documented");
	assert_null(tls_profile_fact(p, "no.such.key"));
	tls_profile_free(p);
}

/* TLS 1.0 gets only the suites that exist there, in the same order. */
static void
test_gmail_filtered(void **state)
{
	struct tls_profile *p = load("gmail");
	const uint16_t *s;
	size_t n, i;

	(void)state;
	s = tls_profile_suites(p, TLS_V_TLS10, &n);
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++)
		assert_true(tls_suite_by_code(s[i])->min_version == TLS_V_SSL3);
	assert_int_equal(s[0], 0xc009);
	assert_int_equal(s[6], 0x000a);
	s = tls_profile_suites(p, TLS_V_TLS12, &n);
	assert_int_equal(n, 13);
	tls_profile_free(p);
}

struct bad_case {
	const char	*label;
	const char	*text;
	const char	*error;		/* substring, with the line */
};

#define GOOD_HEAD "name = t\nversions = TLSv1.2\n\tsource = s\n"

static const struct bad_case bads[] = {
	{ "no source", "name = t\nversions = TLSv1.2\nsuites = AES128-SHA\n"
	  "\tsource = x\n", ":2: fact \"versions\" has no source" },
	{ "unknown suite", GOOD_HEAD "suites = NOPE-SHA\n\tsource = x\n",
	  ":4: unknown cipher suite \"NOPE-SHA\"" },
	{ "scsv as suite", GOOD_HEAD "suites = TLS_FALLBACK_SCSV\n"
	  "\tsource = x\n", "unknown cipher suite" },
	{ "1.3 suite in suites", GOOD_HEAD "suites = TLS_AES_128_GCM_SHA256\n"
	  "\tsource = x\n", "is a TLS 1.3 suite" },
	{ "1.2 suite in tls13", GOOD_HEAD "suites = AES128-SHA\n\tsource = x\n"
	  "suites_tls13 = AES128-SHA\n\tsource = x\n", "is not a TLS 1.3" },
	{ "suite twice", GOOD_HEAD "suites = AES128-SHA, AES128-SHA\n"
	  "\tsource = x\n", "listed twice" },
	{ "unknown version", "name = t\nversions = TLSv1.4\n\tsource = s\n",
	  ":2: unknown version" },
	{ "duplicate key", GOOD_HEAD "versions = TLSv1.2\n\tsource = s\n",
	  ":4: \"versions\" given twice" },
	{ "orphan attribute", "\tsource = x\nname = t\n",
	  ":1: indented line outside a fact" },
	{ "bad status", GOOD_HEAD "\tstatus = rumour\nsuites = AES128-SHA\n"
	  "\tsource = x\n", "unknown status" },
	{ "bad sni", GOOD_HEAD "suites = AES128-SHA\n\tsource = x\n"
	  "sni = maybe\n\tsource = x\n", "sni is yes, no or unverified" },
	{ "no name", "versions = TLSv1.2\n\tsource = s\nsuites = AES128-SHA\n"
	  "\tsource = x\n", "no name" },
	{ "no suites", GOOD_HEAD, "without suites" },
	{ "no tls13 suites", "name = t\nversions = TLSv1.3\n\tsource = s\n",
	  "without suites_tls13" },
	{ "no versions", "name = t\n", "no versions" },
	{ "bad key", GOOD_HEAD "Suites = AES128-SHA\n\tsource = x\n",
	  "bad key" },
	{ "no equals", GOOD_HEAD "suites AES128-SHA\n", "expected key = value" },
	{ "empty source", GOOD_HEAD "suites = AES128-SHA\n\tsource =\n",
	  "empty source" },
};

static char *
write_temp(const char *text, size_t len)
{
	char *path = strdup("/tmp/mxd-profile-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static void
test_bad_files(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad_case *c = &bads[i];
		char *path = write_temp(c->text, strlen(c->text)), *err = NULL;
		struct tls_profile *p;

		print_message("%s\n", c->label);
		p = tls_profile_load(path, &err);
		assert_null(p);
		assert_non_null(err);
		if (strstr(err, c->error) == NULL)
			fail_msg("%s: got \"%s\"", c->label, err);
		assert_non_null(strstr(err, path));
		free(err);
		unlink(path);
		free(path);
	}
}

static void
test_load_edges(void **state)
{
	char *path, *err = NULL, *big;
	struct tls_profile *p;
	const char *good = "name = t\n# comment\n\n  # indented comment\n"
	    "versions = TLSv1.2 TLSv1.0\n\tsource = a\n\tsource = b\n"
	    "suites = ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA\n"
	    "\tTLS_RSA_WITH_AES_256_CBC_SHA\n\tsource = x\n\tnote = n\n"
	    "sni = no\r\n\tsource = y\r\n";

	(void)state;
	path = write_temp(good, strlen(good));
	p = tls_profile_load(path, &err);
	if (p == NULL)
		fail_msg("%s", err);
	assert_int_equal(tls_profile_sni(p), TLS_PROFILE_SNI_NO);
	assert_string_equal(tls_profile_fact(p, "versions")->source, "a b");
	assert_string_equal(tls_profile_fact(p, "suites")->note, "n");
	assert_string_equal(tls_profile_title(p), "t");
	tls_profile_free(p);
	unlink(path);
	free(path);

	/* a NUL byte, and a file over the cap */
	path = write_temp("name = t\0x\n", 11);
	assert_null(tls_profile_load(path, &err));
	assert_non_null(strstr(err, "NUL"));
	free(err);
	unlink(path);
	free(path);
	big = malloc(TLS_PROFILE_FILE_MAX + 10);
	assert_non_null(big);
	memset(big, '#', TLS_PROFILE_FILE_MAX + 10);
	path = write_temp(big, TLS_PROFILE_FILE_MAX + 10);
	assert_null(tls_profile_load(path, &err));
	assert_non_null(strstr(err, "too large"));
	free(err);
	unlink(path);
	free(path);
	free(big);

	assert_null(tls_profile_load("/nonexistent/x.conf", &err));
	assert_non_null(strstr(err, "x.conf"));
	free(err);
	assert_null(tls_profile_load_named("../etc/passwd", PROFILE_DIR, &err));
	assert_non_null(strstr(err, "bad profile name"));
	free(err);
	assert_null(tls_profile_load_named("Microsoft", PROFILE_DIR, &err));
	free(err);
	assert_null(tls_profile_load_named("", PROFILE_DIR, &err));
	free(err);
	assert_null(tls_profile_load_named("nosuch", PROFILE_DIR, &err));
	free(err);
}

/*
 * Negotiation.
 */

struct neg_case {
	const char		*label;
	const char		*profile;
	unsigned		 versions;	/* server accepts */
	/* per version index: suites, 0-terminated; NULL: not enumerated */
	const uint16_t		*suites[TLS_NVERSIONS];
	enum tls_order		 order;		/* for every version */
	enum tls_neg_status	 status;
	uint16_t		 version;
	uint16_t		 suite;
	unsigned		 overlap;
	const char		*reason;	/* substring */
};

/* version indexes, and a mask bit by index: constants for the tables */
#define V10	2
#define V11	3
#define V12	4
#define V13	5
#define B(i)	(1u << (i))

static const uint16_t s13_all[] = { 0x1301, 0x1302, 0x1303, 0 };
static const uint16_t s13_chacha[] = { 0x1303, 0 };
static const uint16_t s12_ecdsa[] = { 0xc02b, 0xc02c, 0xcca9, 0 };
static const uint16_t s12_rsa[] = { 0xc02f, 0xc030, 0x009c, 0 };
static const uint16_t s12_rsa_first[] = { 0x009c, 0xc02f, 0 };
static const uint16_t s10_aes[] = { 0x002f, 0x0035, 0 };

static const struct neg_case negs[] = {
	{ "1.3 server order", "microsoft", B(V12) | B(V13),
	  { [V12] = s12_rsa, [V13] = s13_all }, TLS_ORDER_SERVER,
	  TLS_NEG_OK, TLS_V_TLS13, 0x1301, B(V12) | B(V13),
	  "TLS_AES_128_GCM_SHA256 (server order)" },
	{ "1.3 client order", "microsoft", B(V12) | B(V13),
	  { [V12] = s12_rsa, [V13] = s13_all }, TLS_ORDER_CLIENT,
	  TLS_NEG_OK, TLS_V_TLS13, 0x1302, B(V12) | B(V13),
	  "client order" },
	{ "ecdsa only", "microsoft", B(V12),
	  { [V12] = s12_ecdsa }, TLS_ORDER_SERVER, TLS_NEG_NO_SUITE,
	  TLS_V_TLS12, 0, 0, "no cipher suite in common in TLSv1.2" },
	{ "old versions only", "microsoft", B(V10) | B(V11),
	  { [V10] = s10_aes, [V11] = s10_aes }, TLS_ORDER_SERVER,
	  TLS_NEG_NO_VERSION, 0, 0, 0, "the server accepts TLSv1.1 TLSv1" },
	{ "client order 1.2", "microsoft", B(V12),
	  { [V12] = s12_rsa }, TLS_ORDER_CLIENT, TLS_NEG_OK, TLS_V_TLS12,
	  0xc030, B(V12), NULL },
	{ "unknown order is client order", "microsoft", B(V12),
	  { [V12] = s12_rsa }, TLS_ORDER_UNKNOWN, TLS_NEG_OK, TLS_V_TLS12,
	  0xc030, B(V12), "unknown order" },
	{ "server order 1.2", "microsoft", B(V12),
	  { [V12] = s12_rsa_first }, TLS_ORDER_SERVER, TLS_NEG_OK,
	  TLS_V_TLS12, 0x009c, B(V12), NULL },
	{ "1.3 not enumerated", "microsoft", B(V12) | B(V13),
	  { [V12] = s12_rsa }, TLS_ORDER_SERVER, TLS_NEG_UNKNOWN,
	  TLS_V_TLS13, 0, B(V12), "not enumerated" },
	{ "1.3 breaks, 1.2 would work", "microsoft",
	  B(V12) | B(V13),
	  { [V12] = s12_rsa, [V13] = s13_chacha }, TLS_ORDER_SERVER,
	  TLS_NEG_NO_SUITE, TLS_V_TLS13, 0, B(V12), "TLSv1.3" },
	{ "gmail tls1.0", "gmail", B(V10), { [V10] = s10_aes },
	  TLS_ORDER_SERVER, TLS_NEG_OK, TLS_V_TLS10, 0x002f, B(V10),
	  NULL },
	{ "modern vs 1.2", "mozilla-modern", B(V12),
	  { [V12] = s12_rsa }, TLS_ORDER_SERVER, TLS_NEG_NO_VERSION, 0, 0, 0,
	  "mozilla-modern offers TLSv1.3" },
	{ "intermediate ecdsa", "mozilla-intermediate", B(V12),
	  { [V12] = s12_ecdsa }, TLS_ORDER_CLIENT, TLS_NEG_OK, TLS_V_TLS12,
	  0xc02b, B(V12), NULL },
	{ "nothing accepted", "gmail", 0, { NULL }, TLS_ORDER_UNKNOWN,
	  TLS_NEG_NO_VERSION, 0, 0, 0, "accepts none" },
};

static size_t
count0(const uint16_t *v)
{
	size_t n = 0;

	while (v[n] != 0)
		n++;
	return n;
}

static void
test_negotiate(void **state)
{
	size_t i;
	int vi;

	(void)state;
	for (i = 0; i < sizeof(negs) / sizeof(negs[0]); i++) {
		const struct neg_case *c = &negs[i];
		struct tls_profile *p = load(c->profile);
		struct tls_server_view view;
		struct tls_negotiation out;

		print_message("%s\n", c->label);
		memset(&view, 0, sizeof(view));
		view.versions = c->versions;
		for (vi = 0; vi < TLS_NVERSIONS; vi++) {
			if (c->suites[vi] == NULL)
				continue;
			view.v[vi].known = true;
			view.v[vi].suites = c->suites[vi];
			view.v[vi].n = count0(c->suites[vi]);
			view.v[vi].order = c->order;
		}
		tls_profile_negotiate(p, &view, &out);
		print_message("  %s\n", out.reason);
		assert_int_equal(out.status, c->status);
		assert_int_equal(out.version, c->version);
		assert_int_equal(out.suite, c->suite);
		assert_int_equal(out.overlap, c->overlap);
		if (c->reason != NULL && strstr(out.reason, c->reason) == NULL)
			fail_msg("reason \"%s\" lacks \"%s\"", out.reason,
			    c->reason);
		tls_profile_free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_microsoft),
		cmocka_unit_test(test_gmail_filtered),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_load_edges),
		cmocka_unit_test(test_negotiate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
