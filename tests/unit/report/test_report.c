/* test_report: the text and JSON renderers against golden files, and the findings catalogue page.
 *
 * Golden files live in tests/unit/report/golden/ and must match byte for
 * byte.  After an intended change to the output, regenerate them with
 *	MXD_UPDATE_GOLDEN=1 meson test -C build --suite report
 * and review the diff before committing.  The same run rewrites
 * docs/findings.md (or: build/src/report/mxd-gen-findings docs/findings.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/catalogue.h"
#include "report/report.h"
#include "util/xalloc.h"
#include "fixture.h"

enum render_kind {
	RENDER_TEXT,
	RENDER_TEXT_COLOR,
	RENDER_TEXT_VERBOSE,
	RENDER_JSON,
	RENDER_CATALOGUE
};

/* render: the output of one renderer as a malloc'd string. */
static char *
render(const struct report *r, enum render_kind kind)
{
	struct report_text_opts o = { false, false };
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	int rc;

	assert_non_null(fp);
	o.color = kind == RENDER_TEXT_COLOR;
	o.verbose = kind == RENDER_TEXT_VERBOSE;
	if (kind == RENDER_JSON)
		rc = report_render_json(r, fp);
	else if (kind == RENDER_CATALOGUE)
		rc = report_render_catalogue(fp);
	else
		rc = report_render_text(r, &o, fp);
	assert_int_equal(rc, 0);
	assert_int_equal(fclose(fp), 0);
	return s;
}

static char *
read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char buf[4096];
	char *s = NULL;
	size_t len = 0, n;
	FILE *mem;

	if (fp == NULL)
		return NULL;
	mem = open_memstream(&s, &len);
	assert_non_null(mem);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		assert_int_equal(fwrite(buf, 1, n, mem), n);
	assert_int_equal(ferror(fp), 0);
	fclose(fp);
	assert_int_equal(fclose(mem), 0);
	return s;
}

static void
write_file(const char *path, const char *s)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fputs(s, fp) == EOF || fclose(fp) == EOF)
		fail_msg("cannot write %s", path);
}

/* first_difference: line number of the first difference, for the message. */
static int
first_difference(const char *a, const char *b)
{
	int line = 1;

	for (; *a != '\0' && *a == *b; a++, b++)
		if (*a == '\n')
			line++;
	return line;
}

/* compare_golden: got must equal the file path byte for byte; with
 * MXD_UPDATE_GOLDEN=1 the file is rewritten instead. */
static void
compare_golden(const char *path, const char *got, const char *how)
{
	const char *update = getenv("MXD_UPDATE_GOLDEN");
	char *want;

	if (update != NULL && strcmp(update, "1") == 0) {
		write_file(path, got);
		return;
	}
	want = read_file(path);
	if (want == NULL)
		fail_msg("%s is missing; %s", path, how);
	if (strcmp(want, got) != 0) {
		fprintf(stderr, "---- got ----\n%s---- end ----\n", got);
		fail_msg("%s differs from the output at line %d; %s", path,
		    first_difference(want, got), how);
	}
	free(want);
}

static void
golden(const char *name, enum render_kind kind)
{
	const char *dir = getenv("MXD_GOLDEN_DIR");
	struct report *r = fixture_report();
	char path[4096];
	char *got;

	if (dir == NULL)
		fail_msg("MXD_GOLDEN_DIR is not set: run through meson test");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	got = render(r, kind);
	compare_golden(path, got, "if the change is intended, run "
	    "MXD_UPDATE_GOLDEN=1 meson test -C BUILDDIR --suite report "
	    "and review the diff");
	free(got);
	report_free(r);
}

static void
test_text_golden(void **state)
{
	golden("report.txt", RENDER_TEXT);
}

static void
test_text_color_golden(void **state)
{
	golden("report-color.txt", RENDER_TEXT_COLOR);
}

static void
test_text_verbose_golden(void **state)
{
	golden("report-verbose.txt", RENDER_TEXT_VERBOSE);
}

static void
test_json_golden(void **state)
{
	golden("report.json", RENDER_JSON);
}

/* No byte the terminal could act on: only '\n' below 0x20, nothing at or
 * above 0x7f except our own em dash, and ESC only in our SGR sequences. */
static void
assert_terminal_safe(const char *s, bool color)
{
	static const char *sgr[] = { "\033[31m", "\033[33m", "\033[36m",
	    "\033[0m" };
	const char *dash = "\u2014";
	size_t i;

	while (*s != '\0') {
		unsigned char c = (unsigned char)*s;

		if (c == '\033' && color) {
			for (i = 0; i < 4; i++)
				if (strncmp(s, sgr[i], strlen(sgr[i])) == 0)
					break;
			assert_true(i < 4);
			s += strlen(sgr[i]);
			continue;
		}
		if (c >= 0x80) {
			assert_memory_equal(s, dash, strlen(dash));
			s += strlen(dash);
			continue;
		}
		assert_true(c == '\n' || (c >= 0x20 && c < 0x7f));
		s++;
	}
}

static void
test_text_guard(void **state)
{
	struct report *r = fixture_report();
	char *plain = render(r, RENDER_TEXT);
	char *color = render(r, RENDER_TEXT_COLOR);
	char *verbose = render(r, RENDER_TEXT_VERBOSE);

	assert_terminal_safe(plain, false);
	assert_terminal_safe(verbose, false);
	assert_terminal_safe(color, true);
	/* The raw ESC of the fixture became '?'; escapes stay as they were. */
	assert_non_null(strstr(plain, "token \"dyn\"?[2J"));
	assert_non_null(strstr(verbose, "\\x1b[31mready\\x1b[0m"));
	assert_non_null(strstr(color, "\033[31mERROR\033[0m"));
	assert_non_null(strstr(color, "\033[33mWARN\033[0m"));
	assert_non_null(strstr(color, "\033[36mINFO\033[0m"));
	free(plain);
	free(color);
	free(verbose);
	report_free(r);
}

/* count: occurrences of needle in s. */
static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Every line fits 80 columns, unless it is the indent, at most a short
 * label or tag, and one word too long to fit anywhere. */
static void
assert_wrapped(const char *s)
{
	while (*s != '\0') {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *line = xstrndup(s, len);
		char *p = line + strspn(line, " ");
		size_t first = strcspn(p, " ");

		if (len > 80) {
			p += first;
			if (*p == ' ') {
				assert_true(first <= 13);
				p += strspn(p, " ");
				assert_null(strchr(p, ' '));
			}
		}
		free(line);
		s += len + (nl != NULL);
	}
}

/* unwrap: s with every line break and the indent after it turned into
 * one space, in place. */
static char *
unwrap(char *s)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (*r == '\n') {
			*w++ = ' ';
			r += 1 + strspn(r + 1, " ");
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return s;
}

static void
test_text_wrap(void **state)
{
	static const char msg[] = "A long message that must be wrapped "
	    "because it goes on and on about the server's greeting, which "
	    "never came, so that the line is much longer than eighty columns";
	struct report *r = fixture_empty();
	char word[121];
	char *out;

	memset(word, 'x', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	report_add_finding(r, "smtp.greeting_failed", SEV_ERROR, NULL,
	    "192.0.2.1", 25, word, NULL, "%s", msg);
	out = render(r, RENDER_TEXT);
	assert_wrapped(out);
	/* The long word is printed whole. */
	assert_non_null(strstr(out, word));
	/* Wrapping only moved words: joined up again, the text is whole. */
	assert_non_null(strstr(unwrap(out), msg));
	free(out);
	report_free(r);
}

/* A header naming too many targets ends in "..." and still wraps. */
static void
test_text_header_cut(void **state)
{
	struct report *r = fixture_empty();
	char *out, *first;
	size_t i;

	r->ntargets = 100;
	r->targets = xcalloc(r->ntargets, sizeof(*r->targets));
	for (i = 0; i < r->ntargets; i++) {
		r->targets[i].target = xasprintf("domain-%03zu.example", i);
		r->targets[i].domain = xstrdup(r->targets[i].target);
		r->targets[i].port = 25;
	}
	out = render(r, RENDER_TEXT);
	assert_wrapped(out);
	first = unwrap(xstrndup(out, strstr(out, "\ntook") ?
	    (size_t)(strstr(out, "\ntook") - out) : strlen(out)));
	assert_non_null(strstr(first, "domain-000.example, domain-001.example"));
	assert_null(strstr(first, "domain-099.example"));
	assert_int_equal(strcmp(first + strlen(first) - 3, "..."), 0);
	free(first);
	free(out);
	report_free(r);
}

/* A finding that concerns no place shown is still printed, once. */
static void
test_text_leftovers(void **state)
{
	struct report *r = fixture_report();
	char *out;
	const char *other;

	report_add_finding(r, "smtp.rate_limited", SEV_WARNING,
	    "elsewhere.example", "203.0.113.9", 25, "421 4.7.0 slow down",
	    NULL, "%s", "Rate limited");
	out = render(r, RENDER_TEXT);
	other = strstr(out, "\nOther findings\n  elsewhere.example "
	    "203.0.113.9\n    WARN   Rate limited [smtp.rate_limited]\n");
	assert_non_null(other);
	assert_int_equal(count(out, "[smtp.rate_limited]"), 1);
	free(out);
	report_free(r);
}

/* Every finding appears exactly once in the text report. */
static void
test_text_each_finding_once(void **state)
{
	struct report *r = fixture_report();
	char *out = render(r, RENDER_TEXT);
	char tag[128];
	size_t i, j, want;

	for (i = 0; i < r->nfindings; i++) {
		snprintf(tag, sizeof(tag), "[%s]", r->findings[i].id);
		for (want = 0, j = 0; j < r->nfindings; j++)
			if (strcmp(r->findings[j].id, r->findings[i].id) == 0)
				want++;
		assert_int_equal(count(out, tag), want);
	}
	free(out);
	report_free(r);
}

static void
test_text_summary(void **state)
{
	struct report *r = fixture_report();
	char *out = render(r, RENDER_TEXT);

	assert_non_null(strstr(out, "\n5 errors, 7 warnings, 1 note \u2014 "
	    "exit status 2\nWhat to do first, for "));
	free(out);
	report_free(r);

	r = fixture_empty();
	out = render(r, RENDER_TEXT);
	assert_non_null(strstr(out, "\n0 errors, 0 warnings, 0 notes \u2014 "
	    "exit status 0\n"));
	assert_null(strstr(out, "What to do first"));
	free(out);
	r->incomplete = true;
	r->incomplete_why = xstrdup("the resolver did not answer");
	out = render(r, RENDER_TEXT);
	assert_non_null(strstr(out, "The check is incomplete: the resolver "
	    "did not answer."));
	assert_non_null(strstr(out, "exit status 3\n"));
	free(out);
	report_free(r);
}

static json_t *
parse(const char *s)
{
	json_error_t err;
	json_t *doc = json_loads(s, JSON_REJECT_DUPLICATES, &err);

	if (doc == NULL)
		fail_msg("JSON does not parse: line %d: %s", err.line, err.text);
	return doc;
}

static json_t *
path(json_t *v, const char *p)
{
	char key[64];
	size_t n;

	while (*p != '\0') {
		n = strcspn(p, ".");
		assert_true(n < sizeof(key));
		memcpy(key, p, n);
		key[n] = '\0';
		if (key[0] >= '0' && key[0] <= '9')
			v = json_array_get(v, strtoul(key, NULL, 10));
		else
			v = json_object_get(v, key);
		if (v == NULL)
			fail_msg("no %s in the JSON document", p);
		p += n + (p[n] == '.');
	}
	return v;
}

static void
assert_jstr(json_t *doc, const char *p, const char *want)
{
	json_t *v = path(doc, p);

	if (!json_is_string(v))
		fail_msg("%s is not a string", p);
	assert_string_equal(json_string_value(v), want);
}

static void
assert_jint(json_t *doc, const char *p, long long want)
{
	json_t *v = path(doc, p);

	if (!json_is_integer(v))
		fail_msg("%s is not an integer", p);
	assert_int_equal(json_integer_value(v), want);
}

static void
assert_jtype(json_t *doc, const char *p, json_type want)
{
	if (json_typeof(path(doc, p)) != want)
		fail_msg("%s has type %d, not %d", p,
		    (int)json_typeof(path(doc, p)), (int)want);
}

static void
test_json_parse_back(void **state)
{
	struct report *r = fixture_report();
	char *out = render(r, RENDER_JSON);
	json_t *doc = parse(out);

	assert_jstr(doc, "mxdoctor.version", "0.1.0");
	assert_jint(doc, "mxdoctor.schema", 1);
	assert_jstr(doc, "profile", "microsoft");
	assert_jstr(doc, "started", "2026-01-01T00:00:00Z");
	assert_jint(doc, "elapsed_ms", 4210);
	assert_jtype(doc, "options.resolver", JSON_NULL);
	assert_jint(doc, "options.timeout_ms", 10000);
	assert_jint(doc, "summary.errors", 5);
	assert_jint(doc, "summary.warnings", 7);
	assert_jint(doc, "summary.infos", 1);
	assert_jint(doc, "summary.exit_status", 2);
	assert_jtype(doc, "summary.incomplete", JSON_FALSE);
	assert_jtype(doc, "summary.incomplete_reason", JSON_NULL);
	assert_jstr(doc, "targets.0.kind", "domain");
	assert_jstr(doc, "targets.0.mx_status", "ok");
	assert_jtype(doc, "targets.1.null_mx", JSON_TRUE);
	assert_jint(doc, "targets.0.hosts.1.preference", 20);
	assert_jstr(doc, "targets.0.hosts.1.aaaa_status", "timeout");
	assert_jstr(doc, "targets.0.hosts.0.addresses.0.family", "ipv4");
	assert_jstr(doc, "targets.0.hosts.0.addresses.1.family", "ipv6");
	assert_jstr(doc, "targets.0.hosts.0.addresses.0.tls.version", "TLSv1.3");
	assert_jtype(doc, "targets.0.hosts.0.addresses.0.tls.certificate.trusted",
	    JSON_TRUE);
	assert_jint(doc, "targets.0.hosts.0.addresses.1.tls.certificate."
	    "days_left", -45);
	assert_jstr(doc, "targets.0.hosts.0.addresses.1.dnsbl.0.verdict",
	    "listed");
	/* The connection failure: no greeting, no TLS. */
	assert_jtype(doc, "targets.0.hosts.1.addresses.0.smtp.greeting_code",
	    JSON_NULL);
	assert_jtype(doc, "targets.0.hosts.1.addresses.0.tls", JSON_NULL);
	assert_jstr(doc, "targets.0.hosts.1.addresses.0.smtp.error.step",
	    "connect");
	assert_jtype(doc, "targets.0.hosts.1.addresses.0.smtp.error.code",
	    JSON_NULL);
	/* The address literal: nothing looked up, no MX. */
	assert_jtype(doc, "targets.2.domain", JSON_NULL);
	assert_jtype(doc, "targets.2.mx_status", JSON_NULL);
	assert_jstr(doc, "targets.2.mode", "implicit_tls");
	assert_jtype(doc, "targets.2.hosts.0.name", JSON_NULL);
	assert_jtype(doc, "targets.2.hosts.0.preference", JSON_NULL);
	assert_jtype(doc, "targets.2.hosts.0.a_status", JSON_NULL);
	assert_jtype(doc, "targets.2.hosts.0.addresses.0.tls.ok", JSON_FALSE);
	assert_jtype(doc, "targets.2.hosts.0.addresses.0.tls.certificate",
	    JSON_NULL);
	assert_jstr(doc, "sending_ips.0.address", "198.51.100.25");
	assert_jstr(doc, "sending_ips.0.ptr.status", "nxdomain");
	assert_int_equal(json_array_size(path(doc, "findings")), 13);
	assert_jstr(doc, "findings.0.severity", "error");
	assert_jstr(doc, "findings.12.severity", "info");
	assert_jstr(doc, "findings.0.id", "tls.handshake_failed");
	assert_jtype(doc, "findings.0.host", JSON_NULL);
	assert_jint(doc, "findings.0.port", 465);
	assert_jstr(doc, "findings.1.address", "198.51.100.25");
	assert_jtype(doc, "findings.1.port", JSON_NULL);
	json_decref(doc);
	free(out);
	report_free(r);
}

/* Escaped text survives exactly; raw control and non-ASCII bytes that
 * break the contract are escaped on the way out, never passed on. */
static void
test_json_escaping(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "plain", "plain" },
		{ "\"quoted\" 'single'", "\"quoted\" 'single'" },
		{ "back\\\\slash \\", "back\\\\slash \\" },
		{ "\\x00\\x1b[31m\\xff\\r\\n", "\\x00\\x1b[31m\\xff\\r\\n" },
		{ "</script>", "</script>" },
		{ "raw \033[2J esc", "raw \\x1b[2J esc" },
		{ "raw\ttab\r\n", "raw\\ttab\\r\\n" },
		{ "bad utf8 \xff\xfe", "bad utf8 \\xff\\xfe" },
		{ "valid utf8 \xc3\xa9", "valid utf8 \\xc3\\xa9" },
		{ "del \x7f", "del \\x7f" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct report *r = fixture_empty();
		char *out;
		json_t *doc;
		const char *p;

		report_add_finding(r, "smtp.greeting_failed", SEV_ERROR,
		    cases[i].in, NULL, 0, cases[i].in, cases[i].in, "%s",
		    cases[i].in);
		out = render(r, RENDER_JSON);
		for (p = out; *p != '\0'; p++)
			assert_true(*p == '\n' ||
			    ((unsigned char)*p >= 0x20 &&
			    (unsigned char)*p < 0x7f));
		doc = parse(out);
		assert_jstr(doc, "findings.0.host", cases[i].out);
		assert_jstr(doc, "findings.0.message", cases[i].out);
		assert_jstr(doc, "findings.0.evidence", cases[i].out);
		assert_jstr(doc, "findings.0.fix", cases[i].out);
		json_decref(doc);
		free(out);
		report_free(r);
	}
}

static void
test_json_empty(void **state)
{
	struct report *r = fixture_empty();
	char *out = render(r, RENDER_JSON);
	json_t *doc = parse(out);

	assert_jtype(doc, "started", JSON_NULL);
	assert_int_equal(json_array_size(path(doc, "targets")), 0);
	assert_int_equal(json_array_size(path(doc, "sending_ips")), 0);
	assert_int_equal(json_array_size(path(doc, "findings")), 0);
	assert_jint(doc, "summary.exit_status", 0);
	json_decref(doc);
	free(out);
	report_free(r);
}

static void
test_write_error(void **state)
{
	struct report_text_opts o = { false, false };
	struct report *r = fixture_report();
	FILE *fp = fopen("/dev/full", "w");

	if (fp == NULL)
		skip();
	assert_int_equal(report_render_text(r, &o, fp), -1);
	clearerr(fp);
	assert_int_equal(report_render_json(r, fp), -1);
	clearerr(fp);
	assert_int_equal(report_render_catalogue(fp), -1);
	fclose(fp);
	report_free(r);
}

/* docs/findings.md is the catalogue as rendered now. */
static void
test_findings_md_current(void **state)
{
	const char *path_md = getenv("MXD_FINDINGS_MD");
	char *got = render(NULL, RENDER_CATALOGUE);

	if (path_md == NULL)
		fail_msg("MXD_FINDINGS_MD is not set: run through meson test");
	compare_golden(path_md, got, "regenerate it: meson compile -C "
	    "BUILDDIR mxd-gen-findings && BUILDDIR/src/report/mxd-gen-findings "
	    "docs/findings.md");
	free(got);
}

static void
test_catalogue_complete(void **state)
{
	const struct catalogue_entry *e;
	char *got = render(NULL, RENDER_CATALOGUE);
	char want[256];
	size_t i, n;

	e = catalogue_all(&n);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "\n## `%s`\n", e[i].id);
		assert_non_null(strstr(got, want));
		snprintf(want, sizeof(want), "\n| [`%s`](#", e[i].id);
		assert_non_null(strstr(got, want));
		assert_non_null(strstr(got, e[i].fix));
		assert_non_null(strstr(got, e[i].source));
	}
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_golden),
		cmocka_unit_test(test_text_color_golden),
		cmocka_unit_test(test_text_verbose_golden),
		cmocka_unit_test(test_json_golden),
		cmocka_unit_test(test_text_guard),
		cmocka_unit_test(test_text_wrap),
		cmocka_unit_test(test_text_header_cut),
		cmocka_unit_test(test_text_leftovers),
		cmocka_unit_test(test_text_each_finding_once),
		cmocka_unit_test(test_text_summary),
		cmocka_unit_test(test_json_parse_back),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_findings_md_current),
		cmocka_unit_test(test_catalogue_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
