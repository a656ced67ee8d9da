/* report: renders collected results as text or JSON: the only code that prints results. */
#ifndef MXD_REPORT_REPORT_H
#define MXD_REPORT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "check/result.h"

struct report_text_opts {
	bool	color;		/* ANSI colours; the caller decides (TTY, NO_COLOR, --no-color) */
	bool	verbose;	/* also print per-address facts that raised no finding */
};

/* report_render_text: the human report for an 80-column terminal: a
 * header, then per target and MX host (in preference order) each
 * address's facts and findings, worst first, each with evidence and fix;
 * the --sending-ip addresses; a summary line and, when there are errors,
 * what to do first.  Every byte of report text passes a guard that prints
 * control and non-ASCII bytes as '?' (strings are escaped already: this is
 * defence in depth).  Returns 0 or -1 on a write error. */
int report_render_text(const struct report *r, const struct report_text_opts *o,
    FILE *out);
/* report_render_json: one JSON document as docs/json.md describes
 * (schema 1), every string printable ASCII.  Returns 0 or -1 on a write
 * error. */
int report_render_json(const struct report *r, FILE *out);
/* report_render_catalogue: docs/findings.md from the catalogue (Markdown);
 * `mxdoctor findings` and mxd-gen-findings print it.  Returns 0 or -1. */
int report_render_catalogue(FILE *out);

#endif
