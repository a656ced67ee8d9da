/* probe_session: one SMTP session per address: greeting, EHLO, STARTTLS, TLS handshake, QUIT. */
#include "check/run.h"
#include "smtp/client.h"
#include "tls/handshake.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <event2/bufferevent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TEXT_MAX	2048	/* escaped server text kept per field */

struct session {
	struct run		*run;
	struct addr_result	*a;
	char			*host;		/* SNI and name check; NULL for literals */
	struct smtp_client	*client;
	struct tls_handshake	*hs;
	struct bufferevent	*tls_bev;	/* borrowed: the client owns it */
	STACK_OF(X509)		*chain;		/* as sent, owned */
	bool			 tls_done;
	bool			 started;
	bool			 finished;
};

static char *
esc(const char *s)
{
	return s ? str_escape(s, strlen(s), TEXT_MAX) : NULL;
}

/* esc_reply: reply text may hold NUL bytes: len is authoritative. */
static char *
esc_reply(const struct smtp_reply *r)
{
	return r->text ? str_escape(r->text, r->len, TEXT_MAX) : NULL;
}

static void
record_smtp(struct session *s)
{
	struct smtp_facts *f = &s->a->smtp;
	const struct smtp_client *c = s->client;
	const struct smtp_reply *g = smtp_client_greeting(c);
	const struct smtp_reply *e = smtp_client_ehlo_reply(c);
	const struct smtp_reply *st = smtp_client_starttls_reply(c);
	const struct smtp_reply *fr = smtp_client_failed_reply(c);
	const struct strvec *caps;
	size_t i;

	f->tried = true;
	f->connected = smtp_client_connected(c);
	if (g && g->code) {
		char *name = smtp_reply_domain(g);

		f->greeting_code = g->code;
		f->greeting = esc_reply(g);
		f->greeting_name = esc(name);
		f->greeting_ms = smtp_client_greeting_ms(c);
		free(name);
	}
	if (e && e->code)
		f->ehlo_code = e->code;
	if ((caps = smtp_client_caps(c)) != NULL)
		for (i = 0; i < caps->n; i++)
			strvec_add_owned(&f->capabilities, esc(caps->v[i]));
	if ((caps = smtp_client_caps_tls(c)) != NULL)
		for (i = 0; i < caps->n; i++)
			strvec_add_owned(&f->capabilities_tls, esc(caps->v[i]));
	/* After TLS the client's capabilities are the post-TLS ones, which
	 * never list STARTTLS: judge from the first EHLO. */
	f->starttls_offered = strvec_contains_ci(&f->capabilities, "STARTTLS");
	if (st && st->code) {
		f->starttls_code = st->code;
		f->starttls_reply = esc_reply(st);
	}
	if (smtp_client_fail(c) != SMTP_FAIL_NONE) {
		f->error_class = xstrdup(smtp_fail_name(smtp_client_fail(c)));
		f->error_step = xstrdup(smtp_step_name(smtp_client_step(c)));
		f->error_detail = esc(smtp_client_detail(c));
		if (fr && fr->code) {
			f->error_code = fr->code;
			if (f->error_detail == NULL || f->error_detail[0] == '\0') {
				char *t = esc_reply(fr);

				free(f->error_detail);
				f->error_detail = xasprintf("%d %s", fr->code,
				    t ? t : "");
				free(t);
			}
		}
	}
}

static void
session_start_next(struct run *run);

static void
on_done(struct smtp_client *c, void *arg)
{
	struct session *s = arg;
	struct run *run = s->run;

	record_smtp(s);
	smtp_client_free(c);
	s->client = NULL;
	s->tls_bev = NULL;
	s->finished = true;
	run->active_sessions--;
	session_start_next(run);
	probe_tls_start(run, s->a, s->host);
	run_release(run);
}

static void
on_ready(struct smtp_client *c, void *arg)
{
	struct session *s = arg;

	/* The post-TLS EHLO reply is in: tickets sent right after the
	 * handshake have been read by now. */
	if (s->tls_done && s->tls_bev != NULL && s->a->tls.version != NULL &&
	    strcmp(s->a->tls.version, "TLSv1.3") == 0) {
		s->a->tls.tickets_known = true;
		s->a->tls.tickets = tls_handshake_tickets(s->tls_bev);
	}
	if (!s->tls_done && s->a->mode == MODE_STARTTLS &&
	    smtp_client_has_cap(c, "STARTTLS"))
		smtp_client_starttls(c);
	else
		smtp_client_quit(c);
}

static void
copy_tls_info(struct session *s, const struct tls_handshake_info *info)
{
	struct tls_facts *t = &s->a->tls;
	int i;

	t->ok = info->ok;
	t->version = info->version ? xstrdup(info->version) : NULL;
	t->cipher = info->cipher ? xstrdup(info->cipher) : NULL;
	t->cipher_openssl = info->cipher_openssl ?
	    xstrdup(info->cipher_openssl) : NULL;
	t->bits = info->cipher_bits;
	t->group = info->group ? xstrdup(info->group) : NULL;
	if (!info->ok)
		t->error = esc(info->error ? info->error : "handshake failed");
	if (info->chain != NULL && sk_X509_num(info->chain) > 0) {
		s->chain = sk_X509_new_null();
		for (i = 0; i < sk_X509_num(info->chain); i++) {
			X509 *x = sk_X509_value(info->chain, i);

			X509_up_ref(x);
			sk_X509_push(s->chain, x);
		}
	}
}

static void
on_handshake(struct tls_handshake *h, const struct tls_handshake_info *info,
    void *arg)
{
	struct session *s = arg;

	copy_tls_info(s, info);
	if (info->ok) {
		s->tls_done = true;
		s->a->tls.tickets_early = info->tickets_early;
		s->tls_bev = tls_handshake_take_bev(h);
		smtp_client_tls_done(s->client, s->tls_bev);
	} else
		smtp_client_tls_failed(s->client, s->a->tls.error);
}

static void
on_tls_wanted(struct smtp_client *c, struct bufferevent *raw, void *arg)
{
	struct session *s = arg;
	struct tls_handshake_params p;
	const char *err = NULL;

	memset(&p, 0, sizeof(p));
	p.sni = s->host;
	p.timeout_ms = s->run->o->timeout_ms;
	p.insecure_all_versions = true;
	s->a->tls.tried = true;
	s->a->tls.sni = s->host ? xstrdup(s->host) : NULL;
	s->hs = tls_handshake_start(s->run->base, raw, &p, on_handshake, s, &err);
	if (s->hs == NULL) {
		s->a->tls.error = xstrdup(err ? err : "TLS set-up failed");
		smtp_client_tls_failed(c, s->a->tls.error);
	}
}

static void
session_start(struct session *s)
{
	static const struct smtp_client_cbs cbs = {
		.on_ready = on_ready,
		.on_tls_wanted = on_tls_wanted,
		.on_done = on_done,
	};
	struct smtp_client_params p;
	struct sockaddr_storage ss;
	const struct check_opts *o = s->run->o;

	memset(&p, 0, sizeof(p));
	p.salen = addr_to_sockaddr(&s->a->addr, s->a->port, &ss);
	p.sa = (struct sockaddr *)&ss;
	p.ehlo_name = o->ehlo_name;
	p.connect_timeout_ms = o->timeout_ms;
	p.reply_timeout_ms = o->timeout_ms;
	p.greeting_timeout_ms = o->greeting_timeout_ms;
	p.implicit_tls = s->a->mode == MODE_IMPLICIT_TLS;
	s->started = true;
	s->a->connections++;
	s->run->active_sessions++;
	run_progress(s->run, "connecting to %s port %d%s%s", s->a->address,
	    s->a->port, s->host ? " for " : "", s->host ? s->host : "");
	s->client = smtp_client_new(s->run->base, &p, &cbs, s);
	if (s->client == NULL) {
		/* Only an unusable EHLO name or address gets here. */
		s->a->smtp.tried = true;
		s->a->smtp.error_class = xstrdup("internal");
		s->a->smtp.error_step = xstrdup("connect");
		s->a->smtp.error_detail = xstrdup("cannot start an SMTP session (invalid EHLO name?)");
		s->finished = true;
		s->run->active_sessions--;
		run_release(s->run);
		return;
	}
	smtp_client_start(s->client);
}

static void
session_start_next(struct run *run)
{
	while (run->next_session < run->nsessions &&
	    run->active_sessions < run->o->max_sessions)
		session_start(run->sessions[run->next_session++]);
}

void
probe_session_queue(struct run *run, struct addr_result *a, const char *host)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->run = run;
	s->a = a;
	s->host = host ? xstrdup(host) : NULL;
	run->sessions = xreallocarray(run->sessions, run->nsessions + 1,
	    sizeof(*run->sessions));
	run->sessions[run->nsessions++] = s;
	run_hold(run);
}

void
probe_session_kick(struct run *run)
{
	session_start_next(run);
}

/* pool_of: every certificate of every chain, for incomplete-chain evidence. */
static STACK_OF(X509) *
pool_of(struct run *run)
{
	STACK_OF(X509) *pool = sk_X509_new_null();
	size_t i;
	int j;

	for (i = 0; i < run->nsessions; i++) {
		STACK_OF(X509) *c = run->sessions[i]->chain;

		for (j = 0; c != NULL && j < sk_X509_num(c); j++)
			sk_X509_push(pool, sk_X509_value(c, j));
	}
	return pool;
}

void
probe_session_finish(struct run *run)
{
	STACK_OF(X509) *pool = pool_of(run);
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < run->nsessions; i++) {
		struct session *s = run->sessions[i];

		if (s->chain != NULL && x509_analyze(run->trust, s->chain, pool,
		    s->host ? s->host : "", now, &s->a->tls.chain) == 0)
			s->a->tls.have_chain = true;
	}
	sk_X509_free(pool);	/* borrowed references only */
	for (i = 0; i < run->nsessions; i++) {
		struct session *s = run->sessions[i];

		smtp_client_free(s->client);
		tls_handshake_free(s->hs);
		if (s->chain)
			sk_X509_pop_free(s->chain, X509_free);
		free(s->host);
		free(s);
	}
	free(run->sessions);
	run->sessions = NULL;
	run->nsessions = 0;
}
