/* match: one Hyperscan database for every pattern, suspect and marker; hits grouped by line. */
#include "explain/match.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <hs/hs.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Structure markers: anchored at a line start, matched case-insensitively. */
static const char *const marker_regex[MARK__N] = {
	[MARK_REMOTE_MTA] = "^Remote-MTA:",
	[MARK_REPORTING_MTA] = "^Reporting-MTA:",
	[MARK_RECIPIENT] = "^(Final|Original)-Recipient:",
	[MARK_MBOX_FROM] = "^From [^ ]+ ",
	[MARK_DATE] = "^Date: ",
};

/* A hit: a distinct id on the line starting at `start`. */
struct hit {
	uint32_t	start;
	uint32_t	id;
};

/* The compiled database: made once when the pattern set loads. */
struct explain_db {
	hs_database_t	*db;
	unsigned	 nids;		/* patterns + suspects + markers */
	unsigned	 suspect_base;
	unsigned	 mark_base;
};

/* What one run needs besides: Hyperscan's scratch space, the hits. */
struct explain_matcher {
	const struct explain_db *db;
	hs_scratch_t	*scratch;
	unsigned	 nids;
	unsigned	 suspect_base;
	unsigned	 mark_base;
	size_t		 max_block;
	struct hit	*hits;
	size_t		 nhits, cap;
	uint64_t	*seen;		/* bitmap of ids on the current line */
	size_t		 seen_words;
	unsigned	*ids;		/* one line's ids, for the callback */
};

/* The scan in progress (hs_scan's context). */
struct scan {
	struct explain_matcher	*m;
	const char		*block;
	size_t			 len;
	size_t			 cur_start, cur_end;	/* the current line */
	bool			 sorted;
	bool			 overflow;
};

/* hs_regex: the data-file regex for Hyperscan: a negated bracket expression
 * must not match '\n' either, so that no match crosses a line ('.' never
 * does).  The caller frees. */
static char *
hs_regex(const char *re)
{
	struct buf *b = buf_new(strlen(re) * 2 + 16);
	char *out;
	bool in_bracket = false;
	size_t i;

	for (i = 0; re[i] != '\0'; i++) {
		if (!in_bracket && re[i] == '\\' && re[i + 1] != '\0') {
			buf_add(b, re + i, 2);
			i++;
			continue;
		}
		buf_add(b, re + i, 1);
		if (!in_bracket && re[i] == '[') {
			in_bracket = true;
			if (re[i + 1] == '^') {
				buf_adds(b, "^\\n");
				i++;
			}
		} else if (in_bracket && re[i] == ']') {
			in_bracket = false;
		}
	}
	out = buf_steal(b);
	buf_free(b);
	return out;
}

struct explain_db *
explain_db_compile(const struct explain_patterns *ps, char *err, size_t errlen)
{
	size_t np = explain_patterns_count(ps), i;
	struct explain_db *d;
	char **exprs;
	unsigned *flags, *ids, nids;
	hs_compile_error_t *ce = NULL;

	if (hs_valid_platform() != HS_SUCCESS) {
		snprintf(err, errlen, "this CPU lacks SSSE3, which the matcher (Hyperscan) needs");
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	d->suspect_base = (unsigned)np;
	d->mark_base = (unsigned)(np + explain_patterns_nsuspects(ps));
	d->nids = nids = d->mark_base + MARK__N;
	exprs = xcalloc(nids, sizeof(*exprs));
	flags = xcalloc(nids, sizeof(*flags));
	ids = xcalloc(nids, sizeof(*ids));
	for (i = 0; i < nids; i++) {
		const char *re;

		if (i < np)
			re = explain_patterns_get(ps, i)->regex;
		else if (i < d->mark_base)
			re = explain_patterns_suspect(ps, i - np);
		else
			re = marker_regex[i - d->mark_base];
		exprs[i] = hs_regex(re);
		flags[i] = HS_FLAG_CASELESS | HS_FLAG_MULTILINE;
		ids[i] = (unsigned)i;
	}
	if (hs_compile_multi((const char *const *)exprs, flags, ids, nids,
	    HS_MODE_BLOCK, NULL, &d->db, &ce) != HS_SUCCESS) {
		int e = ce != NULL ? ce->expression : -1;

		snprintf(err, errlen, "the matcher cannot compile %s: %s",
		    e >= 0 && (size_t)e < np ? explain_patterns_get(ps, (size_t)e)->id :
		    e >= 0 ? exprs[e] : "the pattern set",
		    ce != NULL ? ce->message : "unknown error");
		hs_free_compile_error(ce);
		free(d);
		d = NULL;
	}
	for (i = 0; i < nids; i++)
		free(exprs[i]);
	free(exprs);
	free(flags);
	free(ids);
	return d;
}

void
explain_db_free(struct explain_db *d)
{
	if (d == NULL)
		return;
	hs_free_database(d->db);
	free(d);
}

struct explain_matcher *
explain_matcher_new(const struct explain_patterns *ps, size_t max_block,
    char *err, size_t errlen)
{
	const struct explain_db *d = explain_patterns_db(ps);
	struct explain_matcher *m;

	if (max_block > UINT32_MAX / 2) {
		snprintf(err, errlen, "block size too large");
		return NULL;
	}
	m = xcalloc(1, sizeof(*m));
	m->db = d;
	m->suspect_base = d->suspect_base;
	m->mark_base = d->mark_base;
	m->nids = d->nids;
	m->max_block = max_block;
	/* Each distinct id on a line needs a literal of EXPLAIN_LITERAL_MIN
	 * bytes (markers: 5) somewhere in it, so a block cannot hold more
	 * distinct (line, id) pairs than this. */
	m->cap = max_block / EXPLAIN_LITERAL_MIN + 64;
	m->hits = xreallocarray(NULL, m->cap, sizeof(*m->hits));
	m->seen_words = (m->nids + 63) / 64;
	m->seen = xcalloc(m->seen_words, sizeof(*m->seen));
	m->ids = xcalloc(m->nids, sizeof(*m->ids));
	if (hs_alloc_scratch(d->db, &m->scratch) != HS_SUCCESS) {
		snprintf(err, errlen, "cannot allocate the matcher's scratch space");
		explain_matcher_free(m);
		return NULL;
	}
	return m;
}

void
explain_matcher_free(struct explain_matcher *m)
{
	if (m == NULL)
		return;
	hs_free_scratch(m->scratch);
	free(m->hits);
	free(m->seen);
	free(m->ids);
	free(m);
}

unsigned
explain_matcher_suspect_base(const struct explain_matcher *m)
{
	return m->suspect_base;
}

unsigned
explain_matcher_mark_base(const struct explain_matcher *m)
{
	return m->mark_base;
}

/* set_line: makes the line holding byte `at` current. */
static void
set_line(struct scan *s, size_t at)
{
	const char *nl = memchr(s->block + at, '\n', s->len - at);
	const char *prev = memrchr(s->block, '\n', at);
	size_t start = prev != NULL ? (size_t)(prev - s->block) + 1 : 0;

	if (s->m->nhits > 0 && start < s->m->hits[s->m->nhits - 1].start)
		s->sorted = false;
	s->cur_start = start;
	s->cur_end = nl != NULL ? (size_t)(nl - s->block) : s->len;
	memset(s->m->seen, 0, s->m->seen_words * sizeof(*s->m->seen));
}

static int
on_match(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	struct scan *s = ctx;
	struct explain_matcher *m = s->m;
	size_t at = to > 0 ? (size_t)to - 1 : 0;

	if (at < s->cur_start || at >= s->cur_end)
		set_line(s, at);
	if (m->seen[id / 64] & (UINT64_C(1) << (id % 64)))
		return 0;
	m->seen[id / 64] |= UINT64_C(1) << (id % 64);
	if (m->nhits == m->cap) {
		s->overflow = true;
		return 1;
	}
	m->hits[m->nhits].start = (uint32_t)s->cur_start;
	m->hits[m->nhits].id = id;
	m->nhits++;
	return 0;
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

uint64_t
explain_count_lines(const char *p, size_t n)
{
	const char *end = p + n, *nl;
	uint64_t count = 0;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		count++;
		p = nl + 1;
	}
	return count;
}

/* insert_id: adds id to the ascending set ids[0..n); returns the new n. */
static size_t
insert_id(unsigned *ids, size_t n, unsigned id)
{
	size_t i = n;

	while (i > 0 && ids[i - 1] > id)
		i--;
	if (i > 0 && ids[i - 1] == id)
		return n;
	memmove(ids + i + 1, ids + i, (n - i) * sizeof(*ids));
	ids[i] = id;
	return n + 1;
}

/* deliver: hits (sorted by line) to the callback, line by line, each
 * line's ids distinct and ascending. */
static void
deliver(struct explain_matcher *m, const char *block, size_t len,
    uint64_t first_line, explain_match_cb cb, void *arg)
{
	uint64_t lineno = first_line;
	size_t i = 0, counted = 0, n, start, end;
	const char *nl;

	while (i < m->nhits) {
		start = m->hits[i].start;
		n = 0;
		for (; i < m->nhits && m->hits[i].start == start; i++)
			n = insert_id(m->ids, n, m->hits[i].id);
		lineno += explain_count_lines(block + counted, start - counted);
		counted = start;
		nl = memchr(block + start, '\n', len - start);
		end = nl != NULL ? (size_t)(nl - block) : len;
		cb(block + start, end - start, lineno, m->ids, n, arg);
	}
}

int
explain_matcher_scan(struct explain_matcher *m, const char *block, size_t len,
    uint64_t first_line, explain_match_cb cb, void *arg, char *err, size_t errlen)
{
	struct scan s = { m, block, len, 0, 0, true, false };
	hs_error_t rc;

	if (len > m->max_block) {
		snprintf(err, errlen, "block of %zu bytes over the matcher's %zu", len,
		    m->max_block);
		return -1;
	}
	if (len == 0)
		return 0;
	m->nhits = 0;
	memset(m->seen, 0, m->seen_words * sizeof(*m->seen));
	rc = hs_scan(m->db->db, block, (unsigned)len, 0, m->scratch, on_match, &s);
	if (s.overflow || (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)) {
		snprintf(err, errlen, "%s", s.overflow ? "too many matches in one block" :
		    "the matcher failed");
		return -1;
	}
	if (!s.sorted)
		qsort(m->hits, m->nhits, sizeof(*m->hits), hit_cmp);
	deliver(m, block, len, first_line, cb, arg);
	return 0;
}
