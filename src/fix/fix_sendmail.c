/* fix_sendmail: placeholder until the generator lands. */
#include "fix/fix.h"

void
fix_sendmail_full(struct fix_plan *p, const struct fix_ctx *c)
{
	(void)p; (void)c;
}

bool
fix_sendmail_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	(void)p; (void)c; (void)f;
	return false;
}
