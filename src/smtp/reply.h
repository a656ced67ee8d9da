/* reply: bounded parser for SMTP replies (RFC 5321 4.2), single- and multi-line. */
#ifndef MXD_SMTP_REPLY_H
#define MXD_SMTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#define SMTP_LINE_MAX	2048	/* bytes per line, CRLF excluded; longer is a protocol error */
#define SMTP_LINES_MAX	64	/* lines per reply; more is a protocol error */

/* A complete reply.  text holds the lines' texts (after "ddd-"/"ddd ")
 * joined by '\n', raw bytes as received (not yet escaped: escape before
 * printing, e.g. str_escape(r->text, r->len, ...)).  text is always
 * NUL-terminated, but server text may itself contain NUL bytes: len is
 * the authoritative length. */
struct smtp_reply {
	int	 code;		/* 100..599; 0 for "no reply" */
	char	*text;
	size_t	 nlines;
	size_t	 len;		/* bytes in text, terminating NUL excluded */
};

struct smtp_reply_parser;

enum smtp_reply_status {
	SMTP_REPLY_MORE,	/* line consumed, reply not complete yet */
	SMTP_REPLY_DONE,	/* reply complete: take it with _take() */
	SMTP_REPLY_ERROR	/* malformed: see _error(); parser must be reset */
};

struct smtp_reply_parser *smtp_reply_parser_new(void);
void smtp_reply_parser_free(struct smtp_reply_parser *p);
void smtp_reply_parser_reset(struct smtp_reply_parser *p);
/* Feeds one line without its line ending ("\r\n" or a bare "\n" are both
 * accepted by the caller that splits lines).  len may exceed
 * SMTP_LINE_MAX, which yields SMTP_REPLY_ERROR. */
enum smtp_reply_status smtp_reply_parser_line(struct smtp_reply_parser *p,
    const char *line, size_t len);
/* Moves the completed reply into *out (caller frees with smtp_reply_clear)
 * and resets the parser for the next reply.  Called before SMTP_REPLY_DONE
 * it yields code 0, nlines 0 and an empty text. */
void smtp_reply_parser_take(struct smtp_reply_parser *p, struct smtp_reply *out);
/* Borrowed description of the last error. */
const char *smtp_reply_parser_error(const struct smtp_reply_parser *p);

void smtp_reply_clear(struct smtp_reply *r);

/* smtp_reply_ehlo_caps: splits an EHLO reply into capability keywords
 * (first word of every line after the first, upper-cased), appending
 * "KEYWORD" or "KEYWORD params" strings to caps.  Blanks around the line
 * and between keyword and params are dropped, params are kept as sent;
 * a line is cut at an embedded NUL; blank lines are skipped.  Entries are
 * raw server text: escape before printing. */
struct strvec;
void smtp_reply_ehlo_caps(const struct smtp_reply *r, struct strvec *caps);
/* smtp_caps_has: whether one of caps (as made by smtp_reply_ehlo_caps)
 * has keyword as its keyword, ignoring case: "SIZE" matches "SIZE 1000",
 * "SIZ" does not. */
bool smtp_caps_has(const struct strvec *caps, const char *keyword);
/* smtp_reply_domain: the first word of the first line of a 220 greeting
 * or 250 EHLO reply (the server's claimed name), malloc'd, or NULL when
 * that line is blank.  Raw server text: escape before printing. */
char *smtp_reply_domain(const struct smtp_reply *r);

#endif
