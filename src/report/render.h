/* render: helpers shared by the text and JSON renderers (private to report/). */
#ifndef MXD_REPORT_RENDER_H
#define MXD_REPORT_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "check/result.h"

#define RENDER_TIME_LEN	32

/* render_findings_sorted: the report's findings, worst first; findings of
 * equal severity keep the order the report holds them in (check/ sorts
 * them by host, address and id).  Returns a malloc'd array of *n borrowed
 * pointers, valid while r is; the caller frees the array. */
const struct finding **render_findings_sorted(const struct report *r,
    size_t *n);

/* JSON building for json.c and explain.c.  jansson fails only on
 * out-of-memory (our strings are checked before they reach it), so, like
 * xalloc, these abort rather than emit half a document.  render_jset and
 * render_jappend take the reference to v. */
struct json_t;
struct json_t *render_jcheck(struct json_t *v);
void render_jset(struct json_t *obj, const char *key, struct json_t *v);
void render_jappend(struct json_t *arr, struct json_t *v);

/* render_time: t as ISO 8601 UTC ("2026-11-29T06:40:48Z") in out;
 * returns out, or NULL when t is 0 (not recorded) or out of range. */
const char *render_time(time_t t, char out[RENDER_TIME_LEN]);

/*
 * The text writer (text_out.c): everything the text report prints goes
 * through these, so that every line is wrapped for an 80-column terminal
 * and every byte of report text passes the control-byte guard.
 */
#define TEXT_WIDTH	80
#define TEXT_LABEL	13	/* width of a fact's label column */

struct text_out {
	FILE	*fp;
	bool	 color;		/* ANSI colour for the severity tags */
	int	 col;		/* column of the next byte on the line */
};

/* text_guard_char: c, or '?' for a byte that must not reach a terminal:
 * C0 controls, DEL, and bytes >= 0x80 (our text is escaped ASCII; a high
 * byte is a C1 control on some terminals). */
char text_guard_char(unsigned char c);
/* text_wrap: prints s (guarded) from the current column, breaking lines
 * between words before TEXT_WIDTH; continuation lines start at column
 * indent.  A word longer than a line is never split (it may hold an
 * escape).  Ends the line. */
void text_wrap(struct text_out *t, int indent, const char *s);
/* text_line: a line of text at column indent; continuation lines are
 * indented two more. */
void text_line(struct text_out *t, int indent, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* text_fact: "label        value" at column indent, the value wrapped in
 * its column; an empty label continues the previous fact. */
void text_fact(struct text_out *t, int indent, const char *label,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* text_finding: severity tag, message and id, then evidence and fix. */
void text_finding(struct text_out *t, int indent, const struct finding *f);
void text_blank(struct text_out *t);

/* The facts blocks (text_facts.c), one "label  value" line per fact.
 * verbose adds the facts that rarely matter: greeting text, EHLO
 * keywords, the whole certificate chain, every DNSBL zone. */
void text_facts_addr(struct text_out *t, int indent,
    const struct addr_result *a, const char *host, bool verbose);
void text_facts_ptr(struct text_out *t, int indent, const struct ptr_result *p);
void text_facts_dnsbl(struct text_out *t, int indent,
    const struct addr_result *a, bool verbose);

#endif
