/* fix_render: internal: one renderer per MTA for a fix plan (report/fix_render_*.c). */
#ifndef MXD_REPORT_FIX_RENDER_H
#define MXD_REPORT_FIX_RENDER_H

#include <stdio.h>

#include <stdbool.h>
#include <stdint.h>

#include "fix/fix.h"

/*
 * Each writes the plan in the MTA's own syntax to out, every value
 * preceded by a comment with its reason and source (and the finding it
 * clears), then the plan's notes and untouched findings as comments.
 * Strings in the plan are escaped already; a renderer still never lets a
 * newline out of a comment or a quote out of a quoted value.  Return 0,
 * or -1 on a write error.
 *
 *  postfix:  a POSIX sh script: `postconf [-c DIR] -e 'name = value'`,
 *            `postconf [-c DIR] -P 'service/type/name = value'` for
 *            master.cf, `postconf -X` for FIX_UNSET, actions as comments,
 *            ending with `postfix [-c DIR] check` and reload.
 *  exim:     a fragment for the main section and for the smtp transport.
 *  sendmail: sendmail.mc define() lines (and the .cf O lines as comments).
 *  schannel: a .reg file (Windows Registry Editor Version 5.00); with
 *            powershell set, the equivalent PowerShell instead.
 */
int fix_render_postfix(const struct fix_plan *p, FILE *out);
int fix_render_exim(const struct fix_plan *p, FILE *out);
int fix_render_sendmail(const struct fix_plan *p, FILE *out);
int fix_render_schannel(const struct fix_plan *p, bool powershell, FILE *out);
/* Shared: comment lines, each starting with prefix ("# ", "; "),
 * wrapped at 76 columns; a newline in text starts a new comment line,
 * other control bytes and bytes outside ASCII are written as '?', so
 * nothing in text can end the comment.  An empty prefix continues a
 * line the caller began: text on that one line, newlines as spaces,
 * never wrapped.  NULL text writes nothing. */
int fix_render_comment(FILE *out, const char *prefix, const char *text);
/* fix_render_labeled: "LABEL: text" as comment lines (no colon after an
 * empty label or "-"); nothing when text is NULL. */
void fix_render_labeled(FILE *out, const char *prefix, const char *label,
    const char *text);
/* fix_render: the renderer of the plan's MTA (powershell: schannel's
 * PowerShell form instead of the .reg file). */
int fix_render(const struct fix_plan *p, bool powershell, FILE *out);

#endif
