/* test_reader: gzip, truncated and corrupt gzip, binary data, huge lines, empty input, missing files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "explain/reader.h"
#include "helpers.h"
#include "util/xalloc.h"

#define FAIL_LINE "Nov 29 06:33:21 mx1 postfix/smtp[2114]: warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 alert protocol version:x.c:1:\n"
#define OK_LINE "Nov 29 06:33:21 mx1 postfix/qmgr[811]: 6A3F21C04A2: removed\n"

/* gzip_of: len bytes compressed as a gzip file; returns its path. */
static char *
gzip_of(const char *data, size_t len)
{
	char *path = test_tmpfile("", 0);
	gzFile gz = gzopen(path, "wb");

	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
	assert_int_equal(gzclose(gz), Z_OK);
	return path;
}

static struct explain_result *
run_path(const char *path, int *rc)
{
	struct explain_opts o = { false, TEST_NOW };
	struct explain_run *run = explain_run_new(test_patterns(), &o);

	*rc = explain_run_input(run, path);
	return explain_run_finish(run);
}

/* A log of n lines, every tenth a failure. */
static char *
make_log(size_t n, size_t *len)
{
	char *text = xmalloc(n * 160 + 1);
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		const char *l = i % 10 == 0 ? FAIL_LINE : OK_LINE;

		memcpy(text + o, l, strlen(l));
		o += strlen(l);
	}
	text[o] = '\0';
	*len = o;
	return text;
}

static void
test_gzip(void **state)
{
	size_t len;
	char *text = make_log(50000, &len), *path = gzip_of(text, len);
	int rc;
	struct explain_result *r = run_path(path, &rc);

	assert_int_equal(rc, 0);
	assert_true(r->inputs[0].compressed);
	assert_true(r->inputs[0].complete);
	assert_int_equal(r->inputs[0].bytes, len);
	assert_int_equal(r->lines, 50000);
	assert_int_equal(r->failure_lines, 5000);
	assert_false(r->incomplete);
	explain_result_free(r);
	unlink(path);
	free(path);
	free(text);
}

/* Cut a gzip file in the middle: the lines before count, the input is
 * marked incomplete with a clear reason. */
static void
test_truncated_gzip(void **state)
{
	size_t len;
	char *text = make_log(200000, &len), *path = gzip_of(text, len);
	FILE *fp = fopen(path, "rb");
	long size;
	int rc;
	struct explain_result *r;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fclose(fp);
	assert_int_equal(truncate(path, size / 2), 0);
	r = run_path(path, &rc);
	assert_int_equal(rc, -1);
	assert_true(r->incomplete);
	assert_false(r->inputs[0].complete);
	assert_non_null(strstr(r->inputs[0].error, "truncated gzip"));
	assert_true(r->lines > 0 && r->lines < 200000);
	assert_true(r->failure_lines > 0);
	explain_result_free(r);
	unlink(path);
	free(path);
	free(text);
}

static void
test_corrupt_gzip(void **state)
{
	size_t len;
	char *text = make_log(20000, &len), *path = gzip_of(text, len);
	FILE *fp = fopen(path, "r+b");
	int rc;
	struct explain_result *r;

	assert_non_null(fp);
	fseek(fp, 200, SEEK_SET);
	fwrite("garbage-garbage-garbage", 1, 23, fp);
	fclose(fp);
	r = run_path(path, &rc);
	assert_int_equal(rc, -1);
	assert_true(r->incomplete);
	assert_non_null(r->inputs[0].error);
	assert_non_null(strstr(r->inputs[0].error, "gzip"));
	explain_result_free(r);
	unlink(path);
	free(path);
	free(text);
}

/* Binary data: NULs are read as spaces, reported once, nothing crashes;
 * a failure line after them is still found. */
static void
test_binary(void **state)
{
	char data[4096];
	size_t i, len;
	struct explain_result *r;

	for (i = 0; i < 3000; i++)
		data[i] = (char)((i * 7919) % 256);
	len = 3000;
	memcpy(data + len, "\n" FAIL_LINE, strlen(FAIL_LINE) + 1);
	len += strlen(FAIL_LINE) + 1;
	r = test_explain(data, len, 1);
	assert_true(r->inputs[0].binary);
	assert_int_equal(r->failures, 1);
	explain_result_free(r);
}

/* A 1 MB line (no newline within a whole read buffer) and a 100 KiB one:
 * cut at EXPLAIN_LINE_MAX and counted; the lines around them still work. */
static void
test_huge_lines(void **state)
{
	size_t big = 1024 * 1024, mid = 100 * 1024, len = 0;
	char *data = xmalloc(big + mid + 1024);
	struct explain_result *r;

	len += (size_t)snprintf(data + len, 512, "%s", FAIL_LINE);
	memset(data + len, 'x', big);
	len += big;
	data[len++] = '\n';
	memset(data + len, 'y', mid);
	memcpy(data + len + mid - 40, " no shared cipher ", 18);	/* past the cut */
	len += mid;
	data[len++] = '\n';
	len += (size_t)snprintf(data + len, 512, "%s", FAIL_LINE);
	r = test_explain(data, len, 0);
	assert_int_equal(r->lines, 4);
	assert_int_equal(r->long_lines, 2);
	assert_int_equal(r->inputs[0].long_lines, 2);
	assert_int_equal(r->failure_lines, 2);	/* the cut-off reason is not seen */
	explain_result_free(r);
	free(data);
}

static void
test_empty(void **state)
{
	struct explain_result *r = test_explain("", 0, 0);

	assert_int_equal(r->lines, 0);
	assert_int_equal(r->failures, 0);
	assert_int_equal(r->ngroups, 0);
	assert_true(r->inputs[0].complete);
	explain_result_free(r);
}

/* The last line without its newline still counts. */
static void
test_no_final_newline(void **state)
{
	const char *text = OK_LINE "tlsv1 alert protocol version";
	struct explain_result *r = test_explain(text, strlen(text), 0);

	assert_int_equal(r->lines, 2);
	assert_int_equal(r->failures, 1);
	explain_result_free(r);
}

/* Lines across the reader's block boundary are whole. */
static void
test_block_boundary(void **state)
{
	size_t len;
	char *text = make_log(READER_BLOCK / 60, &len);
	struct explain_result *r = test_explain(text, len, 0);

	assert_int_equal(r->lines, READER_BLOCK / 60);
	assert_int_equal(r->failure_lines, (READER_BLOCK / 60 + 9) / 10);
	explain_result_free(r);
	free(text);
}

static void
test_missing_file(void **state)
{
	int rc;
	struct explain_result *r = run_path("/nonexistent/mail.log", &rc);

	assert_int_equal(rc, -1);
	assert_true(r->incomplete);
	assert_string_equal(r->inputs[0].error, "No such file or directory");
	explain_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_truncated_gzip),
		cmocka_unit_test(test_corrupt_gzip),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_huge_lines),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_block_boundary),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
