/* fix_render_schannel: a Schannel fix plan as a .reg file or as the equivalent PowerShell script. */
#include "report/fix_render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The .reg file is plain ASCII with the "Windows Registry Editor Version
 * 5.00" header and CRLF line ends.  regedit and `reg import` read a file
 * without a byte-order mark as ANSI text and accept the 5.00 header in it
 * (only hex(2)/hex(7) data would have to be UTF-16LE bytes, and we write
 * none); since every character we write is printable ASCII, ANSI and
 * UTF-8 read alike.  tests/audit/schannel/make-fixtures.sh imports the
 * golden file with Wine's reg.exe to show it.
 *
 * The script is for Windows PowerShell 5.1 and later, also ASCII with
 * CRLF.  Keys are created with New-Item -Force and values with
 * New-ItemProperty -Force, except keys whose names PowerShell's registry
 * provider would misread ('/' is a path separator there, as in "RC4
 * 128/128"; [ ] * ? are wildcards): those go through the .NET
 * Microsoft.Win32.Registry API, which takes the name as it is.
 *
 * Plan strings are escaped already; still, nothing reaches the output
 * unchecked: comments fold every control byte to a space and every
 * non-ASCII byte to '?', quoted .reg strings escape \ and ", PowerShell
 * strings are single-quoted with ' doubled, and a DWORD is written only
 * from exactly eight hex digits.
 */

#define COMMENT_WIDTH	76
#define COMMENT_WORD_MAX	200
#define HKLM_REG	"HKEY_LOCAL_MACHINE\\"
#define HKLM_PS		"HKLM:\\"

struct out {
	FILE	*fp;
	bool	 ps;
};

static void lprintf(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One output line, CRLF-terminated. */
static void
lprintf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
	fputs("\r\n", o->fp);
}

/* clean: s as printable ASCII (controls to ' ', others to '?'), malloc'd. */
static char *
clean(const char *s)
{
	size_t i, n = s != NULL ? strlen(s) : 0;
	char *out = malloc(n + 1);

	if (out == NULL)
		abort();
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		out[i] = ch < 0x20 || ch == 0x7f ? ' ' : ch > 0x7f ? '?' :
		    (char)ch;
	}
	out[n] = '\0';
	return out;
}

/* comment: prefix and text as comment lines ("; " or "# ") of at most
 * COMMENT_WIDTH columns, broken at blanks, continuation lines indented
 * by two; a word longer than a line (a URL) stays whole on a line of its
 * own, up to COMMENT_WORD_MAX bytes.  Nothing for a NULL text. */
static void
comment(struct out *o, const char *prefix, const char *text)
{
	const char *lead = o->ps ? "# " : "; ";
	char *all, *s;
	size_t n, width;
	bool first = true;

	if (text == NULL)
		return;
	n = strlen(prefix) + strlen(text) + 1;
	if ((all = malloc(n)) == NULL)
		abort();
	snprintf(all, n, "%s%s", prefix, text);
	s = clean(all);
	free(all);
	all = s;
	while (*s != '\0') {
		size_t cut;

		width = COMMENT_WIDTH - 2 - (first ? 0 : 2);
		n = strlen(s);
		cut = n;
		if (n > width) {
			for (cut = width; cut > 0 && s[cut] != ' '; cut--)
				;
			if (cut == 0) {	/* one long word */
				cut = strcspn(s, " ");
				if (cut > COMMENT_WORD_MAX)
					cut = COMMENT_WORD_MAX;
			}
		}
		lprintf(o, "%s%s%.*s", lead, first ? "" : "  ", (int)cut, s);
		first = false;
		s += cut;
		while (*s == ' ')
			s++;
	}
	free(all);
}

/* is_dword: "dword:" and exactly eight hex digits; the number in *d. */
static bool
is_dword(const char *v, unsigned long *d)
{
	size_t i;

	if (v == NULL || strncmp(v, "dword:", 6) != 0 || strlen(v) != 14)
		return false;
	for (i = 6; i < 14; i++)
		if (strchr("0123456789abcdefABCDEF", v[i]) == NULL)
			return false;
	*d = strtoul(v + 6, NULL, 16);
	return true;
}

/* reg_quoted: s as a .reg "string": \ and " escaped, other bytes cleaned. */
static void
reg_quoted(FILE *fp, const char *s)
{
	char *c = clean(s), *p;

	fputc('"', fp);
	for (p = c; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			fputc('\\', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
	free(c);
}

/* ps_quoted: s as a PowerShell single-quoted string (' doubled). */
static void
ps_quoted(FILE *fp, const char *s)
{
	char *c = clean(s), *p;

	fputc('\'', fp);
	for (p = c; *p != '\0'; p++) {
		if (*p == '\'')
			fputc('\'', fp);
		fputc(*p, fp);
	}
	fputc('\'', fp);
	free(c);
}

/* A key the registry provider cannot be given as a -Path. */
static bool
ps_needs_dotnet(const char *section)
{
	return strpbrk(section, "/[]*?`") != NULL;
}

static bool
is_registry_item(const struct fix_item *it)
{
	return (it->kind == FIX_SET || it->kind == FIX_UNSET) &&
	    it->section != NULL && it->section[0] != '\0' &&
	    it->name != NULL;
}

static void
item_comments(struct out *o, const struct fix_item *it)
{
	comment(o, "why: ", it->why);
	comment(o, "source: ", it->source);
	comment(o, "clears: ", it->finding);
}

/*
 * .reg
 */

static void
reg_value(struct out *o, const struct fix_item *it)
{
	unsigned long d;

	item_comments(o, it);
	if (it->name[0] == '\0')
		fputc('@', o->fp);
	else
		reg_quoted(o->fp, it->name);
	fputc('=', o->fp);
	if (it->kind == FIX_UNSET)
		fputc('-', o->fp);
	else if (is_dword(it->value, &d))
		fprintf(o->fp, "dword:%08lx", d);
	else
		reg_quoted(o->fp, it->value != NULL ? it->value : "");
	fputs("\r\n", o->fp);
}

static void
reg_key(struct out *o, const char *section)
{
	char *k = clean(section);

	lprintf(o, "%s", "");
	lprintf(o, "[" HKLM_REG "%s]", k);
	free(k);
}

/*
 * PowerShell
 */

static void
ps_key(struct out *o, const char *section)
{
	if (ps_needs_dotnet(section)) {
		comment(o, "", "This key's name has a character PowerShell's "
		    "registry provider would misread: the .NET registry API "
		    "takes it as it is.");
		fputs("$k = [Microsoft.Win32.Registry]::LocalMachine."
		    "CreateSubKey(", o->fp);
		ps_quoted(o->fp, section);
		fputs(")\r\n", o->fp);
		return;
	}
	fputs("New-Item -Path ", o->fp);
	fputs("'" HKLM_PS, o->fp);
	{
		char *c = clean(section), *p;

		for (p = c; *p != '\0'; p++) {
			if (*p == '\'')
				fputc('\'', o->fp);
			fputc(*p, o->fp);
		}
		free(c);
	}
	fputs("' -Force | Out-Null\r\n", o->fp);
}

static void
ps_path(FILE *fp, const char *section)
{
	size_t n = strlen(HKLM_PS) + strlen(section) + 1;
	char *full = malloc(n);

	if (full == NULL)
		abort();
	snprintf(full, n, "%s%s", HKLM_PS, section);
	ps_quoted(fp, full);
	free(full);
}

static void
ps_value(struct out *o, const struct fix_item *it)
{
	bool dotnet = ps_needs_dotnet(it->section);
	unsigned long d = 0;
	bool dw = it->kind == FIX_SET && is_dword(it->value, &d);

	item_comments(o, it);
	if (dotnet) {
		if (it->kind == FIX_UNSET) {
			fputs("$k.DeleteValue(", o->fp);
			ps_quoted(o->fp, it->name);
			fputs(", $false)\r\n", o->fp);
			return;
		}
		fputs("$k.SetValue(", o->fp);
		ps_quoted(o->fp, it->name);
		fputs(", ", o->fp);
		if (dw)
			fprintf(o->fp, d > 0x7fffffffUL ? "0x%08lx" : "%lu", d);
		else
			ps_quoted(o->fp, it->value != NULL ? it->value : "");
		fprintf(o->fp, ", [Microsoft.Win32.RegistryValueKind]::%s)\r\n",
		    dw ? "DWord" : "String");
		return;
	}
	if (it->kind == FIX_UNSET) {
		fputs("Remove-ItemProperty -LiteralPath ", o->fp);
		ps_path(o->fp, it->section);
		fputs(" -Name ", o->fp);
		ps_quoted(o->fp, it->name);
		fputs(" -ErrorAction SilentlyContinue\r\n", o->fp);
		return;
	}
	fputs("New-ItemProperty -LiteralPath ", o->fp);
	ps_path(o->fp, it->section);
	fputs(" -Name ", o->fp);
	ps_quoted(o->fp, it->name);
	if (dw)
		fprintf(o->fp, d > 0x7fffffffUL ? " -PropertyType DWord "
		    "-Value 0x%08lx" : " -PropertyType DWord -Value %lu", d);
	else {
		fputs(" -PropertyType String -Value ", o->fp);
		ps_quoted(o->fp, it->value != NULL ? it->value : "");
	}
	fputs(" -Force | Out-Null\r\n", o->fp);
}

/*
 * Both.
 */

static void
header(struct out *o, const struct fix_plan *p)
{
	char *prof = clean(p->profile != NULL ? p->profile : "?");
	char line[256];

	if (!o->ps)
		lprintf(o, "Windows Registry Editor Version 5.00");
	snprintf(line, sizeof(line), "mxdoctor fix --mta schannel, profile "
	    "%s: %s.", prof, p->full ? "the complete recommended TLS "
	    "configuration" : "the changes that clear the report's findings");
	free(prof);
	if (!o->ps)
		lprintf(o, "%s", "");
	comment(o, "", line);
	comment(o, "Made from: ", p->made_from);
	if (o->ps) {
		comment(o, "", "Run in an elevated Windows PowerShell, then "
		    "restart Windows.");
		lprintf(o, "#Requires -RunAsAdministrator");
		lprintf(o, "$ErrorActionPreference = 'Stop'");
	} else
		comment(o, "", "Import as Administrator (reg import FILE.reg, "
		    "or double-click), then restart Windows. Plain ASCII, "
		    "which regedit reads as it is.");
}

/* keys: every registry item, grouped by key in order of first use. */
static void
keys(struct out *o, const struct fix_plan *p)
{
	size_t i, j, k;

	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];
		bool seen = false;

		if (!is_registry_item(it))
			continue;
		for (k = 0; k < i && !seen; k++)
			seen = is_registry_item(&p->items[k]) &&
			    strcmp(p->items[k].section, it->section) == 0;
		if (seen)
			continue;
		if (o->ps) {
			lprintf(o, "%s", "");
			ps_key(o, it->section);
		} else
			reg_key(o, it->section);
		for (j = i; j < p->nitems; j++) {
			const struct fix_item *jt = &p->items[j];

			if (!is_registry_item(jt) ||
			    strcmp(jt->section, it->section) != 0)
				continue;
			if (o->ps)
				ps_value(o, jt);
			else
				reg_value(o, jt);
		}
		if (o->ps && ps_needs_dotnet(it->section))
			lprintf(o, "$k.Close()");
	}
}

static void
trailer(struct out *o, const struct fix_plan *p)
{
	size_t i;
	bool first = true;

	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];

		if (is_registry_item(it))
			continue;
		if (first) {
			lprintf(o, "%s", "");
			comment(o, "", "Steps for a person:");
			first = false;
		}
		comment(o, "- ", it->value != NULL ? it->value : it->name);
		comment(o, "  why: ", it->why);
		comment(o, "  source: ", it->source);
	}
	if (p->notes.n > 0) {
		lprintf(o, "%s", "");
		comment(o, "", "Notes:");
		for (i = 0; i < p->notes.n; i++)
			comment(o, "- ", p->notes.v[i]);
	}
	if (p->untouched.n > 0) {
		lprintf(o, "%s", "");
		comment(o, "", "Findings this file does not answer:");
		for (i = 0; i < p->untouched.n; i++)
			comment(o, "- ", p->untouched.v[i]);
	}
	if (o->ps) {
		lprintf(o, "%s", "");
		lprintf(o, "Write-Host 'Done. Restart Windows for Schannel "
		    "changes to take effect.'");
	}
}

int
fix_render_schannel(const struct fix_plan *p, bool powershell, FILE *out)
{
	struct out o = { out, powershell };

	header(&o, p);
	keys(&o, p);
	trailer(&o, p);
	return ferror(out) || fflush(out) == EOF ? -1 : 0;
}
