/* hello: ClientHellos we build ourselves (SSLv2 to TLS 1.3); protocol names. */
#include "tls/hello.h"
#include "util/addr.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* Handshake and extension code points (RFC 8446 4, IANA registries). */
#define HS_CLIENT_HELLO		1
#define REC_HANDSHAKE		22
#define EXT_SERVER_NAME		0x0000
#define EXT_SUPPORTED_GROUPS	0x000a
#define EXT_EC_POINT_FORMATS	0x000b
#define EXT_SIG_ALGS		0x000d
#define EXT_PADDING		0x0015
#define EXT_EMS			0x0017
#define EXT_SUPPORTED_VERSIONS	0x002b
#define EXT_PSK_MODES		0x002d
#define EXT_KEY_SHARE		0x0033
#define EXT_RENEGOTIATION_INFO	0xff01
#define GROUP_X25519		0x001d
#define SCSV_RENEGOTIATION	0x00ff

/* EC groups for TLS 1.0-1.2: the usual ones first, then curves that only
 * old or odd servers pick, so that they still show an ECDHE suite. */
static const uint16_t groups_tls12[] = {
	0x001d, 0x0017, 0x001e, 0x0019, 0x0018,	/* x25519 p256 x448 p521 p384 */
	0x0016, 0x001a, 0x001b, 0x001c,		/* secp256k1, brainpool */
	0x0015, 0x0013				/* secp224r1 secp192r1 */
};
/* TLS 1.3: what OpenSSL 3 clients offer. */
static const uint16_t groups_tls13[] = {
	0x001d, 0x0017, 0x001e, 0x0019, 0x0018,
	0x0100, 0x0101, 0x0102, 0x0103, 0x0104	/* ffdhe2048 .. ffdhe8192 */
};
/* Signature schemes: modern first, SHA-1 and DSA last for old servers. */
static const uint16_t sigalgs_tls12[] = {
	0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806,
	0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301,
	0x0402, 0x0203, 0x0201, 0x0202
};
static const uint16_t sigalgs_tls13[] = {
	0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806,
	0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * A bounded writer: every write checks the room left; length fields are
 * patched in once their block is written.
 */
struct wr {
	unsigned char	*p;
	size_t		 len;
	size_t		 cap;
	bool		 overflow;
};

static void
wr_bytes(struct wr *w, const void *data, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->p + w->len, data, n);
	w->len += n;
}

static void
wr_u8(struct wr *w, unsigned v)
{
	unsigned char b = (unsigned char)v;

	wr_bytes(w, &b, 1);
}

static void
wr_u16(struct wr *w, unsigned v)
{
	unsigned char b[2] = { (unsigned char)(v >> 8), (unsigned char)v };

	wr_bytes(w, b, 2);
}

/* Opens a block with an n-byte length field; returns where it starts. */
static size_t
wr_open(struct wr *w, size_t n)
{
	static const unsigned char zero[3];
	size_t at = w->len;

	wr_bytes(w, zero, n);
	return at;
}

/* Closes the block opened at `at` with an n-byte length field. */
static void
wr_close(struct wr *w, size_t at, size_t n)
{
	size_t len, i;

	if (w->overflow)
		return;
	len = w->len - at - n;
	if (len >> (8 * n) != 0) {
		w->overflow = true;
		return;
	}
	for (i = 0; i < n; i++)
		w->p[at + i] = (unsigned char)(len >> (8 * (n - 1 - i)));
}

static void
wr_u16_list(struct wr *w, const uint16_t *v, size_t n, size_t lenbytes)
{
	size_t at = wr_open(w, lenbytes), i;

	for (i = 0; i < n; i++)
		wr_u16(w, v[i]);
	wr_close(w, at, lenbytes);
}

/*
 * Inputs.
 */

static int
fill_random(unsigned char *out, size_t n, const unsigned char *given)
{
	if (given != NULL) {
		memcpy(out, given, n);
		return 0;
	}
	ERR_clear_error();
	if (RAND_bytes(out, (int)n) != 1) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

/* A fresh X25519 public key: the server only needs a well-formed share,
 * and we never use the private half. */
static int
x25519_public(unsigned char out[32])
{
	EVP_PKEY *key;
	size_t len = 32;
	int rc = -1;

	ERR_clear_error();
	if ((key = EVP_PKEY_Q_keygen(NULL, NULL, "X25519")) == NULL)
		goto out;
	if (EVP_PKEY_get_raw_public_key(key, out, &len) == 1 && len == 32)
		rc = 0;
out:
	EVP_PKEY_free(key);
	ERR_clear_error();
	return rc;
}

/* The SNI name to send, in out: NULL when none is due (none asked, an IP
 * literal, RFC 6066 3), "" when the name is unusable. */
static const char *
sni_name(const char *sni, char *out, size_t outlen)
{
	struct addr a;
	size_t n, i;

	if (sni == NULL || addr_parse(sni, &a) == 0)
		return NULL;
	n = strlen(sni);
	if (n > 0 && sni[n - 1] == '.')
		n--;
	if (n == 0 || n >= outlen || n > 253)
		return "";
	for (i = 0; i < n; i++) {
		char c = sni[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
			return "";
	}
	memcpy(out, sni, n);
	out[n] = '\0';
	return out;
}

/*
 * Extensions.
 */

static void
ext_server_name(struct wr *w, const char *name)
{
	size_t ext, list, host;

	wr_u16(w, EXT_SERVER_NAME);
	ext = wr_open(w, 2);
	list = wr_open(w, 2);
	wr_u8(w, 0);		/* host_name */
	host = wr_open(w, 2);
	wr_bytes(w, name, strlen(name));
	wr_close(w, host, 2);
	wr_close(w, list, 2);
	wr_close(w, ext, 2);
}

static void
ext_u16_list(struct wr *w, unsigned type, const uint16_t *v, size_t n,
    size_t lenbytes)
{
	size_t ext;

	wr_u16(w, type);
	ext = wr_open(w, 2);
	wr_u16_list(w, v, n, lenbytes);
	wr_close(w, ext, 2);
}

static void
ext_empty(struct wr *w, unsigned type)
{
	wr_u16(w, type);
	wr_u16(w, 0);
}

static void
ext_tls12(struct wr *w, uint16_t version)
{
	static const unsigned char point_formats[] = {
		0x00, 0x0b, 0x00, 0x02, 0x01, 0x00	/* uncompressed */
	};
	static const unsigned char reneg[] = { 0xff, 0x01, 0x00, 0x01, 0x00 };

	wr_bytes(w, point_formats, sizeof(point_formats));
	ext_u16_list(w, EXT_SUPPORTED_GROUPS, groups_tls12,
	    NELEM(groups_tls12), 2);
	if (version >= TLS_V_TLS12)
		ext_u16_list(w, EXT_SIG_ALGS, sigalgs_tls12,
		    NELEM(sigalgs_tls12), 2);
	wr_bytes(w, reneg, sizeof(reneg));
	ext_empty(w, EXT_EMS);
}

static void
ext_tls13(struct wr *w, const unsigned char share[32])
{
	static const unsigned char versions[] = {
		0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04
	};
	static const unsigned char psk_modes[] = {
		0x00, 0x2d, 0x00, 0x02, 0x01, 0x01	/* psk_dhe_ke */
	};
	size_t ext, list;

	ext_u16_list(w, EXT_SUPPORTED_GROUPS, groups_tls13,
	    NELEM(groups_tls13), 2);
	ext_u16_list(w, EXT_SIG_ALGS, sigalgs_tls13, NELEM(sigalgs_tls13), 2);
	wr_bytes(w, versions, sizeof(versions));
	wr_bytes(w, psk_modes, sizeof(psk_modes));
	wr_u16(w, EXT_KEY_SHARE);
	ext = wr_open(w, 2);
	list = wr_open(w, 2);
	wr_u16(w, GROUP_X25519);
	wr_u16(w, 32);
	wr_bytes(w, share, 32);
	wr_close(w, list, 2);
	wr_close(w, ext, 2);
}

/* RFC 7685 as OpenSSL applies it: a ClientHello message of 256-511 bytes
 * is padded to 512 (with at least one byte of padding). */
static void
ext_padding(struct wr *w, size_t hs_at)
{
	static const unsigned char zero[512];
	size_t hlen = w->len - hs_at, pad;

	if (w->overflow || hlen < 256 || hlen >= 512)
		return;
	pad = 512 - hlen;
	pad = pad >= 5 ? pad - 4 : 1;
	wr_u16(w, EXT_PADDING);
	wr_u16(w, pad);
	wr_bytes(w, zero, pad);
}

/*
 * Hellos.
 */

static int
build_ssl2(const struct tls_hello_params *p, const unsigned char *random,
    struct wr *w, const char **err)
{
	size_t i, body = 9 + 3 * p->nssl2_kinds + 16;

	if (p->nssl2_kinds == 0 || p->nssl2_kinds > TLS_HELLO_SUITES_MAX) {
		*err = "SSLv2 hello needs 1 to 512 cipher kinds";
		return -1;
	}
	wr_u8(w, 0x80 | (unsigned)(body >> 8));
	wr_u8(w, (unsigned)(body & 0xff));
	wr_u8(w, HS_CLIENT_HELLO);
	wr_u16(w, TLS_V_SSL2);
	wr_u16(w, (unsigned)(3 * p->nssl2_kinds));
	wr_u16(w, 0);		/* session id */
	wr_u16(w, 16);		/* challenge */
	for (i = 0; i < p->nssl2_kinds; i++) {
		wr_u8(w, (unsigned)(p->ssl2_kinds[i] >> 16) & 0xff);
		wr_u16(w, (unsigned)(p->ssl2_kinds[i] & 0xffff));
	}
	wr_bytes(w, random, 16);
	return 0;
}

static void
build_suites(const struct tls_hello_params *p, struct wr *w)
{
	size_t at = wr_open(w, 2), i;

	for (i = 0; i < p->nsuites; i++)
		wr_u16(w, p->suites[i]);
	if (p->version == TLS_V_SSL3)
		wr_u16(w, SCSV_RENEGOTIATION);
	wr_close(w, at, 2);
}

static int
build_tls(const struct tls_hello_params *p, const unsigned char *random,
    const char *sni, struct wr *w, const char **err)
{
	unsigned char share[32];
	size_t rec, hs, body, ext;
	bool tls13 = p->version == TLS_V_TLS13;

	if (p->nsuites == 0 || p->nsuites > TLS_HELLO_SUITES_MAX) {
		*err = "hello needs 1 to 512 suites";
		return -1;
	}
	if (tls13 && p->x25519 != NULL)
		memcpy(share, p->x25519, sizeof(share));
	else if (tls13 && x25519_public(share) == -1) {
		*err = "cannot make an X25519 key share";
		return -1;
	}
	wr_u8(w, REC_HANDSHAKE);
	wr_u16(w, p->version == TLS_V_SSL3 ? TLS_V_SSL3 : TLS_V_TLS10);
	rec = wr_open(w, 2);
	hs = w->len;
	wr_u8(w, HS_CLIENT_HELLO);
	body = wr_open(w, 3);
	wr_u16(w, tls13 ? TLS_V_TLS12 : p->version);
	wr_bytes(w, random, 32);
	if (tls13) {
		wr_u8(w, 32);
		wr_bytes(w, random, 32);
	} else
		wr_u8(w, 0);
	build_suites(p, w);
	wr_u8(w, 1);		/* compression methods: null only */
	wr_u8(w, 0);
	if (p->version != TLS_V_SSL3) {
		ext = wr_open(w, 2);
		if (sni != NULL)
			ext_server_name(w, sni);
		if (tls13)
			ext_tls13(w, share);
		else
			ext_tls12(w, p->version);
		ext_padding(w, hs);
		wr_close(w, ext, 2);
	}
	wr_close(w, body, 3);
	wr_close(w, rec, 2);
	return 0;
}

int
tls_hello_build(const struct tls_hello_params *p, unsigned char *out,
    size_t outsize, size_t *outlen, const char **err)
{
	struct wr w = { out, 0, outsize, false };
	unsigned char random[32];
	char namebuf[256];
	const char *sni;
	int rc;

	*outlen = 0;
	if (tls_version_index(p->version) < 0) {
		*err = "unknown protocol version";
		return -1;
	}
	if (fill_random(random, sizeof(random), p->random) == -1) {
		*err = "no random bytes";
		return -1;
	}
	sni = sni_name(p->sni, namebuf, sizeof(namebuf));
	if (sni != NULL && *sni == '\0') {
		*err = "SNI name is not a host name";
		return -1;
	}
	if (p->version == TLS_V_SSL2)
		rc = build_ssl2(p, random, &w, err);
	else
		rc = build_tls(p, random, sni, &w, err);
	if (rc == -1)
		return -1;
	if (w.overflow) {
		*err = "hello does not fit the buffer";
		return -1;
	}
	*outlen = w.len;
	return 0;
}

/*
 * Names.
 */

struct code_name {
	int		 code;
	const char	*name;
};

static const char *
code_lookup(const struct code_name *t, size_t n, int code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return NULL;
}

/* IANA TLS Alert registry. */
static const struct code_name alerts[] = {
	{ 0, "close_notify" }, { 10, "unexpected_message" },
	{ 20, "bad_record_mac" }, { 21, "decryption_failed" },
	{ 22, "record_overflow" }, { 30, "decompression_failure" },
	{ 40, "handshake_failure" }, { 41, "no_certificate" },
	{ 42, "bad_certificate" }, { 43, "unsupported_certificate" },
	{ 44, "certificate_revoked" }, { 45, "certificate_expired" },
	{ 46, "certificate_unknown" }, { 47, "illegal_parameter" },
	{ 48, "unknown_ca" }, { 49, "access_denied" },
	{ 50, "decode_error" }, { 51, "decrypt_error" },
	{ 60, "export_restriction" }, { 70, "protocol_version" },
	{ 71, "insufficient_security" }, { 80, "internal_error" },
	{ 86, "inappropriate_fallback" }, { 90, "user_canceled" },
	{ 100, "no_renegotiation" }, { 109, "missing_extension" },
	{ 110, "unsupported_extension" },
	{ 111, "certificate_unobtainable" }, { 112, "unrecognized_name" },
	{ 113, "bad_certificate_status_response" },
	{ 114, "bad_certificate_hash_value" },
	{ 115, "unknown_psk_identity" }, { 116, "certificate_required" },
	{ 120, "no_application_protocol" }, { 121, "ech_required" }
};

/* IANA TLS Supported Groups registry (the assigned, non-GREASE ones). */
static const struct code_name groups[] = {
	{ 1, "sect163k1" }, { 2, "sect163r1" }, { 3, "sect163r2" },
	{ 4, "sect193r1" }, { 5, "sect193r2" }, { 6, "sect233k1" },
	{ 7, "sect233r1" }, { 8, "sect239k1" }, { 9, "sect283k1" },
	{ 10, "sect283r1" }, { 11, "sect409k1" }, { 12, "sect409r1" },
	{ 13, "sect571k1" }, { 14, "sect571r1" }, { 15, "secp160k1" },
	{ 16, "secp160r1" }, { 17, "secp160r2" }, { 18, "secp192k1" },
	{ 19, "secp192r1" }, { 20, "secp224k1" }, { 21, "secp224r1" },
	{ 22, "secp256k1" }, { 23, "secp256r1" }, { 24, "secp384r1" },
	{ 25, "secp521r1" }, { 26, "brainpoolP256r1" },
	{ 27, "brainpoolP384r1" }, { 28, "brainpoolP512r1" },
	{ 29, "x25519" }, { 30, "x448" }, { 31, "brainpoolP256r1tls13" },
	{ 32, "brainpoolP384r1tls13" }, { 33, "brainpoolP512r1tls13" },
	{ 256, "ffdhe2048" }, { 257, "ffdhe3072" }, { 258, "ffdhe4096" },
	{ 259, "ffdhe6144" }, { 260, "ffdhe8192" },
	{ 0x11eb, "SecP256r1MLKEM768" }, { 0x11ec, "X25519MLKEM768" },
	{ 0x11ed, "SecP384r1MLKEM1024" },
	{ 0x6399, "X25519Kyber768Draft00" }
};

/* SSL 2.0 draft, appendix B. */
static const struct code_name ssl2_errors[] = {
	{ 1, "NO-CIPHER-ERROR" }, { 2, "NO-CERTIFICATE-ERROR" },
	{ 4, "BAD-CERTIFICATE-ERROR" },
	{ 6, "UNSUPPORTED-CERTIFICATE-TYPE-ERROR" }
};

const char *
tls_alert_name(int desc)
{
	return code_lookup(alerts, NELEM(alerts), desc);
}

const char *
tls_group_name(uint16_t group)
{
	return code_lookup(groups, NELEM(groups), group);
}

const char *
tls_ssl2_error_name(int code)
{
	return code_lookup(ssl2_errors, NELEM(ssl2_errors), code);
}
