/* handshake: one OpenSSL client handshake over an existing bufferevent (after STARTTLS or for smtps). */
#ifndef MXD_TLS_HANDSHAKE_H
#define MXD_TLS_HANDSHAKE_H

#include <stdbool.h>
#include <openssl/ssl.h>

struct event_base;
struct bufferevent;
struct tls_handshake;

/* What the handshake saw.  Strings and chain are owned by the handshake
 * object and valid until tls_handshake_free() (not tied to the filter
 * bufferevent: they survive freeing it). */
struct tls_handshake_info {
	bool		 ok;
	const char	*version;	/* "TLSv1.3", ... or NULL */
	const char	*cipher;	/* IANA name, e.g. "TLS_AES_256_GCM_SHA384" */
	const char	*cipher_openssl;/* OpenSSL name */
	int		 cipher_bits;
	/* key-exchange group as OpenSSL names it ("x25519", "secp256r1",
	 * ...), "DH <bits>" for finite-field DHE with the server's own
	 * parameters, NULL for RSA key exchange */
	const char	*group;
	/* on failure: OpenSSL's reason(s), oldest first, joined by "; "
	 * ("wrong version number", "tlsv1 alert protocol version"), or
	 * "unexpected eof while reading (connection closed by peer)",
	 * "connection error: <errno text>", "handshake timed out after N
	 * ms", plus "received fatal <alert>" when the peer's alert is not
	 * named already.  "" on success; never NULL. */
	const char	*error;
	int		 alert_received;/* first TLS alert code from the peer, or -1 */
	/* The chain exactly as the server sent it, leaf first (owned; up-ref
	 * what you keep).  On success never NULL, but empty if the server
	 * sent no certificate; NULL on failure. */
	STACK_OF(X509)	*chain;
	/* TLS 1.3 session tickets that came in the server's first flight,
	 * before our Finished could have reached it: already processed or
	 * already received when the handshake completed.  Servers that send
	 * them only after our Finished (OpenSSL, hence Postfix) never set it;
	 * a ticket split from that flight by the network can be missed, never
	 * invented. */
	bool		 tickets_early;
};

struct tls_handshake_params {
	const char	*sni;		/* NULL or an IP literal: send no SNI */
	int		 timeout_ms;	/* whole handshake; <= 0: 30000 */
	/* insecure_all_versions: allow TLS 1.0/1.1 and security level 0 so
	 * that we learn what the server does, not what our OpenSSL prefers.
	 * The check layer always sets it: we diagnose, we never send mail.
	 * Precisely: TLS 1.0 to 1.3, cipher list "ALL:!aNULL:@SECLEVEL=0"
	 * (anonymous suites would hide the server's certificate), and
	 * servers without secure renegotiation (RFC 5746) accepted.  Off:
	 * TLS 1.2 and up with OpenSSL's default ciphers and level. */
	bool		 insecure_all_versions;
};

/* tls_handshake_start: wraps raw (not freed, not owned) in an OpenSSL
 * filter bufferevent and runs the client handshake.  Certificate
 * verification is NOT done here (the chain is analysed by x509.h).
 * The filter takes over raw's callbacks: raw's owner must not set them
 * again, and frees raw whenever it likes (before or after the filter:
 * the filter holds its own reference).  Bytes already in raw's input
 * are taken as the server's first TLS bytes.
 * done() is called exactly once, from the event loop (never from inside
 * this function), unless tls_handshake_free() comes first; on success the
 * caller takes the TLS bufferevent with tls_handshake_take_bev().  done()
 * may call tls_handshake_free(h) (the object then goes when done()
 * returns); take the bufferevent and set its callbacks inside done(), so
 * that data that came with the server's last flight reaches them.
 * Returns NULL (with *err set to a static string) if setup fails. */
struct tls_handshake *tls_handshake_start(struct event_base *base,
    struct bufferevent *raw, const struct tls_handshake_params *params,
    void (*done)(struct tls_handshake *, const struct tls_handshake_info *,
    void *), void *arg, const char **err);
/* tls_handshake_take_bev: after success, the filter bufferevent, with no
 * callbacks set and reading enabled; the caller owns it from then on.  It
 * owns the SSL (bufferevent_openssl_get_ssl() borrows it): freeing it
 * frees the SSL, never raw.  NULL before success, after failure, or when
 * taken already. */
struct bufferevent *tls_handshake_take_bev(struct tls_handshake *h);
/* tls_handshake_tickets: TLS 1.3 NewSessionTicket messages received so
 * far on a filter returned by tls_handshake_take_bev() (0 for anything
 * else).  OpenSSL processes them when it reads, so read after the first
 * reply over TLS (the post-STARTTLS EHLO) for the count a sender sees. */
int tls_handshake_tickets(struct bufferevent *tls);

/* tls_handshake_free: at any time, also inside done(); before done() it
 * aborts the handshake (done() is then never called).  Frees the filter
 * unless it was taken.  NULL is a no-op. */
void tls_handshake_free(struct tls_handshake *h);

#endif
