/* test_hello: byte-exact ClientHello structure for every version, and every branch of the reply parser, hostile input included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "tls/hello.h"

/*
 * Building: a strict reader of our own hellos, checking every length.
 */

struct parsed_hello {
	unsigned	 rec_type;
	uint16_t	 rec_version;
	uint16_t	 version;
	unsigned char	 random[32];
	size_t		 sid_len;
	uint16_t	 suites[600];
	size_t		 nsuites;
	bool		 has_ext_block;
	/* extensions by type, in order */
	uint16_t	 ext_types[32];
	const unsigned char *ext_data[32];
	size_t		 ext_len[32];
	size_t		 next;
	size_t		 hs_len;	/* handshake message incl. header */
};

static unsigned
g16(const unsigned char *p)
{
	return ((unsigned)p[0] << 8) | p[1];
}

/* Fails the test on any inconsistency. */
static void
parse_client_hello(const unsigned char *p, size_t n, struct parsed_hello *h)
{
	size_t at, rec_len, hs_len, len, end;

	memset(h, 0, sizeof(*h));
	assert_true(n >= 5 + 4 + 2 + 32 + 1);
	h->rec_type = p[0];
	h->rec_version = (uint16_t)g16(p + 1);
	rec_len = g16(p + 3);
	assert_int_equal(rec_len, n - 5);
	assert_int_equal(p[5], 1);			/* client_hello */
	hs_len = ((size_t)p[6] << 16) | g16(p + 7);
	assert_int_equal(hs_len, rec_len - 4);
	h->hs_len = hs_len + 4;
	at = 9;
	h->version = (uint16_t)g16(p + at);
	at += 2;
	memcpy(h->random, p + at, 32);
	at += 32;
	h->sid_len = p[at];
	assert_true(h->sid_len <= 32);
	at += 1 + h->sid_len;
	len = g16(p + at);
	assert_int_equal(len % 2, 0);
	at += 2;
	assert_true(at + len <= n);
	for (h->nsuites = 0; h->nsuites < len / 2; h->nsuites++)
		h->suites[h->nsuites] = (uint16_t)g16(p + at + 2 * h->nsuites);
	at += len;
	assert_int_equal(p[at], 1);			/* one method */
	assert_int_equal(p[at + 1], 0);			/* null */
	at += 2;
	if (at == n)
		return;
	h->has_ext_block = true;
	len = g16(p + at);
	at += 2;
	assert_int_equal(at + len, n);
	end = at + len;
	while (at < end) {
		size_t elen;

		assert_true(at + 4 <= end);
		assert_true(h->next < 32);
		h->ext_types[h->next] = (uint16_t)g16(p + at);
		elen = g16(p + at + 2);
		at += 4;
		assert_true(at + elen <= end);
		h->ext_data[h->next] = p + at;
		h->ext_len[h->next] = elen;
		h->next++;
		at += elen;
	}
	assert_int_equal(at, end);
}

static int
ext_index(const struct parsed_hello *h, uint16_t type)
{
	size_t i, k;
	int found = -1;

	for (i = 0; i < h->next; i++)
		if (h->ext_types[i] == type) {
			for (k = i + 1; k < h->next; k++)
				assert_int_not_equal(h->ext_types[k], type);
			found = (int)i;
		}
	return found;
}

struct build_case {
	const char	*label;
	uint16_t	 version;
	const char	*sni;
	const char	*sni_sent;	/* NULL: no server_name expected */
	size_t		 nsuites;
};

static const struct build_case builds[] = {
	{ "SSLv3", TLS_V_SSL3, "mx.example.org", NULL, 40 },
	{ "TLSv1 sni", TLS_V_TLS10, "mx.example.org", "mx.example.org", 40 },
	{ "TLSv1 no sni", TLS_V_TLS10, NULL, NULL, 40 },
	{ "TLSv1.1 dot", TLS_V_TLS11, "mx.example.org.", "mx.example.org", 3 },
	{ "TLSv1.2 sni", TLS_V_TLS12, "mail.example.com", "mail.example.com",
	  128 },
	{ "TLSv1.2 ip", TLS_V_TLS12, "192.0.2.1", NULL, 128 },
	{ "TLSv1.2 ipv6", TLS_V_TLS12, "[2001:db8::1]", NULL, 1 },
	{ "TLSv1.2 small", TLS_V_TLS12, NULL, NULL, 20 },
	{ "TLSv1.2 many", TLS_V_TLS12, NULL, NULL, 500 },
	{ "TLSv1.3 sni", TLS_V_TLS13, "mx.example.org", "mx.example.org", 5 },
	{ "TLSv1.3 no sni", TLS_V_TLS13, NULL, NULL, 3 },
};

static void
check_tls_hello(const struct build_case *c, const unsigned char *out,
    size_t len, const uint16_t *suites, const unsigned char *random,
    const unsigned char *share)
{
	struct parsed_hello h;
	int i;
	size_t k, n;

	parse_client_hello(out, len, &h);
	assert_int_equal(h.rec_type, 22);
	assert_int_equal(h.rec_version,
	    c->version == TLS_V_SSL3 ? TLS_V_SSL3 : TLS_V_TLS10);
	assert_int_equal(h.version,
	    c->version == TLS_V_TLS13 ? TLS_V_TLS12 : c->version);
	assert_memory_equal(h.random, random, 32);
	assert_int_equal(h.sid_len, c->version == TLS_V_TLS13 ? 32 : 0);
	n = c->nsuites + (c->version == TLS_V_SSL3);
	assert_int_equal(h.nsuites, n);
	for (k = 0; k < c->nsuites; k++)
		assert_int_equal(h.suites[k], suites[k]);
	if (c->version == TLS_V_SSL3) {
		assert_int_equal(h.suites[n - 1], 0x00ff);
		assert_false(h.has_ext_block);
		return;
	}
	assert_true(h.has_ext_block);
	/* F5 padding rule: never a 256-511 byte ClientHello */
	assert_true(h.hs_len < 256 || h.hs_len >= 512);
	i = ext_index(&h, 0x0000);
	if (c->sni_sent == NULL)
		assert_int_equal(i, -1);
	else {
		assert_true(i >= 0);
		assert_int_equal(h.ext_len[i], 5 + strlen(c->sni_sent));
		assert_int_equal(g16(h.ext_data[i]), 3 + strlen(c->sni_sent));
		assert_int_equal(h.ext_data[i][2], 0);
		assert_memory_equal(h.ext_data[i] + 5, c->sni_sent,
		    strlen(c->sni_sent));
	}
	assert_true(ext_index(&h, 0x000a) >= 0);	/* supported_groups */
	i = ext_index(&h, 0x000d);			/* signature_algorithms */
	assert_int_equal(i >= 0, c->version >= TLS_V_TLS12);
	if (c->version == TLS_V_TLS13) {
		i = ext_index(&h, 0x002b);
		assert_int_equal(h.ext_len[i], 3);
		assert_int_equal(h.ext_data[i][0], 2);
		assert_int_equal(g16(h.ext_data[i] + 1), 0x0304);
		i = ext_index(&h, 0x0033);
		assert_int_equal(h.ext_len[i], 2 + 4 + 32);
		assert_int_equal(g16(h.ext_data[i] + 2), 0x001d);
		assert_int_equal(g16(h.ext_data[i] + 4), 32);
		assert_memory_equal(h.ext_data[i] + 6, share, 32);
		assert_true(ext_index(&h, 0x002d) >= 0);
		assert_int_equal(ext_index(&h, 0xff01), -1);
		assert_memory_equal(out + 5 + 4 + 2 + 32 + 1, random, 32);
	} else {
		assert_int_equal(ext_index(&h, 0x002b), -1);
		assert_int_equal(ext_index(&h, 0x0033), -1);
		i = ext_index(&h, 0xff01);		/* renegotiation_info */
		assert_int_equal(h.ext_len[i], 1);
		assert_int_equal(h.ext_data[i][0], 0);
		assert_true(ext_index(&h, 0x000b) >= 0);
		assert_true(ext_index(&h, 0x0017) >= 0);
	}
}

static void
test_build_tls(void **state)
{
	unsigned char out[TLS_HELLO_MAX], random[32], share[32];
	uint16_t suites[600];
	size_t i, k, len;
	const char *err = NULL;

	(void)state;
	for (k = 0; k < 32; k++) {
		random[k] = (unsigned char)(k * 7 + 1);
		share[k] = (unsigned char)(0xe0 + k);
	}
	for (i = 0; i < sizeof(builds) / sizeof(builds[0]); i++) {
		const struct build_case *c = &builds[i];
		struct tls_hello_params p = {
			.version = c->version, .suites = suites,
			.nsuites = c->nsuites, .sni = c->sni,
			.random = random, .x25519 = share,
		};

		print_message("%s\n", c->label);
		for (k = 0; k < c->nsuites; k++)
			suites[k] = c->version == TLS_V_TLS13 ?
			    (uint16_t)(0x1301 + k) : (uint16_t)(0xc000 + k);
		assert_int_equal(tls_hello_build(&p, out, sizeof(out), &len,
		    &err), 0);
		check_tls_hello(c, out, len, suites, random, share);
	}
}

/* A fixed TLS 1.0 hello, byte for byte (RFC 5246 7.4.1.2 layout). */
static void
test_build_exact(void **state)
{
	static const unsigned char expect_head[] = {
		0x16, 0x03, 0x01, 0x00, 0x5c,		/* record */
		0x01, 0x00, 0x00, 0x58,			/* client_hello */
		0x03, 0x01,				/* TLS 1.0 */
	};
	static const unsigned char expect_tail[] = {
		0x00,					/* session id */
		0x00, 0x04, 0x00, 0x2f, 0x00, 0x0a,	/* 2 suites */
		0x01, 0x00,				/* null */
		0x00, 0x2b,				/* extensions */
		0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,	/* point formats */
		0x00, 0x0a, 0x00, 0x18, 0x00, 0x16,	/* groups */
		0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18,
		0x00, 0x16, 0x00, 0x1a, 0x00, 0x1b, 0x00, 0x1c,
		0x00, 0x15, 0x00, 0x13,
		0xff, 0x01, 0x00, 0x01, 0x00,		/* reneg info */
		0x00, 0x17, 0x00, 0x00,			/* ems */
	};
	unsigned char out[TLS_HELLO_MAX], random[32];
	const uint16_t suites[] = { 0x002f, 0x000a };
	struct tls_hello_params p = {
		.version = TLS_V_TLS10, .suites = suites, .nsuites = 2,
		.random = random,
	};
	const char *err;
	size_t len;

	(void)state;
	memset(random, 0xab, sizeof(random));
	assert_int_equal(tls_hello_build(&p, out, sizeof(out), &len, &err), 0);
	assert_int_equal(len, sizeof(expect_head) + 32 + sizeof(expect_tail));
	assert_memory_equal(out, expect_head, sizeof(expect_head));
	assert_memory_equal(out + sizeof(expect_head), random, 32);
	assert_memory_equal(out + sizeof(expect_head) + 32, expect_tail,
	    sizeof(expect_tail));
}

static void
test_build_ssl2(void **state)
{
	static const uint32_t kinds[] = { 0x010080, 0x0700c0, 0x020080 };
	static const unsigned char expect[] = {
		0x80, 0x22,			/* 2-byte header, 34 bytes */
		0x01, 0x00, 0x02,		/* CLIENT-HELLO, version 2 */
		0x00, 0x09, 0x00, 0x00, 0x00, 0x10,
		0x01, 0x00, 0x80, 0x07, 0x00, 0xc0, 0x02, 0x00, 0x80,
	};
	unsigned char out[TLS_HELLO_MAX], random[32];
	struct tls_hello_params p = {
		.version = TLS_V_SSL2, .ssl2_kinds = kinds, .nssl2_kinds = 3,
		.random = random, .sni = "ignored.example",
	};
	const char *err;
	size_t len;

	(void)state;
	memset(random, 0x42, sizeof(random));
	assert_int_equal(tls_hello_build(&p, out, sizeof(out), &len, &err), 0);
	assert_int_equal(len, sizeof(expect) + 16);
	assert_memory_equal(out, expect, sizeof(expect));
	assert_memory_equal(out + sizeof(expect), random, 16);
}

/* Without given random bytes and key share, fresh ones are made. */
static void
test_build_fresh(void **state)
{
	unsigned char a[TLS_HELLO_MAX], b[TLS_HELLO_MAX];
	const uint16_t suites[] = { 0x1301 };
	struct tls_hello_params p = {
		.version = TLS_V_TLS13, .suites = suites, .nsuites = 1,
	};
	struct parsed_hello ha, hb;
	const char *err;
	size_t la, lb;

	(void)state;
	assert_int_equal(tls_hello_build(&p, a, sizeof(a), &la, &err), 0);
	assert_int_equal(tls_hello_build(&p, b, sizeof(b), &lb, &err), 0);
	assert_int_equal(la, lb);
	parse_client_hello(a, la, &ha);
	parse_client_hello(b, lb, &hb);
	assert_memory_not_equal(ha.random, hb.random, 32);
	assert_memory_not_equal(a, b, la);
}

static void
test_build_errors(void **state)
{
	unsigned char out[TLS_HELLO_MAX];
	uint16_t suites[TLS_HELLO_SUITES_MAX + 1] = { 0 };
	struct tls_hello_params p;
	const char *err;
	size_t len;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.version = TLS_V_TLS12;
	p.suites = suites;
	p.nsuites = 0;
	assert_int_equal(tls_hello_build(&p, out, sizeof(out), &len, &err), -1);
	p.nsuites = TLS_HELLO_SUITES_MAX + 1;
	assert_int_equal(tls_hello_build(&p, out, sizeof(out), &len, &err), -1);
	p.nsuites = 1;
	p.version = 0x0305;
	assert_int_equal(tls_hello_build(&p, out, sizeof(out), &len, &err), -1);
	p.version = TLS_V_TLS12;
	p.sni = "bad name.example";
	assert_int_equal(tls_hello_build(&p, out, sizeof(out), &len, &err), -1);
	p.sni = ".";
	assert_int_equal(tls_hello_build(&p, out, sizeof(out), &len, &err), -1);
	p.sni = NULL;
	assert_int_equal(tls_hello_build(&p, out, 40, &len, &err), -1);
	assert_int_equal(len, 0);
	p.version = TLS_V_SSL2;
	assert_int_equal(tls_hello_build(&p, out, sizeof(out), &len, &err), -1);
}

/*
 * Parsing.
 */

struct flight {
	struct tbuf	 bytes;
	bool		 eof;		/* the server closes after it */
};

typedef void (*flight_fn)(struct flight *);

/* A TLS 1.2 ECDHE flight: SH, two certificates, SKE, SHD. */
static void
fl_tls12_ecdhe(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0xc02f,
	    .reneg = true, .ems = true };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_certificate(&hs, 2, 700);
	fl_ske_ecdhe(&hs, 0x0017);
	fl_hello_done(&hs);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
}

/* The same, one handshake message spread over 7-byte records. */
static void
fl_tls12_fragmented(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0xc02f,
	    .reneg = true, .ems = true };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_certificate(&hs, 2, 700);
	fl_ske_ecdhe(&hs, 0x0017);
	fl_hello_done(&hs);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 7);
	tb_free(&hs);
}

static void
fl_ssl3_rc4(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_SSL3, .suite = 0x0004,
	    .no_ext = true };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_certificate(&hs, 1, 500);
	fl_hello_done(&hs);
	fl_records(&f->bytes, 22, TLS_V_SSL3, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_tls10_dhe1024(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS10, .suite = 0x0016 };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_certificate(&hs, 1, 500);
	fl_ske_dhe(&hs, 1024);
	fl_hello_done(&hs);
	fl_records(&f->bytes, 22, TLS_V_TLS10, hs.p, hs.n, 100);
	tb_free(&hs);
}

static void
fl_export_rsa(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS10, .suite = 0x0003 };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_certificate(&hs, 1, 500);
	fl_ske_rsa_export(&hs, 512);
	fl_hello_done(&hs);
	fl_records(&f->bytes, 22, TLS_V_TLS10, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_tls13(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0x1302,
	    .sv = TLS_V_TLS13, .key_share = 0x001d };
	struct tbuf hs = { 0 };
	static const unsigned char ccs = 1, enc[40];

	fl_server_hello(&hs, &sh);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	fl_records(&f->bytes, 20, TLS_V_TLS12, &ccs, 1, 0);
	fl_records(&f->bytes, 23, TLS_V_TLS12, enc, sizeof(enc), 0);
	tb_free(&hs);
}

static void
fl_hrr(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0x1301,
	    .sv = TLS_V_TLS13, .key_share = 0x0017, .hrr = true };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_hrr_no_tls13(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0x1301,
	    .key_share = 0x0017, .hrr = true };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_downgrade(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0x009c,
	    .downgrade = true };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
	f->eof = true;
}

static void
fl_alert_hs_failure(struct flight *f)
{
	fl_alert(&f->bytes, TLS_V_TLS12, 2, 40);
}

static void
fl_alert_close_notify(struct flight *f)
{
	fl_alert(&f->bytes, TLS_V_TLS10, 1, 0);
}

/* unrecognized_name as a warning, then a normal flight */
static void
fl_warning_then_hello(struct flight *f)
{
	fl_alert(&f->bytes, TLS_V_TLS12, 1, 112);
	fl_tls12_ecdhe(f);
}

/* an alert split over two records */
static void
fl_alert_split(struct flight *f)
{
	static const unsigned char a = 2, b = 70;

	fl_records(&f->bytes, 21, TLS_V_TLS10, &a, 1, 0);
	fl_records(&f->bytes, 21, TLS_V_TLS10, &b, 1, 0);
}

static void
fl_hello_then_alert(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0xc030 };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	fl_alert(&f->bytes, TLS_V_TLS12, 2, 80);
	tb_free(&hs);
}

static void
fl_hello_then_close(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS11, .suite = 0x0035 };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_certificate(&hs, 1, 100);
	fl_records(&f->bytes, 22, TLS_V_TLS11, hs.p, hs.n, 0);
	tb_free(&hs);
	f->eof = true;
}

static void
fl_ssl2_hello(struct flight *f)
{
	static const uint32_t kinds[] = { 0x010080, 0x0700c0, 0x020080 };

	fl_ssl2_server_hello(&f->bytes, kinds, 3, 400);
}

static void
fl_ssl2_err(struct flight *f)
{
	fl_ssl2_error(&f->bytes, 1);
}

static void
fl_smtp_text(struct flight *f)
{
	const char *t = "454 4.7.0 TLS not available due to local problem\r\n";

	tb_put(&f->bytes, t, strlen(t));
}

static void
fl_http(struct flight *f)
{
	const char *t = "HTTP/1.1 400 Bad Request\r\n\r\n";

	tb_put(&f->bytes, t, strlen(t));
	f->eof = true;
}

static void
fl_two_bytes(struct flight *f)
{
	tb_put(&f->bytes, "5\n", 2);
	f->eof = true;
}

static void
fl_nothing(struct flight *f)
{
	f->eof = true;
}

static void
fl_truncated_record(struct flight *f)
{
	tb_put(&f->bytes, "\x16\x03\x03\x00\x64" "0123456789", 15);
	f->eof = true;
}

static void
fl_truncated_header(struct flight *f)
{
	tb_put(&f->bytes, "\x16\x03", 2);
	f->eof = true;
}

static void
fl_record_too_long(struct flight *f)
{
	tb_put(&f->bytes, "\x16\x03\x03\x48\x01", 5);
}

static void
fl_bad_second_header(struct flight *f)
{
	fl_alert(&f->bytes, TLS_V_TLS12, 1, 112);
	tb_put(&f->bytes, "\x16\x05\x03\x00\x01" "x", 6);
}

static void
fl_huge_hs_message(struct flight *f)
{
	static const unsigned char m[] = { 2, 0xff, 0xff, 0xff, 3, 3 };

	fl_records(&f->bytes, 22, TLS_V_TLS12, m, sizeof(m), 0);
}

static void
fl_empty_record(struct flight *f)
{
	tb_put(&f->bytes, "\x16\x03\x03\x00\x00", 5);
}

static void
fl_empty_appdata_then_alert(struct flight *f)
{
	tb_put(&f->bytes, "\x17\x03\x03\x00\x00", 5);
}

static void
fl_sh_truncated(struct flight *f)
{
	static const unsigned char m[] = { 2, 0, 0, 10, 3, 3, 1, 2, 3, 4, 5,
	    6, 7, 8 };

	fl_records(&f->bytes, 22, TLS_V_TLS12, m, sizeof(m), 0);
}

static void
fl_sh_bad_ext_len(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0xc02f,
	    .ems = true };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	hs.p[hs.n - 5] = 9;	/* extensions length low byte: wrong */
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_sh_dup_ext(struct flight *f)
{
	struct tbuf hs = { 0 };
	size_t msg, ext;
	unsigned char random[32];

	memset(random, 1, sizeof(random));
	tb_u8(&hs, 2);
	msg = tb_open(&hs, 3);
	tb_u16(&hs, TLS_V_TLS12);
	tb_put(&hs, random, 32);
	tb_u8(&hs, 0);
	tb_u16(&hs, 0xc02f);
	tb_u8(&hs, 0);
	ext = tb_open(&hs, 2);
	tb_u16(&hs, 0x0017);
	tb_u16(&hs, 0);
	tb_u16(&hs, 0x0017);
	tb_u16(&hs, 0);
	tb_close(&hs, ext, 2);
	tb_close(&hs, msg, 3);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_cert_first(struct flight *f)
{
	struct tbuf hs = { 0 };

	fl_certificate(&hs, 1, 100);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_appdata_first(struct flight *f)
{
	fl_records(&f->bytes, 23, TLS_V_TLS12, (const unsigned char *)"xx",
	    2, 0);
}

static void
fl_ccs_first(struct flight *f)
{
	fl_records(&f->bytes, 20, TLS_V_TLS12, (const unsigned char *)"\1",
	    1, 0);
}

static void
fl_bad_cert_after_hello(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0x009c };
	struct tbuf hs = { 0 };
	static const unsigned char cert[] = { 11, 0, 0, 6, 0, 0, 9, 0, 0, 9 };

	fl_server_hello(&hs, &sh);
	tb_put(&hs, cert, sizeof(cert));
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_twenty_certs(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0x009c };
	struct tbuf hs = { 0 };

	fl_server_hello(&hs, &sh);
	fl_certificate(&hs, 20, 50);
	fl_hello_done(&hs);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_ssl2_bad_specs(struct flight *f)
{
	static const unsigned char m[] = {
		0x80, 0x0e, 4, 0, 1, 0, 2, 0, 0, 0, 2, 0, 1, 1, 2, 3
	};

	tb_put(&f->bytes, m, sizeof(m));
}

static void
fl_ssl2_lying_lengths(struct flight *f)
{
	static const unsigned char m[] = {
		0x80, 0x0b, 4, 0, 1, 0, 2, 0xff, 0xff, 0, 3, 0, 16
	};

	tb_put(&f->bytes, m, sizeof(m));
}

static void
fl_over_limit(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0x009c };
	struct tbuf hs = { 0 };
	unsigned char junk[16000];
	int i;

	memset(junk, 0, sizeof(junk));
	fl_server_hello(&hs, &sh);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	/* certificate status messages (type 22) forever: ignored, but
	 * the total is capped */
	for (i = 0; i < 20; i++) {
		junk[0] = 22;
		junk[1] = 0;
		junk[2] = (unsigned char)((sizeof(junk) - 4) >> 8);
		junk[3] = (unsigned char)((sizeof(junk) - 4) & 0xff);
		fl_records(&f->bytes, 22, TLS_V_TLS12, junk, sizeof(junk), 0);
	}
	tb_free(&hs);
}

static void
fl_explicit_curve(struct flight *f)
{
	struct sh_spec sh = { .version = TLS_V_TLS12, .suite = 0xc02b };
	struct tbuf hs = { 0 };
	static const unsigned char ske[] = { 12, 0, 0, 4, 1, 9, 9, 9 };

	fl_server_hello(&hs, &sh);
	tb_put(&hs, ske, sizeof(ske));
	fl_hello_done(&hs);
	fl_records(&f->bytes, 22, TLS_V_TLS12, hs.p, hs.n, 0);
	tb_free(&hs);
}

static void
fl_hello_request_first(struct flight *f)
{
	static const unsigned char req[] = { 0, 0, 0, 0 };

	fl_records(&f->bytes, 22, TLS_V_TLS12, req, sizeof(req), 0);
	fl_tls12_ecdhe(f);
}

struct parse_case {
	const char		*label;
	flight_fn		 build;
	enum tls_reply_kind	 kind;
	bool			 complete;
	uint16_t		 version;
	uint16_t		 suite;
	uint16_t		 group;
	int			 dh_bits;
	int			 alert;
	size_t			 ncerts;
	const char		*text;		/* substring of info->text */
	const char		*error;		/* substring of info->error */
};

static const struct parse_case parses[] = {
	{ "tls12 ecdhe", fl_tls12_ecdhe, TLS_REPLY_HELLO, true, TLS_V_TLS12,
	  0xc02f, 0x0017, 0, -1, 2, NULL, NULL },
	{ "tls12 fragmented", fl_tls12_fragmented, TLS_REPLY_HELLO, true,
	  TLS_V_TLS12, 0xc02f, 0x0017, 0, -1, 2, NULL, NULL },
	{ "ssl3 rc4", fl_ssl3_rc4, TLS_REPLY_HELLO, true, TLS_V_SSL3, 0x0004,
	  0, 0, -1, 1, NULL, NULL },
	{ "tls10 dhe 1024", fl_tls10_dhe1024, TLS_REPLY_HELLO, true,
	  TLS_V_TLS10, 0x0016, 0, 1024, -1, 1, NULL, NULL },
	{ "export rsa", fl_export_rsa, TLS_REPLY_HELLO, true, TLS_V_TLS10,
	  0x0003, 0, 0, -1, 1, NULL, NULL },
	{ "tls13", fl_tls13, TLS_REPLY_HELLO, true, TLS_V_TLS13, 0x1302,
	  0x001d, 0, -1, 0, NULL, NULL },
	{ "hrr", fl_hrr, TLS_REPLY_HRR, true, TLS_V_TLS13, 0x1301, 0x0017,
	  0, -1, 0, NULL, NULL },
	{ "hrr without 1.3", fl_hrr_no_tls13, TLS_REPLY_MALFORMED, false, 0,
	  0, 0, 0, -1, 0, NULL, "HelloRetryRequest" },
	{ "downgrade", fl_downgrade, TLS_REPLY_HELLO, false, TLS_V_TLS12,
	  0x009c, 0, 0, -1, 0, NULL, NULL },
	{ "alert", fl_alert_hs_failure, TLS_REPLY_ALERT, false, 0, 0, 0, 0,
	  40, 0, NULL, NULL },
	{ "close_notify", fl_alert_close_notify, TLS_REPLY_ALERT, false, 0,
	  0, 0, 0, 0, 0, NULL, NULL },
	{ "warning then hello", fl_warning_then_hello, TLS_REPLY_HELLO, true,
	  TLS_V_TLS12, 0xc02f, 0x0017, 0, -1, 2, NULL, NULL },
	{ "alert split", fl_alert_split, TLS_REPLY_ALERT, false, 0, 0, 0, 0,
	  70, 0, NULL, NULL },
	{ "hello then alert", fl_hello_then_alert, TLS_REPLY_HELLO, false,
	  TLS_V_TLS12, 0xc030, 0, 0, 80, 0, NULL, NULL },
	{ "hello then close", fl_hello_then_close, TLS_REPLY_HELLO, false,
	  TLS_V_TLS11, 0x0035, 0, 0, -1, 1, NULL, NULL },
	{ "hello request first", fl_hello_request_first, TLS_REPLY_HELLO,
	  true, TLS_V_TLS12, 0xc02f, 0x0017, 0, -1, 2, NULL, NULL },
	{ "explicit curve", fl_explicit_curve, TLS_REPLY_HELLO, true,
	  TLS_V_TLS12, 0xc02b, 0, 0, -1, 0, NULL, NULL },
	{ "twenty certs", fl_twenty_certs, TLS_REPLY_HELLO, true,
	  TLS_V_TLS12, 0x009c, 0, 0, -1, 20, NULL, NULL },
	{ "ssl2 hello", fl_ssl2_hello, TLS_REPLY_SSL2_HELLO, true,
	  TLS_V_SSL2, 0, 0, 0, -1, 1, NULL, NULL },
	{ "ssl2 error", fl_ssl2_err, TLS_REPLY_SSL2_ERROR, false, 0, 0, 0,
	  0, -1, 0, NULL, NULL },
	{ "smtp reply", fl_smtp_text, TLS_REPLY_NOT_TLS, false, 0, 0, 0, 0,
	  -1, 0, "454 4.7.0 TLS not available", NULL },
	{ "http", fl_http, TLS_REPLY_NOT_TLS, false, 0, 0, 0, 0, -1, 0,
	  "HTTP/1.1 400", NULL },
	{ "two bytes", fl_two_bytes, TLS_REPLY_NOT_TLS, false, 0, 0, 0, 0,
	  -1, 0, "5\\n", NULL },
	{ "nothing", fl_nothing, TLS_REPLY_CLOSED, false, 0, 0, 0, 0, -1, 0,
	  NULL, NULL },
	{ "truncated record", fl_truncated_record, TLS_REPLY_MALFORMED,
	  false, 0, 0, 0, 0, -1, 0, NULL, "closed inside" },
	{ "truncated header", fl_truncated_header, TLS_REPLY_MALFORMED,
	  false, 0, 0, 0, 0, -1, 0, NULL, "closed inside" },
	{ "record too long", fl_record_too_long, TLS_REPLY_MALFORMED, false,
	  0, 0, 0, 0, -1, 0, NULL, "record length" },
	{ "bad second header", fl_bad_second_header, TLS_REPLY_MALFORMED,
	  false, 0, 0, 0, 0, -1, 0, NULL, "bad record header" },
	{ "huge handshake message", fl_huge_hs_message, TLS_REPLY_MALFORMED,
	  false, 0, 0, 0, 0, -1, 0, NULL, "over the limit" },
	{ "empty record", fl_empty_record, TLS_REPLY_MALFORMED, false, 0, 0,
	  0, 0, -1, 0, NULL, "empty record" },
	{ "empty appdata first", fl_empty_appdata_then_alert,
	  TLS_REPLY_MALFORMED, false, 0, 0, 0, 0, -1, 0, NULL,
	  "before ServerHello" },
	{ "sh truncated", fl_sh_truncated, TLS_REPLY_MALFORMED, false, 0, 0,
	  0, 0, -1, 0, NULL, "truncated" },
	{ "sh ext length", fl_sh_bad_ext_len, TLS_REPLY_MALFORMED, false, 0,
	  0, 0, 0, -1, 0, NULL, "extensions" },
	{ "sh duplicate ext", fl_sh_dup_ext, TLS_REPLY_MALFORMED, false, 0,
	  0, 0, 0, -1, 0, NULL, "extensions" },
	{ "certificate first", fl_cert_first, TLS_REPLY_MALFORMED, false, 0,
	  0, 0, 0, -1, 0, NULL, "before ServerHello" },
	{ "appdata first", fl_appdata_first, TLS_REPLY_MALFORMED, false, 0,
	  0, 0, 0, -1, 0, NULL, "before ServerHello" },
	{ "ccs first", fl_ccs_first, TLS_REPLY_MALFORMED, false, 0, 0, 0, 0,
	  -1, 0, NULL, "ChangeCipherSpec" },
	{ "bad cert after hello", fl_bad_cert_after_hello, TLS_REPLY_HELLO,
	  false, TLS_V_TLS12, 0x009c, 0, 0, -1, 0, NULL, "Certificate" },
	{ "ssl2 bad specs", fl_ssl2_bad_specs, TLS_REPLY_MALFORMED, false, 0,
	  0, 0, 0, -1, 0, NULL, "SSLv2" },
	{ "ssl2 lying lengths", fl_ssl2_lying_lengths, TLS_REPLY_MALFORMED,
	  false, 0, 0, 0, 0, -1, 0, NULL, "SSLv2" },
	{ "over limit", fl_over_limit, TLS_REPLY_HELLO, false, TLS_V_TLS12,
	  0x009c, 0, 0, -1, 0, NULL, "reply over the limit" },
};

static void
check_parse(const struct parse_case *c, const struct tls_reply *r)
{
	const struct tls_reply_info *i = tls_reply_info(r);

	assert_int_equal(i->kind, c->kind);
	assert_int_equal(i->complete, c->complete);
	assert_int_equal(i->version, c->version);
	assert_int_equal(i->suite, c->suite);
	assert_int_equal(i->group, c->group);
	assert_int_equal(i->dh_bits, c->dh_bits);
	assert_int_equal(i->alert, c->alert);
	assert_int_equal(i->ncerts, c->ncerts);
	assert_non_null(i->text);
	assert_non_null(i->error);
	if (c->text != NULL)
		assert_non_null(strstr(i->text, c->text));
	if (c->error != NULL)
		assert_non_null(strstr(i->error, c->error));
	else
		assert_string_equal(i->error, "");
}

/* Each flight is fed whole, byte by byte, and in odd pieces: the
 * verdict must not depend on how TCP cut it. */
static void
test_parse(void **state)
{
	static const size_t steps[] = { 0, 1, 3, 1000 };
	size_t i, s, at, n;

	(void)state;
	for (i = 0; i < sizeof(parses) / sizeof(parses[0]); i++) {
		const struct parse_case *c = &parses[i];
		struct flight f = { { 0 }, false };

		print_message("%s\n", c->label);
		c->build(&f);
		for (s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
			struct tls_reply *r = tls_reply_new();
			size_t step = steps[s] == 0 ? f.bytes.n + 1 : steps[s];

			for (at = 0; at < f.bytes.n && !tls_reply_done(r);
			    at += n) {
				n = f.bytes.n - at < step ? f.bytes.n - at : step;
				(void)tls_reply_feed(r, f.bytes.p + at, n);
			}
			if (f.eof || !tls_reply_done(r))
				tls_reply_eof(r);
			assert_true(tls_reply_done(r));
			check_parse(c, r);
			tls_reply_free(r);
		}
		tb_free(&f.bytes);
	}
}

/* The details only some cases carry. */
static void
test_parse_details(void **state)
{
	struct flight f = { { 0 }, false };
	const struct tls_reply_info *i;
	const unsigned char *der;
	struct tls_reply *r;
	size_t len;

	(void)state;
	fl_tls12_ecdhe(&f);
	r = tls_reply_new();
	assert_true(tls_reply_feed(r, f.bytes.p, f.bytes.n));
	i = tls_reply_info(r);
	assert_true(i->secure_reneg);
	assert_true(i->ems);
	assert_false(i->downgrade);
	assert_int_equal(i->record_version, TLS_V_TLS12);
	der = tls_reply_cert(r, 1, &len);
	assert_non_null(der);
	assert_int_equal(len, 700);
	assert_int_equal(der[0], 0x30);
	assert_null(tls_reply_cert(r, 2, &len));
	/* bytes after the verdict are ignored */
	assert_true(tls_reply_feed(r, "junk", 4));
	tls_reply_free(r);
	tb_free(&f.bytes);

	memset(&f, 0, sizeof(f));
	fl_downgrade(&f);
	r = tls_reply_new();
	(void)tls_reply_feed(r, f.bytes.p, f.bytes.n);
	tls_reply_eof(r);
	assert_true(tls_reply_info(r)->downgrade);
	tls_reply_free(r);
	tb_free(&f.bytes);

	memset(&f, 0, sizeof(f));
	fl_export_rsa(&f);
	r = tls_reply_new();
	(void)tls_reply_feed(r, f.bytes.p, f.bytes.n);
	assert_int_equal(tls_reply_info(r)->rsa_export_bits, 512);
	tls_reply_free(r);
	tb_free(&f.bytes);

	memset(&f, 0, sizeof(f));
	fl_explicit_curve(&f);
	r = tls_reply_new();
	(void)tls_reply_feed(r, f.bytes.p, f.bytes.n);
	assert_true(tls_reply_info(r)->explicit_curve);
	tls_reply_free(r);
	tb_free(&f.bytes);

	memset(&f, 0, sizeof(f));
	fl_ssl2_hello(&f);
	r = tls_reply_new();
	(void)tls_reply_feed(r, f.bytes.p, f.bytes.n);
	i = tls_reply_info(r);
	assert_int_equal(i->nssl2_kinds, 3);
	assert_int_equal(i->ssl2_total, 3);
	assert_int_equal(i->ssl2_kinds[1], 0x0700c0);
	assert_int_equal(i->ssl2_version, 2);
	assert_non_null(tls_reply_cert(r, 0, &len));
	assert_int_equal(len, 400);
	tls_reply_free(r);
	tb_free(&f.bytes);

	memset(&f, 0, sizeof(f));
	fl_warning_then_hello(&f);
	r = tls_reply_new();
	(void)tls_reply_feed(r, f.bytes.p, f.bytes.n);
	assert_int_equal(tls_reply_info(r)->warning, 112);
	tls_reply_free(r);
	tb_free(&f.bytes);

	memset(&f, 0, sizeof(f));
	fl_ssl2_err(&f);
	r = tls_reply_new();
	(void)tls_reply_feed(r, f.bytes.p, f.bytes.n);
	assert_int_equal(tls_reply_info(r)->ssl2_error, 1);
	tls_reply_free(r);
	tb_free(&f.bytes);
}

/* Plaintext is kept escaped and capped. */
static void
test_parse_text_escaped(void **state)
{
	char line[600];
	struct tls_reply *r = tls_reply_new();
	const char *t;

	(void)state;
	memset(line, 'A', sizeof(line));
	memcpy(line, "220 \x1b[31mred\x7f", 13);
	assert_true(tls_reply_feed(r, line, sizeof(line)));
	t = tls_reply_info(r)->text;
	assert_non_null(strstr(t, "\\x1b[31mred\\x7f"));
	assert_true(strlen(t) <= TLS_REPLY_TEXT_MAX + 3);
	tls_reply_free(r);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(tls_alert_name(40), "handshake_failure");
	assert_string_equal(tls_alert_name(70), "protocol_version");
	assert_string_equal(tls_alert_name(112), "unrecognized_name");
	assert_null(tls_alert_name(255));
	assert_string_equal(tls_group_name(29), "x25519");
	assert_string_equal(tls_group_name(0x0100), "ffdhe2048");
	assert_null(tls_group_name(0x0a0a));
	assert_string_equal(tls_ssl2_error_name(1), "NO-CIPHER-ERROR");
	assert_string_equal(tls_reply_kind_name(TLS_REPLY_NOT_TLS), "not_tls");
	assert_string_equal(tls_reply_kind_name((enum tls_reply_kind)99),
	    "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_tls),
		cmocka_unit_test(test_build_exact),
		cmocka_unit_test(test_build_ssl2),
		cmocka_unit_test(test_build_fresh),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_details),
		cmocka_unit_test(test_parse_text_escaped),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
