/* fix_render_exim: placeholder. */
#include "report/fix_render.h"
int fix_render_exim(const struct fix_plan *p, FILE *out) { (void)p; (void)out; return -1; }
