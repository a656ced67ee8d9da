/* aggregate: counts failures into groups (cause, remote host), recognised info lines and unknown line shapes. */
#include "explain/explain_int.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SHAPE_MAX	240	/* bytes of a line that make its unknown shape */

/* An open-addressing table from a string key to an index; grows by doubling. */
struct table {
	uint64_t	*hash;		/* 0: empty slot */
	size_t		*index;
	char		**key;
	size_t		 size, used;
};

struct aggregator {
	const struct explain_patterns	*ps;
	bool				 want_unknown;
	struct explain_group		*groups;
	size_t				 ngroups, cap;
	struct table			 group_tab;
	uint64_t			*info;		/* per pattern index */
	struct explain_unknown		*unknown;
	size_t				 nunknown;
	uint64_t			 unknown_other;
	struct table			 unknown_tab;
};

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return h != 0 ? h : 1;
}

static void table_put(struct table *t, char *key, uint64_t h, size_t index);

static void
table_grow(struct table *t)
{
	struct table old = *t;
	size_t i;

	t->size = old.size ? old.size * 2 : 64;
	t->used = 0;
	t->hash = xcalloc(t->size, sizeof(*t->hash));
	t->index = xcalloc(t->size, sizeof(*t->index));
	t->key = xcalloc(t->size, sizeof(*t->key));
	for (i = 0; i < old.size; i++)
		if (old.hash[i] != 0)
			table_put(t, old.key[i], old.hash[i], old.index[i]);
	free(old.hash);
	free(old.index);
	free(old.key);
}

/* table_put: takes key. */
static void
table_put(struct table *t, char *key, uint64_t h, size_t index)
{
	size_t i;

	if ((t->used + 1) * 2 > t->size)
		table_grow(t);
	for (i = h & (t->size - 1); t->hash[i] != 0; i = (i + 1) & (t->size - 1))
		;
	t->hash[i] = h;
	t->key[i] = key;
	t->index[i] = index;
	t->used++;
}

/* table_get: the index stored for key, or -1. */
static long
table_get(const struct table *t, const char *key, uint64_t h)
{
	size_t i;

	if (t->size == 0)
		return -1;
	for (i = h & (t->size - 1); t->hash[i] != 0; i = (i + 1) & (t->size - 1))
		if (t->hash[i] == h && strcmp(t->key[i], key) == 0)
			return (long)t->index[i];
	return -1;
}

static void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->size; i++)
		free(t->key[i]);
	free(t->hash);
	free(t->index);
	free(t->key);
}

struct aggregator *
agg_new(const struct explain_patterns *ps, bool want_unknown)
{
	struct aggregator *g = xcalloc(1, sizeof(*g));

	g->ps = ps;
	g->want_unknown = want_unknown;
	g->info = xcalloc(explain_patterns_count(ps), sizeof(*g->info));
	return g;
}

static char *
dup_or_null(const char *s)
{
	return s[0] != '\0' ? xstrdup(s) : NULL;
}

static void
keep_time(struct explain_group *gr, const struct event *ev)
{
	if (ev->first.valid && (!gr->first.valid || ev->first.key < gr->first.key))
		gr->first = ev->first;
	if (ev->last.valid && (!gr->last.valid || ev->last.key > gr->last.key))
		gr->last = ev->last;
}

static void
count_pattern(struct explain_group *gr, const struct explain_pattern *p)
{
	size_t i;

	for (i = 0; i < gr->npatterns; i++)
		if (gr->patterns[i] == p) {
			gr->pattern_counts[i]++;
			return;
		}
	gr->patterns = xreallocarray(gr->patterns, gr->npatterns + 1,
	    sizeof(*gr->patterns));
	gr->pattern_counts = xreallocarray(gr->pattern_counts, gr->npatterns + 1,
	    sizeof(*gr->pattern_counts));
	gr->patterns[gr->npatterns] = p;
	gr->pattern_counts[gr->npatterns++] = 1;
}

/* new_group: one group for ev's cause and host; other_hosts for the
 * overflow group of a cause. */
static struct explain_group *
new_group(struct aggregator *g, const struct event *ev, char *input_name,
    bool other_hosts)
{
	struct explain_group *gr;

	if (g->ngroups == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->groups = xreallocarray(g->groups, g->cap, sizeof(*g->groups));
	}
	gr = &g->groups[g->ngroups++];
	memset(gr, 0, sizeof(*gr));
	gr->cause = ev->best->cause;
	gr->other_hosts = other_hosts;
	if (!other_hosts) {
		gr->remote_host = dup_or_null(ev->host);
		gr->remote_ip = dup_or_null(ev->ip);
	}
	gr->example_input = input_name;
	return gr;
}

void
agg_failure(struct aggregator *g, struct event *ev, char *input_name)
{
	const char *who = ev->host[0] != '\0' ? ev->host : ev->ip;
	char *key = xasprintf("%s\n%s", ev->best->cause->name, who);
	uint64_t h = fnv1a(key);
	long i = table_get(&g->group_tab, key, h);
	struct explain_group *gr;
	bool overflow = false;

	if (i < 0 && g->ngroups >= EXPLAIN_GROUPS_MAX) {
		/* Memory stays bounded: further hosts share one group per cause. */
		free(key);
		key = xasprintf("%s\n\n", ev->best->cause->name);
		h = fnv1a(key);
		i = table_get(&g->group_tab, key, h);
		overflow = true;
	}
	if (i < 0) {
		gr = new_group(g, ev, input_name, overflow);
		table_put(&g->group_tab, key, h, g->ngroups - 1);
	} else {
		gr = &g->groups[i];
		free(key);
	}
	if (gr->example == NULL) {
		gr->example = ev->example;
		ev->example = NULL;
		gr->example_input = input_name;
		gr->example_line = ev->example_line;
	}
	if (gr->recipient_domain == NULL)
		gr->recipient_domain = dup_or_null(ev->recipient);
	if (gr->sending_ip == NULL)
		gr->sending_ip = dup_or_null(ev->sending_ip);
	if (gr->logger_host == NULL)
		gr->logger_host = dup_or_null(ev->logger);
	if (gr->direction == NULL)
		gr->direction = explain_direction_name(ev->dir_line != DIR_UNKNOWN ?
		    ev->dir_line : ev->dir_pattern);
	keep_time(gr, ev);
	count_pattern(gr, ev->best);
	gr->count++;
}

void
agg_info(struct aggregator *g, const struct explain_pattern *p)
{
	g->info[p - explain_patterns_get(g->ps, 0)]++;
}

/* shape: the line without its stamp and writer, "<...>" (mail addresses)
 * folded to "<>" and every run of hex digits holding a digit to '#', cut
 * at SHAPE_MAX: lines that differ only in addresses, ids and numbers
 * share it. */
static char *
shape(const char *line, size_t len)
{
	char out[SHAPE_MAX + 1];
	size_t i = 0, o = 0, j;
	const char *gt;
	bool digit;

	while (i < len && o + 2 < SHAPE_MAX) {
		if (line[i] == '<' && (gt = memchr(line + i, '>', len - i)) != NULL) {
			out[o++] = '<';
			out[o++] = '>';
			i = (size_t)(gt - line) + 1;
			continue;
		}
		if (isxdigit((unsigned char)line[i])) {
			for (j = i, digit = false; j < len && isxdigit((unsigned char)line[j]); j++)
				digit |= isdigit((unsigned char)line[j]) != 0;
			if (digit) {
				out[o++] = '#';
				i = j;
				continue;
			}
		}
		out[o++] = line[i] != '\0' ? line[i] : ' ';
		i++;
	}
	out[o] = '\0';
	return xstrdup(out);
}

void
agg_unknown(struct aggregator *g, const char *line, size_t len, char *input_name,
    uint64_t lineno)
{
	struct explain_time t;
	struct explain_unknown *u;
	size_t skip = explain_parse_time(line, 0, &t);
	char *key;
	uint64_t h;
	long i;

	if (!g->want_unknown)
		return;
	if (skip > 0) {
		/* drop " host prog[pid]:" too, when there is one */
		const char *colon = memchr(line + skip, ':', len - skip);

		if (colon != NULL && colon > line + skip && colon[-1] == ']')
			skip = (size_t)(colon - line) + 1;
	}
	key = shape(line + skip, len - skip);
	h = fnv1a(key);
	if ((i = table_get(&g->unknown_tab, key, h)) >= 0) {
		g->unknown[i].count++;
		free(key);
		return;
	}
	if (g->nunknown == EXPLAIN_UNKNOWN_MAX) {
		g->unknown_other++;
		free(key);
		return;
	}
	g->unknown = xreallocarray(g->unknown, g->nunknown + 1, sizeof(*g->unknown));
	u = &g->unknown[g->nunknown];
	u->count = 1;
	u->example = str_escape(line, len, EXPLAIN_EXAMPLE_MAX);
	u->input = input_name;
	u->line = lineno;
	table_put(&g->unknown_tab, key, h, g->nunknown++);
}

/* top_pattern: the group's most frequent deciding pattern (ties: the more
 * specific). */
static const struct explain_pattern *
top_pattern(const struct explain_group *gr)
{
	size_t i, best = 0;

	for (i = 1; i < gr->npatterns; i++)
		if (gr->pattern_counts[i] > gr->pattern_counts[best] ||
		    (gr->pattern_counts[i] == gr->pattern_counts[best] &&
		    gr->patterns[i]->priority > gr->patterns[best]->priority))
			best = i;
	return gr->patterns[best];
}

/* resolve_side: "server"/"client" become local or remote once the
 * direction is known (in: we are the server). */
static const char *
resolve_side(enum explain_side s, const char *dir)
{
	bool in = dir != NULL && strcmp(dir, "in") == 0;

	if (dir == NULL || (s != SIDE_SERVER && s != SIDE_CLIENT))
		return explain_side_name(s);
	if (s == SIDE_SERVER)
		return in ? "local" : "remote";
	return in ? "remote" : "local";
}

/* smtp_target: "smtp://host" or "smtp://[v6]" for the remote. */
static char *
smtp_target(const struct explain_group *gr)
{
	if (gr->remote_host != NULL)
		return xasprintf("smtp://%s", gr->remote_host);
	if (gr->remote_ip != NULL)
		return xasprintf(strchr(gr->remote_ip, ':') ? "smtp://[%s]" : "smtp://%s",
		    gr->remote_ip);
	return NULL;
}

/* check_command: the `mxdoctor check` that confirms the group's cause.
 * Every piece is a validated host name or address, or a placeholder. */
static char *
check_command(const struct explain_group *gr)
{
	bool in = gr->direction != NULL && strcmp(gr->direction, "in") == 0;
	const char *domain = gr->recipient_domain ? gr->recipient_domain : "YOUR-DOMAIN";
	const char *ip;
	char *target, *cmd;

	switch (gr->pattern->cause->confirm) {
	case CONFIRM_NONE:
		return NULL;
	case CONFIRM_SENDING_IP:
		ip = gr->sending_ip ? gr->sending_ip :
		    in && gr->remote_ip ? gr->remote_ip : "YOUR-SENDING-IP";
		return xasprintf("mxdoctor check --sending-ip %s %s", ip, domain);
	case CONFIRM_HOST:
		break;
	}
	if (in) {
		/* The peer connected to us: our own server is the TLS server. */
		if (gr->logger_host != NULL && strchr(gr->logger_host, '.') != NULL)
			return xasprintf("mxdoctor check smtp://%s", gr->logger_host);
		return xstrdup("mxdoctor check YOUR-DOMAIN");
	}
	if (gr->recipient_domain != NULL)
		return xasprintf("mxdoctor check %s", gr->recipient_domain);
	if ((target = smtp_target(gr)) == NULL)
		return xstrdup("mxdoctor check YOUR-DOMAIN");
	cmd = xasprintf("mxdoctor check %s", target);
	free(target);
	return cmd;
}

static int
group_cmp(const void *a, const void *b)
{
	const struct explain_group *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if ((c = strcmp(x->cause->name, y->cause->name)) != 0)
		return c;
	return strcmp(x->remote_host ? x->remote_host : x->remote_ip ? x->remote_ip : "",
	    y->remote_host ? y->remote_host : y->remote_ip ? y->remote_ip : "");
}

static int
info_cmp(const void *a, const void *b)
{
	const struct explain_info *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->pattern->id, y->pattern->id);
}

static int
unknown_cmp(const void *a, const void *b)
{
	const struct explain_unknown *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void
finish_groups(struct aggregator *g, struct explain_result *res)
{
	size_t i;

	for (i = 0; i < g->ngroups; i++) {
		struct explain_group *gr = &g->groups[i];

		gr->pattern = top_pattern(gr);
		gr->side = resolve_side(gr->pattern->side, gr->direction);
		gr->check_command = check_command(gr);
		res->failures += gr->count;
	}
	if (g->ngroups > 0)
		qsort(g->groups, g->ngroups, sizeof(*g->groups), group_cmp);
	res->groups = g->groups;
	res->ngroups = g->ngroups;
	g->groups = NULL;
}

static void
finish_info(struct aggregator *g, struct explain_result *res)
{
	size_t i, n = explain_patterns_count(g->ps);

	for (i = 0; i < n; i++) {
		if (g->info[i] == 0)
			continue;
		res->info = xreallocarray(res->info, res->ninfo + 1, sizeof(*res->info));
		res->info[res->ninfo].pattern = explain_patterns_get(g->ps, i);
		res->info[res->ninfo++].count = g->info[i];
	}
	if (res->ninfo > 0)
		qsort(res->info, res->ninfo, sizeof(*res->info), info_cmp);
}

void
agg_finish(struct aggregator *g, struct explain_result *res)
{
	finish_groups(g, res);
	finish_info(g, res);
	if (g->nunknown > 0)
		qsort(g->unknown, g->nunknown, sizeof(*g->unknown), unknown_cmp);
	res->unknown = g->unknown;
	res->nunknown = g->nunknown;
	res->unknown_other = g->unknown_other;
	table_free(&g->group_tab);
	table_free(&g->unknown_tab);
	free(g->info);
	free(g);
}
