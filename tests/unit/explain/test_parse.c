/* test_parse: time stamps, writers, remote hosts, recipients and sending addresses of single lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "explain/line.h"
#include "helpers.h"

struct time_case {
	const char	*in;
	const char	*text;		/* NULL: no stamp */
	size_t		 len;
};

static const struct time_case time_cases[] = {
	{ "Nov 29 06:33:21 mx1 postfix/smtp[1]: x", "2026-11-29T06:33:21", 15 },
	{ "Nov  9 06:33:21 mx1 postfix/smtp[1]: x", "2026-11-09T06:33:21", 15 },
	/* a December stamp read on 30 November is last year's */
	{ "Dec 24 10:00:00 mx1 postfix/smtp[1]: x", "2025-12-24T10:00:00", 15 },
	{ "Dec  1 11:00:00 mx1 postfix/smtp[1]: x", "2026-12-01T11:00:00", 15 },
	{ "2026-11-29T06:33:21.123456+00:00 mx1 postfix/smtp[1]: x", "2026-11-29T06:33:21Z", 32 },
	{ "2026-11-29T07:33:21+01:00 mx1 x", "2026-11-29T06:33:21Z", 25 },
	{ "2026-11-29T06:33:21.123Z,,,", "2026-11-29T06:33:21Z", 24 },
	{ "2026-11-29 06:33:21 1tGxA1-000B2c-3D => a@b", "2026-11-29T06:33:21", 19 },
	{ "2026-11-29 07:33:21 +0100 1tGxA1-000B2c-3D => a@b", "2026-11-29T06:33:21Z", 25 },
	{ "2026-11-29 06:33:21.123 x", "2026-11-29T06:33:21", 23 },
	{ "Foo 29 06:33:21 x", NULL, 0 },
	{ "Nov 29 6:33:21 x", NULL, 0 },
	{ "2026-13-29T06:33:21 x", NULL, 0 },
	{ "2026-11-29T25:33:21 x", NULL, 0 },
	{ "error:0A000102:SSL routines", NULL, 0 },
	{ "", NULL, 0 },
};

static void
test_times(void **state)
{
	struct explain_time t;
	size_t i, n;

	for (i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++) {
		n = explain_parse_time(time_cases[i].in, TEST_NOW, &t);
		if (time_cases[i].text == NULL) {
			if (n != 0 || t.valid)
				fail_msg("'%s': want no stamp", time_cases[i].in);
			continue;
		}
		if (n != time_cases[i].len || !t.valid ||
		    strcmp(t.text, time_cases[i].text) != 0)
			fail_msg("'%s': want %s (%zu), got %s (%zu)", time_cases[i].in,
			    time_cases[i].text, time_cases[i].len, t.valid ? t.text : "-", n);
	}
}

static void
test_rfc5322(void **state)
{
	struct explain_time t;

	assert_int_equal(explain_parse_rfc5322_date("Sat, 28 Nov 2026 10:00:00 +0100", &t), 0);
	assert_string_equal(t.text, "2026-11-28T09:00:00Z");
	assert_int_equal(explain_parse_rfc5322_date("1 Dec 2026 10:00 -0030", &t), 0);
	assert_string_equal(t.text, "2026-12-01T10:30:00Z");
	assert_int_equal(explain_parse_rfc5322_date("28 Nov 2026 10:00:00 GMT", &t), 0);
	assert_string_equal(t.text, "2026-11-28T10:00:00Z");
	assert_int_equal(explain_parse_rfc5322_date("yesterday", &t), -1);
}

struct line_case {
	const char	*in;
	const char	*key, *logger, *host, *ip, *sending_ip, *recipient;
	enum explain_direction dir;
};

static const struct line_case line_cases[] = {
	{ "Nov 29 06:33:21 mx1.example.net postfix/smtp[2114]: 6A3F: to=<User@Example.COM>, relay=mx.example.com[192.0.2.10]:25, status=deferred (x)",
	  "mx1.example.net postfix/smtp[2114]", "mx1.example.net", "mx.example.com", "192.0.2.10", "", "example.com", DIR_OUT },
	{ "Nov 29 06:33:21 mx1 postfix/submission/smtpd[3121]: lost connection after STARTTLS from unknown[2001:db8::5]",
	  "mx1 postfix/submission/smtpd[3121]", "mx1", "", "2001:db8::5", "", "", DIR_IN },
	{ "Nov 29 06:33:21 mx1 postfix/lmtp[7]: 6A3F: to=<a@b.example>, relay=mail.example.com[private/dovecot-lmtp], status=sent",
	  "mx1 postfix/lmtp[7]", "mx1", "mail.example.com", "", "", "b.example", DIR_OUT },
	{ "Nov 29 06:33:21 mx1 postfix/smtp[9]: 6A3F: to=<a@b.example>, relay=none, delay=1, status=deferred (connect to x.example[192.0.2.1]:25: Connection refused)",
	  "mx1 postfix/smtp[9]", "mx1", "x.example", "192.0.2.1", "", "b.example", DIR_OUT },
	{ "2026-11-29 06:33:21 1tGxA1-000B2c-3D H=mx.example.com [192.0.2.10]: TLS session: (SSL_connect): error",
	  "1tGxA1-000B2c-3D", "", "mx.example.com", "192.0.2.10", "", "", DIR_UNKNOWN },
	{ "2026-11-29 06:33:21 1tGxA1-000B2c-3D == a@c.example R=dnslookup T=remote_smtp defer (-37) H=mx.c.example (helo.c.example) [192.0.2.3]: TLS session",
	  "1tGxA1-000B2c-3D", "", "mx.c.example", "192.0.2.3", "", "c.example", DIR_UNKNOWN },
	{ "2026-11-29 06:33:21 TLS error on connection from (helo.example.net) [192.0.2.20]:41000 I=[192.0.2.1]:25 (SSL_accept): error",
	  "", "", "", "192.0.2.20", "", "", DIR_UNKNOWN },
	{ "Nov 29 06:33:21 mx1 sm-mta[4410]: 2ATB: STARTTLS=server, error: accept failed=-1, reason=no shared cipher, relay=mail.example.org. [192.0.2.30]",
	  "mx1 sm-mta[4410]", "mx1", "mail.example.org", "192.0.2.30", "", "", DIR_IN },
	{ "450 4.4.317 Cannot connect to remote server [Message=x] [LastAttemptedServerName=MX.Example.com] [LastAttemptedIP=2001:db8::25]",
	  "", "", "mx.example.com", "2001:db8::25", "", "", DIR_UNKNOWN },
	{ "550 5.7.1 Unfortunately, messages from [198.51.100.25] weren't sent.",
	  "", "", "", "", "198.51.100.25", "", DIR_UNKNOWN },
	{ "421 RP-001 Unfortunately, some messages from 198.51.100.25 weren't sent.",
	  "", "", "", "", "198.51.100.25", "", DIR_UNKNOWN },
	/* hostile text: nothing unsafe is kept */
	{ "Nov 29 06:33:21 mx1 postfix/smtp[9]: to=<a@$(reboot)>, relay=`id`.example[192.0.2.1]:25",
	  "mx1 postfix/smtp[9]", "mx1", "", "192.0.2.1", "", "", DIR_OUT },
	{ "SSL_connect error to host;rm -rf.example[192.0.2.999]:25: -1",
	  "", "", "", "", "", "", DIR_UNKNOWN },
	{ "banned sender[198.51.100.25]. x", "", "", "", "", "198.51.100.25", "", DIR_UNKNOWN },
};

static void
test_lines(void **state)
{
	struct explain_line li;
	size_t i;

	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		const struct line_case *c = &line_cases[i];

		explain_line_parse(c->in, TEST_NOW, &li);
		if (strcmp(li.key, c->key) != 0 || strcmp(li.logger, c->logger) != 0 ||
		    strcmp(li.host, c->host) != 0 || strcmp(li.ip, c->ip) != 0 ||
		    strcmp(li.sending_ip, c->sending_ip) != 0 ||
		    strcmp(li.recipient, c->recipient) != 0 || li.dir != c->dir)
			fail_msg("'%s':\n key '%s' logger '%s' host '%s' ip '%s' sending '%s' rcpt '%s' dir %d",
			    c->in, li.key, li.logger, li.host, li.ip, li.sending_ip,
			    li.recipient, li.dir);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_rfc5322),
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
