/* test_reply: table-driven tests of the SMTP reply parser, EHLO caps and domain. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp/reply.h"
#include "util/str.h"
#include "util/xalloc.h"

/* A line with its length, so that NUL bytes can be part of it. */
struct line {
	const char	*s;
	size_t		 len;
};
#define L(lit)		{ (lit), sizeof(lit) - 1 }
#define MAXLINES	8

struct parse_case {
	const char		*name;
	struct line		 lines[MAXLINES];	/* fed until .s == NULL */
	enum smtp_reply_status	 last;		/* status of the last line */
	int			 code;		/* DONE: expected reply */
	struct line		 text;
	size_t			 nlines;
	const char		*error;		/* ERROR: substring of the message */
};

static const struct parse_case parse_cases[] = {
	{ .name = "single line", .lines = { L("250 ok") },
	  .last = SMTP_REPLY_DONE, .code = 250, .text = L("ok"), .nlines = 1 },
	{ .name = "multi-line", .lines = { L("250-a"), L("250-b b"), L("250 c") },
	  .last = SMTP_REPLY_DONE, .code = 250, .text = L("a\nb b\nc"),
	  .nlines = 3 },
	{ .name = "unfinished multi-line", .lines = { L("220-a"), L("220-b") },
	  .last = SMTP_REPLY_MORE },
	{ .name = "code alone ends a reply", .lines = { L("250") },
	  .last = SMTP_REPLY_DONE, .code = 250, .text = L(""), .nlines = 1 },
	{ .name = "code and space", .lines = { L("250 ") },
	  .last = SMTP_REPLY_DONE, .code = 250, .text = L(""), .nlines = 1 },
	{ .name = "empty continuation text", .lines = { L("250-"), L("250 x") },
	  .last = SMTP_REPLY_DONE, .code = 250, .text = L("\nx"), .nlines = 2 },
	{ .name = "bare code after continuation", .lines = { L("250-a"), L("250") },
	  .last = SMTP_REPLY_DONE, .code = 250, .text = L("a\n"), .nlines = 2 },
	{ .name = "text keeps inner blanks", .lines = { L("554  5.7.1  no ") },
	  .last = SMTP_REPLY_DONE, .code = 554, .text = L(" 5.7.1  no "),
	  .nlines = 1 },
	{ .name = "NUL byte in text", .lines = { L("250 a\0b"), },
	  .last = SMTP_REPLY_DONE, .code = 250, .text = L("a\0b"), .nlines = 1 },
	{ .name = "NUL bytes across lines", .lines = { L("250-\0"), L("250 \0\0") },
	  .last = SMTP_REPLY_DONE, .code = 250, .text = L("\0\n\0\0"),
	  .nlines = 2 },
	{ .name = "CR and 8-bit bytes kept raw", .lines = { L("421 a\rb\xff") },
	  .last = SMTP_REPLY_DONE, .code = 421, .text = L("a\rb\xff"),
	  .nlines = 1 },
	{ .name = "lowest code", .lines = { L("100 x") },
	  .last = SMTP_REPLY_DONE, .code = 100, .text = L("x"), .nlines = 1 },
	{ .name = "highest code", .lines = { L("599 x") },
	  .last = SMTP_REPLY_DONE, .code = 599, .text = L("x"), .nlines = 1 },
	{ .name = "code mismatch", .lines = { L("250-a"), L("251 b") },
	  .last = SMTP_REPLY_ERROR, .error = "code 251, earlier lines 250" },
	{ .name = "code mismatch in continuation", .lines = { L("220-a"),
	  L("250-b"), L("220 c") },
	  .last = SMTP_REPLY_ERROR, .error = "line 2" },
	{ .name = "empty line", .lines = { L("") },
	  .last = SMTP_REPLY_ERROR, .error = "too short" },
	{ .name = "two digits", .lines = { L("25") },
	  .last = SMTP_REPLY_ERROR, .error = "too short" },
	{ .name = "short line in multi-line", .lines = { L("250-a"), L("2") },
	  .last = SMTP_REPLY_ERROR, .error = "line 2: too short" },
	{ .name = "letter in code", .lines = { L("2a0 x") },
	  .last = SMTP_REPLY_ERROR, .error = "not three digits" },
	{ .name = "no code", .lines = { L("ESMTP ready") },
	  .last = SMTP_REPLY_ERROR, .error = "not three digits" },
	{ .name = "leading blank", .lines = { L(" 250 x") },
	  .last = SMTP_REPLY_ERROR, .error = "not three digits" },
	{ .name = "NUL in code", .lines = { L("2\0" "0 x") },
	  .last = SMTP_REPLY_ERROR, .error = "not three digits" },
	{ .name = "TLS record as a reply", .lines = { L("\x16\x03\x01\x00\x2a") },
	  .last = SMTP_REPLY_ERROR, .error = "not three digits" },
	{ .name = "code 000", .lines = { L("000 x") },
	  .last = SMTP_REPLY_ERROR, .error = "out of range" },
	{ .name = "code 099", .lines = { L("099 x") },
	  .last = SMTP_REPLY_ERROR, .error = "099 out of range" },
	{ .name = "code 600", .lines = { L("600 x") },
	  .last = SMTP_REPLY_ERROR, .error = "out of range" },
	{ .name = "code 999", .lines = { L("999-x") },
	  .last = SMTP_REPLY_ERROR, .error = "out of range" },
	{ .name = "four digits", .lines = { L("2500 x") },
	  .last = SMTP_REPLY_ERROR, .error = "no ' ' or '-'" },
	{ .name = "tab after code", .lines = { L("250\tx") },
	  .last = SMTP_REPLY_ERROR, .error = "no ' ' or '-'" },
	{ .name = "line after a complete reply", .lines = { L("250 a"),
	  L("250 b") },
	  .last = SMTP_REPLY_ERROR, .error = "not taken" },
	{ .name = "error is sticky", .lines = { L("xyz"), L("250 ok") },
	  .last = SMTP_REPLY_ERROR, .error = "not three digits" },
};

static void
test_parse(void **state)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new();
	struct smtp_reply r;
	enum smtp_reply_status st;
	size_t i, j;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *tc = &parse_cases[i];

		print_message("parse: %s\n", tc->name);
		smtp_reply_parser_reset(p);
		st = SMTP_REPLY_MORE;
		for (j = 0; j < MAXLINES && tc->lines[j].s != NULL; j++)
			st = smtp_reply_parser_line(p, tc->lines[j].s,
			    tc->lines[j].len);
		assert_int_equal(st, tc->last);
		if (st == SMTP_REPLY_ERROR) {
			assert_non_null(strstr(smtp_reply_parser_error(p),
			    tc->error));
			continue;
		}
		if (st != SMTP_REPLY_DONE)
			continue;
		smtp_reply_parser_take(p, &r);
		assert_int_equal(r.code, tc->code);
		assert_int_equal(r.nlines, tc->nlines);
		assert_int_equal(r.len, tc->text.len);
		assert_memory_equal(r.text, tc->text.s, tc->text.len);
		assert_int_equal(r.text[r.len], '\0');
		smtp_reply_clear(&r);
		assert_null(r.text);
	}
	smtp_reply_parser_free(p);
}

/* A line of n bytes: "250" sep, then 'x's. */
static char *
make_line(size_t n, char sep)
{
	char *s = xmalloc(n + 1);

	memset(s, 'x', n);
	memcpy(s, "250", 3);
	s[3] = sep;
	s[n] = '\0';
	return s;
}

static void
test_line_cap(void **state)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new();
	struct smtp_reply r;
	char *at = make_line(SMTP_LINE_MAX, ' ');
	char *over = make_line(SMTP_LINE_MAX + 1, ' ');

	assert_int_equal(smtp_reply_parser_line(p, at, SMTP_LINE_MAX),
	    SMTP_REPLY_DONE);
	smtp_reply_parser_take(p, &r);
	assert_int_equal(r.len, SMTP_LINE_MAX - 4);
	smtp_reply_clear(&r);

	assert_int_equal(smtp_reply_parser_line(p, over, SMTP_LINE_MAX + 1),
	    SMTP_REPLY_ERROR);
	assert_non_null(strstr(smtp_reply_parser_error(p), "cap"));
	/* Sticky until reset, and usable again after it. */
	assert_int_equal(smtp_reply_parser_line(p, "250 ok", 6),
	    SMTP_REPLY_ERROR);
	smtp_reply_parser_reset(p);
	assert_string_equal(smtp_reply_parser_error(p), "");
	assert_int_equal(smtp_reply_parser_line(p, "250 ok", 6),
	    SMTP_REPLY_DONE);
	free(at);
	free(over);
	smtp_reply_parser_free(p);
}

/* SMTP_LINES_MAX lines of maximal length make a reply; one more line
 * does not. */
static void
test_lines_cap(void **state)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new();
	struct smtp_reply r;
	char *more = make_line(SMTP_LINE_MAX, '-');
	char *last = make_line(SMTP_LINE_MAX, ' ');
	int i;

	for (i = 0; i < SMTP_LINES_MAX - 1; i++)
		assert_int_equal(smtp_reply_parser_line(p, more, SMTP_LINE_MAX),
		    SMTP_REPLY_MORE);
	assert_int_equal(smtp_reply_parser_line(p, last, SMTP_LINE_MAX),
	    SMTP_REPLY_DONE);
	smtp_reply_parser_take(p, &r);
	assert_int_equal(r.nlines, SMTP_LINES_MAX);
	assert_int_equal(r.len, (size_t)SMTP_LINES_MAX * (SMTP_LINE_MAX - 4) +
	    SMTP_LINES_MAX - 1);
	smtp_reply_clear(&r);

	for (i = 0; i < SMTP_LINES_MAX; i++)
		assert_int_equal(smtp_reply_parser_line(p, "250-x", 5),
		    SMTP_REPLY_MORE);
	assert_int_equal(smtp_reply_parser_line(p, "250 x", 5),
	    SMTP_REPLY_ERROR);
	assert_non_null(strstr(smtp_reply_parser_error(p), "more than"));
	free(more);
	free(last);
	smtp_reply_parser_free(p);
}

static void
test_take_early(void **state)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new();
	struct smtp_reply r;

	assert_int_equal(smtp_reply_parser_line(p, "250-a", 5), SMTP_REPLY_MORE);
	smtp_reply_parser_take(p, &r);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.nlines, 0);
	assert_int_equal(r.len, 0);
	assert_string_equal(r.text, "");
	smtp_reply_clear(&r);
	/* take reset the parser: a new reply starts cleanly. */
	assert_int_equal(smtp_reply_parser_line(p, "220 b", 5), SMTP_REPLY_DONE);
	smtp_reply_parser_take(p, &r);
	assert_int_equal(r.code, 220);
	assert_string_equal(r.text, "b");
	smtp_reply_clear(&r);
	smtp_reply_clear(&r);		/* clearing twice is harmless */
	smtp_reply_parser_free(p);
	smtp_reply_parser_free(NULL);
}

/* Builds a reply from lines through the parser. */
static void
parse_lines(const struct line *lines, struct smtp_reply *r)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new();
	enum smtp_reply_status st = SMTP_REPLY_MORE;
	size_t j;

	for (j = 0; j < MAXLINES && lines[j].s != NULL; j++)
		st = smtp_reply_parser_line(p, lines[j].s, lines[j].len);
	assert_int_equal(st, SMTP_REPLY_DONE);
	smtp_reply_parser_take(p, r);
	smtp_reply_parser_free(p);
}

struct caps_case {
	const char	*name;
	struct line	 lines[MAXLINES];
	const char	*caps[MAXLINES];	/* NULL-terminated */
};

static const struct caps_case caps_cases[] = {
	{ "typical Exchange Online", { L("250-BN8NAM12FT061.mail.protection."
	  "outlook.com Hello [192.0.2.1]"), L("250-SIZE 49283072"),
	  L("250-PIPELINING"), L("250-DSN"), L("250-ENHANCEDSTATUSCODES"),
	  L("250-STARTTLS"), L("250-8BITMIME"), L("250 SMTPUTF8") },
	  { "SIZE 49283072", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES",
	  "STARTTLS", "8BITMIME", "SMTPUTF8" } },
	{ "single line has no caps", { L("250 mx.example.org") }, { NULL } },
	{ "keyword upper-cased, params kept", { L("250-x"),
	  L("250-starttls"), L("250 auth Login PLAIN") },
	  { "STARTTLS", "AUTH Login PLAIN" } },
	{ "blanks trimmed and collapsed", { L("250-x"),
	  L("250-  size   100  "), L("250-\tdsn\t"), L("250 auth=login") },
	  { "SIZE 100", "DSN", "AUTH=LOGIN" } },
	{ "params keep inner blanks", { L("250-x"), L("250 AUTH  A   B") },
	  { "AUTH A   B" } },
	{ "tab separates keyword", { L("250-x"), L("250 SIZE\t10") },
	  { "SIZE 10" } },
	{ "blank lines skipped", { L("250-x"), L("250-"), L("250-   "),
	  L("250 CHUNKING") }, { "CHUNKING" } },
	{ "trailing CR dropped", { L("250-x"), L("250 CHUNKING\r") },
	  { "CHUNKING" } },
	{ "line cut at NUL", { L("250-x"), L("250-pipe\0lining"),
	  L("250 SMTPUTF8") }, { "PIPE", "SMTPUTF8" } },
	{ "NUL first is blank", { L("250-x"), L("250 \0STARTTLS") }, { NULL } },
	{ "NUL in first line is harmless", { L("250-x\0y"), L("250 DSN") },
	  { "DSN" } },
	{ "empty last line", { L("250-x"), L("250-DSN"), L("250") },
	  { "DSN" } },
};

static void
test_ehlo_caps(void **state)
{
	struct smtp_reply r;
	struct strvec sv = { 0 };
	size_t i, j;

	for (i = 0; i < sizeof(caps_cases) / sizeof(caps_cases[0]); i++) {
		const struct caps_case *tc = &caps_cases[i];

		print_message("caps: %s\n", tc->name);
		parse_lines(tc->lines, &r);
		smtp_reply_ehlo_caps(&r, &sv);
		for (j = 0; tc->caps[j] != NULL; j++) {
			assert_true(j < sv.n);
			assert_string_equal(sv.v[j], tc->caps[j]);
		}
		assert_int_equal(sv.n, j);
		strvec_clear(&sv);
		smtp_reply_clear(&r);
	}
}

/* Caps are appended, and a reply never received yields none. */
static void
test_ehlo_caps_append(void **state)
{
	const struct line lines[MAXLINES] = { L("250-x"), L("250 DSN") };
	struct smtp_reply r = { 0 };
	struct strvec sv = { 0 };

	smtp_reply_ehlo_caps(&r, &sv);
	assert_int_equal(sv.n, 0);
	strvec_add(&sv, "OLD");
	parse_lines(lines, &r);
	smtp_reply_ehlo_caps(&r, &sv);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[0], "OLD");
	assert_string_equal(sv.v[1], "DSN");
	strvec_clear(&sv);
	smtp_reply_clear(&r);
}

static void
test_caps_has(void **state)
{
	struct strvec sv = { 0 };
	static const struct {
		const char	*keyword;
		bool		 has;
	} rows[] = {
		{ "STARTTLS", true },
		{ "starttls", true },
		{ "SIZE", true },
		{ "size", true },
		{ "SIZ", false },
		{ "SIZE 1000", true },	/* a prefix up to a blank */
		{ "AUTH", true },
		{ "PLAIN", false },	/* a param, not a keyword */
		{ "8BITMIME", false },
		{ "", false },
	};
	size_t i;

	assert_false(smtp_caps_has(&sv, "STARTTLS"));
	strvec_add(&sv, "STARTTLS");
	strvec_add(&sv, "SIZE 1000");
	strvec_add(&sv, "AUTH PLAIN LOGIN");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		print_message("caps_has: \"%s\"\n", rows[i].keyword);
		assert_int_equal(smtp_caps_has(&sv, rows[i].keyword),
		    rows[i].has);
	}
	strvec_clear(&sv);
}

struct domain_case {
	const char	*name;
	struct line	 lines[MAXLINES];
	const char	*domain;	/* NULL: none */
};

static const struct domain_case domain_cases[] = {
	{ "greeting", { L("220 mx.example.com ESMTP Postfix") },
	  "mx.example.com" },
	{ "multi-line greeting", { L("220-mx1.example ESMTP"),
	  L("220 other.example") }, "mx1.example" },
	{ "EHLO reply", { L("250-mx.example Hello [192.0.2.1]"),
	  L("250 DSN") }, "mx.example" },
	{ "name only", { L("220 mx.example") }, "mx.example" },
	{ "leading blanks", { L("220   \tmx.example hi") }, "mx.example" },
	{ "tab after name", { L("220 mx.example\tESMTP") }, "mx.example" },
	{ "CR ends the name", { L("220 mx.example\r") }, "mx.example" },
	{ "NUL ends the name", { L("220 mx\0evil.example") }, "mx" },
	{ "empty text", { L("220") }, NULL },
	{ "blank text", { L("220    ") }, NULL },
	{ "empty first line", { L("220-"), L("220 mx.example") }, NULL },
};

static void
test_domain(void **state)
{
	struct smtp_reply r = { 0 };
	char *d;
	size_t i;

	assert_null(smtp_reply_domain(&r));
	for (i = 0; i < sizeof(domain_cases) / sizeof(domain_cases[0]); i++) {
		const struct domain_case *tc = &domain_cases[i];

		print_message("domain: %s\n", tc->name);
		parse_lines(tc->lines, &r);
		d = smtp_reply_domain(&r);
		if (tc->domain == NULL)
			assert_null(d);
		else {
			assert_non_null(d);
			assert_string_equal(d, tc->domain);
		}
		free(d);
		smtp_reply_clear(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_line_cap),
		cmocka_unit_test(test_lines_cap),
		cmocka_unit_test(test_take_early),
		cmocka_unit_test(test_ehlo_caps),
		cmocka_unit_test(test_ehlo_caps_append),
		cmocka_unit_test(test_caps_has),
		cmocka_unit_test(test_domain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
