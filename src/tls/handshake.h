/* handshake: one OpenSSL client handshake over an existing bufferevent (after STARTTLS or for smtps). */
#ifndef MXD_TLS_HANDSHAKE_H
#define MXD_TLS_HANDSHAKE_H

#include <stdbool.h>
#include <openssl/ssl.h>

struct event_base;
struct bufferevent;
struct tls_handshake;

/* What the handshake saw.  Strings are owned by the handshake object. */
struct tls_handshake_info {
	bool		 ok;
	const char	*version;	/* "TLSv1.3", ... or NULL */
	const char	*cipher;	/* IANA name, e.g. "TLS_AES_256_GCM_SHA384" */
	const char	*cipher_openssl;/* OpenSSL name */
	int		 cipher_bits;
	const char	*group;		/* key-exchange group, e.g. "X25519", or NULL */
	const char	*error;		/* on failure: OpenSSL reason(s) and/or alert, never NULL */
	int		 alert_received;/* TLS alert code from the peer, or -1 */
	/* The chain exactly as the server sent it, leaf first (owned; up-ref
	 * what you keep). */
	STACK_OF(X509)	*chain;
};

struct tls_handshake_params {
	const char	*sni;		/* NULL: send no SNI */
	int		 timeout_ms;
	/* insecure_all_versions: allow TLS 1.0/1.1 and security level 0 so
	 * that we learn what the server does, not what our OpenSSL prefers.
	 * The check layer always sets it: we diagnose, we never send mail. */
	bool		 insecure_all_versions;
};

/* tls_handshake_start: wraps raw (not freed, not owned) in an OpenSSL
 * filter bufferevent and runs the client handshake.  Certificate
 * verification is NOT done here (the chain is analysed by x509.h).
 * done() is called exactly once, from the event loop; on success the
 * caller takes the TLS bufferevent with tls_handshake_take_bev().
 * Returns NULL (with *err set to a static string) if setup fails. */
struct tls_handshake *tls_handshake_start(struct event_base *base,
    struct bufferevent *raw, const struct tls_handshake_params *params,
    void (*done)(struct tls_handshake *, const struct tls_handshake_info *,
    void *), void *arg, const char **err);
/* tls_handshake_take_bev: after success, the filter bufferevent; the
 * caller owns it from then on (freeing it does not free raw). */
struct bufferevent *tls_handshake_take_bev(struct tls_handshake *h);
void tls_handshake_free(struct tls_handshake *h);	/* NULL is a no-op */

#endif
