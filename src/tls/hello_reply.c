/* hello_reply: bounded, incremental parser of a server's answer to our ClientHello. */
#include "tls/hello.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * The server is hostile until proven otherwise: every length is checked
 * against what is left and against a cap before anything is kept, and the
 * first mistake ends the reply as MALFORMED.  Input arrives in any pieces:
 * bytes are collected into one record (or SSLv2 message) at a time, and
 * handshake messages are reassembled across records.
 */

#define REC_CCS			20
#define REC_ALERT		21
#define REC_HANDSHAKE		22
#define REC_APPDATA		23
#define REC_HEARTBEAT		24

#define HS_HELLO_REQUEST	0
#define HS_SERVER_HELLO		2
#define HS_CERTIFICATE		11
#define HS_SERVER_KEY_EXCHANGE	12
#define HS_CERTIFICATE_REQUEST	13
#define HS_SERVER_HELLO_DONE	14

#define EXT_EMS			0x0017
#define EXT_SUPPORTED_VERSIONS	0x002b
#define EXT_KEY_SHARE		0x0033
#define EXT_RENEGOTIATION_INFO	0xff01

#define SSL2_MSG_ERROR		0
#define SSL2_MSG_SERVER_HELLO	4
#define SSL2_MSG_MAX		32767	/* 15-bit length */

/* The input buffer holds one record or one SSLv2 message. */
#define IN_MAX	(2 + SSL2_MSG_MAX > 5 + TLS_RECORD_MAX ? \
		 2 + SSL2_MSG_MAX : 5 + TLS_RECORD_MAX)

/* RFC 8446 4.1.3: SHA-256("HelloRetryRequest") as the server random. */
static const unsigned char hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
	0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
	0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
};
/* RFC 8446 4.1.3: "DOWNGRD" then 01 (TLS 1.2) or 00 (older). */
static const unsigned char downgrade_tail[7] = {
	0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44
};

enum rp_framing {
	RP_START,	/* nothing read yet */
	RP_TLS,		/* TLS records */
	RP_SSL2		/* one SSLv2 message */
};

struct der {
	unsigned char	*data;
	size_t		 len;
};

struct tls_reply {
	struct tls_reply_info	 info;
	enum rp_framing		 framing;
	bool			 done;
	bool			 seen_hello;	/* ServerHello (or HRR) parsed */
	unsigned char		*in;		/* IN_MAX bytes */
	size_t			 inlen;
	size_t			 need;		/* bytes the current unit has */
	unsigned char		*hs;		/* handshake reassembly */
	size_t			 hslen;
	size_t			 hscap;
	unsigned char		 alert[2];
	size_t			 alertlen;
	struct der		 certs[TLS_REPLY_CERTS_MAX];
	size_t			 ncerts_kept;
	/* not TLS: the server's words, collected up to a line's end */
	bool			 collecting;
	unsigned char		 textbuf[TLS_REPLY_TEXT_MAX];
	size_t			 textlen;
	char			*text;
};

/*
 * Reading helpers: a cursor over untrusted bytes.
 */
struct rd {
	const unsigned char	*p;
	size_t			 left;
	bool			 bad;
};

static unsigned
rd_u8(struct rd *r)
{
	if (r->bad || r->left < 1) {
		r->bad = true;
		return 0;
	}
	r->left--;
	return *r->p++;
}

static unsigned
rd_u16(struct rd *r)
{
	unsigned hi = rd_u8(r);

	return (hi << 8) | rd_u8(r);
}

static size_t
rd_u24(struct rd *r)
{
	size_t hi = rd_u16(r);

	return (hi << 8) | rd_u8(r);
}

/* Takes n bytes; NULL (and bad) if fewer are left. */
static const unsigned char *
rd_take(struct rd *r, size_t n)
{
	const unsigned char *at = r->p;

	if (r->bad || n > r->left) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return at;
}

/* A sub-cursor over an n-byte block. */
static struct rd
rd_sub(struct rd *r, size_t n)
{
	struct rd sub = { NULL, 0, true };
	const unsigned char *p = rd_take(r, n);

	if (p != NULL) {
		sub.p = p;
		sub.left = n;
		sub.bad = false;
	}
	return sub;
}

/*
 * Verdicts.
 */

/* Ends the reply.  Once a ServerHello was read the verdict stays HELLO
 * whatever follows (an alert, a close, a broken certificate): the server
 * did choose a version and a suite. */
static void
rp_finish(struct tls_reply *r, enum tls_reply_kind kind)
{
	if (!r->seen_hello)
		r->info.kind = kind;
	r->done = true;
}

/* A broken reply before any ServerHello keeps none of its fields. */
static void
rp_malformed(struct tls_reply *r, const char *why)
{
	r->info.error = why;
	r->info.complete = false;
	if (!r->seen_hello) {
		r->info.version = r->info.legacy_version = 0;
		r->info.suite = r->info.group = 0;
		r->info.compression = 0;
		r->info.secure_reneg = r->info.ems = false;
	}
	rp_finish(r, TLS_REPLY_MALFORMED);
}

/* Bits in a big-endian unsigned number, leading zeros ignored. */
static int
bignum_bits(const unsigned char *p, size_t n)
{
	size_t i = 0;
	int bits;
	unsigned top;

	while (i < n && p[i] == 0)
		i++;
	if (i == n)
		return 0;
	bits = (int)((n - i - 1) * 8);
	for (top = p[i]; top != 0; top >>= 1)
		bits++;
	return bits;
}

/*
 * ServerHello.
 */

static void
sh_extension(struct tls_reply *r, unsigned type, struct rd *e, bool hrr)
{
	switch (type) {
	case EXT_SUPPORTED_VERSIONS:
		r->info.version = (uint16_t)rd_u16(e);
		break;
	case EXT_KEY_SHARE:
		r->info.group = (uint16_t)rd_u16(e);
		if (!hrr) {
			struct rd key = rd_sub(e, rd_u16(e));

			if (key.bad || key.left == 0)
				e->bad = true;
		}
		break;
	case EXT_RENEGOTIATION_INFO:
		r->info.secure_reneg = true;
		(void)rd_take(e, rd_u8(e));
		break;
	case EXT_EMS:
		r->info.ems = true;
		break;
	default:
		(void)rd_take(e, e->left);	/* not ours to judge */
		break;
	}
}

/* Extensions: each type at most once (RFC 8446 4.2), each body consumed
 * exactly. */
static int
sh_extensions(struct tls_reply *r, struct rd *m, bool hrr)
{
	unsigned seen[64];
	size_t nseen = 0, i;
	struct rd list;

	if (m->left == 0)
		return 0;	/* SSLv3 and bare TLS 1.0 hellos have none */
	list = rd_sub(m, rd_u16(m));
	if (list.bad || m->left != 0)
		return -1;
	while (list.left > 0) {
		unsigned type = rd_u16(&list);
		struct rd e = rd_sub(&list, rd_u16(&list));

		if (list.bad)
			return -1;
		for (i = 0; i < nseen; i++)
			if (seen[i] == type)
				return -1;
		if (nseen == sizeof(seen) / sizeof(seen[0]))
			return -1;
		seen[nseen++] = type;
		sh_extension(r, type, &e, hrr);
		if (e.bad || e.left != 0)
			return -1;
	}
	return 0;
}

static void
parse_server_hello(struct tls_reply *r, struct rd *m)
{
	const unsigned char *random;
	bool hrr;

	r->info.legacy_version = (uint16_t)rd_u16(m);
	r->info.version = r->info.legacy_version;
	random = rd_take(m, 32);
	(void)rd_take(m, rd_u8(m));	/* session id */
	r->info.suite = (uint16_t)rd_u16(m);
	r->info.compression = (uint8_t)rd_u8(m);
	if (m->bad || random == NULL) {
		rp_malformed(r, "ServerHello truncated");
		return;
	}
	hrr = memcmp(random, hrr_random, 32) == 0;
	if (sh_extensions(r, m, hrr) == -1) {
		rp_malformed(r, "ServerHello extensions malformed");
		return;
	}
	if (hrr && r->info.version != TLS_V_TLS13) {
		rp_malformed(r, "HelloRetryRequest without TLS 1.3");
		return;
	}
	r->info.downgrade = memcmp(random + 24, downgrade_tail, 7) == 0 &&
	    random[31] <= 1;
	r->seen_hello = true;
	if (hrr) {
		r->info.kind = TLS_REPLY_HRR;
		r->info.complete = true;
		r->done = true;
		return;
	}
	r->info.kind = TLS_REPLY_HELLO;
	if (r->info.version >= TLS_V_TLS13) {
		/* the rest is encrypted: nothing more to read */
		r->info.complete = true;
		r->done = true;
	}
}

/*
 * The rest of a TLS 1.2 (and older) flight.
 */

static void
parse_certificate(struct tls_reply *r, struct rd *m)
{
	struct rd list = rd_sub(m, rd_u24(m));

	if (list.bad || m->left != 0) {
		rp_malformed(r, "Certificate message malformed");
		return;
	}
	while (list.left > 0) {
		size_t len = rd_u24(&list);
		const unsigned char *der = rd_take(&list, len);

		if (der == NULL || len == 0) {
			rp_malformed(r, "Certificate list malformed");
			return;
		}
		r->info.ncerts++;
		if (r->ncerts_kept < TLS_REPLY_CERTS_MAX) {
			struct der *d = &r->certs[r->ncerts_kept++];

			d->data = xmalloc(len);
			memcpy(d->data, der, len);
			d->len = len;
		}
	}
}

/* ServerKeyExchange (RFC 5246 7.4.3, RFC 4492 5.4, RFC 4279 2/3/4): its
 * form depends on the key exchange of the suite the server chose. */
static void
parse_server_key_exchange(struct tls_reply *r, struct rd *m)
{
	const struct tls_suite *s = tls_suite_by_code(r->info.suite);
	const unsigned char *p;
	size_t n;

	if (s == NULL)
		return;
	if (strcmp(s->kx, "DHE_PSK") == 0 || strcmp(s->kx, "ECDHE_PSK") == 0)
		(void)rd_take(m, rd_u16(m));	/* psk_identity_hint */
	if (strcmp(s->kx, "DHE") == 0 || strcmp(s->kx, "DHE_PSK") == 0) {
		n = rd_u16(m);
		if ((p = rd_take(m, n)) != NULL)
			r->info.dh_bits = bignum_bits(p, n);
	} else if (strcmp(s->kx, "ECDHE") == 0 ||
	    strcmp(s->kx, "ECDHE_PSK") == 0) {
		unsigned type = rd_u8(m);

		if (type == 3)
			r->info.group = (uint16_t)rd_u16(m);
		else if (type == 1 || type == 2)
			r->info.explicit_curve = true;
		else
			m->bad = true;
	} else if (strcmp(s->kx, "RSA_EXPORT") == 0) {
		n = rd_u16(m);
		if ((p = rd_take(m, n)) != NULL)
			r->info.rsa_export_bits = bignum_bits(p, n);
	} else
		return;
	if (m->bad)
		rp_malformed(r, "ServerKeyExchange truncated");
}

static void
handshake_message(struct tls_reply *r, unsigned type, struct rd *m)
{
	if (!r->seen_hello) {
		if (type == HS_HELLO_REQUEST && m->left == 0)
			return;
		if (type != HS_SERVER_HELLO) {
			rp_malformed(r, "handshake message before ServerHello");
			return;
		}
		parse_server_hello(r, m);
		return;
	}
	switch (type) {
	case HS_SERVER_HELLO:
		rp_malformed(r, "second ServerHello");
		break;
	case HS_CERTIFICATE:
		parse_certificate(r, m);
		break;
	case HS_SERVER_KEY_EXCHANGE:
		parse_server_key_exchange(r, m);
		break;
	case HS_CERTIFICATE_REQUEST:
		r->info.cert_request = true;
		break;
	case HS_SERVER_HELLO_DONE:
		r->info.complete = true;
		r->done = true;
		break;
	default:
		break;		/* CertificateStatus and the like */
	}
}

/* Appends a handshake record's bytes and parses every complete message;
 * a length over the cap is refused as soon as its header is in. */
static void
handshake_bytes(struct tls_reply *r, const unsigned char *p, size_t n)
{
	size_t need;

	need = r->hslen + n;
	if (need > 4 + TLS_HS_MSG_MAX + TLS_RECORD_MAX) {
		rp_malformed(r, "handshake data over the limit");
		return;
	}
	if (need > r->hscap) {
		r->hscap = r->hscap * 2 > need ? r->hscap * 2 : need;
		r->hs = xrealloc(r->hs, r->hscap);
	}
	memcpy(r->hs + r->hslen, p, n);
	r->hslen += n;
	while (!r->done && r->hslen >= 4) {
		struct rd hdr = { r->hs, 4, false };
		unsigned type = rd_u8(&hdr);
		size_t len = rd_u24(&hdr);
		struct rd m;

		if (len > TLS_HS_MSG_MAX) {
			rp_malformed(r, "handshake message over the limit");
			return;
		}
		if (r->hslen < 4 + len)
			return;		/* continues in the next record */
		m.p = r->hs + 4;
		m.left = len;
		m.bad = false;
		handshake_message(r, type, &m);
		memmove(r->hs, r->hs + 4 + len, r->hslen - 4 - len);
		r->hslen -= 4 + len;
	}
}

/*
 * Alerts.
 */

/* Warnings (other than close_notify) before the ServerHello do not end
 * the reply: some servers warn unrecognized_name and carry on. */
static void
alert(struct tls_reply *r, int level, int desc)
{
	if (level == 1 && desc != 0) {
		if (r->info.warning == -1)
			r->info.warning = desc;
		return;
	}
	r->info.alert_level = level;
	r->info.alert = desc;
	rp_finish(r, TLS_REPLY_ALERT);
}

static void
alert_bytes(struct tls_reply *r, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && !r->done; i++) {
		r->alert[r->alertlen++] = p[i];
		if (r->alertlen == 2) {
			r->alertlen = 0;
			alert(r, r->alert[0], r->alert[1]);
		}
	}
}

/*
 * Records.
 */

static void
record(struct tls_reply *r, unsigned type, const unsigned char *p, size_t n)
{
	switch (type) {
	case REC_HANDSHAKE:
		handshake_bytes(r, p, n);
		break;
	case REC_ALERT:
		alert_bytes(r, p, n);
		break;
	case REC_CCS:
		if (!r->seen_hello || r->hslen > 0)
			rp_malformed(r, "ChangeCipherSpec out of place");
		break;
	default:	/* application data, heartbeat */
		if (!r->seen_hello)
			rp_malformed(r, "non-handshake record before ServerHello");
		break;
	}
}

/*
 * Not TLS: the verdict is known from the first bytes, but the evidence
 * is the server's sentence ("454 4.7.0 TLS not available"), so its
 * words are collected up to the end of the line, TLS_REPLY_TEXT_MAX
 * bytes or the close, however TCP cut them.
 */

static void
text_add(struct tls_reply *r, const unsigned char *data, size_t len)
{
	size_t n = TLS_REPLY_TEXT_MAX - r->textlen;

	if (len < n)
		n = len;
	if (n > 0)
		memcpy(r->textbuf + r->textlen, data, n);
	r->textlen += n;
	free(r->text);
	r->text = str_escape(r->textbuf, r->textlen, TLS_REPLY_TEXT_MAX);
	r->info.text = r->text;
	if (r->textlen == TLS_REPLY_TEXT_MAX ||
	    memchr(r->textbuf, '\n', r->textlen) != NULL)
		r->done = true;
}

static void
not_tls(struct tls_reply *r)
{
	r->info.kind = TLS_REPLY_NOT_TLS;
	r->collecting = true;
	text_add(r, r->in, r->inlen);
	r->inlen = 0;
}

/* Checks a complete 5-byte record header; sets need. */
static void
record_header(struct tls_reply *r)
{
	const unsigned char *h = r->in;
	unsigned type = h[0], len = ((unsigned)h[3] << 8) | h[4];
	bool first = r->info.record_version == 0;

	if (type < REC_CCS || type > REC_HEARTBEAT || h[1] != 3 || h[2] > 4) {
		if (first)
			not_tls(r);
		else
			rp_malformed(r, "bad record header");
		return;
	}
	if (len > TLS_RECORD_MAX) {
		rp_malformed(r, "record length over the limit");
		return;
	}
	if (len == 0 && type != REC_APPDATA) {
		rp_malformed(r, "empty record");
		return;
	}
	if (first)
		r->info.record_version = (uint16_t)(((unsigned)h[1] << 8) | h[2]);
	r->need = 5 + len;
}

/*
 * SSLv2 (SSL 2.0 draft: 2-byte header with the high bit set).
 */

static void
ssl2_server_hello(struct tls_reply *r, struct rd *m)
{
	size_t certlen, specslen, idlen, i;
	const unsigned char *cert, *specs;

	(void)rd_u8(m);		/* session_id_hit */
	(void)rd_u8(m);		/* certificate type */
	r->info.ssl2_version = (uint16_t)rd_u16(m);
	certlen = rd_u16(m);
	specslen = rd_u16(m);
	idlen = rd_u16(m);
	cert = rd_take(m, certlen);
	specs = rd_take(m, specslen);
	(void)rd_take(m, idlen);
	if (m->bad || specslen % 3 != 0) {
		rp_malformed(r, "SSLv2 SERVER-HELLO malformed");
		return;
	}
	for (i = 0; i < specslen / 3; i++) {
		uint32_t kind = ((uint32_t)specs[3 * i] << 16) |
		    ((uint32_t)specs[3 * i + 1] << 8) | specs[3 * i + 2];

		if (r->info.nssl2_kinds < TLS_REPLY_SSL2_MAX)
			r->info.ssl2_kinds[r->info.nssl2_kinds++] = kind;
	}
	r->info.ssl2_total = specslen / 3;
	if (certlen > 0) {
		r->certs[0].data = xmalloc(certlen);
		memcpy(r->certs[0].data, cert, certlen);
		r->certs[0].len = certlen;
		r->ncerts_kept = 1;
		r->info.ncerts = 1;
	}
	r->info.version = TLS_V_SSL2;
	r->info.complete = true;
	rp_finish(r, TLS_REPLY_SSL2_HELLO);
}

static void
ssl2_message(struct tls_reply *r)
{
	struct rd m = { r->in + 2, r->inlen - 2, false };
	unsigned type = rd_u8(&m);

	if (type == SSL2_MSG_SERVER_HELLO)
		ssl2_server_hello(r, &m);
	else {
		r->info.ssl2_error = (int)rd_u16(&m);
		if (m.bad)
			rp_malformed(r, "SSLv2 ERROR truncated");
		else
			rp_finish(r, TLS_REPLY_SSL2_ERROR);
	}
}

/* The first bytes decide the framing: a TLS record type, or an SSLv2
 * header announcing SERVER-HELLO or ERROR; anything else is not TLS (an
 * SMTP reply, HTTP, a banner).  Needs 3 bytes, fewer at end of input. */
static void
framing(struct tls_reply *r)
{
	const unsigned char *h = r->in;
	size_t len;

	if (h[0] >= REC_CCS && h[0] <= REC_HEARTBEAT) {
		r->framing = RP_TLS;
		r->need = 5;
		return;
	}
	if ((h[0] & 0x80) && (h[2] == SSL2_MSG_SERVER_HELLO ||
	    h[2] == SSL2_MSG_ERROR)) {
		len = ((size_t)(h[0] & 0x7f) << 8) | h[1];
		if (len >= 3) {
			r->framing = RP_SSL2;
			r->need = 2 + len;
			return;
		}
	}
	not_tls(r);
}

/* One unit (record or SSLv2 message) is complete in r->in. */
static void
unit_complete(struct tls_reply *r)
{
	if (r->framing == RP_SSL2)
		ssl2_message(r);
	else
		record(r, r->in[0], r->in + 5, r->inlen - 5);
	r->inlen = 0;
	r->need = r->framing == RP_TLS ? 5 : 0;
}

bool
tls_reply_feed(struct tls_reply *r, const void *data, size_t len)
{
	const unsigned char *p = data;
	bool over = false;

	if (r->done)
		return true;
	/* what fits under the cap is read; going over ends the reply */
	if (len > TLS_REPLY_MAX - r->info.bytes) {
		len = TLS_REPLY_MAX - r->info.bytes;
		over = true;
	}
	r->info.bytes += len;
	while (len > 0 && !r->done) {
		size_t want = r->framing == RP_START ? 3 : r->need;
		size_t n = want - r->inlen < len ? want - r->inlen : len;

		if (r->collecting) {
			text_add(r, p, len);
			break;
		}
		memcpy(r->in + r->inlen, p, n);
		r->inlen += n;
		p += n;
		len -= n;
		if (r->inlen < want)
			break;
		if (r->framing == RP_START)
			framing(r);
		else if (r->framing == RP_TLS && r->inlen == 5)
			record_header(r);
		if (!r->done && !r->collecting && r->inlen == r->need)
			unit_complete(r);
	}
	if (over && !r->done)
		rp_malformed(r, "reply over the limit");
	return r->done;
}

void
tls_reply_eof(struct tls_reply *r)
{
	if (r->done)
		return;
	if (r->framing == RP_START && r->inlen > 0 && !r->collecting) {
		/* fewer than 3 bytes in all: judge them anyway */
		memset(r->in + r->inlen, 0, 3 - r->inlen);
		framing(r);
	}
	if (r->collecting) {
		r->done = true;
		return;
	}
	if (r->info.kind == TLS_REPLY_HELLO) {
		rp_finish(r, TLS_REPLY_HELLO);
		return;
	}
	if (r->inlen > 0 || r->hslen > 0) {
		rp_malformed(r, "closed inside a record or message");
		return;
	}
	rp_finish(r, TLS_REPLY_CLOSED);
}

/*
 * Object.
 */

struct tls_reply *
tls_reply_new(void)
{
	struct tls_reply *r = xcalloc(1, sizeof(*r));

	r->in = xmalloc(IN_MAX);
	r->info.alert = -1;
	r->info.alert_level = -1;
	r->info.warning = -1;
	r->info.ssl2_error = -1;
	r->info.text = "";
	r->info.error = "";
	return r;
}

void
tls_reply_free(struct tls_reply *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ncerts_kept; i++)
		free(r->certs[i].data);
	free(r->in);
	free(r->hs);
	free(r->text);
	free(r);
}

bool
tls_reply_done(const struct tls_reply *r)
{
	return r->done;
}

const struct tls_reply_info *
tls_reply_info(const struct tls_reply *r)
{
	return &r->info;
}

const unsigned char *
tls_reply_cert(const struct tls_reply *r, size_t i, size_t *len)
{
	if (i >= r->ncerts_kept) {
		*len = 0;
		return NULL;
	}
	*len = r->certs[i].len;
	return r->certs[i].data;
}

const char *
tls_reply_kind_name(enum tls_reply_kind k)
{
	static const char *const names[] = {
		"pending", "hello", "hello_retry_request", "sslv2_hello",
		"alert", "sslv2_error", "closed", "not_tls", "malformed"
	};

	if ((unsigned)k >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[k];
}
