/* fix_render_exim: a plan as an Exim configuration fragment: main-section lines, then smtp-transport lines, every value commented. */
#include "report/fix_render.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*
 * The fragment is pasted into Exim's configuration by a person, so it
 * is grouped by where each line goes.  Exim reads an unquoted value to
 * the end of the line and expands "$" in most TLS options: a value is
 * written unquoted when it is plain, in Exim's double quotes (\\ and \"
 * escaped) when it has a backslash, a quote or edge blanks, and not at
 * all (a SKIPPED comment) when it holds "$" or anything but printable
 * ASCII.  Option and transport names must be Exim's [a-z0-9_] words.
 */

#define RULE	"# ----------------------------------------------------------------------\n"

static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static bool
valid_option(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	for (n = 0; s[n] != '\0'; n++)
		if (!islower((unsigned char)s[n]) && !isdigit((unsigned char)s[n]) &&
		    s[n] != '_')
			return false;
	return n > 0 && n <= 64;
}

/* "transport NAME" -> NAME, or NULL for anything else. */
static const char *
transport_of(const char *section)
{
	const char *t;
	size_t n;

	if (section == NULL || strncmp(section, "transport ", 10) != 0)
		return NULL;
	t = section + 10;
	for (n = 0; t[n] != '\0'; n++)
		if (!isalnum((unsigned char)t[n]) && t[n] != '_' && t[n] != '-')
			return NULL;
	return n > 0 && n <= 64 ? t : NULL;
}

static bool
is_main(const struct fix_item *it)
{
	return it->section == NULL || strcmp(it->section, "main") == 0;
}


static void
put_value(FILE *out, const char *v)
{
	size_t n = strlen(v);
	bool quote = n == 0 || v[0] == ' ' || v[n - 1] == ' ' ||
	    strpbrk(v, "\\\"") != NULL;

	if (!quote) {
		fputs(v, out);
		return;
	}
	putc('"', out);
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			putc('\\', out);
		putc(*v, out);
	}
	putc('"', out);
}

static void
render_setting(FILE *out, const struct fix_item *it, const char *indent)
{
	const char *v = it->value != NULL ? it->value : "";

	putc('\n', out);
	if (it->why != NULL)
		fix_render_labeled(out, "# ", "", it->why);
	fix_render_labeled(out, "#   ", "Source", it->source);
	fix_render_labeled(out, "#   ", "Clears", it->finding);
	if (!valid_option(it->name) || !printable(v) || strchr(v, '$') != NULL) {
		fputs("# SKIPPED (not a valid Exim setting):\n", out);
		fix_render_comment(out, "#   ", it->name ? it->name : "?");
		fix_render_comment(out, "#   ", v);
		return;
	}
	if (it->kind == FIX_UNSET) {
		fprintf(out, "# REMOVE the line that sets %s, if there is "
		    "one:\n# Exim's default applies then.\n", it->name);
		return;
	}
	fprintf(out, "%s%s = ", indent, it->name);
	put_value(out, v);
	putc('\n', out);
}

static void
render_action(FILE *out, const struct fix_item *it)
{
	putc('\n', out);
	fix_render_labeled(out, "# ", it->kind == FIX_FILE ? "FILE" : "ACTION",
	    it->kind == FIX_FILE ? it->name : it->value);
	if (it->kind == FIX_FILE)
		fix_render_labeled(out, "#   ", "Run (after review)", it->value);
	fix_render_labeled(out, "#   ", "Why", it->why);
	fix_render_labeled(out, "#   ", "Source", it->source);
	fix_render_labeled(out, "#   ", "Clears", it->finding);
}

static void
header(FILE *out, const struct fix_plan *p)
{
	fputs("# Exim TLS configuration from mxdoctor fix.\n", out);
	fix_render_labeled(out, "# ", "Profile", p->profile);
	fix_render_labeled(out, "# ", "Made from", p->full ? "no report: the complete "
	    "recommended TLS configuration" : (p->made_from ? p->made_from :
	    "a report"));
	fix_render_labeled(out, "# ", "Exim version", p->mta_version ? p->mta_version :
	    "unknown (syntax of Exim 4.96, Debian 12)");
	fix_render_comment(out, "# ", "Each line replaces the line that sets "
	    "the same option in the same place (Exim refuses an option set "
	    "twice). Debian's exim4-config: put main-section lines in "
	    "/etc/exim4/exim4.conf.localmacros (MAIN_TLS_ENABLE = yes "
	    "instead of tls_advertise_hosts), transport lines in the "
	    "remote_smtp transport (conf.d/transport/30_exim4-config_"
	    "remote_smtp or exim4.conf.template), then run "
	    "update-exim4.conf.");
}

/* Every item of one section; returns how many were written. */
static size_t
render_section(FILE *out, const struct fix_plan *p, const char *transport)
{
	size_t i, n = 0;

	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];
		const char *t;

		if (it->kind != FIX_SET && it->kind != FIX_UNSET)
			continue;
		if (transport == NULL) {
			if (!is_main(it))
				continue;
		} else if ((t = transport_of(it->section)) == NULL ||
		    strcmp(t, transport) != 0)
			continue;
		if (n++ == 0) {
			fputs("\n" RULE, out);
			if (transport == NULL)
				fputs("# main section (before the first "
				    "\"begin\" line)\n", out);
			else
				fprintf(out, "# in your smtp transport (%s), "
				    "after \"begin transports\"\n", transport);
			fputs(RULE, out);
		}
		render_setting(out, it, transport ? "  " : "");
	}
	return n;
}

int
fix_render_exim(const struct fix_plan *p, FILE *out)
{
	size_t i, j, nset = 0;
	bool head = false;

	header(out, p);
	nset += render_section(out, p, NULL);
	for (i = 0; i < p->nitems; i++) {
		const char *t = transport_of(p->items[i].section);
		bool seen = false;

		if (t == NULL || (p->items[i].kind != FIX_SET &&
		    p->items[i].kind != FIX_UNSET))
			continue;
		for (j = 0; j < i && !seen; j++) {
			const char *u = transport_of(p->items[j].section);

			seen = u != NULL && strcmp(u, t) == 0 &&
			    (p->items[j].kind == FIX_SET ||
			    p->items[j].kind == FIX_UNSET);
		}
		if (!seen)
			nset += render_section(out, p, t);
	}
	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];

		if (it->kind == FIX_ACTION || it->kind == FIX_FILE) {
			if (!head)
				fputs("\n" RULE "# steps for you (not "
				    "configuration lines)\n" RULE, out);
			head = true;
			render_action(out, it);
		} else if (!is_main(it) && transport_of(it->section) == NULL) {
			putc('\n', out);
			fputs("# SKIPPED (not a place in Exim's configuration):\n",
			    out);
			fix_render_comment(out, "#   ", it->section);
			fix_render_comment(out, "#   ", it->name);
		}
	}
	if (p->notes.n > 0) {
		fputs("\n# Notes:\n", out);
		for (i = 0; i < p->notes.n; i++)
			fix_render_labeled(out, "# ", "-", p->notes.v[i]);
	}
	if (p->untouched.n > 0) {
		fputs("\n# Findings this fragment does not change:\n", out);
		for (i = 0; i < p->untouched.n; i++)
			fix_render_labeled(out, "# ", "-", p->untouched.v[i]);
	}
	if (nset > 0)
		fputs("\n# Then check the whole configuration with exim -bV "
		    "(it names the first\n# error and its line) and restart "
		    "Exim (Debian: systemctl restart exim4).\n", out);
	else
		fputs("\n# Nothing in Exim's configuration changes.\n", out);
	return fflush(out) == EOF || ferror(out) ? -1 : 0;
}
