/* test_report: the explain renderers: JSON parses back with the documented fields, text says it all, hostile bytes stay escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "report/explain_report.h"

#define TRIPLE \
	"Nov 29 06:33:21 mx1 postfix/smtp[2114]: SSL_connect error to mx.example.com[192.0.2.10]:25: -1\n" \
	"Nov 29 06:33:21 mx1 postfix/smtp[2114]: warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 alert protocol version:x.c:1:\x1b[31m\n" \
	"Nov 29 06:33:22 mx1 postfix/smtp[2114]: 6A3F21C04A2: to=<user@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1.2, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)\n" \
	"Nov 29 06:33:23 mx1 postfix/smtpd[311]: Anonymous TLS connection established from x.example.net[192.0.2.77]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n" \
	"Nov 29 06:33:24 mx1 postfix/smtp[2115]: 0A1B: to=<a@example.org>, relay=mx.example.org[192.0.2.7]:25, dsn=4.3.0, status=deferred (host mx.example.org[192.0.2.7] said: 451 4.3.0 Temporary System Problem)\n"

static char *
render(const struct explain_result *r, int json, int unknown)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct explain_text_opts o = { false, unknown != 0 };

	assert_non_null(fp);
	if (json)
		assert_int_equal(explain_render_json(r, unknown != 0, fp), 0);
	else
		assert_int_equal(explain_render_text(r, &o, fp), 0);
	fclose(fp);
	return out;
}

static void
test_json(void **state)
{
	struct explain_result *r = test_explain(TRIPLE, strlen(TRIPLE), 1);
	char *out = render(r, 1, 1);
	json_error_t je;
	json_t *doc = json_loads(out, 0, &je), *g, *s;

	if (doc == NULL)
		fail_msg("JSON does not parse: %s\n%s", je.text, out);
	assert_string_equal(json_string_value(json_object_get(doc, "command")), "explain");
	s = json_object_get(doc, "summary");
	assert_int_equal(json_integer_value(json_object_get(s, "lines")), 5);
	assert_int_equal(json_integer_value(json_object_get(s, "failures")), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "failure_lines")), 3);
	assert_int_equal(json_integer_value(json_object_get(s, "info_lines")), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "unknown_lines")), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "ignored_lines")), 0);
	assert_int_equal(json_integer_value(json_object_get(s, "exit_status")), 2);
	assert_true(json_integer_value(json_object_get(json_object_get(doc, "patterns"),
	    "count")) >= 80);
	g = json_array_get(json_object_get(doc, "groups"), 0);
	assert_string_equal(json_string_value(json_object_get(g, "cause")), "tls_version");
	assert_string_equal(json_string_value(json_object_get(g, "remote_host")), "mx.example.com");
	assert_string_equal(json_string_value(json_object_get(g, "remote_ip")), "192.0.2.10");
	assert_string_equal(json_string_value(json_object_get(g, "recipient_domain")), "example.com");
	assert_string_equal(json_string_value(json_object_get(g, "side")), "either");
	assert_string_equal(json_string_value(json_object_get(g, "direction")), "out");
	assert_int_equal(json_integer_value(json_object_get(g, "count")), 1);
	assert_string_equal(json_string_value(json_object_get(g, "first_seen")), "2026-11-29T06:33:21");
	assert_string_equal(json_string_value(json_object_get(g, "last_seen")), "2026-11-29T06:33:22");
	assert_string_equal(json_string_value(json_object_get(g, "check_command")),
	    "mxdoctor check example.com");
	{
		json_t *f = json_object_get(g, "findings");
		size_t i;
		int seen = 0;

		for (i = 0; i < json_array_size(f); i++)
			seen |= strcmp(json_string_value(json_array_get(f, i)),
			    "tls.handshake_failed") == 0;
		assert_true(seen);
	}
	/* the terminal escape in the line arrives escaped */
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(g,
	    "example"), "text")), "\\x1b[31m"));
	assert_int_equal(json_array_size(json_object_get(json_object_get(doc, "unknown"),
	    "shapes")), 1);
	assert_null(strchr(out, '\x1b'));
	json_decref(doc);
	free(out);
	explain_result_free(r);
}

static void
test_text(void **state)
{
	struct explain_result *r = test_explain(TRIPLE, strlen(TRIPLE), 1);
	char *out = render(r, 0, 0);

	assert_non_null(strstr(out, "1 failure in 1 group"));
	assert_non_null(strstr(out, "FAILURE  TLS protocol version mismatch"));
	assert_non_null(strstr(out, "mx.example.com [192.0.2.10]"));
	assert_non_null(strstr(out, "mxdoctor check example.com"));
	assert_non_null(strstr(out, "tls.handshake_failed"));
	assert_non_null(strstr(out, "postfix-tls-established"));
	assert_non_null(strstr(out, "--unknown lists them"));
	assert_null(strchr(out, '\x1b'));
	free(out);
	out = render(r, 0, 1);
	assert_non_null(strstr(out, "Temporary"));
	free(out);
	explain_result_free(r);
}

static void
test_exit_status(void **state)
{
	struct explain_result *r = test_explain_str("nothing to see here\n");

	assert_int_equal(explain_exit_status(r), 0);
	r->incomplete = true;
	assert_int_equal(explain_exit_status(r), 3);
	explain_result_free(r);
	r = test_explain_str("no shared cipher\n");
	assert_int_equal(explain_exit_status(r), 2);
	r->incomplete = true;
	assert_int_equal(explain_exit_status(r), 3);
	explain_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_exit_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
