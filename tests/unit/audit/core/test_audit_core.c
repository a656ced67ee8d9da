/* test_audit_core: Postfix protocol lists, OpenSSL cipher expansion, the judge, main.cf read without postconf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <time.h>

#include "audit/audit.h"
#include "tls/suites.h"
#include "util/xalloc.h"

/* tls_version_bit(): 1 << index, SSLv2 = 0 .. TLS 1.3 = 5 */
#define S2	0x01u
#define S3	0x02u
#define T10	0x04u
#define T11	0x08u
#define T12	0x10u
#define T13	0x20u

/*
 * Postfix protocol lists.
 */

static const struct {
	const char	*spec;
	int		 rc;
	unsigned	 mask;
} proto_cases[] = {
	{ "", 0, S2 | S3 | T10 | T11 | T12 | T13 },
	{ ">=TLSv1", 0, T10 | T11 | T12 | T13 },
	{ ">=TLSv1.2", 0, T12 | T13 },
	{ "<=TLSv1.1", 0, S2 | S3 | T10 | T11 },
	{ ">=TLSv1.1 <=TLSv1.2", 0, T11 | T12 },
	{ "!SSLv2, !SSLv3", 0, T10 | T11 | T12 | T13 },
	{ "!SSLv2:!SSLv3:!TLSv1:!TLSv1.1", 0, T12 | T13 },
	{ "!TLSv1.2, !TLSv1.3", 0, S2 | S3 | T10 | T11 },
	{ "TLSv1.2 TLSv1.3", 0, T12 | T13 },
	{ "tlsv1.2", 0, T12 },
	{ "TLSv1.2, !TLSv1.2", 0, 0 },
	{ "TLSv9", -1, S2 | S3 | T10 | T11 | T12 | T13 },
	{ ">=TLSv1.4", -1, S2 | S3 | T10 | T11 | T12 | T13 },
	{ "!", -1, S2 | S3 | T10 | T11 | T12 | T13 },
	{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", -1,
	  S2 | S3 | T10 | T11 | T12 | T13 },
};

static void
test_protocols(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(proto_cases) / sizeof(proto_cases[0]); i++) {
		unsigned mask = 0xdead;
		int rc = audit_postfix_protocols(proto_cases[i].spec, &mask);

		if (rc != proto_cases[i].rc || mask != proto_cases[i].mask)
			fail_msg("\"%s\": rc %d mask %#x, want %d %#x",
			    proto_cases[i].spec, rc, mask, proto_cases[i].rc,
			    proto_cases[i].mask);
	}
}

/*
 * OpenSSL expansion.
 */

static bool
has(const uint16_t *v, int n, uint16_t code)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == code)
			return true;
	return false;
}

static void
test_openssl_suites(void **state)
{
	uint16_t v[512];
	int n;

	(void)state;
	n = audit_openssl_suites("ECDHE-RSA-AES256-GCM-SHA384", v, 512);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 0xc030);
	/* Postfix's medium grade holds Microsoft's first two suites. */
	n = audit_openssl_suites("aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH", v, 512);
	assert_true(n > 10);
	assert_true(has(v, n, 0xc030));
	assert_true(has(v, n, 0xc02f));
	/* Exclusions as Postfix appends them. */
	n = audit_openssl_suites("aNULL:-aNULL:HIGH:@STRENGTH:!ECDHE:!AESGCM", v, 512);
	assert_true(n > 0);
	assert_false(has(v, n, 0xc030));
	assert_false(has(v, n, 0x009d));
	/* A list that selects nothing, or an unknown word alone. */
	assert_int_equal(audit_openssl_suites("NOSUCHCIPHER", v, 512), 0);
	assert_int_equal(audit_openssl_suites("HIGH:!HIGH", v, 512), 0);
	/* Never more than max stored. */
	assert_int_equal(audit_openssl_suites("HIGH", v, 2), 2);
	/* TLS 1.3: the library default and an explicit list. */
	n = audit_openssl_suites13(NULL, v, 16);
	assert_true(n >= 2);
	assert_true(has(v, n, 0x1302));
	n = audit_openssl_suites13("TLS_AES_128_GCM_SHA256", v, 16);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 0x1301);
}

/*
 * The judge, on models built here.
 */

static struct tls_profile *
profile(void)
{
	char path[4096], *err = NULL;
	struct tls_profile *p;

	snprintf(path, sizeof(path), "%s/microsoft.conf", getenv("MXD_PROFILES"));
	p = tls_profile_load(path, &err);
	if (p == NULL)
		fail_msg("profile: %s", err);
	return p;
}

static void
set_suites(struct audit_side *s, const char *list)
{
	uint16_t v[512], v13[16];
	int n = audit_openssl_suites(list, v, 512);
	int n13 = audit_openssl_suites13(NULL, v13, 16);

	assert_true(n > 0);
	audit_side_set_suites(s, v, (size_t)n, v13, (size_t)n13);
	s->suites_known = true;
}

struct judge_case {
	const char		*name;
	bool			 server;
	enum audit_tls_use	 use;
	unsigned		 versions;
	const char		*ciphers;	/* NULL: suites unknown */
	const char		*want_id;	/* NULL: no finding above info */
	enum severity		 want_sev;
};

static const struct judge_case judge_cases[] = {
	{ "client tls1.0/1.1 mandatory", false, AUDIT_TLS_MANDATORY, T10 | T11,
	  "DEFAULT", "config.client_no_tls12", SEV_ERROR },
	{ "client tls1.0/1.1 opportunistic", false, AUDIT_TLS_OPPORTUNISTIC,
	  T10 | T11, "DEFAULT", "config.client_no_tls12", SEV_WARNING },
	{ "client tls1.3 only", false, AUDIT_TLS_MANDATORY, T13, "DEFAULT",
	  "config.client_no_tls12", SEV_WARNING },
	{ "client sound default", false, AUDIT_TLS_OPPORTUNISTIC,
	  T10 | T11 | T12 | T13, "aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH",
	  NULL, 0 },
	{ "client ecdsa-only suites, mandatory", false, AUDIT_TLS_MANDATORY,
	  T12, "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256",
	  "config.client_no_shared_cipher", SEV_ERROR },
	{ "client ecdsa-only suites, 1.3 left", false, AUDIT_TLS_MANDATORY,
	  T12 | T13, "ECDHE-ECDSA-AES256-GCM-SHA384",
	  "config.client_no_shared_cipher", SEV_WARNING },
	{ "client off", false, AUDIT_TLS_OFF, 0, NULL,
	  "config.client_tls_off", SEV_WARNING },
	{ "server tls1.0/1.1", true, AUDIT_TLS_OPPORTUNISTIC, T10 | T11,
	  "DEFAULT", "config.server_no_tls12", SEV_ERROR },
	{ "server tls1.3 only", true, AUDIT_TLS_OPPORTUNISTIC, T13,
	  "DEFAULT", "config.server_no_tls12", SEV_WARNING },
	{ "server null only", true, AUDIT_TLS_OPPORTUNISTIC, T12,
	  "NULL-SHA256:@SECLEVEL=0", "config.server_no_shared_cipher", SEV_ERROR },
	{ "server chacha only, 1.3 left", true, AUDIT_TLS_OPPORTUNISTIC,
	  T12 | T13, "ECDHE-RSA-CHACHA20-POLY1305",
	  "config.server_no_shared_cipher", SEV_WARNING },
	{ "server sound default", true, AUDIT_TLS_OPPORTUNISTIC,
	  T10 | T11 | T12 | T13, "aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH",
	  NULL, 0 },
	{ "server off", true, AUDIT_TLS_OFF, 0, NULL,
	  "config.server_tls_off", SEV_WARNING },
};

static void
test_judge(void **state)
{
	struct tls_profile *p = profile();
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(judge_cases) / sizeof(judge_cases[0]); i++) {
		const struct judge_case *c = &judge_cases[i];
		struct audit_result *a = audit_result_new(AUDIT_POSTFIX);
		struct audit_side *s = c->server ? &a->server : &a->client;
		struct report *r = report_new();
		const struct finding *got = NULL;

		s->present = true;
		s->use = c->use;
		s->versions_known = true;
		s->versions = c->versions;
		if (c->ciphers != NULL)
			set_suites(s, c->ciphers);
		/* the server's certificate is not this test's business:
		 * a schannel model needs none */
		if (c->server)
			a->mta = AUDIT_SCHANNEL;
		audit_judge(r, a, p, NULL, 0);
		for (k = 0; k < r->nfindings; k++)
			if (r->findings[k].severity > SEV_INFO) {
				if (got != NULL)
					fail_msg("%s: two findings: %s, %s", c->name,
					    got->id, r->findings[k].id);
				got = &r->findings[k];
			}
		if (c->want_id == NULL && got != NULL)
			fail_msg("%s: unexpected %s (%s)", c->name, got->id,
			    got->evidence);
		if (c->want_id != NULL && (got == NULL ||
		    strcmp(got->id, c->want_id) != 0 ||
		    got->severity != c->want_sev))
			fail_msg("%s: want %s/%d, got %s/%d", c->name, c->want_id,
			    c->want_sev, got ? got->id : "nothing",
			    got ? (int)got->severity : -1);
		if (got != NULL && strcmp(got->host, c->server ? "server" :
		    "client") != 0)
			fail_msg("%s: host %s", c->name, got->host);
		/* The verdict says "fail" exactly when a finding says the
		 * handshake cannot happen. */
		if (c->use != AUDIT_TLS_OFF && c->ciphers != NULL) {
			bool fails = got != NULL && got->severity == SEV_ERROR;

			if (s->verdict == NULL)
				fail_msg("%s: no verdict", c->name);
			if (c->server && fails != (strstr(s->verdict,
			    "would fail") != NULL))
				fail_msg("%s: verdict \"%s\"", c->name, s->verdict);
			if (!c->server && got == NULL && strstr(s->verdict,
			    "would accept TLSv1.2") == NULL)
				fail_msg("%s: verdict \"%s\"", c->name, s->verdict);
		}
		report_free(r);
		audit_result_free(a);
	}
	tls_profile_free(p);
}

/* Informational: old versions and weak suites beside good ones. */
static void
test_judge_info(void **state)
{
	struct tls_profile *p = profile();
	struct audit_result *a = audit_result_new(AUDIT_SCHANNEL);
	struct report *r = report_new();
	bool old = false, weak = false;
	size_t k;

	(void)state;
	a->server.present = true;
	a->server.use = AUDIT_TLS_OPPORTUNISTIC;
	a->server.versions_known = true;
	a->server.versions = T10 | T12;
	set_suites(&a->server, "ECDHE-RSA-AES128-GCM-SHA256:NULL-SHA256:@SECLEVEL=0");
	audit_judge(r, a, p, NULL, 0);
	for (k = 0; k < r->nfindings; k++) {
		assert_int_equal(r->findings[k].severity, SEV_INFO);
		old |= strcmp(r->findings[k].id, "config.old_protocols") == 0;
		weak |= strcmp(r->findings[k].id, "config.weak_ciphers") == 0;
	}
	assert_true(old);
	assert_true(weak);
	report_free(r);
	audit_result_free(a);
	tls_profile_free(p);
}

/*
 * Certificate files: made here, written to a temporary directory.
 */

static EVP_PKEY *
rsa(void)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);

	assert_non_null(k);
	return k;
}

static X509 *
cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey, bool ca)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(random() & 0xffff) + 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
	    ca ? "critical,CA:TRUE" : "CA:FALSE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (!ca) {
		char san[300];

		snprintf(san, sizeof(san), "DNS:%s", cn);
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(x, ikey ? ikey : key, EVP_sha256()) > 0);
	X509_NAME_free(n);
	return x;
}

static void
write_pem(const char *path, EVP_PKEY *key, X509 *const *certs, int n)
{
	FILE *f = fopen(path, "w");
	int i;

	assert_non_null(f);
	if (key != NULL)
		PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	for (i = 0; i < n; i++)
		PEM_write_X509(f, certs[i]);
	fclose(f);
}

static bool
found(const struct report *r, const char *id)
{
	size_t k;

	for (k = 0; k < r->nfindings; k++)
		if (strcmp(r->findings[k].id, id) == 0)
			return true;
	return false;
}

static void
test_cert_files(void **state)
{
	char dir[] = "/tmp/mxd-audit-XXXXXX", path[5][300], *err = NULL;
	const char *what[] = { "good.pem", "wrongkey.pem", "reversed.pem",
	    "empty.pem", "root.pem" };
	EVP_PKEY *rk, *ik, *lk, *other;
	X509 *root, *inter, *leaf;
	struct tls_profile *p = profile();
	struct x509_trust *t;
	const char *terr;
	size_t i;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 5; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%s", dir, what[i]);
	rk = rsa();
	ik = rsa();
	lk = rsa();
	other = rsa();
	root = cert("mxdoctor test root", rk, NULL, NULL, true);
	inter = cert("mxdoctor test intermediate", ik, root, rk, true);
	leaf = cert("mail.example.test", lk, inter, ik, false);
	write_pem(path[0], lk, (X509 *[]){ leaf, inter }, 2);
	write_pem(path[1], other, (X509 *[]){ leaf, inter }, 2);
	write_pem(path[2], lk, (X509 *[]){ inter, leaf }, 2);
	f = fopen(path[3], "w");
	assert_non_null(f);
	fputs("not a certificate\n", f);
	fclose(f);
	write_pem(path[4], NULL, (X509 *[]){ root }, 1);
	t = x509_trust_new(path[4], NULL, &terr);
	assert_non_null(t);

	for (i = 0; i < 4; i++) {
		static const char *const want[] = { NULL, "config.key_mismatch",
		    "config.chain_order", "config.cert_file" };
		struct audit_result *a = audit_result_new(AUDIT_POSTFIX);
		struct report *r = report_new();
		size_t k;

		a->hostname = xstrdup("mail.example.test");
		a->server.present = true;
		a->server.use = AUDIT_TLS_OPPORTUNISTIC;
		audit_side_add_cert(&a->server, path[i], path[i], "test");
		audit_judge(r, a, p, t, time(NULL));
		if (want[i] == NULL) {
			for (k = 0; k < r->nfindings; k++)
				fail_msg("%s: unexpected %s: %s", what[i],
				    r->findings[k].id, r->findings[k].evidence);
		} else if (!found(r, want[i]))
			fail_msg("%s: no %s", what[i], want[i]);
		report_free(r);
		audit_result_free(a);
	}
	/* A missing file, and a leaf for another name. */
	{
		struct audit_result *a = audit_result_new(AUDIT_POSTFIX);
		struct report *r = report_new();

		a->hostname = xstrdup("other.example.test");
		a->server.present = true;
		a->server.use = AUDIT_TLS_OPPORTUNISTIC;
		audit_side_add_cert(&a->server, path[0], path[0], "test");
		audit_side_add_cert(&a->server, "/nonexistent/key.pem",
		    "/nonexistent/cert.pem", "test2");
		audit_judge(r, a, p, t, time(NULL));
		assert_true(found(r, "cert.name_mismatch"));
		assert_true(found(r, "config.cert_file"));
		report_free(r);
		audit_result_free(a);
	}
	for (i = 0; i < 5; i++)
		unlink(path[i]);
	rmdir(dir);
	x509_trust_free(t);
	X509_free(root);
	X509_free(inter);
	X509_free(leaf);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ik);
	EVP_PKEY_free(lk);
	EVP_PKEY_free(other);
	tls_profile_free(p);
	free(err);
}

/*
 * main.cf read without postconf.
 */

static const struct audit_setting *
setting(const struct audit_result *a, const char *name)
{
	const struct audit_setting *s = audit_setting_get(a, name);

	if (s == NULL)
		fail_msg("no setting %s", name);
	return s;
}

static void
test_postfix_files(void **state)
{
	struct audit_opts o;
	struct audit_result *a;
	struct report *r;
	char dir[4096], *err = NULL;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.mta = AUDIT_POSTFIX;
	o.no_program = true;
	snprintf(dir, sizeof(dir), "%s/postfix/basic", getenv("MXD_FIXTURES"));
	o.config = dir;
	a = audit_result_new(AUDIT_POSTFIX);
	r = report_new();
	assert_int_equal(audit_read_postfix(&o, a, r, &err), 0);
	assert_string_equal(a->hostname, "mail.example.test");
	assert_string_equal(setting(a, "smtp_tls_mandatory_ciphers")->value, "medium");
	assert_string_equal(setting(a, "smtpd_tls_protocols")->value, ">=TLSv1.2");
	assert_string_equal(setting(a, "smtpd_tls_mandatory_protocols")->value, ">=TLSv1.2");
	assert_non_null(strstr(setting(a, "smtpd_tls_protocols")->origin, "main.cf:"));
	assert_string_equal(setting(a, "smtp_tls_protocols")->origin, "default");
	/* client: encrypt -> the mandatory protocols, continuation joined */
	assert_int_equal(a->client.use, AUDIT_TLS_MANDATORY);
	assert_int_equal(a->client.versions, T10 | T11);
	assert_non_null(a->client.sni);
	/* server: may -> smtpd_tls_protocols */
	assert_int_equal(a->server.use, AUDIT_TLS_OPPORTUNISTIC);
	assert_int_equal(a->server.versions, T12 | T13);
	assert_int_equal(a->server.ncerts, 2);
	report_free(r);
	audit_result_free(a);

	snprintf(dir, sizeof(dir), "%s/postfix/legacy", getenv("MXD_FIXTURES"));
	a = audit_result_new(AUDIT_POSTFIX);
	r = report_new();
	assert_int_equal(audit_read_postfix(&o, a, r, &err), 0);
	assert_int_equal(a->client.use, AUDIT_TLS_OPPORTUNISTIC);
	assert_int_equal(a->server.use, AUDIT_TLS_OPPORTUNISTIC);
	assert_int_equal(a->server.ncerts, 1);
	assert_string_equal(a->server.certs[0].key_file, "/nonexistent/mxdoctor/key.pem");
	assert_true(a->client.suites_known);
	assert_false(has(a->client.suites, (int)a->client.nsuites, 0xc030));
	report_free(r);
	audit_result_free(a);

	/* Per-destination policies: main.cf names the fixture by an
	 * absolute path, so it is copied with the path filled in. */
	{
		char tdir[] = "/tmp/mxd-pf-XXXXXX", in[4096], out[4200], buf[512];
		FILE *fi, *fo;
		size_t k;
		bool seen = false;

		assert_non_null(mkdtemp(tdir));
		snprintf(in, sizeof(in), "%s/postfix/policy/main.cf",
		    getenv("MXD_FIXTURES"));
		snprintf(out, sizeof(out), "%s/main.cf", tdir);
		fi = fopen(in, "r");
		fo = fopen(out, "w");
		assert_non_null(fi);
		assert_non_null(fo);
		while (fgets(buf, sizeof(buf), fi) != NULL) {
			char *m = strstr(buf, "MXD_FIXTURES");

			if (m != NULL) {
				*m = '\0';
				fprintf(fo, "%s%s%s", buf, getenv("MXD_FIXTURES"),
				    m + strlen("MXD_FIXTURES"));
			} else
				fputs(buf, fo);
		}
		fclose(fi);
		fclose(fo);
		o.config = tdir;
		a = audit_result_new(AUDIT_POSTFIX);
		r = report_new();
		assert_int_equal(audit_read_postfix(&o, a, r, &err), 0);
		for (k = 0; k < r->nfindings; k++)
			if (strcmp(r->findings[k].id, "config.client_no_tls12") == 0) {
				assert_int_equal(r->findings[k].severity, SEV_ERROR);
				assert_non_null(strstr(r->findings[k].evidence,
				    "outlook.com"));
				seen = true;
			}
		assert_true(seen);
		report_free(r);
		audit_result_free(a);
		unlink(out);
		rmdir(tdir);
	}

	/* A directory that is not there: one error, nothing read. */
	o.config = "/nonexistent/mxdoctor";
	a = audit_result_new(AUDIT_POSTFIX);
	r = report_new();
	assert_int_equal(audit_read_postfix(&o, a, r, &err), -1);
	assert_non_null(err);
	free(err);
	report_free(r);
	audit_result_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_openssl_suites),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_judge_info),
		cmocka_unit_test(test_cert_files),
		cmocka_unit_test(test_postfix_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
