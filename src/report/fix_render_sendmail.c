/* fix_render_sendmail: placeholder. */
#include "report/fix_render.h"
int fix_render_sendmail(const struct fix_plan *p, FILE *out) { (void)p; (void)out; return -1; }
