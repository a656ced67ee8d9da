/* fixtest: what the fix-plan tests of every MTA share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtest.h"
#include "tls/suites.h"
#include "util/xalloc.h"

#define GOLDEN_MAX	(1 << 20)

struct tls_profile *
fixtest_profile(const char *name)
{
	char *err = NULL;
	struct tls_profile *p = tls_profile_load_named(name,
	    getenv("MXD_PROFILE_DIR"), &err);

	if (p == NULL)
		fail_msg("%s", err);
	return p;
}

static const char *
setting(const struct fix_ctx *c, const char *name)
{
	const struct fixtest_ctx *t = (const struct fixtest_ctx *)c;
	const char *v = NULL;
	size_t i;

	for (i = 0; t->kv != NULL && t->kv[i] != NULL; i += 2)
		if (strcmp(t->kv[i], name) == 0)
			v = t->kv[i + 1];
	return v;
}

void
fixtest_ctx_init(struct fixtest_ctx *t, const struct fix_opts *o,
    const char *const *kv)
{
	memset(t, 0, sizeof(*t));
	t->c.o = o;
	t->c.setting = setting;
	t->kv = kv;
	t->c.vmin = TLS_V_TLS12;
	t->c.vmax = TLS_V_TLS13;
}

void
fixtest_golden(const char *name, const char *got, size_t len)
{
	char *path = xasprintf("%s/%s", getenv("MXD_GOLDEN_DIR"), name);
	char *want = xmalloc(GOLDEN_MAX);
	FILE *fp;
	size_t n;

	if (getenv("MXD_UPDATE_GOLDEN") != NULL) {
		fp = fopen(path, "wb");
		assert_non_null(fp);
		fwrite(got, 1, len, fp);
		fclose(fp);
	}
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("%s missing (MXD_UPDATE_GOLDEN=1 writes it)", path);
	n = fread(want, 1, GOLDEN_MAX, fp);
	fclose(fp);
	if (n != len || memcmp(want, got, len) != 0)
		fail_msg("%s differs from the output (MXD_UPDATE_GOLDEN=1 "
		    "after an intended change)", path);
	free(want);
	free(path);
}
