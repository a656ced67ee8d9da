/* test_join: precedence and joining: one failure per delivery attempt or bounce, the most specific wording wins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util/xalloc.h"

#define P(t, pid)	"Nov 29 06:33:" t " mx1 postfix/smtp[" pid "]: "
#define CONNECT(t, pid, host, ip) P(t, pid) "SSL_connect error to " host "[" ip "]:25: -1\n"
#define LIBVER(t, pid)	P(t, pid) "warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 alert protocol version:ssl/record/rec_layer_s3.c:1584:SSL alert number 70:\n"
#define DEFER(t, pid, host, ip) P(t, pid) "6A3F21C04A2: to=<user@example.com>, relay=" host "[" ip "]:25, delay=1.2, delays=0.1/0/1.1/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)\n"

static const struct explain_group *
group_of(const struct explain_result *r, const char *cause, const char *host)
{
	size_t i;

	for (i = 0; i < r->ngroups; i++)
		if (strcmp(r->groups[i].cause->name, cause) == 0 &&
		    (host == NULL || (r->groups[i].remote_host != NULL &&
		    strcmp(r->groups[i].remote_host, host) == 0)))
			return &r->groups[i];
	fail_msg("no group %s %s", cause, host ? host : "");
	return NULL;
}

/* The example: SSL_connect error, then the library's reason on the
 * next line, then the delivery status: one tls_version failure. */
static void
test_postfix_triple(void **state)
{
	struct explain_result *r = test_explain_str(
	    CONNECT("21", "2114", "mx.example.com", "192.0.2.10")
	    LIBVER("21", "2114")
	    DEFER("22", "2114", "mx.example.com", "192.0.2.10"));
	const struct explain_group *g;

	assert_int_equal(r->failure_lines, 3);
	assert_int_equal(r->failures, 1);
	assert_int_equal(r->ngroups, 1);
	g = &r->groups[0];
	assert_string_equal(g->cause->name, "tls_version");
	assert_string_equal(g->pattern->id, "openssl-alert-protocol-version");
	assert_string_equal(g->remote_host, "mx.example.com");
	assert_string_equal(g->remote_ip, "192.0.2.10");
	assert_string_equal(g->recipient_domain, "example.com");
	assert_string_equal(g->direction, "out");
	assert_string_equal(g->first.text, "2026-11-29T06:33:21");
	assert_string_equal(g->last.text, "2026-11-29T06:33:22");
	assert_string_equal(g->check_command, "mxdoctor check example.com");
	assert_non_null(strstr(g->example, "tlsv1 alert protocol version"));
	assert_int_equal(g->example_line, 2);
	explain_result_free(r);
}

/* Without the library's line the wrapper decides: starttls. */
static void
test_wrapper_only(void **state)
{
	struct explain_result *r = test_explain_str(
	    CONNECT("21", "2114", "mx.example.com", "192.0.2.10")
	    DEFER("21", "2114", "mx.example.com", "192.0.2.10"));

	assert_int_equal(r->failures, 1);
	assert_string_equal(r->groups[0].cause->name, "starttls");
	assert_string_equal(r->groups[0].pattern->id, "postfix-cannot-start-tls");
	explain_result_free(r);
}

/* The same process again a minute later is a new attempt; a status line
 * ends an attempt; another MX host is another attempt. */
static void
test_attempts_split(void **state)
{
	struct explain_result *r = test_explain_str(
	    CONNECT("00", "2114", "mx1.example.com", "192.0.2.11")
	    LIBVER("00", "2114")
	    CONNECT("01", "2114", "mx2.example.com", "192.0.2.12")
	    LIBVER("01", "2114")
	    DEFER("01", "2114", "mx2.example.com", "192.0.2.12")
	    "Nov 29 06:35:10 mx1 postfix/smtp[2114]: SSL_connect error to mx2.example.com[192.0.2.12]:25: -1\n"
	    "Nov 29 06:35:10 mx1 postfix/smtp[2114]: warning: TLS library problem: error:0A000410:SSL routines::sslv3 alert handshake failure:ssl/record/rec_layer_s3.c:1584:SSL alert number 40:\n");

	assert_int_equal(r->failures, 3);
	assert_int_equal(group_of(r, "tls_version", "mx1.example.com")->count, 1);
	assert_int_equal(group_of(r, "tls_version", "mx2.example.com")->count, 1);
	assert_int_equal(group_of(r, "cipher", "mx2.example.com")->count, 1);
	explain_result_free(r);
}

/* Two processes interleaved: each reason goes with its own connection. */
static void
test_interleaved(void **state)
{
	struct explain_result *r = test_explain_str(
	    CONNECT("21", "100", "a.example.com", "192.0.2.1")
	    CONNECT("21", "200", "b.example.com", "192.0.2.2")
	    P("21", "200") "warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher:x.c:1:\n"
	    LIBVER("21", "100"));

	assert_int_equal(r->failures, 2);
	group_of(r, "tls_version", "a.example.com");
	group_of(r, "cipher", "b.example.com");
	explain_result_free(r);
}

/* Lines without a writer (s_client output): a reason joins the wrapper
 * next to it; two specific reasons stay two failures. */
static void
test_loose_lines(void **state)
{
	struct explain_result *r = test_explain_str(
	    "depth=0 CN = mx.selfsigned.test\n"
	    "verify error:num=18:self-signed certificate\n"
	    "40F7D2B1E57F0000:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:../ssl/statem/statem_clnt.c:1889:\n");

	assert_int_equal(r->failures, 1);
	assert_string_equal(r->groups[0].cause->name, "cert_self_signed");
	explain_result_free(r);
	r = test_explain_str("tlsv1 alert protocol version\nno shared cipher\n");
	assert_int_equal(r->failures, 2);
	explain_result_free(r);
	/* too far apart to be one */
	r = test_explain_str("verify error:num=10:certificate has expired\na\nb\nc\n"
	    "error:0A000086:SSL routines::certificate verify failed\n");
	assert_int_equal(r->failures, 2);
	explain_result_free(r);
}

/* One line matching several patterns: the highest priority wins. */
static void
test_precedence(void **state)
{
	struct explain_result *r = test_explain_str(
	    "450 4.4.317 Cannot connect to remote server [Message=451 4.4.0 TLS negotiation failed with error SocketError] [LastAttemptedServerName=mx.example.com] [LastAttemptedIP=192.0.2.10:25]\n");

	/* 4.4.317 (other, 15) < SocketError (tls_version, 40) < 4.4.317 TLS negotiation (starttls, 75) */
	assert_string_equal(r->groups[0].cause->name, "starttls");
	assert_string_equal(r->groups[0].pattern->id, "ms-4.4.317-tls-negotiation");
	assert_int_equal(r->groups[0].npatterns, 1);
	explain_result_free(r);
	r = test_explain_str("450 4.7.320 Certificate validation failed. Reasons: SubjectMismatch\n");
	assert_string_equal(r->groups[0].cause->name, "cert_name");
	explain_result_free(r);
}

#define BOUNCE \
	"From MAILER-DAEMON Sat Nov 28 10:00:00 2026\n" \
	"Return-Path: <>\n" \
	"Date: Sat, 28 Nov 2026 10:00:00 +0100\n" \
	"From: Mail Delivery System <MAILER-DAEMON@mail.example.net>\n" \
	"Subject: Undelivered Mail Returned to Sender\n" \
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n" \
	"\n" \
	"--B\n" \
	"Content-Type: text/plain\n" \
	"\n" \
	"<someone@outlook.com>: host outlook-com.olc.protection.outlook.com[52.101.42.7] said:\n" \
	"    550 5.7.1 Unfortunately, messages from [198.51.100.25] weren't sent. Please\n" \
	"    contact your Internet service provider since part of their network is on\n" \
	"    our block list (S3150).\n" \
	"\n" \
	"--B\n" \
	"Content-Type: message/delivery-status\n" \
	"\n" \
	"Reporting-MTA: dns; mail.example.net\n" \
	"\n" \
	"Final-Recipient: rfc822; someone@outlook.com\n" \
	"Action: failed\n" \
	"Status: 5.7.1\n" \
	"Remote-MTA: dns; outlook-com.olc.protection.outlook.com\n" \
	"Diagnostic-Code: smtp; 550 5.7.1 Unfortunately, messages from\n" \
	"    [198.51.100.25] weren't sent. Please contact your Internet service provider\n" \
	"    since part of their network is on our block list (S3150).\n" \
	"\n" \
	"--B--\n"

/* A bounce (RFC 3464) is one failure; DSN fields fill in host, recipient
 * and time; an mbox of two bounces is two. */
static void
test_bounce(void **state)
{
	struct explain_result *r = test_explain_str(BOUNCE);
	const struct explain_group *g;

	assert_int_equal(r->failures, 1);
	g = &r->groups[0];
	assert_string_equal(g->cause->name, "blocklist");
	assert_string_equal(g->remote_host, "outlook-com.olc.protection.outlook.com");
	assert_string_equal(g->recipient_domain, "outlook.com");
	assert_string_equal(g->first.text, "2026-11-28T09:00:00Z");
	assert_string_equal(g->check_command,
	    "mxdoctor check --sending-ip 198.51.100.25 outlook.com");
	explain_result_free(r);
	r = test_explain_str(BOUNCE "\n" BOUNCE);
	assert_int_equal(r->failures, 2);
	assert_int_equal(r->ngroups, 1);
	assert_int_equal(r->groups[0].count, 2);
	explain_result_free(r);
}

/* Info, unknown and ordinary lines are counted, not reported as failures;
 * --unknown keeps one example per shape. */
static void
test_counts(void **state)
{
	const char *text =
	    P("21", "2114") "Untrusted TLS connection established to mx.example.com[192.0.2.10]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)\n"
	    P("21", "2114") "0A1B2C3D4E: to=<a@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=3, delays=0/0/1/2, dsn=4.3.0, status=deferred (host mx.example.org[192.0.2.7] said: 451 4.3.0 Temporary System Problem. Try again later. (in reply to end of DATA command))\n"
	    P("22", "2115") "9F8E7D6C5B: to=<b@example.org>, relay=mx.example.org[192.0.2.8]:25, delay=3, delays=0/0/1/2, dsn=4.3.0, status=deferred (host mx.example.org[192.0.2.8] said: 451 4.3.0 Temporary System Problem. Try again later. (in reply to end of DATA command))\n"
	    "Nov 29 06:33:23 mx1 postfix/qmgr[811]: 9F8E7D6C5B: removed\n";
	struct explain_result *r = test_explain(text, strlen(text), 1);

	assert_int_equal(r->lines, 4);
	assert_int_equal(r->failures, 0);
	assert_int_equal(r->info_lines, 1);
	assert_int_equal(r->unknown_lines, 2);
	assert_int_equal(r->ignored_lines, 1);
	assert_int_equal(r->ninfo, 1);
	assert_string_equal(r->info[0].pattern->id, "postfix-untrusted-established");
	assert_int_equal(r->nunknown, 1);		/* same shape */
	assert_int_equal(r->unknown[0].count, 2);
	assert_int_equal(r->unknown[0].line, 2);
	explain_result_free(r);
}

/* Direction and side: our smtpd rejecting a client is the client's problem;
 * a certificate problem seen by our smtp client is the remote's. */
static void
test_direction(void **state)
{
	struct explain_result *r = test_explain_str(
	    "Nov 29 06:33:21 mx1.example.net postfix/smtpd[3121]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 450 4.7.25 Client host rejected: cannot find your hostname, [203.0.113.9]; from=<a@example.net> to=<b@example.org> proto=ESMTP helo=<pc1>\n");

	assert_string_equal(r->groups[0].direction, "in");
	assert_string_equal(r->groups[0].side, "remote");
	assert_string_equal(r->groups[0].pattern->id, "postfix-cannot-find-hostname");
	assert_string_equal(r->groups[0].check_command,
	    "mxdoctor check --sending-ip 203.0.113.9 example.org");
	explain_result_free(r);
	r = test_explain_str(P("21", "2114") "certificate verification failed for mx.example.com[2001:db8::10]:25: self-signed certificate\n");
	assert_string_equal(r->groups[0].side, "remote");
	assert_string_equal(r->groups[0].check_command, "mxdoctor check smtp://mx.example.com");
	explain_result_free(r);
	r = test_explain_str(P("21", "2114") "certificate verification failed for unknown[2001:db8::10]:25: self-signed certificate\n");
	assert_string_equal(r->groups[0].check_command, "mxdoctor check smtp://[2001:db8::10]");
	explain_result_free(r);
	/* our smtpd: the TLS server is us; check our own host */
	r = test_explain_str("Nov 29 06:33:21 mx1.example.net postfix/smtpd[3121]: warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown ca:x.c:1:\n");
	assert_string_equal(r->groups[0].side, "local");
	assert_string_equal(r->groups[0].check_command, "mxdoctor check smtp://mx1.example.net");
	explain_result_free(r);
	/* auth has no check */
	r = test_explain_str("550 5.7.515 Access denied, sending domain example.com does not meet the required authentication level.\n");
	assert_null(r->groups[0].check_command);
	explain_result_free(r);
}

/* Past EXPLAIN_GROUPS_MAX hosts, failures share one group per cause:
 * memory stays bounded. */
static void
test_group_limit(void **state)
{
	size_t n = EXPLAIN_GROUPS_MAX + 5, i, len = 0;
	char *text = xmalloc(n * 128);
	struct explain_result *r;
	uint64_t total = 0;

	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, 128,
		    "error:0A0000C1:SSL routines::no shared cipher h%zu.example.com[192.0.2.1]\n", i);
	r = test_explain(text, len, 0);
	assert_int_equal(r->failures, n);
	assert_int_equal(r->ngroups, EXPLAIN_GROUPS_MAX + 1);
	for (i = 0; i < r->ngroups; i++)
		total += r->groups[i].count;
	assert_int_equal(total, n);
	assert_true(r->groups[0].other_hosts);	/* the biggest */
	assert_int_equal(r->groups[0].count, 5);
	explain_result_free(r);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_postfix_triple),
		cmocka_unit_test(test_wrapper_only),
		cmocka_unit_test(test_attempts_split),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_loose_lines),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_bounce),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_group_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
