/* run: the private state of one check_run, shared by check.c, probe_addr.c and probe_session.c. */
#ifndef MXD_CHECK_RUN_H
#define MXD_CHECK_RUN_H

#include <openssl/x509.h>

#include "check/check.h"
#include "dns/dns.h"
#include "tls/x509.h"

struct bufferevent;
struct event_base;
struct session;

#define RUN_MAX_MX		16	/* MX hosts checked per domain */
#define RUN_MAX_ADDRS		16	/* addresses per host and family */
#define RUN_MAX_PTR_NAMES	5	/* PTR names forward-checked per address */

struct run {
	struct event_base	 *base;
	struct dns_ctx		 *dns;
	struct x509_trust	 *trust;
	struct report		 *r;
	const struct check_opts	 *o;
	int			  pending;	/* outstanding DNS queries and sessions */
	/* SMTP sessions: all of them (for the chain analysis after the loop)
	 * and the index of the next one to start. */
	struct session		**sessions;
	size_t			  nsessions;
	size_t			  next_session;
	int			  active_sessions;
};

/* run_hold/run_release: count outstanding work; the loop ends when the
 * count returns to zero. */
void run_hold(struct run *run);
void run_release(struct run *run);
/* run_query: holds the run and starts a DNS query; a query that cannot
 * start (an invalid name from DNS data) is answered at once with
 * DNS_ERROR, so cb always runs exactly once and releases the hold. */
void run_query(struct run *run, const char *name, int type, dns_cb *cb,
    void *arg);
void run_progress(struct run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* probe_addr.c: PTR with forward confirmation, and DNSBL queries, for a. */
void probe_addr_dns(struct run *run, struct addr_result *a);

/* probe_session.c: queues one SMTP(+TLS) session to a; host is the name
 * used for SNI and the certificate check (NULL for address literals). */
void probe_session_queue(struct run *run, struct addr_result *a,
    const char *host);
/* tls_conn.c: fresh connections positioned for a ClientHello, per
 * address, within --max-conn and --delay; a 421 stops the pool.  cb gets
 * raw (lent: hand it back with tconn_put) or NULL and why; it may come
 * from inside tconn_get. */
struct tconn;
struct tconn_pool;
typedef void tconn_cb(struct tconn *, struct bufferevent *raw,
    const char *why, void *arg);
struct tconn_pool *tconn_pool_new(struct run *run, struct addr_result *a);
struct tconn *tconn_get(struct tconn_pool *p, tconn_cb *cb, void *arg);
void tconn_put(struct tconn *tc);
void tconn_cancel(struct tconn *tc);
bool tconn_pool_rate_limited(const struct tconn_pool *p);
const char *tconn_pool_stop_why(const struct tconn_pool *p);
void tconn_pool_close(struct tconn_pool *p, void (*done)(void *), void *arg);

/* probe_tls.c: after the main session of a: versions, suites, profile,
 * no-SNI handshake; holds the run until done. */
void probe_tls_start(struct run *run, struct addr_result *a,
    const char *host);

/* Starts queued sessions up to the concurrency limit. */
void probe_session_kick(struct run *run);
/* After the loop: analyses every chain (with all chains seen as the pool
 * of intermediates) and frees the sessions. */
void probe_session_finish(struct run *run);

#endif
