/* probe_scan: the versions and cipher-suite strategies, one provider connection per probe. */
#include "tls/probe.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#define SCAN_DEFAULT_CHUNK	64
#define ALERT_HANDSHAKE_FAILURE	40
#define ALERT_INSUFFICIENT_SEC	71

/* Where the connection cycle stands. */
enum scan_state {
	ST_IDLE,	/* between probes: ask the strategy what next */
	ST_WAIT_CONN,	/* the provider has our request */
	ST_CONN_READY,	/* a connection came: start the probe */
	ST_CONN_FAILED,	/* the provider could not: end the scan */
	ST_PROBING,	/* a probe runs on the connection */
	ST_DONE
};

enum scan_kind {
	SCAN_VERSIONS,
	SCAN_CIPHERS
};

struct tls_conn_req {
	struct tls_scan	*scan;
};

/* A pending offer of the cipher scan. */
struct offer {
	uint16_t	*s;
	size_t		 n;
};

/* The cipher scan's state for the version it enumerates. */
struct cipher_run {
	int		 vi;		/* version index, -1 between versions */
	unsigned	 left;		/* versions left, tls_version_bit mask */
	struct offer	*q;		/* offers left, q[head] next */
	size_t		 nq;
	size_t		 head;
	uint16_t	*cand;		/* the candidates in our order */
	size_t		 ncand;
	uint16_t	 known_suite;	/* the versions scan's pick, or 0 */
	bool		 ordering;	/* the order probe is out */
	uint16_t	*order_offer;
	size_t		 norder;
	bool		 ssl2_sent;
	size_t		 biggest_accepted;	/* largest offer answered */
};

struct tls_scan {
	enum scan_kind		 kind;
	enum scan_state		 state;
	struct event_base	*base;
	struct event		*kick;
	char			*sni;
	int			 timeout_ms;
	int			 max_connections;
	struct tls_conn_provider prov;
	void			(*done)(struct tls_scan *, void *);
	void			*arg;

	struct tls_conn_req	*req;		/* pending request */
	struct bufferevent	*bev;		/* connection in use */
	void			*conn_arg;
	struct tls_probe	*probe;
	char			*conn_error;
	int			 connections;

	/* the probe to run next: params and the arrays they point to */
	struct tls_probe_params	 next;
	uint16_t		 next_suites[TLS_HELLO_SUITES_MAX];

	/* versions scan */
	unsigned		 versions_left;
	int			 version_vi;	/* probe out for this index */
	struct tls_versions_result vres;

	/* cipher scan */
	struct tls_ciphers_params cparams;
	uint16_t		*candidates;	/* copy of cparams' */
	struct cipher_run	 run;
	struct tls_ciphers_result cres;
};

static void scan_kick(struct tls_scan *s);

/*
 * Results.
 */

static void
vres_clear(struct tls_versions_result *r)
{
	int i;

	for (i = 0; i < TLS_NVERSIONS; i++)
		tls_probe_result_clear(&r->v[i].result);
}

static void
cres_clear(struct tls_ciphers_result *r)
{
	int i;

	for (i = 0; i < TLS_NVERSIONS; i++) {
		free(r->v[i].suites);
		free(r->v[i].codes);
		free(r->v[i].ssl2_kinds);
	}
}

static void
run_clear_offers(struct cipher_run *run)
{
	size_t i;

	for (i = 0; i < run->nq; i++)
		free(run->q[i].s);
	free(run->q);
	run->q = NULL;
	run->nq = run->head = 0;
}

static void
run_clear(struct cipher_run *run)
{
	run_clear_offers(run);
	free(run->cand);
	free(run->order_offer);
	run->cand = run->order_offer = NULL;
	run->ncand = run->norder = 0;
}

/* Sets the scan's error once (the first reason wins); static text. */
static void
scan_incomplete(struct tls_scan *s, const char *why)
{
	if (s->kind == SCAN_VERSIONS) {
		s->vres.complete = false;
		if (*s->vres.error == '\0')
			s->vres.error = why;
	} else {
		s->cres.complete = false;
		if (*s->cres.error == '\0')
			s->cres.error = why;
	}
}

/*
 * The versions strategy.
 */

/* Next version: highest first, so that a scan cut short by the server
 * (rate limiting) has learnt what matters most. */
static bool
versions_next(struct tls_scan *s)
{
	int i;
	uint16_t v;

	for (i = TLS_NVERSIONS - 1; i >= 0; i--)
		if (s->versions_left & (1u << i))
			break;
	if (i < 0)
		return false;
	s->versions_left &= ~(1u << i);
	s->version_vi = i;
	v = tls_version_at(i);
	memset(&s->next, 0, sizeof(s->next));
	s->next.version = v;
	if (v != TLS_V_SSL2) {
		s->next.nsuites = tls_suites_for_version(v, false,
		    s->next_suites, TLS_SCAN_VERSION_SUITES);
		s->next.suites = s->next_suites;
	}
	s->next.wait_flight = true;
	return true;
}

static void
versions_record(struct tls_scan *s, struct tls_probe_result *r)
{
	struct tls_version_probe *vp = &s->vres.v[s->version_vi];

	vp->tested = true;
	vp->accepted = r->verdict == TLS_VERDICT_ACCEPTED;
	tls_probe_result_clear(&vp->result);
	vp->result = *r;
	if (vp->accepted)
		s->vres.accepted |= 1u << s->version_vi;
}

/*
 * The cipher strategy.
 */

static struct tls_version_ciphers *
run_vc(struct tls_scan *s)
{
	return &s->cres.v[s->run.vi];
}

static void
offer_push(struct cipher_run *run, const uint16_t *v, size_t n)
{
	run->q = xreallocarray(run->q, run->nq + 1, sizeof(*run->q));
	run->q[run->nq].s = xreallocarray(NULL, n ? n : 1, sizeof(uint16_t));
	memcpy(run->q[run->nq].s, v, n * sizeof(uint16_t));
	run->q[run->nq].n = n;
	run->nq++;
}

/* The candidates for version v: the caller's list or the table's,
 * filtered to what v can carry. */
static void
run_candidates(struct tls_scan *s, uint16_t v)
{
	struct cipher_run *run = &s->run;
	const struct tls_suite *t;
	size_t i;

	run->cand = xreallocarray(NULL, TLS_HELLO_SUITES_MAX,
	    sizeof(*run->cand));
	if (s->candidates == NULL) {
		run->ncand = tls_suites_for_version(v, false, run->cand,
		    TLS_HELLO_SUITES_MAX);
		return;
	}
	run->ncand = 0;
	for (i = 0; i < s->cparams.ncandidates &&
	    run->ncand < TLS_HELLO_SUITES_MAX; i++) {
		t = tls_suite_by_code(s->candidates[i]);
		if (t == NULL || tls_suite_usable(t, v))
			run->cand[run->ncand++] = s->candidates[i];
	}
}

/* Starts enumerating version index vi. */
static void
run_begin(struct tls_scan *s, int vi)
{
	struct cipher_run *run = &s->run;
	const struct tls_versions_result *k = s->cparams.known;
	uint16_t v = tls_version_at(vi);

	run_clear(run);
	run->vi = vi;
	run->ordering = false;
	run->ssl2_sent = false;
	run->known_suite = 0;
	run_vc(s)->tested = true;
	run_vc(s)->version = v;
	run_vc(s)->error = "";
	if (k != NULL && k->v[vi].accepted && v != TLS_V_SSL2)
		run->known_suite = k->v[vi].result.reply.suite;
	if (v == TLS_V_SSL2)
		return;
	run_candidates(s, v);
	if (run->ncand > 0)
		offer_push(run, run->cand, run->ncand);
}

/* Whether the server's picks came in our offer order: then it may just
 * follow ours, and only a reordered offer can tell. */
static bool
picks_in_offer_order(const struct cipher_run *run,
    const struct tls_version_ciphers *vc)
{
	size_t i, j, last = 0;

	for (i = 0; i < vc->nsuites; i++) {
		for (j = 0; j < run->ncand; j++)
			if (run->cand[j] == vc->codes[i])
				break;
		if (j == run->ncand || (i > 0 && j < last))
			return false;
		last = j;
	}
	return true;
}

/* Enumeration of the current version is over; maybe one order probe. */
static bool
run_enumerated(struct tls_scan *s)
{
	struct cipher_run *run = &s->run;
	struct tls_version_ciphers *vc = run_vc(s);
	size_t i;

	if (vc->nsuites < 2)
		return false;
	if (!picks_in_offer_order(run, vc)) {
		vc->order = TLS_ORDER_SERVER;
		return false;
	}
	if (!s->cparams.detect_order)
		return false;
	run->norder = vc->nsuites;
	run->order_offer = xreallocarray(NULL, run->norder, sizeof(uint16_t));
	for (i = 0; i < run->norder; i++)
		run->order_offer[i] = vc->codes[run->norder - 1 - i];
	run->ordering = true;
	return true;
}

static void
next_offer(struct tls_scan *s, const uint16_t *v, size_t n)
{
	memset(&s->next, 0, sizeof(s->next));
	s->next.version = tls_version_at(s->run.vi);
	s->next.nsuites = n < TLS_HELLO_SUITES_MAX ? n : TLS_HELLO_SUITES_MAX;
	memcpy(s->next_suites, v, s->next.nsuites * sizeof(uint16_t));
	s->next.suites = s->next_suites;
	s->next.wait_flight = true;
}

/* The next probe of the current version, or false when it is done. */
static bool
run_next(struct tls_scan *s)
{
	struct cipher_run *run = &s->run;

	if (tls_version_at(run->vi) == TLS_V_SSL2) {
		if (run->ssl2_sent)
			return false;
		memset(&s->next, 0, sizeof(s->next));
		s->next.version = TLS_V_SSL2;
		run->ssl2_sent = true;
		return true;
	}
	if (run->ordering)
		return false;	/* its answer is in */
	while (run->head < run->nq && run->q[run->head].n == 0)
		run->head++;
	if (run->head < run->nq) {
		next_offer(s, run->q[run->head].s, run->q[run->head].n);
		return true;
	}
	if (!run_vc(s)->complete && *run_vc(s)->error == '\0')
		run_vc(s)->complete = true;
	if (run_vc(s)->complete && run_enumerated(s)) {
		next_offer(s, run->order_offer, run->norder);
		return true;
	}
	return false;
}

static bool
ciphers_next(struct tls_scan *s)
{
	int i;

	for (;;) {
		if (s->run.vi >= 0 && run_next(s))
			return true;
		s->run.vi = -1;
		for (i = TLS_NVERSIONS - 1; i >= 0; i--)
			if (s->run.left & (1u << i))
				break;
		if (i < 0)
			return false;
		s->run.left &= ~(1u << i);
		run_begin(s, i);
	}
}

static void
seen_add(struct tls_version_ciphers *vc, const struct tls_reply_info *i)
{
	struct tls_suite_seen *seen;

	vc->suites = xreallocarray(vc->suites, vc->nsuites + 1,
	    sizeof(*vc->suites));
	vc->codes = xreallocarray(vc->codes, vc->nsuites + 1,
	    sizeof(*vc->codes));
	seen = &vc->suites[vc->nsuites];
	seen->suite = i->suite;
	seen->group = i->group;
	seen->dh_bits = i->dh_bits;
	seen->rsa_export_bits = i->rsa_export_bits;
	vc->codes[vc->nsuites] = i->suite;
	vc->nsuites++;
}

static bool
offer_has(const struct offer *o, uint16_t suite)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (o->s[i] == suite)
			return true;
	return false;
}

static void
offer_drop(struct offer *o, uint16_t suite)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (o->s[i] == suite) {
			memmove(&o->s[i], &o->s[i + 1],
			    (o->n - i - 1) * sizeof(o->s[0]));
			o->n--;
			return;
		}
}

/* A refusal of a big offer that the server may not have meant: no
 * offer this large was ever answered, and either the refusal is not the
 * "no shared suite" alert, or the offer holds a suite the server took
 * before.  Then the offer is split. */
static bool
looks_like_choke(const struct tls_scan *s, const struct offer *o,
    const struct tls_probe_result *r)
{
	size_t chunk = s->cparams.chunk;
	bool clean;

	if (o->n <= chunk || s->run.biggest_accepted >= o->n)
		return false;
	clean = (r->verdict == TLS_VERDICT_ALERT &&
	    (r->reply.alert == ALERT_HANDSHAKE_FAILURE ||
	    r->reply.alert == ALERT_INSUFFICIENT_SEC)) ||
	    r->verdict == TLS_VERDICT_OTHER_VERSION;
	return !clean || (s->run.known_suite != 0 &&
	    offer_has(o, s->run.known_suite));
}

static void
offer_split(struct tls_scan *s)
{
	struct cipher_run *run = &s->run;
	struct offer big = run->q[run->head];
	size_t chunk = s->cparams.chunk, at;

	run->q[run->head].s = NULL;
	run->q[run->head].n = 0;
	run->head++;
	/* the pieces go after what is pending, in our order */
	for (at = 0; at < big.n; at += chunk)
		offer_push(run, big.s + at,
		    big.n - at < chunk ? big.n - at : chunk);
	free(big.s);
	run_vc(s)->split = true;
}

static void
run_stop(struct tls_scan *s, const char *why)
{
	struct tls_version_ciphers *vc = run_vc(s);

	vc->complete = false;
	if (*vc->error == '\0')
		vc->error = why;
	run_clear_offers(&s->run);
	scan_incomplete(s, why);
}

static void
record_order(struct tls_scan *s, const struct tls_probe_result *r)
{
	struct tls_version_ciphers *vc = run_vc(s);

	if (r->verdict != TLS_VERDICT_ACCEPTED)
		vc->order = TLS_ORDER_UNKNOWN;
	else if (r->reply.suite == vc->codes[0])
		vc->order = TLS_ORDER_SERVER;
	else if (r->reply.suite == s->run.order_offer[0])
		vc->order = TLS_ORDER_CLIENT;
	else
		vc->order = TLS_ORDER_MIXED;
}

static void
record_ssl2(struct tls_scan *s, const struct tls_probe_result *r)
{
	struct tls_version_ciphers *vc = run_vc(s);
	size_t n = r->reply.nssl2_kinds;

	vc->complete = true;
	if (r->verdict != TLS_VERDICT_ACCEPTED) {
		if (!tls_verdict_rejected(r->verdict))
			run_stop(s, "SSLv2 probe got no verdict");
		return;
	}
	if (n > 0) {
		vc->ssl2_kinds = xreallocarray(NULL, n, sizeof(uint32_t));
		memcpy(vc->ssl2_kinds, r->reply.ssl2_kinds, n * sizeof(uint32_t));
		vc->nssl2_kinds = n;
	}
}

static void
ciphers_record(struct tls_scan *s, const struct tls_probe_result *r)
{
	struct cipher_run *run = &s->run;
	struct tls_version_ciphers *vc = run_vc(s);
	struct offer *o;

	vc->connections++;
	if (tls_version_at(run->vi) == TLS_V_SSL2) {
		record_ssl2(s, r);
		return;
	}
	if (run->ordering) {
		record_order(s, r);
		return;
	}
	o = &run->q[run->head];
	if (r->verdict == TLS_VERDICT_ACCEPTED) {
		if (r->suite_not_offered || !offer_has(o, r->reply.suite)) {
			run_stop(s, "the server chose a suite we did not offer");
			return;
		}
		if (o->n > run->biggest_accepted)
			run->biggest_accepted = o->n;
		seen_add(vc, &r->reply);
		offer_drop(o, r->reply.suite);
	} else if ((tls_verdict_rejected(r->verdict) ||
	    r->verdict == TLS_VERDICT_TIMEOUT) && looks_like_choke(s, o, r))
		offer_split(s);
	else if (tls_verdict_rejected(r->verdict))
		o->n = 0;	/* nothing more in this offer */
	else
		run_stop(s, r->verdict == TLS_VERDICT_TIMEOUT ?
		    "a probe timed out" : "a probe got no TLS verdict");
}

/*
 * The connection cycle.
 */

static bool
strategy_next(struct tls_scan *s)
{
	return s->kind == SCAN_VERSIONS ? versions_next(s) : ciphers_next(s);
}

static void
probe_done(struct tls_probe *p, const struct tls_probe_result *res,
    void *arg)
{
	struct tls_scan *s = arg;
	struct tls_probe_result r;

	(void)res;
	tls_probe_take_result(p, &r);
	tls_probe_free(p);
	s->probe = NULL;
	if (s->kind == SCAN_VERSIONS)
		versions_record(s, &r);	/* takes r */
	else {
		ciphers_record(s, &r);
		tls_probe_result_clear(&r);
	}
	s->prov.put(s->bev, s->conn_arg, s->prov.arg);
	s->bev = NULL;
	s->conn_arg = NULL;
	s->state = ST_IDLE;
	scan_kick(s);
}

static void
scan_start_probe(struct tls_scan *s)
{
	const char *err = NULL;

	s->next.sni = s->sni;
	s->next.timeout_ms = s->timeout_ms;
	s->probe = tls_probe_start(s->base, s->bev, &s->next, probe_done, s,
	    &err);
	if (s->probe != NULL) {
		s->state = ST_PROBING;
		return;
	}
	/* cannot happen with table suites; end rather than loop */
	s->prov.put(s->bev, s->conn_arg, s->prov.arg);
	s->bev = NULL;
	scan_incomplete(s, err);
	s->state = ST_DONE;
}

static void
scan_finish(struct tls_scan *s)
{
	s->state = ST_DONE;
	if (s->kind == SCAN_VERSIONS)
		s->vres.connections = s->connections;
	else
		s->cres.connections = s->connections;
	s->done(s, s->arg);	/* may free s */
}

static void
scan_step(struct tls_scan *s)
{
	switch (s->state) {
	case ST_IDLE:
		if (!strategy_next(s)) {
			scan_finish(s);
			return;
		}
		if (s->max_connections > 0 &&
		    s->connections >= s->max_connections) {
			scan_incomplete(s, "connection limit reached");
			scan_finish(s);
			return;
		}
		s->state = ST_WAIT_CONN;
		s->req = xcalloc(1, sizeof(*s->req));
		s->req->scan = s;
		s->prov.get(s->req, s->prov.arg);
		return;
	case ST_CONN_READY:
		scan_start_probe(s);
		if (s->state == ST_DONE)
			scan_finish(s);
		return;
	case ST_CONN_FAILED:
		scan_incomplete(s, s->conn_error);
		scan_finish(s);
		return;
	default:
		return;
	}
}

static void
kick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	scan_step(arg);
}

/* Steps always run from the loop: a provider answering inside get(), or
 * a probe finishing, never recurses into the strategy. */
static void
scan_kick(struct tls_scan *s)
{
	struct timeval zero = { 0, 0 };

	evtimer_add(s->kick, &zero);
}

void
tls_conn_ready(struct tls_conn_req *req, struct bufferevent *bev,
    void *conn_arg)
{
	struct tls_scan *s = req->scan;

	free(req);
	s->req = NULL;
	s->bev = bev;
	s->conn_arg = conn_arg;
	s->connections++;
	s->state = ST_CONN_READY;
	scan_kick(s);
}

void
tls_conn_failed(struct tls_conn_req *req, const char *detail)
{
	struct tls_scan *s = req->scan;

	free(req);
	s->req = NULL;
	free(s->conn_error);
	s->conn_error = xstrdup(detail != NULL && *detail != '\0' ? detail :
	    "no connection");
	s->state = ST_CONN_FAILED;
	scan_kick(s);
}

/*
 * Objects.
 */

static struct tls_scan *
scan_new(struct event_base *base, enum scan_kind kind,
    const struct tls_scan_params *params,
    const struct tls_conn_provider *provider,
    void (*done)(struct tls_scan *, void *), void *arg)
{
	struct tls_scan *s = xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->base = base;
	s->sni = params->sni != NULL ? xstrdup(params->sni) : NULL;
	s->timeout_ms = params->timeout_ms;
	s->max_connections = params->max_connections;
	s->prov = *provider;
	s->done = done;
	s->arg = arg;
	s->run.vi = -1;
	s->vres.complete = s->cres.complete = true;
	s->vres.error = s->cres.error = "";
	if ((s->kick = evtimer_new(base, kick_cb, s)) == NULL)
		abort();	/* out of memory, as xalloc would */
	s->state = ST_IDLE;
	scan_kick(s);
	return s;
}

struct tls_scan *
tls_scan_versions(struct event_base *base,
    const struct tls_scan_params *params, unsigned versions,
    const struct tls_conn_provider *provider,
    void (*done)(struct tls_scan *, void *), void *arg)
{
	struct tls_scan *s = scan_new(base, SCAN_VERSIONS, params, provider,
	    done, arg);
	int i;

	s->versions_left = versions != 0 ? versions & TLS_VERSIONS_ALL :
	    TLS_VERSIONS_ALL;
	for (i = 0; i < TLS_NVERSIONS; i++)
		s->vres.v[i].version = tls_version_at(i);
	return s;
}

struct tls_scan *
tls_scan_ciphers(struct event_base *base,
    const struct tls_scan_params *params,
    const struct tls_ciphers_params *cparams,
    const struct tls_conn_provider *provider,
    void (*done)(struct tls_scan *, void *), void *arg)
{
	struct tls_scan *s = scan_new(base, SCAN_CIPHERS, params, provider,
	    done, arg);
	int i;

	s->cparams = *cparams;
	if (s->cparams.chunk == 0)
		s->cparams.chunk = SCAN_DEFAULT_CHUNK;
	if (cparams->candidates != NULL) {
		s->candidates = xreallocarray(NULL,
		    cparams->ncandidates ? cparams->ncandidates : 1,
		    sizeof(uint16_t));
		memcpy(s->candidates, cparams->candidates,
		    cparams->ncandidates * sizeof(uint16_t));
	}
	s->cparams.candidates = NULL;	/* not kept: the copy is */
	s->run.left = cparams->versions & TLS_VERSIONS_ALL;
	if (s->run.left == 0)
		s->run.left = cparams->known != NULL ?
		    cparams->known->accepted : TLS_VERSIONS_ALL;
	for (i = 0; i < TLS_NVERSIONS; i++) {
		s->cres.v[i].version = tls_version_at(i);
		s->cres.v[i].error = "";
	}
	return s;
}

const struct tls_versions_result *
tls_scan_versions_result(const struct tls_scan *s)
{
	return s->kind == SCAN_VERSIONS ? &s->vres : NULL;
}

const struct tls_ciphers_result *
tls_scan_ciphers_result(const struct tls_scan *s)
{
	return s->kind == SCAN_CIPHERS ? &s->cres : NULL;
}

int
tls_scan_connections(const struct tls_scan *s)
{
	return s->connections;
}

void
tls_scan_free(struct tls_scan *s)
{
	if (s == NULL)
		return;
	if (s->probe != NULL)
		tls_probe_free(s->probe);
	if (s->bev != NULL)
		s->prov.put(s->bev, s->conn_arg, s->prov.arg);
	if (s->req != NULL) {
		s->prov.cancel(s->req, s->prov.arg);
		free(s->req);
	}
	event_free(s->kick);
	vres_clear(&s->vres);
	cres_clear(&s->cres);
	run_clear(&s->run);
	free(s->candidates);
	free(s->conn_error);
	free(s->sni);
	free(s);
}

void
tls_server_view_fill(struct tls_server_view *view,
    const struct tls_versions_result *versions,
    const struct tls_ciphers_result *ciphers)
{
	int i;

	memset(view, 0, sizeof(*view));
	if (versions != NULL)
		view->versions = versions->accepted;
	for (i = 0; ciphers != NULL && i < TLS_NVERSIONS; i++) {
		const struct tls_version_ciphers *vc = &ciphers->v[i];

		if (!vc->tested)
			continue;
		if (vc->nsuites > 0 || vc->nssl2_kinds > 0)
			view->versions |= 1u << i;
		if (!vc->complete)
			continue;
		view->v[i].known = true;
		view->v[i].suites = vc->codes;
		view->v[i].n = vc->nsuites;
		view->v[i].order = vc->order;
	}
}
