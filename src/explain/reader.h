/* reader: plain or gzip input as blocks of whole, bounded lines. */
#ifndef MXD_EXPLAIN_READER_H
#define MXD_EXPLAIN_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define READER_BLOCK	(1024 * 1024)	/* bytes read at a time */

struct explain_reader;

/* explain_reader_open: path "-" is standard input (not closed at the end).
 * gzip is recognised by its content, not the name.  NULL with the reason
 * in err. */
struct explain_reader *explain_reader_open(const char *path, char *err,
    size_t errlen);
/* explain_reader_open_fd: reads fd (not closed by the reader). */
struct explain_reader *explain_reader_open_fd(int fd, char *err, size_t errlen);
void explain_reader_close(struct explain_reader *r);	/* NULL is a no-op */

/* explain_reader_next: the next block of lines, valid (and the caller's to
 * change in place) until the next call.
 * Every line ends in '\n' (one is added to a last line without it), is at
 * most EXPLAIN_LINE_MAX bytes before it (the rest of a longer line is
 * dropped and counted) and holds no NUL (replaced by a space, and the
 * input marked binary).  *nlines is the number of lines in the block.
 * Returns 1, 0 at the end, or -1 on a read error or a truncated or corrupt
 * gzip stream (explain_reader_error says which; the blocks before it are
 * good). */
int explain_reader_next(struct explain_reader *r, char **block,
    size_t *len, uint64_t *nlines);
const char *explain_reader_error(const struct explain_reader *r);

bool explain_reader_compressed(const struct explain_reader *r);
bool explain_reader_binary(const struct explain_reader *r);
uint64_t explain_reader_long_lines(const struct explain_reader *r);
uint64_t explain_reader_bytes(const struct explain_reader *r);

#endif
