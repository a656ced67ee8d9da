/* fix_int: internal to fix/: helpers shared by the report reader and the generic actions. */
#ifndef MXD_FIX_FIX_INT_H
#define MXD_FIX_FIX_INT_H

#include <stdbool.h>

#include "fix/fix.h"

/* Both NULL, or equal strings. */
bool fix_str_same(const char *a, const char *b);
/* The string member key of obj as stored in the report (unbounded,
 * untrusted: compare it, never print it), or NULL. */
const char *fix_report_str(struct json_t *obj, const char *key);
/* fix_generic: the actions for findings no MTA setting fixes (ptr.*,
 * dnsbl.listed, dns.*, cert.*); false when f is none of those or there
 * is nothing precise to say (fix_actions.c). */
bool fix_generic(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f);

#endif
