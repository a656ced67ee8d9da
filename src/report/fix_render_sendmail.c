/* fix_render_sendmail: a plan as sendmail.mc define() lines with dnl comments and the sendmail.cf option each becomes. */
#include "report/fix_render.h"
#include "audit/audit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*
 * Values go inside m4 quotes (`...'), where nothing but quotes is
 * special: a value with a backquote, a quote or anything but printable
 * ASCII is never written as a define (SKIPPED comment instead), so it
 * can neither end the quote nor start an m4 macro.  Macro names must be
 * words starting with "conf" (confCIPHER_LIST and the like).  A removal is written as undefine(), which m4 applies
 * before cf/m4/proto.m4 writes the options at the end of sendmail.mc.
 */

static const char *
cf_name(const char *mc)
{
	return audit_sendmail_cf_option(mc);
}

static bool
m4_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == '`' || *s == '\'')
			return false;
	return true;
}

static bool
valid_macro(const char *s)
{
	size_t n;

	if (s == NULL || strncmp(s, "conf", 4) != 0)
		return false;
	for (n = 4; s[n] != '\0'; n++)
		if (!isupper((unsigned char)s[n]) && !isdigit((unsigned char)s[n]) &&
		    s[n] != '_')
			return false;
	return n > 4 && n <= 64;
}


static bool
render_setting(FILE *out, const struct fix_item *it)
{
	const char *v = it->value != NULL ? it->value : "";
	const char *cf;

	putc('\n', out);
	fix_render_labeled(out, "dnl ", "", it->why);
	fix_render_labeled(out, "dnl   ", "Source", it->source);
	fix_render_labeled(out, "dnl   ", "Clears", it->finding);
	if ((it->section != NULL && strcmp(it->section, "mc") != 0) ||
	    !valid_macro(it->name) || !m4_safe(v)) {
		fputs("dnl SKIPPED (not a valid sendmail.mc define):\n", out);
		fix_render_comment(out, "dnl   ", it->section);
		fix_render_comment(out, "dnl   ", it->name);
		fix_render_comment(out, "dnl   ", v);
		return false;
	}
	cf = cf_name(it->name);
	if (it->kind == FIX_UNSET) {
		if (cf != NULL)
			fprintf(out, "dnl   sendmail.cf: no \"O %s=\" line "
			    "(OpenSSL's or Sendmail's default)\n", cf);
		fprintf(out, "dnl   Better: delete the define(`%s', ...) line "
		    "above.\n", it->name);
		fprintf(out, "undefine(`%s')dnl\n", it->name);
		return true;
	}
	if (cf != NULL)
		fprintf(out, "dnl   sendmail.cf: O %s=%s\n", cf, v);
	fprintf(out, "define(`%s', `%s')dnl\n", it->name, v);
	return true;
}

static void
render_action(FILE *out, const struct fix_item *it)
{
	putc('\n', out);
	fix_render_labeled(out, "dnl ", it->kind == FIX_FILE ? "FILE" : "ACTION",
	    it->kind == FIX_FILE ? it->name : it->value);
	if (it->kind == FIX_FILE)
		fix_render_labeled(out, "dnl   ", "Run (after review)", it->value);
	fix_render_labeled(out, "dnl   ", "Why", it->why);
	fix_render_labeled(out, "dnl   ", "Source", it->source);
	fix_render_labeled(out, "dnl   ", "Clears", it->finding);
}

int
fix_render_sendmail(const struct fix_plan *p, FILE *out)
{
	size_t i, nset = 0;

	fputs("dnl sendmail.mc TLS settings from mxdoctor fix.\n", out);
	fix_render_labeled(out, "dnl ", "Profile", p->profile);
	fix_render_labeled(out, "dnl ", "Made from", p->full ? "no report: the complete "
	    "recommended TLS configuration" : (p->made_from ? p->made_from :
	    "a report"));
	fix_render_labeled(out, "dnl ", "Sendmail version", p->mta_version ?
	    p->mta_version : "unknown (syntax of Sendmail 8.15 and later)");
	fix_render_comment(out, "dnl ", "Put these lines in sendmail.mc "
	    "before the MAILER() lines, in place of any define of the same "
	    "name, then rebuild sendmail.cf and restart sendmail: Debian "
	    "\"make -C /etc/mail\" (or sendmailconfig); elsewhere "
	    "\"m4 sendmail.mc > sendmail.cf\" in the directory with "
	    "sendmail's cf files (e.g. /usr/share/sendmail/cf/cf). If you "
	    "edit sendmail.cf directly instead, use the O lines given with "
	    "each define.");
	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];

		if (it->kind == FIX_SET || it->kind == FIX_UNSET) {
			if (render_setting(out, it))
				nset++;
		}
	}
	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];

		if (it->kind == FIX_ACTION || it->kind == FIX_FILE)
			render_action(out, it);
	}
	if (p->notes.n > 0) {
		fputs("\ndnl Notes:\n", out);
		for (i = 0; i < p->notes.n; i++)
			fix_render_labeled(out, "dnl ", "-", p->notes.v[i]);
	}
	if (p->untouched.n > 0) {
		fputs("\ndnl Findings these lines do not change:\n", out);
		for (i = 0; i < p->untouched.n; i++)
			fix_render_labeled(out, "dnl ", "-", p->untouched.v[i]);
	}
	if (nset > 0)
		fputs("\ndnl Then check: sendmail -bt -d0.1 -C "
		    "/etc/mail/sendmail.cf </dev/null\ndnl prints \"readcf:\" "
		    "errors with their line, if any.\n", out);
	else
		fputs("\ndnl Nothing in sendmail.mc changes.\n", out);
	return fflush(out) == EOF || ferror(out) ? -1 : 0;
}
