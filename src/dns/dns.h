/* dns: asynchronous DNS queries through libunbound in the libevent loop, with deadlines. */
#ifndef MXD_DNS_DNS_H
#define MXD_DNS_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/addr.h"

struct event_base;
struct dns_ctx;

#define DNS_T_A		1
#define DNS_T_PTR	12
#define DNS_T_MX	15
#define DNS_T_TXT	16
#define DNS_T_AAAA	28
#define DNS_T_TLSA	52

enum dns_status {
	DNS_OK,		/* at least one record of the asked type */
	DNS_NODATA,	/* name exists, no record of that type */
	DNS_NXDOMAIN,
	DNS_SERVFAIL,	/* server failure or refused */
	DNS_TIMEOUT,	/* our deadline passed */
	DNS_ERROR	/* resolver or parse error (see why) */
};
const char *dns_status_name(enum dns_status s);	/* "ok", "nodata", ... */

/* One record of the asked type, decoded.  CNAMEs are followed by the
 * resolver and not listed.
 *
 * name: lower case, no trailing dot; the root is ".", so a null MX
 * (RFC 7505) reads pref 0, name ".".  Bytes inside a label other than
 * [a-z0-9-_] (a '.' within a label, '*', spaces, controls, 8-bit) are
 * written as \xNN: the name is always safe to print, and a name that
 * contains a backslash is not a valid host name.
 * txt: the character-strings concatenated without separator, escaped with
 * str_escape() and cut to at most 1024 bytes (ending in "..." when cut).
 * rdata/rdlen: a copy of the raw RDATA for types without a decoder here
 * (e.g. TLSA), NULL/0 for A, AAAA, MX, PTR and TXT. */
struct dns_rr {
	int		 type;
	uint32_t	 ttl;
	int		 pref;		/* MX preference */
	char		*name;		/* MX exchange / PTR target, no trailing dot, lower case */
	struct addr	 addr;		/* A / AAAA */
	char		*txt;		/* TXT strings concatenated, escaped (safe to print) */
	uint8_t		*rdata;		/* raw RDATA of other types, or NULL */
	size_t		 rdlen;
};

struct dns_answer {
	enum dns_status	 status;
	int		 rcode;
	bool		 secure;	/* DNSSEC validated (false without a trust anchor) */
	char		*why;		/* failure detail, or NULL */
	struct dns_rr	*rrs;		/* at most DNS_MAX_RRS */
	size_t		 nrrs;
};
#define DNS_MAX_RRS	64	/* records kept per answer; the rest are dropped */

/* Callback: answer is borrowed for the duration of the call. */
typedef void dns_cb(void *arg, const struct dns_answer *answer);

/* dns_ctx_new: resolver: NULL uses /etc/resolv.conf; otherwise
 * "ADDR" or "ADDR@PORT" (IPv4 or IPv6, e.g. "::1@5353") as the only
 * upstream, queried recursively (RD set), loopback allowed.  Every query
 * goes to the resolver: libunbound's built-in local zones for test.,
 * 127.in-addr.arpa., the private and documentation reverse zones and the
 * like are turned off, so a lab resolver can answer for them (localhost.
 * is still answered locally).  No DNSSEC trust anchor is loaded.
 * timeout_ms (> 0) is the deadline of every query.  base must outlive
 * the context.  Returns NULL and sets *err (malloc'd) on failure. */
struct dns_ctx *dns_ctx_new(struct event_base *base, const char *resolver,
    int timeout_ms, char **err);
/* Cancels outstanding queries without calling their callbacks.  Safe with
 * queries in flight and from inside a dns_cb.  dns_ctx_free(NULL) is a
 * no-op.  After a DNS_TIMEOUT, libunbound keeps retrying the cancelled
 * query on the base (17 s measured against a silent server) without
 * calling anyone, so event_base_dispatch() does not return by itself
 * until then: break the loop or free the context once the answers you
 * wait for have arrived. */
void dns_ctx_free(struct dns_ctx *ctx);

/* dns_query: starts a query; cb is called exactly once from the event loop
 * (never from inside dns_query), and may itself call dns_query or
 * dns_ctx_free.  Returns 0, or -1 if the query could not be started (cb
 * not called): name is not a valid DNS name (see dns_name_valid) or type
 * is not in 1-65535.  A resolver that fails to start the query is
 * reported through cb as DNS_ERROR, not by -1. */
int dns_query(struct dns_ctx *ctx, const char *name, int type, dns_cb *cb,
    void *arg);
/* Number of queries handed to the resolver so far, including those it
 * answered from its cache (for the report). */
unsigned dns_ctx_queries(const struct dns_ctx *ctx);

/* dns_name_valid: name is at most 253 characters (plus an optional
 * trailing dot), made of non-empty labels of at most 63 characters from
 * [A-Za-z0-9-_] (IDNs must be given as A-labels). */
bool dns_name_valid(const char *name);

/* dns_parse: decodes a DNS response packet (untrusted: bounded, checks
 * every offset, compression loops and record counts) into *out, keeping
 * records of type qtype from the answer section.  Returns 0 or -1 (with
 * out->status DNS_ERROR and out->why set).  Free with dns_answer_clear(). */
int dns_parse(const uint8_t *pkt, size_t len, int qtype, struct dns_answer *out);
void dns_answer_clear(struct dns_answer *a);

#endif
