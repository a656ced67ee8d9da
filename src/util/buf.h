/* buf: growing byte buffer with a hard maximum size. */
#ifndef MXD_UTIL_BUF_H
#define MXD_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf;

/* buf_new: an empty buffer that will never hold more than max bytes.
 * The content is always NUL-terminated (the NUL is not counted). */
struct buf *buf_new(size_t max);
void buf_free(struct buf *b);		/* buf_free(NULL) is a no-op */

/* Appends; returns 0, or -1 (nothing appended) when max would be exceeded. */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

void buf_reset(struct buf *b);
const char *buf_str(const struct buf *b);	/* borrowed, valid until next change */
size_t buf_len(const struct buf *b);
/* buf_steal: returns the content as a malloc'd string and empties b. */
char *buf_steal(struct buf *b);

#endif
