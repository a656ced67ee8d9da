/* buf: growing byte buffer with a hard maximum size. */
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;	/* allocated, including room for the NUL */
	size_t	 max;
};

struct buf *
buf_new(size_t max)
{
	struct buf *b = xcalloc(1, sizeof(*b));

	b->max = max;
	b->size = 64;
	b->data = xmalloc(b->size);
	b->data[0] = '\0';
	return b;
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	free(b);
}

static int
buf_reserve(struct buf *b, size_t add)
{
	size_t need;

	if (add > b->max || b->len > b->max - add)
		return -1;
	need = b->len + add + 1;
	if (need <= b->size)
		return 0;
	while (b->size < need)
		b->size *= 2;
	b->data = xrealloc(b->data, b->size);
	return 0;
}

int
buf_add(struct buf *b, const void *data, size_t len)
{
	if (buf_reserve(b, len) == -1)
		return -1;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_reserve(b, (size_t)n) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

const char *
buf_str(const struct buf *b)
{
	return b->data;
}

size_t
buf_len(const struct buf *b)
{
	return b->len;
}

char *
buf_steal(struct buf *b)
{
	char *s = xstrndup(b->data, b->len);

	buf_reset(b);
	return s;
}
