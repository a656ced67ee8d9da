/* test_target: table-driven tests of command-line target parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "check/target.h"

struct target_case {
	const char	*in;
	int		 ok;
	enum target_kind kind;
	const char	*name;		/* or address text for literals */
	int		 port;
	enum smtp_mode	 mode;
};

static const struct target_case cases[] = {
	{ "example.com", 1, TARGET_DOMAIN, "example.com", 25, MODE_STARTTLS },
	{ "Example.COM.", 1, TARGET_DOMAIN, "example.com", 25, MODE_STARTTLS },
	{ "mx1.example.com:25", 1, TARGET_HOST, "mx1.example.com", 25, MODE_STARTTLS },
	{ "mx1.example.com:2525", 1, TARGET_HOST, "mx1.example.com", 2525, MODE_STARTTLS },
	{ "smtp://mx1.example.com", 1, TARGET_HOST, "mx1.example.com", 25, MODE_STARTTLS },
	{ "smtp://mx1.example.com:587", 1, TARGET_HOST, "mx1.example.com", 587, MODE_STARTTLS },
	{ "SMTP://mx1.example.com/", 1, TARGET_HOST, "mx1.example.com", 25, MODE_STARTTLS },
	{ "smtps://mx1.example.com", 1, TARGET_HOST, "mx1.example.com", 465, MODE_IMPLICIT_TLS },
	{ "smtps://mx1.example.com:4650", 1, TARGET_HOST, "mx1.example.com", 4650, MODE_IMPLICIT_TLS },
	{ "192.0.2.1", 1, TARGET_ADDRESS, "192.0.2.1", 25, MODE_STARTTLS },
	{ "192.0.2.1:587", 1, TARGET_ADDRESS, "192.0.2.1", 587, MODE_STARTTLS },
	{ "[2001:db8::1]", 1, TARGET_ADDRESS, "2001:db8::1", 25, MODE_STARTTLS },
	{ "[2001:db8::1]:465", 1, TARGET_ADDRESS, "2001:db8::1", 465, MODE_STARTTLS },
	{ "2001:db8::1", 1, TARGET_ADDRESS, "2001:db8::1", 25, MODE_STARTTLS },
	{ "smtps://[::1]", 1, TARGET_ADDRESS, "::1", 465, MODE_IMPLICIT_TLS },
	{ "smtp://127.0.0.1:2525", 1, TARGET_ADDRESS, "127.0.0.1", 2525, MODE_STARTTLS },
	{ "xn--bcher-kva.example", 1, TARGET_DOMAIN, "xn--bcher-kva.example", 25, MODE_STARTTLS },
	{ "_dmarc.example.com", 1, TARGET_DOMAIN, "_dmarc.example.com", 25, MODE_STARTTLS },
	/* refused */
	{ "", 0, 0, NULL, 0, 0 },
	{ "http://example.com", 0, 0, NULL, 0, 0 },
	{ "smtp://", 0, 0, NULL, 0, 0 },
	{ "smtp://user@example.com", 0, 0, NULL, 0, 0 },
	{ "smtp://example.com/path", 0, 0, NULL, 0, 0 },
	{ "example.com:0", 0, 0, NULL, 0, 0 },
	{ "example.com:65536", 0, 0, NULL, 0, 0 },
	{ "example.com:25x", 0, 0, NULL, 0, 0 },
	{ "example.com:", 0, 0, NULL, 0, 0 },
	{ "exa mple.com", 0, 0, NULL, 0, 0 },
	{ "example..com", 0, 0, NULL, 0, 0 },
	{ ".example.com", 0, 0, NULL, 0, 0 },
	{ "b\xc3\xbc" "cher.example", 0, 0, NULL, 0, 0 },
	{ "[2001:db8::1", 0, 0, NULL, 0, 0 },
	{ "[2001:db8::1]x", 0, 0, NULL, 0, 0 },
	{ "[not-an-address]", 0, 0, NULL, 0, 0 },
	{ "a\x01" "b.example", 0, 0, NULL, 0, 0 },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", 0, 0, NULL, 0, 0 },
};

static void
test_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct target_case *c = &cases[i];
		struct target_spec s;
		char err[256] = "", buf[ADDR_STRLEN];
		int r = target_parse(c->in, 25, &s, err, sizeof(err));

		print_message("case %zu: %s\n", i, c->in);
		if (!c->ok) {
			assert_int_equal(r, -1);
			assert_true(err[0] != '\0');
			continue;
		}
		assert_int_equal(r, 0);
		assert_int_equal(s.kind, c->kind);
		assert_int_equal(s.port, c->port);
		assert_int_equal(s.mode, c->mode);
		if (s.kind == TARGET_ADDRESS)
			assert_string_equal(addr_format(&s.addr, buf, sizeof(buf)), c->name);
		else
			assert_string_equal(s.name, c->name);
	}
}

static void
test_default_port(void **state)
{
	struct target_spec s;
	char err[128];

	assert_int_equal(target_parse("example.com", 2525, &s, err, sizeof(err)), 0);
	assert_int_equal(s.port, 2525);
	/* A scheme's own default wins over --port. */
	assert_int_equal(target_parse("smtps://example.com", 2525, &s, err, sizeof(err)), 0);
	assert_int_equal(s.port, 465);
}

static void
test_long_name(void **state)
{
	char name[300], err[128];
	struct target_spec s;
	size_t i;

	/* 254 characters: over the 253 limit even with valid labels */
	for (i = 0; i < 254; i++)
		name[i] = (i % 10 == 9) ? '.' : 'a';
	name[254] = '\0';
	assert_int_equal(target_parse(name, 25, &s, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_default_port),
		cmocka_unit_test(test_long_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
