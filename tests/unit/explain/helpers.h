/* helpers: what the explain tests share: the pattern set under test, running text through explain. */
#ifndef MXD_TESTS_EXPLAIN_HELPERS_H
#define MXD_TESTS_EXPLAIN_HELPERS_H

#include <stddef.h>
#include <time.h>

#include "explain/explain.h"

/* The tests' "now": 2026-11-30T12:00:00Z, so syslog stamps of November
 * fall in 2026 whatever the clock says. */
#define TEST_NOW	((time_t)1796040000)

/* test_patterns: the source tree's data file ($MXD_EXPLAIN_PATTERNS),
 * loaded once; fails the test if it does not load. */
const struct explain_patterns *test_patterns(void);
/* test_explain: runs text (len bytes, may hold NULs) as one input. */
struct explain_result *test_explain(const char *text, size_t len, int want_unknown);
/* test_explain_str: the same for a C string. */
struct explain_result *test_explain_str(const char *text);
/* test_tmpfile: writes len bytes to a new file under $TMPDIR; returns its
 * malloc'd path (the caller unlinks and frees it). */
char *test_tmpfile(const void *data, size_t len);

#endif
