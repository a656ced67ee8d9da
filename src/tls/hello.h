/* hello: ClientHellos we build ourselves (SSLv2 to TLS 1.3) and a bounded parser of the server's reply. */
#ifndef MXD_TLS_HELLO_H
#define MXD_TLS_HELLO_H

/*
 * Why not OpenSSL: Debian's OpenSSL has SSLv2, SSLv3, RC4 and 3DES
 * compiled out or locked behind security levels, yet servers still
 * accept them.  These hellos name any code point, in any version, and the
 * parser reads the answer up to the point that tells what the server
 * chose: we never finish a handshake.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls/suites.h"

/*
 * Building.
 */

/* Hard caps: suites in one hello, and the bytes a hello can take. */
#define TLS_HELLO_SUITES_MAX	512
#define TLS_HELLO_MAX		4096

struct tls_hello_params {
	uint16_t	 version;	/* TLS_V_SSL2 .. TLS_V_TLS13 */
	/* The suites, in our order of preference: TLS codes, or for SSLv2
	 * the 3-byte kinds.  Codes the table does not know are sent as
	 * given.  At least one, at most TLS_HELLO_SUITES_MAX. */
	const uint16_t	*suites;
	size_t		 nsuites;
	const uint32_t	*ssl2_kinds;
	size_t		 nssl2_kinds;
	/* SNI host name; NULL or an IP literal: no server_name extension.
	 * One trailing dot is dropped (servers reject it). */
	const char	*sni;
	/* For reproducible bytes (tests): the 32-byte random (SSLv2: its
	 * first 16 bytes are the challenge; TLS 1.3: also the session id),
	 * and the X25519 key share.  NULL: fresh random bytes, a fresh key. */
	const unsigned char *random;
	const unsigned char *x25519;
};

/*
 * tls_hello_build: writes one complete ClientHello, record header
 * included, to out (outsize bytes; TLS_HELLO_MAX always suffice) and its
 * length to *outlen.  Returns 0, or -1 with *err (static) set.
 *
 * What is sent:
 *  - SSLv2: the SSL 2.0 CLIENT-HELLO (2-byte header, version 0x0002), no
 *    session id, a 16-byte challenge.
 *  - SSLv3: record and client version 0x0300, the suites plus
 *    TLS_EMPTY_RENEGOTIATION_INFO_SCSV, null compression, no extensions
 *    (SSLv3 servers are the ones that choke on them).
 *  - TLS 1.0-1.2: record version 0x0301 (what clients use, RFC 5246 E.1),
 *    client_version as asked, empty session id; extensions server_name
 *    (if any), ec_point_formats, supported_groups (EC groups only, so
 *    that a DHE server shows its own DH group), signature_algorithms (1.2
 *    only, RFC 5246 7.4.1.4.1), renegotiation_info, extended_master_secret.
 *  - TLS 1.3: legacy_version 0x0303, a 32-byte session id (middlebox
 *    compatibility), the TLS 1.3 suites, server_name, supported_groups
 *    (EC and FFDHE), signature_algorithms, supported_versions (TLS 1.3
 *    only), psk_key_exchange_modes (psk_dhe_ke) and a key_share for
 *    X25519: enough for a ServerHello or a HelloRetryRequest.
 *  - A padding extension (RFC 7685) lifts TLS hellos of 256-511 bytes to
 *    512: some middleboxes (F5) drop hellos of that size.
 */
int tls_hello_build(const struct tls_hello_params *p, unsigned char *out,
    size_t outsize, size_t *outlen, const char **err);

/*
 * Parsing the reply.
 */

/* Caps on what the server may make us hold. */
#define TLS_REPLY_MAX		(256 * 1024)	/* bytes fed in all */
#define TLS_RECORD_MAX		(16384 + 2048)	/* RFC 5246 6.2.3 */
#define TLS_HS_MSG_MAX		(128 * 1024)	/* one handshake message */
#define TLS_REPLY_CERTS_MAX	16		/* certificates kept */
#define TLS_REPLY_SSL2_MAX	64		/* SSLv2 cipher kinds kept */
#define TLS_REPLY_TEXT_MAX	160		/* escaped plaintext kept */

enum tls_reply_kind {
	TLS_REPLY_PENDING = 0,	/* nothing conclusive yet */
	TLS_REPLY_HELLO,	/* a ServerHello (SSLv3 to TLS 1.3) */
	TLS_REPLY_HRR,		/* a TLS 1.3 HelloRetryRequest */
	TLS_REPLY_SSL2_HELLO,	/* an SSLv2 SERVER-HELLO */
	TLS_REPLY_ALERT,	/* a fatal alert (or close_notify) first */
	TLS_REPLY_SSL2_ERROR,	/* an SSLv2 ERROR message */
	TLS_REPLY_CLOSED,	/* closed before anything complete came */
	TLS_REPLY_NOT_TLS,	/* plaintext or another protocol */
	TLS_REPLY_MALFORMED	/* TLS-like but broken, or over a cap */
};
const char *tls_reply_kind_name(enum tls_reply_kind k);	/* "hello", ... */

/* What the reply said.  Fields that were not seen are 0 (alerts: -1). */
struct tls_reply_info {
	enum tls_reply_kind kind;
	/* complete: the flight we wait for was read: up to ServerHelloDone
	 * up to TLS 1.2, the ServerHello (or HRR) in TLS 1.3, the whole
	 * SSLv2 message.  A ServerHello followed by a close or an alert is
	 * kept as HELLO, with complete false. */
	bool		 complete;
	uint16_t	 record_version;	/* of the first record */
	uint16_t	 version;	/* chosen: supported_versions, else legacy */
	uint16_t	 legacy_version;
	uint16_t	 suite;
	uint8_t		 compression;
	/* key exchange: the TLS 1.3 key_share (or HRR) group, or the named
	 * curve of a TLS 1.2 ECDHE ServerKeyExchange */
	uint16_t	 group;
	bool		 explicit_curve;	/* ECDHE with explicit parameters */
	int		 dh_bits;	/* DHE prime, from ServerKeyExchange */
	int		 rsa_export_bits;/* temporary RSA key of export suites */
	bool		 secure_reneg;	/* renegotiation_info answered (RFC 5746) */
	bool		 ems;		/* extended_master_secret answered */
	/* RFC 8446 4.1.3: the server random ends in DOWNGRD: it speaks a
	 * higher version than the one it chose */
	bool		 downgrade;
	bool		 cert_request;
	size_t		 ncerts;	/* certificates sent (the first
					 * TLS_REPLY_CERTS_MAX are kept) */
	/* The alert that ended the reply (also after a ServerHello), and
	 * the first warning alert seen before it; level/description or -1. */
	int		 alert_level;
	int		 alert;
	int		 warning;
	/* SSLv2 */
	uint16_t	 ssl2_version;
	uint32_t	 ssl2_kinds[TLS_REPLY_SSL2_MAX];
	size_t		 nssl2_kinds;	/* kept; ssl2_total counts all */
	size_t		 ssl2_total;
	int		 ssl2_error;	/* SSLv2 error code, or -1 */
	/* NOT_TLS: the first bytes, escaped (str_escape), never NULL. */
	const char	*text;
	/* Why the reply is MALFORMED, static text, never NULL ("" if
	 * fine).  Also set when broken data followed a ServerHello: the
	 * kind then stays HELLO (the server did choose), complete false. */
	const char	*error;
	size_t		 bytes;		/* fed so far */
};

struct tls_reply;

struct tls_reply *tls_reply_new(void);
void tls_reply_free(struct tls_reply *r);	/* NULL is a no-op */
/* tls_reply_feed: the next bytes from the server, in order.  Returns true
 * once the verdict is final (then further bytes are ignored). */
bool tls_reply_feed(struct tls_reply *r, const void *data, size_t len);
/* tls_reply_eof: the server closed (or we stop reading): settles the
 * verdict (CLOSED, a HELLO without its end, MALFORMED for a truncated
 * record). */
void tls_reply_eof(struct tls_reply *r);
bool tls_reply_done(const struct tls_reply *r);
/* Borrowed until the next feed/eof or tls_reply_free(). */
const struct tls_reply_info *tls_reply_info(const struct tls_reply *r);
/* tls_reply_cert: the i-th certificate as sent (DER, leaf first; the
 * SSLv2 server's certificate is number 0), or NULL. */
const unsigned char *tls_reply_cert(const struct tls_reply *r, size_t i,
    size_t *len);

/*
 * Names.
 */

/* tls_alert_name: "handshake_failure", ... or NULL if unassigned. */
const char *tls_alert_name(int desc);
/* tls_group_name: "x25519", "secp256r1", "ffdhe2048", ... or NULL. */
const char *tls_group_name(uint16_t group);
/* tls_ssl2_error_name: "NO-CIPHER-ERROR", ... or NULL. */
const char *tls_ssl2_error_name(int code);

#endif
