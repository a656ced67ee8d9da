/* fix: plans, the report reader, and the actions no configuration replaces (PTR, DNSBL, DNS, certificates). */
#include "fix/fix.h"
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
#define FIX_WALK_MAX	256	/* targets, hosts, addresses looked at */

#define SRC_OLC	"Outlook.com sender policies (sendersupport.olc.protection.outlook.com, \"Policies, practices and guidelines\"): valid, forward-confirmed reverse DNS"
#define SRC_V6	"Microsoft Learn, \"Support for anonymous inbound email messages over IPv6\" (450 4.7.25 without PTR)"
#define SRC_NDR	"Microsoft Learn, \"Email non-delivery reports and SMTP errors in Exchange Online\"; \"Use the delist portal to remove yourself from the blocked senders list\" (sender.office.com)"
#define SRC_DANE "Microsoft Learn, \"How SMTP DANE works\"; \"Enhancing mail flow with MTA-STS\"; New-OutboundConnector -TlsSettings (validating senders refuse such certificates)"
#define SRC_ENC	"Microsoft Learn, \"Technical reference details about encryption\" (RSA-authenticated suites only; SHA-1 certificates refused)"
#define SRC_5321 "RFC 5321 section 5.1; RFC 7505 (null MX)"
#define SRC_CHAIN "RFC 8446 section 4.4.2 and RFC 5246 section 7.4.2 (the server sends its chain, leaf first); mail servers do not fetch missing intermediates"

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

static bool
str_same(const char *a, const char *b)
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
			if (str_same(it->name, name) &&
			    str_same(it->section, section))
				return it;
		} else if (it->name == NULL && it->kind == kind &&
		    str_same(it->value, value))
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
static const char *
jstr(json_t *obj, const char *key)
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
	const char *cmd = jstr(report, "command");
	int m;

	if (cmd == NULL || strcmp(cmd, "audit") != 0 || !json_is_object(a))
		return NULL;
	if ((m = audit_mta_parse(jstr(a, "mta"))) == -1)
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
	const char *prof = jstr(report, "profile");
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
		m = audit_mta_parse(jstr(audit, "mta"));
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

/*
 * Generic actions: what no MTA setting fixes.
 */

/* Per MTA: the setting that names the served certificate chain, and how
 * the MTA is told to re-read it. */
static const struct mta_words {
	const char	*chain_setting;
	const char	*reload;
} mta_words[] = {
	[AUDIT_POSTFIX] = { "smtpd_tls_chain_files (the key first, then the chain file; before Postfix 3.4 smtpd_tls_cert_file and smtpd_tls_key_file)",
	    "postfix reload" },
	[AUDIT_EXIM] = { "tls_certificate (and tls_privatekey)",
	    "restart Exim (or send the daemon SIGHUP)" },
	[AUDIT_SENDMAIL] = { "confSERVER_CERT and confSERVER_KEY in sendmail.mc (ServerCertFile/ServerKeyFile in sendmail.cf)",
	    "rebuild sendmail.cf and restart sendmail" },
	[AUDIT_SCHANNEL] = { "the certificate bound to SMTP (Exchange: Enable-ExchangeCertificate -Services SMTP; the intermediate goes into the computer's Intermediate Certification Authorities store)",
	    "restart the transport service (Exchange: Restart-Service MSExchangeTransport)" },
};

static const struct mta_words *
words(const struct fix_plan *p)
{
	if ((unsigned)p->mta >= sizeof(mta_words) / sizeof(mta_words[0]))
		return &mta_words[AUDIT_POSTFIX];
	return &mta_words[p->mta];
}

/* A host name fit to be put into a DNS record we suggest: letters,
 * digits, '-', '.', at least one dot, at most 253 bytes. */
static bool
valid_hostname(const char *s)
{
	size_t i, n;
	bool dot = false;

	if (s == NULL || (n = strlen(s)) == 0 || n > 253 || s[0] == '.' ||
	    s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (i > 0 && s[i - 1] == '.')
				return false;
			dot = true;
		} else if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	}
	return dot;
}

/* The address object of a check report with this address (first
 * match), and the name of the host it belongs to (NULL for a
 * --sending-ip or an address target). */
json_t *
fix_report_address(json_t *report, const char *address, json_t **host)
{
	json_t *targets = json_object_get(report, "targets"), *t, *h, *a;
	json_t *sending = json_object_get(report, "sending_ips");
	size_t i, j, k;

	*host = NULL;
	if (address == NULL)
		return NULL;
	for (i = 0; i < json_array_size(targets) && i < FIX_WALK_MAX; i++) {
		t = json_object_get(json_array_get(targets, i), "hosts");
		for (j = 0; j < json_array_size(t) && j < FIX_WALK_MAX; j++) {
			h = json_array_get(t, j);
			a = json_object_get(h, "addresses");
			for (k = 0; k < json_array_size(a) && k < FIX_WALK_MAX;
			    k++) {
				const char *s = jstr(json_array_get(a, k),
				    "address");

				if (s != NULL && strcmp(s, address) == 0) {
					*host = h;
					return json_array_get(a, k);
				}
			}
		}
	}
	for (i = 0; i < json_array_size(sending) && i < FIX_WALK_MAX; i++) {
		const char *s = jstr(json_array_get(sending, i), "address");

		if (s != NULL && strcmp(s, address) == 0)
			return json_array_get(sending, i);
	}
	return NULL;
}

/* The first PTR name recorded for the address, or NULL (owned). */
static char *
ptr_name(json_t *addr)
{
	json_t *names = json_object_get(json_object_get(addr, "ptr"), "names");
	json_t *v = json_array_get(names, 0);

	if (!json_is_string(v))
		return NULL;
	return text_copy(json_string_value(v), json_string_length(v), 256);
}

/* A name worth asking a PTR for: a valid host name in a public-looking
 * domain (not .local, .lan, .internal, .localdomain, localhost). */
static bool
public_name(const char *s)
{
	static const char *const private[] = { ".local", ".lan", ".internal",
	    ".localdomain", ".home.arpa", ".localhost", NULL };
	size_t i;

	if (!valid_hostname(s))
		return false;
	for (i = 0; private[i] != NULL; i++)
		if (str_has_suffix_ci(s, private[i]))
			return false;
	return true;
}

/* The name the PTR should give: the MX host name, else the name the
 * server greets with.  *assumed: no name was found (a --sending-ip), the
 * placeholder mail.example.com is returned.  Lower case, owned. */
static char *
ptr_wanted(const struct fix_finding *f, json_t *addr, json_t *host,
    bool *assumed)
{
	char *cand[3];
	char *pick = NULL;
	size_t i;

	cand[0] = jtext(host, "name", 256);
	cand[1] = f->host ? xstrdup(f->host) : NULL;
	cand[2] = jtext(json_object_get(addr, "smtp"), "greeting_name", 256);
	for (i = 0; i < 3; i++) {
		if (pick == NULL && cand[i] != NULL && public_name(cand[i])) {
			pick = cand[i];
			continue;
		}
		free(cand[i]);
	}
	*assumed = pick == NULL;
	if (pick == NULL)
		pick = xstrdup("mail.example.com");
	str_lower(pick);
	str_trim_dot(pick);
	return pick;
}

/* What is wrong with the address's reverse DNS, from the report's ptr
 * object when it has one (so that ptr.generic and ptr.mismatch of one
 * address give one consistent action), else from the finding id. */
enum ptr_state { PTR_MISSING, PTR_GENERIC, PTR_MISMATCH };

static enum ptr_state
ptr_state(const struct fix_finding *f, json_t *addr, const char *have)
{
	json_t *ptr = json_object_get(addr, "ptr");

	if (have == NULL)
		return strcmp(f->id, "ptr.missing") == 0 || ptr != NULL ?
		    PTR_MISSING : (strcmp(f->id, "ptr.generic") == 0 ?
		    PTR_GENERIC : PTR_MISMATCH);
	if (json_is_true(json_object_get(ptr, "generic")) ||
	    (ptr == NULL && strcmp(f->id, "ptr.generic") == 0))
		return PTR_GENERIC;
	return PTR_MISMATCH;
}

static bool
fix_ptr(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	struct addr a;
	json_t *addr, *host;
	char rev[128], key[96], *want, *have, *gen, *text, *now;
	const char *rr;
	bool assumed;
	enum ptr_state st;

	if (f->address == NULL || addr_parse(f->address, &a) == -1 ||
	    addr_reverse_name(&a, NULL, rev, sizeof(rev)) == -1)
		return false;
	addr = fix_report_address(c->report, f->address, &host);
	want = ptr_wanted(f, addr, host, &assumed);
	have = ptr_name(addr);
	gen = jtext(json_object_get(addr, "ptr"), "generic_reason", 120);
	rr = a.family == AF_INET6 ? "AAAA" : "A";
	st = ptr_state(f, addr, have);
	if (st == PTR_MISMATCH && have != NULL)
		text = xasprintf("The PTR of %s names %s, but %s does not "
		    "resolve back to %s. If %s is your name, add `%s. IN %s "
		    "%s` to its zone; otherwise ask the owner of %s (your ISP "
		    "or hosting provider) to change the PTR to `%s. IN PTR "
		    "%s.` and publish `%s. IN %s %s`.%s Both directions must "
		    "agree (forward-confirmed reverse DNS). Check: dig -x %s "
		    "+short; dig %s %s +short.", f->address, have, have,
		    f->address, have, have, rr, f->address, f->address, rev,
		    want, want, rr, f->address, assumed ?
		    " Replace mail.example.com with your mail server's name "
		    "(the name it greets and says HELO with)." : "",
		    f->address, rr, have);
	else {
		if (st == PTR_GENERIC && have != NULL)
			now = xasprintf("The PTR of %s, %s, looks like an ISP's "
			    "generic or dynamic name (%s); if the address is "
			    "a dynamic one, send through a relay with a static "
			    "address instead. ", f->address, have,
			    gen ? gen : "generic");
		else
			now = xstrdup("");
		text = xasprintf("%sAsk the owner of %s (your ISP or hosting "
		    "provider: the reverse zone is theirs, often set in their "
		    "control panel as \"reverse DNS\") for this record: `%s. "
		    "IN PTR %s.` The name must resolve back to the address "
		    "(forward-confirmed reverse DNS): publish `%s. IN %s %s` "
		    "in your zone.%s Check: dig -x %s +short.", now,
		    f->address, rev, want, want, rr, f->address, assumed ?
		    " Replace mail.example.com with your mail server's name "
		    "(the name it greets and says HELO with)." : "",
		    f->address);
		free(now);
	}
	snprintf(key, sizeof(key), "ptr %s", f->address);
	fix_add(p, FIX_ACTION, NULL, key, text, a.family == AF_INET6 ?
	    "Exchange Online refuses IPv6 senders without PTR; Outlook.com may refuse senders without valid reverse DNS." :
	    "Outlook.com requires valid reverse DNS for sending servers and may refuse mail from addresses without it or from dynamic-looking names.",
	    a.family == AF_INET6 ? SRC_OLC "; " SRC_V6 : SRC_OLC, f->id);
	free(text);
	free(want);
	free(have);
	free(gen);
	return true;
}

/* Where to ask for removal from a DNS blocklist.  Each URL was checked
 * against the list's own pages (docs/fix.md keeps the table with its
 * sources). */
static const struct delist {
	const char	*zone;
	const char	*url;
	const char	*how;
	const char	*source;
} delists[] = {
	{ "zen.spamhaus.org", "https://check.spamhaus.org/",
	  "look the address up; the result names the list (SBL, XBL/CSS, PBL) and how removal works (SBL listings are removed only at the request of the ISP's abuse team)",
	  "The Spamhaus Project, \"Good-bye, Blocklist Removal Center. Hello, IP and Domain Reputation Checker\" (2021)" },
	{ "b.barracudacentral.org", "https://www.barracudacentral.org/rbl/removal-request",
	  "submit one removal request with the address and what you fixed, then wait a day",
	  "Barracuda's own rejection text (\"see http://www.barracudacentral.org/rbl/removal-request\")" },
	{ "bl.spamcop.net", "https://www.spamcop.net/bl.shtml",
	  "look the address up: SpamCop listings expire by themselves once reports stop, and the page says when",
	  "SpamCop Blocking List page (spamcop.net/bl.shtml)" },
	{ "psbl.surriel.com", "https://psbl.org/",
	  "use \"Remove an IP\": anyone can remove an address",
	  "Passive Spam Block List home page (psbl.org)" },
	{ "bl.mailspike.net", "https://mailspike.org/",
	  "look the address up and ask for delisting there",
	  "Mailspike home page (mailspike.org: \"lookup and ask for delisting on IPs\")" },
};

/* The zone a dnsbl.listed finding is about: the listed entry of the
 * address whose query the evidence starts with, the only listed one,
 * or the name after "listed on " in the message.  Owned, or NULL. */
static char *
dnsbl_zone(const struct fix_ctx *c, const struct fix_finding *f)
{
	json_t *host, *addr = fix_report_address(c->report, f->address, &host);
	json_t *list = json_object_get(addr, "dnsbl"), *e, *only = NULL;
	const char *q, *m;
	char *z = NULL;
	size_t i, nlisted = 0, n;

	for (i = 0; i < json_array_size(list) && i < FIX_WALK_MAX; i++) {
		e = json_array_get(list, i);
		if (!str_same(jstr(e, "verdict"), "listed"))
			continue;
		nlisted++;
		only = e;
		q = jstr(e, "query");
		if (q != NULL && f->evidence != NULL && (n = strlen(q)) > 0 &&
		    strncmp(f->evidence, q, n) == 0 &&
		    (f->evidence[n] == ' ' || f->evidence[n] == '\0')) {
			z = jtext(e, "zone", 256);
			break;
		}
	}
	if (z == NULL && nlisted == 1)
		z = jtext(only, "zone", 256);
	if (z == NULL && f->message != NULL &&
	    (m = strstr(f->message, "listed on ")) != NULL) {
		m += strlen("listed on ");
		z = xstrndup(m, strcspn(m, ", ;"));
	}
	if (z != NULL) {
		str_lower(z);
		str_trim_dot(z);
		if (!valid_hostname(z)) {
			free(z);
			z = NULL;
		}
	}
	return z;
}

static bool
fix_dnsbl(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	const struct delist *d = NULL;
	char *zone, *text, key[400];
	size_t i;

	if (f->address == NULL)
		return false;
	zone = dnsbl_zone(c, f);
	for (i = 0; zone != NULL && i < sizeof(delists) / sizeof(delists[0]);
	    i++)
		if (strcmp(delists[i].zone, zone) == 0)
			d = &delists[i];
	text = xasprintf("%s is listed on %s%s%s%s. First find and stop the "
	    "cause (an open relay, a compromised account or web form, a "
	    "spam run: look at the mail log and the queue), then request "
	    "delisting: %s%s%s.", f->address, zone ? zone : "a DNS blocklist",
	    f->evidence ? " (" : "", f->evidence ? f->evidence : "",
	    f->evidence ? ")" : "", d ? d->url : "on the list's web site",
	    d ? ": " : "", d ? d->how : (zone ? " (search for the zone's name)" : ""));
	snprintf(key, sizeof(key), "dnsbl %s %s", f->address,
	    zone ? zone : "?");
	fix_add(p, FIX_ACTION, NULL, key, text,
	    "Outlook.com and Exchange Online refuse mail from addresses on lists they use (550 5.7.1 ... blocked using Spamhaus; S3140/S3150).",
	    d ? d->source : "the list's own web site", f->id);
	free(text);
	text = xasprintf("If Microsoft refuses mail from %s as well, ask "
	    "Microsoft too, after the listings are gone: Exchange Online "
	    "(550 5.7.606-649 \"banned sending IP\", 5.7.511) at "
	    "https://sender.office.com/; Outlook.com and Hotmail (550 5.7.1 "
	    "... (S3140) or (S3150)) with the Outlook.com sender support "
	    "form https://go.microsoft.com/fwlink/?LinkID=614866.",
	    f->address);
	snprintf(key, sizeof(key), "microsoft-delist %s", f->address);
	fix_add(p, FIX_ACTION, NULL, key, text,
	    "Microsoft keeps block lists of its own next to the public ones.",
	    SRC_NDR "; Outlook.com NDR texts (S3140/S3150) and the sender support form they lead to",
	    f->id);
	free(text);
	free(zone);
	return true;
}

static bool
fix_dns(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	struct addr a;
	char rev[128], key[300], *text = NULL, *h;
	const char *host = valid_hostname(f->host) ? f->host : NULL;

	if (strcmp(f->id, "dns.no_mx") == 0 && host != NULL)
		text = xasprintf("Publish an MX record for %s naming its mail "
		    "server, e.g. `%s. IN MX 10 mail.%s.` (with `mail.%s.` "
		    "having A/AAAA records; use your mail server's real "
		    "name).", host, host, host, host);
	else if (strcmp(f->id, "dns.null_mx") == 0 && host != NULL)
		text = xasprintf("%s publishes `%s. IN MX 0 .` (RFC 7505: it "
		    "accepts no mail). If it should receive mail, replace it "
		    "with `%s. IN MX 10 mail.%s.` naming your mail server; if "
		    "not, nothing needs to change.", host, host, host, host);
	else if (strcmp(f->id, "dns.lookup_failed") == 0) {
		if (f->address != NULL && addr_parse(f->address, &a) == 0 &&
		    addr_reverse_name(&a, NULL, rev, sizeof(rev)) == 0)
			text = xasprintf("The reverse zone of %s (%s.) did not "
			    "answer%s%s%s. It is run by the address's owner "
			    "(your ISP or hosting provider): ask them to fix "
			    "its name servers and to set a PTR naming your "
			    "mail server. Check: dig -x %s.", f->address, rev,
			    f->evidence ? " (" : "", f->evidence ? f->evidence :
			    "", f->evidence ? ")" : "", f->address);
		else if (host != NULL)
			text = xasprintf("Make %s resolvable: its zone's name "
			    "servers must answer and it needs `%s. IN A ...` "
			    "and/or `%s. IN AAAA ...` records%s%s%s; with "
			    "DNSSEC the signatures must validate. Check: dig "
			    "+trace %s; delv %s.", host, host, host,
			    f->evidence ? " (" : "", f->evidence ?
			    f->evidence : "", f->evidence ? ")" : "", host, host);
	}
	if (text == NULL)
		return false;
	h = xasprintf("%s %s %s", f->id, host ? host : "",
	    f->address ? f->address : "");
	snprintf(key, sizeof(key), "%s", h);
	free(h);
	fix_add(p, FIX_ACTION, NULL, key, text,
	    "Microsoft's servers find your mail server through DNS: without working records mail is deferred and bounced.",
	    SRC_5321, f->id);
	free(text);
	return true;
}

/* The host name a certificate must cover: the finding's MX host, or
 * for an audit the MTA's own name.  Owned, or NULL. */
static char *
cert_host(const struct fix_ctx *c, const struct fix_finding *f)
{
	char *h = NULL;

	if (valid_hostname(f->host))
		h = xstrdup(f->host);
	else
		h = jtext(json_object_get(c->report, "audit"), "hostname", 256);
	if (h != NULL && !valid_hostname(h)) {
		free(h);
		h = NULL;
	}
	if (h != NULL) {
		str_lower(h);
		str_trim_dot(h);
	}
	return h;
}

/* An audit finding's evidence starts with the file it is about
 * ("/etc/ssl/mail.pem: ..."); owned, or NULL. */
static char *
evidence_path(const struct fix_finding *f)
{
	const char *e = f->evidence, *colon;

	if (e == NULL || (e[0] != '/' && !(isalpha((unsigned char)e[0]) &&
	    e[1] == ':')))
		return NULL;
	if ((colon = strstr(e + 2, ": ")) == NULL)
		return NULL;
	return xstrndup(e, (size_t)(colon - e));
}

static char *
csr_command(const char *host)
{
	return xasprintf("openssl req -new -newkey rsa:2048 -nodes -keyout "
	    "%s.key -out %s.csr -subj \"/CN=%s\" -addext "
	    "\"subjectAltName=DNS:%s\"", host, host, host, host);
}

static bool
fix_chain_incomplete(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f, const char *host)
{
	json_t *h, *addr = fix_report_address(c->report, f->address, &h);
	char *leaf = evidence_path(f), *missing, *cmd, *text, *file, key[300];

	missing = jtext(json_object_get(json_object_get(addr, "tls"),
	    "certificate"), "missing_issuer", 400);
	/* One name for every host: a plan about several MX hosts with the
	 * same certificate needs one file. */
	file = xstrdup("fullchain.pem");
	cmd = xasprintf("mxdoctor fix chain --cert %s -o %s",
	    leaf ? leaf : "LEAF.pem", file);
	text = xasprintf("The server sends its certificate without the "
	    "intermediate%s%s%s. Build the complete chain (leaf, then each "
	    "intermediate; mxdoctor takes the issuers from the trust store "
	    "and --intermediate files, and tells which one is missing and "
	    "where to download it)%s.", missing ? " (missing issuer: " : "",
	    missing ? missing : "", missing ? ")" : "", leaf ? "" :
	    "; LEAF.pem is your server certificate");
	fix_add(p, FIX_FILE, NULL, file, cmd, text, SRC_CHAIN, f->id);
	free(text);
	text = xasprintf("Then point %s at %s, then: %s.",
	    words(p)->chain_setting, file, words(p)->reload);
	snprintf(key, sizeof(key), "chain setting %s", file);
	fix_add(p, FIX_ACTION, NULL, key, text,
	    "Validating senders (connectors with certificate validation, MTA-STS, DANE) fail without the intermediate (4.7.320).",
	    SRC_DANE, f->id);
	free(text);
	free(file);
	free(cmd);
	free(missing);
	free(leaf);
	return true;
}

static bool
fix_cert(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	char *host = cert_host(c, f), *path = evidence_path(f), *csr, *text;
	const char *hn = host ? host : "YOUR.MX.HOST", *why, *src = SRC_DANE;
	char key[400];
	bool ok = true;

	csr = csr_command(hn);
	if (strcmp(f->id, "cert.chain_incomplete") == 0) {
		ok = fix_chain_incomplete(p, c, f, host);
		goto out;
	}
	if (strcmp(f->id, "cert.expired") == 0 ||
	    strcmp(f->id, "cert.expires_soon") == 0 ||
	    strcmp(f->id, "cert.not_yet_valid") == 0) {
		text = xasprintf("Renew the certificate%s%s for %s%s%s%s (with "
		    "an ACME client such as certbot: certbot renew), install "
		    "it with its intermediates, then: %s. Automate it: a "
		    "renewal hook that does the same (%s).%s", path ? " in " : "",
		    path ? path : "", hn, f->evidence ? " (" : "",
		    f->evidence ? f->evidence : "", f->evidence ? ")" : "",
		    words(p)->reload, words(p)->reload,
		    strcmp(f->id, "cert.not_yet_valid") == 0 ?
		    " Check the clocks of the server and of the machine that issued it." : "");
		why = "Validating senders refuse a certificate outside its dates (450 4.7.320, 5.7.322 certificate-expired with DANE).";
	} else if (strcmp(f->id, "cert.self_signed") == 0 ||
	    strcmp(f->id, "cert.untrusted") == 0) {
		text = xasprintf("Serve a certificate from a public CA that "
		    "covers %s%s%s%s%s: get one with an ACME client (certbot "
		    "certonly -d %s) or send your CA this request: %s. Serve "
		    "it with its intermediates (mxdoctor fix chain).%s", hn,
		    path ? ", instead of " : "", path ? path : "",
		    f->evidence ? "; now: " : "", f->evidence ? f->evidence : "",
		    hn, csr, strcmp(f->id, "cert.untrusted") == 0 ?
		    " If it is from a public CA already, an intermediate is "
		    "missing: build the chain with mxdoctor fix chain." : "");
		why = "Opportunistic TLS accepts it, but connectors with certificate validation, MTA-STS and DANE refuse it (4.7.320).";
	} else if (strcmp(f->id, "cert.name_mismatch") == 0) {
		text = xasprintf("Get a certificate whose subjectAltName "
		    "contains %s exactly as the MX record names it%s%s%s: %s "
		    "(or certbot certonly -d %s).", hn, f->evidence ? " (now: " :
		    "", f->evidence ? f->evidence : "", f->evidence ? ")" : "",
		    csr, hn);
		why = "Connectors with DomainValidation and MTA-STS check the MX host name (4.7.320 SubjectMismatch).";
	} else if (strcmp(f->id, "cert.weak_key") == 0) {
		text = xasprintf("Reissue the certificate for %s with a new "
		    "RSA key of 2048 bits or more%s%s%s: %s. Keep an RSA "
		    "certificate (an ECDSA one may be added next to it): every "
		    "suite Microsoft documents is RSA-authenticated.", hn,
		    f->evidence ? " (now: " : "", f->evidence ? f->evidence : "",
		    f->evidence ? ")" : "", csr);
		why = "Windows refuses RSA keys under 1024 bits; current OpenSSL security levels and public CAs refuse keys under 2048 bits.";
		src = "Microsoft Security Advisory 2661254; " SRC_ENC;
	} else if (strcmp(f->id, "cert.weak_signature") == 0) {
		text = xasprintf("Reissue the certificate for %s signed with "
		    "SHA-256 (public CAs do so by default)%s%s%s; if the SHA-1 "
		    "signature is on an intermediate, serve the CA's current "
		    "intermediate instead (mxdoctor fix chain).", hn,
		    f->evidence ? " (now: " : "", f->evidence ? f->evidence : "",
		    f->evidence ? ")" : "");
		why = "Microsoft 365 refuses SHA-1 certificates inbound and outbound since 2016.";
		src = SRC_ENC;
	} else {
		ok = false;
		goto out;
	}
	snprintf(key, sizeof(key), "%s %s", f->id, path ? path : hn);
	fix_add(p, FIX_ACTION, NULL, key, text, why, src, f->id);
	free(text);
out:
	free(csr);
	free(host);
	free(path);
	return ok;
}

static void
finding_generic_or_untouched(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	bool done = false;

	if (strncmp(f->id, "ptr.", 4) == 0)
		done = fix_ptr(p, c, f);
	else if (strcmp(f->id, "dnsbl.listed") == 0)
		done = fix_dnsbl(p, c, f);
	else if (strncmp(f->id, "dns.", 4) == 0)
		done = fix_dns(p, c, f);
	else if (strncmp(f->id, "cert.", 5) == 0)
		done = fix_cert(p, c, f);
	if (!done)
		finding_untouched(p, f, NULL);
}
