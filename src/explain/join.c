/* join: joins the lines one delivery attempt or one bounce logs into one failure. */
#include "explain/explain_int.h"
#include "explain/match.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Why join: Postfix logs one failed handshake as "SSL_connect error to
 * host[ip]:25: -1", then "TLS library problem: ... protocol version", then
 * the delivery's "status=deferred (Cannot start TLS: handshake failure)".
 * That is one failure, whose cause is the most specific wording (the
 * library's reason) and whose host and recipient come from the other lines.
 *
 * Rules:
 * - Lines of one syslog writer ("host prog[pid]") join while they are
 *   within JOIN_SECONDS of each other and name no different remote host;
 *   a Postfix "status=" line ends the attempt.
 * - In a mail message (a bounce), every failure line joins into one, and
 *   Remote-MTA / Final-Recipient / Date fill in host, recipient and time.
 * - Other lines (no writer: pasted text, s_client output, Exim without
 *   message id) join a failure at most JOIN_LINES lines above when one of
 *   the two is only a wrapper wording (priority < EXPLAIN_GENERIC_PRIORITY).
 */

#define ASM_SLOTS	64	/* writers with a failure open at once */
#define JOIN_SECONDS	10
#define JOIN_LINES	2

struct joiner {
	struct aggregator	*agg;
	struct explain_input	**inputs;	/* the run's array (it may move) */
	struct event		 slots[ASM_SLOTS];
	struct event		 loose;		/* the open failure of lines without a writer */
	size_t			 input;
	bool			 message_mode;
	/* what the current message's DSN fields say */
	char			 msg_host[LINE_NAME_MAX];
	char			 msg_reporting[LINE_NAME_MAX];
	char			 msg_recipient[LINE_NAME_MAX];
	struct explain_time	 msg_time;
	uint64_t		 seq;
};

struct joiner *
joiner_new(struct aggregator *g, struct explain_input **inputs)
{
	struct joiner *a = xcalloc(1, sizeof(*a));

	a->agg = g;
	a->inputs = inputs;
	return a;
}

void
joiner_free(struct joiner *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < ASM_SLOTS; i++)
		free(a->slots[i].example);
	free(a->loose.example);
	free(a);
}

static void
fill(char *dst, size_t dstlen, const char *src)
{
	if (dst[0] == '\0' && src[0] != '\0')
		str_copy(dst, src, dstlen);
}

/* flush: counts ev into its group and closes it. */
static void
flush(struct joiner *a, struct event *ev)
{
	if (!ev->used)
		return;
	if (a->message_mode && ev == &a->loose) {
		/* Reporting-MTA wrote the bounce (the sending side): it is the
		 * report's writer, like a syslog host, never the remote. */
		fill(ev->host, sizeof(ev->host), a->msg_host);
		fill(ev->logger, sizeof(ev->logger), a->msg_reporting);
		fill(ev->recipient, sizeof(ev->recipient), a->msg_recipient);
		if (!ev->first.valid && a->msg_time.valid)
			ev->first = ev->last = a->msg_time;
	}
	agg_failure(a->agg, ev, (*a->inputs)[ev->input].name);
	free(ev->example);
	memset(ev, 0, sizeof(*ev));
}

static bool
conflicts(const char *x, const char *y)
{
	return x[0] != '\0' && y[0] != '\0' && strcmp(x, y) != 0;
}

/* add_line: merges one line into ev (which may be fresh). */
static void
add_line(struct joiner *a, struct event *ev, const char *line,
    const struct explain_line *li, const struct explain_pattern *p,
    uint64_t lineno)
{
	if (!ev->used) {
		ev->used = true;
		ev->input = a->input;
		str_copy(ev->key, li->key, sizeof(ev->key));
	}
	ev->seq = ++a->seq;
	if (ev->best == NULL || p->priority > ev->best->priority) {
		ev->best = p;
		free(ev->example);
		ev->example = str_escape(line, strlen(line), EXPLAIN_EXAMPLE_MAX);
		ev->example_line = lineno;
	}
	if (ev->dir_line == DIR_UNKNOWN)
		ev->dir_line = li->dir;
	if (p->direction != DIR_UNKNOWN &&
	    (ev->dir_pattern == DIR_UNKNOWN || p->priority > ev->dir_priority)) {
		ev->dir_pattern = p->direction;
		ev->dir_priority = p->priority;
	}
	fill(ev->host, sizeof(ev->host), li->host);
	fill(ev->ip, sizeof(ev->ip), li->ip);
	fill(ev->sending_ip, sizeof(ev->sending_ip), li->sending_ip);
	fill(ev->recipient, sizeof(ev->recipient), li->recipient);
	fill(ev->logger, sizeof(ev->logger), li->logger);
	if (li->time.valid) {
		if (!ev->first.valid || li->time.key < ev->first.key)
			ev->first = li->time;
		if (!ev->last.valid || li->time.key > ev->last.key)
			ev->last = li->time;
	}
	ev->last_line = lineno;
}

static bool
same_attempt(const struct event *ev, const struct explain_line *li)
{
	if (conflicts(ev->host, li->host) || conflicts(ev->ip, li->ip))
		return false;
	if (ev->last.valid && li->time.valid &&
	    (li->time.key - ev->last.key > JOIN_SECONDS ||
	    ev->last.key - li->time.key > JOIN_SECONDS))
		return false;
	return true;
}

/* slot_for: the open failure of writer key, else a free or the oldest slot
 * (counted first). */
static struct event *
slot_for(struct joiner *a, const char *key, bool *open)
{
	struct event *oldest = &a->slots[0];
	size_t i;

	for (i = 0; i < ASM_SLOTS; i++)
		if (a->slots[i].used && strcmp(a->slots[i].key, key) == 0) {
			*open = true;
			return &a->slots[i];
		}
	*open = false;
	for (i = 0; i < ASM_SLOTS; i++) {
		if (!a->slots[i].used)
			return &a->slots[i];
		if (a->slots[i].seq < oldest->seq)
			oldest = &a->slots[i];
	}
	flush(a, oldest);
	return oldest;
}

static void
keyed_failure(struct joiner *a, const char *line, const struct explain_line *li,
    const struct explain_pattern *p, uint64_t lineno)
{
	bool open;
	struct event *ev = slot_for(a, li->key, &open);

	if (open && !same_attempt(ev, li))
		flush(a, ev);
	add_line(a, ev, line, li, p, lineno);
	if (li->closes)
		flush(a, ev);
}

static bool
generic(const struct explain_pattern *p)
{
	return p->priority < EXPLAIN_GENERIC_PRIORITY;
}

static void
loose_failure(struct joiner *a, const char *line, const struct explain_line *li,
    const struct explain_pattern *p, uint64_t lineno)
{
	struct event *ev = &a->loose;
	bool join;

	if (a->message_mode)
		join = ev->used && !conflicts(ev->host, li->host) &&
		    !conflicts(ev->ip, li->ip);
	else
		join = ev->used && lineno - ev->last_line <= JOIN_LINES &&
		    (generic(ev->best) || generic(p)) && same_attempt(ev, li);
	if (ev->used && !join)
		flush(a, ev);
	add_line(a, ev, line, li, p, lineno);
}

void
joiner_failure(struct joiner *a, const char *line, const struct explain_line *li,
    const struct explain_pattern *best, uint64_t lineno)
{
	if (li->key[0] != '\0' && !a->message_mode)
		keyed_failure(a, line, li, best, lineno);
	else
		loose_failure(a, line, li, best, lineno);
}

/* field_value: the value of a DSN field: after "type;" if there is one. */
static const char *
field_value(const char *line)
{
	const char *v = strchr(line, ':'), *semi;

	if (v == NULL)
		return "";
	v++;
	if ((semi = strchr(v, ';')) != NULL)
		v = semi + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	return v;
}

static void
reset_message(struct joiner *a)
{
	a->msg_host[0] = a->msg_reporting[0] = a->msg_recipient[0] = '\0';
	memset(&a->msg_time, 0, sizeof(a->msg_time));
}

void
joiner_message_field(struct joiner *a, int mark, const char *line, uint64_t lineno)
{
	const char *v, *at;
	struct explain_time t;

	if (mark == MARK_MBOX_FROM) {
		/* A new message in an mbox: the previous one is complete. */
		flush(a, &a->loose);
		reset_message(a);
		a->message_mode = true;
		return;
	}
	if (!a->message_mode)
		return;
	v = field_value(line);
	switch (mark) {
	case MARK_REMOTE_MTA:
		explain_copy_host(a->msg_host, sizeof(a->msg_host), v, strcspn(v, " \t;"));
		break;
	case MARK_REPORTING_MTA:
		explain_copy_host(a->msg_reporting, sizeof(a->msg_reporting), v,
		    strcspn(v, " \t;"));
		break;
	case MARK_RECIPIENT:
		if ((at = strchr(v, '@')) != NULL)
			explain_copy_host(a->msg_recipient, sizeof(a->msg_recipient),
			    at + 1, strcspn(at + 1, " \t>;"));
		break;
	case MARK_DATE:
		/* The bounce's own Date comes first; the returned message's later. */
		if (!a->msg_time.valid && explain_parse_rfc5322_date(v, &t) == 0)
			a->msg_time = t;
		break;
	}
}

void
joiner_begin_input(struct joiner *a, size_t input, bool message_mode)
{
	a->input = input;
	a->message_mode = message_mode;
	reset_message(a);
}

void
joiner_end_input(struct joiner *a)
{
	size_t i;

	for (i = 0; i < ASM_SLOTS; i++)
		flush(a, &a->slots[i]);
	flush(a, &a->loose);
}
