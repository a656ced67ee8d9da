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
 * resolver and not listed. */
struct dns_rr {
	int		 type;
	uint32_t	 ttl;
	int		 pref;		/* MX preference */
	char		*name;		/* MX exchange / PTR target, no trailing dot, lower case */
	struct addr	 addr;		/* A / AAAA */
	char		*txt;		/* TXT strings concatenated, escaped (safe to print) */
};

struct dns_answer {
	enum dns_status	 status;
	int		 rcode;
	bool		 secure;	/* DNSSEC validated (false without a trust anchor) */
	char		*why;		/* failure detail, or NULL */
	struct dns_rr	*rrs;
	size_t		 nrrs;
};

/* Callback: answer is borrowed for the duration of the call. */
typedef void dns_cb(void *arg, const struct dns_answer *answer);

/* dns_ctx_new: resolver: NULL uses /etc/resolv.conf; otherwise
 * "ADDR" or "ADDR@PORT" (IPv4 or IPv6) as the only upstream, queried
 * recursively (RD set), loopback allowed.  timeout_ms is the deadline of
 * every query.  Returns NULL and sets *err (malloc'd) on failure. */
struct dns_ctx *dns_ctx_new(struct event_base *base, const char *resolver,
    int timeout_ms, char **err);
/* Cancels outstanding queries without calling their callbacks. */
void dns_ctx_free(struct dns_ctx *ctx);

/* dns_query: starts a query; cb is called exactly once from the event loop
 * (never from inside dns_query).  Returns 0, or -1 if the query could not
 * be started (cb not called). */
int dns_query(struct dns_ctx *ctx, const char *name, int type, dns_cb *cb,
    void *arg);
/* Number of queries sent so far (for the report). */
unsigned dns_ctx_queries(const struct dns_ctx *ctx);

/* dns_parse: decodes a DNS response packet (untrusted: bounded, checks
 * every offset, compression loops and record counts) into *out, keeping
 * records of type qtype from the answer section.  Returns 0 or -1 (with
 * out->status DNS_ERROR and out->why set).  Free with dns_answer_clear(). */
int dns_parse(const uint8_t *pkt, size_t len, int qtype, struct dns_answer *out);
void dns_answer_clear(struct dns_answer *a);

#endif
