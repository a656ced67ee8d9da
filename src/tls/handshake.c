/* handshake: one OpenSSL client handshake over an existing bufferevent (after STARTTLS or for smtps). */
#include "tls/handshake.h"
#include "util/addr.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/util.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define HS_DEFAULT_TIMEOUT_MS	30000
#define HS_ERROR_MAX		1024	/* bytes of error text kept */
#define HS_INSECURE_CIPHERS	"ALL:!aNULL:@SECLEVEL=0"

enum hs_state {
	HS_RUNNING,
	HS_DONE
};

struct tls_handshake {
	enum hs_state		 state;
	struct bufferevent	*bev;		/* the filter; NULL once taken */
	struct bufferevent	*raw;		/* borrowed: valid while running */
	struct event		*timer;
	int			 timeout_ms;
	void			(*done)(struct tls_handshake *,
				    const struct tls_handshake_info *, void *);
	void			*arg;
	bool			 in_done;	/* inside done(): defer frees */
	bool			 free_pending;

	/* info's strings point to these, all owned */
	struct tls_handshake_info info;
	char			*version;
	char			*cipher;
	char			*cipher_openssl;
	char			*group;
	char			*error;
	char			 alert_text[64];	/* first alert read */
};

static void hs_destroy(struct tls_handshake *);
static int hs_new_session_cb(SSL *, SSL_SESSION *);

/*
 * Setup.
 */

/* A fresh client context per handshake: nothing is shared between
 * connections, and the SSL keeps its own reference, so the context is
 * released as soon as the SSL exists.  Verification is off here on
 * purpose: x509.h judges the chain, with better words than a failed
 * handshake would give. */
static SSL_CTX *
hs_ctx_new(const struct tls_handshake_params *params)
{
	SSL_CTX *ctx;

	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto err;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	/* A client cache only so that OpenSSL reports each ticket. */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
	    SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(ctx, hs_new_session_cb);
	if (!params->insecure_all_versions) {
		ERR_clear_error();
		if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
			goto err;
		return ctx;
	}
	/* Everything this OpenSSL can still speak, so that we learn what
	 * the server does.  Anonymous suites stay out: a server that takes
	 * one would hide its certificate from us, and no real mail client
	 * offers them. Servers without RFC 5746 are still talked to. */
	SSL_CTX_set_security_level(ctx, 0);
	ERR_clear_error();
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, 0) != 1)
		goto err;
	ERR_clear_error();
	if (SSL_CTX_set_cipher_list(ctx, HS_INSECURE_CIPHERS) != 1)
		goto err;
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
	return ctx;
err:
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return NULL;
}

/* The ticket count lives in the SSL itself (an integer in an ex_data
 * slot), so that it outlives this object and needs no freeing. */
static int
hs_ticket_index(void)
{
	static int idx = -2;

	if (idx == -2)
		idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	return idx;
}

/* Called by OpenSSL for each session it would cache: in TLS 1.3, one per
 * NewSessionTicket.  Returns 0: we keep no session. */
static int
hs_new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
	int idx = hs_ticket_index();
	intptr_t n;

	(void)sess;
	if (idx < 0 || SSL_version(ssl) != TLS1_3_VERSION)
		return 0;
	n = (intptr_t)SSL_get_ex_data(ssl, idx);
	(void)SSL_set_ex_data(ssl, idx, (void *)(n + 1));
	return 0;
}

int
tls_handshake_tickets(struct bufferevent *tls)
{
	SSL *ssl;
	int idx = hs_ticket_index();

	if (tls == NULL || idx < 0 ||
	    (ssl = bufferevent_openssl_get_ssl(tls)) == NULL)
		return 0;
	return (int)(intptr_t)SSL_get_ex_data(ssl, idx);
}

/* Records the first alert the peer sent; it names the reason when the
 * error queue does not (e.g. a server that refuses our versions). */
static void
hs_info_cb(const SSL *ssl, int where, int ret)
{
	struct tls_handshake *h = SSL_get_app_data(ssl);

	if (h == NULL || !(where & SSL_CB_READ_ALERT))
		return;
	if (h->info.alert_received != -1)
		return;
	h->info.alert_received = ret & 0xff;
	(void)snprintf(h->alert_text, sizeof(h->alert_text), "%s %s",
	    SSL_alert_type_string_long(ret), SSL_alert_desc_string_long(ret));
}

static SSL *
hs_ssl_new(struct tls_handshake *h, const struct tls_handshake_params *params)
{
	struct addr a;
	SSL_CTX *ctx;
	SSL *ssl;

	if ((ctx = hs_ctx_new(params)) == NULL)
		return NULL;
	ERR_clear_error();
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);
	if (ssl == NULL)
		goto err;
	/* RFC 6066 3: no IP literals in SNI. */
	if (params->sni != NULL && addr_parse(params->sni, &a) == -1) {
		ERR_clear_error();
		if (SSL_set_tlsext_host_name(ssl, params->sni) != 1)
			goto err;
	}
	SSL_set_app_data(ssl, h);
	SSL_set_info_callback(ssl, hs_info_cb);
	ERR_clear_error();
	return ssl;
err:
	ERR_clear_error();
	SSL_free(ssl);
	return NULL;
}

/* Detaches the SSL from h: after this no OpenSSL callback can reach h,
 * whoever frees the SSL and whenever. */
static void
hs_ssl_detach(struct bufferevent *bev)
{
	SSL *ssl;

	if (bev == NULL || (ssl = bufferevent_openssl_get_ssl(bev)) == NULL)
		return;
	SSL_set_info_callback(ssl, NULL);
	SSL_set_app_data(ssl, NULL);
}

/*
 * Results.
 */

static char *
hs_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* The key-exchange group: the TLS 1.3 (and, where OpenSSL records it,
 * 1.2) named group, else the server's ephemeral key: its curve, or
 * "DH <bits>" for finite-field DHE with server-chosen parameters.  NULL
 * for RSA key exchange. */
static char *
hs_group(SSL *ssl)
{
	EVP_PKEY *key = NULL;
	const char *name;
	char curve[80];
	char *group = NULL;
	int nid;

	ERR_clear_error();
	nid = SSL_get_negotiated_group(ssl);
	if (nid > 0 && (name = SSL_group_to_name(ssl, nid)) != NULL)
		return xstrdup(name);
	ERR_clear_error();
	if (SSL_get_peer_tmp_key(ssl, &key) != 1 || key == NULL)
		goto out;
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_DH:
	case EVP_PKEY_DHX:
		group = xasprintf("DH %d", EVP_PKEY_get_bits(key));
		break;
	case EVP_PKEY_EC:
		if (EVP_PKEY_get_group_name(key, curve, sizeof(curve),
		    NULL) != 1)
			break;
		nid = OBJ_sn2nid(curve);
		name = nid != NID_undef ? SSL_group_to_name(ssl, nid) : NULL;
		group = xstrdup(name != NULL ? name : curve);
		break;
	default:
		name = EVP_PKEY_get0_type_name(key);
		group = hs_dup(name);
		break;
	}
out:
	EVP_PKEY_free(key);
	ERR_clear_error();
	return group;
}

/* The chain as sent, leaf first (for a client OpenSSL's peer chain does
 * include the leaf); never NULL: empty if the server sent none. */
static STACK_OF(X509) *
hs_chain(SSL *ssl)
{
	STACK_OF(X509) *sent, *copy = NULL;

	ERR_clear_error();
	if ((sent = SSL_get_peer_cert_chain(ssl)) != NULL)
		copy = X509_chain_up_ref(sent);
	if (copy == NULL)
		copy = sk_X509_new_null();
	ERR_clear_error();
	return copy;
}

static void
hs_fill_success(struct tls_handshake *h)
{
	const SSL_CIPHER *c;
	SSL *ssl = bufferevent_openssl_get_ssl(h->bev);

	h->info.ok = true;
	h->version = hs_dup(SSL_get_version(ssl));
	if ((c = SSL_get_current_cipher(ssl)) != NULL) {
		h->cipher = hs_dup(SSL_CIPHER_standard_name(c));
		h->cipher_openssl = hs_dup(SSL_CIPHER_get_name(c));
		h->info.cipher_bits = SSL_CIPHER_get_bits(c, NULL);
	}
	h->group = hs_group(ssl);
	h->info.chain = hs_chain(ssl);
	if (h->info.chain == NULL)
		abort();	/* out of memory, as xalloc would */
	/* Our Finished is still in raw's output at this point: anything
	 * already read beyond the server's Finished was sent before it. */
	h->info.tickets_early = SSL_version(ssl) == TLS1_3_VERSION &&
	    (tls_handshake_tickets(h->bev) > 0 || (h->raw != NULL &&
	    evbuffer_get_length(bufferevent_get_input(h->raw)) > 0));
	h->error = xstrdup("");
}

/* OpenSSL's reasons, oldest first, as libevent kept them (it drains the
 * thread's queue into the bufferevent, newest popped first). */
static void
hs_add_openssl_errors(struct bufferevent *bev, struct buf *b)
{
	unsigned long e[8];
	char text[256];
	const char *reason;
	int i, n = 0;

	while (n < (int)(sizeof(e) / sizeof(e[0])) &&
	    (e[n] = bufferevent_get_openssl_error(bev)) != 0)
		n++;
	for (i = n - 1; i >= 0; i--) {
		/* libevent 2.1 also files SSL_get_error()'s result (1, 5)
		 * as an "error": no library, no reason; skip it. */
		if (ERR_GET_LIB(e[i]) == 0)
			continue;
		if ((reason = ERR_reason_error_string(e[i])) == NULL) {
			ERR_error_string_n(e[i], text, sizeof(text));
			reason = text;
		}
		if (strstr(buf_str(b), reason) != NULL)
			continue;	/* said already */
		if (buf_len(b) > 0)
			(void)buf_adds(b, "; ");
		(void)buf_adds(b, reason);
	}
}

static void
hs_fill_failure(struct tls_handshake *h, short what, struct buf *b)
{
	int serr;

	if (h->bev != NULL)
		hs_add_openssl_errors(h->bev, b);
	if (buf_len(b) == 0 && (what & BEV_EVENT_EOF))
		(void)buf_adds(b, "unexpected eof while reading "
		    "(connection closed by peer)");
	if (buf_len(b) == 0 && (what & BEV_EVENT_ERROR)) {
		serr = EVUTIL_SOCKET_ERROR();
		if (serr != 0)
			(void)buf_printf(b, "connection error: %s",
			    evutil_socket_error_to_string(serr));
		else
			(void)buf_adds(b, "connection error");
	}
	if (h->info.alert_received != -1 &&
	    strstr(buf_str(b), SSL_alert_desc_string_long(
	    h->info.alert_received)) == NULL) {
		if (buf_len(b) > 0)
			(void)buf_adds(b, "; ");
		(void)buf_printf(b, "received %s", h->alert_text);
	}
	if (buf_len(b) == 0)
		(void)buf_adds(b, "handshake failed");
}

/* Ends the handshake: stops the timer and the filter's callbacks to us,
 * calls done() once, then performs a free requested inside done(). */
static void
hs_finish(struct tls_handshake *h)
{
	h->state = HS_DONE;
	h->raw = NULL;
	if (h->timer != NULL)
		evtimer_del(h->timer);
	if (!h->info.ok && h->bev != NULL) {
		bufferevent_setcb(h->bev, NULL, NULL, NULL, NULL);
		hs_ssl_detach(h->bev);
	}
	h->info.version = h->version;
	h->info.cipher = h->cipher;
	h->info.cipher_openssl = h->cipher_openssl;
	h->info.group = h->group;
	h->info.error = h->error;

	h->in_done = true;
	h->done(h, &h->info, h->arg);
	h->in_done = false;
	if (h->free_pending)
		hs_destroy(h);
}

static void
hs_fail(struct tls_handshake *h, short what, const char *why)
{
	struct buf *b = buf_new(HS_ERROR_MAX);

	h->info.ok = false;
	if (why != NULL)
		(void)buf_adds(b, why);
	else
		hs_fill_failure(h, what, b);
	h->error = buf_steal(b);
	buf_free(b);
	hs_finish(h);
}

static void
hs_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct tls_handshake *h = arg;

	if (h->state != HS_RUNNING)
		return;
	if (what & BEV_EVENT_CONNECTED) {
		hs_fill_success(h);
		hs_finish(h);
	} else
		hs_fail(h, what, NULL);
}

static void
hs_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tls_handshake *h = arg;
	char why[64];

	if (h->state != HS_RUNNING)
		return;
	(void)snprintf(why, sizeof(why), "handshake timed out after %d ms",
	    h->timeout_ms);
	hs_fail(h, 0, why);
}

/*
 * The filter.
 */

/*
 * libevent does not free the SSL of a filter without BEV_OPT_CLOSE_ON_FREE,
 * and has no hook to do it after the filter's (deferred) finalisation, so
 * the filter gets CLOSE_ON_FREE and thus owns the SSL: whoever holds the
 * filter can simply free it.  CLOSE_ON_FREE also makes the filter call
 * bufferevent_free(raw) once; the extra reference taken here is the one
 * that call drops, so raw stays alive until its owner frees it, in any
 * order.
 *
 * libevent 2.1.9 and later start the handshake from the loop, not inside
 * bufferevent_openssl_filter_new(), so bytes already in raw's input are
 * simply the server's first TLS bytes and done() is never called from
 * here (test_handshake checks both).
 */
static struct bufferevent *
hs_filter_new(struct event_base *base, struct bufferevent *raw, SSL *ssl)
{
	struct bufferevent *bev;

	bufferevent_incref(raw);
	ERR_clear_error();
	bev = bufferevent_openssl_filter_new(base, raw, ssl,
	    BUFFEREVENT_SSL_CONNECTING,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	ERR_clear_error();
	/* NULL means out of memory; libevent may or may not have taken the
	 * SSL and the extra reference by then: a leak is the safe side of
	 * that doubt. */
	return bev;
}

struct tls_handshake *
tls_handshake_start(struct event_base *base, struct bufferevent *raw,
    const struct tls_handshake_params *params,
    void (*done)(struct tls_handshake *, const struct tls_handshake_info *,
    void *), void *arg, const char **err)
{
	struct tls_handshake *h;
	struct timeval tv;
	const char *ignored;
	SSL *ssl;

	if (err == NULL)
		err = &ignored;
	if (base == NULL || raw == NULL || params == NULL || done == NULL) {
		*err = "tls_handshake_start: missing argument";
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->state = HS_RUNNING;
	h->done = done;
	h->arg = arg;
	h->info.alert_received = -1;
	h->raw = raw;
	h->timeout_ms = params->timeout_ms > 0 ? params->timeout_ms :
	    HS_DEFAULT_TIMEOUT_MS;

	if ((h->timer = evtimer_new(base, hs_timeout_cb, h)) == NULL) {
		*err = "cannot create the handshake timer";
		goto err;
	}
	if ((ssl = hs_ssl_new(h, params)) == NULL) {
		*err = "cannot set up OpenSSL for the handshake";
		goto err;
	}
	if ((h->bev = hs_filter_new(base, raw, ssl)) == NULL) {
		SSL_set_info_callback(ssl, NULL);
		SSL_set_app_data(ssl, NULL);
		*err = "cannot create the TLS bufferevent";
		goto err;
	}
	/* Reading is on from the start, so that data sent right after the
	 * server's last flight is buffered for whoever takes the filter. */
	bufferevent_setcb(h->bev, NULL, NULL, hs_event_cb, h);
	(void)bufferevent_enable(h->bev, EV_READ | EV_WRITE);
	bufferevent_openssl_set_allow_dirty_shutdown(h->bev, 1);

	tv.tv_sec = h->timeout_ms / 1000;
	tv.tv_usec = (h->timeout_ms % 1000) * 1000;
	if (evtimer_add(h->timer, &tv) == -1) {
		*err = "cannot arm the handshake timer";
		goto err;
	}
	return h;
err:
	hs_destroy(h);
	return NULL;
}

struct bufferevent *
tls_handshake_take_bev(struct tls_handshake *h)
{
	struct bufferevent *bev;

	if (h == NULL || h->state != HS_DONE || !h->info.ok || h->bev == NULL)
		return NULL;
	bev = h->bev;
	h->bev = NULL;
	hs_ssl_detach(bev);
	bufferevent_setcb(bev, NULL, NULL, NULL, NULL);
	/* allow_dirty_shutdown only served to tell an EOF from an error
	 * during the handshake: hand over libevent's default. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 0);
	return bev;
}

static void
hs_destroy(struct tls_handshake *h)
{
	if (h->timer != NULL)
		event_free(h->timer);
	if (h->bev != NULL) {
		bufferevent_setcb(h->bev, NULL, NULL, NULL, NULL);
		hs_ssl_detach(h->bev);
		bufferevent_free(h->bev);
	}
	if (h->info.chain != NULL)
		sk_X509_pop_free(h->info.chain, X509_free);
	free(h->version);
	free(h->cipher);
	free(h->cipher_openssl);
	free(h->group);
	free(h->error);
	free(h);
}

void
tls_handshake_free(struct tls_handshake *h)
{
	if (h == NULL)
		return;
	if (h->in_done) {
		h->free_pending = true;
		return;
	}
	hs_destroy(h);
}
