/* test_audit_schannel: the Schannel reader on Wine reg.exe exports, per Windows build. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "check/result.h"
#include "tls/suites.h"
#include "util/xalloc.h"

/* tls_version_bit() as constants: SSLv2 is bit 0 ... TLS 1.3 bit 5. */
#define B_SSL2	0x01u
#define B_SSL3	0x02u
#define B_TLS10	0x04u
#define B_TLS11	0x08u
#define B_TLS12	0x10u
#define B_TLS13	0x20u
#define B(v)	B_ ## v

static char *
fixture(const char *name)
{
	const char *dir = getenv("MXD_REG_FIXTURES");

	assert_non_null(dir);
	return xasprintf("%s/%s", dir, name);
}

struct run {
	struct audit_result	*a;
	struct report		*r;
};

static int
read_file(const char *name, unsigned windows, struct run *out, char **err)
{
	struct audit_opts o;
	char *path = fixture(name);
	int rc;

	memset(&o, 0, sizeof(o));
	o.mta = AUDIT_SCHANNEL;
	o.config = path;
	o.windows = windows;
	out->a = audit_result_new(AUDIT_SCHANNEL);
	out->r = report_new();
	rc = audit_read_schannel(&o, out->a, out->r, err);
	free(path);
	return rc;
}

static void
run_free(struct run *r)
{
	audit_result_free(r->a);
	report_free(r->r);
}

/* The finding ids of a report, space-separated, in order. */
static char *
finding_ids(const struct report *r)
{
	size_t i, n = 0;
	char *s = xstrdup("");

	for (i = 0; i < r->nfindings; i++) {
		char *t = xasprintf("%s%s%s", s, n++ ? " " : "",
		    r->findings[i].id);

		free(s);
		s = t;
	}
	return s;
}

struct ver_case {
	const char	*file;
	unsigned	 windows;	/* 0: the default (2016) */
	unsigned	 client;
	unsigned	 server;
	const char	*findings;	/* ids, in order */
	const char	*finding_host;	/* host of the first finding */
};

static const struct ver_case ver_cases[] = {
	/* Wine's key: only SSL 2.0\Client DisabledByDefault=1 */
	{ "wine-default.reg", 0, B(TLS10) | B(TLS11) | B(TLS12),
	  B(TLS10) | B(TLS11) | B(TLS12), "", NULL },
	{ "wine-default.reg", AUDIT_WIN_2008R2, B(SSL3) | B(TLS10),
	  B(SSL2) | B(SSL3) | B(TLS10), "", NULL },
	{ "wine-default.reg", AUDIT_WIN_2012, B(SSL3) | B(TLS10) | B(TLS11) |
	  B(TLS12), B(SSL3) | B(TLS10) | B(TLS11) | B(TLS12), "", NULL },
	{ "wine-default.reg", 17763, B(TLS10) | B(TLS11) | B(TLS12),
	  B(TLS10) | B(TLS11) | B(TLS12), "", NULL },
	{ "wine-default.reg", AUDIT_WIN_2022, B(TLS10) | B(TLS11) | B(TLS12) |
	  B(TLS13), B(TLS10) | B(TLS11) | B(TLS12) | B(TLS13), "", NULL },
	{ "wine-tls12-only.reg", 0, B(TLS12), B(TLS12), "", NULL },
	{ "wine-tls12-only.reg", AUDIT_WIN_2008R2, B(TLS12), B(TLS12), "", NULL },
	{ "wine-tls12-only.reg", AUDIT_WIN_2022, B(TLS12) | B(TLS13),
	  B(TLS12) | B(TLS13), "", NULL },
	{ "wine-tls12-client-off.reg", 0, B(TLS10) | B(TLS11),
	  B(TLS10) | B(TLS11) | B(TLS12), "config.schannel_mismatch",
	  "client" },
	/* 0xffffffff is enabled; DisabledByDefault alone switches TLS 1.1
	 * off for Exchange; TLS 1.3 keys mean nothing before 2022 */
	{ "wine-ffffffff.reg", 0, B(TLS10) | B(TLS12), B(TLS10) | B(TLS12),
	  "", NULL },
	{ "wine-ffffffff.reg", AUDIT_WIN_2022, B(TLS10) | B(TLS12) | B(TLS13),
	  B(TLS10) | B(TLS12) | B(TLS13), "", NULL },
	/* Enabled="1" as REG_SZ: ignored, default applies */
	{ "wine-ciphers.reg", 0, B(TLS10) | B(TLS11) | B(TLS12),
	  B(TLS10) | B(TLS11) | B(TLS12), "config.invalid", NULL },
	/* no SCHANNEL key at all: defaults, and the .NET finding */
	{ "wine-dotnet-v4.reg", 0, B(TLS10) | B(TLS11) | B(TLS12),
	  B(TLS10) | B(TLS11) | B(TLS12), "config.dotnet_old_tls", "client" },
	{ "wine-dotnet-v4-wow.reg", 0, B(TLS10) | B(TLS11) | B(TLS12),
	  B(TLS10) | B(TLS11) | B(TLS12), "", NULL },
};

static void
test_versions(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ver_cases) / sizeof(ver_cases[0]); i++) {
		const struct ver_case *vc = &ver_cases[i];
		struct run r;
		char *err = NULL, *ids;

		if (read_file(vc->file, vc->windows, &r, &err) != 0)
			fail_msg("%s: %s", vc->file, err);
		if (r.a->client.versions != vc->client ||
		    r.a->server.versions != vc->server)
			fail_msg("%s/%u: versions client %#x server %#x, want "
			    "%#x %#x (%s)", vc->file, vc->windows,
			    r.a->client.versions, r.a->server.versions,
			    vc->client, vc->server, r.a->client.versions_from);
		assert_true(r.a->client.present && r.a->server.present);
		assert_true(r.a->client.versions_known);
		assert_true(r.a->client.suites_known);
		assert_int_equal(r.a->windows,
		    vc->windows ? vc->windows : AUDIT_WIN_2016);
		assert_string_equal(r.a->tls_library, "Schannel");
		ids = finding_ids(r.r);
		if (strcmp(ids, vc->findings) != 0)
			fail_msg("%s/%u: findings \"%s\", want \"%s\"",
			    vc->file, vc->windows, ids, vc->findings);
		if (vc->finding_host != NULL)
			assert_string_equal(r.r->findings[0].host,
			    vc->finding_host);
		free(ids);
		run_free(&r);
	}
}

static const struct audit_setting *
setting(const struct run *r, const char *name)
{
	return audit_setting_get(r->a, name);
}

static void
test_settings(void **state)
{
	const struct audit_setting *s;
	struct run r;
	char *err = NULL;

	(void)state;
	assert_int_equal(read_file("wine-tls12-client-off.reg", 0, &r, &err),
	    0);
	s = setting(&r, "SCHANNEL\\Protocols\\TLS 1.2\\Client\\Enabled");
	assert_non_null(s);
	assert_string_equal(s->value, "dword:00000000");
	assert_non_null(strstr(s->origin, "wine-tls12-client-off.reg:"));
	assert_non_null(strstr(r.a->client.versions_from, "TLS 1.2 Enabled=0"));
	assert_non_null(strstr(r.r->findings[0].evidence, "TLS 1.2: Client "
	    "disabled"));
	assert_string_equal(r.a->source + strlen(r.a->source) -
	    strlen("wine-tls12-client-off.reg"), "wine-tls12-client-off.reg");
	run_free(&r);

	/* an export of the wrong key says so among the settings */
	assert_int_equal(read_file("wine-dotnet-v4.reg", 0, &r, &err), 0);
	s = setting(&r, "SCHANNEL");
	assert_non_null(s);
	assert_non_null(strstr(s->value, "not in the export"));
	s = setting(&r, "SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319\\"
	    "SchUseStrongCrypto");
	assert_non_null(s);
	assert_string_equal(s->value, "dword:00000000");
	assert_non_null(strstr(r.r->findings[0].evidence,
	    "SystemDefaultTlsVersions absent"));
	assert_null(r.r->findings[0].address);
	run_free(&r);
}

static uint16_t
code(const char *name)
{
	const struct tls_suite *s = tls_suite_by_name(name);

	assert_non_null(s);
	return (uint16_t)s->code;
}

static bool
has_suite(const struct audit_side *s, const char *name)
{
	uint16_t c = code(name);
	size_t i;

	for (i = 0; i < s->nsuites; i++)
		if (s->suites[i] == c)
			return true;
	for (i = 0; i < s->nsuites13; i++)
		if (s->suites13[i] == c)
			return true;
	return false;
}

struct suite_case {
	const char	*file;
	unsigned	 windows;
	size_t		 n, n13;
	const char	*first;		/* first TLS 1.2 suite */
	const char	*has;		/* a suite that must be there */
	const char	*hasnt;		/* and one that must not */
	const char	*from;		/* in suites_from */
};

static const struct suite_case suite_cases[] = {
	/* Microsoft's default tables (see audit_schannel.c) */
	{ "wine-default.reg", AUDIT_WIN_2008R2, 28, 0,
	  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_RSA_WITH_RC4_128_MD5",
	  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "Windows 7" },
	{ "wine-default.reg", AUDIT_WIN_2012, 26, 0,
	  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_RSA_WITH_AES_128_CBC_SHA",
	  "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "Windows 8\"" },
	{ "wine-default.reg", 9600, 28, 0,
	  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
	  "TLS_RSA_WITH_NULL_SHA", "Windows 8.1" },
	{ "wine-default.reg", 0, 30, 0,
	  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
	  "TLS_PSK_WITH_AES_256_GCM_SHA384", "v1607" },
	{ "wine-default.reg", 17763, 21, 0,
	  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
	  "TLS_RSA_WITH_RC4_128_SHA", "v1809" },
	{ "wine-default.reg", AUDIT_WIN_2022, 21, 2,
	  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384",
	  "TLS_CHACHA20_POLY1305_SHA256", "Server 2022" },
	/* Ciphers and KeyExchangeAlgorithms keys */
	{ "wine-ciphers.reg", 0, 30 - 2 - 2 - 6, 0,
	  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
	  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256",
	  "without PKCS key exchange" },
	{ "wine-ciphers.reg", 0, 20, 0, NULL, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
	  "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", "without Triple DES 168" },
	/* Group Policy order: suffixes stripped, unknown name reported */
	{ "wine-order-gp.reg", 0, 3, 0, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
	  "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	  "TLS_MXDOCTOR_NOT_A_SUITE" },
	/* the local order (REG_MULTI_SZ), with TLS 1.3 names */
	{ "wine-order-local.reg", AUDIT_WIN_2022, 2, 2,
	  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
	  "TLS_RSA_WITH_AES_256_GCM_SHA384", "Local\\SSL\\00010002" },
};

static void
test_suites(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(suite_cases) / sizeof(suite_cases[0]); i++) {
		const struct suite_case *sc = &suite_cases[i];
		struct run r;
		char *err = NULL;

		if (read_file(sc->file, sc->windows, &r, &err) != 0)
			fail_msg("%s: %s", sc->file, err);
		if (r.a->server.nsuites != sc->n ||
		    r.a->server.nsuites13 != sc->n13)
			fail_msg("%s/%u: %zu+%zu suites, want %zu+%zu (%s)",
			    sc->file, sc->windows, r.a->server.nsuites,
			    r.a->server.nsuites13, sc->n, sc->n13,
			    r.a->server.suites_from);
		if (sc->first != NULL)
			assert_int_equal(r.a->server.suites[0], code(sc->first));
		assert_true(has_suite(&r.a->server, sc->has));
		assert_false(has_suite(&r.a->server, sc->hasnt));
		assert_true(has_suite(&r.a->client, sc->has));
		if (strstr(r.a->server.suites_from, sc->from) == NULL)
			fail_msg("%s: suites_from \"%s\" lacks \"%s\"",
			    sc->file, r.a->server.suites_from, sc->from);
		assert_true(r.a->server.server_order);
		run_free(&r);
	}
}

static void
test_errors(void **state)
{
	struct audit_opts o;
	struct audit_result *a = audit_result_new(AUDIT_SCHANNEL);
	struct report *r = report_new();
	char *err = NULL;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.mta = AUDIT_SCHANNEL;
	assert_int_equal(audit_read_schannel(&o, a, r, &err), -1);
	assert_non_null(strstr(err, "--config"));
	free(err);
	o.config = "/nonexistent/schannel.reg";
	assert_int_equal(audit_read_schannel(&o, a, r, &err), -1);
	assert_non_null(strstr(err, "/nonexistent/schannel.reg"));
	free(err);
	audit_result_free(a);
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_suites),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
