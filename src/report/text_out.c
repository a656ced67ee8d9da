/* text_out: the text report's writer: word wrap, indentation, the control-byte guard, colour. */
#include "report/render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANSI_RED	"\033[31m"
#define ANSI_YELLOW	"\033[33m"
#define ANSI_CYAN	"\033[36m"
#define ANSI_RESET	"\033[0m"

#define TAG_WIDTH	7	/* "ERROR  ", "WARN   ", "INFO   " */
#define SUB_HANG	2	/* extra indent of continued evidence and fix lines */

char
text_guard_char(unsigned char c)
{
	if (c < 0x20 || c >= 0x7f)
		return '?';
	return (char)c;
}

static void
put_guarded(struct text_out *t, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		putc(text_guard_char((unsigned char)s[i]), t->fp);
	t->col += (int)len;
}

static void
put_spaces(struct text_out *t, int n)
{
	for (; n > 0; n--) {
		putc(' ', t->fp);
		t->col++;
	}
}

static void
put_newline(struct text_out *t)
{
	putc('\n', t->fp);
	t->col = 0;
}

void
text_wrap(struct text_out *t, int indent, const char *s)
{
	bool word_on_line = false;
	size_t len;

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		len = strcspn(s, " ");
		if (word_on_line && t->col + 1 + (int)len > TEXT_WIDTH) {
			put_newline(t);
			put_spaces(t, indent);
			word_on_line = false;
		}
		if (word_on_line)
			put_spaces(t, 1);
		put_guarded(t, s, len);
		word_on_line = true;
		s += len;
	}
	put_newline(t);
}

/* vformat: the formatted text, or NULL when memory runs out (the line is
 * then lost, and the caller's stream error check cannot see it: abort as
 * xalloc does). */
static char *
vformat(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) == -1) {
		fputs("mxdoctor: out of memory (text report)\n", stderr);
		abort();
	}
	return s;
}

static char *
format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
format(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	return s;
}

void
text_line(struct text_out *t, int indent, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	put_spaces(t, indent);
	text_wrap(t, indent + SUB_HANG, s);
	free(s);
}

void
text_fact(struct text_out *t, int indent, const char *label,
    const char *fmt, ...)
{
	va_list ap;
	char *s;
	int pad;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	put_spaces(t, indent);
	fputs(label, t->fp);
	t->col += (int)strlen(label);
	/* At least one space, even after a label as wide as the column. */
	pad = indent + TEXT_LABEL - t->col;
	put_spaces(t, pad > 0 ? pad : 1);
	text_wrap(t, indent + TEXT_LABEL, s);
	free(s);
}

static void
put_tag(struct text_out *t, enum severity sev)
{
	const char *tag, *color;

	switch (sev) {
	case SEV_ERROR:
		tag = "ERROR";
		color = ANSI_RED;
		break;
	case SEV_WARNING:
		tag = "WARN";
		color = ANSI_YELLOW;
		break;
	default:
		tag = "INFO";
		color = ANSI_CYAN;
		break;
	}
	if (t->color)
		fprintf(t->fp, "%s%s%s", color, tag, ANSI_RESET);
	else
		fputs(tag, t->fp);
	t->col += (int)strlen(tag);
}

/* sub_line: "label: text" under a finding's message. */
static void
sub_line(struct text_out *t, int indent, const char *label, const char *s)
{
	put_spaces(t, indent);
	fputs(label, t->fp);
	t->col += (int)strlen(label);
	text_wrap(t, indent + SUB_HANG, s);
}

void
text_finding(struct text_out *t, int indent, const struct finding *f)
{
	int text_col = indent + TAG_WIDTH;
	char *msg;

	put_spaces(t, indent);
	put_tag(t, f->severity);
	put_spaces(t, text_col - t->col);
	msg = format("%s [%s]", f->message ? f->message : "", f->id);
	text_wrap(t, text_col, msg);
	free(msg);
	if (f->evidence != NULL && f->evidence[0] != '\0')
		sub_line(t, text_col, "evidence: ", f->evidence);
	if (f->fix != NULL && f->fix[0] != '\0')
		sub_line(t, text_col, "fix: ", f->fix);
}

void
text_blank(struct text_out *t)
{
	put_newline(t);
}
