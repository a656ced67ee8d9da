/* xalloc: allocation wrappers that abort on out-of-memory. */
#ifndef MXD_UTIL_XALLOC_H
#define MXD_UTIL_XALLOC_H

#include <stddef.h>

/* All of these abort() with a message on stderr when memory runs out, so
 * callers never test for NULL.  xfree(NULL) is a no-op like free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray: like reallocarray(3), aborts on overflow too. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* xstrndup: copies at most n bytes and always NUL-terminates. */
char *xstrndup(const char *s, size_t n);
/* xasprintf: formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
