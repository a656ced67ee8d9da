/* test_fix_schannel: the Schannel fix plan, its .reg and PowerShell renderings (golden files), and their round trip through the parser, the reader and Wine's reg.exe. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/regfile.h"
#include "check/result.h"
#include "fix/fix.h"
#include "../fixtest.h"
#include "report/fix_render.h"
#include "tls/profile.h"
#include "tls/suites.h"
#include "util/xalloc.h"

#define HKLM	"HKEY_LOCAL_MACHINE\\"
#define SCH	"SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"
#define ORDER	"SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002"





static char *
render(const struct fix_plan *p, bool ps, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	assert_non_null(fp);
	assert_int_equal(fix_render_schannel(p, ps, fp), 0);
	fclose(fp);
	*len = n;
	return buf;
}


/* Every line of a rendering is one of the shapes the renderer means to
 * write, ends in CRLF, and is printable ASCII. */
static void
check_lines(const char *s, size_t len, bool ps)
{
	static const char *const reg_ok[] = { "; ", "[" HKLM, "\"", "@=",
	    "Windows Registry Editor Version 5.00", NULL };
	static const char *const ps_ok[] = { "# ", "New-Item -Path 'HKLM:\\",
	    "New-ItemProperty -LiteralPath 'HKLM:\\",
	    "Remove-ItemProperty -LiteralPath 'HKLM:\\",
	    "$k = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('",
	    "$k.SetValue('", "$k.DeleteValue('", "$k.Close()",
	    "#Requires -RunAsAdministrator",
	    "$ErrorActionPreference = 'Stop'", "Write-Host 'Done.", NULL };
	const char *const *ok = ps ? ps_ok : reg_ok;
	const char *line = s, *end = s + len;
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] > 0x7e ||
		    ((unsigned char)s[i] < 0x20 && s[i] != '\r' && s[i] != '\n'))
			fail_msg("byte %#x at %zu", (unsigned char)s[i], i);
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n, k;
		bool good = false;

		assert_non_null(nl);
		n = (size_t)(nl - line);
		if (n == 0 || line[n - 1] != '\r')
			fail_msg("line without CRLF: %.*s", (int)n, line);
		if (n == 1)
			good = true;
		for (k = 0; ok[k] != NULL && !good; k++)
			good = strncmp(line, ok[k], strlen(ok[k])) == 0;
		if (!good)
			fail_msg("unexpected line: %.*s", (int)n - 1, line);
		/* comments wrap at 76 columns unless one word (a URL) is
		 * longer */
		if (n - 1 > 76 && (line[0] == ';' || line[0] == '#') &&
		    memchr(line + 4, ' ', n - 5) != NULL)
			fail_msg("comment over 76 columns: %.*s", (int)n, line);
		line = nl + 1;
	}
}

/* The .reg rendering of p, read back with our parser, holds every item. */
static void
roundtrip(const struct fix_plan *p, const char *reg, size_t len)
{
	char *err = NULL;
	struct regfile *rf = regfile_parse(reg, len, "fix.reg", &err);
	size_t i;

	if (rf == NULL)
		fail_msg("%s", err);
	assert_int_equal(regfile_version(rf), 5);
	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];
		const struct regfile_value *v;
		char *key;
		uint32_t d;

		if (it->kind != FIX_SET && it->kind != FIX_UNSET)
			continue;
		key = xasprintf(HKLM "%s", it->section);
		v = regfile_get(rf, key, it->name);
		if (it->kind == FIX_UNSET)
			assert_null(v);
		else if (strncmp(it->value, "dword:", 6) == 0) {
			assert_non_null(v);
			assert_int_equal(regfile_dword(v, &d), 0);
			assert_int_equal(d, strtoul(it->value + 6, NULL, 16));
		} else {
			assert_non_null(v);
			assert_true(v->text);
			assert_string_equal((const char *)v->data, it->value);
		}
		free(key);
	}
	regfile_free(rf);
}

static const struct fix_item *
find_item(const struct fix_plan *p, const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < p->nitems; i++)
		if (p->items[i].section != NULL &&
		    strcmp(p->items[i].section, section) == 0 &&
		    strcmp(p->items[i].name, name) == 0)
			return &p->items[i];
	return NULL;
}

static void
test_full_microsoft(void **state)
{
	struct tls_profile *prof = fixtest_profile("microsoft");
	struct fix_opts o = { .mta = AUDIT_SCHANNEL, .profile = prof };
	struct fix_plan *p = fix_plan_new(&o);
	const struct fix_item *it;
	char *reg, *ps;
	size_t nreg, nps, i;

	(void)state;
	fix_full(p, &o);
	/* 5 versions x 2 sides x 2 values, 4 .NET keys x 2 values */
	assert_int_equal(p->nitems, 20 + 8);
	it = find_item(p, SCH "\\Protocols\\TLS 1.2\\Client", "Enabled");
	assert_non_null(it);
	assert_string_equal(it->value, "dword:00000001");
	assert_non_null(it->why);
	assert_non_null(strstr(it->source, "tls-registry-settings"));
	it = find_item(p, SCH "\\Protocols\\TLS 1.1\\Server",
	    "DisabledByDefault");
	assert_string_equal(it->value, "dword:00000001");
	/* TLS 1.3 is left alone, no suite order is needed */
	for (i = 0; i < p->nitems; i++) {
		assert_null(strstr(p->items[i].section, "TLS 1.3"));
		assert_null(strstr(p->items[i].section, "Cryptography"));
		assert_non_null(p->items[i].why);
		assert_non_null(p->items[i].source);
	}
	assert_true(strvec_contains_ci(&p->notes, "Restart Windows for "
	    "Schannel changes to take effect (Schannel reads these keys at "
	    "boot; services keep their credentials until restarted)."));
	reg = render(p, false, &nreg);
	ps = render(p, true, &nps);
	check_lines(reg, nreg, false);
	check_lines(ps, nps, true);
	fixtest_golden("full-microsoft.reg", reg, nreg);
	fixtest_golden("full-microsoft.ps1", ps, nps);
	roundtrip(p, reg, nreg);
	free(reg);
	free(ps);
	fix_plan_free(p);
	tls_profile_free(prof);
}

/* The full .reg, read by the audit reader: TLS 1.2 only, .NET right. */
static void
test_full_audits_clean(void **state)
{
	struct tls_profile *prof = fixtest_profile("microsoft");
	struct fix_opts fo = { .mta = AUDIT_SCHANNEL, .profile = prof };
	struct fix_plan *p = fix_plan_new(&fo);
	char path[] = "/tmp/mxd-fixXXXXXX", *reg, *err = NULL;
	struct audit_opts ao;
	struct audit_result *a = audit_result_new(AUDIT_SCHANNEL);
	struct report *r = report_new();
	size_t n;
	int fd;

	(void)state;
	fix_full(p, &fo);
	reg = render(p, false, &n);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, reg, n), (ssize_t)n);
	close(fd);
	memset(&ao, 0, sizeof(ao));
	ao.config = path;
	ao.windows = AUDIT_WIN_2008R2;
	assert_int_equal(audit_read_schannel(&ao, a, r, &err), 0);
	assert_int_equal(a->client.versions, tls_version_bit(TLS_V_TLS12));
	assert_int_equal(a->server.versions, tls_version_bit(TLS_V_TLS12));
	assert_int_equal(r->nfindings, 0);
	unlink(path);
	free(reg);
	audit_result_free(a);
	report_free(r);
	fix_plan_free(p);
	tls_profile_free(prof);
}

struct finding_case {
	const char	*id;
	const char	*evidence;
	const char	*section;	/* an item that must be there */
	const char	*name;
	const char	*value;		/* NULL: FIX_UNSET */
	size_t		 nitems;
};

/* What the settings of an audit report say, for the cases below: TLS 1.0
 * Client and Server differ, AES 128 is switched off. */
static const char *const audit_kv[] = {
	"SCHANNEL\\Protocols\\TLS 1.0\\Client\\Enabled", "dword:00000000",
	"SCHANNEL\\Protocols\\TLS 1.0\\Server\\Enabled", "dword:00000001",
	"SCHANNEL\\Ciphers\\AES 128/128\\Enabled", "dword:00000000",
	NULL
};

static const struct finding_case finding_cases[] = {
	{ "config.client_no_tls12", NULL, SCH "\\Protocols\\TLS 1.2\\Server",
	  "DisabledByDefault", "dword:00000000", 4 },
	{ "tls.no_tls12_or_newer", NULL, SCH "\\Protocols\\TLS 1.2\\Client",
	  "Enabled", "dword:00000001", 4 },
	/* the version the evidence names; without evidence, the settings */
	{ "config.schannel_mismatch", "TLS 1.1: Client disabled ...",
	  SCH "\\Protocols\\TLS 1.1\\Client", "Enabled", "dword:00000000", 4 },
	{ "config.schannel_mismatch", NULL, SCH "\\Protocols\\TLS 1.0\\Server",
	  "DisabledByDefault", "dword:00000001", 4 },
	{ "config.schannel_mismatch", "TLS 1.3: Client enabled ...",
	  SCH "\\Protocols\\TLS 1.3\\Server", "Enabled", "dword:00000000", 4 },
	{ "config.dotnet_old_tls", NULL, "SOFTWARE\\WOW6432Node\\Microsoft\\"
	  ".NETFramework\\v2.0.50727", "SchUseStrongCrypto", "dword:00000001",
	  8 },
	{ "config.old_protocols", NULL, SCH "\\Protocols\\SSL 3.0\\Server",
	  "Enabled", "dword:00000000", 16 },
	{ "tls.sslv3", NULL, SCH "\\Protocols\\TLS 1.1\\Client",
	  "DisabledByDefault", "dword:00000001", 16 },
	{ "config.weak_ciphers", NULL, SCH "\\Ciphers\\RC4 128/128", "Enabled",
	  "dword:00000000", 11 },
	/* the Windows build is unknown: a person adds the TLS 1.3 names */
	{ "config.server_no_shared_cipher", NULL, SCH "\\Ciphers\\AES 128/128",
	  "Enabled", NULL, 3 },
	{ "cipher.no_overlap", NULL, ORDER, "Functions",
	  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
	  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
	  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,"
	  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,"
	  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,"
	  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,"
	  "TLS_RSA_WITH_AES_256_GCM_SHA384,TLS_RSA_WITH_AES_128_GCM_SHA256", 3 },
};

static void
test_findings(void **state)
{
	struct tls_profile *prof = fixtest_profile("microsoft");
	struct fix_opts o = { .mta = AUDIT_SCHANNEL, .profile = prof };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(finding_cases) / sizeof(finding_cases[0]); i++) {
		const struct finding_case *fc = &finding_cases[i];
		struct fix_finding f = { .id = fc->id, .evidence = fc->evidence };
		struct fix_plan *p = fix_plan_new(&o);
		const struct fix_item *it;
		struct fixtest_ctx t;
		char *reg;
		size_t n;

		fixtest_ctx_init(&t, &o, audit_kv);
		assert_true(fix_schannel_finding(p, &t.c, &f));
		if (p->nitems != fc->nitems)
			fail_msg("%s: %zu items, want %zu", fc->id, p->nitems,
			    fc->nitems);
		it = find_item(p, fc->section, fc->name);
		if (it == NULL)
			fail_msg("%s: no %s\\%s", fc->id, fc->section, fc->name);
		assert_non_null(it->why);
		assert_non_null(it->source);
		if (fc->value == NULL)
			assert_int_equal(it->kind, FIX_UNSET);
		else {
			assert_int_equal(it->kind, FIX_SET);
			assert_string_equal(it->value, fc->value);
		}
		assert_non_null(strstr(it->finding, fc->id));
		reg = render(p, false, &n);
		roundtrip(p, reg, n);
		free(reg);
		fix_plan_free(p);
	}
	tls_profile_free(prof);
}

/* An audit report that says Windows Server 2022: the order list starts
 * with the TLS 1.3 suites, and no step is left to a person. */
static void
test_order_2022(void **state)
{
	struct tls_profile *prof = fixtest_profile("microsoft");
	struct fix_opts o = { .mta = AUDIT_SCHANNEL, .profile = prof };
	struct fix_plan *p = fix_plan_new(&o);
	struct fix_finding f = { .id = "config.server_no_shared_cipher" };
	const struct fix_item *it;
	json_t *report = json_pack("{s:{s:i}}", "audit", "windows", 20348);
	struct fixtest_ctx t;

	(void)state;
	fixtest_ctx_init(&t, &o, NULL);
	t.c.report = report;
	assert_true(fix_schannel_finding(p, &t.c, &f));
	assert_int_equal(p->nitems, 1);
	it = find_item(p, ORDER, "Functions");
	assert_non_null(it);
	assert_true(strncmp(it->value, "TLS_AES_256_GCM_SHA384,"
	    "TLS_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,",
	    strlen("TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256,"
	    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,")) == 0);
	json_decref(report);
	fix_plan_free(p);
	tls_profile_free(prof);
}

/* One plan with every finding, rendered both ways: the golden files. */
static void
test_findings_golden(void **state)
{
	struct tls_profile *prof = fixtest_profile("microsoft");
	struct fix_opts o = { .mta = AUDIT_SCHANNEL, .profile = prof };
	struct fix_plan *p = fix_plan_new(&o);
	struct fix_finding f = { 0 };
	struct fixtest_ctx t;
	char *reg, *ps;
	size_t i, nreg, nps;

	(void)state;
	fixtest_ctx_init(&t, &o, audit_kv);
	for (i = 0; i < sizeof(finding_cases) / sizeof(finding_cases[0]); i++) {
		f.id = finding_cases[i].id;
		f.evidence = finding_cases[i].evidence;
		assert_true(fix_schannel_finding(p, &t.c, &f));
	}
	f.id = "dns.no_mx";
	assert_false(fix_schannel_finding(p, &t.c, &f));
	strvec_add(&p->untouched, "dns.no_mx: the domain has no MX");
	reg = render(p, false, &nreg);
	ps = render(p, true, &nps);
	check_lines(reg, nreg, false);
	check_lines(ps, nps, true);
	fixtest_golden("findings-microsoft.reg", reg, nreg);
	fixtest_golden("findings-microsoft.ps1", ps, nps);
	roundtrip(p, reg, nreg);
	/* '/' in a key name goes through the .NET API in PowerShell */
	assert_non_null(strstr(ps, "CreateSubKey('" SCH "\\Ciphers\\RC4 128/128')"));
	assert_non_null(strstr(ps, "$k.DeleteValue('Enabled', $false)"));
	free(reg);
	free(ps);
	fix_plan_free(p);
	tls_profile_free(prof);
}

/* Hostile plan strings cannot leave a comment or a quoted value. */
static void
test_hostile_strings(void **state)
{
	struct fix_opts o = { .mta = AUDIT_SCHANNEL };
	struct fix_plan *p = fix_plan_new(&o);
	const char *evil = "x\r\n[HKEY_LOCAL_MACHINE\\EVIL]\r\n\"Evil\"="
	    "dword:00000001\r\n'; Remove-Item C:\\ #\n\"\x01\xc3\xa9";
	char *reg, *ps, *err = NULL;
	struct regfile *rf;
	size_t nreg, nps, i;

	(void)state;
	fix_add(p, FIX_SET, "SOFTWARE\\T", "na\"me'\n", evil, evil, evil, evil);
	fix_add(p, FIX_SET, "SOFTWARE\\T\r\n[HKEY_LOCAL_MACHINE\\EVIL2]", "v",
	    "dword:0000000z", evil, NULL, NULL);
	fix_add(p, FIX_UNSET, "SOFTWARE\\T/'[x]", "'", NULL, evil, NULL, NULL);
	fix_add(p, FIX_ACTION, NULL, NULL, evil, evil, evil, NULL);
	strvec_add(&p->notes, evil);
	strvec_add(&p->untouched, evil);
	free(p->profile);
	p->profile = xstrdup(evil);
	reg = render(p, false, &nreg);
	ps = render(p, true, &nps);
	check_lines(reg, nreg, false);
	check_lines(ps, nps, true);
	rf = regfile_parse(reg, nreg, "evil.reg", &err);
	if (rf == NULL)
		fail_msg("%s", err);
	assert_false(regfile_has_key(rf, "HKLM\\EVIL"));
	assert_false(regfile_has_key(rf, "HKLM\\EVIL2"));
	for (i = 0; i < regfile_nvalues(rf); i++)
		assert_string_not_equal(regfile_value_at(rf, i)->name, "Evil");
	/* a bad dword is written as a string, never as a number */
	assert_true(regfile_get(rf, "HKLM\\SOFTWARE\\T  [HKEY_LOCAL_MACHINE"
	    "\\EVIL2]", "v")->text);
	regfile_free(rf);
	/* PowerShell: quotes doubled inside values (and check_lines saw
	 * that no line starts a statement of its own) */
	assert_non_null(strstr(ps, "''; Remove-Item"));
	free(reg);
	free(ps);
	fix_plan_free(p);
}

/* join_fixtures: a temporary file with both fixtures, byte for byte. */
static char *
join_fixtures(const char *a, const char *b)
{
	char *path = xstrdup("/tmp/mxd-joinXXXXXX");
	const char *names[2] = { a, b };
	unsigned char buf[65536];
	int fd = mkstemp(path), i;

	assert_true(fd >= 0);
	for (i = 0; i < 2; i++) {
		char *f = xasprintf("%s/%s", getenv("MXD_REG_FIXTURES"),
		    names[i]);
		FILE *fp = fopen(f, "rb");
		size_t n;

		assert_non_null(fp);
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
			assert_int_equal(write(fd, buf, n), (ssize_t)n);
		fclose(fp);
		free(f);
	}
	close(fd);
	return path;
}

/*
 * The round trip through Wine's reg.exe: tests/audit/schannel/
 * make-fixtures.sh imported the golden .reg files with `reg import` and
 * exported the keys again.
 */
static void
test_wine_roundtrip(void **state)
{
	char *path = xasprintf("%s/wine-roundtrip-full-microsoft.reg",
	    getenv("MXD_REG_FIXTURES"));
	char *dotnet = xasprintf("%s/wine-roundtrip-full-microsoft-dotnet.reg",
	    getenv("MXD_REG_FIXTURES"));
	struct audit_opts ao;
	struct audit_result *a = audit_result_new(AUDIT_SCHANNEL);
	struct report *r = report_new();
	struct regfile *rf;
	char *err = NULL;
	uint32_t d;

	(void)state;
	memset(&ao, 0, sizeof(ao));
	ao.config = path;
	ao.windows = AUDIT_WIN_2008R2;
	if (audit_read_schannel(&ao, a, r, &err) != 0)
		fail_msg("%s", err);
	assert_int_equal(a->client.versions, tls_version_bit(TLS_V_TLS12));
	assert_int_equal(a->server.versions, tls_version_bit(TLS_V_TLS12));
	assert_int_equal(r->nfindings, 0);
	rf = regfile_load(dotnet, AUDIT_FILE_MAX, &err);
	if (rf == NULL)
		fail_msg("%s", err);
	assert_int_equal(regfile_dword(regfile_get(rf, "HKLM\\SOFTWARE\\"
	    "Microsoft\\.NETFramework\\v4.0.30319", "SystemDefaultTlsVersions"),
	    &d), 0);
	assert_int_equal(d, 1);
	regfile_free(rf);
	/* the findings file, with its '/' keys */
	free(path);
	path = xasprintf("%s/wine-roundtrip-findings-microsoft.reg",
	    getenv("MXD_REG_FIXTURES"));
	rf = regfile_load(path, AUDIT_FILE_MAX, &err);
	if (rf == NULL)
		fail_msg("%s", err);
	assert_int_equal(regfile_dword(regfile_get(rf, HKLM SCH
	    "\\Ciphers\\RC4 128/128", "Enabled"), &d), 0);
	assert_int_equal(d, 0);
	/* "Enabled"=- deleted the value, the key stays */
	assert_true(regfile_has_key(rf, HKLM SCH "\\Ciphers\\AES 128/128"));
	assert_null(regfile_get(rf, HKLM SCH "\\Ciphers\\AES 128/128",
	    "Enabled"));
	regfile_free(rf);
	free(path);
	audit_result_free(a);
	report_free(r);

	/* and with the suite order it wrote, exported as `copy /b` joins
	 * them: TLS 1.2 only, exactly the profile's suites */
	a = audit_result_new(AUDIT_SCHANNEL);
	r = report_new();
	path = join_fixtures("wine-roundtrip-findings-microsoft.reg",
	    "wine-roundtrip-findings-microsoft-order.reg");
	ao.config = path;
	ao.windows = AUDIT_WIN_2016;
	if (audit_read_schannel(&ao, a, r, &err) != 0)
		fail_msg("%s", err);
	assert_int_equal(a->server.versions, tls_version_bit(TLS_V_TLS12));
	assert_int_equal(a->server.nsuites, 8);
	assert_int_equal(a->server.suites[0], 0xc030);
	assert_int_equal(r->nfindings, 0);
	unlink(path);
	free(path);
	free(dotnet);
	audit_result_free(a);
	report_free(r);
}

/*
 * fix_schannel.c's list of suites every Windows enables by default must
 * be the intersection of audit_schannel.c's default tables: a profile
 * with one suite gets a suite order exactly when that suite is not in
 * every list.
 */
static void
default_suites(unsigned build, uint16_t *out, size_t *n)
{
	char *path = xasprintf("%s/wine-default.reg", getenv("MXD_REG_FIXTURES"));
	struct audit_opts ao;
	struct audit_result *a = audit_result_new(AUDIT_SCHANNEL);
	struct report *r = report_new();
	char *err = NULL;

	memset(&ao, 0, sizeof(ao));
	ao.config = path;
	ao.windows = build;
	assert_int_equal(audit_read_schannel(&ao, a, r, &err), 0);
	memcpy(out, a->server.suites, a->server.nsuites * sizeof(*out));
	*n = a->server.nsuites;
	audit_result_free(a);
	report_free(r);
	free(path);
}

static bool
in(const uint16_t *v, size_t n, uint16_t c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == c)
			return true;
	return false;
}

static void
test_common_default(void **state)
{
	static const unsigned builds[] = { AUDIT_WIN_2008R2, AUDIT_WIN_2012,
	    9600, AUDIT_WIN_2016, 17763, AUDIT_WIN_2022 };
	uint16_t uni[256], inter[256], cur[256];
	size_t nuni = 0, ninter = 0, ncur, i, j;
	char dir[] = "/tmp/mxd-profXXXXXX";

	(void)state;
	for (i = 0; i < sizeof(builds) / sizeof(builds[0]); i++) {
		default_suites(builds[i], cur, &ncur);
		for (j = 0; j < ncur; j++)
			if (!in(uni, nuni, cur[j]))
				uni[nuni++] = cur[j];
		if (i == 0) {
			memcpy(inter, cur, ncur * sizeof(*cur));
			ninter = ncur;
			continue;
		}
		for (j = 0; j < ninter; )
			if (!in(cur, ncur, inter[j]))
				inter[j] = inter[--ninter];
			else
				j++;
	}
	assert_true(ninter > 0);
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < nuni; i++) {
		const struct tls_suite *s = tls_suite_by_code(uni[i]);
		char *file = xasprintf("%s/t.conf", dir), *err = NULL;
		FILE *fp = fopen(file, "w");
		struct tls_profile *prof;
		struct fix_opts o = { .mta = AUDIT_SCHANNEL };
		struct fix_plan *p;
		bool order;

		fprintf(fp, "name = t\ntitle = t\nversions = TLSv1.2\n"
		    "\tsource = test\nsuites = %s\n\tsource = test\n", s->name);
		fclose(fp);
		if ((prof = tls_profile_load(file, &err)) == NULL)
			fail_msg("%s", err);
		o.profile = prof;
		p = fix_plan_new(&o);
		fix_full(p, &o);
		order = false;
		for (j = 0; j < p->nitems; j++)
			order |= strcmp(p->items[j].section, ORDER) == 0;
		if (order == in(inter, ninter, uni[i]))
			fail_msg("%s: suite order %s, but it is %sin every "
			    "default list", s->name, order ? "written" :
			    "not written", in(inter, ninter, uni[i]) ? "" :
			    "not ");
		fix_plan_free(p);
		tls_profile_free(prof);
		unlink(file);
		free(file);
	}
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_microsoft),
		cmocka_unit_test(test_full_audits_clean),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_order_2022),
		cmocka_unit_test(test_findings_golden),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test(test_wine_roundtrip),
		cmocka_unit_test(test_common_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
