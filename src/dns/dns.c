/* dns: asynchronous DNS queries through libunbound's event API, each with its own deadline. */
#include "dns/dns.h"
#include "util/addr.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <sys/queue.h>

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unbound-event.h>
#include <unbound.h>

/*
 * Life of a query: dns_query() creates a dns_req with one event, arms it
 * as the deadline and hands the name to ub_resolve_event().  libunbound
 * calls dns_req_ub_cb() with the raw answer packet, which we decode at
 * once (the packet belongs to libunbound) and then re-arm the event to
 * fire immediately: the caller's callback always runs from our own event,
 * never from inside libunbound nor inside dns_query() (libunbound answers
 * from its cache and local zones synchronously).  That also makes it safe
 * for a callback to call dns_ctx_free(): libunbound is not on the stack.
 * If the deadline fires first, the query is cancelled in libunbound
 * (ub_cancel only marks it; libunbound keeps the mesh state until its own
 * retries end, but never calls us for it) and DNS_TIMEOUT is delivered.
 *
 * ub_ctx_delete() runs the callbacks of unfinished mesh states with
 * SERVFAIL, so dns_ctx_free() cancels every open query first: cancelled
 * queries are then dropped silently.
 */

#define DNS_UB_SERVFAIL		2
#define DNS_UB_NXDOMAIN		3
#define DNS_UB_SEC_BOGUS	1
#define DNS_UB_SEC_SECURE	2
#define DNS_WHY_MAX		256	/* escaped resolver text in why */
#define DNS_FWD_MAX		(ADDR_STRLEN + 8)

struct dns_req {
	LIST_ENTRY(dns_req)	 entry;
	struct dns_ctx		*ctx;
	dns_cb			*cb;
	void			*arg;
	int			 type;
	int			 async_id;
	bool			 done;		/* answer is final, ev delivers it */
	struct event		*ev;		/* deadline, then delivery */
	struct dns_answer	 answer;
};

struct dns_ctx {
	struct event_base	*base;
	struct ub_ctx		*ub;
	int			 timeout_ms;
	unsigned		 nqueries;
	LIST_HEAD(, dns_req)	 reqs;		/* not yet delivered */
};

/*
 * Local zones libunbound would answer itself (as unbound does by
 * default).  mxdoctor reports what the resolver says, and a lab resolver
 * must be able to serve test names and loopback or documentation reverse
 * zones, so these go upstream: each is declared "transparent" (a local
 * zone without data, so every query is resolved), which replaces the
 * built-in zone.  "nodefault" would be the natural word, but libunbound
 * 1.17 ignores it through ub_ctx_set_option(): cfg_parse_local_zone()
 * stores "zone nodefault" whole as the zone name, which then never
 * matches.  "unblock-lan-zones" does the same for the RFC 1918 and ULA
 * reverse zones.  localhost. stays local.
 */
static const char *const dns_upstream_zones[] = {
	"test.",
	"home.arpa.",
	"127.in-addr.arpa.",
	"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.",
	"2.0.192.in-addr.arpa.",
	"100.51.198.in-addr.arpa.",
	"113.0.203.in-addr.arpa.",
	"8.b.d.0.1.0.0.2.ip6.arpa.",
};

const char *
dns_status_name(enum dns_status s)
{
	switch (s) {
	case DNS_OK:		return "ok";
	case DNS_NODATA:	return "nodata";
	case DNS_NXDOMAIN:	return "nxdomain";
	case DNS_SERVFAIL:	return "servfail";
	case DNS_TIMEOUT:	return "timeout";
	case DNS_ERROR:		return "error";
	}
	return "error";
}

bool
dns_name_valid(const char *name)
{
	size_t len, lab = 0, i;

	if (name == NULL)
		return false;
	len = strlen(name);
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c == '.') {
			if (lab == 0)
				return false;
			lab = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
		if (++lab > 63)
			return false;
	}
	return lab > 0;
}

/* "ADDR" or "ADDR@PORT" into libunbound's "ADDR@PORT" (canonical ADDR). */
static int
dns_fwd_spec(const char *resolver, char *out, size_t outlen)
{
	char host[ADDR_STRLEN + 2], text[ADDR_STRLEN];
	const char *at = strrchr(resolver, '@');
	size_t hlen = at ? (size_t)(at - resolver) : strlen(resolver);
	struct addr a;
	long port = 53;
	int r;

	if (hlen == 0 || hlen >= sizeof(host))
		return -1;
	memcpy(host, resolver, hlen);
	host[hlen] = '\0';
	if (addr_parse(host, &a) == -1)
		return -1;
	if (at != NULL && str_to_long(at + 1, 1, 65535, &port) == -1)
		return -1;
	addr_format(&a, text, sizeof(text));
	r = snprintf(out, outlen, "%s@%ld", text, port);
	return (r < 0 || (size_t)r >= outlen) ? -1 : 0;
}

static int
dns_ub_option(struct ub_ctx *ub, const char *opt, const char *val,
    char **err)
{
	int r = ub_ctx_set_option(ub, opt, val);

	if (r != 0) {
		*err = xasprintf("resolver option %s %s: %s", opt, val,
		    ub_strerror(r));
		return -1;
	}
	return 0;
}

/* Every option must be set here: the first resolve finalizes the context. */
static int
dns_ub_setup(struct ub_ctx *ub, const char *resolver, char **err)
{
	char fwd[DNS_FWD_MAX], zone[128];
	size_t i;
	int r;

	if (resolver == NULL) {
		if ((r = ub_ctx_resolvconf(ub, NULL)) != 0) {
			*err = xasprintf("cannot use /etc/resolv.conf: %s",
			    ub_strerror(r));
			return -1;
		}
	} else {
		if (dns_fwd_spec(resolver, fwd, sizeof(fwd)) == -1) {
			*err = xasprintf("bad resolver \"%s\" (want ADDR or "
			    "ADDR@PORT)", resolver);
			return -1;
		}
		if ((r = ub_ctx_set_fwd(ub, fwd)) != 0) {
			*err = xasprintf("resolver %s: %s", fwd, ub_strerror(r));
			return -1;
		}
	}
	if (dns_ub_option(ub, "do-not-query-localhost:", "no", err) == -1 ||
	    dns_ub_option(ub, "unblock-lan-zones:", "yes", err) == -1)
		return -1;
	for (i = 0; i < sizeof(dns_upstream_zones) /
	    sizeof(dns_upstream_zones[0]); i++) {
		snprintf(zone, sizeof(zone), "%s transparent",
		    dns_upstream_zones[i]);
		if (dns_ub_option(ub, "local-zone:", zone, err) == -1)
			return -1;
	}
	return 0;
}

struct dns_ctx *
dns_ctx_new(struct event_base *base, const char *resolver, int timeout_ms,
    char **err)
{
	struct dns_ctx *ctx = NULL;

	*err = NULL;
	if (base == NULL || timeout_ms <= 0) {
		*err = xstrdup("dns: no event base or no timeout");
		goto err;
	}
	ctx = xcalloc(1, sizeof(*ctx));
	ctx->base = base;
	ctx->timeout_ms = timeout_ms;
	LIST_INIT(&ctx->reqs);
	if ((ctx->ub = ub_ctx_create_event(base)) == NULL) {
		*err = xstrdup("cannot create the resolver context");
		goto err;
	}
	if (dns_ub_setup(ctx->ub, resolver, err) == -1)
		goto err;
	return ctx;

 err:
	dns_ctx_free(ctx);
	return NULL;
}

static void
dns_req_free(struct dns_req *r)
{
	event_free(r->ev);
	dns_answer_clear(&r->answer);
	free(r);
}

void
dns_ctx_free(struct dns_ctx *ctx)
{
	struct dns_req *r;

	if (ctx == NULL)
		return;
	while ((r = LIST_FIRST(&ctx->reqs)) != NULL) {
		LIST_REMOVE(r, entry);
		if (!r->done)
			ub_cancel(ctx->ub, r->async_id);
		dns_req_free(r);
	}
	if (ctx->ub != NULL)
		ub_ctx_delete(ctx->ub);
	free(ctx);
}

unsigned
dns_ctx_queries(const struct dns_ctx *ctx)
{
	return ctx->nqueries;
}

/* Marks the answer final and delivers it from the event loop. */
static void
dns_req_finish(struct dns_req *r)
{
	r->done = true;
	event_del(r->ev);
	event_active(r->ev, EV_TIMEOUT, 1);
}

static void
dns_answer_fail(struct dns_answer *a, enum dns_status s, char *why)
{
	dns_answer_clear(a);
	a->status = s;
	a->why = why;
}

/* why text from libunbound may quote names from the network: escape it. */
static char *
dns_ub_why(const char *prefix, const char *why)
{
	char *esc, *s;

	if (why == NULL)
		return xstrdup(prefix);
	esc = str_escape(why, strlen(why), DNS_WHY_MAX);
	s = xasprintf("%s: %s", prefix, esc);
	free(esc);
	return s;
}

static void
dns_req_ub_cb(void *mydata, int rcode, void *packet, int packet_len, int sec,
    char *why_bogus, int was_ratelimited)
{
	struct dns_req *r = mydata;
	struct dns_answer *a = &r->answer;

	if (rcode != 0) {
		/* No usable packet: the resolver itself failed. */
		dns_answer_fail(a, rcode == DNS_UB_NXDOMAIN ? DNS_NXDOMAIN :
		    DNS_SERVFAIL, dns_ub_why(rcode == DNS_UB_SERVFAIL ?
		    "resolver failure (SERVFAIL)" : "resolver failure",
		    why_bogus));
		a->rcode = rcode;
	} else if (packet == NULL || packet_len <= 0) {
		dns_answer_fail(a, DNS_ERROR,
		    xstrdup("resolver returned no answer"));
	} else if (dns_parse(packet, (size_t)packet_len, r->type, a) == 0) {
		if (sec == DNS_UB_SEC_BOGUS)
			dns_answer_fail(a, DNS_SERVFAIL, dns_ub_why(
			    "DNSSEC validation failed", why_bogus));
		else if (sec == DNS_UB_SEC_SECURE)
			a->secure = true;
	}
	if (was_ratelimited && a->why == NULL && a->status != DNS_OK)
		a->why = xstrdup("the resolver rate-limited the query");
	dns_req_finish(r);
}

static void
dns_req_event(evutil_socket_t fd, short what, void *arg)
{
	struct dns_req *r = arg;
	struct dns_ctx *ctx = r->ctx;

	if (!r->done) {
		ub_cancel(ctx->ub, r->async_id);
		dns_answer_fail(&r->answer, DNS_TIMEOUT, xasprintf(
		    "no answer within %d ms", ctx->timeout_ms));
		r->done = true;
	}
	/* Unlinked first: the callback may free ctx. */
	LIST_REMOVE(r, entry);
	r->cb(r->arg, &r->answer);
	dns_req_free(r);
}

int
dns_query(struct dns_ctx *ctx, const char *name, int type, dns_cb *cb,
    void *arg)
{
	struct timeval tv;
	struct dns_req *r;
	int err;

	if (ctx == NULL || cb == NULL || !dns_name_valid(name) ||
	    type < 1 || type > 65535)
		return -1;
	r = xcalloc(1, sizeof(*r));
	r->ctx = ctx;
	r->cb = cb;
	r->arg = arg;
	r->type = type;
	if ((r->ev = evtimer_new(ctx->base, dns_req_event, r)) == NULL) {
		free(r);
		return -1;
	}
	LIST_INSERT_HEAD(&ctx->reqs, r, entry);
	err = ub_resolve_event(ctx->ub, name, type, 1 /* IN */, r,
	    dns_req_ub_cb, &r->async_id);
	if (err != 0 && !r->done) {
		dns_answer_fail(&r->answer, DNS_ERROR, xasprintf(
		    "resolver: %s", ub_strerror(err)));
		dns_req_finish(r);
	}
	if (err == 0)
		ctx->nqueries++;
	if (!r->done) {
		tv.tv_sec = ctx->timeout_ms / 1000;
		tv.tv_usec = (ctx->timeout_ms % 1000) * 1000;
		evtimer_add(r->ev, &tv);
	}
	return 0;
}
