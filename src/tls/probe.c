/* probe: one ClientHello of ours on one connection, read until a verdict. */
#include "tls/probe.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#define PROBE_DEFAULT_TIMEOUT_MS	10000
#define PROBE_DETAIL_MAX		512
#define PROBE_READ_CHUNK		4096

struct tls_probe {
	struct bufferevent	*bev;
	struct event		*timer;
	struct event		*kick;		/* bytes already waiting */
	struct tls_reply	*reply;
	uint16_t		 version;
	uint16_t		*offered;	/* TLS suites sent */
	size_t			 noffered;
	bool			 wait_flight;
	int			 timeout_ms;
	struct timespec		 started;
	void			(*done)(struct tls_probe *,
				    const struct tls_probe_result *, void *);
	void			*arg;
	bool			 finished;
	bool			 in_done;
	bool			 free_pending;
	struct tls_probe_result	 result;
};

const char *
tls_verdict_name(enum tls_verdict v)
{
	static const char *const names[] = {
		"none", "accepted", "other_version", "alert", "closed",
		"not_tls", "malformed", "timeout", "conn_failed", "error"
	};

	if ((unsigned)v >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[v];
}

bool
tls_verdict_rejected(enum tls_verdict v)
{
	return v == TLS_VERDICT_ALERT || v == TLS_VERDICT_CLOSED ||
	    v == TLS_VERDICT_OTHER_VERSION;
}

void
tls_probe_result_clear(struct tls_probe_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nchain; i++)
		free(r->chain[i].data);
	free(r->chain);
	free(r->detail);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

/*
 * Verdict.
 */

static enum tls_verdict
verdict_of(uint16_t asked, const struct tls_reply_info *i)
{
	switch (i->kind) {
	case TLS_REPLY_HELLO:
	case TLS_REPLY_HRR:
		return i->version == asked ? TLS_VERDICT_ACCEPTED :
		    TLS_VERDICT_OTHER_VERSION;
	case TLS_REPLY_SSL2_HELLO:
		return asked == TLS_V_SSL2 ? TLS_VERDICT_ACCEPTED :
		    TLS_VERDICT_OTHER_VERSION;
	case TLS_REPLY_ALERT:
	case TLS_REPLY_SSL2_ERROR:
		return TLS_VERDICT_ALERT;
	case TLS_REPLY_CLOSED:
		return TLS_VERDICT_CLOSED;
	case TLS_REPLY_NOT_TLS:
		return TLS_VERDICT_NOT_TLS;
	case TLS_REPLY_MALFORMED:
		return TLS_VERDICT_MALFORMED;
	default:
		return TLS_VERDICT_TIMEOUT;
	}
}

static void
detail_accepted(struct buf *b, const struct tls_probe_result *r)
{
	const struct tls_reply_info *i = &r->reply;
	const char *group = tls_group_name(i->group);
	char label[16];
	size_t k;

	(void)buf_printf(b, "accepted %s", tls_version_name(i->version));
	if (i->kind == TLS_REPLY_SSL2_HELLO) {
		(void)buf_printf(b, ", %zu cipher kinds", i->ssl2_total);
		return;
	}
	(void)buf_printf(b, " %s", tls_suite_label(i->suite, label,
	    sizeof(label)));
	if (i->kind == TLS_REPLY_HRR)
		(void)buf_adds(b, " (HelloRetryRequest)");
	if (i->group != 0)
		(void)buf_printf(b, ", group %s", group != NULL ? group :
		    "unknown");
	if (i->dh_bits > 0)
		(void)buf_printf(b, ", DH %d bits", i->dh_bits);
	if (i->rsa_export_bits > 0)
		(void)buf_printf(b, ", export RSA %d bits", i->rsa_export_bits);
	if (r->suite_not_offered)
		(void)buf_adds(b, " (a suite we did not offer)");
	k = i->ncerts;
	if (k > 0)
		(void)buf_printf(b, ", %zu certificate%s", k, k == 1 ? "" : "s");
}

static void
detail_alert(struct buf *b, const struct tls_reply_info *i)
{
	const char *name;

	if (i->kind == TLS_REPLY_SSL2_ERROR) {
		name = tls_ssl2_error_name(i->ssl2_error);
		(void)buf_printf(b, "SSLv2 error %s", name != NULL ? name :
		    "unknown");
		return;
	}
	name = tls_alert_name(i->alert);
	(void)buf_printf(b, "%s alert %s", i->alert_level == 1 ? "warning" :
	    "fatal", name != NULL ? name : "unknown");
	if (name == NULL)
		(void)buf_printf(b, " (%d)", i->alert);
}

static char *
make_detail(const struct tls_probe_result *r, int timeout_ms)
{
	struct buf *b = buf_new(PROBE_DETAIL_MAX);
	const struct tls_reply_info *i = &r->reply;
	char *s;

	switch (r->verdict) {
	case TLS_VERDICT_ACCEPTED:
		detail_accepted(b, r);
		break;
	case TLS_VERDICT_OTHER_VERSION:
		(void)buf_printf(b, "answered with %s instead",
		    i->kind == TLS_REPLY_SSL2_HELLO ? "SSLv2" :
		    tls_version_name(i->version) != NULL ?
		    tls_version_name(i->version) : "an unknown version");
		break;
	case TLS_VERDICT_ALERT:
		detail_alert(b, i);
		break;
	case TLS_VERDICT_CLOSED:
		(void)buf_adds(b, "closed by the server");
		break;
	case TLS_VERDICT_NOT_TLS:
		(void)buf_printf(b, "not TLS: %s", i->text);
		break;
	case TLS_VERDICT_MALFORMED:
		(void)buf_printf(b, "malformed reply: %s", i->error);
		break;
	case TLS_VERDICT_TIMEOUT:
		(void)buf_printf(b, "no answer within %d ms", timeout_ms);
		break;
	default:
		(void)buf_adds(b, tls_verdict_name(r->verdict));
		break;
	}
	s = buf_steal(b);
	buf_free(b);
	return s;
}

/*
 * Finishing.
 */

static long
elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - since->tv_sec) * 1000 +
	    (now.tv_nsec - since->tv_nsec) / 1000000;
}

static void
fill_chain(struct tls_probe *p)
{
	const struct tls_reply_info *i = tls_reply_info(p->reply);
	const unsigned char *der;
	size_t k, len, n = i->ncerts;

	if (n > TLS_REPLY_CERTS_MAX)
		n = TLS_REPLY_CERTS_MAX;
	if (n == 0)
		return;
	p->result.chain = xcalloc(n, sizeof(*p->result.chain));
	for (k = 0; k < n; k++) {
		if ((der = tls_reply_cert(p->reply, k, &len)) == NULL)
			break;
		p->result.chain[k].data = xmalloc(len);
		memcpy(p->result.chain[k].data, der, len);
		p->result.chain[k].len = len;
		p->result.nchain++;
	}
}

static bool
suite_offered(const struct tls_probe *p, uint16_t suite)
{
	size_t k;

	for (k = 0; k < p->noffered; k++)
		if (p->offered[k] == suite)
			return true;
	return false;
}

static void
fill_result(struct tls_probe *p, bool timed_out)
{
	struct tls_probe_result *r = &p->result;
	const struct tls_reply_info *i = tls_reply_info(p->reply);

	r->version_asked = p->version;
	r->reply = *i;
	r->text = xstrdup(i->text);
	r->reply.text = r->text;
	r->verdict = verdict_of(p->version, i);
	if (timed_out && i->kind == TLS_REPLY_PENDING)
		r->verdict = TLS_VERDICT_TIMEOUT;
	if (r->verdict == TLS_VERDICT_ACCEPTED && p->version != TLS_V_SSL2)
		r->suite_not_offered = !suite_offered(p, i->suite);
	r->ms = elapsed_ms(&p->started);
	fill_chain(p);
	r->detail = make_detail(r, p->timeout_ms);
}

static void probe_destroy(struct tls_probe *p);

static void
probe_finish(struct tls_probe *p, bool timed_out)
{
	if (p->finished)
		return;
	p->finished = true;
	evtimer_del(p->timer);
	evtimer_del(p->kick);
	bufferevent_setcb(p->bev, NULL, NULL, NULL, NULL);
	bufferevent_disable(p->bev, EV_READ | EV_WRITE);
	if (!tls_reply_done(p->reply) && !timed_out)
		tls_reply_eof(p->reply);
	fill_result(p, timed_out);
	p->in_done = true;
	p->done(p, &p->result, p->arg);
	p->in_done = false;
	if (p->free_pending)
		probe_destroy(p);
}

/* The verdict is in once the parser says so, or at the ServerHello when
 * the rest of the flight is not wanted. */
static bool
verdict_ready(const struct tls_probe *p)
{
	const struct tls_reply_info *i = tls_reply_info(p->reply);

	if (tls_reply_done(p->reply))
		return true;
	return i->kind == TLS_REPLY_HELLO && !p->wait_flight;
}

/* Feeds what arrived to the parser; returns true when the probe has
 * finished, after which p may be gone (done() may free it). */
static bool
probe_read(struct tls_probe *p)
{
	struct evbuffer *in = bufferevent_get_input(p->bev);
	unsigned char chunk[PROBE_READ_CHUNK];
	int n;

	while (evbuffer_get_length(in) > 0) {
		n = evbuffer_remove(in, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		(void)tls_reply_feed(p->reply, chunk, (size_t)n);
		if (verdict_ready(p)) {
			probe_finish(p, false);
			return true;
		}
	}
	return false;
}

static void
read_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)probe_read(arg);
}

static void
event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct tls_probe *p = arg;

	(void)bev;
	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)))
		return;
	if (probe_read(p))	/* what came with the close */
		return;
	tls_reply_eof(p->reply);
	probe_finish(p, false);
}

static void
timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tls_probe *p = arg;

	(void)fd;
	(void)what;
	if (probe_read(p))
		return;
	/* a ServerHello without the rest of its flight still counts */
	if (tls_reply_info(p->reply)->kind == TLS_REPLY_HELLO)
		tls_reply_eof(p->reply);
	probe_finish(p, true);
}

static void
kick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)probe_read(arg);
}

/*
 * Start and free.
 */

static int
probe_hello(struct tls_probe *p, const struct tls_probe_params *params,
    unsigned char *out, size_t *outlen, const char **err)
{
	struct tls_hello_params hp;
	uint32_t kinds[TLS_HELLO_SUITES_MAX];
	const struct tls_suite *all;
	size_t n, k;

	memset(&hp, 0, sizeof(hp));
	hp.version = params->version;
	hp.suites = params->suites;
	hp.nsuites = params->nsuites;
	hp.sni = params->sni;
	hp.ssl2_kinds = params->ssl2_kinds;
	hp.nssl2_kinds = params->nssl2_kinds;
	if (params->version == TLS_V_SSL2 && params->ssl2_kinds == NULL) {
		all = tls_ssl2_kinds(&n);
		for (k = 0; k < n && k < TLS_HELLO_SUITES_MAX; k++)
			kinds[k] = all[k].code;
		hp.ssl2_kinds = kinds;
		hp.nssl2_kinds = k;
	}
	if (tls_hello_build(&hp, out, TLS_HELLO_MAX, outlen, err) == -1)
		return -1;
	if (params->version != TLS_V_SSL2 && params->nsuites > 0) {
		p->offered = xreallocarray(NULL, params->nsuites,
		    sizeof(*p->offered));
		memcpy(p->offered, params->suites,
		    params->nsuites * sizeof(*p->offered));
		p->noffered = params->nsuites;
	}
	return 0;
}

struct tls_probe *
tls_probe_start(struct event_base *base, struct bufferevent *bev,
    const struct tls_probe_params *params,
    void (*done)(struct tls_probe *, const struct tls_probe_result *, void *),
    void *arg, const char **err)
{
	struct tls_probe *p = xcalloc(1, sizeof(*p));
	unsigned char hello[TLS_HELLO_MAX];
	size_t len;
	struct timeval tv, zero = { 0, 0 };

	if (probe_hello(p, params, hello, &len, err) == -1) {
		free(p->offered);
		free(p);
		return NULL;
	}
	p->bev = bev;
	p->version = params->version;
	p->wait_flight = params->wait_flight;
	p->timeout_ms = params->timeout_ms > 0 ? params->timeout_ms :
	    PROBE_DEFAULT_TIMEOUT_MS;
	p->done = done;
	p->arg = arg;
	p->reply = tls_reply_new();
	p->timer = evtimer_new(base, timeout_cb, p);
	p->kick = evtimer_new(base, kick_cb, p);
	if (p->timer == NULL || p->kick == NULL)
		abort();	/* out of memory, as xalloc would */
	clock_gettime(CLOCK_MONOTONIC, &p->started);
	tv.tv_sec = p->timeout_ms / 1000;
	tv.tv_usec = (p->timeout_ms % 1000) * 1000;
	evtimer_add(p->timer, &tv);
	bufferevent_setcb(bev, read_cb, NULL, event_cb, p);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	bufferevent_write(bev, hello, len);
	/* Bytes that arrived before us raise no read event of their own. */
	if (evbuffer_get_length(bufferevent_get_input(bev)) > 0)
		evtimer_add(p->kick, &zero);
	return p;
}

static void
probe_destroy(struct tls_probe *p)
{
	if (p->timer != NULL)
		event_free(p->timer);
	if (p->kick != NULL)
		event_free(p->kick);
	tls_reply_free(p->reply);
	tls_probe_result_clear(&p->result);
	free(p->offered);
	free(p);
}

void
tls_probe_take_result(struct tls_probe *p, struct tls_probe_result *out)
{
	*out = p->result;
	memset(&p->result, 0, sizeof(p->result));
}

void
tls_probe_free(struct tls_probe *p)
{
	if (p == NULL)
		return;
	if (p->in_done) {
		p->free_pending = true;
		return;
	}
	if (!p->finished) {
		bufferevent_setcb(p->bev, NULL, NULL, NULL, NULL);
		bufferevent_disable(p->bev, EV_READ | EV_WRITE);
	}
	probe_destroy(p);
}
