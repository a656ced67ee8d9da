/* test_fix: fix/ plans from hostile and real reports, Postfix golden scripts per profile, shell quoting of the renderer.
 *
 * Golden files live in tests/unit/audit/fix/golden/ and must match byte
 * for byte.  After an intended change, regenerate and review the diff:
 *	MXD_UPDATE_GOLDEN=1 meson test -C BUILDDIR --suite fix
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fix/fix.h"
#include "report/fix_render.h"
#include "tls/profile.h"

/*
 * Helpers.
 */

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf != NULL) {
			buf[n] = '\0';
			if (len != NULL)
				*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static void
write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(data, f);
	fclose(f);
}

static int
first_difference(const char *a, const char *b)
{
	int line = 1;

	for (; *a && *a == *b; a++, b++)
		if (*a == '\n')
			line++;
	return line;
}

static void
compare_golden(const char *name, const char *got)
{
	const char *dir = getenv("MXD_GOLDEN_DIR");
	const char *update = getenv("MXD_UPDATE_GOLDEN");
	char path[4096], *want;

	if (dir == NULL)
		fail_msg("MXD_GOLDEN_DIR is not set: run through meson test");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (update != NULL && strcmp(update, "1") == 0) {
		write_file(path, got);
		return;
	}
	if ((want = read_file(path, NULL)) == NULL)
		fail_msg("%s is missing; run MXD_UPDATE_GOLDEN=1 meson test "
		    "-C BUILDDIR --suite fix", path);
	if (strcmp(want, got) != 0) {
		fprintf(stderr, "---- got ----\n%s---- end ----\n", got);
		fail_msg("%s differs at line %d; if the change is intended, "
		    "run MXD_UPDATE_GOLDEN=1 meson test -C BUILDDIR --suite fix "
		    "and review the diff", path, first_difference(want, got));
	}
	free(want);
}

static struct tls_profile *
profile(const char *name)
{
	const char *dir = getenv("MXD_PROFILE_DIR");
	struct tls_profile *p;
	char *err = NULL;

	if (dir == NULL)
		fail_msg("MXD_PROFILE_DIR is not set: run through meson test");
	if ((p = tls_profile_load_named(name, dir, &err)) == NULL)
		fail_msg("profile %s: %s", name, err ? err : "?");
	return p;
}

static char *
render(const struct fix_plan *plan)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fix_render(plan, false, f), 0);
	fclose(f);
	return buf;
}

/* Every byte printable ASCII or a newline or tab: nothing from a report
 * reaches the script raw. */
static void
assert_clean(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != '\n' && *s != '\t' &&
		    ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f))
			fail_msg("byte 0x%02x in the output",
			    (unsigned char)*s);
}

/* Every line a comment, a command we write, or blank. */
static void
assert_lines_known(const char *s)
{
	static const char *const ok[] = { "#", "set -e", "PATH=", "postconf ",
	    "postfix ", "if postfix ", "\tpostfix ", "else", "\techo ",
	    "fi", NULL };
	const char *line = s;

	while (*line != '\0') {
		size_t n = strcspn(line, "\n"), i;
		bool found = n == 0;

		for (i = 0; !found && ok[i] != NULL; i++)
			found = strncmp(line, ok[i], strlen(ok[i])) == 0;
		if (!found)
			fail_msg("unexpected line: %.*s", (int)n, line);
		line += n;
		if (*line == '\n')
			line++;
	}
}

static int
run_sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* sh -n on the script: it parses. */
static void
assert_sh_parses(const char *script)
{
	char path[] = "/tmp/mxd-fix-test-XXXXXX", cmd[128];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, script, strlen(script)),
	    (ssize_t)strlen(script));
	close(fd);
	snprintf(cmd, sizeof(cmd), "sh -n %s", path);
	assert_int_equal(run_sh(cmd), 0);
	unlink(path);
}

static json_t *
fixture(const char *name)
{
	const char *dir = getenv("MXD_FIXTURES");
	char path[4096], *data, *err = NULL;
	size_t len = 0;
	json_t *j;

	if (dir == NULL)
		fail_msg("MXD_FIXTURES is not set: run through meson test");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((data = read_file(path, &len)) == NULL)
		fail_msg("cannot read %s", path);
	if ((j = fix_report_parse(data, len, &err)) == NULL)
		fail_msg("%s: %s", path, err);
	free(data);
	return j;
}

/*
 * fix_report_parse: hostile documents.
 */

struct parse_case {
	const char	*name;
	const char	*doc;		/* NULL: built by the test */
	const char	*err;		/* substring of the error; NULL: accepted */
};

static const struct parse_case parse_cases[] = {
	{ "object", "{}", NULL },
	{ "not json", "hello", "not JSON" },
	{ "empty", "", "not JSON" },
	{ "array", "[1, 2]", "not a JSON object" },
	{ "string", "\"x\"", "not JSON" },
	{ "duplicate keys", "{\"a\": 1, \"a\": 2}", "not JSON" },
	{ "truncated", "{\"findings\": [", "not JSON" },
	{ "NUL escape", "{\"a\": \"x\\u0000y\"}", "not JSON" },
	{ "deep arrays", NULL, "nests deeper" },
	{ "deep in a string is fine", "{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}", NULL },
	{ "huge", NULL, "larger than" },
};

static void
test_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *pc = &parse_cases[i];
		char *doc = NULL, *err = NULL;
		size_t len;
		json_t *j;

		if (strcmp(pc->name, "deep arrays") == 0) {
			len = 200;
			doc = malloc(len);
			memset(doc, '[', len);
		} else if (strcmp(pc->name, "huge") == 0) {
			len = FIX_REPORT_MAX + 1;
			doc = malloc(len);
			memset(doc, ' ', len);
			doc[0] = '{';
		} else {
			doc = strdup(pc->doc);
			len = strlen(doc);
		}
		j = fix_report_parse(doc, len, &err);
		if (pc->err == NULL) {
			if (j == NULL)
				fail_msg("%s: refused: %s", pc->name, err);
		} else {
			if (j != NULL)
				fail_msg("%s: accepted", pc->name);
			if (err == NULL || strstr(err, pc->err) == NULL)
				fail_msg("%s: error '%s', want '%s'", pc->name,
				    err ? err : "(none)", pc->err);
			assert_clean(err);
		}
		json_decref(j);
		free(err);
		free(doc);
	}
}

/*
 * fix_from_report: documents that are JSON but not reports.
 */

struct report_case {
	const char	*name;
	const char	*doc;
	const char	*err;
};

static const struct report_case report_cases[] = {
	{ "no findings", "{}", "no \"findings\" array" },
	{ "findings not an array", "{\"findings\": {}}", "no \"findings\" array" },
	{ "explain report", "{\"command\": \"explain\", \"findings\": []}", "from 'explain'" },
	{ "command not a string", "{\"command\": 5, \"findings\": []}", "not a string" },
	{ "hostile command", "{\"command\": \"x\\n\\u001b[2J; rm -rf /\", \"findings\": []}", "not from check or audit" },
	{ "future schema", "{\"mxdoctor\": {\"schema\": 2}, \"findings\": []}", "schema 2" },
	{ "audit without audit", "{\"command\": \"audit\", \"findings\": []}", "no \"audit\" object" },
	{ "audit of another MTA", "{\"command\": \"audit\", \"audit\": {\"mta\": \"exim\"}, \"findings\": []}", "audit of exim, not of postfix" },
	{ "audit of an unknown MTA", "{\"command\": \"audit\", \"audit\": {\"mta\": \"qmail\"}, \"findings\": []}", "names no MTA" },
	{ "check, null command", "{\"command\": null, \"findings\": []}", NULL },
	{ "check", "{\"command\": \"check\", \"findings\": []}", NULL },
};

static void
test_report_kinds(void **state)
{
	struct tls_profile *prof = profile("microsoft");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(report_cases) / sizeof(report_cases[0]); i++) {
		const struct report_case *rc = &report_cases[i];
		struct fix_opts o = { AUDIT_POSTFIX, prof, NULL, NULL, false };
		struct fix_plan *plan = fix_plan_new(&o);
		char *err = NULL;
		json_t *j = json_loads(rc->doc, 0, NULL);
		int r;

		assert_non_null(j);
		r = fix_from_report(plan, &o, j, &err);
		if (rc->err == NULL) {
			if (r != 0)
				fail_msg("%s: refused: %s", rc->name, err);
		} else {
			if (r == 0)
				fail_msg("%s: accepted", rc->name);
			if (err == NULL || strstr(err, rc->err) == NULL)
				fail_msg("%s: error '%s', want '%s'", rc->name,
				    err ? err : "(none)", rc->err);
			assert_clean(err);
		}
		free(err);
		json_decref(j);
		fix_plan_free(plan);
	}
	tls_profile_free(prof);
}

/*
 * Hostile but well-formed reports: wrong types, huge strings, control
 * bytes, too many findings.  The plan is still made, bounded, and the
 * script is clean.
 */

static json_t *
hostile_report(size_t nfindings)
{
	json_t *r = json_object(), *f = json_array(), *t = json_array();
	json_t *h, *a, *addr;
	char *big = malloc(1024 * 1024 + 1);
	size_t i;

	memset(big, 'A', 1024 * 1024);
	big[1024 * 1024] = '\0';
	big[10] = '\n';
	big[20] = '\'';
	big[30] = '\x1b';
	json_object_set_new(r, "command", json_string("check"));
	json_object_set_new(r, "profile", json_string("gmail\n; reboot"));
	/* A target whose address has wrong-typed members. */
	addr = json_object();
	json_object_set_new(addr, "address", json_string("192.0.2.1"));
	json_object_set_new(addr, "ptr", json_string("not an object"));
	json_object_set_new(addr, "dnsbl", json_object());
	json_object_set_new(addr, "smtp", json_array());
	a = json_array();
	json_array_append_new(a, addr);
	json_array_append_new(a, json_integer(5));
	h = json_object();
	json_object_set_new(h, "name", json_string("mx.example.com'; rm -rf /"));
	json_object_set_new(h, "addresses", a);
	json_array_append_new(t, json_pack("{s:s, s:[o, i]}", "target", big,
	    "hosts", h, 3));
	json_object_set_new(r, "targets", t);
	json_object_set_new(r, "sending_ips", json_string("x"));
	json_array_append_new(f, json_pack("{s:i, s:s}", "id", 7, "message", "id is a number"));
	json_array_append_new(f, json_pack("{s:s, s:[], s:{}}", "id", "ptr.missing", "severity", "host"));
	json_array_append_new(f, json_pack("{s:s, s:s, s:s, s:s}", "id", "ptr.missing",
	    "address", "192.0.2.1", "evidence", big, "message", big));
	json_array_append_new(f, json_pack("{s:s, s:s, s:s}", "id", "ptr.generic",
	    "address", "not an address'\n", "message", "bad address"));
	json_array_append_new(f, json_pack("{s:s, s:s, s:s}", "id", "dnsbl.listed",
	    "address", "192.0.2.1", "message", "listed on evil.example'; reboot"));
	json_array_append_new(f, json_pack("{s:s, s:s, s:s}", "id", "cert.expired",
	    "host", "x\n; reboot", "evidence", "/etc/x'$(reboot): notAfter"));
	json_array_append_new(f, json_pack("{s:s, s:s, s:s}", "id", "config.invalid",
	    "host", "server", "evidence", "smtpd_tls_loglevel = 'x'"));
	json_array_append_new(f, json_pack("{s:s, s:s, s:s}", "id", "cipher.no_overlap",
	    "address", "192.0.2.1", "host", "mx"));
	json_array_append_new(f, json_null());
	for (i = 0; i < nfindings; i++)
		json_array_append_new(f, json_pack("{s:s, s:s, s:s}", "id",
		    "tls.sslv3", "severity", "error", "message", "again"));
	json_object_set_new(r, "findings", f);
	free(big);
	return r;
}

static void
test_hostile_report(void **state)
{
	struct tls_profile *prof = profile("microsoft");
	struct fix_opts o = { AUDIT_POSTFIX, prof, NULL, NULL, false };
	struct fix_plan *plan = fix_plan_new(&o);
	json_t *r = hostile_report(FIX_FINDINGS_MAX + 500);
	char *err = NULL, *out;
	size_t i;

	(void)state;
	assert_int_equal(fix_from_report(plan, &o, r, &err), 0);
	/* Bounded: the extra findings are counted, not read. */
	for (i = 0; i < plan->notes.n; i++)
		if (strstr(plan->notes.v[i], "more were not") != NULL)
			break;
	assert_true(i < plan->notes.n);
	for (i = 0; i < plan->nitems; i++) {
		const struct fix_item *it = &plan->items[i];

		assert_true(it->value == NULL ||
		    strlen(it->value) < 8 * FIX_STR_MAX);
	}
	out = render(plan);
	assert_clean(out);
	assert_lines_known(out);
	assert_sh_parses(out);
	/* The hostile host name is never a PTR suggestion. */
	assert_null(strstr(out, "PTR mx.example.com'"));
	free(out);
	free(err);
	json_decref(r);
	fix_plan_free(plan);
	tls_profile_free(prof);
}

/*
 * Golden scripts.
 */

struct full_case {
	const char	*golden;
	const char	*profile;
	const char	*version;	/* --mta-version, or NULL */
	const char	*config_dir;
};

static const struct full_case full_cases[] = {
	{ "postfix-full-microsoft.sh", "microsoft", NULL, NULL },
	{ "postfix-full-microsoft-3.7.sh", "microsoft", "3.7.11", "/etc/postfix-out" },
	{ "postfix-full-microsoft-3.3.sh", "microsoft", "3.3.0", NULL },
	{ "postfix-full-gmail.sh", "gmail", "3.6.4", NULL },
	{ "postfix-full-mozilla-intermediate.sh", "mozilla-intermediate", NULL, NULL },
	{ "postfix-full-mozilla-modern.sh", "mozilla-modern", NULL, NULL },
	{ "postfix-full-mozilla-modern-3.9.sh", "mozilla-modern", "3.9.1", NULL },
};

static void
test_full_golden(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(full_cases) / sizeof(full_cases[0]); i++) {
		const struct full_case *fc = &full_cases[i];
		struct tls_profile *prof = profile(fc->profile);
		struct fix_opts o = { AUDIT_POSTFIX, prof, fc->config_dir,
		    fc->version, false };
		struct fix_plan *plan = fix_plan_new(&o);
		char *out;

		fix_full(plan, &o);
		out = render(plan);
		assert_clean(out);
		assert_lines_known(out);
		assert_sh_parses(out);
		compare_golden(fc->golden, out);
		free(out);
		fix_plan_free(plan);
		tls_profile_free(prof);
	}
}

struct report_golden {
	const char	*golden;
	const char	*fixture;
	const char	*version;
	bool		 info;
};

static const struct report_golden report_goldens[] = {
	{ "postfix-check.sh", "check.json", NULL, false },
	{ "postfix-check-tls.sh", "check-tls.json", NULL, false },
	{ "postfix-check-tls-3.7.sh", "check-tls.json", "3.7.11", true },
	{ "postfix-audit.sh", "audit-postfix.json", NULL, false },
	{ "postfix-audit-info.sh", "audit-postfix.json", NULL, true },
};

static void
test_report_golden(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(report_goldens) / sizeof(report_goldens[0]);
	    i++) {
		const struct report_golden *rg = &report_goldens[i];
		struct tls_profile *prof = profile("microsoft");
		struct fix_opts o = { AUDIT_POSTFIX, prof, NULL, rg->version,
		    rg->info };
		struct fix_plan *plan = fix_plan_new(&o);
		json_t *r = fixture(rg->fixture);
		char *err = NULL, *out;

		if (fix_from_report(plan, &o, r, &err) != 0)
			fail_msg("%s: %s", rg->fixture, err);
		out = render(plan);
		assert_clean(out);
		assert_lines_known(out);
		assert_sh_parses(out);
		compare_golden(rg->golden, out);
		free(out);
		json_decref(r);
		fix_plan_free(plan);
		tls_profile_free(prof);
	}
}

/* The audit report's facts reach the plan: the version from the report
 * picks the syntax, master.cf overrides are edited where they are. */
static void
test_audit_plan(void **state)
{
	struct tls_profile *prof = profile("microsoft");
	struct fix_opts o = { AUDIT_POSTFIX, prof, NULL, NULL, false };
	struct fix_plan *plan = fix_plan_new(&o);
	json_t *r = fixture("audit-postfix.json");
	char *err = NULL;
	bool master = false, master_ip = false, excl = false;
	bool kept_submission = true;
	size_t i;

	(void)state;
	assert_int_equal(fix_from_report(plan, &o, r, &err), 0);
	assert_string_equal(plan->mta_version, "3.5.18");
	assert_string_equal(fix_report_mta(r), "postfix");
	for (i = 0; i < plan->nitems; i++) {
		const struct fix_item *it = &plan->items[i];

		if (it->name == NULL || it->section == NULL)
			continue;
		if (strcmp(it->section, "smtp/inet") == 0 &&
		    strcmp(it->name, "smtpd_tls_protocols") == 0) {
			assert_int_equal(it->kind, FIX_SET);
			assert_string_equal(it->value, "!SSLv2,!SSLv3,!TLSv1,!TLSv1.1");
			master = true;
		}
		if (strcmp(it->section, "192.0.2.1:25/inet") == 0 &&
		    strcmp(it->name, "smtpd_tls_protocols") == 0)
			master_ip = true;
		if (strcmp(it->name, "smtp_tls_exclude_ciphers") == 0) {
			/* kEECDH removed the ECDHE-RSA suites; the rest
			 * stays. */
			assert_string_equal(it->value, "aNULL, kRSA, MD5");
			excl = true;
		}
		if (strcmp(it->section, "submission/inet") == 0)
			kept_submission = false;
	}
	assert_true(master);
	assert_true(master_ip);
	assert_true(excl);
	assert_true(kept_submission);
	json_decref(r);
	fix_plan_free(plan);
	tls_profile_free(prof);
}

/*
 * Shell quoting: values with quotes, $(), backquotes and newlines.
 */

static const char *const hostile_values[] = {
	"it's",
	"'; touch /tmp/mxd-fix-pwned; '",
	"$(touch /tmp/mxd-fix-pwned)",
	"`touch /tmp/mxd-fix-pwned`",
	"a\\b \"c\" $HOME",
	"''''",
};

static void
test_quoting(void **state)
{
	struct fix_opts o = { AUDIT_POSTFIX, NULL, "/etc/post'fix", "3.7.0", false };
	struct fix_plan *plan = fix_plan_new(&o);
	char dir[] = "/tmp/mxd-fix-quote-XXXXXX", path[256], cmd[1024];
	char *out, *log;
	size_t i, n = sizeof(hostile_values) / sizeof(hostile_values[0]);
	struct stat st;
	FILE *f;

	(void)state;
	for (i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "test_value_%zu", i);
		fix_add(plan, FIX_SET, "main.cf", name, hostile_values[i],
		    "why with a newline\nrm -rf / and a quote '", "src\n`x`",
		    "finding\n$(x)");
	}
	fix_add(plan, FIX_SET, "smtp/inet", "test_master", "a'b", "w", NULL, NULL);
	fix_add(plan, FIX_UNSET, "smtp/inet", "test_gone", NULL, "w", NULL, NULL);
	/* Not runnable: newline in a value, a bad name, a bad service. */
	fix_add(plan, FIX_SET, "main.cf", "test_newline", "a\nb", "w", NULL, NULL);
	fix_add(plan, FIX_SET, "main.cf", "bad name; reboot", "x", "w", NULL, NULL);
	fix_add(plan, FIX_SET, "smtp/inet; reboot", "test_x", "x", "w", NULL, NULL);
	fix_add(plan, FIX_SET, "smtp/inet", "test_spaces", "a b", "w", NULL, NULL);
	fix_add(plan, FIX_ACTION, NULL, "act", "line one\nrm -rf /\n# x", "w\nx",
	    NULL, NULL);
	fix_add(plan, FIX_FILE, NULL, "f\nreboot", NULL, NULL, NULL, NULL);
	fix_add(plan, FIX_FILE, NULL, "g", "cmd\nreboot", "w", NULL, NULL);
	strvec_add(&plan->notes, "a note\nreboot");
	strvec_add(&plan->untouched, "x: y\n$(reboot)");
	out = render(plan);
	assert_clean(out);
	assert_lines_known(out);
	assert_sh_parses(out);
	assert_non_null(strstr(out, "# SKIPPED"));
	assert_null(strstr(out, "\nrm -rf"));
	assert_null(strstr(out, "\nreboot"));

	/* Run it with stand-ins for postconf and postfix that record their
	 * arguments one per line. */
	assert_non_null(mkdtemp(dir));
	unlink("/tmp/mxd-fix-pwned");
	snprintf(path, sizeof(path), "%s/postconf", dir);
	f = fopen(path, "w");
	fprintf(f, "#!/bin/sh\nfor a in \"$@\"; do printf '%%s\\n' \"$a\" "
	    ">> %s/log; done\n", dir);
	fclose(f);
	chmod(path, 0755);
	snprintf(path, sizeof(path), "%s/postfix", dir);
	f = fopen(path, "w");
	fprintf(f, "#!/bin/sh\nprintf 'postfix %%s\\n' \"$*\" >> %s/log\n"
	    "[ \"$3\" != status ]\n", dir);
	fclose(f);
	chmod(path, 0755);
	snprintf(path, sizeof(path), "%s/script.sh", dir);
	write_file(path, out);
	snprintf(cmd, sizeof(cmd), "PATH=%s:$PATH sh %s/script.sh 2>/dev/null",
	    dir, dir);
	assert_int_equal(run_sh(cmd), 0);
	assert_int_not_equal(stat("/tmp/mxd-fix-pwned", &st), 0);
	snprintf(path, sizeof(path), "%s/log", dir);
	log = read_file(path, NULL);
	assert_non_null(log);
	for (i = 0; i < n; i++) {
		char want[256];

		snprintf(want, sizeof(want), "\ntest_value_%zu = %s\n", i,
		    hostile_values[i]);
		if (strstr(log, want) == NULL)
			fail_msg("value %zu did not arrive intact:\n%s", i, log);
	}
	assert_non_null(strstr(log, "\n/etc/post'fix\n"));
	assert_non_null(strstr(log, "\nsmtp/inet/test_master=a'b\n"));
	assert_non_null(strstr(log, "\nsmtp/inet/test_gone\n"));
	assert_null(strstr(log, "test_newline"));
	assert_null(strstr(log, "test_spaces"));
	assert_non_null(strstr(log, "postfix -c /etc/post'fix check"));
	free(log);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	run_sh(cmd);
	free(out);
	fix_plan_free(plan);
}

/* Fixtures cut short and with bytes changed (a fixed seed): never a
 * crash, and whatever is accepted renders a clean script. */
static void
test_mutations(void **state)
{
	static const char *const names[] = { "check.json", "check-tls.json",
	    "audit-postfix.json" };
	const char *dir = getenv("MXD_FIXTURES");
	struct tls_profile *prof = profile("microsoft");
	unsigned seed = 1;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[4096], *orig;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		orig = read_file(path, &len);
		assert_non_null(orig);
		for (k = 0; k < 150; k++) {
			char *doc = malloc(len + 1), *err = NULL, *out;
			size_t n = len;
			struct fix_opts o = { AUDIT_POSTFIX, prof, NULL, NULL,
			    k % 2 == 0 };
			struct fix_plan *plan;
			json_t *j;

			memcpy(doc, orig, len);
			seed = seed * 1103515245u + 12345u;
			if (k % 3 == 0)
				n = (seed >> 8) % len;
			else
				doc[(seed >> 8) % len] = (char)(seed >> 20);
			j = fix_report_parse(doc, n, &err);
			free(err);
			err = NULL;
			if (j != NULL) {
				plan = fix_plan_new(&o);
				if (fix_from_report(plan, &o, j, &err) == 0) {
					out = render(plan);
					assert_clean(out);
					assert_lines_known(out);
					free(out);
				}
				free(err);
				fix_plan_free(plan);
				json_decref(j);
			}
			free(doc);
		}
		free(orig);
	}
	tls_profile_free(prof);
}

/* fix_render_comment: nothing leaves the comment, lines stay short. */
static void
test_comment(void **state)
{
	static const char *const texts[] = {
		"short",
		"a\nb\r\nc\n\n",
		"tab\there and \x1b[2J escape and \xff\xfe bytes",
		"averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword and more",
		"",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *buf = NULL, *line;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_int_equal(fix_render_comment(f, "# ", texts[i]), 0);
		fclose(f);
		assert_clean(buf);
		for (line = buf; *line != '\0';) {
			size_t n = strcspn(line, "\n");

			assert_true(strncmp(line, "# ", 2) == 0);
			assert_true(n <= 78);
			line += n + (line[n] == '\n');
		}
		free(buf);
	}
}

/* fix_add: one value per setting, findings merged, actions keyed. */
static void
test_plan_add(void **state)
{
	struct fix_opts o = { AUDIT_POSTFIX, NULL, NULL, NULL, false };
	struct fix_plan *p = fix_plan_new(&o);

	(void)state;
	fix_add(p, FIX_SET, "main.cf", "a", "1", "w1", NULL, "x.one");
	fix_add(p, FIX_SET, "main.cf", "a", "2", "w2", NULL, "x.two");
	fix_add(p, FIX_UNSET, "main.cf", "a", NULL, "w3", NULL, "x.one");
	fix_add(p, FIX_SET, "smtp/inet", "a", "3", "w", NULL, NULL);
	fix_add(p, FIX_ACTION, NULL, "k", "do this", "w", NULL, "y.one");
	fix_add(p, FIX_ACTION, NULL, "k", "do that", "w", NULL, "y.two");
	fix_add(p, FIX_ACTION, NULL, NULL, "same", "w", NULL, "z.one");
	fix_add(p, FIX_ACTION, NULL, NULL, "same", "w", NULL, "z.two");
	assert_int_equal(p->nitems, 4);
	assert_int_equal(p->items[0].kind, FIX_UNSET);
	assert_string_equal(p->items[0].finding, "x.one, x.two");
	assert_string_equal(p->items[2].value, "do that");
	assert_string_equal(p->items[2].finding, "y.one, y.two");
	assert_string_equal(p->items[3].finding, "z.one, z.two");
	fix_plan_free(p);
	fix_plan_free(NULL);
}

static void
test_version(void **state)
{
	static const struct { const char *v; int maj, min; bool want; } t[] = {
		{ "3.7.11", 3, 6, true }, { "3.6", 3, 6, true },
		{ "3.5.18", 3, 6, false }, { "Postfix 3.10.1", 3, 6, true },
		{ "2.11.3", 3, 4, false }, { "4.97", 4, 94, true },
		{ "", 3, 6, false }, { "x", 3, 6, false },
		{ "99999999999999999999", 3, 6, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fix_opts o = { AUDIT_POSTFIX, NULL, NULL, t[i].v, false };
		struct fix_plan *p = fix_plan_new(&o);

		if (fix_version_at_least(p, t[i].maj, t[i].min) != t[i].want)
			fail_msg("%s >= %d.%d: want %d", t[i].v, t[i].maj,
			    t[i].min, t[i].want);
		fix_plan_free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_report_kinds),
		cmocka_unit_test(test_hostile_report),
		cmocka_unit_test(test_full_golden),
		cmocka_unit_test(test_report_golden),
		cmocka_unit_test(test_audit_plan),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_comment),
		cmocka_unit_test(test_plan_add),
		cmocka_unit_test(test_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
