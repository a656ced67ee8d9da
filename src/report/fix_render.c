/* fix_render: the renderers' shared comment writer and the dispatcher by MTA. */
#include "report/fix_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_WIDTH	76

static void
put_safe(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		putc(ch == '\t' || ch == '\n' || ch == '\r' ? ' ' :
		    (ch < 0x20 || ch >= 0x7f) ? '?' : ch, out);
	}
}

/* One line of text (no newline in it), wrapped. */
static void
comment_para(FILE *out, const char *prefix, const char *s, size_t len,
    size_t width)
{
	size_t cut, end;

	for (;;) {
		while (len > 0 && *s == ' ') {
			s++;
			len--;
		}
		if (len == 0)
			return;
		if (len <= width)
			cut = len;
		else {
			for (cut = width; cut > 0 && s[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = width;	/* one long word: cut it */
		}
		for (end = cut; end > 0 && s[end - 1] == ' '; end--)
			;
		fputs(prefix, out);
		put_safe(out, s, end);
		putc('\n', out);
		s += cut;
		len -= cut;
	}
}

int
fix_render_comment(FILE *out, const char *prefix, const char *text)
{
	size_t plen = strlen(prefix), width, n;
	const char *s = text;

	if (text == NULL)
		return 0;
	if (plen == 0) {
		/* Continuing a line the caller began: one line, never
		 * wrapped, so that no text lands outside the comment. */
		put_safe(out, text, strlen(text));
		putc('\n', out);
		return ferror(out) ? -1 : 0;
	}
	width = plen + 20 < COMMENT_WIDTH ? COMMENT_WIDTH - plen : 20;
	while (*s != '\0') {
		n = strcspn(s, "\r\n");
		comment_para(out, prefix, s, n, width);
		s += n;
		if (*s != '\0')
			s++;
	}
	return ferror(out) ? -1 : 0;
}

int
fix_render(const struct fix_plan *p, bool powershell, FILE *out)
{
	switch (p->mta) {
	case AUDIT_POSTFIX:	return fix_render_postfix(p, out);
	case AUDIT_EXIM:	return fix_render_exim(p, out);
	case AUDIT_SENDMAIL:	return fix_render_sendmail(p, out);
	case AUDIT_SCHANNEL:	return fix_render_schannel(p, powershell, out);
	}
	return -1;
}

void
fix_render_labeled(FILE *out, const char *prefix, const char *label,
    const char *text)
{
	char *buf;
	size_t n;

	if (text == NULL)
		return;
	n = strlen(label) + strlen(text) + 3;
	if ((buf = malloc(n)) == NULL) {
		fix_render_comment(out, prefix, label);
		fix_render_comment(out, prefix, text);
		return;
	}
	snprintf(buf, n, "%s%s %s", label, *label != '\0' &&
	    strcmp(label, "-") != 0 ? ":" : "", text);
	fix_render_comment(out, prefix, buf);
	free(buf);
}
