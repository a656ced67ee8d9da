/* fix_render_postfix: a plan as a POSIX sh script of postconf commands, with the steps for a person as comments. */
#include "report/fix_render.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/*
 * The script is meant to be read, then run as root with sh.  Only
 * postconf, postfix check and postfix reload are executed; every value
 * is single-quoted (a quote inside becomes '\''), and an item whose
 * name, service or value holds anything but printable ASCII is written
 * as a comment instead of a command, so nothing from a report can
 * escape into the shell.  Running the script twice gives the same
 * configuration: postconf -e/-P set, -X/-PX remove (a no-op when
 * absent).
 */

static void
sh_quote(FILE *out, const char *s)
{
	putc('\'', out);
	for (; *s != '\0'; s++)
		if (*s == '\'')
			fputs("'\\''", out);
		else
			putc(*s, out);
	putc('\'', out);
}

/* One shell word: a, sep and b single-quoted together. */
static void
arg(FILE *out, const char *a, const char *sep, const char *b)
{
	const char *parts[3] = { a, sep, b };
	size_t i;

	putc('\'', out);
	for (i = 0; i < 3; i++) {
		const char *s;

		for (s = parts[i]; *s != '\0'; s++)
			if (*s == '\'')
				fputs("'\\''", out);
			else
				putc(*s, out);
	}
	putc('\'', out);
}

static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* A Postfix parameter name. */
static bool
valid_name(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return false;
	for (; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '_')
			return false;
	return n > 0 && n <= 100;
}

/* A master.cf service as postconf -P names it: "smtp/inet",
 * "192.0.2.1:25/inet", "[::1]:smtp/inet". */
static bool
valid_service(const char *s)
{
	static const char *const types[] = { "inet", "unix", "fifo", "pass",
	    "unix-dgram", NULL };
	const char *slash = strrchr(s, '/'), *c;
	size_t i;

	if (slash == NULL || slash == s || slash - s > 64)
		return false;
	for (c = s; c < slash; c++)
		if (!isalnum((unsigned char)*c) && strchr("-_.:[]", *c) == NULL)
			return false;
	for (i = 0; types[i] != NULL; i++)
		if (strcmp(slash + 1, types[i]) == 0)
			return true;
	return false;
}

static bool
is_main(const struct fix_item *it)
{
	return it->section == NULL || strcmp(it->section, "main.cf") == 0;
}

static void
cmd(FILE *out, const struct fix_plan *p, const char *prog, const char *opts)
{
	fputs(prog, out);
	if (p->config_dir != NULL) {
		fputs(" -c ", out);
		sh_quote(out, p->config_dir);
	}
	if (opts != NULL)
		fprintf(out, " %s", opts);
}

/* "label: text" as comment lines. */

/* "# name: why", then its source and the findings it clears. */
static void
item_head(FILE *out, const char *label, const struct fix_item *it)
{
	if (it->why != NULL)
		fix_render_labeled(out, "# ", label, it->why);
	else
		fix_render_comment(out, "# ", label);
	fix_render_labeled(out, "#   ", "Source", it->source);
	fix_render_labeled(out, "#   ", "Clears", it->finding);
}

static void
skipped(FILE *out, const struct fix_item *it, const char *why)
{
	fprintf(out, "# SKIPPED (%s):\n", why);
	fix_render_comment(out, "#   ", it->name);
	fix_render_comment(out, "#   ", it->section);
	fix_render_comment(out, "#   ", it->value);
}

/* Returns whether a command that changes the configuration was written. */
static bool
render_setting(FILE *out, const struct fix_plan *p, const struct fix_item *it)
{
	const char *v = it->value ? it->value : "";
	char label[256];

	snprintf(label, sizeof(label), "%s%s%s",
	    it->name && printable(it->name) ? it->name : "?",
	    is_main(it) ? "" : " in master.cf ",
	    is_main(it) ? "" : (printable(it->section) ? it->section : "?"));
	item_head(out, label, it);
	if (!valid_name(it->name) || !printable(v) ||
	    (!is_main(it) && !valid_service(it->section))) {
		skipped(out, it, "not a valid Postfix setting");
		return false;
	}
	if (is_main(it)) {
		cmd(out, p, "postconf", it->kind == FIX_SET ? "-e" : "-X");
		putc(' ', out);
		if (it->kind == FIX_SET)
			arg(out, it->name, " = ", v);
		else
			sh_quote(out, it->name);
		putc('\n', out);
		return true;
	}
	if (it->kind == FIX_SET && strpbrk(v, " \t") != NULL) {
		/* postconf -P refuses whitespace in a value. */
		fprintf(out, "# ACTION: edit master.cf by hand: in the %s entry "
		    "set -o %s= to the value below (postconf -P cannot write a "
		    "value with spaces):\n", it->section, it->name);
		fix_render_comment(out, "#   ", v);
		return false;
	}
	cmd(out, p, "postconf", it->kind == FIX_SET ? "-P" : "-PX");
	putc(' ', out);
	snprintf(label, sizeof(label), "%s/%s", it->section, it->name);
	if (it->kind == FIX_SET)
		arg(out, label, "=", v);
	else
		sh_quote(out, label);
	putc('\n', out);
	return true;
}

static void
render_action(FILE *out, const struct fix_item *it)
{
	fputs("# ACTION:\n", out);
	fix_render_comment(out, "#   ", it->value);
	if (it->why != NULL) {
		fputs("#   Why:\n", out);
		fix_render_comment(out, "#     ", it->why);
	}
	if (it->source != NULL) {
		fputs("#   Source:\n", out);
		fix_render_comment(out, "#     ", it->source);
	}
	fix_render_labeled(out, "#   ", "Clears", it->finding);
}

static void
render_file(FILE *out, const struct fix_item *it)
{
	fix_render_labeled(out, "# ", "FILE", it->name ? it->name : "?");
	fix_render_comment(out, "#   ", it->why);
	/* The command on one line, whatever its length: it is meant to be
	 * copied. */
	fputs("#   Run (after review):\n#     ", out);
	fix_render_comment(out, "", it->value ? it->value : "?");
	if (it->source != NULL) {
		fputs("#   Source:\n", out);
		fix_render_comment(out, "#     ", it->source);
	}
	fix_render_labeled(out, "#   ", "Clears", it->finding);
}

static void
header(FILE *out, const struct fix_plan *p)
{
	size_t i, nset = 0, nact = 0;

	for (i = 0; i < p->nitems; i++)
		if (p->items[i].kind == FIX_SET || p->items[i].kind == FIX_UNSET)
			nset++;
		else
			nact++;
	fputs("#!/bin/sh\n", out);
	fputs("# Postfix TLS configuration from mxdoctor fix.\n", out);
	fix_render_labeled(out, "# ", "Profile", p->profile);
	fix_render_labeled(out, "# ", "Made from", p->full ? "no report: the complete "
	    "recommended TLS configuration" : (p->made_from ? p->made_from :
	    "a report"));
	fix_render_labeled(out, "# ", "Postfix version", p->mta_version ? p->mta_version :
	    "unknown (syntax every supported release accepts)");
	fix_render_labeled(out, "# ", "Configuration directory", p->config_dir);
	fprintf(out, "# %zu setting%s to change; %zu step%s for you in "
	    "\"# ACTION:\" and\n# \"# FILE:\" blocks, which this script "
	    "does not run.\n", nset, nset == 1 ? "" : "s", nact,
	    nact == 1 ? "" : "s");
	fputs("# Review it, then run it as root: sh THIS-FILE.  Running it "
	    "again changes\n# nothing more.\n", out);
	fputs("set -e\n", out);
	fputs("PATH=$PATH:/usr/sbin:/usr/local/sbin\n", out);
}

static void
footer(FILE *out, const struct fix_plan *p, bool changed)
{
	size_t i;

	if (p->notes.n > 0) {
		fputs("\n# Notes:\n", out);
		for (i = 0; i < p->notes.n; i++)
			fix_render_labeled(out, "# ", "-", p->notes.v[i]);
	}
	if (p->untouched.n > 0) {
		fputs("\n# Findings this script does not change:\n", out);
		for (i = 0; i < p->untouched.n; i++)
			fix_render_labeled(out, "# ", "-", p->untouched.v[i]);
	}
	if (!changed) {
		fputs("\n# Nothing in Postfix's configuration changes.\n", out);
		return;
	}
	fputs("\n# Check the configuration, then make the running Postfix "
	    "read it.\n", out);
	cmd(out, p, "postfix", "check");
	fputs("\nif ", out);
	cmd(out, p, "postfix", "status");
	fputs(" >/dev/null 2>&1; then\n\t", out);
	cmd(out, p, "postfix", "reload");
	fputs("\nelse\n\techo 'mxdoctor fix: Postfix is not running; the "
	    "changes apply when it starts' >&2\nfi\n", out);
}

int
fix_render_postfix(const struct fix_plan *p, FILE *out)
{
	bool changed = false;
	size_t i;

	header(out, p);
	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];

		putc('\n', out);
		switch (it->kind) {
		case FIX_SET:
		case FIX_UNSET:
			if (render_setting(out, p, it))
				changed = true;
			break;
		case FIX_ACTION:
			render_action(out, it);
			break;
		case FIX_FILE:
			render_file(out, it);
			break;
		}
	}
	footer(out, p, changed);
	return fflush(out) == EOF || ferror(out) ? -1 : 0;
}
