/* test_name_match: RFC 6125 host name matching, one row per case (after libtls verifytest.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tls/x509.h"

struct name_case {
	const char	*pattern;
	const char	*host;
	bool		 match;
};

static const struct name_case cases[] = {
	/* plain names */
	{ .pattern = "mail.example.com", .host = "mail.example.com", .match = true },
	{ .pattern = "mail.example.com", .host = "mx.example.com", .match = false },
	{ .pattern = "example.com", .host = "example.com", .match = true },
	{ .pattern = "localhost", .host = "localhost", .match = true },
	{ .pattern = "mail.example.com", .host = "mail.example.com.evil", .match = false },
	{ .pattern = "mail.example.com", .host = "xmail.example.com", .match = false },
	{ .pattern = "mail.example.com", .host = "example.com", .match = false },
	/* case and trailing dots */
	{ .pattern = "MAIL.Example.COM", .host = "mail.example.com", .match = true },
	{ .pattern = "mail.example.com", .host = "Mail.EXAMPLE.com", .match = true },
	{ .pattern = "mail.example.com.", .host = "mail.example.com", .match = true },
	{ .pattern = "mail.example.com", .host = "mail.example.com.", .match = true },
	{ .pattern = "mail.example.com.", .host = "mail.example.com.", .match = true },
	{ .pattern = "mail.example.com..", .host = "mail.example.com.", .match = false },
	{ .pattern = "mail.example.com", .host = "mail.example.com..", .match = false },
	/* wildcards */
	{ .pattern = "*.example.com", .host = "mx1.example.com", .match = true },
	{ .pattern = "*.example.com", .host = "MX1.EXAMPLE.COM", .match = true },
	{ .pattern = "*.example.com.", .host = "mx1.example.com", .match = true },
	{ .pattern = "*.example.com", .host = "mx1.example.com.", .match = true },
	{ .pattern = "*.example.com", .host = "example.com", .match = false },
	{ .pattern = "*.example.com", .host = ".example.com", .match = false },
	{ .pattern = "*.example.com", .host = "a.b.example.com", .match = false },
	{ .pattern = "*.example.com", .host = "mx1.example.org", .match = false },
	{ .pattern = "*.example.com", .host = "mx1.xexample.com", .match = false },
	{ .pattern = "*.mail.protection.outlook.com", .host = "contoso-com.mail.protection.outlook.com", .match = true },
	{ .pattern = "*.co.uk", .host = "example.co.uk", .match = true },
	{ .pattern = "*.com", .host = "example.com", .match = false },
	{ .pattern = "*.com.", .host = "example.com", .match = false },
	{ .pattern = "*", .host = "example", .match = false },
	{ .pattern = "*.", .host = "example.", .match = false },
	{ .pattern = "*.*.example.com", .host = "a.b.example.com", .match = false },
	{ .pattern = "mx.*.example.com", .host = "mx.a.example.com", .match = false },
	/* partial wildcards are refused */
	{ .pattern = "f*.example.com", .host = "foo.example.com", .match = false },
	{ .pattern = "*o.example.com", .host = "foo.example.com", .match = false },
	{ .pattern = "f*o.example.com", .host = "foo.example.com", .match = false },
	{ .pattern = "xn--*.example.com", .host = "xn--bcher-kva.example.com", .match = false },
	/* IDNA A-labels: exact match only, never by a wildcard */
	{ .pattern = "*.example.com", .host = "xn--bcher-kva.example.com", .match = false },
	{ .pattern = "xn--bcher-kva.example.com", .host = "xn--bcher-kva.example.com", .match = true },
	{ .pattern = "*.xn--bcher-kva.example", .host = "mail.xn--bcher-kva.example", .match = true },
	/* IP addresses never match a wildcard */
	{ .pattern = "*.0.2.1", .host = "192.0.2.1", .match = false },
	{ .pattern = "*.168.1.1", .host = "192.168.1.1", .match = false },
	{ .pattern = "192.0.2.1", .host = "192.0.2.1", .match = true },
	/* empty and junk input */
	{ .pattern = "", .host = "example.com", .match = false },
	{ .pattern = "example.com", .host = "", .match = false },
	{ .pattern = ".", .host = ".", .match = false },
	{ .pattern = "mail..example.com", .host = "mail..example.com", .match = false },
	{ .pattern = "mail.example.com\\x00.evil", .host = "mail.example.com", .match = false },
	{ .pattern = "mail example.com", .host = "mail example.com", .match = false },
	{ .pattern = "*.example.com", .host = "*.example.com", .match = false },
	{ .pattern = "_mta-sts.example.com", .host = "_mta-sts.example.com", .match = true },
	{ .pattern = "a234567890123456789012345678901234567890123456789012345678901234.com",
	  .host = "a234567890123456789012345678901234567890123456789012345678901234.com",
	  .match = false },	/* 64-octet label */
};

static void
test_name_table(void **state)
{
	size_t i;
	bool got;
	int failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = x509_name_match(cases[i].pattern, cases[i].host);
		if (got != cases[i].match) {
			print_error("row %zu: \"%s\" vs \"%s\": got %d, want %d\n",
			    i, cases[i].pattern, cases[i].host, got,
			    cases[i].match);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static void
test_name_null(void **state)
{
	(void)state;
	assert_false(x509_name_match(NULL, "example.com"));
	assert_false(x509_name_match("example.com", NULL));
	assert_false(x509_name_match(NULL, NULL));
}

/* Names longer than DNS allows are refused without reading past them. */
static void
test_name_too_long(void **state)
{
	char longname[600];

	(void)state;
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	for (size_t i = 60; i < sizeof(longname) - 1; i += 61)
		longname[i] = '.';
	assert_false(x509_name_match(longname, longname));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_table),
		cmocka_unit_test(test_name_null),
		cmocka_unit_test(test_name_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
