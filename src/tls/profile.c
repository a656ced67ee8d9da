/* profile: receiver profiles (data/profiles/NAME.conf) and which suite a profile's client would negotiate. */
#include "tls/profile.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROFILE_LINE_MAX	4096
#define PROFILE_FACTS_MAX	64
#define PROFILE_SUITES_MAX	256	/* more than any real client offers */

/* A fact as parsed, owned; facts[] in the profile are views of these. */
struct fact {
	char	*key;
	char	*value;
	char	*source;
	char	*status;
	char	*note;
};

struct tls_profile {
	char			*name;
	char			*title;
	struct fact		 own[PROFILE_FACTS_MAX];
	struct tls_profile_fact	 facts[PROFILE_FACTS_MAX];
	size_t			 nfacts;
	unsigned		 versions;
	enum tls_profile_sni	 sni;
	uint16_t		 suites[PROFILE_SUITES_MAX];	/* as listed */
	size_t			 nsuites;
	/* per version index: what the client offers there, in order */
	uint16_t		 offer[TLS_NVERSIONS][PROFILE_SUITES_MAX];
	size_t			 noffer[TLS_NVERSIONS];
};

/* A parse in progress: the file name and line for messages. */
struct pctx {
	const char		*path;
	int			 line;
	char			*err;
	struct tls_profile	*p;
	struct fact		*cur;	/* the fact attributes attach to */
	int			 cur_line;
};

static int
perr(struct pctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->err != NULL)
		return -1;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->err = xasprintf("%s:%d: %s", c->path, c->line, msg);
	return -1;
}

/*
 * Lists: words separated by blanks, commas or colons (so that an OpenSSL
 * cipher string can be pasted as it is).
 */

static bool
is_sep(char ch)
{
	return ch == ' ' || ch == '\t' || ch == ',' || ch == ':';
}

/* Calls fn on every word of s; stops at the first -1. */
static int
each_word(struct pctx *c, const char *s,
    int (*fn)(struct pctx *, const char *, void *), void *arg)
{
	char word[128];
	size_t n;

	while (*s != '\0') {
		while (is_sep(*s))
			s++;
		if (*s == '\0')
			break;
		for (n = 0; s[n] != '\0' && !is_sep(s[n]); n++)
			;
		if (n >= sizeof(word))
			return perr(c, "word too long");
		memcpy(word, s, n);
		word[n] = '\0';
		if (fn(c, word, arg) == -1)
			return -1;
		s += n;
	}
	return 0;
}

static int
add_version(struct pctx *c, const char *w, void *arg)
{
	uint16_t v = tls_version_parse(w);

	(void)arg;
	if (v == 0)
		return perr(c, "unknown version \"%s\"", w);
	c->p->versions |= tls_version_bit(v);
	return 0;
}

struct suite_list {
	uint16_t	*v;
	size_t		*n;
	bool		 tls13;
};

static int
add_suite(struct pctx *c, const char *w, void *arg)
{
	struct suite_list *l = arg;
	const struct tls_suite *s = tls_suite_by_name(w);
	size_t i;

	if (s == NULL || (s->flags & TLS_SUITE_SCSV))
		return perr(c, "unknown cipher suite \"%s\"", w);
	if (((s->flags & TLS_SUITE_TLS13) != 0) != l->tls13)
		return perr(c, "%s is %sa TLS 1.3 suite", w,
		    l->tls13 ? "not " : "");
	for (i = 0; i < *l->n; i++)
		if (l->v[i] == s->code)
			return perr(c, "%s listed twice", w);
	if (*l->n >= PROFILE_SUITES_MAX)
		return perr(c, "too many suites");
	l->v[(*l->n)++] = (uint16_t)s->code;
	return 0;
}

/*
 * Facts.
 */

static bool
needs_source(const char *key)
{
	return strcmp(key, "name") != 0 && strcmp(key, "title") != 0 &&
	    strcmp(key, "description") != 0;
}

/* Checks the fact just completed and applies the typed ones. */
static int
fact_close(struct pctx *c)
{
	struct fact *f = c->cur;
	struct tls_profile *p = c->p;
	struct suite_list l;
	int save = c->line;

	if (f == NULL)
		return 0;
	c->cur = NULL;
	c->line = c->cur_line;
	if (needs_source(f->key) && f->source == NULL)
		return perr(c, "fact \"%s\" has no source", f->key);
	if (f->status == NULL)
		f->status = xstrdup("documented");
	else if (strcmp(f->status, "documented") != 0 &&
	    strcmp(f->status, "observed") != 0 &&
	    strcmp(f->status, "inferred") != 0 &&
	    strcmp(f->status, "unverified") != 0)
		return perr(c, "unknown status \"%s\"", f->status);
	if (strcmp(f->key, "versions") == 0 &&
	    each_word(c, f->value, add_version, NULL) == -1)
		return -1;
	if (strcmp(f->key, "suites") == 0 || strcmp(f->key,
	    "suites_tls13") == 0) {
		l.tls13 = strcmp(f->key, "suites_tls13") == 0;
		l.v = l.tls13 ? p->offer[tls_version_index(TLS_V_TLS13)] :
		    p->suites;
		l.n = l.tls13 ? &p->noffer[tls_version_index(TLS_V_TLS13)] :
		    &p->nsuites;
		if (each_word(c, f->value, add_suite, &l) == -1)
			return -1;
	}
	if (strcmp(f->key, "sni") == 0) {
		if (strcmp(f->value, "yes") == 0)
			p->sni = TLS_PROFILE_SNI_YES;
		else if (strcmp(f->value, "no") == 0)
			p->sni = TLS_PROFILE_SNI_NO;
		else if (strcmp(f->value, "unverified") == 0)
			p->sni = TLS_PROFILE_SNI_UNKNOWN;
		else
			return perr(c, "sni is yes, no or unverified");
	}
	c->line = save;
	return 0;
}

static bool
valid_key(const char *k)
{
	if (*k == '\0')
		return false;
	for (; *k != '\0'; k++)
		if (!(islower((unsigned char)*k) || isdigit((unsigned char)*k) ||
		    *k == '_' || *k == '.'))
			return false;
	return true;
}

/* Splits "key = value" in place; NULL value if there is no '='. */
static void
split_kv(char *line, char **key, char **value)
{
	char *eq = strchr(line, '='), *end;

	*key = line;
	*value = NULL;
	if (eq == NULL)
		return;
	*eq = '\0';
	*value = eq + 1;
	while (**value == ' ' || **value == '\t')
		(*value)++;
	for (end = eq; end > line && (end[-1] == ' ' || end[-1] == '\t'); )
		*--end = '\0';
}

static char *
append_value(char *old, const char *more)
{
	char *s = xasprintf("%s %s", old, more);

	free(old);
	return s;
}

static int
line_attribute(struct pctx *c, char *line)
{
	struct fact *f = c->cur;
	char *key, *value, **slot = NULL;

	if (f == NULL)
		return perr(c, "indented line outside a fact");
	split_kv(line, &key, &value);
	if (value != NULL && strcmp(key, "source") == 0)
		slot = &f->source;
	else if (value != NULL && strcmp(key, "status") == 0)
		slot = &f->status;
	else if (value != NULL && strcmp(key, "note") == 0)
		slot = &f->note;
	if (slot == NULL) {
		/* a continuation of the value: undo the split */
		if (value != NULL)
			key = xasprintf("%s = %s", key, value);
		else
			key = xstrdup(key);
		f->value = append_value(f->value, key);
		free(key);
		return 0;
	}
	if (*value == '\0')
		return perr(c, "empty %s", key);
	*slot = *slot == NULL ? xstrdup(value) : append_value(*slot, value);
	return 0;
}

static int
line_fact(struct pctx *c, char *line)
{
	struct tls_profile *p = c->p;
	struct fact *f;
	char *key, *value;
	size_t i;

	if (fact_close(c) == -1)
		return -1;
	split_kv(line, &key, &value);
	if (value == NULL)
		return perr(c, "expected key = value");
	if (!valid_key(key))
		return perr(c, "bad key \"%s\"", key);
	for (i = 0; i < p->nfacts; i++)
		if (strcmp(p->own[i].key, key) == 0)
			return perr(c, "\"%s\" given twice", key);
	if (p->nfacts == PROFILE_FACTS_MAX)
		return perr(c, "too many facts");
	f = &p->own[p->nfacts++];
	f->key = xstrdup(key);
	f->value = xstrdup(value);
	c->cur = f;
	c->cur_line = c->line;
	return 0;
}

static int
parse_line(struct pctx *c, char *line)
{
	size_t n = strlen(line);
	char *s = line;

	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
	    line[n - 1] == '\r'))
		line[--n] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '#')
		return 0;
	if (s != line)
		return line_attribute(c, s);
	return line_fact(c, s);
}

/*
 * Loading.
 */

static char *
read_file(const char *path, size_t *len, char **err)
{
	FILE *fp = fopen(path, "r");
	char *data;

	if (fp == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	data = xmalloc(TLS_PROFILE_FILE_MAX + 1);
	*len = fread(data, 1, TLS_PROFILE_FILE_MAX + 1, fp);
	if (ferror(fp) || *len > TLS_PROFILE_FILE_MAX) {
		*err = xasprintf("%s: %s", path, ferror(fp) ? "read error" :
		    "file too large");
		free(data);
		data = NULL;
	} else
		data[*len] = '\0';
	fclose(fp);
	return data;
}

/* The per-version offers (the suites list filtered to each version),
 * the names, and the public views of the facts. */
static void
profile_finish(struct tls_profile *p)
{
	size_t i, k;
	int vi;

	for (vi = 0; vi < TLS_NVERSIONS; vi++) {
		uint16_t v = tls_version_at(vi);

		if (v == TLS_V_TLS13)
			continue;
		p->noffer[vi] = 0;
		for (i = 0; i < p->nsuites; i++) {
			const struct tls_suite *s = tls_suite_by_code(p->suites[i]);

			if (s != NULL && tls_suite_usable(s, v))
				p->offer[vi][p->noffer[vi]++] = p->suites[i];
		}
	}
	for (k = 0; k < p->nfacts; k++) {
		struct fact *f = &p->own[k];

		p->facts[k].key = f->key;
		p->facts[k].value = f->value;
		p->facts[k].source = f->source;
		p->facts[k].status = f->status;
		p->facts[k].note = f->note;
		if (strcmp(f->key, "name") == 0 && p->name == NULL)
			p->name = xstrdup(f->value);
		if (strcmp(f->key, "title") == 0 && p->title == NULL)
			p->title = xstrdup(f->value);
	}
}

/* What every profile must say. */
static int
profile_check(struct pctx *c)
{
	struct tls_profile *p = c->p;
	unsigned old = p->versions & ~tls_version_bit(TLS_V_TLS13);

	if (p->name == NULL)
		return perr(c, "no name");
	if (p->versions == 0)
		return perr(c, "no versions");
	if ((p->versions & tls_version_bit(TLS_V_TLS13)) &&
	    p->noffer[tls_version_index(TLS_V_TLS13)] == 0)
		return perr(c, "TLSv1.3 without suites_tls13");
	if (old != 0 && p->nsuites == 0)
		return perr(c, "versions before TLSv1.3 without suites");
	return 0;
}

static int
parse_all(struct pctx *c, char *data, size_t len)
{
	char *line = data, *nl;

	while (line < data + len) {
		c->line++;
		if ((nl = memchr(line, '\n', (size_t)(data + len - line))) != NULL)
			*nl = '\0';
		if (strlen(line) > PROFILE_LINE_MAX)
			return perr(c, "line too long");
		if (parse_line(c, line) == -1)
			return -1;
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	return fact_close(c);
}

struct tls_profile *
tls_profile_load(const char *path, char **err)
{
	struct pctx c;
	size_t len;
	char *data;

	*err = NULL;
	if ((data = read_file(path, &len, err)) == NULL)
		return NULL;
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.p = xcalloc(1, sizeof(*c.p));
	if (memchr(data, '\0', len) != NULL)
		(void)perr(&c, "NUL byte in file");
	else if (parse_all(&c, data, len) == 0) {
		profile_finish(c.p);
		c.line = 0;
		(void)profile_check(&c);
	}
	free(data);
	if (c.err != NULL) {
		*err = c.err;
		tls_profile_free(c.p);
		return NULL;
	}
	return c.p;
}

struct tls_profile *
tls_profile_load_named(const char *name, const char *dir, char **err)
{
	struct tls_profile *p;
	const char *s;
	char *path;

	*err = NULL;
	for (s = name; *s != '\0'; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    *s == '-'))
			break;
	if (*name == '\0' || *s != '\0' || strlen(name) > 64) {
		*err = xasprintf("bad profile name \"%.64s\"", name);
		return NULL;
	}
	path = xasprintf("%s/%s.conf", dir != NULL ? dir : MXD_PROFILE_DIR,
	    name);
	p = tls_profile_load(path, err);
	if (p != NULL && strcmp(p->name, name) != 0) {
		*err = xasprintf("%s: name is \"%s\", not \"%s\"", path,
		    p->name, name);
		tls_profile_free(p);
		p = NULL;
	}
	free(path);
	return p;
}

void
tls_profile_free(struct tls_profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nfacts; i++) {
		free(p->own[i].key);
		free(p->own[i].value);
		free(p->own[i].source);
		free(p->own[i].status);
		free(p->own[i].note);
	}
	free(p->name);
	free(p->title);
	free(p);
}

/*
 * Getters.
 */

const char *
tls_profile_name(const struct tls_profile *p)
{
	return p->name;
}

const char *
tls_profile_title(const struct tls_profile *p)
{
	return p->title != NULL ? p->title : p->name;
}

unsigned
tls_profile_versions(const struct tls_profile *p)
{
	return p->versions;
}

const uint16_t *
tls_profile_suites(const struct tls_profile *p, uint16_t v, size_t *n)
{
	int vi = tls_version_index(v);

	if (vi < 0 || !(p->versions & (1u << vi))) {
		*n = 0;
		return NULL;
	}
	*n = p->noffer[vi];
	return p->offer[vi];
}

enum tls_profile_sni
tls_profile_sni(const struct tls_profile *p)
{
	return p->sni;
}

size_t
tls_profile_nfacts(const struct tls_profile *p)
{
	return p->nfacts;
}

const struct tls_profile_fact *
tls_profile_fact_at(const struct tls_profile *p, size_t i)
{
	return i < p->nfacts ? &p->facts[i] : NULL;
}

const struct tls_profile_fact *
tls_profile_fact(const struct tls_profile *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->nfacts; i++)
		if (strcmp(p->facts[i].key, key) == 0)
			return &p->facts[i];
	return NULL;
}

/*
 * Negotiation.
 */

const char *
tls_order_name(enum tls_order o)
{
	static const char *const names[] = {
		"unknown", "server", "client", "mixed"
	};

	return (unsigned)o < 4 ? names[o] : "unknown";
}

static bool
list_has(const uint16_t *v, size_t n, uint16_t code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == code)
			return true;
	return false;
}

/* The suite of version index vi, by whose order decides; 0 if none. */
static uint16_t
pick_suite(const struct tls_profile *p, const struct tls_server_view *view,
    int vi, enum tls_order *used)
{
	const struct tls_server_suites *ss = &view->v[vi];
	const uint16_t *cv = p->offer[vi];
	size_t cn = p->noffer[vi], i;

	*used = ss->order == TLS_ORDER_SERVER ? TLS_ORDER_SERVER :
	    ss->order == TLS_ORDER_CLIENT ? TLS_ORDER_CLIENT :
	    TLS_ORDER_UNKNOWN;
	if (ss->order == TLS_ORDER_SERVER) {
		for (i = 0; i < ss->n; i++)
			if (list_has(cv, cn, ss->suites[i]))
				return ss->suites[i];
		return 0;
	}
	for (i = 0; i < cn; i++)
		if (list_has(ss->suites, ss->n, cv[i]))
			return cv[i];
	return 0;
}

static unsigned
overlap_mask(const struct tls_profile *p, const struct tls_server_view *view)
{
	enum tls_order unused;
	unsigned mask = 0;
	int vi;

	for (vi = 0; vi < TLS_NVERSIONS; vi++) {
		if (!(p->versions & view->versions & (1u << vi)) ||
		    !view->v[vi].known)
			continue;
		if (pick_suite(p, view, vi, &unused) != 0)
			mask |= 1u << vi;
	}
	return mask;
}

/* The version a server picks for this client: its highest up to the
 * client's highest; -1 if none. */
static int
pick_version(const struct tls_profile *p, const struct tls_server_view *view)
{
	int vi, client_max = -1;

	for (vi = TLS_NVERSIONS - 1; vi >= 0 && client_max < 0; vi--)
		if (p->versions & (1u << vi))
			client_max = vi;
	for (vi = client_max; vi >= 0; vi--)
		if (view->versions & (1u << vi))
			return vi;
	return -1;
}

static void
versions_text(unsigned mask, struct buf *b)
{
	int vi;
	bool first = true;

	for (vi = TLS_NVERSIONS - 1; vi >= 0; vi--) {
		if (!(mask & (1u << vi)))
			continue;
		(void)buf_printf(b, "%s%s", first ? "" : " ",
		    tls_version_name(tls_version_at(vi)));
		first = false;
	}
	if (first)
		(void)buf_adds(b, "none");
}

static void
neg_reason(struct tls_negotiation *out, const struct tls_profile *p,
    const struct tls_server_view *view, int vi)
{
	struct buf *b = buf_new(sizeof(out->reason) - 1);
	char label[16];
	const char *v = vi >= 0 ? tls_version_name(tls_version_at(vi)) : "";

	switch (out->status) {
	case TLS_NEG_OK:
		(void)buf_printf(b, "%s would negotiate %s with %s (%s order)",
		    p->name, v, tls_suite_label(out->suite, label,
		    sizeof(label)), tls_order_name(out->order_used));
		break;
	case TLS_NEG_NO_VERSION:
		(void)buf_printf(b, "%s offers ", p->name);
		versions_text(p->versions, b);
		(void)buf_adds(b, "; the server accepts ");
		versions_text(view->versions, b);
		break;
	case TLS_NEG_NO_SUITE:
		(void)buf_printf(b, "no cipher suite in common in %s: none "
		    "of the %zu that %s offers is accepted", v,
		    p->noffer[vi], p->name);
		break;
	case TLS_NEG_UNKNOWN:
		(void)buf_printf(b, "%s would use %s; its suites were not "
		    "enumerated", p->name, v);
		break;
	}
	(void)str_copy(out->reason, buf_str(b), sizeof(out->reason));
	buf_free(b);
}

void
tls_profile_negotiate(const struct tls_profile *p,
    const struct tls_server_view *view, struct tls_negotiation *out)
{
	int vi;

	memset(out, 0, sizeof(*out));
	out->overlap = overlap_mask(p, view);
	vi = pick_version(p, view);
	if (vi < 0 || !(p->versions & (1u << vi))) {
		out->status = TLS_NEG_NO_VERSION;
		neg_reason(out, p, view, vi);
		return;
	}
	out->version = tls_version_at(vi);
	if (!view->v[vi].known) {
		out->status = TLS_NEG_UNKNOWN;
		neg_reason(out, p, view, vi);
		return;
	}
	out->suite = pick_suite(p, view, vi, &out->order_used);
	out->status = out->suite != 0 ? TLS_NEG_OK : TLS_NEG_NO_SUITE;
	neg_reason(out, p, view, vi);
}
