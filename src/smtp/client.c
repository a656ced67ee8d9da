/* client: SMTP client state machine over libevent: connect, greeting, EHLO, STARTTLS, QUIT. */
#include "smtp/client.h"
#include "smtp/reply.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONNECT_TIMEOUT_MS	30000
#define GREETING_TIMEOUT_MS	30000	/* postscreen and greet_pause delay it */
#define REPLY_TIMEOUT_MS	60000
#define QUIT_TIMEOUT_MS		2000	/* politeness, not worth a long wait */
/* libevent stops reading while this much is buffered: a few maximal
 * lines, enough to tell whether a line is over the cap. */
#define READ_HIGHWAT		(4 * (SMTP_LINE_MAX + 2))
#define EHLO_NAME_MAX		255	/* a domain name, or an address literal */
#define DETAIL_TEXT_MAX		256	/* escaped server text in a detail */
#define DETAIL_MAX		1024

enum client_state {
	STATE_INIT,
	STATE_CONNECT,
	STATE_GREETING,
	STATE_EHLO,
	STATE_HELO,
	STATE_READY,		/* on_ready called, the caller's move */
	STATE_STARTTLS,
	STATE_TLS,		/* raw lent to the caller's handshake */
	STATE_EHLO_TLS,
	STATE_QUIT,
	STATE_DONE		/* closed; on_done pending or called */
};

/* Per state: its name for tracing, the step it enters (-1: none, the
 * last step stays current), and whether it waits for a reply. */
static const struct {
	const char	*name;
	int		 step;
	bool		 reads;
} client_states[] = {
	[STATE_INIT] =		{ "init",	-1,			false },
	[STATE_CONNECT] =	{ "connect",	SMTP_STEP_CONNECT,	false },
	[STATE_GREETING] =	{ "greeting",	SMTP_STEP_GREETING,	true },
	[STATE_EHLO] =		{ "ehlo",	SMTP_STEP_EHLO,		true },
	[STATE_HELO] =		{ "helo",	SMTP_STEP_HELO,		true },
	[STATE_READY] =		{ "ready",	-1,			false },
	[STATE_STARTTLS] =	{ "starttls",	SMTP_STEP_STARTTLS,	true },
	[STATE_TLS] =		{ "tls",	SMTP_STEP_TLS,		false },
	[STATE_EHLO_TLS] =	{ "ehlo-tls",	SMTP_STEP_EHLO_TLS,	true },
	[STATE_QUIT] =		{ "quit",	SMTP_STEP_QUIT,		true },
	[STATE_DONE] =		{ "done",	SMTP_STEP_DONE,		false },
};

static const char *const fail_names[] = {
	[SMTP_FAIL_NONE] =	"none",
	[SMTP_FAIL_CONN] =	"conn",
	[SMTP_FAIL_TIMEOUT] =	"timeout",
	[SMTP_FAIL_CLOSED] =	"closed",
	[SMTP_FAIL_PROTO] =	"proto",
	[SMTP_FAIL_RESP] =	"resp",
	[SMTP_FAIL_TLS] =	"tls",
};

static const char *const step_names[] = {
	[SMTP_STEP_CONNECT] =	"connect",
	[SMTP_STEP_GREETING] =	"greeting",
	[SMTP_STEP_EHLO] =	"ehlo",
	[SMTP_STEP_HELO] =	"helo",
	[SMTP_STEP_STARTTLS] =	"starttls",
	[SMTP_STEP_TLS] =	"tls",
	[SMTP_STEP_EHLO_TLS] =	"ehlo-tls",
	[SMTP_STEP_QUIT] =	"quit",
	[SMTP_STEP_DONE] =	"done",
};

/* What getters hand out for a reply never received. */
static char empty_text[1];
static const struct smtp_reply empty_reply = { 0, empty_text, 0, 0 };

struct smtp_client {
	struct event_base	*base;
	struct smtp_client_cbs	 cbs;
	void			*arg;
	struct sockaddr_storage	 ss;
	socklen_t		 salen;
	char			*ehlo_name;
	int			 connect_timeout_ms;
	int			 greeting_timeout_ms;
	int			 reply_timeout_ms;
	bool			 implicit_tls;

	enum client_state	 state;
	enum smtp_step		 step;
	enum smtp_fail		 fail;
	char			*detail;
	bool			 connected;
	bool			 tls_up;	/* tls_done accepted */
	bool			 eof;		/* server closed, or I/O error */
	int			 io_error;	/* errno of that error, -1 unknown */

	struct bufferevent	*raw;
	struct bufferevent	*tls;
	struct bufferevent	*bev;		/* talked over: raw, tls or NULL */
	struct event		*ev_timer;	/* deadline of the current state */
	struct event		*ev_kick;	/* reads what is already buffered */
	struct event		*ev_done;	/* calls on_done from the loop */

	struct smtp_reply_parser *parser;
	size_t			 reply_lines;	/* of the reply being read */
	size_t			 nread;		/* bytes taken from the server */
	char			 line[SMTP_LINE_MAX + 2];
	struct timespec		 t_connect;
	long			 greeting_ms;

	struct smtp_reply	 greeting;
	struct smtp_reply	 ehlo;
	struct smtp_reply	 helo;
	struct smtp_reply	 starttls;
	struct smtp_reply	 failed;
	struct strvec		 caps;
	struct strvec		 caps_tls;
};

static void client_read(struct smtp_client *);
static void client_set_fail(struct smtp_client *, enum smtp_fail,
    const char *, ...) __attribute__((format(printf, 3, 4)));
static void client_fail(struct smtp_client *, enum smtp_fail, const char *, ...)
    __attribute__((format(printf, 3, 4)));

const char *
smtp_fail_name(enum smtp_fail f)
{
	if ((unsigned)f >= sizeof(fail_names) / sizeof(fail_names[0]))
		return "unknown";
	return fail_names[f];
}

const char *
smtp_step_name(enum smtp_step s)
{
	if ((unsigned)s >= sizeof(step_names) / sizeof(step_names[0]))
		return "unknown";
	return step_names[s];
}

static const char *
client_step_name(const struct smtp_client *c)
{
	return smtp_step_name(c->step);
}

static void
reply_move(struct smtp_reply *dst, struct smtp_reply *src)
{
	smtp_reply_clear(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

static void
reply_copy(struct smtp_reply *dst, const struct smtp_reply *src)
{
	smtp_reply_clear(dst);
	*dst = *src;
	dst->text = xmalloc(src->len + 1);
	if (src->len > 0)
		memcpy(dst->text, src->text, src->len);
	dst->text[src->len] = '\0';
}

static long
client_ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t0->tv_sec) * 1000 +
	    (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Steps advance with the states, but freeze once a failure is recorded:
 * the step then says where the session failed, even during the QUIT that
 * may follow. */
static void
client_set_state(struct smtp_client *c, enum client_state s)
{
	log_debug("smtp: state %s -> %s", client_states[c->state].name,
	    client_states[s].name);
	c->state = s;
	if (client_states[s].step != -1 && c->fail == SMTP_FAIL_NONE)
		c->step = (enum smtp_step)client_states[s].step;
}

static void
client_arm(struct smtp_client *c, int ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(c->ev_timer, &tv);
}

/* The TLS filter goes first, unlinking itself from raw (and, when made
 * with BEV_OPT_CLOSE_ON_FREE, dropping the reference its maker added):
 * see "Bufferevent ownership" in client.h. */
static void
client_close(struct smtp_client *c)
{
	if (c->tls != NULL)
		bufferevent_free(c->tls);
	if (c->raw != NULL)
		bufferevent_free(c->raw);
	c->tls = c->raw = c->bev = NULL;
}

/* Ends the session.  on_done is always delivered by the loop so that no
 * public call and no callback ever sees it re-entrantly. */
static void
client_finish(struct smtp_client *c)
{
	if (c->state == STATE_DONE)
		return;
	evtimer_del(c->ev_timer);
	event_del(c->ev_kick);
	client_close(c);
	client_set_state(c, STATE_DONE);
	event_active(c->ev_done, 0, 0);
}

static void
client_vset_fail(struct smtp_client *c, enum smtp_fail fail, const char *fmt,
    va_list ap)
{
	char detail[DETAIL_MAX];

	vsnprintf(detail, sizeof(detail), fmt, ap);
	free(c->detail);
	c->detail = xstrdup(detail);
	c->fail = fail;
	log_debug("smtp: failed: %s (%s)", smtp_fail_name(fail), detail);
}

/* Records a failure, the first one only: once the session has failed, or
 * has succeeded and is quitting, what comes next changes nothing. */
static void
client_set_fail(struct smtp_client *c, enum smtp_fail fail, const char *fmt,
    ...)
{
	va_list ap;

	if (c->state == STATE_DONE || c->state == STATE_QUIT)
		return;
	va_start(ap, fmt);
	client_vset_fail(c, fail, fmt, ap);
	va_end(ap);
}

/* Records a failure (as client_set_fail) and ends the session. */
static void
client_fail(struct smtp_client *c, enum smtp_fail fail, const char *fmt, ...)
{
	va_list ap;

	if (c->state == STATE_DONE)
		return;
	if (c->state != STATE_QUIT) {
		va_start(ap, fmt);
		client_vset_fail(c, fail, fmt, ap);
		va_end(ap);
	}
	client_finish(c);
}

/* Queues "cmd[ arg]\r\n" and waits for its reply in state next.  Nothing
 * is written once the server has closed: reading the input left over
 * then ends the session without risking SIGPIPE. */
static void
client_send(struct smtp_client *c, enum client_state next, const char *cmd,
    const char *arg)
{
	char line[EHLO_NAME_MAX + 16];
	int n, ms;

	ms = c->reply_timeout_ms;
	if (next == STATE_QUIT && ms > QUIT_TIMEOUT_MS)
		ms = QUIT_TIMEOUT_MS;
	client_set_state(c, next);
	client_arm(c, ms);
	smtp_reply_parser_reset(c->parser);
	c->reply_lines = 0;
	n = snprintf(line, sizeof(line), "%s%s%s\r\n", cmd, arg ? " " : "",
	    arg ? arg : "");
	log_debug("smtp: >>> %.*s", n - 2, line);
	if (!c->eof && bufferevent_write(c->bev, line, (size_t)n) == -1) {
		client_fail(c, SMTP_FAIL_CONN, "%s: cannot queue the command",
		    client_step_name(c));
		return;
	}
	if (c->eof || evbuffer_get_length(bufferevent_get_input(c->bev)) > 0)
		event_active(c->ev_kick, 0, 0);
}

/* The reply r (not 2xx where one was needed) ends the session: 4xx/5xx is
 * SMTP_FAIL_RESP, followed by QUIT unless it is 421 (the server is
 * closing); any other code is out of protocol. */
static void
client_reply_failed(struct smtp_client *c, const struct smtp_reply *r)
{
	char *text = str_escape(r->text, r->len, DETAIL_TEXT_MAX);
	bool resp = r->code >= 400;

	reply_copy(&c->failed, r);
	client_set_fail(c, resp ? SMTP_FAIL_RESP : SMTP_FAIL_PROTO,
	    "%s: %s%03d %s", client_step_name(c),
	    resp ? "" : "unexpected reply ", r->code, text);
	free(text);
	if (resp && r->code != 421 && !c->eof)
		client_send(c, STATE_QUIT, "QUIT", NULL);
	else
		client_finish(c);
}

/* The session ended from the server's side while we needed more. */
static void
client_closed(struct smtp_client *c, bool partial)
{
	const char *how = partial ? " in the middle of a reply" : "";

	if (c->io_error == 0)
		client_fail(c, SMTP_FAIL_CLOSED,
		    "%s: connection closed by the server%s",
		    client_step_name(c), how);
	else if (c->tls_up)
		client_fail(c, SMTP_FAIL_TLS, "%s: TLS connection error%s",
		    client_step_name(c), how);
	else
		client_fail(c, SMTP_FAIL_CONN, "%s: %s%s", client_step_name(c),
		    c->io_error > 0 ?
		    evutil_socket_error_to_string(c->io_error) :
		    "connection error", how);
}

static void
client_ready(struct smtp_client *c)
{
	evtimer_del(c->ev_timer);
	client_set_state(c, STATE_READY);
	if (c->cbs.on_ready != NULL)
		c->cbs.on_ready(c, c->arg);
	else
		smtp_client_quit(c);
}

/* Lends raw to the caller's handshake, without our callbacks; the
 * reply deadline stays as a backstop. */
static void
client_want_tls(struct smtp_client *c)
{
	bufferevent_setcb(c->raw, NULL, NULL, NULL, NULL);
	bufferevent_setwatermark(c->raw, EV_READ, 0, 0);
	c->bev = NULL;
	client_set_state(c, STATE_TLS);
	client_arm(c, c->reply_timeout_ms);
	if (c->cbs.on_tls_wanted == NULL)
		client_fail(c, SMTP_FAIL_TLS, "tls: no TLS handler");
	else
		c->cbs.on_tls_wanted(c, c->raw, c->arg);
}

static void
client_on_greeting(struct smtp_client *c, struct smtp_reply *r)
{
	reply_move(&c->greeting, r);
	c->greeting_ms = client_ms_since(&c->t_connect);
	if (c->greeting.code == 220)
		client_send(c, STATE_EHLO, "EHLO", c->ehlo_name);
	else
		client_reply_failed(c, &c->greeting);
}

/* A 5xx to the first EHLO gets one HELO (RFC 5321 4.1.4); after STARTTLS
 * only EHLO will do (RFC 3207 4.2). */
static void
client_on_ehlo(struct smtp_client *c, struct smtp_reply *r)
{
	struct strvec *caps = c->tls_up ? &c->caps_tls : &c->caps;

	reply_move(&c->ehlo, r);
	if (c->ehlo.code / 100 == 2) {
		strvec_clear(caps);
		smtp_reply_ehlo_caps(&c->ehlo, caps);
		client_ready(c);
	} else if (c->ehlo.code / 100 == 5 && c->state == STATE_EHLO)
		client_send(c, STATE_HELO, "HELO", c->ehlo_name);
	else
		client_reply_failed(c, &c->ehlo);
}

static void
client_on_helo(struct smtp_client *c, struct smtp_reply *r)
{
	reply_move(&c->helo, r);
	if (c->helo.code / 100 == 2)
		client_ready(c);
	else
		client_reply_failed(c, &c->helo);
}

/* Anything already read after the 220 came before our ClientHello, so it
 * is not TLS: a plaintext injection (CVE-2011-0411 style) or a broken
 * server.  Handing it to the TLS layer would only blur the cause. */
static void
client_on_starttls(struct smtp_client *c, struct smtp_reply *r)
{
	size_t extra;

	reply_move(&c->starttls, r);
	if (c->starttls.code != 220) {
		client_reply_failed(c, &c->starttls);
		return;
	}
	extra = evbuffer_get_length(bufferevent_get_input(c->raw));
	if (extra > 0)
		client_fail(c, SMTP_FAIL_PROTO, "starttls: %zu byte%s after "
		    "the 220 reply, before TLS started", extra,
		    extra == 1 ? "" : "s");
	else
		client_want_tls(c);
}

/* Dispatches a complete reply, which it owns.  May call back: the caller
 * must not touch c afterwards. */
static void
client_reply(struct smtp_client *c, struct smtp_reply *r)
{
	log_debug("smtp: <<< %03d, %zu line%s", r->code, r->nlines,
	    r->nlines == 1 ? "" : "s");
	switch (c->state) {
	case STATE_GREETING:
		client_on_greeting(c, r);
		break;
	case STATE_EHLO:
	case STATE_EHLO_TLS:
		client_on_ehlo(c, r);
		break;
	case STATE_HELO:
		client_on_helo(c, r);
		break;
	case STATE_STARTTLS:
		client_on_starttls(c, r);
		break;
	default:	/* STATE_QUIT: whatever the answer, we are done */
		smtp_reply_clear(r);
		client_finish(c);
		break;
	}
}

/* Takes the next line from in into c->line, line ending removed.  Returns
 * 1 with *len set, 0 if no complete line is buffered, or -1 after ending
 * the session over a cap. */
static int
client_line(struct smtp_client *c, struct evbuffer *in, size_t *len)
{
	struct evbuffer_ptr eol;
	size_t eol_len = 0, buffered = evbuffer_get_length(in), n;

	if (c->nread + buffered > SMTP_SESSION_MAX) {
		client_fail(c, SMTP_FAIL_PROTO, "%s: more than %d bytes from "
		    "the server", client_step_name(c), SMTP_SESSION_MAX);
		return -1;
	}
	eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_LF);
	/* + 1: room for the CR, which is not part of the line. */
	if ((eol.pos == -1 && buffered > SMTP_LINE_MAX + 1) ||
	    (eol.pos != -1 && (size_t)eol.pos > SMTP_LINE_MAX + 1)) {
		client_fail(c, SMTP_FAIL_PROTO, "%s: line longer than %d bytes",
		    client_step_name(c), SMTP_LINE_MAX);
		return -1;
	}
	if (eol.pos == -1)
		return 0;
	n = (size_t)eol.pos;
	if (evbuffer_remove(in, c->line, n) != (int)n ||
	    evbuffer_drain(in, eol_len) == -1) {
		client_fail(c, SMTP_FAIL_CONN, "%s: cannot read the input "
		    "buffer", client_step_name(c));
		return -1;
	}
	c->nread += n + eol_len;
	if (n > 0 && c->line[n - 1] == '\r')
		n--;
	*len = n;
	return 1;
}

/* Feeds buffered lines to the parser until a reply is complete, then
 * dispatches it.  Input after that reply stays buffered for the next one:
 * no pipelining, so it cannot belong to anything we sent. */
static void
client_read(struct smtp_client *c)
{
	struct evbuffer *in;
	struct smtp_reply r;
	size_t len;
	int rv;

	if (!client_states[c->state].reads || c->bev == NULL)
		return;
	in = bufferevent_get_input(c->bev);
	while ((rv = client_line(c, in, &len)) == 1) {
		switch (smtp_reply_parser_line(c->parser, c->line, len)) {
		case SMTP_REPLY_MORE:
			c->reply_lines++;
			break;
		case SMTP_REPLY_DONE:
			smtp_reply_parser_take(c->parser, &r);
			c->reply_lines = 0;
			client_reply(c, &r);
			return;
		case SMTP_REPLY_ERROR:
			client_fail(c, SMTP_FAIL_PROTO, "%s: %s",
			    client_step_name(c),
			    smtp_reply_parser_error(c->parser));
			return;
		}
	}
	if (rv == 0 && c->eof)
		client_closed(c, c->reply_lines > 0 ||
		    evbuffer_get_length(in) > 0);
}

static void
client_connected(struct smtp_client *c)
{
	c->connected = true;
	clock_gettime(CLOCK_MONOTONIC, &c->t_connect);
	bufferevent_setwatermark(c->raw, EV_READ, 0, READ_HIGHWAT);
	bufferevent_enable(c->raw, EV_READ | EV_WRITE);
	if (c->implicit_tls)
		client_want_tls(c);
	else {
		client_set_state(c, STATE_GREETING);
		client_arm(c, c->greeting_timeout_ms);
	}
}

static void
client_readcb(struct bufferevent *bev, void *arg)
{
	client_read(arg);
}

/* EOF and errors first let client_read use what is buffered: a server
 * often writes its 421 and closes at once. */
static void
client_eventcb(struct bufferevent *bev, short what, void *arg)
{
	struct smtp_client *c = arg;
	int err = EVUTIL_SOCKET_ERROR();

	if (c->state == STATE_CONNECT) {
		if (what & BEV_EVENT_CONNECTED)
			client_connected(c);
		else
			client_fail(c, SMTP_FAIL_CONN, "connect: %s", err != 0 ?
			    evutil_socket_error_to_string(err) : "failed");
		return;
	}
	if ((what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) == 0)
		return;
	c->eof = true;
	if (what & BEV_EVENT_ERROR)
		c->io_error = err != 0 ? err : -1;
	if (client_states[c->state].reads)
		client_read(c);
	else
		client_closed(c, false);
}

static void
client_kick(evutil_socket_t fd, short events, void *arg)
{
	client_read(arg);
}

static void
client_timeout(evutil_socket_t fd, short events, void *arg)
{
	struct smtp_client *c = arg;

	switch (c->state) {
	case STATE_CONNECT:
		client_fail(c, SMTP_FAIL_TIMEOUT, "connect: no connection "
		    "within %d ms", c->connect_timeout_ms);
		break;
	case STATE_GREETING:
		client_fail(c, SMTP_FAIL_TIMEOUT, "greeting: no complete "
		    "greeting within %d ms", c->greeting_timeout_ms);
		break;
	case STATE_TLS:
		client_fail(c, SMTP_FAIL_TIMEOUT, "tls: handshake not done "
		    "within %d ms", c->reply_timeout_ms);
		break;
	default:	/* STATE_QUIT: client_fail only closes */
		client_fail(c, SMTP_FAIL_TIMEOUT, "%s: no complete reply "
		    "within %d ms", client_step_name(c), c->reply_timeout_ms);
		break;
	}
}

/* Last statement: on_done may free c. */
static void
client_done(evutil_socket_t fd, short events, void *arg)
{
	struct smtp_client *c = arg;

	if (c->cbs.on_done != NULL)
		c->cbs.on_done(c, c->arg);
}

/* A name fit for "EHLO name\r\n": printable, no blanks, not too long. */
static bool
client_ehlo_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > EHLO_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static bool
client_params_ok(const struct smtp_client_params *p)
{
	size_t need;

	if (p->sa == NULL || p->ehlo_name == NULL ||
	    !client_ehlo_name_ok(p->ehlo_name))
		return false;
	if (p->sa->sa_family == AF_INET)
		need = sizeof(struct sockaddr_in);
	else if (p->sa->sa_family == AF_INET6)
		need = sizeof(struct sockaddr_in6);
	else
		return false;
	return p->salen >= need && p->salen <= sizeof(struct sockaddr_storage);
}

static int
timeout_or(int ms, int dflt)
{
	return ms > 0 ? ms : dflt;
}

struct smtp_client *
smtp_client_new(struct event_base *base,
    const struct smtp_client_params *params, const struct smtp_client_cbs *cbs,
    void *arg)
{
	struct smtp_client *c = NULL;

	if (base == NULL || params == NULL || !client_params_ok(params))
		goto err;
	c = xcalloc(1, sizeof(*c));
	c->base = base;
	if (cbs != NULL)
		c->cbs = *cbs;
	c->arg = arg;
	memcpy(&c->ss, params->sa, params->salen);
	c->salen = params->salen;
	c->ehlo_name = xstrdup(params->ehlo_name);
	c->connect_timeout_ms = timeout_or(params->connect_timeout_ms,
	    CONNECT_TIMEOUT_MS);
	c->greeting_timeout_ms = timeout_or(params->greeting_timeout_ms,
	    GREETING_TIMEOUT_MS);
	c->reply_timeout_ms = timeout_or(params->reply_timeout_ms,
	    REPLY_TIMEOUT_MS);
	c->implicit_tls = params->implicit_tls;
	c->state = STATE_INIT;
	c->step = SMTP_STEP_CONNECT;
	c->greeting_ms = -1;
	c->parser = smtp_reply_parser_new();
	c->ev_timer = evtimer_new(base, client_timeout, c);
	c->ev_kick = event_new(base, -1, 0, client_kick, c);
	c->ev_done = event_new(base, -1, 0, client_done, c);
	if (c->ev_timer == NULL || c->ev_kick == NULL || c->ev_done == NULL)
		goto err;
	return c;
err:
	smtp_client_free(c);
	return NULL;
}

void
smtp_client_free(struct smtp_client *c)
{
	if (c == NULL)
		return;
	client_close(c);
	if (c->ev_timer != NULL)
		event_free(c->ev_timer);
	if (c->ev_kick != NULL)
		event_free(c->ev_kick);
	if (c->ev_done != NULL)
		event_free(c->ev_done);
	smtp_reply_parser_free(c->parser);
	smtp_reply_clear(&c->greeting);
	smtp_reply_clear(&c->ehlo);
	smtp_reply_clear(&c->helo);
	smtp_reply_clear(&c->starttls);
	smtp_reply_clear(&c->failed);
	strvec_clear(&c->caps);
	strvec_clear(&c->caps_tls);
	free(c->ehlo_name);
	free(c->detail);
	free(c);
}

/* A connect that fails at once still reports through client_fail, so
 * on_done comes from the loop, after this returns. */
void
smtp_client_start(struct smtp_client *c)
{
	if (c->state != STATE_INIT)
		return;
	client_set_state(c, STATE_CONNECT);
	client_arm(c, c->connect_timeout_ms);
	c->raw = bufferevent_socket_new(c->base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (c->raw == NULL) {
		client_fail(c, SMTP_FAIL_CONN, "connect: cannot create a "
		    "bufferevent");
		return;
	}
	c->bev = c->raw;
	bufferevent_setcb(c->raw, client_readcb, NULL, client_eventcb, c);
	if (bufferevent_socket_connect(c->raw, (struct sockaddr *)&c->ss,
	    (int)c->salen) == -1) {
		int err = EVUTIL_SOCKET_ERROR();

		client_fail(c, SMTP_FAIL_CONN, "connect: %s", err != 0 ?
		    evutil_socket_error_to_string(err) : "failed");
	}
}

void
smtp_client_starttls(struct smtp_client *c)
{
	if (c->state != STATE_READY)
		return;
	if (c->tls_up)
		client_fail(c, SMTP_FAIL_PROTO, "starttls: TLS is already on");
	else
		client_send(c, STATE_STARTTLS, "STARTTLS", NULL);
}

void
smtp_client_tls_done(struct smtp_client *c, struct bufferevent *tls)
{
	if (tls == NULL) {
		smtp_client_tls_failed(c, "no TLS bufferevent");
		return;
	}
	if (c->state != STATE_TLS) {
		bufferevent_free(tls);
		return;
	}
	/* A caller that talks over raw itself (no filter) must not make
	 * client_close free raw twice. */
	if (tls != c->raw)
		c->tls = tls;
	c->bev = tls;
	c->tls_up = true;
	bufferevent_setcb(tls, client_readcb, NULL, client_eventcb, c);
	bufferevent_setwatermark(tls, EV_READ, 0, READ_HIGHWAT);
	bufferevent_enable(tls, EV_READ | EV_WRITE);
	smtp_reply_parser_reset(c->parser);
	c->reply_lines = 0;
	if (c->implicit_tls) {
		client_set_state(c, STATE_GREETING);
		client_arm(c, c->greeting_timeout_ms);
		if (evbuffer_get_length(bufferevent_get_input(tls)) > 0)
			event_active(c->ev_kick, 0, 0);
	} else
		client_send(c, STATE_EHLO_TLS, "EHLO", c->ehlo_name);
}

void
smtp_client_tls_failed(struct smtp_client *c, const char *detail)
{
	if (c->state != STATE_TLS)
		return;
	client_fail(c, SMTP_FAIL_TLS, "%s", detail != NULL && *detail != '\0' ?
	    detail : "TLS handshake failed");
}

void
smtp_client_quit(struct smtp_client *c)
{
	if (c->state == STATE_READY)
		client_send(c, STATE_QUIT, "QUIT", NULL);
}

enum smtp_fail
smtp_client_fail(const struct smtp_client *c)
{
	return c->fail;
}

enum smtp_step
smtp_client_step(const struct smtp_client *c)
{
	return c->step;
}

const char *
smtp_client_detail(const struct smtp_client *c)
{
	return c->detail != NULL ? c->detail : "";
}

static const struct smtp_reply *
client_reply_or_empty(const struct smtp_reply *r)
{
	return r->code != 0 ? r : &empty_reply;
}

const struct smtp_reply *
smtp_client_greeting(const struct smtp_client *c)
{
	return client_reply_or_empty(&c->greeting);
}

const struct smtp_reply *
smtp_client_ehlo_reply(const struct smtp_client *c)
{
	return client_reply_or_empty(&c->ehlo);
}

const struct smtp_reply *
smtp_client_helo_reply(const struct smtp_client *c)
{
	return client_reply_or_empty(&c->helo);
}

const struct smtp_reply *
smtp_client_failed_reply(const struct smtp_client *c)
{
	return client_reply_or_empty(&c->failed);
}

const struct smtp_reply *
smtp_client_starttls_reply(const struct smtp_client *c)
{
	return client_reply_or_empty(&c->starttls);
}

const struct strvec *
smtp_client_caps(const struct smtp_client *c)
{
	return &c->caps;
}

const struct strvec *
smtp_client_caps_tls(const struct smtp_client *c)
{
	return &c->caps_tls;
}

bool
smtp_client_has_cap(const struct smtp_client *c, const char *keyword)
{
	return smtp_caps_has(c->implicit_tls ? &c->caps_tls : &c->caps,
	    keyword);
}

bool
smtp_client_connected(const struct smtp_client *c)
{
	return c->connected;
}

long
smtp_client_greeting_ms(const struct smtp_client *c)
{
	return c->greeting_ms;
}
