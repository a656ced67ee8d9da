/* fix: plans, the context generators see, and the report reader; fix_actions.c has the generic actions. */
#include "fix/fix.h"
#include "fix/fix_int.h"
#include "util/addr.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * A report is untrusted input: it may come from another machine, an old
 * or future mxdoctor, or an attacker.  Everything read from it is
 * bounded (FIX_* in fix.h) and made printable ASCII before it reaches a
 * plan; the renderers quote it again.  Nothing in a report is ever
 * executed: its strings end up in comments, and a value that goes into
 * a command is one a generator computed, not one copied from the report
 * (the exception, a setting name in config.invalid, is checked against
 * the names the report itself recorded and quoted by the renderer).
 */

#define FIX_ITEMS_MAX	1024	/* items in one plan */


/*
 * Plans.
 */

struct fix_plan *
fix_plan_new(const struct fix_opts *o)
{
	struct fix_plan *p = xcalloc(1, sizeof(*p));

	p->mta = o->mta;
	p->profile = xstrdup(o->profile != NULL ?
	    tls_profile_name(o->profile) : "microsoft");
	p->config_dir = o->config_dir ? xstrdup(o->config_dir) : NULL;
	p->mta_version = o->mta_version ? xstrdup(o->mta_version) : NULL;
	return p;
}

static void
item_clear(struct fix_item *it)
{
	free(it->section);
	free(it->name);
	free(it->value);
	free(it->why);
	free(it->source);
	free(it->finding);
}

void
fix_plan_free(struct fix_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nitems; i++)
		item_clear(&p->items[i]);
	free(p->items);
	free(p->profile);
	free(p->config_dir);
	free(p->mta_version);
	free(p->made_from);
	strvec_clear(&p->notes);
	strvec_clear(&p->untouched);
	free(p);
}

bool
fix_str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* SET and UNSET of one setting are one slot; actions and files are keyed
 * by name. */
static int
kind_class(enum fix_kind k)
{
	return k == FIX_SET || k == FIX_UNSET ? 0 : (int)k;
}

/* "a, b" + "c" -> "a, b, c"; an id already there is not repeated. */
static char *
finding_merge(char *old, const char *add)
{
	const char *s;
	size_t n;

	if (add == NULL)
		return old;
	if (old == NULL)
		return xstrdup(add);
	n = strlen(add);
	for (s = old; (s = strstr(s, add)) != NULL; s += n)
		if ((s == old || s[-1] == ' ') && (s[n] == ',' || s[n] == '\0'))
			return old;
	s = xasprintf("%s, %s", old, add);
	free(old);
	return (char *)s;
}

static struct fix_item *
item_find(struct fix_plan *p, enum fix_kind kind, const char *section,
    const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < p->nitems; i++) {
		struct fix_item *it = &p->items[i];

		if (kind_class(it->kind) != kind_class(kind))
			continue;
		if (name != NULL) {
			if (fix_str_same(it->name, name) &&
			    fix_str_same(it->section, section))
				return it;
		} else if (it->name == NULL && it->kind == kind &&
		    fix_str_same(it->value, value))
			return it;
	}
	return NULL;
}

struct fix_item *
fix_add(struct fix_plan *p, enum fix_kind kind, const char *section,
    const char *name, const char *value, const char *why,
    const char *source, const char *finding)
{
	struct fix_item *it;
	char *merged;

	if ((it = item_find(p, kind, section, name, value)) != NULL) {
		/* One value per setting; the later reason wins, the
		 * findings it clears add up. */
		merged = finding_merge(it->finding, finding);
		it->finding = NULL;
		item_clear(it);
	} else {
		if (p->nitems >= FIX_ITEMS_MAX) {
			if (!strvec_contains_ci(&p->notes,
			    "The plan is cut: too many items."))
				strvec_add(&p->notes,
				    "The plan is cut: too many items.");
			return NULL;
		}
		p->items = xreallocarray(p->items, p->nitems + 1,
		    sizeof(*p->items));
		it = &p->items[p->nitems++];
		merged = finding ? xstrdup(finding) : NULL;
	}
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->section = section ? xstrdup(section) : NULL;
	it->name = name ? xstrdup(name) : NULL;
	it->value = value ? xstrdup(value) : NULL;
	it->why = why ? xstrdup(why) : NULL;
	it->source = source ? xstrdup(source) : NULL;
	it->finding = merged;
	return it;
}

bool
fix_version_at_least(const struct fix_plan *p, int major, int minor)
{
	const char *s = p->mta_version;
	long maj, min = 0;
	char *end;

	if (s == NULL)
		return false;
	while (*s != '\0' && !isdigit((unsigned char)*s))
		s++;
	if (*s == '\0')
		return false;
	maj = strtol(s, &end, 10);
	if (*end == '.' && isdigit((unsigned char)end[1]))
		min = strtol(end + 1, NULL, 10);
	if (maj < 0 || maj > 1000 || min < 0 || min > 1000)
		return false;
	return maj > major || (maj == major && min >= minor);
}

/*
 * The context generators see.
 */

static const char *
ctx_setting(const struct fix_ctx *c, const char *name)
{
	size_t i;

	for (i = c->nsettings; i > 0; i--) {
		const struct fix_setting *s = &c->settings[i - 1];

		if (strcmp(s->name, name) == 0 &&
		    strncmp(s->origin, "master.cf", 9) != 0)
			return s->value;
	}
	return NULL;
}

static void
ctx_init(struct fix_ctx *c, const struct fix_opts *o, json_t *report,
    const struct fix_setting *settings, size_t nsettings)
{
	unsigned mask = o->profile ? tls_profile_versions(o->profile) : 0;
	int i, lo = -1, hi = -1;

	memset(c, 0, sizeof(*c));
	c->o = o;
	c->report = report;
	c->setting = ctx_setting;
	c->settings = settings;
	c->nsettings = nsettings;
	/* SSLv2 (index 0) is never a version worth configuring for. */
	for (i = 1; i < TLS_NVERSIONS; i++)
		if (mask & (1u << i)) {
			if (lo == -1)
				lo = i;
			hi = i;
		}
	c->vmin = lo == -1 ? TLS_V_TLS12 : tls_version_at(lo);
	c->vmax = hi == -1 ? TLS_V_TLS13 : tls_version_at(hi);
}

static bool
mta_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	switch (p->mta) {
	case AUDIT_POSTFIX:	return fix_postfix_finding(p, c, f);
	case AUDIT_EXIM:	return fix_exim_finding(p, c, f);
	case AUDIT_SENDMAIL:	return fix_sendmail_finding(p, c, f);
	case AUDIT_SCHANNEL:	return fix_schannel_finding(p, c, f);
	}
	return false;
}

void
fix_full(struct fix_plan *p, const struct fix_opts *o)
{
	struct fix_ctx c;

	ctx_init(&c, o, NULL, NULL, 0);
	p->full = true;
	switch (p->mta) {
	case AUDIT_POSTFIX:	fix_postfix_full(p, &c); break;
	case AUDIT_EXIM:	fix_exim_full(p, &c); break;
	case AUDIT_SENDMAIL:	fix_sendmail_full(p, &c); break;
	case AUDIT_SCHANNEL:	fix_schannel_full(p, &c); break;
	}
}

/*
 * Reading the report.
 */

/* Printable ASCII copy of at most max bytes: other bytes as \xNN,
 * backslashes kept (registry paths, setting names). */
static char *
text_copy(const char *s, size_t len, size_t max)
{
	return str_printable(s, len < max ? len : max);
}

/* The string member key of obj, bounded and printable; NULL when
 * missing or not a string. */
static char *
jtext(json_t *obj, const char *key, size_t max)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (!json_is_string(v))
		return NULL;
	return text_copy(json_string_value(v), json_string_length(v), max);
}

char *
fix_report_text(json_t *obj, const char *key, size_t max)
{
	return jtext(obj, key, max);
}

/* Borrowed string member, or NULL (for comparisons only: never copied
 * into a plan unescaped). */
const char *
fix_report_str(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Whether data nests deeper than FIX_DEPTH_MAX ([ and { outside
 * strings); jansson's own limit is far higher. */
static bool
too_deep(const char *data, size_t len)
{
	bool in_str = false, esc = false;
	size_t i;
	int depth = 0;

	for (i = 0; i < len; i++) {
		char ch = data[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (ch == '\\')
				esc = true;
			else if (ch == '"')
				in_str = false;
			continue;
		}
		if (ch == '"')
			in_str = true;
		else if (ch == '[' || ch == '{') {
			if (++depth > FIX_DEPTH_MAX)
				return true;
		} else if ((ch == ']' || ch == '}') && depth > 0)
			depth--;
	}
	return false;
}

json_t *
fix_report_parse(const char *data, size_t len, char **err)
{
	json_error_t je;
	json_t *j;
	char *t;

	*err = NULL;
	if (len > FIX_REPORT_MAX) {
		*err = xasprintf("the report is larger than %d MB",
		    FIX_REPORT_MAX / (1024 * 1024));
		return NULL;
	}
	if (too_deep(data, len)) {
		*err = xasprintf("the report nests deeper than %d levels",
		    FIX_DEPTH_MAX);
		return NULL;
	}
	if ((j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		t = text_copy(je.text, strnlen(je.text, sizeof(je.text)), 120);
		*err = xasprintf("the report is not JSON (line %d: %s)",
		    je.line, t);
		free(t);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*err = xstrdup("the report is not a JSON object");
		return NULL;
	}
	return j;
}

const char *
fix_report_mta(json_t *report)
{
	json_t *a = json_is_object(report) ?
	    json_object_get(report, "audit") : NULL;
	const char *cmd = fix_report_str(report, "command");
	int m;

	if (cmd == NULL || strcmp(cmd, "audit") != 0 || !json_is_object(a))
		return NULL;
	if ((m = audit_mta_parse(fix_report_str(a, "mta"))) == -1)
		return NULL;
	return audit_mta_name((enum audit_mta)m);
}

/* The settings an audit report recorded. */
struct settings_in {
	struct fix_setting	*v;
	size_t			 n;
};

static void
settings_read(struct settings_in *in, json_t *audit)
{
	json_t *arr = json_object_get(audit, "settings"), *s;
	size_t i, n;

	in->v = NULL;
	in->n = 0;
	if (!json_is_array(arr))
		return;
	n = json_array_size(arr);
	if (n > FIX_SETTINGS_MAX)
		n = FIX_SETTINGS_MAX;
	in->v = xcalloc(n ? n : 1, sizeof(*in->v));
	for (i = 0; i < n; i++) {
		char *name, *value, *origin;

		s = json_array_get(arr, i);
		if ((name = jtext(s, "name", 256)) == NULL)
			continue;
		value = jtext(s, "value", FIX_STR_MAX);
		origin = jtext(s, "origin", 256);
		in->v[in->n].name = name;
		in->v[in->n].value = value ? value : xstrdup("");
		in->v[in->n].origin = origin ? origin : xstrdup("");
		in->n++;
	}
}

static void
settings_free(struct settings_in *in)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		free((char *)in->v[i].name);
		free((char *)in->v[i].value);
		free((char *)in->v[i].origin);
	}
	free(in->v);
}

/* "check report: example.com, mx.example.org" */
static char *
made_from_check(json_t *report)
{
	json_t *targets = json_object_get(report, "targets");
	char buf[512];
	size_t i, n = json_is_array(targets) ? json_array_size(targets) : 0;
	int o;

	o = snprintf(buf, sizeof(buf), "a check report");
	for (i = 0; i < n && i < 5; i++) {
		char *t = jtext(json_array_get(targets, i), "target", 80);

		if (t == NULL)
			continue;
		if (o > 0 && (size_t)o < sizeof(buf))
			o += snprintf(buf + o, sizeof(buf) - (size_t)o, "%s%s",
			    i == 0 ? " of " : ", ", t);
		free(t);
	}
	if (n > 5 && o > 0 && (size_t)o < sizeof(buf))
		snprintf(buf + o, sizeof(buf) - (size_t)o, ", ...");
	return xstrdup(buf);
}

static char *
made_from_audit(json_t *audit)
{
	char *mta = jtext(audit, "mta", 20), *src = jtext(audit, "source", 200);
	char *s;

	s = xasprintf("an audit report of %s%s%s%s", mta ? mta : "an MTA",
	    src ? " (" : "", src ? src : "", src ? ")" : "");
	free(mta);
	free(src);
	return s;
}

/* The document must say what it is: "command" check (or absent) or
 * audit, schema 1, a findings array. */
static int
report_kind(json_t *report, bool *audit, char **err)
{
	json_t *cmd = json_object_get(report, "command");
	json_t *mx = json_object_get(report, "mxdoctor");
	json_t *schema = json_is_object(mx) ? json_object_get(mx, "schema") : NULL;
	char *t;

	*audit = false;
	if (cmd != NULL && !json_is_null(cmd)) {
		if (!json_is_string(cmd)) {
			*err = xstrdup("the report's \"command\" is not a string");
			return -1;
		}
		if (strcmp(json_string_value(cmd), "audit") == 0)
			*audit = true;
		else if (strcmp(json_string_value(cmd), "check") != 0) {
			t = jtext(report, "command", 40);
			*err = xasprintf("the report is from '%s', not from check or audit",
			    t);
			free(t);
			return -1;
		}
	}
	if (json_is_integer(schema) && json_integer_value(schema) != 1) {
		*err = xasprintf("the report has schema %lld; this mxdoctor reads schema 1",
		    (long long)json_integer_value(schema));
		return -1;
	}
	if (!json_is_array(json_object_get(report, "findings"))) {
		*err = xstrdup("the report has no \"findings\" array: not a check or audit report");
		return -1;
	}
	if (*audit && !json_is_object(json_object_get(report, "audit"))) {
		*err = xstrdup("the audit report has no \"audit\" object");
		return -1;
	}
	return 0;
}

/* A finding's strings, owned. */
struct finding_in {
	char	*id;
	char	*severity;
	char	*host;
	char	*address;
	char	*evidence;
	char	*message;
};

static bool
valid_id(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!islower((unsigned char)s[n]) && !isdigit((unsigned char)s[n]) &&
		    s[n] != '.' && s[n] != '_')
			return false;
	return n > 0 && n <= 64;
}

static void finding_generic_or_untouched(struct fix_plan *,
    const struct fix_ctx *, const struct fix_finding *);

static void
finding_untouched(struct fix_plan *p, const struct fix_finding *f,
    const char *why)
{
	char where[400];

	where[0] = '\0';
	if (f->host != NULL || f->address != NULL)
		snprintf(where, sizeof(where), " (%s%s%s)",
		    f->host ? f->host : "", f->host && f->address ? " " : "",
		    f->address ? f->address : "");
	strvec_add_owned(&p->untouched, xasprintf("%s%s: %s%s%s", f->id,
	    where, f->message ? f->message : "(no message)", why ? "; " : "",
	    why ? why : ""));
}

static void
finding_one(struct fix_plan *p, const struct fix_ctx *c, json_t *jf)
{
	struct finding_in in;
	struct fix_finding f;

	memset(&in, 0, sizeof(in));
	if (!json_is_object(jf)) {
		strvec_add(&p->untouched,
		    "(a finding that is not a JSON object: ignored)");
		return;
	}
	in.id = jtext(jf, "id", 80);
	in.severity = jtext(jf, "severity", 16);
	in.host = jtext(jf, "host", 256);
	in.address = jtext(jf, "address", 64);
	in.evidence = jtext(jf, "evidence", FIX_STR_MAX);
	in.message = jtext(jf, "message", FIX_STR_MAX);
	f.id = in.id ? in.id : "?";
	f.severity = in.severity;
	f.host = in.host;
	f.address = in.address;
	f.evidence = in.evidence;
	f.message = in.message;
	if (in.id == NULL || !valid_id(in.id))
		finding_untouched(p, &f, "not a finding id mxdoctor knows");
	else if (in.severity != NULL && strcmp(in.severity, "info") == 0 &&
	    !c->o->include_info)
		finding_untouched(p, &f,
		    "informational: nothing needs to change (--include-info acts on it)");
	else if (!mta_finding(p, c, &f))
		finding_generic_or_untouched(p, c, &f);
	free(in.id);
	free(in.severity);
	free(in.host);
	free(in.address);
	free(in.evidence);
	free(in.message);
}

static void
report_notes(struct fix_plan *p, json_t *report)
{
	json_t *sum = json_object_get(report, "summary");
	const char *prof = fix_report_str(report, "profile");
	char *t;

	if (prof != NULL && strcmp(prof, p->profile) != 0) {
		t = jtext(report, "profile", 64);
		strvec_add_owned(&p->notes, xasprintf("The report was judged "
		    "against the profile '%s'; this plan follows '%s'.", t,
		    p->profile));
		free(t);
	}
	if (json_is_object(sum) && json_is_true(json_object_get(sum,
	    "incomplete"))) {
		t = jtext(sum, "incomplete_reason", 200);
		strvec_add_owned(&p->notes, xasprintf("The check was "
		    "incomplete%s%s%s: findings may be missing; run it again "
		    "and fix what it finds then.", t ? " (" : "", t ? t : "",
		    t ? ")" : ""));
		free(t);
	}
}

int
fix_from_report(struct fix_plan *p, const struct fix_opts *o,
    json_t *report, char **err)
{
	struct settings_in set = { NULL, 0 };
	struct fix_ctx c;
	json_t *findings, *audit = NULL;
	bool is_audit;
	size_t i, n;
	int m;

	*err = NULL;
	if (!json_is_object(report)) {
		*err = xstrdup("the report is not a JSON object");
		return -1;
	}
	if (report_kind(report, &is_audit, err) == -1)
		return -1;
	if (is_audit) {
		audit = json_object_get(report, "audit");
		m = audit_mta_parse(fix_report_str(audit, "mta"));
		if (m == -1) {
			*err = xstrdup("the audit report names no MTA mxdoctor knows");
			return -1;
		}
		if ((enum audit_mta)m != p->mta) {
			*err = xasprintf("the report is an audit of %s, not of %s",
			    audit_mta_name((enum audit_mta)m),
			    audit_mta_name(p->mta));
			return -1;
		}
		if (p->mta_version == NULL)
			p->mta_version = jtext(audit, "mta_version", 64);
		settings_read(&set, audit);
	}
	free(p->made_from);
	p->made_from = is_audit ? made_from_audit(audit) :
	    made_from_check(report);
	p->full = false;
	report_notes(p, report);
	ctx_init(&c, o, report, set.v, set.n);
	findings = json_object_get(report, "findings");
	n = json_array_size(findings);
	for (i = 0; i < n && i < FIX_FINDINGS_MAX; i++)
		finding_one(p, &c, json_array_get(findings, i));
	if (n > FIX_FINDINGS_MAX)
		strvec_add_owned(&p->notes, xasprintf("Only the first %d "
		    "findings were read; %zu more were not.", FIX_FINDINGS_MAX,
		    n - FIX_FINDINGS_MAX));
	settings_free(&set);
	return 0;
}

static void
finding_generic_or_untouched(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	bool done = false;

	done = fix_generic(p, c, f);
	if (!done)
		finding_untouched(p, f, NULL);
}
