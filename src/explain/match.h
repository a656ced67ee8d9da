/* match: finds, in a block of log lines, every line any pattern or suspect matches (Hyperscan). */
#ifndef MXD_EXPLAIN_MATCH_H
#define MXD_EXPLAIN_MATCH_H

/*
 * Why Hyperscan: the measurement in bench/README.md.  On the same 50 MB log
 * and pattern set: PCRE2-JIT with one alternation of all patterns 13 MB/s,
 * a hand-written Aho-Corasick literal prefilter 480 MB/s before any regex
 * verification, Hyperscan 1,600 MB/s with exact matching; `grep -i -E -f`
 * runs at 330 MB/s (LC_ALL=C).  All patterns are compiled into one database
 * and matched at once, case-insensitively; a match never crosses a line.
 */

#include <stddef.h>
#include <stdint.h>

#include "explain/patterns.h"

/* Match ids: patterns first (their index in the set), then suspects, then
 * these structure markers, which explain.c uses to follow bounces. */
enum explain_mark {
	MARK_REMOTE_MTA,	/* "Remote-MTA: dns; host" */
	MARK_REPORTING_MTA,	/* "Reporting-MTA: dns; host" */
	MARK_RECIPIENT,		/* "Final-Recipient: rfc822; user@domain" */
	MARK_MBOX_FROM,		/* "From sender date" (mbox separator) */
	MARK_DATE,		/* "Date: ..." header */
	MARK__N
};

struct explain_matcher;

/* explain_db_compile: the pattern set's database (explain_patterns_parse
 * makes it; one per set, shared by every run).  NULL with the reason in
 * err (a regex Hyperscan refuses, or a CPU without SSSE3). */
struct explain_db *explain_db_compile(const struct explain_patterns *ps,
    char *err, size_t errlen);
void explain_db_free(struct explain_db *d);	/* NULL is a no-op */

/* explain_match_cb: one matched line (without its '\n'), its number
 * (first_line + index in the block), and its distinct ids, ascending. */
typedef void (*explain_match_cb)(const char *line, size_t len, uint64_t lineno,
    const unsigned *ids, size_t nids, void *arg);

/* explain_matcher_new: a matcher for ps's database (ps is borrowed and
 * must outlive it); cheap: scratch space and buffers.
 * max_block is the largest block explain_matcher_scan will be given.
 * NULL with the reason in err. */
struct explain_matcher *explain_matcher_new(const struct explain_patterns *ps,
    size_t max_block, char *err, size_t errlen);
void explain_matcher_free(struct explain_matcher *m);	/* NULL is a no-op */

/* The first suspect id and the first marker id. */
unsigned explain_matcher_suspect_base(const struct explain_matcher *m);
unsigned explain_matcher_mark_base(const struct explain_matcher *m);

/* explain_matcher_scan: block is whole lines, each ending in '\n', at most
 * max_block bytes.  Calls cb in line order.  Returns 0, or -1 with the
 * reason in err. */
int explain_matcher_scan(struct explain_matcher *m, const char *block,
    size_t len, uint64_t first_line, explain_match_cb cb, void *arg,
    char *err, size_t errlen);

/* explain_count_lines: the number of '\n' in p[0..n). */
uint64_t explain_count_lines(const char *p, size_t n);

#endif
