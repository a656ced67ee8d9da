/* reply: bounded parser for SMTP replies (RFC 5321 4.2), single- and multi-line. */
#include "smtp/reply.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Room for SMTP_LINES_MAX texts of SMTP_LINE_MAX bytes and their '\n's,
 * so the text buffer can never be what rejects a reply: the line caps
 * are checked first and give the better message. */
#define REPLY_TEXT_MAX	((size_t)SMTP_LINES_MAX * (SMTP_LINE_MAX + 1))

struct smtp_reply_parser {
	enum smtp_reply_status	 status;	/* MORE: collecting */
	int			 code;		/* 0: no line yet */
	size_t			 nlines;
	struct buf		*text;
	char			 error[128];
};

struct smtp_reply_parser *
smtp_reply_parser_new(void)
{
	struct smtp_reply_parser *p = xcalloc(1, sizeof(*p));

	p->text = buf_new(REPLY_TEXT_MAX);
	smtp_reply_parser_reset(p);
	return p;
}

void
smtp_reply_parser_free(struct smtp_reply_parser *p)
{
	if (p == NULL)
		return;
	buf_free(p->text);
	free(p);
}

void
smtp_reply_parser_reset(struct smtp_reply_parser *p)
{
	p->status = SMTP_REPLY_MORE;
	p->code = 0;
	p->nlines = 0;
	p->error[0] = '\0';
	buf_reset(p->text);
}

const char *
smtp_reply_parser_error(const struct smtp_reply_parser *p)
{
	return p->error;
}

static enum smtp_reply_status
parser_fail(struct smtp_reply_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records why the reply is malformed; the parser stays in error until reset. */
static enum smtp_reply_status
parser_fail(struct smtp_reply_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	p->status = SMTP_REPLY_ERROR;
	return p->status;
}

/* The three-digit code at the start of line, or -1 if those are not digits. */
static int
parser_code(const char *line)
{
	int i, code = 0;

	for (i = 0; i < 3; i++) {
		if (line[i] < '0' || line[i] > '9')
			return -1;
		code = code * 10 + (line[i] - '0');
	}
	return code;
}

enum smtp_reply_status
smtp_reply_parser_line(struct smtp_reply_parser *p, const char *line,
    size_t len)
{
	size_t lineno = p->nlines + 1;
	int code;

	if (p->status == SMTP_REPLY_ERROR)
		return p->status;
	if (p->status == SMTP_REPLY_DONE)
		return parser_fail(p, "line after a complete reply not taken");
	if (len > SMTP_LINE_MAX)
		return parser_fail(p, "line %zu: %zu bytes, over the %d-byte "
		    "cap", lineno, len, SMTP_LINE_MAX);
	if (p->nlines >= SMTP_LINES_MAX)
		return parser_fail(p, "more than %d lines in one reply",
		    SMTP_LINES_MAX);
	if (len < 3)
		return parser_fail(p, "line %zu: too short for a reply code",
		    lineno);
	if ((code = parser_code(line)) == -1)
		return parser_fail(p, "line %zu: reply code is not three "
		    "digits", lineno);
	if (code < 100 || code > 599)
		return parser_fail(p, "line %zu: reply code %03d out of range",
		    lineno, code);
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return parser_fail(p, "line %zu: no ' ' or '-' after the code",
		    lineno);
	if (p->nlines > 0 && code != p->code)
		return parser_fail(p, "line %zu: code %03d, earlier lines %03d",
		    lineno, code, p->code);

	/* Both adds fit: REPLY_TEXT_MAX covers every line the caps allow. */
	if (p->nlines > 0)
		buf_add(p->text, "\n", 1);
	if (len > 4)
		buf_add(p->text, line + 4, len - 4);
	p->code = code;
	p->nlines++;
	/* "ddd" alone is a final line with no text (RFC 5321 4.2). */
	if (len == 3 || line[3] == ' ')
		p->status = SMTP_REPLY_DONE;
	return p->status;
}

void
smtp_reply_parser_take(struct smtp_reply_parser *p, struct smtp_reply *out)
{
	memset(out, 0, sizeof(*out));
	if (p->status == SMTP_REPLY_DONE) {
		out->code = p->code;
		out->nlines = p->nlines;
		/* Not buf_steal(): it copies up to the first NUL only. */
		out->len = buf_len(p->text);
		out->text = xmalloc(out->len + 1);
		memcpy(out->text, buf_str(p->text), out->len + 1);
	} else
		out->text = xstrdup("");
	smtp_reply_parser_reset(p);
}

void
smtp_reply_clear(struct smtp_reply *r)
{
	free(r->text);
	memset(r, 0, sizeof(*r));
}

static bool
reply_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* One EHLO line [s, s + n) as "KEYWORD" or "KEYWORD params", or NULL if
 * it is blank. */
static char *
reply_cap(const char *s, size_t n)
{
	const char *nul, *end, *kw_end, *params;
	char *cap;
	size_t kw_len, i;

	if ((nul = memchr(s, '\0', n)) != NULL)
		n = (size_t)(nul - s);
	end = s + n;
	while (s < end && reply_blank(*s))
		s++;
	while (end > s && reply_blank(end[-1]))
		end--;
	if (s == end)
		return NULL;
	for (kw_end = s; kw_end < end && !reply_blank(*kw_end); kw_end++)
		;
	for (params = kw_end; params < end && reply_blank(*params); params++)
		;
	kw_len = (size_t)(kw_end - s);
	if (params == end)
		cap = xstrndup(s, kw_len);
	else
		cap = xasprintf("%.*s %.*s", (int)kw_len, s,
		    (int)(end - params), params);
	for (i = 0; i < kw_len; i++)
		cap[i] = (char)toupper((unsigned char)cap[i]);
	return cap;
}

void
smtp_reply_ehlo_caps(const struct smtp_reply *r, struct strvec *caps)
{
	const char *s, *end, *nl;
	char *cap;

	if (r->text == NULL)
		return;
	s = r->text;
	end = r->text + r->len;
	/* The first line is the server's name and greeting, not a keyword. */
	if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
		return;
	for (s = nl + 1; s <= end; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		if ((cap = reply_cap(s, (size_t)(nl - s))) != NULL)
			strvec_add_owned(caps, cap);
		if (nl == end)
			break;
	}
}

bool
smtp_caps_has(const struct strvec *caps, const char *keyword)
{
	size_t i, n = strlen(keyword);

	if (n == 0)
		return false;
	for (i = 0; i < caps->n; i++)
		if (strncasecmp(caps->v[i], keyword, n) == 0 &&
		    (caps->v[i][n] == '\0' || caps->v[i][n] == ' '))
			return true;
	return false;
}

char *
smtp_reply_domain(const struct smtp_reply *r)
{
	const char *s, *e, *end;

	if (r->text == NULL)
		return NULL;
	s = r->text;
	end = r->text + r->len;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	for (e = s; e < end && *e != ' ' && *e != '\t' && *e != '\n' &&
	    *e != '\r' && *e != '\0'; e++)
		;
	if (e == s)
		return NULL;
	return xstrndup(s, (size_t)(e - s));
}
