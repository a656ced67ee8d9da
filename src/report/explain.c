/* explain: the text and JSON reports of `mxdoctor explain`. */
#include "report/explain_report.h"
#include "report/render.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPLAIN_JSON_SCHEMA	1
#define ANSI_RED		"\033[31m"
#define ANSI_CYAN		"\033[36m"
#define ANSI_RESET		"\033[0m"
#define INDENT			2

int
explain_exit_status(const struct explain_result *r)
{
	if (r->incomplete)
		return 3;
	return r->failures > 0 ? 2 : 0;
}

/* ------------------------------------------------------------------ text */

/* who_acts: the side in words. */
static const char *
who_acts(const char *side)
{
	if (strcmp(side, "local") == 0)
		return "your server (the one whose log or bounce this is)";
	if (strcmp(side, "remote") == 0)
		return "the remote server named above";
	if (strcmp(side, "server") == 0)
		return "whichever side was the TLS server (the receiving server)";
	if (strcmp(side, "client") == 0)
		return "whichever side was sending (the TLS client)";
	return "either side: see what it means";
}

/* input_label: an input's name for the text report ("-" is stdin).  The
 * name comes from the command line; text_wrap guards its bytes. */
static const char *
input_label(const char *name)
{
	return strcmp(name, "-") == 0 ? "stdin" : name;
}

/* where: "host [ip]", "host", "[ip]" or a note. */
static char *
where(const struct explain_group *g)
{
	if (g->other_hosts)
		return xstrdup("(further hosts, beyond the group limit)");
	if (g->remote_host != NULL && g->remote_ip != NULL)
		return xasprintf("%s [%s]", g->remote_host, g->remote_ip);
	if (g->remote_host != NULL)
		return xstrdup(g->remote_host);
	if (g->remote_ip != NULL)
		return xasprintf("[%s]", g->remote_ip);
	return xstrdup("(not named in the lines)");
}

static void
group_header(struct text_out *t, const struct explain_group *g)
{
	const char *tag = "FAILURE";

	if (t->color)
		fprintf(t->fp, "%s%s%s", ANSI_RED, tag, ANSI_RESET);
	else
		fputs(tag, t->fp);
	t->col += (int)strlen(tag);
	fputs("  ", t->fp);
	t->col += 2;
	text_wrap(t, INDENT, g->cause->title);
}

static void
group_seen(struct text_out *t, const struct explain_group *g)
{
	char *count = g->count == 1 ? xstrdup("once") :
	    xasprintf("%" PRIu64 " times", g->count);

	if (g->first.valid && g->last.valid && g->first.key != g->last.key)
		text_fact(t, INDENT, "seen", "%s, first %s, last %s", count,
		    g->first.text, g->last.text);
	else if (g->first.valid)
		text_fact(t, INDENT, "seen", "%s, at %s", count, g->first.text);
	else
		text_fact(t, INDENT, "seen", "%s", count);
	free(count);
}

static void
group_findings(struct text_out *t, const struct explain_group *g)
{
	char *const *f = g->pattern->findings;
	struct buf *b;
	size_t i;

	if (f == NULL || f[0] == NULL)
		return;
	b = buf_new(4096);
	for (i = 0; f[i] != NULL; i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "", f[i]);
	text_fact(t, INDENT, "same fix as", "%s (mxdoctor findings)", buf_str(b));
	buf_free(b);
}

static void
text_group(struct text_out *t, const struct explain_group *g)
{
	char *w = where(g);

	group_header(t, g);
	text_fact(t, INDENT, "cause", "%s", g->cause->name);
	text_fact(t, INDENT, "remote", "%s", w);
	free(w);
	if (g->recipient_domain != NULL)
		text_fact(t, INDENT, "recipient", "%s", g->recipient_domain);
	if (g->sending_ip != NULL)
		text_fact(t, INDENT, "sending IP", "%s", g->sending_ip);
	group_seen(t, g);
	text_fact(t, INDENT, "meaning", "%s", g->pattern->explain);
	text_fact(t, INDENT, "who acts", "%s", who_acts(g->side));
	text_fact(t, INDENT, "fix", "%s", g->pattern->fix);
	group_findings(t, g);
	if (g->check_command != NULL)
		text_fact(t, INDENT, "confirm", "%s", g->check_command);
	if (g->example != NULL)
		text_fact(t, INDENT, "example", "%s:%" PRIu64 ": %s",
		    input_label(g->example_input), g->example_line, g->example);
	text_fact(t, INDENT, "source", "%s [%s]", g->pattern->source, g->pattern->id);
	text_blank(t);
}

static void
text_summary(struct text_out *t, const struct explain_result *r)
{
	text_line(t, 0, "mxdoctor explain: %" PRIu64 " line%s read from %zu input%s: "
	    "%" PRIu64 " failure%s in %zu group%s, %" PRIu64 " informational, %"
	    PRIu64 " unknown, %" PRIu64 " ordinary.", r->lines, r->lines == 1 ? "" : "s",
	    r->ninputs, r->ninputs == 1 ? "" : "s", r->failures,
	    r->failures == 1 ? "" : "s", r->ngroups, r->ngroups == 1 ? "" : "s",
	    r->info_lines, r->unknown_lines, r->ignored_lines);
	if (r->long_lines > 0)
		text_line(t, 0, "%" PRIu64 " line%s longer than %d bytes were cut there.",
		    r->long_lines, r->long_lines == 1 ? "" : "s", EXPLAIN_LINE_MAX);
	if (r->incomplete)
		text_line(t, 0, "Not every input could be read to its end: this report is incomplete.");
	if (r->failures == 0)
		text_line(t, 0, "No failure recognised.");
	text_blank(t);
}

static void
text_info(struct text_out *t, const struct explain_result *r)
{
	size_t i;

	if (r->ninfo == 0)
		return;
	text_line(t, 0, "Recognised, not failures:");
	for (i = 0; i < r->ninfo; i++)
		text_fact(t, INDENT, r->info[i].pattern->id, "%" PRIu64 " line%s: %s",
		    r->info[i].count, r->info[i].count == 1 ? "" : "s",
		    r->info[i].pattern->explain);
	text_blank(t);
}

static void
text_unknown(struct text_out *t, const struct explain_result *r, bool list)
{
	size_t i;

	if (r->unknown_lines == 0)
		return;
	text_line(t, 0, "%" PRIu64 " line%s looked like failures but matched no pattern%s",
	    r->unknown_lines, r->unknown_lines == 1 ? "" : "s",
	    list ? " (please send them to the mxdoctor authors):" :
	    "; --unknown lists them.");
	if (!list)
		return;
	for (i = 0; i < r->nunknown; i++)
		text_line(t, INDENT, "%" PRIu64 "x %s:%" PRIu64 ": %s", r->unknown[i].count,
		    input_label(r->unknown[i].input), r->unknown[i].line,
		    r->unknown[i].example);
	if (r->unknown_other > 0)
		text_line(t, INDENT, "... and %" PRIu64 " more of other shapes",
		    r->unknown_other);
	text_blank(t);
}

int
explain_render_text(const struct explain_result *r,
    const struct explain_text_opts *o, FILE *out)
{
	struct text_out t = { out, o->color, 0 };
	size_t i;

	text_summary(&t, r);
	for (i = 0; i < r->ngroups; i++)
		text_group(&t, &r->groups[i]);
	text_info(&t, r);
	text_unknown(&t, r, o->unknown);
	return ferror(out) ? -1 : 0;
}

/* ------------------------------------------------------------------ JSON */


static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* jname: an input name (a path from the command line: may hold anything). */
static json_t *
jname(const char *s)
{
	char *e = str_escape(s, strlen(s), 4096);
	json_t *v = json_string(e);

	free(e);
	return v;
}

static json_t *
jtime(const struct explain_time *t)
{
	return t->valid ? json_string(t->text) : json_null();
}

static json_t *
json_inputs(const struct explain_result *r)
{
	json_t *arr = render_jcheck(json_array()), *o;
	size_t i;

	for (i = 0; i < r->ninputs; i++) {
		const struct explain_input *in = &r->inputs[i];

		o = render_jcheck(json_object());
		render_jset(o, "name", jname(in->name));
		render_jset(o, "compressed", json_boolean(in->compressed));
		render_jset(o, "binary", json_boolean(in->binary));
		render_jset(o, "complete", json_boolean(in->complete));
		render_jset(o, "error", in->error ? jname(in->error) : json_null());
		render_jset(o, "bytes", json_integer((json_int_t)in->bytes));
		render_jset(o, "lines", json_integer((json_int_t)in->lines));
		render_jset(o, "long_lines", json_integer((json_int_t)in->long_lines));
		render_jappend(arr, o);
	}
	return arr;
}

static json_t *
json_strings(char *const *v)
{
	json_t *arr = render_jcheck(json_array());

	for (; v != NULL && *v != NULL; v++)
		render_jappend(arr, json_string(*v));
	return arr;
}

static json_t *
json_example(const struct explain_group *g)
{
	json_t *o;

	if (g->example == NULL)
		return json_null();
	o = render_jcheck(json_object());
	render_jset(o, "input", jname(g->example_input));
	render_jset(o, "line", json_integer((json_int_t)g->example_line));
	render_jset(o, "text", json_string(g->example));
	return o;
}

static json_t *
json_group_patterns(const struct explain_group *g)
{
	json_t *arr = render_jcheck(json_array()), *o;
	size_t i;

	for (i = 0; i < g->npatterns; i++) {
		o = render_jcheck(json_object());
		render_jset(o, "id", json_string(g->patterns[i]->id));
		render_jset(o, "count", json_integer((json_int_t)g->pattern_counts[i]));
		render_jappend(arr, o);
	}
	return arr;
}

static json_t *
json_group(const struct explain_group *g)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "cause", json_string(g->cause->name));
	render_jset(o, "title", json_string(g->cause->title));
	render_jset(o, "remote_host", jstr(g->remote_host));
	render_jset(o, "remote_ip", jstr(g->remote_ip));
	render_jset(o, "other_hosts", json_boolean(g->other_hosts));
	render_jset(o, "recipient_domain", jstr(g->recipient_domain));
	render_jset(o, "sending_ip", jstr(g->sending_ip));
	render_jset(o, "log_host", jstr(g->logger_host));
	render_jset(o, "direction", jstr(g->direction));
	render_jset(o, "side", json_string(g->side));
	render_jset(o, "count", json_integer((json_int_t)g->count));
	render_jset(o, "first_seen", jtime(&g->first));
	render_jset(o, "last_seen", jtime(&g->last));
	render_jset(o, "explanation", json_string(g->pattern->explain));
	render_jset(o, "fix", json_string(g->pattern->fix));
	render_jset(o, "findings", json_strings(g->pattern->findings));
	render_jset(o, "check_command", jstr(g->check_command));
	render_jset(o, "pattern", json_string(g->pattern->id));
	render_jset(o, "source", json_string(g->pattern->source));
	render_jset(o, "patterns", json_group_patterns(g));
	render_jset(o, "example", json_example(g));
	return o;
}

static json_t *
json_info(const struct explain_result *r)
{
	json_t *arr = render_jcheck(json_array()), *o;
	size_t i;

	for (i = 0; i < r->ninfo; i++) {
		o = render_jcheck(json_object());
		render_jset(o, "pattern", json_string(r->info[i].pattern->id));
		render_jset(o, "cause", json_string(r->info[i].pattern->cause->name));
		render_jset(o, "count", json_integer((json_int_t)r->info[i].count));
		render_jset(o, "explanation", json_string(r->info[i].pattern->explain));
		render_jappend(arr, o);
	}
	return arr;
}

static json_t *
json_unknown(const struct explain_result *r, bool list)
{
	json_t *o = render_jcheck(json_object()), *arr, *u;
	size_t i;

	render_jset(o, "lines", json_integer((json_int_t)r->unknown_lines));
	if (!list) {
		render_jset(o, "shapes", json_null());
		render_jset(o, "other", json_null());
		return o;
	}
	arr = render_jcheck(json_array());
	for (i = 0; i < r->nunknown; i++) {
		u = render_jcheck(json_object());
		render_jset(u, "count", json_integer((json_int_t)r->unknown[i].count));
		render_jset(u, "input", jname(r->unknown[i].input));
		render_jset(u, "line", json_integer((json_int_t)r->unknown[i].line));
		render_jset(u, "example", json_string(r->unknown[i].example));
		render_jappend(arr, u);
	}
	render_jset(o, "shapes", arr);
	render_jset(o, "other", json_integer((json_int_t)r->unknown_other));
	return o;
}

static json_t *
json_summary(const struct explain_result *r)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "inputs", json_integer((json_int_t)r->ninputs));
	render_jset(o, "lines", json_integer((json_int_t)r->lines));
	render_jset(o, "failures", json_integer((json_int_t)r->failures));
	render_jset(o, "failure_lines", json_integer((json_int_t)r->failure_lines));
	render_jset(o, "info_lines", json_integer((json_int_t)r->info_lines));
	render_jset(o, "unknown_lines", json_integer((json_int_t)r->unknown_lines));
	render_jset(o, "ignored_lines", json_integer((json_int_t)r->ignored_lines));
	render_jset(o, "long_lines", json_integer((json_int_t)r->long_lines));
	render_jset(o, "groups", json_integer((json_int_t)r->ngroups));
	render_jset(o, "incomplete", json_boolean(r->incomplete));
	render_jset(o, "exit_status", json_integer(explain_exit_status(r)));
	return o;
}

int
explain_render_json(const struct explain_result *r, bool unknown, FILE *out)
{
	json_t *doc = render_jcheck(json_object()), *v, *groups;
	size_t i;
	int rc;

	v = render_jcheck(json_object());
	render_jset(v, "version", json_string(MXD_VERSION));
	render_jset(v, "schema", json_integer(EXPLAIN_JSON_SCHEMA));
	render_jset(doc, "mxdoctor", v);
	render_jset(doc, "command", json_string("explain"));
	v = render_jcheck(json_object());
	render_jset(v, "file", jname(explain_patterns_path(r->patterns)));
	render_jset(v, "count", json_integer((json_int_t)explain_patterns_count(r->patterns)));
	render_jset(doc, "patterns", v);
	render_jset(doc, "summary", json_summary(r));
	render_jset(doc, "inputs", json_inputs(r));
	groups = render_jcheck(json_array());
	for (i = 0; i < r->ngroups; i++)
		render_jappend(groups, json_group(&r->groups[i]));
	render_jset(doc, "groups", groups);
	render_jset(doc, "info", json_info(r));
	render_jset(doc, "unknown", json_unknown(r, unknown));
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc == -1 || fputc('\n', out) == EOF)
		return -1;
	return ferror(out) ? -1 : 0;
}
