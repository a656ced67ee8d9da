/* test_patterns: the data file loads, every pattern compiles for both engines, matches its example, names real findings; the loader refuses bad files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "check/catalogue.h"
#include "helpers.h"

static void
test_loads(void **state)
{
	const struct explain_patterns *ps = test_patterns();
	size_t i, used[64] = { 0 };

	/* Issue 4 asks for at least 80. */
	assert_true(explain_patterns_count(ps) >= 80);
	assert_true(explain_patterns_nsuspects(ps) > 0);
	/* Every cause of the contract is described, and every one is used. */
	for (i = 0; i < explain_patterns_ncauses(ps); i++)
		if (explain_patterns_cause(ps, i) == NULL)
			fail_msg("cause %zu not described", i);
	for (i = 0; i < explain_patterns_count(ps); i++) {
		const struct explain_pattern *p = explain_patterns_get(ps, i);
		size_t c;

		for (c = 0; c < explain_patterns_ncauses(ps); c++)
			if (explain_patterns_cause(ps, c) == p->cause)
				used[c]++;
	}
	for (i = 0; i < explain_patterns_ncauses(ps); i++)
		if (used[i] == 0)
			fail_msg("no pattern for cause %s", explain_patterns_cause(ps, i)->name);
}

/* Every regex means the same to grep -E (the bench) as to the matcher:
 * it compiles as POSIX ERE too. */
static void
test_ere_compiles(void **state)
{
	const struct explain_patterns *ps = test_patterns();
	size_t i, n = explain_patterns_count(ps) + explain_patterns_nsuspects(ps);
	regex_t re;

	for (i = 0; i < n; i++) {
		const char *s = i < explain_patterns_count(ps) ?
		    explain_patterns_get(ps, i)->regex :
		    explain_patterns_suspect(ps, i - explain_patterns_count(ps));
		int rc = regcomp(&re, s, REG_EXTENDED | REG_ICASE | REG_NOSUB);

		if (rc != 0)
			fail_msg("ERE refuses %s", s);
		regfree(&re);
	}
}

/* Each example, alone, is a failure of the pattern's cause (or, for info
 * patterns, an info line), and its ERE matches it too. */
static void
test_examples(void **state)
{
	const struct explain_patterns *ps = test_patterns();
	size_t i, with = 0;

	for (i = 0; i < explain_patterns_count(ps); i++) {
		const struct explain_pattern *p = explain_patterns_get(ps, i);
		struct explain_result *r;
		regex_t re;

		if (p->example == NULL)
			continue;
		with++;
		assert_int_equal(regcomp(&re, p->regex, REG_EXTENDED | REG_ICASE | REG_NOSUB), 0);
		if (regexec(&re, p->example, 0, NULL, 0) != 0)
			fail_msg("%s: its ERE does not match its example", p->id);
		regfree(&re);
		r = test_explain_str(p->example);
		if (p->info) {
			if (r->info_lines != 1 || r->failures != 0)
				fail_msg("%s: example not an info line", p->id);
		} else if (r->ngroups != 1 || r->groups[0].cause != p->cause) {
			fail_msg("%s: example gives %s, want %s", p->id,
			    r->ngroups ? r->groups[0].cause->name : "nothing", p->cause->name);
		}
		explain_result_free(r);
	}
	/* Every pattern carries a real example line. */
	assert_int_equal(with, explain_patterns_count(ps));
}

/* The fix hints point at findings `mxdoctor check` really has. */
static void
test_findings_exist(void **state)
{
	const struct explain_patterns *ps = test_patterns();
	size_t i, j;

	for (i = 0; i < explain_patterns_count(ps); i++) {
		const struct explain_pattern *p = explain_patterns_get(ps, i);

		for (j = 0; p->findings != NULL && p->findings[j] != NULL; j++)
			if (catalogue_find(p->findings[j]) == NULL)
				fail_msg("%s: no finding %s", p->id, p->findings[j]);
	}
}

struct regex_case {
	const char	*re;
	int		 ok;
};

static const struct regex_case regex_cases[] = {
	{ "no shared cipher", 1 },
	{ "tlsv1 alert (bad certificate|unknown ca)", 1 },
	{ "SSL_connect error to [^ ]+: lost connection", 1 },
	{ "[45]\\.7\\.25([^0-9]|$)", 1 },
	{ "\\(S3140\\)|part of their network", 1 },
	{ "^From [^ ]+ x", 1 },
	{ "abc+", 1 },
	{ "ab(c)?d{1,2}efg", 1 },
	{ "", 0 },
	{ "ab", 0 },				/* no 3-byte literal */
	{ "abc|de", 0 },			/* a branch without one */
	{ "(abc|def)", 0 },			/* literals only inside a group */
	{ "a?b?c?d?", 0 },
	{ "\\d+ errors", 0 },			/* PCRE only */
	{ "(?i)error", 0 },
	{ "error[\\]]", 0 },			/* backslash in brackets */
	{ "error[[:space:]]", 0 },
	{ "err{or", 0 },
	{ "error*+", 0 },			/* possessive in PCRE */
	{ "error+?", 0 },			/* lazy in PCRE */
	{ "err|", 0 },
	{ "error|", 0 },
	{ "|error", 0 },
	{ "error$x", 0 },
	{ "x^error", 0 },
	{ "(error", 0 },
	{ "error)", 0 },
	{ "[]error]", 0 },
	{ "[^]error]", 0 },
	{ "error[abc", 0 },
	{ "*error", 0 },
	{ "caf\xc3\xa9 error", 0 },		/* non-ASCII */
	{ "error\\", 0 },
};

static void
test_regex_check(void **state)
{
	char err[160];
	size_t i;

	for (i = 0; i < sizeof(regex_cases) / sizeof(regex_cases[0]); i++) {
		int rc = explain_regex_check(regex_cases[i].re, err, sizeof(err));

		if ((rc == 0) != (regex_cases[i].ok != 0))
			fail_msg("'%s': want %s, got %s (%s)", regex_cases[i].re,
			    regex_cases[i].ok ? "ok" : "refused", rc == 0 ? "ok" : "refused",
			    rc == 0 ? "" : err);
	}
}

#define CAUSE_OK "cause: other\ntitle: T\nconfirm: none\nexplain: E\nfix: F\n\n"
#define PAT_OK "pattern: p1\nregex: abcd\ncause: other\npriority: 10\nsource: S\n"

struct file_case {
	const char	*text;
	const char	*err;		/* expected in the message; NULL: loads */
};

static const struct file_case file_cases[] = {
	{ CAUSE_OK PAT_OK, NULL },
	{ CAUSE_OK PAT_OK "example: xx abcd yy\n\nsuspect: error\nsuspect: fail\n", NULL },
	{ "# only a comment\n", "no patterns" },
	{ CAUSE_OK, "no patterns" },
	{ PAT_OK, "not described above it" },
	{ "cause: bogus\ntitle: T\nconfirm: none\nexplain: E\nfix: F\n\n" PAT_OK, "not one of the causes" },
	{ CAUSE_OK CAUSE_OK PAT_OK, "described twice" },
	{ "cause: other\ntitle: T\nexplain: E\nfix: F\n\n" PAT_OK, "needs confirm" },
	{ "cause: other\ntitle: T\nconfirm: maybe\nexplain: E\nfix: F\n\n" PAT_OK, "unknown value" },
	{ "cause: other\nconfirm: none\nexplain: E\nfix: F\n\n" PAT_OK, "needs title" },
	{ CAUSE_OK "pattern: p1\nregex: abcd\ncause: other\nsource: S\n", "priority must be" },
	{ CAUSE_OK "pattern: p1\nregex: abcd\ncause: other\npriority: 101\nsource: S\n", "priority must be" },
	{ CAUSE_OK "pattern: p1\nregex: ab\ncause: other\npriority: 10\nsource: S\n", "literal" },
	{ CAUSE_OK "pattern: p1\ncause: other\npriority: 10\nsource: S\n", "needs regex" },
	{ CAUSE_OK PAT_OK "\n" PAT_OK, "used twice" },
	{ CAUSE_OK "pattern: P 1\nregex: abcd\ncause: other\npriority: 10\nsource: S\n", "pattern id" },
	{ CAUSE_OK PAT_OK "colour: red\n", "unknown or repeated key" },
	{ CAUSE_OK PAT_OK "side: up\n", "unknown value" },
	{ CAUSE_OK PAT_OK "direction: sideways\n", "unknown value" },
	{ CAUSE_OK PAT_OK "severity: fatal\n", "unknown value" },
	{ CAUSE_OK PAT_OK "findings: cert.expired Bad!\n", "not a finding id" },
	{ CAUSE_OK PAT_OK "\nsuspect: ab\n", "literal" },
	{ CAUSE_OK PAT_OK "\nsuspect: abc\nregex: abcd\n", "only suspect" },
	{ "  indented first\n", "continuation line outside" },
	{ "no colon here\n", "expected 'key: value'" },
	{ "kind: x\n", "a record starts with" },
	{ CAUSE_OK PAT_OK "explain:\n", "empty value" },
	{ CAUSE_OK PAT_OK "explain: caf\xc3\xa9\n", "printable ASCII" },
};

static void
test_file_errors(void **state)
{
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(file_cases) / sizeof(file_cases[0]); i++) {
		struct explain_patterns *ps;

		err[0] = '\0';
		ps = explain_patterns_parse(file_cases[i].text, "t.txt", err, sizeof(err));
		if (file_cases[i].err == NULL) {
			if (ps == NULL)
				fail_msg("case %zu refused: %s", i, err);
		} else if (ps != NULL || strstr(err, file_cases[i].err) == NULL) {
			fail_msg("case %zu: want an error with '%s', got '%s'", i,
			    file_cases[i].err, ps ? "(loaded)" : err);
		}
		explain_patterns_free(ps);
	}
}

/* Continuation lines join with one space; the cause's texts are the
 * default of a pattern's. */
static void
test_file_values(void **state)
{
	const char *text = CAUSE_OK PAT_OK "explain: first\n  second\n\tthird\n";
	char err[256];
	struct explain_patterns *ps = explain_patterns_parse(text, "t.txt", err, sizeof(err));
	const struct explain_pattern *p;

	assert_non_null(ps);
	p = explain_patterns_get(ps, 0);
	assert_string_equal(p->explain, "first second third");
	assert_string_equal(p->fix, "F");
	assert_int_equal(p->side, SIDE_EITHER);
	assert_int_equal(p->direction, DIR_UNKNOWN);
	assert_false(p->info);
	explain_patterns_free(ps);
}

static void
test_missing_file(void **state)
{
	char err[256];

	assert_null(explain_patterns_load("/nonexistent/explain-patterns.txt", err,
	    sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads),
		cmocka_unit_test(test_ere_compiles),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_findings_exist),
		cmocka_unit_test(test_regex_check),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_file_values),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
