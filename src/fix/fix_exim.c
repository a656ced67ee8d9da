/* fix_exim: placeholder until the generator lands. */
#include "fix/fix.h"

void
fix_exim_full(struct fix_plan *p, const struct fix_ctx *c)
{
	(void)p; (void)c;
}

bool
fix_exim_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	(void)p; (void)c; (void)f;
	return false;
}
