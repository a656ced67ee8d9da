/* harness: server flights crafted from the RFC structures, a scripted fake TLS server and a connection provider, for the probe tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cmocka.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "harness.h"

/*
 * Bytes.
 */

void
tb_free(struct tbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void
tb_put(struct tbuf *b, const void *data, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	if (n > 0)
		memcpy(b->p + b->n, data, n);
	b->n += n;
}

void
tb_u8(struct tbuf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	tb_put(b, &c, 1);
}

void
tb_u16(struct tbuf *b, unsigned v)
{
	tb_u8(b, v >> 8);
	tb_u8(b, v);
}

void
tb_u24(struct tbuf *b, size_t v)
{
	tb_u8(b, (unsigned)(v >> 16));
	tb_u16(b, (unsigned)(v & 0xffff));
}

size_t
tb_open(struct tbuf *b, size_t lenbytes)
{
	static const unsigned char zero[3];
	size_t at = b->n;

	tb_put(b, zero, lenbytes);
	return at;
}

void
tb_close(struct tbuf *b, size_t at, size_t lenbytes)
{
	size_t len = b->n - at - lenbytes, i;

	for (i = 0; i < lenbytes; i++)
		b->p[at + i] = (unsigned char)(len >> (8 * (lenbytes - 1 - i)));
}

/*
 * Flights.
 */

static const unsigned char hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
	0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
	0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
};

void
fl_server_hello(struct tbuf *hs, const struct sh_spec *sh)
{
	unsigned char random[32];
	size_t msg, ext, e;

	memset(random, 0x5a, sizeof(random));
	if (sh->hrr)
		memcpy(random, hrr_random, 32);
	if (sh->downgrade)
		memcpy(random + 24, "DOWNGRD\x01", 8);
	tb_u8(hs, 2);
	msg = tb_open(hs, 3);
	tb_u16(hs, sh->version);
	tb_put(hs, random, 32);
	tb_u8(hs, 32);			/* session id, echoed */
	tb_put(hs, random, 32);
	tb_u16(hs, sh->suite);
	tb_u8(hs, 0);			/* null compression */
	if (!sh->no_ext) {
		ext = tb_open(hs, 2);
		if (sh->sv != 0) {
			tb_u16(hs, 0x002b);
			tb_u16(hs, 2);
			tb_u16(hs, sh->sv);
		}
		if (sh->key_share != 0) {
			tb_u16(hs, 0x0033);
			e = tb_open(hs, 2);
			tb_u16(hs, sh->key_share);
			if (!sh->hrr) {
				tb_u16(hs, 32);
				tb_put(hs, random, 32);
			}
			tb_close(hs, e, 2);
		}
		if (sh->reneg) {
			tb_u16(hs, 0xff01);
			tb_u16(hs, 1);
			tb_u8(hs, 0);
		}
		if (sh->ems) {
			tb_u16(hs, 0x0017);
			tb_u16(hs, 0);
		}
		tb_close(hs, ext, 2);
	}
	tb_close(hs, msg, 3);
}

/* Certificates are opaque to the parser: filler DER-ish bytes do. */
void
fl_certificate(struct tbuf *hs, size_t ncerts, size_t certlen)
{
	size_t msg, list, i, k;

	tb_u8(hs, 11);
	msg = tb_open(hs, 3);
	list = tb_open(hs, 3);
	for (i = 0; i < ncerts; i++) {
		tb_u24(hs, certlen);
		tb_u8(hs, 0x30);
		for (k = 1; k < certlen; k++)
			tb_u8(hs, (unsigned)(i + k));
	}
	tb_close(hs, list, 3);
	tb_close(hs, msg, 3);
}

static void
put_bignum(struct tbuf *hs, int bits, bool leading_zero)
{
	size_t n = (size_t)(bits + 7) / 8, i;

	tb_u16(hs, (unsigned)(n + leading_zero));
	if (leading_zero)
		tb_u8(hs, 0);
	tb_u8(hs, 0x80 >> ((8 - bits % 8) % 8));	/* top bit set */
	for (i = 1; i < n; i++)
		tb_u8(hs, 0xa5);
}

void
fl_ske_dhe(struct tbuf *hs, int bits)
{
	size_t msg;

	tb_u8(hs, 12);
	msg = tb_open(hs, 3);
	put_bignum(hs, bits, true);	/* p, with a leading zero byte */
	tb_u16(hs, 1);			/* g */
	tb_u8(hs, 2);
	put_bignum(hs, bits, false);	/* Ys */
	tb_u16(hs, 0x0401);		/* signature: sha256/rsa */
	tb_u16(hs, 4);
	tb_put(hs, "sign", 4);
	tb_close(hs, msg, 3);
}

void
fl_ske_ecdhe(struct tbuf *hs, uint16_t group)
{
	size_t msg;

	tb_u8(hs, 12);
	msg = tb_open(hs, 3);
	tb_u8(hs, 3);			/* named_curve */
	tb_u16(hs, group);
	tb_u8(hs, 65);
	tb_u8(hs, 4);
	while (hs->n < msg + 3 + 4 + 65)
		tb_u8(hs, 0x11);
	tb_u16(hs, 0x0401);
	tb_u16(hs, 4);
	tb_put(hs, "sign", 4);
	tb_close(hs, msg, 3);
}

void
fl_ske_rsa_export(struct tbuf *hs, int bits)
{
	size_t msg;

	tb_u8(hs, 12);
	msg = tb_open(hs, 3);
	put_bignum(hs, bits, false);	/* modulus */
	tb_u16(hs, 3);			/* exponent */
	tb_u8(hs, 1);
	tb_u8(hs, 0);
	tb_u8(hs, 1);
	tb_u16(hs, 4);
	tb_put(hs, "sign", 4);
	tb_close(hs, msg, 3);
}

void
fl_hello_done(struct tbuf *hs)
{
	tb_u8(hs, 14);
	tb_u24(hs, 0);
}

void
fl_records(struct tbuf *out, unsigned type, uint16_t version,
    const unsigned char *data, size_t len, size_t frag)
{
	size_t at = 0, n;

	if (frag == 0)
		frag = 16384;
	while (at < len) {
		n = len - at < frag ? len - at : frag;
		tb_u8(out, type);
		tb_u16(out, version);
		tb_u16(out, (unsigned)n);
		tb_put(out, data + at, n);
		at += n;
	}
}

void
fl_alert(struct tbuf *out, uint16_t version, int level, int desc)
{
	unsigned char a[2] = { (unsigned char)level, (unsigned char)desc };

	fl_records(out, 21, version, a, 2, 0);
}

void
fl_ssl2_server_hello(struct tbuf *out, const uint32_t *kinds, size_t n,
    size_t certlen)
{
	size_t len = 11 + certlen + 3 * n + 16, i;

	tb_u8(out, 0x80 | (unsigned)(len >> 8));
	tb_u8(out, (unsigned)(len & 0xff));
	tb_u8(out, 4);			/* SERVER-HELLO */
	tb_u8(out, 0);			/* session id hit */
	tb_u8(out, 1);			/* X.509 */
	tb_u16(out, 0x0002);
	tb_u16(out, (unsigned)certlen);
	tb_u16(out, (unsigned)(3 * n));
	tb_u16(out, 16);		/* connection id */
	for (i = 0; i < certlen; i++)
		tb_u8(out, i == 0 ? 0x30 : (unsigned)i);
	for (i = 0; i < n; i++) {
		tb_u8(out, (unsigned)(kinds[i] >> 16));
		tb_u16(out, (unsigned)(kinds[i] & 0xffff));
	}
	for (i = 0; i < 16; i++)
		tb_u8(out, (unsigned)i);
}

void
fl_ssl2_error(struct tbuf *out, int code)
{
	tb_u8(out, 0x80);
	tb_u8(out, 3);
	tb_u8(out, 0);
	tb_u16(out, (unsigned)code);
}

/*
 * The fake server.
 */

struct fake_server {
	struct event_base	*base;
	struct evconnlistener	*lis;
	struct fake_cfg		 cfg;
	uint16_t		 port;
	int			 connections;
	struct fconn		*conns;
};

struct fconn {
	struct fake_server	*f;
	struct bufferevent	*bev;
	struct tbuf		 in;
	bool			 answered;
	struct fconn		*next;
};

/* What the ClientHello said. */
struct chello {
	bool		 ssl2;
	uint16_t	 version;
	uint16_t	 suites[1024];
	size_t		 nsuites;
	uint32_t	 kinds[512];
	size_t		 nkinds;
	bool		 tls13;		/* supported_versions lists 0x0304 */
};

static void
fconn_free(struct fconn *c)
{
	struct fconn **pp;

	for (pp = &c->f->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	bufferevent_free(c->bev);
	tb_free(&c->in);
	free(c);
}

static unsigned
get16(const unsigned char *p)
{
	return ((unsigned)p[0] << 8) | p[1];
}

static void
parse_ext_versions(const unsigned char *p, size_t len, struct chello *h)
{
	size_t at = 0, elen, k;
	unsigned type;

	while (at + 4 <= len) {
		type = get16(p + at);
		elen = get16(p + at + 2);
		at += 4;
		if (at + elen > len)
			return;
		if (type == 0x002b)
			for (k = 1; k + 1 < elen; k += 2)
				if (get16(p + at + k) == 0x0304)
					h->tls13 = true;
		at += elen;
	}
}

/* Returns 1 with *h filled once a whole hello is in, 0 to wait. */
static int
parse_hello(const struct tbuf *in, struct chello *h)
{
	const unsigned char *p = in->p;
	size_t len, at, n, k;

	memset(h, 0, sizeof(*h));
	if (in->n < 2)
		return 0;
	if (p[0] & 0x80) {
		len = ((size_t)(p[0] & 0x7f) << 8) | p[1];
		if (in->n < 2 + len)
			return 0;
		h->ssl2 = true;
		h->version = (uint16_t)get16(p + 3);
		n = get16(p + 5) / 3;
		for (k = 0; k < n && k < 512; k++)
			h->kinds[k] = ((uint32_t)p[11 + 3 * k] << 16) |
			    get16(p + 12 + 3 * k);
		h->nkinds = k;
		h->nsuites = n;
		return 1;
	}
	if (in->n < 5 || in->n < 5 + get16(p + 3))
		return 0;
	at = 9;
	h->version = (uint16_t)get16(p + at);
	at += 2 + 32;
	at += 1 + p[at];
	n = get16(p + at) / 2;
	for (k = 0; k < n && k < 1024; k++)
		h->suites[k] = (uint16_t)get16(p + at + 2 + 2 * k);
	h->nsuites = k;
	at += 2 + 2 * n;
	at += 1 + p[at];
	if (at + 2 <= in->n)
		parse_ext_versions(p + at + 2, get16(p + at), h);
	return 1;
}

static bool
has16(const uint16_t *v, size_t n, uint16_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* The suite a real server would choose, or 0. */
static uint16_t
choose_suite(const struct fake_cfg *cfg, const struct chello *h, uint16_t v)
{
	const struct tls_suite *s;
	size_t i;

	if (cfg->client_order) {
		for (i = 0; i < h->nsuites; i++) {
			s = tls_suite_by_code(h->suites[i]);
			if (s != NULL && tls_suite_usable(s, v) &&
			    has16(cfg->suites, cfg->nsuites, h->suites[i]))
				return h->suites[i];
		}
		return 0;
	}
	for (i = 0; i < cfg->nsuites; i++) {
		s = tls_suite_by_code(cfg->suites[i]);
		if (s != NULL && tls_suite_usable(s, v) &&
		    has16(h->suites, h->nsuites, cfg->suites[i]))
			return cfg->suites[i];
	}
	return 0;
}

static void
answer_ssl2(struct fake_server *f, const struct chello *h, struct tbuf *out)
{
	uint32_t common[64];
	size_t n = 0, i, k;

	if (!(f->cfg.versions & tls_version_bit(TLS_V_SSL2)))
		return;		/* close without a word */
	for (i = 0; i < f->cfg.nssl2 && n < 64; i++)
		for (k = 0; k < h->nkinds; k++)
			if (h->kinds[k] == f->cfg.ssl2_kinds[i])
				common[n++] = f->cfg.ssl2_kinds[i];
	if (n == 0)
		fl_ssl2_error(out, 1);
	else
		fl_ssl2_server_hello(out, common, n, 200);
}

static void
answer_tls13(struct fake_server *f, const struct chello *h, struct tbuf *out)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .sv = TLS_V_TLS13,
	    .key_share = 0x001d };
	struct tbuf hs = { 0 };
	static const unsigned char ccs = 1;

	if ((sh.suite = choose_suite(&f->cfg, h, TLS_V_TLS13)) == 0) {
		fl_alert(out, TLS_V_TLS12, 2, 40);
		return;
	}
	fl_server_hello(&hs, &sh);
	fl_records(out, 22, TLS_V_TLS12, hs.p, hs.n, f->cfg.frag);
	fl_records(out, 20, TLS_V_TLS12, &ccs, 1, 0);
	tb_free(&hs);
}

static void
answer_tls(struct fake_server *f, const struct chello *h, struct tbuf *out)
{
	struct sh_spec sh = { 0 };
	struct tbuf hs = { 0 };
	const struct tls_suite *s;
	int vi;

	if (h->tls13 && (f->cfg.versions & tls_version_bit(TLS_V_TLS13))) {
		answer_tls13(f, h, out);
		return;
	}
	/* the highest version it speaks up to the client's */
	for (vi = tls_version_index(TLS_V_TLS12); vi >= 1; vi--)
		if ((f->cfg.versions & (1u << vi)) &&
		    tls_version_at(vi) <= h->version)
			break;
	if (vi < 1 || h->tls13) {
		fl_alert(out, TLS_V_TLS10, 2, 70);
		return;
	}
	sh.version = tls_version_at(vi);
	if ((sh.suite = choose_suite(&f->cfg, h, sh.version)) == 0) {
		fl_alert(out, sh.version, 2, 40);
		return;
	}
	sh.no_ext = sh.version == TLS_V_SSL3;
	sh.reneg = sh.ems = !sh.no_ext;
	fl_server_hello(&hs, &sh);
	s = tls_suite_by_code(sh.suite);
	if (strcmp(s->auth, "anon") != 0)
		fl_certificate(&hs, 2, 300);
	if (strcmp(s->kx, "DHE") == 0)
		fl_ske_dhe(&hs, f->cfg.dh_bits > 0 ? f->cfg.dh_bits : 2048);
	else if (strcmp(s->kx, "ECDHE") == 0)
		fl_ske_ecdhe(&hs, 0x0017);
	else if (strcmp(s->kx, "RSA_EXPORT") == 0)
		fl_ske_rsa_export(&hs, 512);
	fl_hello_done(&hs);
	fl_records(out, 22, sh.version, hs.p, hs.n, f->cfg.frag);
	tb_free(&hs);
}

static void
fconn_write_cb(struct bufferevent *bev, void *arg)
{
	struct fconn *c = arg;

	(void)bev;
	if (c->answered)
		fconn_free(c);		/* flushed: close */
}

static void
fconn_answer(struct fconn *c, const struct chello *h)
{
	struct fake_server *f = c->f;
	struct tbuf out = { 0 };

	c->answered = true;
	if (f->cfg.plaintext != NULL)
		tb_put(&out, f->cfg.plaintext, strlen(f->cfg.plaintext));
	else if (f->cfg.choke_over > 0 && h->nsuites > f->cfg.choke_over) {
		if (f->cfg.choke_alert)	/* chokes: an alert, or a close */
			fl_alert(&out, TLS_V_TLS12, 2, 40);
	}
	else if (h->ssl2)
		answer_ssl2(f, h, &out);
	else
		answer_tls(f, h, &out);
	if (out.n == 0) {
		fconn_free(c);
		return;
	}
	bufferevent_write(c->bev, out.p, out.n);
	tb_free(&out);
}

static void
fconn_read_cb(struct bufferevent *bev, void *arg)
{
	struct fconn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	unsigned char chunk[4096];
	struct chello *h;
	int n;

	while ((n = evbuffer_remove(in, chunk, sizeof(chunk))) > 0)
		if (!c->answered)
			tb_put(&c->in, chunk, (size_t)n);
	if (c->answered || c->f->cfg.silent)
		return;
	h = calloc(1, sizeof(*h));
	assert_non_null(h);
	if (parse_hello(&c->in, h) == 1)
		fconn_answer(c, h);
	free(h);
}

static void
fconn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		fconn_free(arg);
}

static void
fake_accept_cb(struct evconnlistener *lis, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct fake_server *f = arg;
	struct fconn *c = calloc(1, sizeof(*c));

	(void)lis; (void)sa; (void)salen;
	assert_non_null(c);
	c->f = f;
	c->bev = bufferevent_socket_new(f->base, fd, BEV_OPT_CLOSE_ON_FREE);
	assert_non_null(c->bev);
	bufferevent_setcb(c->bev, fconn_read_cb, fconn_write_cb,
	    fconn_event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->next = f->conns;
	f->conns = c;
	f->connections++;
}

struct fake_server *
fake_start(struct event_base *base, const struct fake_cfg *cfg)
{
	struct fake_server *f = calloc(1, sizeof(*f));
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	assert_non_null(f);
	f->base = base;
	f->cfg = *cfg;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->lis = evconnlistener_new_bind(base, fake_accept_cb, f,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1,
	    (struct sockaddr *)&sin, sizeof(sin));
	assert_non_null(f->lis);
	assert_int_equal(getsockname(evconnlistener_get_fd(f->lis),
	    (struct sockaddr *)&sin, &len), 0);
	f->port = ntohs(sin.sin_port);
	return f;
}

uint16_t
fake_port(const struct fake_server *f)
{
	return f->port;
}

int
fake_connections(const struct fake_server *f)
{
	return f->connections;
}

void
fake_stop(struct fake_server *f)
{
	while (f->conns != NULL)
		fconn_free(f->conns);
	evconnlistener_free(f->lis);
	free(f);
}

/*
 * The provider.
 */

struct pending {
	struct tprov		*t;
	struct tls_conn_req	*req;
	struct bufferevent	*bev;
	bool			 cancelled;
};

static struct pending *pending_one;	/* the tests run one scan at a time */

static void
prov_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct pending *p = arg;

	bufferevent_setcb(bev, NULL, NULL, NULL, NULL);
	if (pending_one == p)
		pending_one = NULL;
	if (p->cancelled) {
		bufferevent_free(bev);
	} else if (what & BEV_EVENT_CONNECTED) {
		tls_conn_ready(p->req, bev, p->t);
	} else {
		bufferevent_free(bev);
		tls_conn_failed(p->req, "connect failed");
	}
	free(p);
}

static void
prov_get(struct tls_conn_req *req, void *arg)
{
	struct tprov *t = arg;
	struct pending *p;

	t->gets++;
	if (t->fail_after > 0 && t->gets > t->fail_after) {
		tls_conn_failed(req, "421 4.7.0 too many connections");
		return;
	}
	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->t = t;
	p->req = req;
	p->bev = bufferevent_socket_new(t->base, -1, BEV_OPT_CLOSE_ON_FREE);
	assert_non_null(p->bev);
	bufferevent_setcb(p->bev, NULL, NULL, prov_event_cb, p);
	pending_one = p;
	assert_int_equal(bufferevent_socket_connect(p->bev,
	    (struct sockaddr *)&t->sin, sizeof(t->sin)), 0);
}

static void
prov_put(struct bufferevent *bev, void *conn_arg, void *arg)
{
	struct tprov *t = arg;

	assert_ptr_equal(conn_arg, t);
	t->puts++;
	bufferevent_free(bev);
}

static void
prov_cancel(struct tls_conn_req *req, void *arg)
{
	struct tprov *t = arg;

	t->cancels++;
	if (pending_one != NULL && pending_one->req == req)
		pending_one->cancelled = true;
}

void
tprov_init(struct tprov *t, struct event_base *base, uint16_t port)
{
	memset(t, 0, sizeof(*t));
	t->base = base;
	t->sin.sin_family = AF_INET;
	t->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	t->sin.sin_port = htons(port);
	t->prov.get = prov_get;
	t->prov.put = prov_put;
	t->prov.cancel = prov_cancel;
	t->prov.arg = t;
}

static void
loop_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	fail_msg("the scan did not finish within 60 s");
}

void
scan_done_break(struct tls_scan *s, void *arg)
{
	(void)s;
	event_base_loopbreak(arg);
}

void
run_loop(struct event_base *base)
{
	struct timeval tv = { 60, 0 };
	struct event *t = evtimer_new(base, loop_timeout_cb, NULL);

	evtimer_add(t, &tv);
	event_base_dispatch(base);
	event_free(t);
}
