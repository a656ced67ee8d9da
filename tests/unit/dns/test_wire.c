/* test_wire: dns_parse on hand-built packets, well-formed and hostile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"

/* ---- a small packet builder ---- */

struct pkt {
	uint8_t	b[8192];
	size_t	len;
};

static void
p_u8(struct pkt *p, unsigned v)
{
	assert_true(p->len < sizeof(p->b));
	p->b[p->len++] = (uint8_t)v;
}

static void
p_u16(struct pkt *p, unsigned v)
{
	p_u8(p, v >> 8);
	p_u8(p, v & 0xff);
}

static void
p_u32(struct pkt *p, uint32_t v)
{
	p_u16(p, v >> 16);
	p_u16(p, v & 0xffff);
}

static void
p_bytes(struct pkt *p, const void *d, size_t n)
{
	assert_true(p->len + n <= sizeof(p->b));
	memcpy(p->b + p->len, d, n);
	p->len += n;
}

/* Labels of a dotted name, without the terminating root label. */
static void
p_labels(struct pkt *p, const char *name)
{
	while (*name != '\0') {
		const char *dot = strchr(name, '.');
		size_t n = dot ? (size_t)(dot - name) : strlen(name);

		p_u8(p, (unsigned)n);
		p_bytes(p, name, n);
		name += n;
		if (*name == '.')
			name++;
	}
}

static void
p_name(struct pkt *p, const char *name)
{
	p_labels(p, name);
	p_u8(p, 0);
}

static void
p_ptr(struct pkt *p, size_t off)
{
	p_u16(p, 0xc000 | (unsigned)off);
}

enum { QR = 0x8000, RD = 0x0100, RA = 0x0080 };

static void
p_hdr(struct pkt *p, unsigned rcode, unsigned qd, unsigned an)
{
	p->len = 0;
	p_u16(p, 0x1234);
	p_u16(p, QR | RD | RA | rcode);
	p_u16(p, qd);
	p_u16(p, an);
	p_u16(p, 0);
	p_u16(p, 0);
}

static void
p_question(struct pkt *p, const char *name, unsigned type)
{
	p_name(p, name);
	p_u16(p, type);
	p_u16(p, 1);
}

/* Starts a record whose owner is the question name (pointer to 12);
 * returns where its rdlength goes, for p_rr_end(). */
static size_t
p_rr(struct pkt *p, unsigned type, uint32_t ttl)
{
	size_t at;

	p_ptr(p, 12);
	p_u16(p, type);
	p_u16(p, 1);
	p_u32(p, ttl);
	at = p->len;
	p_u16(p, 0);
	return at;
}

static void
p_rr_end(struct pkt *p, size_t at)
{
	size_t n = p->len - at - 2;

	p->b[at] = (uint8_t)(n >> 8);
	p->b[at + 1] = (uint8_t)(n & 0xff);
}

static void
p_a(struct pkt *p, const char *text)
{
	uint8_t a[4];
	unsigned x[4];
	size_t at = p_rr(p, DNS_T_A, 300);
	int i;

	assert_int_equal(sscanf(text, "%u.%u.%u.%u", &x[0], &x[1], &x[2],
	    &x[3]), 4);
	for (i = 0; i < 4; i++)
		a[i] = (uint8_t)x[i];
	p_bytes(p, a, 4);
	p_rr_end(p, at);
}

/* ---- packets ---- */

static void
b_a(struct pkt *p)
{
	p_hdr(p, 0, 1, 1);
	p_question(p, "a.example", DNS_T_A);
	p_a(p, "192.0.2.1");
}

/* www CNAME a; a A x2; plus an A for an unrelated owner (ignored). */
static void
b_a_cname(struct pkt *p)
{
	size_t at, a_name;

	p_hdr(p, 0, 1, 4);
	p_question(p, "www.example", DNS_T_A);
	at = p_rr(p, 5, 60);
	a_name = p->len;
	p_u8(p, 1);
	p_bytes(p, "a", 1);
	p_ptr(p, 16);		/* "example" in the question */
	p_rr_end(p, at);
	for (int i = 1; i <= 2; i++) {
		p_ptr(p, a_name);
		p_u16(p, DNS_T_A);
		p_u16(p, 1);
		p_u32(p, 120);
		p_u16(p, 4);
		p_u8(p, 192); p_u8(p, 0); p_u8(p, 2); p_u8(p, (unsigned)i);
	}
	p_name(p, "other.example");
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
	p_u32(p, 120);
	p_u16(p, 4);
	p_u8(p, 10); p_u8(p, 0); p_u8(p, 0); p_u8(p, 1);
}

static void
b_aaaa(struct pkt *p)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x25 };
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "a.example", DNS_T_AAAA);
	at = p_rr(p, DNS_T_AAAA, 300);
	p_bytes(p, v6, 16);
	p_rr_end(p, at);
}

/* MX targets compressed against the question name, upper case. */
static void
b_mx(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 2);
	p_question(p, "example.com", DNS_T_MX);
	at = p_rr(p, DNS_T_MX, 3600);
	p_u16(p, 10);
	p_u8(p, 3);
	p_bytes(p, "MX1", 3);
	p_ptr(p, 12);
	p_rr_end(p, at);
	at = p_rr(p, DNS_T_MX, 3600);
	p_u16(p, 20);
	p_labels(p, "mx2.backup");
	p_ptr(p, 12);
	p_rr_end(p, at);
}

static void
b_null_mx(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "example.com", DNS_T_MX);
	at = p_rr(p, DNS_T_MX, 3600);
	p_u16(p, 0);
	p_u8(p, 0);
	p_rr_end(p, at);
}

static void
b_ptr(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "1.2.0.192.in-addr.arpa", DNS_T_PTR);
	at = p_rr(p, DNS_T_PTR, 86400);
	p_name(p, "mail.example.net");
	p_rr_end(p, at);
}

/* A PTR target with a space, a dot inside a label and an 8-bit byte. */
static void
b_ptr_odd(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "1.2.0.192.in-addr.arpa", DNS_T_PTR);
	at = p_rr(p, DNS_T_PTR, 86400);
	p_u8(p, 8);
	p_bytes(p, "we ird.\xff", 8);
	p_name(p, "example");
	p_rr_end(p, at);
}

static void
b_txt_multi(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "example.com", DNS_T_TXT);
	at = p_rr(p, DNS_T_TXT, 300);
	p_u8(p, 7);
	p_bytes(p, "v=spf1 ", 7);
	p_u8(p, 0);
	p_u8(p, 4);
	p_bytes(p, "-all", 4);
	p_rr_end(p, at);
}

static void
b_txt_binary(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "example.com", DNS_T_TXT);
	at = p_rr(p, DNS_T_TXT, 300);
	p_u8(p, 8);
	p_bytes(p, "a\0b\n\x7f\\\x1b" "c", 8);
	p_rr_end(p, at);
}

static void
b_txt_long(struct pkt *p)
{
	char s[255];
	size_t at;
	int i;

	memset(s, 'x', sizeof(s));
	p_hdr(p, 0, 1, 1);
	p_question(p, "example.com", DNS_T_TXT);
	at = p_rr(p, DNS_T_TXT, 300);
	for (i = 0; i < 6; i++) {
		p_u8(p, sizeof(s));
		p_bytes(p, s, sizeof(s));
	}
	p_rr_end(p, at);
}

static void
b_nxdomain(struct pkt *p)
{
	p_hdr(p, 3, 1, 0);
	p_question(p, "nope.example", DNS_T_A);
}

static void
b_nodata(struct pkt *p)
{
	p_hdr(p, 0, 1, 0);
	p_question(p, "a.example", DNS_T_AAAA);
}

/* The name has an A but AAAA was asked. */
static void
b_nodata_other(struct pkt *p)
{
	p_hdr(p, 0, 1, 1);
	p_question(p, "a.example", DNS_T_AAAA);
	p_a(p, "192.0.2.1");
}

static void
b_servfail(struct pkt *p)
{
	p_hdr(p, 2, 1, 0);
	p_question(p, "a.example", DNS_T_A);
}

static void
b_refused(struct pkt *p)
{
	p_hdr(p, 5, 1, 0);
	p_question(p, "a.example", DNS_T_A);
}

static void
b_formerr(struct pkt *p)
{
	p_hdr(p, 1, 1, 0);
	p_question(p, "a.example", DNS_T_A);
}

static void
b_many(struct pkt *p)
{
	char t[16];
	int i;

	p_hdr(p, 0, 1, 70);
	p_question(p, "a.example", DNS_T_A);
	for (i = 0; i < 70; i++) {
		snprintf(t, sizeof(t), "10.0.0.%d", i);
		p_a(p, t);
	}
}

static void
b_tlsa(struct pkt *p)
{
	static const uint8_t rd[] = { 3, 1, 1, 0xab, 0xcd, 0xef };
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "_25._tcp.mx.example", DNS_T_TLSA);
	at = p_rr(p, DNS_T_TLSA, 300);
	p_bytes(p, rd, sizeof(rd));
	p_rr_end(p, at);
}

/* ---- hostile packets ---- */

static void
x_short_header(struct pkt *p)
{
	b_a(p);
	p->len = 5;
}

static void
x_query(struct pkt *p)
{
	b_a(p);
	p->b[2] &= 0x7f;	/* QR cleared */
}

static void
x_truncated_rdata(struct pkt *p)
{
	b_a(p);
	p->len -= 2;
}

static void
x_rdlength_past_end(struct pkt *p)
{
	b_a(p);
	p->b[p->len - 6] = 0;
	p->b[p->len - 5] = 200;
}

static void
x_a_wrong_length(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "a.example", DNS_T_A);
	at = p_rr(p, DNS_T_A, 300);
	p_u32(p, 0xc0000201);
	p_u8(p, 0);
	p_rr_end(p, at);
}

/* Two pointers pointing at each other, inside an ignored record's data;
 * the next record's owner enters the loop. */
static void
x_loop(struct pkt *p)
{
	size_t at, x;

	p_hdr(p, 0, 0, 2);
	p_u8(p, 0);
	p_u16(p, 10);
	p_u16(p, 1);
	p_u32(p, 0);
	at = p->len;
	p_u16(p, 0);
	x = p->len;
	p_ptr(p, x + 2);
	p_ptr(p, x);
	p_rr_end(p, at);
	p_ptr(p, x + 2);
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
	p_u32(p, 1);
	p_u16(p, 4);
	p_u32(p, 0x7f000001);
}

static void
x_self_pointer(struct pkt *p)
{
	p_hdr(p, 0, 1, 0);
	p_ptr(p, 12);
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
}

static void
x_forward_pointer(struct pkt *p)
{
	p_hdr(p, 0, 1, 0);
	p_ptr(p, 18);
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
	p_name(p, "later");
}

static void
x_pointer_into_header(struct pkt *p)
{
	p_hdr(p, 0, 1, 0);
	p_ptr(p, 4);
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
}

static void
x_name_too_long(struct pkt *p)
{
	char lab[64];
	int i;

	memset(lab, 'a', 63);
	p_hdr(p, 0, 1, 0);
	for (i = 0; i < 5; i++) {
		p_u8(p, 63);
		p_bytes(p, lab, 63);
	}
	p_u8(p, 0);
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
}

/* 3 * (1 + 63) + (1 + 62) + 1 = 256 octets: one over. */
static void
x_name_256(struct pkt *p)
{
	char lab[64];
	int i;

	memset(lab, 'a', 63);
	p_hdr(p, 0, 1, 0);
	for (i = 0; i < 3; i++) {
		p_u8(p, 63);
		p_bytes(p, lab, 63);
	}
	p_u8(p, 62);
	p_bytes(p, lab, 62);
	p_u8(p, 0);
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
}

/* 3 * (1 + 63) + (1 + 61) + 1 = 255 octets exactly: accepted. */
static void
b_name_255(struct pkt *p)
{
	char lab[64];
	int i;

	memset(lab, 'a', 63);
	p_hdr(p, 0, 1, 0);
	for (i = 0; i < 3; i++) {
		p_u8(p, 63);
		p_bytes(p, lab, 63);
	}
	p_u8(p, 61);
	p_bytes(p, lab, 61);
	p_u8(p, 0);
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
}

static void
x_ancount_65535(struct pkt *p)
{
	b_a(p);
	p->b[6] = 0xff;
	p->b[7] = 0xff;
}

static void
x_label_64(struct pkt *p)
{
	char lab[64];

	memset(lab, 'a', 64);
	p_hdr(p, 0, 1, 0);
	p_u8(p, 64);
	p_bytes(p, lab, 64);
	p_u8(p, 0);
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
}

static void
x_label_past_end(struct pkt *p)
{
	p_hdr(p, 0, 1, 0);
	p_u8(p, 30);
	p_bytes(p, "short", 5);
}

static void
x_mx_trailing_junk(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "example.com", DNS_T_MX);
	at = p_rr(p, DNS_T_MX, 3600);
	p_u16(p, 10);
	p_name(p, "mx.example.com");
	p_u16(p, 0xdead);
	p_rr_end(p, at);
}

static void
x_mx_short(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "example.com", DNS_T_MX);
	at = p_rr(p, DNS_T_MX, 3600);
	p_u16(p, 10);
	p_rr_end(p, at);
}

static void
x_txt_overrun(struct pkt *p)
{
	size_t at;

	p_hdr(p, 0, 1, 1);
	p_question(p, "example.com", DNS_T_TXT);
	at = p_rr(p, DNS_T_TXT, 300);
	p_u8(p, 10);
	p_bytes(p, "abc", 3);
	p_rr_end(p, at);
}

static void
x_two_questions(struct pkt *p)
{
	p_hdr(p, 0, 2, 0);
	p_question(p, "a.example", DNS_T_A);
	p_question(p, "b.example", DNS_T_A);
}

static void
x_wrong_qtype(struct pkt *p)
{
	p_hdr(p, 0, 1, 0);
	p_question(p, "a.example", DNS_T_MX);
}

/*
 * A chain of n bare pointers, each pointing at the one before, hidden in
 * the rdata of an ignored record; the next record's owner enters at the
 * last one.  Every pointer points back, so only the jump cap stops it.
 */
static void
p_pointer_chain(struct pkt *p, int n)
{
	size_t at, prev, cur;
	int i;

	p_hdr(p, 0, 0, 2);
	p_u8(p, 0);		/* owner "." */
	p_u16(p, 10);		/* NULL type: not asked for */
	p_u16(p, 1);
	p_u32(p, 0);
	at = p->len;
	p_u16(p, 0);
	prev = p->len;
	p_u8(p, 0);		/* the root name the chain ends in */
	for (i = 0; i < n; i++) {
		cur = p->len;
		p_ptr(p, prev);
		prev = cur;
	}
	p_rr_end(p, at);
	p_ptr(p, prev);
	p_u16(p, DNS_T_A);
	p_u16(p, 1);
	p_u32(p, 0);
	p_u16(p, 4);
	p_u32(p, 0x7f000002);
}

static void
b_chain_100(struct pkt *p)
{
	p_pointer_chain(p, 100);
}

static void
x_chain_200(struct pkt *p)
{
	p_pointer_chain(p, 200);
}

/* ---- the table ---- */

struct wire_case {
	const char		*desc;
	void			(*build)(struct pkt *);
	int			 qtype;
	int			 rc;
	enum dns_status		 status;
	size_t			 nrrs;
	const char		*first;		/* rrs[0]: address, name or txt */
	int			 pref;
	uint32_t		 ttl;
	const char		*why;		/* substring of why */
};

static const struct wire_case cases[] = {
	{ "A", b_a, DNS_T_A, 0, DNS_OK, 1, "192.0.2.1", 0, 300, NULL },
	{ "A via CNAME, unrelated owner ignored", b_a_cname, DNS_T_A, 0,
	    DNS_OK, 2, "192.0.2.1", 0, 120, NULL },
	{ "AAAA", b_aaaa, DNS_T_AAAA, 0, DNS_OK, 1, "2001:db8::25", 0, 300,
	    NULL },
	{ "MX compressed, upper case", b_mx, DNS_T_MX, 0, DNS_OK, 2,
	    "mx1.example.com", 10, 3600, NULL },
	{ "null MX", b_null_mx, DNS_T_MX, 0, DNS_OK, 1, ".", 0, 3600, NULL },
	{ "PTR", b_ptr, DNS_T_PTR, 0, DNS_OK, 1, "mail.example.net", 0,
	    86400, NULL },
	{ "PTR with odd bytes escaped", b_ptr_odd, DNS_T_PTR, 0, DNS_OK, 1,
	    "we\\x20ird\\x2e\\xff.example", 0, 86400, NULL },
	{ "TXT multi-string", b_txt_multi, DNS_T_TXT, 0, DNS_OK, 1,
	    "v=spf1 -all", 0, 300, NULL },
	{ "TXT binary escaped", b_txt_binary, DNS_T_TXT, 0, DNS_OK, 1,
	    "a\\x00b\\n\\x7f\\\\\\x1bc", 0, 300, NULL },
	{ "NXDOMAIN", b_nxdomain, DNS_T_A, 0, DNS_NXDOMAIN, 0, NULL, 0, 0,
	    NULL },
	{ "NODATA", b_nodata, DNS_T_AAAA, 0, DNS_NODATA, 0, NULL, 0, 0, NULL },
	{ "NODATA, other type present", b_nodata_other, DNS_T_AAAA, 0,
	    DNS_NODATA, 0, NULL, 0, 0, NULL },
	{ "SERVFAIL", b_servfail, DNS_T_A, 0, DNS_SERVFAIL, 0, NULL, 0, 0,
	    "SERVFAIL" },
	{ "REFUSED", b_refused, DNS_T_A, 0, DNS_SERVFAIL, 0, NULL, 0, 0,
	    "REFUSED" },
	{ "FORMERR", b_formerr, DNS_T_A, 0, DNS_ERROR, 0, NULL, 0, 0,
	    "response code 1" },
	{ "70 records capped at 64", b_many, DNS_T_A, 0, DNS_OK, DNS_MAX_RRS,
	    "10.0.0.0", 0, 300, NULL },
	{ "name of 255 octets", b_name_255, DNS_T_A, 0, DNS_NODATA, 0, NULL,
	    0, 0, NULL },
	{ "100 backward pointers", b_chain_100, DNS_T_A, 0, DNS_OK, 1,
	    "127.0.0.2", 0, 0, NULL },
	{ "truncated header", x_short_header, DNS_T_A, -1, DNS_ERROR, 0, NULL,
	    0, 0, "truncated header" },
	{ "not a response", x_query, DNS_T_A, -1, DNS_ERROR, 0, NULL, 0, 0,
	    "not a response" },
	{ "truncated rdata", x_truncated_rdata, DNS_T_A, -1, DNS_ERROR, 0,
	    NULL, 0, 0, "past the end" },
	{ "rdlength past end", x_rdlength_past_end, DNS_T_A, -1, DNS_ERROR, 0,
	    NULL, 0, 0, "record data runs past the end" },
	{ "A of 5 bytes", x_a_wrong_length, DNS_T_A, -1, DNS_ERROR, 0, NULL,
	    0, 0, "wrong length" },
	{ "compression loop", x_loop, DNS_T_A, -1, DNS_ERROR, 0, NULL, 0, 0,
	    "compression pointer" },
	{ "pointer to itself", x_self_pointer, DNS_T_A, -1, DNS_ERROR, 0,
	    NULL, 0, 0, "compression pointer" },
	{ "forward pointer", x_forward_pointer, DNS_T_A, -1, DNS_ERROR, 0,
	    NULL, 0, 0, "compression pointer" },
	{ "pointer into the header", x_pointer_into_header, DNS_T_A, -1,
	    DNS_ERROR, 0, NULL, 0, 0, "compression pointer" },
	{ "200 backward pointers", x_chain_200, DNS_T_A, -1, DNS_ERROR, 0,
	    NULL, 0, 0, "too many compression pointers" },
	{ "name of 320 octets", x_name_too_long, DNS_T_A, -1, DNS_ERROR, 0,
	    NULL, 0, 0, "longer than 255" },
	{ "name of 256 octets", x_name_256, DNS_T_A, -1, DNS_ERROR, 0, NULL,
	    0, 0, "longer than 255" },
	{ "65535 answers, one present", x_ancount_65535, DNS_T_A, -1,
	    DNS_ERROR, 0, NULL, 0, 0, "past the end" },
	{ "label length 64", x_label_64, DNS_T_A, -1, DNS_ERROR, 0, NULL, 0,
	    0, "label type" },
	{ "label past end", x_label_past_end, DNS_T_A, -1, DNS_ERROR, 0, NULL,
	    0, 0, "label runs past the end" },
	{ "MX with trailing junk", x_mx_trailing_junk, DNS_T_MX, -1, DNS_ERROR,
	    0, NULL, 0, 0, "does not fill" },
	{ "MX without name", x_mx_short, DNS_T_MX, -1, DNS_ERROR, 0, NULL, 0,
	    0, "short MX" },
	{ "TXT string past record", x_txt_overrun, DNS_T_TXT, -1, DNS_ERROR, 0,
	    NULL, 0, 0, "TXT string" },
	{ "two questions", x_two_questions, DNS_T_A, -1, DNS_ERROR, 0, NULL, 0,
	    0, "more than one question" },
	{ "question of another type", x_wrong_qtype, DNS_T_A, -1, DNS_ERROR, 0,
	    NULL, 0, 0, "another type" },
};

static void
check_first(const struct wire_case *c, const struct dns_answer *a)
{
	const struct dns_rr *rr = &a->rrs[0];
	char text[ADDR_STRLEN];

	assert_int_equal(rr->type, c->qtype);
	assert_int_equal(rr->ttl, c->ttl);
	switch (c->qtype) {
	case DNS_T_A:
	case DNS_T_AAAA:
		assert_string_equal(addr_format(&rr->addr, text, sizeof(text)),
		    c->first);
		break;
	case DNS_T_MX:
		assert_int_equal(rr->pref, c->pref);
		/* FALLTHROUGH */
	case DNS_T_PTR:
		assert_string_equal(rr->name, c->first);
		break;
	case DNS_T_TXT:
		assert_string_equal(rr->txt, c->first);
		break;
	}
}

static void
test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wire_case *c = &cases[i];
		struct dns_answer a;
		struct pkt p;
		int rc;

		memset(&p, 0, sizeof(p));
		c->build(&p);
		rc = dns_parse(p.b, p.len, c->qtype, &a);
		if (rc != c->rc || a.status != c->status || a.nrrs != c->nrrs)
			fail_msg("%s: rc %d status %s nrrs %zu why %s", c->desc,
			    rc, dns_status_name(a.status), a.nrrs,
			    a.why ? a.why : "-");
		if (c->first != NULL)
			check_first(c, &a);
		if (c->why != NULL && (a.why == NULL ||
		    strstr(a.why, c->why) == NULL))
			fail_msg("%s: why \"%s\", want \"%s\"", c->desc,
			    a.why ? a.why : "(null)", c->why);
		dns_answer_clear(&a);
	}
}

static void
test_mx_second(void **state)
{
	struct dns_answer a;
	struct pkt p;

	(void)state;
	b_mx(&p);
	assert_int_equal(dns_parse(p.b, p.len, DNS_T_MX, &a), 0);
	assert_int_equal(a.rrs[1].pref, 20);
	assert_string_equal(a.rrs[1].name, "mx2.backup.example.com");
	dns_answer_clear(&a);
}

static void
test_txt_cap(void **state)
{
	struct dns_answer a;
	struct pkt p;
	size_t n;

	(void)state;
	b_txt_long(&p);
	assert_int_equal(dns_parse(p.b, p.len, DNS_T_TXT, &a), 0);
	n = strlen(a.rrs[0].txt);
	assert_true(n <= 1024);
	assert_true(n >= 1000);
	assert_string_equal(a.rrs[0].txt + n - 3, "...");
	dns_answer_clear(&a);
}

static void
test_tlsa_raw(void **state)
{
	static const uint8_t rd[] = { 3, 1, 1, 0xab, 0xcd, 0xef };
	struct dns_answer a;
	struct pkt p;

	(void)state;
	b_tlsa(&p);
	assert_int_equal(dns_parse(p.b, p.len, DNS_T_TLSA, &a), 0);
	assert_int_equal(a.status, DNS_OK);
	assert_int_equal(a.rrs[0].rdlen, sizeof(rd));
	assert_memory_equal(a.rrs[0].rdata, rd, sizeof(rd));
	assert_null(a.rrs[0].name);
	dns_answer_clear(&a);
}

static void
test_null_and_clear(void **state)
{
	struct dns_answer a;

	(void)state;
	assert_int_equal(dns_parse(NULL, 0, DNS_T_A, &a), -1);
	assert_int_equal(a.status, DNS_ERROR);
	assert_non_null(a.why);
	dns_answer_clear(&a);
	assert_null(a.why);
	dns_answer_clear(&a);
	dns_answer_clear(NULL);
}

/* Every prefix of every good packet is refused or parsed, never overrun
 * (ASan watches the reads: each prefix lives in its own exact buffer). */
static void
test_truncations(void **state)
{
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkt p;

		cases[i].build(&p);
		for (n = 0; n <= p.len; n++) {
			uint8_t *copy = malloc(n ? n : 1);
			struct dns_answer a;

			memcpy(copy, p.b, n);
			(void)dns_parse(copy, n, cases[i].qtype, &a);
			dns_answer_clear(&a);
			free(copy);
		}
	}
}

static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(dns_status_name(DNS_OK), "ok");
	assert_string_equal(dns_status_name(DNS_NODATA), "nodata");
	assert_string_equal(dns_status_name(DNS_NXDOMAIN), "nxdomain");
	assert_string_equal(dns_status_name(DNS_SERVFAIL), "servfail");
	assert_string_equal(dns_status_name(DNS_TIMEOUT), "timeout");
	assert_string_equal(dns_status_name(DNS_ERROR), "error");
}

static void
test_name_valid(void **state)
{
	static const struct {
		const char	*name;
		bool		 ok;
	} rows[] = {
		{ "example.com", true },
		{ "example.com.", true },
		{ "_25._tcp.mx.example.com", true },
		{ "2.0.0.127.zen.spamhaus.org", true },
		{ "", false },
		{ ".", false },
		{ "a..b", false },
		{ ".a", false },
		{ "a b.example", false },
		{ "a\\.b.example", false },
		{ "exa\nmple.com", false },
	};
	char lab[80], name[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (dns_name_valid(rows[i].name) != rows[i].ok)
			fail_msg("dns_name_valid(\"%s\")", rows[i].name);
	memset(lab, 'a', sizeof(lab));
	snprintf(name, sizeof(name), "%.63s.example", lab);
	assert_true(dns_name_valid(name));
	snprintf(name, sizeof(name), "%.64s.example", lab);
	assert_false(dns_name_valid(name));
	/* 4 labels of 63 plus 3 dots = 255 characters: too long. */
	snprintf(name, sizeof(name), "%.63s.%.63s.%.63s.%.63s", lab, lab, lab,
	    lab);
	assert_false(dns_name_valid(name));
	/* 253 characters. */
	snprintf(name, sizeof(name), "%.63s.%.63s.%.63s.%.61s", lab, lab, lab,
	    lab);
	assert_true(dns_name_valid(name));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_mx_second),
		cmocka_unit_test(test_txt_cap),
		cmocka_unit_test(test_tlsa_raw),
		cmocka_unit_test(test_null_and_clear),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_name_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
