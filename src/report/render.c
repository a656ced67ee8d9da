/* render: helpers shared by the text and JSON renderers. */
#include "report/render.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

const struct finding **
render_findings_sorted(const struct report *r, size_t *n)
{
	const struct finding **v;
	size_t i, o = 0;
	int sev;

	/* A counting pass per severity is stable without a comparator that
	 * has to look at array positions. */
	v = xcalloc(r->nfindings + 1, sizeof(*v));
	for (sev = SEV_ERROR; sev >= SEV_INFO; sev--)
		for (i = 0; i < r->nfindings; i++)
			if ((int)r->findings[i].severity == sev)
				v[o++] = &r->findings[i];
	*n = o;
	return v;
}

const char *
render_time(time_t t, char out[RENDER_TIME_LEN])
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(out, RENDER_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return NULL;
	return out;
}

struct json_t *
render_jcheck(struct json_t *v)
{
	if (v == NULL) {
		fputs("mxdoctor: out of memory (JSON)\n", stderr);
		abort();
	}
	return v;
}

void
render_jset(struct json_t *obj, const char *key, struct json_t *v)
{
	if (json_object_set_new(obj, key, render_jcheck(v)) == -1)
		render_jcheck(NULL);
}

void
render_jappend(struct json_t *arr, struct json_t *v)
{
	if (json_array_append_new(arr, render_jcheck(v)) == -1)
		render_jcheck(NULL);
}
