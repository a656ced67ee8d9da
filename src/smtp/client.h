/* client: SMTP client state machine over libevent: connect, greeting, EHLO, STARTTLS, QUIT. */
#ifndef MXD_SMTP_CLIENT_H
#define MXD_SMTP_CLIENT_H

/*
 * One session, one command at a time: nothing is sent before the complete
 * (possibly multi-line) greeting, and no command before the full reply to
 * the previous one (no pipelining).  Every phase has a deadline, so every
 * session ends with on_done.  Lines end at LF (a CR before it is dropped)
 * and are capped by SMTP_LINE_MAX, replies by SMTP_LINES_MAX, the whole
 * session by SMTP_SESSION_MAX bytes read: going over is SMTP_FAIL_PROTO.
 * Bytes the server sends before we sent a command are not an error here:
 * they are read as (the start of) the reply to our next command.
 *
 * Bufferevent ownership:
 *  - The client creates raw (BEV_OPT_CLOSE_ON_FREE) and frees it, exactly
 *    once, always: the caller never frees raw.
 *  - on_tls_wanted lends raw with the client's callbacks removed; the
 *    caller wraps it in a filter in one of two ways:
 *    a) bufferevent_openssl_filter_new(base, raw, ssl,
 *       BUFFEREVENT_SSL_CONNECTING, 0), WITHOUT BEV_OPT_CLOSE_ON_FREE.
 *       libevent then never frees the SSL: the caller frees it after
 *       on_done (it must stay valid until then).
 *    b) bufferevent_incref(raw), then the filter WITH
 *       BEV_OPT_CLOSE_ON_FREE (tls/handshake.c does this).  Freeing the
 *       filter then frees the SSL and calls bufferevent_free(raw) once,
 *       which drops exactly that extra reference.
 *    CLOSE_ON_FREE without the incref frees raw twice: never do that.
 *  - smtp_client_tls_done(c, tls) gives the filter to the client, which
 *    frees it (before raw) when the session ends.
 *  - After smtp_client_tls_failed(), or when on_done comes while a
 *    handshake is still running (the client's TLS deadline), the filter
 *    stays the caller's to free; libevent's reference counting makes
 *    either order of freeing it and raw safe.
 * The session's bufferevents are freed (the socket closed) before on_done
 * is called.
 *
 * Writes go through libevent (writev), which raises SIGPIPE if the peer
 * has reset the connection: the program must ignore SIGPIPE.
 */

#include <stdbool.h>
#include <sys/socket.h>

#include "smtp/reply.h"

struct event_base;
struct bufferevent;
struct strvec;
struct smtp_client;

/* Failure classes, as OpenSMTPD's smtp client has them. */
enum smtp_fail {
	SMTP_FAIL_NONE = 0,
	SMTP_FAIL_CONN,		/* connect refused/unreachable/reset */
	SMTP_FAIL_TIMEOUT,	/* connect, greeting or reply deadline passed */
	SMTP_FAIL_CLOSED,	/* peer closed the connection unexpectedly */
	SMTP_FAIL_PROTO,	/* malformed reply, line or count cap exceeded,
				 * or a reply code out of place (kept in
				 * failed_reply, e.g. 250 as a greeting) */
	SMTP_FAIL_RESP,		/* 4xx/5xx reply to a step (see failed_reply) */
	SMTP_FAIL_TLS		/* reported by the TLS layer via smtp_client_tls_failed,
				 * or an I/O error on the connection after it */
};
const char *smtp_fail_name(enum smtp_fail f);	/* "conn", "timeout", ... */

/* Steps, for reporting where a failure happened. */
enum smtp_step {
	SMTP_STEP_CONNECT,
	SMTP_STEP_GREETING,
	SMTP_STEP_EHLO,
	SMTP_STEP_HELO,		/* after a 5xx to EHLO (RFC 5321 4.1.4) */
	SMTP_STEP_STARTTLS,
	SMTP_STEP_TLS,		/* handshake, driven by the caller */
	SMTP_STEP_EHLO_TLS,	/* EHLO again after TLS */
	SMTP_STEP_QUIT,
	SMTP_STEP_DONE
};
const char *smtp_step_name(enum smtp_step s);	/* "connect", "greeting", ... */

/* Cap on the bytes read from the server in one session. */
#define SMTP_SESSION_MAX	65536

struct smtp_client_params {
	const struct sockaddr	*sa;		/* copied */
	socklen_t		 salen;
	const char		*ehlo_name;	/* copied; required */
	/* Deadlines; <= 0 means the default.  reply_timeout_ms (default
	 * 60000) bounds each reply and also, as a backstop, the caller's TLS
	 * handshake.  The wait for 221 after QUIT is the smaller of 2000 ms and
	 * reply_timeout_ms. */
	int			 connect_timeout_ms;	/* default 30000 */
	int			 greeting_timeout_ms;	/* default 30000: postscreen, greet_pause */
	int			 reply_timeout_ms;
	/* implicit_tls: smtps (465): on_tls_wanted is called right after
	 * connect, before the greeting, which is then read over TLS.  The
	 * steps are then connect, tls, greeting, ehlo (or helo), and the
	 * capabilities go to caps_tls. */
	bool			 implicit_tls;
};

/* Callbacks.  Each gets the client and the caller's arg, and is always
 * called from the event loop, never from inside a smtp_client_* call.  The
 * caller frees the client with smtp_client_free() from on_done or later. */
struct smtp_client_cbs {
	/* After the (first or post-TLS) EHLO (or the HELO fallback) succeeded:
	 * capabilities are available.  The caller then calls
	 * smtp_client_starttls() or smtp_client_quit(), now or later (the
	 * client waits; if the server closes meanwhile the session ends with
	 * SMTP_FAIL_CLOSED).  NULL: the client quits by itself. */
	void (*on_ready)(struct smtp_client *, void *);
	/* The server said 220 to STARTTLS (or, with implicit_tls, the TCP
	 * connection is up): the caller runs the TLS handshake on raw (which
	 * the caller may wrap but must not free) and then calls
	 * smtp_client_tls_done() or smtp_client_tls_failed(), which may be done
	 * from inside on_tls_wanted.  See "Bufferevent ownership" above.
	 * NULL: the session ends with SMTP_FAIL_TLS. */
	void (*on_tls_wanted)(struct smtp_client *, struct bufferevent *raw,
	    void *);
	/* The session ended: after QUIT, or after a failure (see
	 * smtp_client_fail/step/failed_reply).  Called exactly once per
	 * started session, never before smtp_client_start() returns. */
	void (*on_done)(struct smtp_client *, void *);
};

/* Returns NULL if params are unusable: no AF_INET/AF_INET6 address of
 * matching length, or an ehlo_name that is empty, longer than 255 bytes
 * or holds blanks or control characters. */
struct smtp_client *smtp_client_new(struct event_base *base,
    const struct smtp_client_params *params,
    const struct smtp_client_cbs *cbs, void *arg);
/* NULL is a no-op.  Freeing a session that has not ended (from outside
 * the callbacks) abandons it: connection closed, on_done never called. */
void smtp_client_free(struct smtp_client *c);

/* The calls below act only in the state they are documented for (start:
 * once; starttls/quit: after on_ready; tls_done/tls_failed: after
 * on_tls_wanted) and are ignored otherwise, so a late call after the
 * session ended is harmless (except smtp_client_tls_done(), which frees
 * tls then, having taken ownership of it).  None calls back directly. */

/* Starts: connect, wait for the complete greeting (never sending before
 * it), EHLO (falling back to HELO on 5xx), then on_ready. 421 at any step
 * is SMTP_FAIL_RESP with code 421 (rate limiting or shutdown). */
void smtp_client_start(struct smtp_client *c);
/* Sends STARTTLS; on 220 calls on_tls_wanted, otherwise ends with
 * SMTP_FAIL_RESP at SMTP_STEP_STARTTLS.  Bytes already received after
 * that 220 (plaintext the TLS layer would take as handshake data:
 * response injection) end the session with SMTP_FAIL_PROTO.  Called again
 * over TLS it ends the session with SMTP_FAIL_PROTO. */
void smtp_client_starttls(struct smtp_client *c);
/* The caller's handshake succeeded; tls is the bufferevent to talk over
 * from now on (e.g. a bufferevent_openssl filter over raw; the client takes
 * ownership of it).  With STARTTLS the client sends EHLO again and calls
 * on_ready; with implicit TLS it reads the greeting first. */
void smtp_client_tls_done(struct smtp_client *c, struct bufferevent *tls);
/* The caller's handshake failed: the session ends with SMTP_FAIL_TLS and
 * detail (copied). The client closes raw. */
void smtp_client_tls_failed(struct smtp_client *c, const char *detail);
/* Sends QUIT, waits (briefly) for 221, closes, then on_done with
 * SMTP_FAIL_NONE at SMTP_STEP_DONE whatever QUIT got.  The client also
 * sends QUIT by itself after a 4xx/5xx reply that ends the session, unless
 * it is 421 (RFC 5321 3.8, 4.3.2: e.g. a 554 greeting), keeping that
 * failure. */
void smtp_client_quit(struct smtp_client *c);

/* Results, borrowed until smtp_client_free(). */
enum smtp_fail smtp_client_fail(const struct smtp_client *c);
enum smtp_step smtp_client_step(const struct smtp_client *c);	/* where it failed or stopped */
const char *smtp_client_detail(const struct smtp_client *c);	/* failure text, "" if none */
/* Replies are never NULL: one that was not received has code 0 and text
 * "".  Greeting, the last EHLO reply (also a 5xx that led to HELO), the
 * HELO reply, the STARTTLS reply, and the reply that caused
 * SMTP_FAIL_RESP (or SMTP_FAIL_PROTO by its code). */
const struct smtp_reply *smtp_client_greeting(const struct smtp_client *c);
const struct smtp_reply *smtp_client_ehlo_reply(const struct smtp_client *c);
const struct smtp_reply *smtp_client_helo_reply(const struct smtp_client *c);
const struct smtp_reply *smtp_client_failed_reply(const struct smtp_client *c);
const struct smtp_reply *smtp_client_starttls_reply(const struct smtp_client *c);
/* Capabilities from the EHLO in plaintext and from the EHLO over TLS
 * (after STARTTLS, or the only one with implicit_tls); see
 * smtp_reply_ehlo_caps for the form.  Empty after HELO. */
const struct strvec *smtp_client_caps(const struct smtp_client *c);
const struct strvec *smtp_client_caps_tls(const struct smtp_client *c);
/* Whether keyword (e.g. "STARTTLS", "SIZE") was offered in the plaintext
 * EHLO (caps; with implicit_tls, which has none, caps_tls), ignoring case:
 * "did the server offer STARTTLS" stays true after STARTTLS.  For the
 * capabilities over TLS use smtp_caps_has(smtp_client_caps_tls(c), kw). */
bool smtp_client_has_cap(const struct smtp_client *c, const char *keyword);
/* Whether the TCP connection was ever established, and the ms from then
 * to the end of the greeting (with implicit_tls, the handshake included),
 * or -1 without a greeting. */
bool smtp_client_connected(const struct smtp_client *c);
long smtp_client_greeting_ms(const struct smtp_client *c);

#endif
