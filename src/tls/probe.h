/* probe: our own ClientHellos over the caller's connections: one probe, the versions scan and the cipher-suite scan. */
#ifndef MXD_TLS_PROBE_H
#define MXD_TLS_PROBE_H

/*
 * Three layers, each usable alone:
 *  - tls_probe: one ClientHello on one connected bufferevent, one verdict.
 *  - the connection provider: the caller's way of handing out fresh
 *    connections positioned where a ClientHello goes (after the 220 to
 *    STARTTLS, or right after connect for implicit TLS).  The engine knows
 *    nothing of SMTP; the caller also enforces connection limits and
 *    politeness.
 *  - tls_scan: a strategy over many probes, one connection at a time:
 *    which versions are accepted (one connection per version), and which
 *    suites per version in the server's order (offer-and-drop).
 * Everything calls back from the event loop only, never from inside the
 * call that started it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls/hello.h"
#include "tls/profile.h"
#include "tls/suites.h"

struct event_base;
struct bufferevent;

/*
 * One probe.
 */

enum tls_verdict {
	TLS_VERDICT_NONE = 0,	/* not probed */
	TLS_VERDICT_ACCEPTED,	/* ServerHello/HRR/SSLv2 SERVER-HELLO for the
				 * version asked */
	TLS_VERDICT_OTHER_VERSION,	/* a ServerHello, for another version */
	TLS_VERDICT_ALERT,	/* refused with an alert (or SSLv2 ERROR) */
	TLS_VERDICT_CLOSED,	/* refused by closing the connection */
	TLS_VERDICT_NOT_TLS,	/* answered in plaintext (see detail) */
	TLS_VERDICT_MALFORMED,	/* broken TLS */
	TLS_VERDICT_TIMEOUT,	/* no verdict in time */
	TLS_VERDICT_CONN_FAILED,/* the provider could not give a connection */
	TLS_VERDICT_ERROR	/* local trouble: the hello could not be built */
};
const char *tls_verdict_name(enum tls_verdict v);	/* "accepted", ... */
/* tls_verdict_rejected: the server itself said no (alert, close, other
 * version), as opposed to not knowing (timeout, not TLS, ...). */
bool tls_verdict_rejected(enum tls_verdict v);

/* One certificate as sent, DER. */
struct tls_der {
	unsigned char	*data;
	size_t		 len;
};

/* A probe's outcome.  Owned by whoever filled it; free the contents
 * with tls_probe_result_clear(). */
struct tls_probe_result {
	enum tls_verdict	 verdict;
	uint16_t		 version_asked;
	/* what the server said (see hello.h); reply.text points to the
	 * text field below, reply.error to static text */
	struct tls_reply_info	 reply;
	/* the suite chosen was not among those offered (a broken server);
	 * the verdict is still ACCEPTED */
	bool			 suite_not_offered;
	/* one line, escaped, e.g. "fatal alert handshake_failure", "closed by
	 * the server", "not TLS: 454 4.7.0 TLS not available\r\n",
	 * "accepted TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
	char			*detail;
	struct tls_der		*chain;		/* leaf first; NULL if none */
	size_t			 nchain;
	long			 ms;		/* hello sent to verdict */
	char			*text;		/* what reply.text points to */
};
void tls_probe_result_clear(struct tls_probe_result *r);

struct tls_probe_params {
	uint16_t	 version;
	const uint16_t	*suites;	/* TLS; order kept */
	size_t		 nsuites;
	const uint32_t	*ssl2_kinds;	/* SSLv2; NULL: every kind we know */
	size_t		 nssl2_kinds;
	const char	*sni;		/* NULL: no SNI */
	int		 timeout_ms;	/* <= 0: 10000 */
	/* wait_flight: up to TLS 1.2 keep reading to ServerHelloDone for
	 * the certificate and the key exchange (DH size, curve); otherwise
	 * the verdict comes with the ServerHello. */
	bool		 wait_flight;
};

struct tls_probe;

/* tls_probe_start: sends the hello on bev (borrowed: connected, at the
 * point where the ClientHello goes; the probe takes over its callbacks)
 * and calls done() once with the verdict.  By then bev's callbacks are
 * cleared and it is disabled: the caller frees or returns it.  done() may
 * call tls_probe_free().  Returns NULL with *err (static) if the hello
 * cannot be built. */
struct tls_probe *tls_probe_start(struct event_base *base,
    struct bufferevent *bev, const struct tls_probe_params *params,
    void (*done)(struct tls_probe *, const struct tls_probe_result *, void *),
    void *arg, const char **err);
/* tls_probe_take_result: moves the result out (inside done() or after
 * it): *out is the caller's to clear, the probe's copy is emptied. */
void tls_probe_take_result(struct tls_probe *p, struct tls_probe_result *out);
/* NULL is a no-op; before done() it abandons the probe (done() is never
 * called; bev's callbacks are cleared). */
void tls_probe_free(struct tls_probe *p);

/*
 * The connection provider.
 */

struct tls_conn_req;

struct tls_conn_provider {
	/* get: the engine wants a fresh connection.  Answer exactly once,
	 * now (even from inside get) or later, with tls_conn_ready() or
	 * tls_conn_failed(). */
	void	(*get)(struct tls_conn_req *req, void *arg);
	/* put: the engine is done with a connection it got from ready():
	 * bev has no callbacks and is disabled; the provider closes it
	 * (e.g. smtp_client_tls_failed(), which also ends that SMTP
	 * session).  The engine never frees a bev it was given. */
	void	(*put)(struct bufferevent *bev, void *conn_arg, void *arg);
	/* cancel: the scan was freed while req was pending: the provider
	 * forgets req (freed by the engine) and must not answer it; it
	 * closes any connection it was preparing itself. */
	void	(*cancel)(struct tls_conn_req *req, void *arg);
	void	*arg;
};

/* ready: bev is connected and positioned for the ClientHello; conn_arg
 * comes back with put().  failed: no connection (refused, 421 rate
 * limiting, STARTTLS refused, the per-address limit reached); detail is
 * copied and ends the scan, which keeps what it learnt. */
void tls_conn_ready(struct tls_conn_req *req, struct bufferevent *bev,
    void *conn_arg);
void tls_conn_failed(struct tls_conn_req *req, const char *detail);

/*
 * Scans.
 */

struct tls_scan_params {
	const char	*sni;		/* NULL: no SNI */
	int		 timeout_ms;	/* per probe; <= 0: 10000 */
	/* Connections the scan may use in all; <= 0: no limit.  Reaching
	 * it ends the scan, incomplete. */
	int		 max_connections;
};

/* One version, as the versions scan saw it. */
struct tls_version_probe {
	uint16_t	 version;
	bool		 tested;
	bool		 accepted;
	struct tls_probe_result result;	/* verdict, reply, detail, chain */
};

struct tls_versions_result {
	struct tls_version_probe v[TLS_NVERSIONS];	/* by tls_version_index */
	unsigned	 accepted;	/* tls_version_bit mask */
	int		 connections;
	bool		 complete;	/* every version asked was tested */
	const char	*error;		/* why not complete, or "" */
};

/* One accepted suite and the key exchange that came with it. */
struct tls_suite_seen {
	uint16_t	 suite;
	uint16_t	 group;		/* ECDHE curve / TLS 1.3 group, or 0 */
	int		 dh_bits;	/* DHE prime size, or 0 */
	int		 rsa_export_bits;
};

struct tls_version_ciphers {
	uint16_t		 version;
	bool			 tested;
	bool			 complete;	/* enumeration ran to its end */
	/* in the order the server chose them: its preference when
	 * order is SERVER (client order: the order we offered) */
	struct tls_suite_seen	*suites;
	size_t			 nsuites;
	uint16_t		*codes;		/* the same, codes only */
	uint32_t		*ssl2_kinds;	/* SSLv2: the server's list */
	size_t			 nssl2_kinds;
	enum tls_order		 order;
	bool			 split;		/* the server choked on a big
						 * hello: offers were split */
	int			 connections;
	const char		*error;		/* why incomplete, or "" */
};

struct tls_ciphers_result {
	struct tls_version_ciphers v[TLS_NVERSIONS];
	int			 connections;
	bool			 complete;
	const char		*error;
};

struct tls_ciphers_params {
	/* Versions to enumerate (tls_version_bit mask); 0: those that
	 * `known` says are accepted, or all if known is NULL. */
	unsigned	 versions;
	/* Candidates for TLS versions, in our order of preference (copied;
	 * each version uses those it can carry); NULL: every suite of the
	 * table usable in that version except PSK/SRP/KRB5/ECCPWD, which
	 * need set-up, in tls_suites_for_version() order.  A short list
	 * (a profile's suites plus the weak ones) makes a quick scan. */
	const uint16_t	*candidates;
	size_t		 ncandidates;
	/* Size of the pieces a big offer is split into when the server
	 * chokes on it; 0: 64 (what nmap and Internet.nl use). */
	size_t		 chunk;
	/* The versions scan, if run: which versions to enumerate and
	 * which suite each accepted, to tell a choke from a refusal.
	 * Borrowed: it must stay valid until done(). */
	const struct tls_versions_result *known;
	/* detect_order: one more connection per version, only when the
	 * server's picks came in our own offer order, to tell server
	 * preference from client preference. */
	bool		 detect_order;
};

struct tls_scan;

/* tls_scan_versions: probes each version in the mask (0: all six), TLS
 * 1.3 first and SSLv2 last, so that a scan cut short (rate limiting)
 * has learnt what matters most; one connection each.  Each hello offers
 * the table's suites usable in that version, without those that need
 * set-up (PSK, SRP, KRB5, ECCPWD), strongest first, at most
 * TLS_SCAN_VERSION_SUITES (twice that would risk the servers that
 * choke on big hellos; what falls off, for TLS 1.2 only, are a few
 * anonymous legacy suites, static-DH, non-standard, export and NULL
 * suites: every ECDHE, DHE and RSA suite stays, RC4 and 3DES included).
 * SSLv2 offers every SSLv2 kind.
 * done() is called once when finished (or stopped); it may free the
 * scan.  Never NULL.  Versions not tested keep a zeroed result
 * (verdict TLS_VERDICT_NONE). */
#define TLS_SCAN_VERSION_SUITES	128
struct tls_scan *tls_scan_versions(struct event_base *base,
    const struct tls_scan_params *params, unsigned versions,
    const struct tls_conn_provider *provider,
    void (*done)(struct tls_scan *, void *), void *arg);

/*
 * tls_scan_ciphers: per version, offer all candidates, record the suite
 * the server picks, drop it, offer the rest, until the server refuses:
 * accepted + 1 connections per version.  A refusal of an offer larger
 * than `chunk` (and larger than any offer the server did answer) is
 * taken for a choke when it is not handshake_failure or
 * insufficient_security (a close, a timeout, an odd alert) or when the
 * offer holds the suite the versions scan saw accepted: the offer is
 * then split into pieces of `chunk`.  A server that picks a suite we
 * did not offer ends that version's enumeration (error set).  SSLv2 takes one connection (the
 * server lists its kinds).  TLS 1.2 and older wait for the whole flight
 * so that each suite comes with its DH size or curve.
 */
struct tls_scan *tls_scan_ciphers(struct event_base *base,
    const struct tls_scan_params *params,
    const struct tls_ciphers_params *cparams,
    const struct tls_conn_provider *provider,
    void (*done)(struct tls_scan *, void *), void *arg);

/* Results, borrowed until tls_scan_free(); NULL for the other kind of
 * scan.  Complete only after done(). */
const struct tls_versions_result *tls_scan_versions_result(
    const struct tls_scan *s);
const struct tls_ciphers_result *tls_scan_ciphers_result(
    const struct tls_scan *s);
int tls_scan_connections(const struct tls_scan *s);
/* NULL is a no-op.  Before done(): stops the scan (done() is never
 * called), hands back a connection in use with put() and cancels a
 * pending request with cancel(). */
void tls_scan_free(struct tls_scan *s);

/* tls_server_view_fill: the view tls_profile_negotiate() reads, from a
 * versions scan and (optionally) a cipher scan; borrows their arrays. */
void tls_server_view_fill(struct tls_server_view *view,
    const struct tls_versions_result *versions,
    const struct tls_ciphers_result *ciphers);

#endif
