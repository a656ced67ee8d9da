/* explain_report: renders `mxdoctor explain` results as text or JSON (docs/explain.md). */
#ifndef MXD_REPORT_EXPLAIN_REPORT_H
#define MXD_REPORT_EXPLAIN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "explain/explain.h"

struct explain_text_opts {
	bool	color;		/* ANSI colours; the caller decides (TTY, NO_COLOR, --no-color) */
	bool	unknown;	/* list the unknown line shapes (--unknown) */
};

/* explain_render_text: a summary, then one block per group (most frequent
 * first): what failed, where, how often and when, what it means, who must
 * act, the fix, the `mxdoctor check` that confirms it, an example line;
 * then the informational counts and the unknown lines.  Returns 0, or -1
 * on a write error. */
int explain_render_text(const struct explain_result *r,
    const struct explain_text_opts *o, FILE *out);
/* explain_render_json: one JSON document (schema in docs/explain.md);
 * unknown shapes are listed only when unknown is set.  Returns 0 or -1. */
int explain_render_json(const struct explain_result *r, bool unknown, FILE *out);

/* explain_exit_status: 3 when an input could not be read to its end (the
 * answer is incomplete), else 2 when a failure was recognised, else 0. */
int explain_exit_status(const struct explain_result *r);

#endif
