/* tls_conn: fresh STARTTLS (or smtps) connections to one address for the TLS prober, within the per-address limits. */
#include "check/run.h"
#include "smtp/client.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * A pool hands out connections positioned where a ClientHello goes: a new
 * SMTP session whose on_ready sends STARTTLS and whose on_tls_wanted lends
 * the raw bufferevent.  At most max_conn sessions run at once, and a new
 * one starts delay_ms after the previous one started.  A 421 (at the
 * greeting, EHLO or STARTTLS) stops the pool: every waiting and later
 * request fails, so that a rate-limiting server is left alone.
 *
 * The raw bufferevent gets an extra reference while lent: if the SMTP
 * client gives up first (its reply deadline backstops the caller's), the
 * borrower still holds valid memory until it hands the connection back.
 */

enum tconn_state {
	TCONN_WAITING,		/* queued for a slot */
	TCONN_CONNECTING,	/* SMTP session running, before STARTTLS 220 */
	TCONN_LENT,		/* raw lent to the borrower */
	TCONN_RETURNED		/* handed back; waiting for on_done */
};

struct tconn {
	struct tconn_pool	*pool;
	enum tconn_state	 state;
	struct smtp_client	*client;
	struct bufferevent	*raw;		/* while lent (our reference) */
	tconn_cb		*cb;
	void			*arg;
	struct tconn		*next;		/* in the waiting queue */
};

struct tconn_pool {
	struct run		*run;
	struct addr_result	*a;
	int			 max_conn;
	int			 delay_ms;
	int			 active;	/* sessions running */
	bool			 started_one;
	struct timespec		 last_start;
	struct tconn		*head, *tail;	/* waiting */
	struct event		*timer;		/* --delay */
	bool			 stopped;
	char			*stop_why;	/* escaped, or NULL */
	bool			 rate_limited;
	bool			 freeing;
	void			(*close_cb)(void *);
	void			*close_arg;
	struct event		*close_ev;	/* see pool_close_cb */
};

static void pool_kick(struct tconn_pool *p);

/* pool_answer: the borrower's callback, which may call back into the
 * pool (tconn_get, tconn_put, tconn_pool_close). */
static void
pool_answer(struct tconn_pool *p, struct tconn *tc, struct bufferevent *raw,
    const char *why)
{
	(void)p;
	tc->cb(tc, raw, why, tc->arg);
}

static bool
pool_closable(const struct tconn_pool *p)
{
	return p->close_cb != NULL && p->active == 0 && p->head == NULL;
}

/* The pool is freed from an event of its own, never under a call that
 * still uses it (a borrower's callback, a scan inside tconn_get). */
static void
pool_close_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tconn_pool *p = arg;
	void (*cb)(void *) = p->close_cb;
	void *cb_arg = p->close_arg;

	(void)fd;
	(void)what;
	if (!pool_closable(p))
		return;
	p->freeing = true;
	event_free(p->timer);
	event_free(p->close_ev);
	free(p->stop_why);
	free(p);
	cb(cb_arg);
}

static void
pool_maybe_close(struct tconn_pool *p)
{
	if (pool_closable(p))
		event_active(p->close_ev, EV_TIMEOUT, 0);
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The session ended.  Pending: the borrower learns why; lent: the
 * borrower still holds raw (our reference keeps it) and hands it back
 * later; returned: the connection is simply gone. */
static void
tconn_on_done(struct smtp_client *c, void *arg)
{
	struct tconn *tc = arg;
	struct tconn_pool *p = tc->pool;
	const struct smtp_reply *fr = smtp_client_failed_reply(c);
	char *why = NULL;

	if (tc->state == TCONN_CONNECTING) {
		if (fr != NULL && fr->code == 421) {
			p->rate_limited = true;
			p->stopped = true;
		}
		if (fr != NULL && fr->code != 0)
			why = xasprintf("%d %s", fr->code, fr->text ?
			    fr->text : "");
		else if (smtp_client_fail(c) == SMTP_FAIL_NONE)
			why = xstrdup("STARTTLS not offered");
		else
			why = xasprintf("%s at %s: %s",
			    smtp_fail_name(smtp_client_fail(c)),
			    smtp_step_name(smtp_client_step(c)),
			    smtp_client_detail(c));
		if (p->rate_limited && p->stop_why == NULL)
			p->stop_why = str_escape(why, strlen(why), 256);
	}
	smtp_client_free(c);
	tc->client = NULL;
	p->active--;
	if (tc->state == TCONN_CONNECTING) {
		char *e = str_escape(why, strlen(why), 256);

		tc->state = TCONN_RETURNED;
		pool_answer(p, tc, NULL, e);
		free(e);
		free(tc);
	} else if (tc->state == TCONN_RETURNED)
		free(tc);
	free(why);
	pool_kick(p);
	pool_maybe_close(p);
}

static void
tconn_on_ready(struct smtp_client *c, void *arg)
{
	struct tconn *tc = arg;

	if (tc->state == TCONN_CONNECTING && smtp_client_has_cap(c, "STARTTLS"))
		smtp_client_starttls(c);
	else
		smtp_client_quit(c);
}

static void
tconn_on_tls_wanted(struct smtp_client *c, struct bufferevent *raw, void *arg)
{
	struct tconn *tc = arg;

	tc->state = TCONN_LENT;
	tc->raw = raw;
	bufferevent_incref(raw);
	pool_answer(tc->pool, tc, raw, NULL);
}

static void
tconn_start(struct tconn *tc)
{
	static const struct smtp_client_cbs cbs = {
		.on_ready = tconn_on_ready,
		.on_tls_wanted = tconn_on_tls_wanted,
		.on_done = tconn_on_done,
	};
	struct tconn_pool *p = tc->pool;
	const struct check_opts *o = p->run->o;
	struct smtp_client_params sp;
	struct sockaddr_storage ss;

	memset(&sp, 0, sizeof(sp));
	sp.salen = addr_to_sockaddr(&p->a->addr, p->a->port, &ss);
	sp.sa = (struct sockaddr *)&ss;
	sp.ehlo_name = o->ehlo_name;
	sp.connect_timeout_ms = o->timeout_ms;
	/* Longer than any probe's deadline: the borrower's timer decides. */
	sp.reply_timeout_ms = o->timeout_ms * 2 + 5000;
	sp.greeting_timeout_ms = o->greeting_timeout_ms;
	sp.implicit_tls = p->a->mode == MODE_IMPLICIT_TLS;
	tc->state = TCONN_CONNECTING;
	tc->client = smtp_client_new(p->run->base, &sp, &cbs, tc);
	if (tc->client == NULL) {	/* checked by the main session already */
		tc->state = TCONN_RETURNED;
		pool_answer(p, tc, NULL, "cannot start an SMTP session");
		free(tc);
		return;
	}
	p->active++;
	p->a->connections++;
	p->a->scan.connections++;
	p->started_one = true;
	clock_gettime(CLOCK_MONOTONIC, &p->last_start);
	smtp_client_start(tc->client);
}

static void
pool_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pool_kick(arg);
}

/* pool_kick: starts waiting requests while slots are free and the delay
 * has passed; fails them all once the pool is stopped. */
static void
pool_kick(struct tconn_pool *p)
{
	struct tconn *tc;
	long wait;

	while (p->head != NULL && !p->freeing) {
		tc = p->head;
		if (p->stopped) {
			p->head = tc->next;
			tc->state = TCONN_RETURNED;
			pool_answer(p, tc, NULL, p->stop_why ? p->stop_why :
			    "probing stopped");
			free(tc);
			continue;
		}
		if (p->active >= p->max_conn)
			return;
		if (p->started_one && p->delay_ms > 0 &&
		    (wait = p->delay_ms - ms_since(&p->last_start)) > 0) {
			struct timeval tv = { wait / 1000, (wait % 1000) * 1000 };

			if (!evtimer_pending(p->timer, NULL))
				evtimer_add(p->timer, &tv);
			return;
		}
		p->head = tc->next;
		tc->next = NULL;
		tconn_start(tc);
	}
	if (p->head == NULL)
		p->tail = NULL;
}

struct tconn_pool *
tconn_pool_new(struct run *run, struct addr_result *a)
{
	struct tconn_pool *p = xcalloc(1, sizeof(*p));

	p->run = run;
	p->a = a;
	p->max_conn = run->o->max_conn > 0 ? run->o->max_conn : 2;
	p->delay_ms = run->o->delay_ms;
	p->timer = evtimer_new(run->base, pool_timer_cb, p);
	p->close_ev = event_new(run->base, -1, 0, pool_close_cb, p);
	if (p->timer == NULL || p->close_ev == NULL)
		abort();	/* out of memory, as xalloc would */
	return p;
}

struct tconn *
tconn_get(struct tconn_pool *p, tconn_cb *cb, void *arg)
{
	struct tconn *tc = xcalloc(1, sizeof(*tc));

	tc->pool = p;
	tc->cb = cb;
	tc->arg = arg;
	tc->state = TCONN_WAITING;
	if (p->tail != NULL)
		p->tail->next = tc;
	else
		p->head = tc;
	p->tail = tc;
	pool_kick(p);
	return tc;
}

void
tconn_put(struct tconn *tc)
{
	struct bufferevent *raw = tc->raw;

	tc->raw = NULL;
	tc->state = TCONN_RETURNED;
	if (tc->client != NULL)
		smtp_client_tls_failed(tc->client, "probe finished");
	else
		free(tc);	/* the session ended while lent */
	if (raw != NULL)
		bufferevent_decref(raw);
}

/* tconn_cancel: a request the borrower no longer wants (before cb). */
void
tconn_cancel(struct tconn *tc)
{
	struct tconn_pool *p = tc->pool;
	struct tconn **pp;

	if (tc->state == TCONN_WAITING) {
		for (pp = &p->head; *pp != NULL; pp = &(*pp)->next)
			if (*pp == tc) {
				*pp = tc->next;
				break;
			}
		p->tail = NULL;
		for (pp = &p->head; *pp != NULL; pp = &(*pp)->next)
			p->tail = *pp;
		free(tc);
		return;
	}
	if (tc->state == TCONN_CONNECTING) {
		smtp_client_free(tc->client);	/* no on_done */
		p->active--;
		free(tc);
		pool_kick(p);
	}
}

bool
tconn_pool_rate_limited(const struct tconn_pool *p)
{
	return p->rate_limited;
}

const char *
tconn_pool_stop_why(const struct tconn_pool *p)
{
	return p->stop_why;
}

/* tconn_pool_close: frees the pool once no session is left, then calls
 * done (now, or from the last session's end). */
void
tconn_pool_close(struct tconn_pool *p, void (*done)(void *), void *arg)
{
	p->close_cb = done;
	p->close_arg = arg;
	pool_maybe_close(p);
}
