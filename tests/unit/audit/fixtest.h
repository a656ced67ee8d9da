/* fixtest: what the fix-plan tests of every MTA share: profiles, a fix_ctx over fixed settings, golden files. */
#ifndef MXD_TESTS_FIXTEST_H
#define MXD_TESTS_FIXTEST_H

#include <stddef.h>

#include "fix/fix.h"
#include "tls/profile.h"

/* A profile from MXD_PROFILE_DIR; fails the test if it cannot load. */
struct tls_profile *fixtest_profile(const char *name);

/* A fix_ctx whose settings are kv: name, value, ..., NULL (the last
 * value of a name wins), versions TLS 1.2 to 1.3. */
struct fixtest_ctx {
	struct fix_ctx		 c;
	const char *const	*kv;
};
void fixtest_ctx_init(struct fixtest_ctx *t, const struct fix_opts *o,
    const char *const *kv);

/* got (len bytes) against MXD_GOLDEN_DIR/name; MXD_UPDATE_GOLDEN=1
 * writes the file first.  Fails the test on a difference. */
void fixtest_golden(const char *name, const char *got, size_t len);

#endif
