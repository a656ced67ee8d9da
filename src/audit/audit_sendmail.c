/* audit_sendmail: placeholder until the reader lands. */
#include "audit/audit.h"
#include "util/xalloc.h"

int
audit_read_sendmail(const struct audit_opts *o, struct audit_result *a,
    struct report *r, char **err)
{
	(void)o; (void)a; (void)r;
	*err = xstrdup("not implemented yet");
	return -1;
}
