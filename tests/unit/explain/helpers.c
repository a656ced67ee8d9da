/* helpers: the pattern set under test and running text through explain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util/xalloc.h"

const struct explain_patterns *
test_patterns(void)
{
	static struct explain_patterns *ps;
	const char *path = getenv("MXD_EXPLAIN_PATTERNS");
	char err[512];

	if (ps != NULL)
		return ps;
	if (path == NULL)
		path = explain_patterns_default_path();
	assert_non_null(path);
	ps = explain_patterns_load(path, err, sizeof(err));
	if (ps == NULL)
		fail_msg("%s", err);
	return ps;
}

char *
test_tmpfile(const void *data, size_t len)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *path = xasprintf("%s/mxd-explain-test-XXXXXX", dir);
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

struct explain_result *
test_explain(const char *text, size_t len, int want_unknown)
{
	struct explain_opts o = { want_unknown != 0, TEST_NOW };
	struct explain_run *run = explain_run_new(test_patterns(), &o);
	char *path = test_tmpfile(text, len);
	int rc = explain_run_input(run, path);

	unlink(path);
	free(path);
	assert_int_equal(rc, 0);
	return explain_run_finish(run);
}

struct explain_result *
test_explain_str(const char *text)
{
	return test_explain(text, strlen(text), 0);
}
