/* wire: bounded decoder of DNS response packets (RFC 1035 section 4). */
#include "dns/dns.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The packet is hostile: every offset is checked against its length,
 * names are bounded (255 octets on the wire, labels of 63, at most
 * WIRE_MAXJUMPS compression pointers, each pointing strictly before the
 * previous one, so a loop cannot be built), and the record count in the
 * header is never trusted beyond the bytes that are really there.
 */

#define WIRE_HDRLEN	12
#define WIRE_MAXJUMPS	128
#define WIRE_MAXNAME	255	/* octets on the wire, RFC 1035 2.3.4 */
#define WIRE_NAMEBUF	1024	/* 255 octets, each escaped to at most 4 chars */
#define WIRE_TXTMAX	1024	/* escaped TXT text, including a final "..." */
#define WIRE_MAXCNAME	16	/* CNAME links followed in the answer */

#define WIRE_T_CNAME	5
#define WIRE_C_IN	1

#define WIRE_RCODE_SERVFAIL	2
#define WIRE_RCODE_NXDOMAIN	3
#define WIRE_RCODE_REFUSED	5

struct wire {
	const uint8_t	*p;
	size_t		 len;
	const char	*err;	/* first reason the packet was refused */
};

/* A resource record's fixed part, located in the packet. */
struct wire_rr {
	char		 owner[WIRE_NAMEBUF];
	int		 type;
	int		 class;
	uint32_t	 ttl;
	size_t		 rdoff;
	size_t		 rdlen;
};

static int
wire_fail(struct wire *w, const char *why)
{
	if (w->err == NULL)
		w->err = why;
	return -1;
}

static int
wire_u16(struct wire *w, size_t off, unsigned *v)
{
	if (off > w->len || w->len - off < 2)
		return wire_fail(w, "truncated");
	*v = (unsigned)w->p[off] << 8 | w->p[off + 1];
	return 0;
}

static int
wire_u32(struct wire *w, size_t off, uint32_t *v)
{
	if (off > w->len || w->len - off < 4)
		return wire_fail(w, "truncated");
	*v = (uint32_t)w->p[off] << 24 | (uint32_t)w->p[off + 1] << 16 |
	    (uint32_t)w->p[off + 2] << 8 | w->p[off + 3];
	return 0;
}

/* Appends one label, lower-cased, bytes outside [a-z0-9-_] as \xNN. */
static void
wire_name_label(char *out, size_t *o, const uint8_t *lab, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (*o > 0)
		out[(*o)++] = '.';
	for (i = 0; i < n; i++) {
		unsigned char c = lab[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_') {
			out[(*o)++] = (char)c;
		} else {
			out[(*o)++] = '\\';
			out[(*o)++] = 'x';
			out[(*o)++] = hex[c >> 4];
			out[(*o)++] = hex[c & 15];
		}
	}
}

/*
 * wire_name: decodes the name at off into out[WIRE_NAMEBUF] and sets
 * *next to the offset after it in place (after the first pointer if the
 * name is compressed).  A pointer must point before the start of the
 * segment that holds it, which makes pointer targets strictly decrease:
 * self-pointers, forward pointers and loops are all refused.
 */
static int
wire_name(struct wire *w, size_t off, size_t *next, char *out)
{
	size_t pos = off, limit = off, o = 0, wirelen = 0;
	int jumps = 0;
	bool jumped = false;

	for (;;) {
		unsigned c;

		if (pos >= w->len)
			return wire_fail(w, "name runs past the end");
		c = w->p[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t ptr;

			if (pos + 1 >= w->len)
				return wire_fail(w, "truncated compression pointer");
			ptr = (size_t)(c & 0x3f) << 8 | w->p[pos + 1];
			if (ptr < WIRE_HDRLEN || ptr >= limit)
				return wire_fail(w, "compression pointer does not point back");
			if (++jumps > WIRE_MAXJUMPS)
				return wire_fail(w, "too many compression pointers");
			if (!jumped)
				*next = pos + 2;
			jumped = true;
			pos = limit = ptr;
			continue;
		}
		if (c & 0xc0)
			return wire_fail(w, "unsupported label type");
		wirelen += c + 1;
		if (wirelen > WIRE_MAXNAME)
			return wire_fail(w, "name longer than 255 octets");
		if (c == 0)
			break;
		if (w->len - pos - 1 < c)
			return wire_fail(w, "label runs past the end");
		wire_name_label(out, &o, w->p + pos + 1, c);
		pos += 1 + c;
	}
	if (!jumped)
		*next = pos + 1;
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	return 0;
}

/* Reads the fixed part of the record at *off and moves *off past it. */
static int
wire_rr_read(struct wire *w, size_t *off, struct wire_rr *rr)
{
	unsigned type, class, rdlen;
	size_t pos;

	if (wire_name(w, *off, &pos, rr->owner) == -1)
		return -1;
	if (wire_u16(w, pos, &type) == -1 ||
	    wire_u16(w, pos + 2, &class) == -1 ||
	    wire_u32(w, pos + 4, &rr->ttl) == -1 ||
	    wire_u16(w, pos + 8, &rdlen) == -1)
		return wire_fail(w, "truncated record");
	pos += 10;
	if (w->len - pos < rdlen)
		return wire_fail(w, "record data runs past the end");
	/* RFC 2181 8: a TTL with the top bit set is read as zero. */
	if (rr->ttl > 0x7fffffffU)
		rr->ttl = 0;
	rr->type = (int)type;
	rr->class = (int)class;
	rr->rdoff = pos;
	rr->rdlen = rdlen;
	*off = pos + rdlen;
	return 0;
}

/* A name that must fill the record data up to its end exactly. */
static int
wire_rdata_name(struct wire *w, size_t off, const struct wire_rr *rr,
    char *out)
{
	size_t next;

	if (wire_name(w, off, &next, out) == -1)
		return -1;
	if (next != rr->rdoff + rr->rdlen)
		return wire_fail(w, "name does not fill the record data");
	return 0;
}

static int
wire_rr_addr(struct wire *w, const struct wire_rr *rr, struct dns_rr *out)
{
	size_t want = rr->type == DNS_T_A ? 4 : 16;

	if (rr->rdlen != want)
		return wire_fail(w, "address record of the wrong length");
	if (rr->type == DNS_T_A) {
		out->addr.family = AF_INET;
		memcpy(&out->addr.u.v4, w->p + rr->rdoff, 4);
	} else {
		out->addr.family = AF_INET6;
		memcpy(&out->addr.u.v6, w->p + rr->rdoff, 16);
	}
	return 0;
}

static int
wire_rr_host(struct wire *w, const struct wire_rr *rr, struct dns_rr *out)
{
	char name[WIRE_NAMEBUF];
	size_t off = rr->rdoff;

	if (rr->type == DNS_T_MX) {
		unsigned pref;

		if (rr->rdlen < 3 || wire_u16(w, off, &pref) == -1)
			return wire_fail(w, "short MX record");
		out->pref = (int)pref;
		off += 2;
	}
	if (wire_rdata_name(w, off, rr, name) == -1)
		return -1;
	out->name = xstrdup(name);
	return 0;
}

/* TXT: character-strings that must tile the record data exactly. */
static int
wire_rr_txt(struct wire *w, const struct wire_rr *rr, struct dns_rr *out)
{
	const uint8_t *p = w->p + rr->rdoff;
	uint8_t *raw = xmalloc(rr->rdlen + 1);
	size_t i = 0, n = 0;

	while (i < rr->rdlen) {
		size_t slen = p[i++];

		if (rr->rdlen - i < slen) {
			free(raw);
			return wire_fail(w, "TXT string runs past the record");
		}
		memcpy(raw + n, p + i, slen);
		n += slen;
		i += slen;
	}
	out->txt = str_escape(raw, n, WIRE_TXTMAX - 3);
	free(raw);
	return 0;
}

static int
wire_rr_decode(struct wire *w, const struct wire_rr *rr, struct dns_rr *out)
{
	memset(out, 0, sizeof(*out));
	out->type = rr->type;
	out->ttl = rr->ttl;
	switch (rr->type) {
	case DNS_T_A:
	case DNS_T_AAAA:
		return wire_rr_addr(w, rr, out);
	case DNS_T_MX:
	case DNS_T_PTR:
		return wire_rr_host(w, rr, out);
	case DNS_T_TXT:
		return wire_rr_txt(w, rr, out);
	default:
		/* Bounded by the packet: rdlen was checked against it. */
		out->rdata = xmalloc(rr->rdlen ? rr->rdlen : 1);
		memcpy(out->rdata, w->p + rr->rdoff, rr->rdlen);
		out->rdlen = rr->rdlen;
		return 0;
	}
}

/* Reads the question (0 or 1 of them) into qname; "" if there is none. */
static int
wire_question(struct wire *w, unsigned qdcount, int qtype, size_t *off,
    char *qname)
{
	unsigned t, c;

	qname[0] = '\0';
	if (qdcount == 0)
		return 0;
	if (qdcount > 1)
		return wire_fail(w, "more than one question");
	if (wire_name(w, *off, off, qname) == -1)
		return -1;
	if (wire_u16(w, *off, &t) == -1 || wire_u16(w, *off + 2, &c) == -1)
		return wire_fail(w, "truncated question");
	if ((int)t != qtype)
		return wire_fail(w, "answer to a question of another type");
	*off += 4;
	return 0;
}

static void
wire_rr_free(struct dns_rr *rr)
{
	free(rr->name);
	free(rr->txt);
	free(rr->rdata);
}

/* Keeps rr (taking its strings), or drops it past DNS_MAX_RRS. */
static void
wire_keep(struct dns_answer *out, struct dns_rr *rr)
{
	size_t n = out->nrrs;

	if (n >= DNS_MAX_RRS) {
		wire_rr_free(rr);
		return;
	}
	/* Grow by doubling: n is 0 or a power of two when the array is full. */
	if ((n & (n - 1)) == 0)
		out->rrs = xreallocarray(out->rrs, n ? n * 2 : 1,
		    sizeof(*out->rrs));
	out->rrs[out->nrrs++] = *rr;
}

/*
 * Walks the answer section following the CNAME chain from the question
 * name (in the order the records appear, as resolvers write them) and
 * keeps the records of type qtype owned by the current name.  Without a
 * question, every record of type qtype is kept.
 */
static int
wire_answers(struct wire *w, unsigned ancount, int qtype, size_t off,
    const char *qname, struct dns_answer *out)
{
	struct wire_rr rr;
	char cur[WIRE_NAMEBUF];
	int links = 0;
	unsigned i;

	str_copy(cur, qname, sizeof(cur));
	for (i = 0; i < ancount; i++) {
		struct dns_rr drr;

		if (wire_rr_read(w, &off, &rr) == -1)
			return -1;
		if (rr.class != WIRE_C_IN ||
		    (cur[0] != '\0' && strcmp(rr.owner, cur) != 0))
			continue;
		if (rr.type == WIRE_T_CNAME && qtype != WIRE_T_CNAME) {
			if (++links > WIRE_MAXCNAME)
				return wire_fail(w, "CNAME chain too long");
			if (cur[0] != '\0' &&
			    wire_rdata_name(w, rr.rdoff, &rr, cur) == -1)
				return -1;
			continue;
		}
		if (rr.type != qtype)
			continue;
		if (wire_rr_decode(w, &rr, &drr) == -1) {
			wire_rr_free(&drr);
			return -1;
		}
		wire_keep(out, &drr);
	}
	return 0;
}

static void
wire_status(struct dns_answer *out)
{
	switch (out->rcode) {
	case 0:
		out->status = out->nrrs > 0 ? DNS_OK : DNS_NODATA;
		break;
	case WIRE_RCODE_NXDOMAIN:
		out->status = DNS_NXDOMAIN;
		break;
	case WIRE_RCODE_SERVFAIL:
		out->status = DNS_SERVFAIL;
		out->why = xstrdup("server failure (SERVFAIL)");
		break;
	case WIRE_RCODE_REFUSED:
		out->status = DNS_SERVFAIL;
		out->why = xstrdup("query refused (REFUSED)");
		break;
	default:
		out->status = DNS_ERROR;
		out->why = xasprintf("unexpected response code %d", out->rcode);
		break;
	}
}

int
dns_parse(const uint8_t *pkt, size_t len, int qtype, struct dns_answer *out)
{
	struct wire w = { pkt, len, NULL };
	char qname[WIRE_NAMEBUF];
	unsigned flags, qdcount, ancount;
	size_t off = WIRE_HDRLEN;

	memset(out, 0, sizeof(*out));
	if (pkt == NULL || len < WIRE_HDRLEN) {
		wire_fail(&w, "truncated header");
		goto err;
	}
	if (wire_u16(&w, 2, &flags) == -1 || wire_u16(&w, 4, &qdcount) == -1 ||
	    wire_u16(&w, 6, &ancount) == -1)
		goto err;
	if ((flags & 0x8000) == 0) {
		wire_fail(&w, "not a response");
		goto err;
	}
	out->rcode = (int)(flags & 0x000f);
	if (wire_question(&w, qdcount, qtype, &off, qname) == -1)
		goto err;
	if (wire_answers(&w, ancount, qtype, off, qname, out) == -1)
		goto err;
	wire_status(out);
	return 0;

 err:
	dns_answer_clear(out);
	out->status = DNS_ERROR;
	out->why = xasprintf("malformed response: %s", w.err);
	return -1;
}

void
dns_answer_clear(struct dns_answer *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nrrs; i++)
		wire_rr_free(&a->rrs[i]);
	free(a->rrs);
	free(a->why);
	memset(a, 0, sizeof(*a));
}
