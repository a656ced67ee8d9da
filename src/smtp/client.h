/* client: SMTP client state machine over libevent: connect, greeting, EHLO, STARTTLS, QUIT. */
#ifndef MXD_SMTP_CLIENT_H
#define MXD_SMTP_CLIENT_H

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
	SMTP_FAIL_PROTO,	/* malformed reply, line or count cap exceeded */
	SMTP_FAIL_RESP,		/* 4xx/5xx reply to a step (see failed_reply) */
	SMTP_FAIL_TLS		/* reported by the TLS layer via smtp_client_tls_failed */
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

struct smtp_client_params {
	const struct sockaddr	*sa;		/* copied */
	socklen_t		 salen;
	const char		*ehlo_name;	/* copied; required */
	int			 connect_timeout_ms;
	int			 greeting_timeout_ms;	/* default 30000: postscreen, greet_pause */
	int			 reply_timeout_ms;
	/* implicit_tls: smtps (465): on_tls_wanted is called right after
	 * connect, before the greeting, which is then read over TLS. */
	bool			 implicit_tls;
};

/* Callbacks.  Each gets the client and the caller's arg.  The caller may
 * call smtp_client_free() only from on_done. */
struct smtp_client_cbs {
	/* After the (first or post-TLS) EHLO succeeded: capabilities are
	 * available.  The caller then calls smtp_client_starttls() or
	 * smtp_client_quit(). */
	void (*on_ready)(struct smtp_client *, void *);
	/* The server said 220 to STARTTLS (or, with implicit_tls, the TCP
	 * connection is up): the caller runs the TLS handshake on raw (which
	 * the caller may wrap but must not free) and then calls
	 * smtp_client_tls_done() or smtp_client_tls_failed(). */
	void (*on_tls_wanted)(struct smtp_client *, struct bufferevent *raw,
	    void *);
	/* The session ended: after QUIT, or after a failure (see
	 * smtp_client_fail/step/failed_reply).  Called exactly once. */
	void (*on_done)(struct smtp_client *, void *);
};

struct smtp_client *smtp_client_new(struct event_base *base,
    const struct smtp_client_params *params,
    const struct smtp_client_cbs *cbs, void *arg);
void smtp_client_free(struct smtp_client *c);	/* NULL is a no-op */

/* Starts: connect, wait for the complete greeting (never sending before
 * it), EHLO (falling back to HELO on 5xx), then on_ready. 421 at any step
 * is SMTP_FAIL_RESP with code 421 (rate limiting or shutdown). */
void smtp_client_start(struct smtp_client *c);
/* Sends STARTTLS; on 220 calls on_tls_wanted, otherwise ends with
 * SMTP_FAIL_RESP at SMTP_STEP_STARTTLS. */
void smtp_client_starttls(struct smtp_client *c);
/* The caller's handshake succeeded; tls is the bufferevent to talk over
 * from now on (e.g. a bufferevent_openssl filter over raw; the client takes
 * ownership of it).  With STARTTLS the client sends EHLO again and calls
 * on_ready; with implicit TLS it reads the greeting first. */
void smtp_client_tls_done(struct smtp_client *c, struct bufferevent *tls);
/* The caller's handshake failed: the session ends with SMTP_FAIL_TLS and
 * detail (copied). The client closes raw. */
void smtp_client_tls_failed(struct smtp_client *c, const char *detail);
/* Sends QUIT, waits (briefly) for 221, closes, then on_done. */
void smtp_client_quit(struct smtp_client *c);

/* Results, borrowed until smtp_client_free(). */
enum smtp_fail smtp_client_fail(const struct smtp_client *c);
enum smtp_step smtp_client_step(const struct smtp_client *c);	/* where it failed or stopped */
const char *smtp_client_detail(const struct smtp_client *c);	/* failure text, "" if none */
/* Greeting (code 0 if none was read), the last EHLO reply, and the reply
 * that caused SMTP_FAIL_RESP. */
const struct smtp_reply *smtp_client_greeting(const struct smtp_client *c);
const struct smtp_reply *smtp_client_ehlo_reply(const struct smtp_client *c);
const struct smtp_reply *smtp_client_failed_reply(const struct smtp_client *c);
const struct smtp_reply *smtp_client_starttls_reply(const struct smtp_client *c);
/* Capabilities from the first EHLO (before TLS) and after TLS. */
const struct strvec *smtp_client_caps(const struct smtp_client *c);
const struct strvec *smtp_client_caps_tls(const struct smtp_client *c);
bool smtp_client_has_cap(const struct smtp_client *c, const char *keyword);
/* Whether the connection was ever established, and ms from connect to each. */
bool smtp_client_connected(const struct smtp_client *c);
long smtp_client_greeting_ms(const struct smtp_client *c);

#endif
