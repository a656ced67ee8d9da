/* audit_exim_conf: Exim's configuration file as Exim reads it: macros, conditionals, includes, continuations, sections. */
#include "audit/audit_exim_int.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
ex_invalid(struct ex *x, const char *host, const char *evidence,
    const char *msg)
{
	report_add_finding(x->r, "config.invalid", SEV_ERROR, host, NULL, 0,
	    evidence, NULL, "%s", msg);
}

static bool
ex_active(const struct ex *x)
{
	return x->ncond == 0 || x->cond[x->ncond - 1].active;
}

/*
 * Macros.
 */

/* Substitutes every macro, in definition order, into s; replacement text
 * is not rescanned for the macro just substituted (spec 6.5).  *found:
 * whether anything was substituted (what .ifdef tests).  The result is
 * cut at EX_LINE_MAX. */
static char *
ex_expand(struct ex *x, const char *s, bool *found)
{
	char *cur = xstrdup(s);
	size_t i;

	*found = false;
	for (i = 0; i < x->nm; i++) {
		const char *name = x->m[i].name, *val = x->m[i].value;
		size_t nlen = strlen(name), vlen = strlen(val);
		struct buf *b;
		char *p, *from;

		if (strstr(cur, name) == NULL)
			continue;
		b = buf_new(EX_LINE_MAX);
		for (from = cur; (p = strstr(from, name)) != NULL; ) {
			if (p > cur && (isalnum((unsigned char)p[-1]) ||
			    p[-1] == '_')) {
				buf_add(b, from, (size_t)(p - from) + nlen);
				from = p + nlen;
				continue;
			}
			if (buf_add(b, from, (size_t)(p - from)) == -1 ||
			    buf_add(b, val, vlen) == -1) {
				x->line_cut = true;
				from = p + strlen(p);
				break;
			}
			*found = true;
			from = p + nlen;
		}
		if (buf_adds(b, from) == -1)
			x->line_cut = true;
		free(cur);
		cur = buf_steal(b);
		buf_free(b);
	}
	return cur;
}

static struct ex_macro *
ex_macro_find(struct ex *x, const char *name)
{
	size_t i;

	for (i = 0; i < x->nm; i++)
		if (strcmp(x->m[i].name, name) == 0)
			return &x->m[i];
	return NULL;
}

void
ex_macro_set(struct ex *x, const char *name, const char *value, bool redef)
{
	struct ex_macro *m = ex_macro_find(x, name);
	char ev[640];

	if (m != NULL) {
		if (!redef) {
			snprintf(ev, sizeof(ev), "%.400s: %.100s", x->origin,
			    name);
			ex_invalid(x, "server", ev, "Exim refuses to start: a "
			    "macro is defined twice (\"==\" redefines one)");
		}
		free(m->value);
		m->value = xstrdup(value);
		return;
	}
	if (x->nm >= EX_MACROS_MAX) {
		x->line_cut = true;
		return;
	}
	x->m[x->nm].name = xstrdup(name);
	x->m[x->nm].value = xstrdup(value);
	x->nm++;
}

/* "NAME = value" or "NAME == value" at s (leading space gone): the
 * name's length, *redef and *val (the text after the sign); 0 if the
 * line is no macro definition. */
static size_t
ex_def_head(const char *s, bool *redef, const char **val)
{
	size_t n = 0;
	const char *p;

	if (!isupper((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	p = s + n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=')
		return 0;
	*redef = p[1] == '=';
	*val = p + (*redef ? 2 : 1);
	return n;
}

/*
 * Logical lines: sections, transports, options.
 */

/* Exim's quoted strings (spec 6.17): \\ \n \r \t \ooo \xhh, any other
 * escaped character stands for itself. */
static char *
ex_unquote(const char *s)
{
	size_t len = strlen(s), i, o = 0;
	char *out = xmalloc(len + 1);

	for (i = 1; i < len; i++) {
		char c = s[i];

		if (c == '"')
			break;
		if (c != '\\' || i + 1 >= len) {
			out[o++] = c;
			continue;
		}
		c = s[++i];
		if (c == 'n')
			out[o++] = '\n';
		else if (c == 'r')
			out[o++] = '\r';
		else if (c == 't')
			out[o++] = '\t';
		else if (c >= '0' && c <= '7') {
			int v = 0, k;

			for (k = 0; k < 3 && i < len && s[i] >= '0' &&
			    s[i] <= '7'; k++, i++)
				v = v * 8 + (s[i] - '0');
			i--;
			out[o++] = (char)(v ? v : ' ');
		} else if (c == 'x' && i + 1 < len &&
		    isxdigit((unsigned char)s[i + 1])) {
			int v = 0, k;

			for (k = 0, i++; k < 2 && i < len &&
			    isxdigit((unsigned char)s[i]); k++, i++)
				v = v * 16 + (isdigit((unsigned char)s[i]) ?
				    s[i] - '0' : (tolower((unsigned char)s[i]) -
				    'a' + 10));
			i--;
			out[o++] = (char)(v ? v : ' ');
		} else
			out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

static void
ex_opt_add(struct ex *x, const char *scope, const char *name,
    const char *value)
{
	struct ex_opt *o;

	if (x->nopt >= EX_OPTS_MAX)
		return;
	x->opt = xreallocarray(x->opt, x->nopt + 1, sizeof(*x->opt));
	o = &x->opt[x->nopt++];
	o->scope = scope != NULL ? xstrdup(scope) : NULL;
	o->name = xstrdup(name);
	o->value = xstrdup(value);
	o->origin = xstrdup(x->origin);
}

/* The last value of an option in a scope (NULL: main), or NULL. */
const struct ex_opt *
ex_get(const struct ex *x, const char *scope, const char *name)
{
	size_t i;

	for (i = x->nopt; i > 0; i--) {
		const struct ex_opt *o = &x->opt[i - 1];

		if (strcmp(o->name, name) != 0)
			continue;
		if ((scope == NULL) != (o->scope == NULL))
			continue;
		if (scope != NULL && strcmp(scope, o->scope) != 0)
			continue;
		return o;
	}
	return NULL;
}

/* Options worth keeping: everything about TLS, and the host name. */
static bool
ex_wanted(const char *name)
{
	return strstr(name, "tls") != NULL || strcmp(name, "driver") == 0 ||
	    strcmp(name, "openssl_options") == 0 ||
	    strcmp(name, "primary_hostname") == 0 ||
	    strcmp(name, "daemon_smtp_ports") == 0 ||
	    strncmp(name, "dane_", 5) == 0;
}

static void
ex_option(struct ex *x, char *t)
{
	char name[128], *v;
	size_t n = 0;
	bool neg = false;

	if (strncmp(t, "hide ", 5) == 0)
		t = str_trim_space(t + 5);
	while ((islower((unsigned char)t[n]) || isdigit((unsigned char)t[n]) ||
	    t[n] == '_') && n < sizeof(name) - 1)
		n++;
	if (n == 0)
		return;
	memcpy(name, t, n);
	name[n] = '\0';
	v = str_trim_space(t + n);
	if (*v == '=') {
		char *val = str_trim_space(v + 1), *uq = NULL;

		if (*val == '"')
			val = uq = ex_unquote(val);
		if (ex_wanted(name))
			ex_opt_add(x, x->sec == EX_SEC_MAIN ? NULL : x->cur,
			    name, val);
		if (x->sec == EX_SEC_TRANSPORTS && x->cur != NULL &&
		    strcmp(name, "driver") == 0 && x->ntr > 0) {
			free(x->tr[x->ntr - 1].driver);
			x->tr[x->ntr - 1].driver = xstrdup(val);
		}
		free(uq);
		return;
	}
	if (*v != '\0')
		return;		/* not an option line */
	/* A boolean: "name", "no_name", "not_name". */
	if (strncmp(name, "no_", 3) == 0 || strncmp(name, "not_", 4) == 0)
		neg = true;
	if (ex_wanted(name))
		ex_opt_add(x, x->sec == EX_SEC_MAIN ? NULL : x->cur,
		    neg ? strchr(name, '_') + 1 : name, neg ? "false" : "true");
}

static void
ex_logical(struct ex *x, char *t)
{
	size_t n;

	t = str_trim_space(t);
	if (*t == '\0')
		return;
	if (strncasecmp(t, "begin", 5) == 0 && (t[5] == ' ' || t[5] == '\t')) {
		char *w = str_trim_space(t + 5);

		x->sec = strcasecmp(w, "transports") == 0 ? EX_SEC_TRANSPORTS :
		    EX_SEC_OTHER;
		free(x->cur);
		x->cur = NULL;
		return;
	}
	if (x->sec == EX_SEC_OTHER)
		return;
	if (x->sec == EX_SEC_TRANSPORTS) {
		/* "name:" starts a driver instance */
		for (n = 0; isalnum((unsigned char)t[n]) || t[n] == '_' ||
		    t[n] == '-' || t[n] == '.'; n++)
			;
		if (n > 0 && t[n] == ':' && *str_trim_space(t + n + 1) == '\0') {
			t[n] = '\0';
			free(x->cur);
			x->cur = xstrdup(t);
			if (x->ntr < EX_TRANSPORTS_MAX) {
				x->tr[x->ntr].name = xstrdup(t);
				x->tr[x->ntr].driver = NULL;
				x->ntr++;
			}
			return;
		}
		if (x->cur == NULL)
			return;
	}
	ex_option(x, t);
}

/* Ends the logical line under construction. */
void
ex_flush(struct ex *x)
{
	char *s;

	if (!x->cont && buf_len(x->line) == 0 && x->def == NULL)
		return;
	s = buf_steal(x->line);
	if (x->def != NULL) {
		ex_macro_set(x, x->def, str_trim_space(s), x->redef);
		free(x->def);
		x->def = NULL;
	} else
		ex_logical(x, s);
	free(s);
	x->cont = false;
}

/* Appends a physical line's text to the logical line; a trailing
 * backslash continues it. */
static void
ex_append(struct ex *x, char *t)
{
	size_t n = strlen(t);
	bool more = n > 0 && t[n - 1] == '\\';

	if (more)
		t[--n] = '\0';
	if (buf_add(x->line, t, n) == -1)
		x->line_cut = true;
	x->cont = more;
	if (!more)
		ex_flush(x);
}

/*
 * Directives.
 */


static void
ex_cond_push(struct ex *x, bool cond)
{
	bool parent = ex_active(x);

	if (x->ncond >= EX_COND_MAX) {
		x->skipped_deep++;
		return;
	}
	x->cond[x->ncond].parent = parent;
	x->cond[x->ncond].taken = cond;
	x->cond[x->ncond].active = parent && cond;
	x->ncond++;
}

void
ex_unbalanced(struct ex *x, const char *what)
{
	char ev[640];

	snprintf(ev, sizeof(ev), "%.400s: %s", x->origin, what);
	ex_invalid(x, "server", ev, "Exim refuses to start: conditionals in "
	    "the configuration do not match up");
}

/* .include names a file relative to the including one (spec 6.3). */
static void
ex_include(struct ex *x, char *arg, bool if_exists)
{
	char path[PATH_MAX], ev[1024];
	size_t n;

	arg = str_trim_space(arg);
	n = strlen(arg);
	if (n >= 2 && arg[0] == '"' && arg[n - 1] == '"') {
		arg[n - 1] = '\0';
		arg++;
	}
	if (*arg == '\0')
		return;
	if (*arg != '/') {
		const char *cur = x->stack[x->depth - 1], *slash;

		if (if_exists) {
			snprintf(ev, sizeof(ev), "%.400s: .include_if_exists "
			    "%.200s", x->origin, arg);
			ex_invalid(x, "server", ev, "Exim refuses to start: "
			    ".include_if_exists needs an absolute file name");
			return;
		}
		slash = strrchr(cur, '/');
		snprintf(path, sizeof(path), "%.*s%s", slash ? (int)(slash -
		    cur + 1) : 0, cur, arg);
	} else
		snprintf(path, sizeof(path), "%s", arg);
	ex_file(x, path, !if_exists);
}

/* Handles a directive line; false when t is none. */
static bool
ex_directive(struct ex *x, char *t, bool found)
{
	static const char *const kw[] = { ".ifdef", ".ifndef", ".elifdef",
	    ".elifndef", ".else", ".endif", ".include_if_exists", ".include",
	    NULL };
	size_t i, n;

	for (i = 0; kw[i] != NULL; i++) {
		n = strlen(kw[i]);
		if (strncmp(t, kw[i], n) == 0 && (t[n] == '\0' ||
		    t[n] == ' ' || t[n] == '\t'))
			break;
	}
	if (kw[i] == NULL)
		return false;
	switch (i) {
	case 0:
	case 1:
		ex_cond_push(x, i == 0 ? found : !found);
		break;
	case 2:
	case 3:
		if (x->skipped_deep > 0)
			break;
		if (x->ncond == 0) {
			ex_unbalanced(x, kw[i]);
			break;
		} else {
			struct ex_cond *c = &x->cond[x->ncond - 1];
			bool cond = i == 2 ? found : !found;

			c->active = c->parent && !c->taken && cond;
			c->taken = c->taken || cond;
		}
		break;
	case 4:
		if (x->skipped_deep > 0)
			break;
		if (x->ncond == 0)
			ex_unbalanced(x, ".else");
		else {
			struct ex_cond *c = &x->cond[x->ncond - 1];

			c->active = c->parent && !c->taken;
			c->taken = true;
		}
		break;
	case 5:
		if (x->skipped_deep > 0)
			x->skipped_deep--;
		else if (x->ncond == 0)
			ex_unbalanced(x, ".endif");
		else
			x->ncond--;
		break;
	default:
		if (ex_active(x))
			ex_include(x, t + n, i == 6);
		break;
	}
	return true;
}

/* One physical line. */
static void
ex_physical(struct ex *x, char *raw)
{
	char *s = str_trim_space(raw), *e, *t;
	const char *val;
	bool found, redef;
	size_t n;

	if (!x->cont && ex_active(x) && (n = ex_def_head(s, &redef,
	    &val)) > 0) {
		/* A definition: its name is not substituted, its value is. */
		ex_flush(x);
		x->def = xstrndup(s, n);
		x->redef = redef;
		e = ex_expand(x, val, &found);
		ex_append(x, str_trim_space(e));
		free(e);
		return;
	}
	if (*s == '#' && (strstr(s, "exim4-config") != NULL ||
	    strstr(s, "update-exim4.conf") != NULL))
		x->debian = true;
	e = ex_expand(x, s, &found);
	t = str_trim_space(e);
	if (*t == '.' && ex_directive(x, t, found)) {
		free(e);
		return;
	}
	if (!ex_active(x) || *t == '#' || (found && *t == '\0')) {
		free(e);
		return;
	}
	if (*t == '\0') {
		if (x->cont)
			ex_flush(x);
		free(e);
		return;
	}
	ex_append(x, t);
	free(e);
}

void
ex_file(struct ex *x, const char *path, bool must_exist)
{
	char why[256], ev[1024], saved[512];
	char *data, *p, *nl;
	size_t len, lineno = 0;
	int i;

	for (i = 0; i < x->depth; i++)
		if (strcmp(x->stack[i], path) == 0) {
			snprintf(ev, sizeof(ev), "%.400s: .include %.400s",
			    x->origin, path);
			ex_invalid(x, "server", ev, "Exim cannot read its "
			    "configuration: a file includes itself");
			return;
		}
	if (x->depth >= EX_DEPTH_MAX) {
		snprintf(ev, sizeof(ev), "%.400s: .include %.400s", x->origin,
		    path);
		ex_invalid(x, "server", ev, "Includes nested deeper than "
		    "mxdoctor follows (8): the rest is not read");
		return;
	}
	if (audit_read_text(path, &data, &len, why, sizeof(why)) == -1) {
		if (errno == ENOENT && !must_exist)
			return;
		snprintf(ev, sizeof(ev), "%.400s: .include %.300s: %s",
		    x->origin, path, why);
		ex_invalid(x, "server", ev, "Exim refuses to start: it cannot "
		    "read an included configuration file");
		return;
	}
	if (x->total + len > EX_TOTAL_MAX) {
		free(data);
		audit_setting_add(x->a, "audit.note", "included files over "
		    "32 MiB in total were not read", path);
		return;
	}
	x->total += len;
	snprintf(saved, sizeof(saved), "%s", x->origin);
	x->stack[x->depth++] = xstrdup(path);
	for (p = data; p < data + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(data + len - p));
		if (nl == NULL)
			nl = data + len;
		*nl = '\0';
		lineno++;
		snprintf(x->origin, sizeof(x->origin), "%s:%zu", path, lineno);
		if (nl - p > EX_LINE_MAX) {
			x->line_cut = true;
			p[EX_LINE_MAX] = '\0';
		}
		ex_physical(x, p);
	}
	free(x->stack[--x->depth]);
	snprintf(x->origin, sizeof(x->origin), "%s", saved);
	free(data);
}

void
ex_free(struct ex *x)
{
	size_t i;

	for (i = 0; i < x->nm; i++) {
		free(x->m[i].name);
		free(x->m[i].value);
	}
	for (i = 0; i < x->nopt; i++) {
		free(x->opt[i].scope);
		free(x->opt[i].name);
		free(x->opt[i].value);
		free(x->opt[i].origin);
	}
	free(x->opt);
	for (i = 0; i < x->ntr; i++) {
		free(x->tr[i].name);
		free(x->tr[i].driver);
	}
	free(x->cur);
	free(x->def);
	buf_free(x->line);
}
