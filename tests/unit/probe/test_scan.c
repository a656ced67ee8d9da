/* test_scan: the probe engine and both strategies over loopback, against a scripted server speaking what Debian's OpenSSL cannot (SSLv2, SSLv3, RC4, 3DES, export). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>

#include <cmocka.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "harness.h"
#include "tls/probe.h"

#define VB(v)	(tls_version_bit(v))

static int
setup(void **state)
{
	*state = event_base_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	event_base_free(*state);
	return 0;
}

/* Runs a versions scan against cfg; the caller frees *scan and *f. */
static const struct tls_versions_result *
versions_against(struct event_base *base, const struct fake_cfg *cfg,
    unsigned mask, struct tprov *t, struct fake_server **f,
    struct tls_scan **scan, const struct tls_scan_params *sp)
{
	struct tls_scan_params dflt = { .timeout_ms = 5000 };

	*f = fake_start(base, cfg);
	tprov_init(t, base, fake_port(*f));
	*scan = tls_scan_versions(base, sp != NULL ? sp : &dflt, mask,
	    &t->prov, scan_done_break, base);
	run_loop(base);
	return tls_scan_versions_result(*scan);
}

static const struct tls_ciphers_result *
ciphers_against(struct event_base *base, const struct fake_cfg *cfg,
    const struct tls_ciphers_params *cp, struct tprov *t,
    struct fake_server **f, struct tls_scan **scan)
{
	struct tls_scan_params sp = { .timeout_ms = 5000 };

	*f = fake_start(base, cfg);
	tprov_init(t, base, fake_port(*f));
	*scan = tls_scan_ciphers(base, &sp, cp, &t->prov, scan_done_break,
	    base);
	run_loop(base);
	return tls_scan_ciphers_result(*scan);
}

static const struct tls_version_probe *
vp(const struct tls_versions_result *r, uint16_t v)
{
	return &r->v[tls_version_index(v)];
}

static const struct tls_version_ciphers *
vc(const struct tls_ciphers_result *r, uint16_t v)
{
	return &r->v[tls_version_index(v)];
}

/* An SSLv3 + TLS 1.0 server with RC4 and 3DES only: one connection per
 * version; newer versions are answered with TLS 1.0, SSLv2 by a close. */
static void
test_versions_legacy(void **state)
{
	static const uint16_t suites[] = { 0x0004, 0x000a };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_SSL3) | VB(TLS_V_TLS10),
		.suites = suites, .nsuites = 2,
	};
	const struct tls_versions_result *r;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	r = versions_against(*state, &cfg, 0, &t, &f, &scan, NULL);
	assert_true(r->complete);
	assert_string_equal(r->error, "");
	assert_int_equal(r->connections, 6);
	assert_int_equal(fake_connections(f), 6);
	assert_int_equal(t.gets, 6);
	assert_int_equal(t.puts, 6);
	assert_int_equal(r->accepted, VB(TLS_V_SSL3) | VB(TLS_V_TLS10));
	assert_true(vp(r, TLS_V_SSL3)->accepted);
	assert_int_equal(vp(r, TLS_V_SSL3)->result.reply.suite, 0x0004);
	assert_int_equal(vp(r, TLS_V_SSL3)->result.nchain, 2);
	assert_int_equal(vp(r, TLS_V_SSL3)->result.chain[0].len, 300);
	assert_int_equal(vp(r, TLS_V_TLS10)->result.reply.suite, 0x0004);
	assert_true(vp(r, TLS_V_TLS10)->result.reply.secure_reneg);
	assert_int_equal(vp(r, TLS_V_TLS12)->result.verdict,
	    TLS_VERDICT_OTHER_VERSION);
	assert_non_null(strstr(vp(r, TLS_V_TLS12)->result.detail, "TLSv1"));
	assert_int_equal(vp(r, TLS_V_TLS11)->result.verdict,
	    TLS_VERDICT_OTHER_VERSION);
	assert_int_equal(vp(r, TLS_V_TLS13)->result.verdict,
	    TLS_VERDICT_ALERT);
	assert_int_equal(vp(r, TLS_V_TLS13)->result.reply.alert, 70);
	assert_non_null(strstr(vp(r, TLS_V_TLS13)->result.detail,
	    "protocol_version"));
	assert_int_equal(vp(r, TLS_V_SSL2)->result.verdict,
	    TLS_VERDICT_CLOSED);
	assert_true(vp(r, TLS_V_SSL2)->tested);
	print_message("SSLv3: %s\n", vp(r, TLS_V_SSL3)->result.detail);
	tls_scan_free(scan);
	fake_stop(f);
}

/* A TLS 1.2 server with nothing but 3DES still shows TLS 1.2. */
static void
test_versions_3des_only(void **state)
{
	static const uint16_t suites[] = { 0x000a };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12), .suites = suites, .nsuites = 1,
	};
	const struct tls_versions_result *r;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	r = versions_against(*state, &cfg, VB(TLS_V_TLS12), &t, &f, &scan,
	    NULL);
	assert_int_equal(r->accepted, VB(TLS_V_TLS12));
	assert_int_equal(vp(r, TLS_V_TLS12)->result.reply.suite, 0x000a);
	tls_scan_free(scan);
	fake_stop(f);
}

static void
test_versions_ssl2(void **state)
{
	static const uint32_t kinds[] = { 0x0700c0, 0x010080 };
	static const uint16_t suites[] = { 0x000a };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_SSL2) | VB(TLS_V_TLS10),
		.suites = suites, .nsuites = 1,
		.ssl2_kinds = kinds, .nssl2 = 2,
	};
	const struct tls_versions_result *r;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	r = versions_against(*state, &cfg, VB(TLS_V_SSL2), &t, &f, &scan,
	    NULL);
	assert_int_equal(r->connections, 1);
	assert_true(vp(r, TLS_V_SSL2)->accepted);
	assert_int_equal(vp(r, TLS_V_SSL2)->result.reply.nssl2_kinds, 2);
	assert_int_equal(vp(r, TLS_V_SSL2)->result.reply.ssl2_kinds[0],
	    0x0700c0);
	assert_int_equal(vp(r, TLS_V_SSL2)->result.nchain, 1);
	assert_false(vp(r, TLS_V_TLS10)->tested);
	tls_scan_free(scan);
	fake_stop(f);
}

/* Server preference: the picks are not in our order, so the order is
 * known without an extra connection: accepted + 1. */
static void
test_ciphers_server_order(void **state)
{
	static const uint16_t suites[] = {
		0xc030, 0x000a, 0xc02f, 0x0016, 0x0004
	};
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12), .suites = suites, .nsuites = 5,
		.dh_bits = 1024,
	};
	struct tls_ciphers_params cp = {
		.versions = VB(TLS_V_TLS12), .detect_order = true,
	};
	const struct tls_ciphers_result *r;
	const struct tls_version_ciphers *c;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;
	size_t i;

	r = ciphers_against(*state, &cfg, &cp, &t, &f, &scan);
	c = vc(r, TLS_V_TLS12);
	assert_true(r->complete);
	assert_true(c->complete);
	assert_int_equal(c->nsuites, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(c->codes[i], suites[i]);
	assert_int_equal(c->order, TLS_ORDER_SERVER);
	assert_int_equal(c->connections, 6);
	assert_int_equal(r->connections, 6);
	assert_false(c->split);
	assert_int_equal(c->suites[0].group, 0x0017);
	assert_int_equal(c->suites[3].dh_bits, 1024);
	assert_int_equal(c->suites[1].dh_bits, 0);
	assert_false(vc(r, TLS_V_TLS13)->tested);
	tls_scan_free(scan);
	fake_stop(f);
}

/* Client preference: picks in our order, one reordered offer tells. */
static void
test_ciphers_client_order(void **state)
{
	static const uint16_t suites[] = { 0x0004, 0xc02f, 0x000a, 0x009c };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12), .suites = suites, .nsuites = 4,
		.client_order = true,
	};
	struct tls_ciphers_params cp = {
		.versions = VB(TLS_V_TLS12), .detect_order = true,
	};
	const struct tls_ciphers_result *r;
	const struct tls_version_ciphers *c;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	r = ciphers_against(*state, &cfg, &cp, &t, &f, &scan);
	c = vc(r, TLS_V_TLS12);
	assert_int_equal(c->nsuites, 4);
	assert_int_equal(c->codes[0], 0xc02f);	/* our order: strongest */
	assert_int_equal(c->codes[3], 0x0004);	/* RC4 last */
	assert_int_equal(c->order, TLS_ORDER_CLIENT);
	assert_int_equal(c->connections, 4 + 1 + 1);
	tls_scan_free(scan);
	fake_stop(f);

	/* without detect_order the order stays unknown, one fewer */
	cp.detect_order = false;
	r = ciphers_against(*state, &cfg, &cp, &t, &f, &scan);
	c = vc(r, TLS_V_TLS12);
	assert_int_equal(c->order, TLS_ORDER_UNKNOWN);
	assert_int_equal(c->connections, 5);
	tls_scan_free(scan);
	fake_stop(f);
}

/* A server that closes on hellos of more than 100 suites: the offer is
 * split into pieces of 64 and everything is still found. */
static void
test_ciphers_choke(void **state)
{
	static const uint16_t suites[] = { 0xc02f, 0x009c, 0x000a };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12), .suites = suites, .nsuites = 3,
		.choke_over = 100,
	};
	struct tls_ciphers_params cp = { .versions = VB(TLS_V_TLS12) };
	const struct tls_ciphers_result *r;
	const struct tls_version_ciphers *c;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;
	uint16_t all[512];
	size_t n = tls_suites_for_version(TLS_V_TLS12, false, all, 512);

	r = ciphers_against(*state, &cfg, &cp, &t, &f, &scan);
	c = vc(r, TLS_V_TLS12);
	assert_true(c->complete);
	assert_true(c->split);
	assert_int_equal(c->nsuites, 3);
	/* 1 choke + 3 accepted + one refusal per piece */
	assert_int_equal(c->connections, 1 + 3 + (int)((n + 63) / 64));
	tls_scan_free(scan);
	fake_stop(f);
}

/* The versions scan's pick marks even a clean refusal as a choke. */
static void
test_ciphers_choke_known(void **state)
{
	static const uint16_t suites[] = { 0x009c };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12), .suites = suites, .nsuites = 1,
		.choke_over = 150, .choke_alert = true,
	};
	struct tls_versions_result known;
	struct tls_ciphers_params cp = { .known = &known };
	const struct tls_ciphers_result *r;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	memset(&known, 0, sizeof(known));
	known.accepted = VB(TLS_V_TLS12);
	known.v[tls_version_index(TLS_V_TLS12)].accepted = true;
	known.v[tls_version_index(TLS_V_TLS12)].result.reply.suite = 0x009c;
	r = ciphers_against(*state, &cfg, &cp, &t, &f, &scan);
	assert_true(vc(r, TLS_V_TLS12)->split);
	assert_int_equal(vc(r, TLS_V_TLS12)->nsuites, 1);
	assert_false(vc(r, TLS_V_TLS13)->tested);	/* known: 1.2 only */
	tls_scan_free(scan);
	fake_stop(f);
}

static void
test_ciphers_export_ssl3(void **state)
{
	static const uint16_t suites[] = { 0x0003, 0x0004, 0x0064 };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_SSL3), .suites = suites, .nsuites = 3,
		.frag = 5,
	};
	struct tls_ciphers_params cp = { .versions = VB(TLS_V_SSL3) };
	const struct tls_ciphers_result *r;
	const struct tls_version_ciphers *c;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	r = ciphers_against(*state, &cfg, &cp, &t, &f, &scan);
	c = vc(r, TLS_V_SSL3);
	assert_int_equal(c->nsuites, 3);
	assert_int_equal(c->codes[0], 0x0003);
	assert_int_equal(c->suites[0].rsa_export_bits, 512);
	assert_int_equal(c->order, TLS_ORDER_SERVER);
	tls_scan_free(scan);
	fake_stop(f);
}

static void
test_ciphers_tls13_and_ssl2(void **state)
{
	static const uint16_t suites[] = { 0x1302, 0x1301, 0xc02f };
	static const uint32_t kinds[] = { 0x010080 };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12) | VB(TLS_V_TLS13) | VB(TLS_V_SSL2),
		.suites = suites, .nsuites = 3,
		.ssl2_kinds = kinds, .nssl2 = 1,
	};
	struct tls_ciphers_params cp = {
		.versions = VB(TLS_V_TLS13) | VB(TLS_V_SSL2),
		.detect_order = true,
	};
	const struct tls_ciphers_result *r;
	const struct tls_version_ciphers *c;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	r = ciphers_against(*state, &cfg, &cp, &t, &f, &scan);
	c = vc(r, TLS_V_TLS13);
	assert_int_equal(c->nsuites, 2);
	assert_int_equal(c->codes[0], 0x1302);
	assert_int_equal(c->codes[1], 0x1301);
	assert_int_equal(c->suites[0].group, 0x001d);
	assert_int_equal(c->order, TLS_ORDER_SERVER);
	assert_int_equal(c->connections, 2 + 1 + 1);
	c = vc(r, TLS_V_SSL2);
	assert_true(c->complete);
	assert_int_equal(c->nssl2_kinds, 1);
	assert_int_equal(c->connections, 1);
	assert_int_equal(r->connections, 5);
	tls_scan_free(scan);
	fake_stop(f);
}

/* Candidates restrict the offers (the default quick scan). */
static void
test_ciphers_candidates(void **state)
{
	static const uint16_t suites[] = { 0xc02f, 0x000a, 0x0004 };
	static const uint16_t cand[] = { 0x000a, 0xc030, 0x1301, 0x0004 };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12), .suites = suites, .nsuites = 3,
	};
	struct tls_ciphers_params cp = {
		.versions = VB(TLS_V_TLS12), .candidates = cand,
		.ncandidates = 4,
	};
	const struct tls_ciphers_result *r;
	const struct tls_version_ciphers *c;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	r = ciphers_against(*state, &cfg, &cp, &t, &f, &scan);
	c = vc(r, TLS_V_TLS12);
	assert_int_equal(c->nsuites, 2);	/* 0xc02f was not offered */
	assert_int_equal(c->codes[0], 0x000a);
	assert_int_equal(c->codes[1], 0x0004);
	assert_int_equal(c->connections, 3);
	tls_scan_free(scan);
	fake_stop(f);
}

/* The provider gives up (a 421): the scan ends, keeps what it has. */
static void
test_provider_fails(void **state)
{
	static const uint16_t suites[] = { 0xc02f };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12), .suites = suites, .nsuites = 1,
	};
	struct fake_server *f = fake_start(*state, &cfg);
	struct tls_scan_params sp = { .timeout_ms = 5000 };
	const struct tls_versions_result *r;
	struct tls_scan *scan;
	struct tprov t;

	tprov_init(&t, *state, fake_port(f));
	t.fail_after = 2;
	scan = tls_scan_versions(*state, &sp, 0, &t.prov, scan_done_break,
	    *state);
	run_loop(*state);
	r = tls_scan_versions_result(scan);
	assert_false(r->complete);
	assert_non_null(strstr(r->error, "421"));
	assert_int_equal(r->connections, 2);
	assert_true(vp(r, TLS_V_TLS13)->tested);
	assert_true(vp(r, TLS_V_TLS12)->accepted);
	assert_false(vp(r, TLS_V_TLS11)->tested);
	tls_scan_free(scan);
	fake_stop(f);
}

static void
test_connection_limit(void **state)
{
	static const uint16_t suites[] = { 0xc02f, 0x009c, 0x002f };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12), .suites = suites, .nsuites = 3,
	};
	struct fake_server *f = fake_start(*state, &cfg);
	struct tls_scan_params sp = { .timeout_ms = 5000,
	    .max_connections = 2 };
	struct tls_ciphers_params cp = { .versions = VB(TLS_V_TLS12) };
	const struct tls_ciphers_result *r;
	struct tls_scan *scan;
	struct tprov t;
	struct tls_server_view view;

	tprov_init(&t, *state, fake_port(f));
	scan = tls_scan_ciphers(*state, &sp, &cp, &t.prov, scan_done_break,
	    *state);
	run_loop(*state);
	r = tls_scan_ciphers_result(scan);
	assert_false(r->complete);
	assert_string_equal(r->error, "connection limit reached");
	assert_int_equal(r->connections, 2);
	assert_int_equal(vc(r, TLS_V_TLS12)->nsuites, 2);
	assert_false(vc(r, TLS_V_TLS12)->complete);
	/* an incomplete enumeration is not a known list */
	tls_server_view_fill(&view, NULL, r);
	assert_int_equal(view.versions, VB(TLS_V_TLS12));
	assert_false(view.v[tls_version_index(TLS_V_TLS12)].known);
	tls_scan_free(scan);
	fake_stop(f);
}

static void
test_not_tls(void **state)
{
	struct fake_cfg cfg = {
		.plaintext = "454 4.7.0 TLS not available due to local "
		    "problem\r\n",
	};
	const struct tls_versions_result *r;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	r = versions_against(*state, &cfg, VB(TLS_V_TLS12) | VB(TLS_V_SSL2),
	    &t, &f, &scan, NULL);
	assert_true(r->complete);
	assert_int_equal(r->accepted, 0);
	assert_int_equal(vp(r, TLS_V_TLS12)->result.verdict,
	    TLS_VERDICT_NOT_TLS);
	assert_non_null(strstr(vp(r, TLS_V_TLS12)->result.detail,
	    "not TLS: 454 4.7.0"));
	assert_non_null(strstr(vp(r, TLS_V_TLS12)->result.reply.text, "\\r\\n"));
	assert_int_equal(vp(r, TLS_V_SSL2)->result.verdict,
	    TLS_VERDICT_NOT_TLS);
	assert_false(tls_verdict_rejected(TLS_VERDICT_NOT_TLS));
	tls_scan_free(scan);
	fake_stop(f);
}

static void
test_timeout(void **state)
{
	struct fake_cfg cfg = { .silent = true };
	struct tls_scan_params sp = { .timeout_ms = 200 };
	const struct tls_versions_result *r;
	struct fake_server *f;
	struct tls_scan *scan;
	struct tprov t;

	r = versions_against(*state, &cfg, VB(TLS_V_TLS12), &t, &f, &scan,
	    &sp);
	assert_int_equal(vp(r, TLS_V_TLS12)->result.verdict,
	    TLS_VERDICT_TIMEOUT);
	assert_non_null(strstr(vp(r, TLS_V_TLS12)->result.detail, "200 ms"));
	assert_true(vp(r, TLS_V_TLS12)->result.ms >= 150);
	tls_scan_free(scan);
	fake_stop(f);
}

/* Freeing a scan while its connection is being made cancels it. */
static void
stop_loop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

static void
never_done(struct tls_scan *s, void *arg)
{
	(void)s;
	(void)arg;
	fail_msg("done() after tls_scan_free()");
}

static void
test_free_midway(void **state)
{
	struct fake_cfg cfg = { .silent = true };
	struct fake_server *f = fake_start(*state, &cfg);
	struct tls_scan_params sp = { .timeout_ms = 5000 };
	struct timeval tv = { 0, 100000 };
	struct tls_scan *scan;
	struct tprov t;
	struct event *ev;
	int round;

	tprov_init(&t, *state, fake_port(f));
	/* round 0: freed while probing (connection in use); round 1:
	 * freed before the loop ran (request not even sent) */
	for (round = 0; round < 2; round++) {
		scan = tls_scan_versions(*state, &sp, 0, &t.prov, never_done,
		    NULL);
		if (round == 0) {
			ev = evtimer_new(*state, stop_loop_cb, *state);
			evtimer_add(ev, &tv);
			event_base_dispatch(*state);
			event_free(ev);
		}
		tls_scan_free(scan);
	}
	assert_int_equal(t.gets, 1);
	assert_int_equal(t.puts, 1);
	assert_int_equal(t.cancels, 0);
	/* and while the provider has the request */
	scan = tls_scan_versions(*state, &sp, 0, &t.prov, never_done, NULL);
	tv.tv_usec = 0;
	ev = evtimer_new(*state, stop_loop_cb, *state);
	evtimer_add(ev, &tv);
	event_base_loop(*state, EVLOOP_ONCE);
	event_free(ev);
	if (t.gets == 2) {
		tls_scan_free(scan);
		assert_int_equal(t.cancels, 1);
	} else
		tls_scan_free(scan);
	/* let a cancelled connect finish and be closed */
	tv.tv_usec = 100000;
	ev = evtimer_new(*state, stop_loop_cb, *state);
	evtimer_add(ev, &tv);
	event_base_dispatch(*state);
	event_free(ev);
	fake_stop(f);
}

/* One probe on its own, stopping at the ServerHello. */
struct one {
	struct event_base	*base;
	struct bufferevent	*bev;
	struct tls_probe	*p;
	struct tls_probe_result	 r;
	int			 calls;
};

static void
one_done(struct tls_probe *p, const struct tls_probe_result *res, void *arg)
{
	struct one *o = arg;

	(void)res;
	o->calls++;
	tls_probe_take_result(p, &o->r);
	tls_probe_free(p);	/* inside done: allowed */
	event_base_loopbreak(o->base);
}

static void
one_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct one *o = arg;
	static const uint16_t offer[] = { 0x0035, 0xc030 };
	struct tls_probe_params pp = {
		.version = TLS_V_TLS12, .suites = offer, .nsuites = 2,
		.sni = "mx.example.org", .timeout_ms = 5000,
	};
	const char *err = NULL;

	assert_true(what & BEV_EVENT_CONNECTED);
	o->p = tls_probe_start(o->base, bev, &pp, one_done, o, &err);
	assert_non_null(o->p);
	assert_int_equal(o->calls, 0);
}

static void
test_single_probe(void **state)
{
	static const uint16_t suites[] = { 0xc030, 0x0035 };
	struct fake_cfg cfg = {
		.versions = VB(TLS_V_TLS12), .suites = suites, .nsuites = 2,
	};
	struct fake_server *f = fake_start(*state, &cfg);
	struct one o = { .base = *state };
	struct tprov t;

	tprov_init(&t, *state, fake_port(f));
	o.bev = bufferevent_socket_new(*state, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(o.bev, NULL, NULL, one_event_cb, &o);
	assert_int_equal(bufferevent_socket_connect(o.bev,
	    (struct sockaddr *)&t.sin, sizeof(t.sin)), 0);
	run_loop(*state);
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.r.verdict, TLS_VERDICT_ACCEPTED);
	assert_int_equal(o.r.reply.suite, 0xc030);
	assert_int_equal(o.r.reply.kind, TLS_REPLY_HELLO);
	assert_false(o.r.suite_not_offered);
	assert_non_null(strstr(o.r.detail,
	    "accepted TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
	tls_probe_result_clear(&o.r);
	bufferevent_free(o.bev);
	fake_stop(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_versions_legacy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_versions_3des_only, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_versions_ssl2, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ciphers_server_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ciphers_client_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ciphers_choke, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ciphers_choke_known, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ciphers_export_ssl3, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ciphers_tls13_and_ssl2,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ciphers_candidates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_provider_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_connection_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_tls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_midway, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_single_probe, setup,
		    teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
