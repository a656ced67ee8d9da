/* catalogue_md: docs/findings.md, rendered from the finding catalogue so code and docs cannot drift. */
#include "report/report.h"
#include "check/catalogue.h"

#include <ctype.h>
#include <stdio.h>

static const char md_intro[] =
    "# mxdoctor findings\n"
    "\n"
    "<!-- Generated from src/check/catalogue.c by mxd-gen-findings; do not edit.\n"
    "     Regenerate: meson compile -C build mxd-gen-findings &&\n"
    "     build/src/report/mxd-gen-findings docs/findings.md -->\n"
    "\n"
    "Every problem `mxdoctor check` reports is a *finding* with a stable id\n"
    "(the `id` field of `--json`, in brackets in the text report). This page\n"
    "lists them all; `mxdoctor findings` prints the same text.\n"
    "\n"
    "## Severities\n"
    "\n"
    "Findings are judged against a receiver profile, by default `microsoft`\n"
    "(Exchange Online and Outlook.com).\n"
    "\n"
    "- **error**: Microsoft (or the chosen profile) fails or refuses delivery:\n"
    "  mail bounces, or is deferred until it bounces.\n"
    "- **warning**: a real risk: delivery works today, but fails under\n"
    "  stricter settings (connectors that validate certificates, MTA-STS,\n"
    "  DANE), for some senders, or soon (an expiring certificate).\n"
    "- **info**: worth knowing; delivery does not depend on it.\n"
    "\n"
    "Each finding has a default severity; where a check raises or lowers it,\n"
    "the rule is given under *Severity rule*.\n"
    "\n"
    "## Exit status\n"
    "\n"
    "| status | meaning |\n"
    "|---|---|\n"
    "| 0 | no errors or warnings (notes only, or nothing at all) |\n"
    "| 1 | warnings, no errors |\n"
    "| 2 | at least one error |\n"
    "| 3 | the check could not be completed; the findings may be partial |\n"
    "\n";

/* Table cells: a '|' would end the cell. */
static void
md_cell(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
}

/* md_anchor: the anchor GitHub derives from a heading "`id`": lower case,
 * punctuation other than '-' and '_' dropped. */
static void
md_anchor(FILE *out, const char *id)
{
	for (; *id != '\0'; id++)
		if (isalnum((unsigned char)*id) || *id == '-' || *id == '_')
			fputc(tolower((unsigned char)*id), out);
}

static void
md_summary(FILE *out, const struct catalogue_entry *e, size_t n)
{
	size_t i;

	fputs("## Summary\n\n| id | default severity | title |\n|---|---|---|\n",
	    out);
	for (i = 0; i < n; i++) {
		fprintf(out, "| [`%s`](#", e[i].id);
		md_anchor(out, e[i].id);
		fprintf(out, ") | %s | ", severity_name(e[i].severity));
		md_cell(out, e[i].title);
		fputs(" |\n", out);
	}
}

static void
md_entry(FILE *out, const struct catalogue_entry *e)
{
	fprintf(out, "## `%s`\n\n", e->id);
	fprintf(out, "**%s** (default severity: %s)\n\n", e->title,
	    severity_name(e->severity));
	fprintf(out, "**Meaning.** %s\n\n", e->meaning);
	fprintf(out, "**Why Microsoft cares.** %s\n\n", e->microsoft);
	fprintf(out, "**Fix.** %s\n\n", e->fix);
	if (e->severity_rule != NULL)
		fprintf(out, "**Severity rule.** Default %s; %s.\n\n",
		    severity_name(e->severity), e->severity_rule);
	fprintf(out, "**Source.** %s\n", e->source);
}

int
report_render_catalogue(FILE *out)
{
	const struct catalogue_entry *e = NULL;
	size_t i, n = 0;

	e = catalogue_all(&n);
	fputs(md_intro, out);
	md_summary(out, e, n);
	for (i = 0; i < n; i++) {
		fputc('\n', out);
		md_entry(out, &e[i]);
	}
	return fflush(out) == EOF || ferror(out) ? -1 : 0;
}
