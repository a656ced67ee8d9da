/* harness: server flights crafted from the RFC structures, a scripted fake TLS server and a connection provider, for the probe tests. */
#ifndef MXD_TESTS_PROBE_HARNESS_H
#define MXD_TESTS_PROBE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#include "tls/probe.h"

struct event_base;

/*
 * Bytes.  Every helper aborts the test on misuse; tb_open/tb_close patch
 * a length field as the builder in src/tls/hello.c does.
 */
struct tbuf {
	unsigned char	*p;
	size_t		 n;
	size_t		 cap;
};
void tb_free(struct tbuf *b);
void tb_put(struct tbuf *b, const void *data, size_t n);
void tb_u8(struct tbuf *b, unsigned v);
void tb_u16(struct tbuf *b, unsigned v);
void tb_u24(struct tbuf *b, size_t v);
size_t tb_open(struct tbuf *b, size_t lenbytes);
void tb_close(struct tbuf *b, size_t at, size_t lenbytes);

/*
 * Server flights, written by hand from RFC 6101 (SSLv3), RFC 5246 (TLS
 * 1.2), RFC 8446 (TLS 1.3), RFC 4492 (ECDHE) and the SSL 2.0 draft: what
 * a server that Debian's OpenSSL cannot play (SSLv2, SSLv3, RC4, 3DES,
 * export) would send.  The fl_* message builders append handshake
 * messages (type, 3-byte length, body) to hs; fl_records wraps bytes in
 * records.
 */
struct sh_spec {
	uint16_t	 version;	/* legacy_version */
	uint16_t	 suite;
	uint16_t	 sv;		/* supported_versions value, 0: none */
	uint16_t	 key_share;	/* group, 0: none */
	bool		 hrr;		/* the HelloRetryRequest random */
	bool		 reneg;		/* renegotiation_info */
	bool		 ems;		/* extended_master_secret */
	bool		 no_ext;	/* no extensions block at all */
	bool		 downgrade;	/* DOWNGRD\1 at the end of the random */
};
void fl_server_hello(struct tbuf *hs, const struct sh_spec *sh);
void fl_certificate(struct tbuf *hs, size_t ncerts, size_t certlen);
void fl_ske_dhe(struct tbuf *hs, int bits);
void fl_ske_ecdhe(struct tbuf *hs, uint16_t group);
void fl_ske_rsa_export(struct tbuf *hs, int bits);
void fl_hello_done(struct tbuf *hs);
/* records of type with at most frag bytes each (0: 16384) */
void fl_records(struct tbuf *out, unsigned type, uint16_t version,
    const unsigned char *data, size_t len, size_t frag);
void fl_alert(struct tbuf *out, uint16_t version, int level, int desc);
void fl_ssl2_server_hello(struct tbuf *out, const uint32_t *kinds, size_t n,
    size_t certlen);
void fl_ssl2_error(struct tbuf *out, int code);

/*
 * A scripted TLS server on 127.0.0.1: it reads one ClientHello per
 * connection, answers from its configuration as a real server would
 * (version, suite by server or client order, certificate, key exchange,
 * ServerHelloDone), then closes.
 */
struct fake_cfg {
	unsigned	 versions;	/* tls_version_bit mask accepted */
	const uint16_t	*suites;	/* TLS suites, server preference */
	size_t		 nsuites;
	bool		 client_order;	/* follow the client's order */
	const uint32_t	*ssl2_kinds;	/* SSLv2 kinds it speaks */
	size_t		 nssl2;
	int		 dh_bits;	/* for DHE suites; 0: 2048 */
	/* misbehaviour */
	size_t		 choke_over;	/* refuse hellos with more suites: */
	bool		 choke_alert;	/* with handshake_failure, not a close */
	const char	*plaintext;	/* answer with this instead */
	bool		 silent;	/* never answer */
	size_t		 frag;		/* record fragment size (0: whole) */
};

struct fake_server;
struct fake_server *fake_start(struct event_base *base,
    const struct fake_cfg *cfg);
uint16_t fake_port(const struct fake_server *f);
int fake_connections(const struct fake_server *f);
void fake_stop(struct fake_server *f);

/*
 * A connection provider: plain TCP to 127.0.0.1:port, as the SMTP client
 * would hand over after STARTTLS.  fail_after > 0: the n+1-th get()
 * fails (like a 421).
 */
struct tprov {
	struct event_base	*base;
	struct sockaddr_in	 sin;
	int			 gets;
	int			 puts;
	int			 cancels;
	int			 fail_after;
	struct tls_conn_provider prov;
};
void tprov_init(struct tprov *t, struct event_base *base, uint16_t port);

/* A scan's done callback: arg is the event_base, whose loop it breaks. */
void scan_done_break(struct tls_scan *s, void *arg);
/* Runs the loop until broken; 60 s without: test failure. */
void run_loop(struct event_base *base);

#endif
