/* patterns: loads and validates the explain data file (causes, patterns, suspects). */
#include "explain/patterns.h"
#include "explain/match.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define PATTERNS_FILE_MAX	(4 * 1024 * 1024)
#define FIELDS_MAX		32

/* The causes `mxdoctor explain` may report: the JSON `cause` values are a
 * contract (docs/explain.md), so the data file describes them but cannot
 * invent new ones. */
static const char *const cause_names[] = {
	"tls_version", "starttls", "cipher", "cert_untrusted",
	"cert_self_signed", "cert_expired", "cert_name", "ptr", "sni",
	"blocklist", "auth", "rate_limit", "other"
};
#define NCAUSES	(sizeof(cause_names) / sizeof(cause_names[0]))

struct explain_patterns {
	char			*path;
	struct explain_cause	 causes[NCAUSES];
	bool			 have_cause[NCAUSES];
	struct explain_pattern	*pats;
	size_t			 npats, cap;
	struct strvec		 suspects;
	struct explain_db	*db;
};

/* One "key: value" field of a record being read. */
struct field {
	char	*key;
	char	*value;		/* owned until taken */
	int	 line;
};

struct record {
	struct field	 f[FIELDS_MAX];
	size_t		 n;
	int		 line;
};

/* The parser's state: where we are, for messages. */
struct parse {
	const char		*name;
	char			*err;
	size_t			 errlen;
	struct explain_patterns	*ps;
};

static int
perr(struct parse *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parse *p, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d: %s", p->name, line, msg);
	return -1;
}

static void
record_clear(struct record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->f[i].key);
		free(r->f[i].value);
	}
	r->n = 0;
}

/* take: the value of key (moved out of the record), or NULL. */
static char *
take(struct record *r, const char *key)
{
	size_t i;
	char *v;

	for (i = 0; i < r->n; i++)
		if (r->f[i].key != NULL && strcmp(r->f[i].key, key) == 0 &&
		    r->f[i].value != NULL) {
			v = r->f[i].value;
			r->f[i].value = NULL;
			return v;
		}
	return NULL;
}

/* leftover: the first field nobody took (an unknown or repeated key). */
static const struct field *
leftover(const struct record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->f[i].value != NULL)
			return &r->f[i];
	return NULL;
}

static int
cause_index(const char *name)
{
	size_t i;

	for (i = 0; i < NCAUSES; i++)
		if (strcmp(cause_names[i], name) == 0)
			return (int)i;
	return -1;
}

static bool
valid_token(const char *s, const char *extra)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    strchr(extra, *s) == NULL)
			return false;
	return true;
}

/* split_findings: "a.b c.d" into a NULL-terminated vector; -1 on a bad id. */
static int
split_findings(struct parse *p, int line, char *list, char ***out)
{
	struct strvec sv = { NULL, 0, 0 };
	char *s = list, *tok;

	while (*s != '\0') {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		tok = s;
		while (*s != '\0' && *s != ' ')
			s++;
		if (*s != '\0')
			*s++ = '\0';
		if (!valid_token(tok, "._")) {
			strvec_clear(&sv);
			return perr(p, line, "findings: '%.40s' is not a finding id", tok);
		}
		strvec_add(&sv, tok);
	}
	strvec_add_owned(&sv, NULL);
	*out = sv.v;
	return 0;
}

static void
free_findings(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static int
parse_enum(struct parse *p, int line, const char *what, const char *v,
    const char *const *names, size_t n, int *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	return perr(p, line, "%s: unknown value '%.40s'", what, v);
}

static int
add_cause(struct parse *p, struct record *r)
{
	static const char *const confirms[] = { "none", "host", "sending-ip" };
	char *name = take(r, "cause"), *confirm = take(r, "confirm"), *fl;
	struct explain_cause *c;
	int ci, conf = 0, ret = -1;
	const struct field *left;

	if ((ci = cause_index(name)) == -1) {
		perr(p, r->line, "cause '%.40s' is not one of the causes explain reports", name);
		goto out;
	}
	if (p->ps->have_cause[ci]) {
		perr(p, r->line, "cause '%s' described twice", name);
		goto out;
	}
	c = &p->ps->causes[ci];
	if (confirm == NULL || parse_enum(p, r->line, "confirm", confirm, confirms,
	    3, &conf) == -1) {
		if (confirm == NULL)
			perr(p, r->line, "cause '%s' needs confirm", name);
		goto out;
	}
	c->confirm = (enum explain_confirm)conf;
	c->title = take(r, "title");
	c->explain = take(r, "explain");
	c->fix = take(r, "fix");
	if ((fl = take(r, "findings")) != NULL) {
		int rc = split_findings(p, r->line, fl, &c->findings);

		free(fl);
		if (rc == -1)
			goto out;
	}
	p->ps->have_cause[ci] = true;
	c->name = name;
	name = NULL;
	if (c->title == NULL || c->explain == NULL || c->fix == NULL) {
		perr(p, r->line, "cause '%s' needs title, explain and fix", c->name);
		goto out;
	}
	if ((left = leftover(r)) != NULL) {
		perr(p, left->line, "unknown or repeated key '%s' in a cause", left->key);
		goto out;
	}
	ret = 0;
out:
	free(name);
	free(confirm);
	return ret;
}

static void
pattern_free(struct explain_pattern *pt)
{
	free(pt->id);
	free(pt->regex);
	free(pt->source);
	free(pt->example);
	free(pt->own_explain);
	free(pt->own_fix);
	free_findings(pt->own_findings);
}

/* pattern_fields: side, direction, severity, priority of a pattern. */
static int
pattern_fields(struct parse *p, struct record *r, struct explain_pattern *pt)
{
	static const char *const sides[] = { "either", "local", "remote", "server", "client" };
	static const char *const dirs[] = { "in", "out" };
	static const char *const sevs[] = { "failure", "info" };
	char *side = take(r, "side"), *dir = take(r, "direction");
	char *sev = take(r, "severity"), *prio = take(r, "priority");
	int v = 0, ret = -1;
	long pr;

	if (side != NULL && parse_enum(p, r->line, "side", side, sides, 5, &v) == -1)
		goto out;
	pt->side = side != NULL ? (enum explain_side)v : SIDE_EITHER;
	if (dir != NULL && parse_enum(p, r->line, "direction", dir, dirs, 2, &v) == -1)
		goto out;
	pt->direction = dir == NULL ? DIR_UNKNOWN : v == 0 ? DIR_IN : DIR_OUT;
	if (sev != NULL && parse_enum(p, r->line, "severity", sev, sevs, 2, &v) == -1)
		goto out;
	pt->info = sev != NULL && v == 1;
	if (prio == NULL || str_to_long(prio, 0, 100, &pr) == -1) {
		perr(p, r->line, "pattern '%s': priority must be 0-100", pt->id);
		goto out;
	}
	pt->priority = (int)pr;
	ret = 0;
out:
	free(side);
	free(dir);
	free(sev);
	free(prio);
	return ret;
}

static int
add_pattern(struct parse *p, struct record *r)
{
	struct explain_patterns *ps = p->ps;
	struct explain_pattern pt;
	const struct field *left;
	char *cause = NULL, *fl, why[160];
	size_t i;
	int ci;

	memset(&pt, 0, sizeof(pt));
	pt.line = r->line;
	pt.id = take(r, "pattern");
	if (!valid_token(pt.id, "._-")) {
		perr(p, r->line, "pattern id '%.40s': use a-z, 0-9, '.', '_', '-'", pt.id);
		goto err;
	}
	for (i = 0; i < ps->npats; i++)
		if (strcmp(ps->pats[i].id, pt.id) == 0) {
			perr(p, r->line, "pattern id '%s' used twice", pt.id);
			goto err;
		}
	pt.regex = take(r, "regex");
	pt.source = take(r, "source");
	cause = take(r, "cause");
	if (pt.regex == NULL || pt.source == NULL || cause == NULL) {
		perr(p, r->line, "pattern '%s' needs regex, cause and source", pt.id);
		goto err;
	}
	if (explain_regex_check(pt.regex, why, sizeof(why)) == -1) {
		perr(p, r->line, "pattern '%s': %s", pt.id, why);
		goto err;
	}
	if ((ci = cause_index(cause)) == -1 || !ps->have_cause[ci]) {
		perr(p, r->line, "pattern '%s': cause '%.40s' is not described above it",
		    pt.id, cause);
		goto err;
	}
	pt.cause = &ps->causes[ci];
	if (pattern_fields(p, r, &pt) == -1)
		goto err;
	pt.own_explain = take(r, "explain");
	pt.own_fix = take(r, "fix");
	pt.example = take(r, "example");
	if ((fl = take(r, "findings")) != NULL) {
		int rc = split_findings(p, r->line, fl, &pt.own_findings);

		free(fl);
		if (rc == -1)
			goto err;
	}
	if ((left = leftover(r)) != NULL) {
		perr(p, left->line, "unknown or repeated key '%s' in a pattern", left->key);
		goto err;
	}
	if (ps->npats + ps->suspects.n >= EXPLAIN_PATTERNS_MAX) {
		perr(p, r->line, "more than %d patterns", EXPLAIN_PATTERNS_MAX);
		goto err;
	}
	if (ps->npats == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 64;
		ps->pats = xreallocarray(ps->pats, ps->cap, sizeof(*ps->pats));
	}
	ps->pats[ps->npats++] = pt;
	free(cause);
	return 0;
err:
	pattern_free(&pt);
	free(cause);
	return -1;
}

static int
add_suspects(struct parse *p, struct record *r)
{
	char why[160];
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->f[i].key, "suspect") != 0)
			return perr(p, r->f[i].line, "only suspect: lines in a suspect record");
		if (explain_regex_check(r->f[i].value, why, sizeof(why)) == -1)
			return perr(p, r->f[i].line, "suspect: %s", why);
		if (p->ps->npats + p->ps->suspects.n >= EXPLAIN_PATTERNS_MAX)
			return perr(p, r->f[i].line, "more than %d patterns", EXPLAIN_PATTERNS_MAX);
		strvec_add_owned(&p->ps->suspects, r->f[i].value);
		r->f[i].value = NULL;
	}
	return 0;
}

static int
finish_record(struct parse *p, struct record *r)
{
	const char *kind;
	int ret;

	if (r->n == 0)
		return 0;
	kind = r->f[0].key;
	if (strcmp(kind, "cause") == 0)
		ret = add_cause(p, r);
	else if (strcmp(kind, "pattern") == 0)
		ret = add_pattern(p, r);
	else if (strcmp(kind, "suspect") == 0)
		ret = add_suspects(p, r);
	else
		ret = perr(p, r->line, "a record starts with cause:, pattern: or suspect:, not '%s:'",
		    kind);
	record_clear(r);
	return ret;
}

static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* add_line: one non-blank, non-comment line into the record. */
static int
add_line(struct parse *p, struct record *r, char *line, int lineno)
{
	struct field *f;
	char *colon, *v;

	if (line[0] == ' ' || line[0] == '\t') {
		if (r->n == 0)
			return perr(p, lineno, "continuation line outside a record");
		f = &r->f[r->n - 1];
		v = xasprintf("%s %s", f->value, trim(line));
		free(f->value);
		f->value = v;
		return 0;
	}
	colon = strchr(line, ':');
	if (colon == NULL || colon == line)
		return perr(p, lineno, "expected 'key: value'");
	*colon = '\0';
	if (!valid_token(line, "_"))
		return perr(p, lineno, "bad key '%.40s'", line);
	if (r->n == FIELDS_MAX)
		return perr(p, lineno, "too many fields in one record");
	if (r->n == 0)
		r->line = lineno;
	f = &r->f[r->n++];
	f->key = xstrdup(line);
	f->value = xstrdup(trim(colon + 1));
	f->line = lineno;
	if (f->value[0] == '\0')
		return perr(p, lineno, "empty value for '%s'", f->key);
	return 0;
}

/* link_defaults: patterns without their own texts use their cause's. */
static int
link_defaults(struct parse *p)
{
	struct explain_patterns *ps = p->ps;
	size_t i;

	if (ps->npats == 0)
		return perr(p, 1, "no patterns");
	for (i = 0; i < ps->npats; i++) {
		struct explain_pattern *pt = &ps->pats[i];

		pt->explain = pt->own_explain ? pt->own_explain : pt->cause->explain;
		pt->fix = pt->own_fix ? pt->own_fix : pt->cause->fix;
		pt->findings = pt->own_findings ? pt->own_findings : pt->cause->findings;
	}
	return 0;
}

static int
compile(struct parse *p)
{
	char why[512];

	if ((p->ps->db = explain_db_compile(p->ps, why, sizeof(why))) == NULL)
		return perr(p, 1, "%s", why);
	return 0;
}

/* check_ascii: the texts end up on terminals and in JSON: printable ASCII
 * (and tabs) only. */
static int
check_ascii(struct parse *p, const char *text)
{
	int line = 1;

	for (; *text != '\0'; text++) {
		unsigned char c = (unsigned char)*text;

		if (c == '\n')
			line++;
		else if ((c < 0x20 && c != '\t' && c != '\r') || c >= 0x7f)
			return perr(p, line, "a byte outside printable ASCII (0x%02x)", c);
	}
	return 0;
}

struct explain_patterns *
explain_patterns_parse(const char *text, const char *name, char *err,
    size_t errlen)
{
	struct parse p = { name, err, errlen, NULL };
	struct record r;
	char *copy = xstrdup(text), *line, *next;
	int lineno = 0;

	memset(&r, 0, sizeof(r));
	p.ps = xcalloc(1, sizeof(*p.ps));
	p.ps->path = xstrdup(name);
	if (check_ascii(&p, text) == -1)
		goto err;
	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (line[0] == '#')
			continue;
		if (trim(line)[0] == '\0') {
			if (finish_record(&p, &r) == -1)
				goto err;
			continue;
		}
		if (add_line(&p, &r, line, lineno) == -1)
			goto err;
	}
	if (finish_record(&p, &r) == -1 || link_defaults(&p) == -1 ||
	    compile(&p) == -1)
		goto err;
	free(copy);
	return p.ps;
err:
	record_clear(&r);
	free(copy);
	explain_patterns_free(p.ps);
	return NULL;
}

static char *
read_file(const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *text = NULL;
	size_t n;

	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	text = xmalloc(PATTERNS_FILE_MAX + 1);
	n = fread(text, 1, PATTERNS_FILE_MAX + 1, fp);
	if (ferror(fp) || n > PATTERNS_FILE_MAX || memchr(text, '\0', n) != NULL) {
		snprintf(err, errlen, "%s: %s", path, ferror(fp) ? strerror(errno) :
		    n > PATTERNS_FILE_MAX ? "larger than 4 MiB" : "contains NUL bytes");
		free(text);
		text = NULL;
	} else {
		text[n] = '\0';
	}
	fclose(fp);
	return text;
}

struct explain_patterns *
explain_patterns_load(const char *path, char *err, size_t errlen)
{
	struct explain_patterns *ps;
	char *text = read_file(path, err, errlen);

	if (text == NULL)
		return NULL;
	ps = explain_patterns_parse(text, path, err, errlen);
	free(text);
	return ps;
}

void
explain_patterns_free(struct explain_patterns *ps)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->npats; i++)
		pattern_free(&ps->pats[i]);
	free(ps->pats);
	for (i = 0; i < NCAUSES; i++) {
		free(ps->causes[i].name);
		free(ps->causes[i].title);
		free(ps->causes[i].explain);
		free(ps->causes[i].fix);
		free_findings(ps->causes[i].findings);
	}
	strvec_clear(&ps->suspects);
	explain_db_free(ps->db);
	free(ps->path);
	free(ps);
}

const char *
explain_patterns_default_path(void)
{
	static const char *const paths[] = {
#ifdef MXD_EXPLAIN_PATTERNS
		MXD_EXPLAIN_PATTERNS,
#endif
#ifdef MXD_EXPLAIN_PATTERNS_SRC
		MXD_EXPLAIN_PATTERNS_SRC,
#endif
		NULL
	};
	size_t i;

	for (i = 0; paths[i] != NULL; i++)
		if (access(paths[i], R_OK) == 0)
			return paths[i];
	return NULL;
}

const char *
explain_patterns_path(const struct explain_patterns *ps)
{
	return ps->path;
}

const struct explain_db *
explain_patterns_db(const struct explain_patterns *ps)
{
	return ps->db;
}

size_t
explain_patterns_count(const struct explain_patterns *ps)
{
	return ps->npats;
}

const struct explain_pattern *
explain_patterns_get(const struct explain_patterns *ps, size_t i)
{
	return i < ps->npats ? &ps->pats[i] : NULL;
}

size_t
explain_patterns_nsuspects(const struct explain_patterns *ps)
{
	return ps->suspects.n;
}

const char *
explain_patterns_suspect(const struct explain_patterns *ps, size_t i)
{
	return i < ps->suspects.n ? ps->suspects.v[i] : NULL;
}

size_t
explain_patterns_ncauses(const struct explain_patterns *ps)
{
	return NCAUSES;
}

/* explain_patterns_cause: the i-th cause in contract order, NULL if the
 * file does not describe it. */
const struct explain_cause *
explain_patterns_cause(const struct explain_patterns *ps, size_t i)
{
	return i < NCAUSES && ps->have_cause[i] ? &ps->causes[i] : NULL;
}

const struct explain_cause *
explain_patterns_find_cause(const struct explain_patterns *ps, const char *name)
{
	int i = cause_index(name);

	return i >= 0 && ps->have_cause[i] ? &ps->causes[i] : NULL;
}

const char *
explain_side_name(enum explain_side s)
{
	static const char *const names[] = { "either", "local", "remote", "server", "client" };

	return names[s];
}

const char *
explain_direction_name(enum explain_direction d)
{
	return d == DIR_IN ? "in" : d == DIR_OUT ? "out" : NULL;
}
