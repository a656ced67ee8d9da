/* reader: zlib gzread over plain or gzip input, cut into blocks of whole lines of bounded length. */
#include "explain/reader.h"
#include "explain/explain.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

struct explain_reader {
	gzFile		 gz;
	char		*buf;		/* READER_BLOCK + 1: room for a final '\n' */
	size_t		 len;		/* valid bytes in buf */
	size_t		 used;		/* bytes of buf handed out in the last block */
	bool		 eof;
	bool		 skipping;	/* dropping the rest of an overlong line */
	bool		 compressed;
	bool		 binary;
	uint64_t	 long_lines;
	uint64_t	 bytes;
	char		 err[256];
};

static struct explain_reader *
reader_new(int fd, char *err, size_t errlen)
{
	struct explain_reader *r;
	gzFile gz = gzdopen(fd, "rb");

	if (gz == NULL) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno ? errno : ENOMEM));
		close(fd);
		return NULL;
	}
	gzbuffer(gz, 256 * 1024);
	r = xcalloc(1, sizeof(*r));
	r->gz = gz;
	r->buf = xmalloc(READER_BLOCK + 1);
	return r;
}

struct explain_reader *
explain_reader_open(const char *path, char *err, size_t errlen)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return explain_reader_open_fd(STDIN_FILENO, err, errlen);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	return reader_new(fd, err, errlen);
}

struct explain_reader *
explain_reader_open_fd(int fd, char *err, size_t errlen)
{
	/* gzclose closes the descriptor it was given: give it a copy. */
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (copy == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	return reader_new(copy, err, errlen);
}

void
explain_reader_close(struct explain_reader *r)
{
	if (r == NULL)
		return;
	gzclose_r(r->gz);
	free(r->buf);
	free(r);
}

/* fill: reads more into buf; sets eof, or err and returns -1. */
static int
fill(struct explain_reader *r)
{
	int n, errnum;
	const char *msg;

	if (r->eof || r->len == READER_BLOCK)
		return 0;
	n = gzread(r->gz, r->buf + r->len, (unsigned)(READER_BLOCK - r->len));
	if (r->bytes == 0 && n > 0)
		r->compressed = gzdirect(r->gz) == 0;
	if (n > 0) {
		r->len += (size_t)n;
		r->bytes += (uint64_t)n;
		return 0;
	}
	msg = gzerror(r->gz, &errnum);
	if (n < 0 || errnum != Z_OK) {
		/* Z_BUF_ERROR at the end: the gzip stream stopped mid-way. */
		if (errnum == Z_ERRNO)
			snprintf(r->err, sizeof(r->err), "%s", strerror(errno));
		else if (errnum == Z_BUF_ERROR)
			snprintf(r->err, sizeof(r->err), "truncated gzip data (unexpected end of file)");
		else
			snprintf(r->err, sizeof(r->err), "corrupt gzip data (%s)", msg);
		return -1;
	}
	r->eof = true;
	return 0;
}

/* skip_rest: drops bytes up to and including the '\n' ending an overlong
 * line; returns 1 while the line goes on. */
static int
skip_rest(struct explain_reader *r)
{
	char *nl = memchr(r->buf, '\n', r->len);

	if (nl == NULL) {
		r->len = 0;
		return 1;
	}
	r->len -= (size_t)(nl + 1 - r->buf);
	memmove(r->buf, nl + 1, r->len);
	r->skipping = false;
	return 0;
}

/* bound_lines: cuts lines over EXPLAIN_LINE_MAX inside block (in place),
 * replaces NULs; returns the new length and counts lines. */
static size_t
bound_lines(struct explain_reader *r, char *block, size_t len, uint64_t *nlines)
{
	size_t s = 0, w = 0, l, keep;
	char *nl, *z;
	uint64_t n = 0;

	if ((z = memchr(block, '\0', len)) != NULL) {
		r->binary = true;
		for (; z != NULL; z = memchr(z, '\0', len - (size_t)(z - block)))
			*z = ' ';
	}
	while (s < len && (nl = memchr(block + s, '\n', len - s)) != NULL) {
		l = (size_t)(nl - (block + s));
		keep = l > EXPLAIN_LINE_MAX ? EXPLAIN_LINE_MAX : l;
		if (l > EXPLAIN_LINE_MAX)
			r->long_lines++;
		if (w != s)
			memmove(block + w, block + s, keep);
		w += keep;
		block[w++] = '\n';
		s += l + 1;
		n++;
	}
	*nlines = n;
	return w;
}

int
explain_reader_next(struct explain_reader *r, char **block, size_t *len,
    uint64_t *nlines)
{
	char *last;
	size_t end;

	/* What the last block handed out is consumed: keep the carry. */
	if (r->used > 0) {
		r->len -= r->used;
		memmove(r->buf, r->buf + r->used, r->len);
		r->used = 0;
	}
	for (;;) {
		if (fill(r) == -1)
			return -1;
		if (r->skipping && skip_rest(r) == 1) {
			if (r->eof)
				return 0;
			continue;
		}
		if (r->len == 0 && r->eof)
			return 0;
		last = memrchr(r->buf, '\n', r->len);
		if (last != NULL || r->eof || r->len == READER_BLOCK)
			break;
	}
	if (last != NULL) {
		end = (size_t)(last - r->buf) + 1;
	} else if (r->eof) {
		r->buf[r->len++] = '\n';	/* a last line without its newline */
		end = r->len;
	} else {
		/* A line longer than the whole buffer: keep its start, drop the
		 * rest up to its newline. */
		r->long_lines++;
		r->buf[EXPLAIN_LINE_MAX] = '\n';
		r->skipping = true;
		r->len = end = EXPLAIN_LINE_MAX + 1;
	}
	r->used = end;
	*block = r->buf;
	*len = bound_lines(r, r->buf, end, nlines);
	return 1;
}

const char *
explain_reader_error(const struct explain_reader *r)
{
	return r->err[0] != '\0' ? r->err : NULL;
}

bool
explain_reader_compressed(const struct explain_reader *r)
{
	return r->compressed;
}

bool
explain_reader_binary(const struct explain_reader *r)
{
	return r->binary;
}

uint64_t
explain_reader_long_lines(const struct explain_reader *r)
{
	return r->long_lines;
}

uint64_t
explain_reader_bytes(const struct explain_reader *r)
{
	return r->bytes;
}
