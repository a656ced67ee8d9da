/* ptr: reverse-DNS judgements: does a PTR name look generic (ISP pool, dynamic)? */
#include "dns/ptr.h"
#include "util/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * Receivers such as Outlook.com refuse or distrust mail from "dynamic IP
 * space", and the usual tell is a PTR name an ISP generated for a whole
 * range: the address is spelled out in the name, or a label says what
 * kind of line it is.  The rules below try to catch those and nothing
 * else; a mail server's own name ("mail", "mx1", "smtp", "static") is
 * never a reason.
 *
 * 1. The address is embedded.  IPv4: all four octets, or three adjacent
 *    ones, as separate numbers joined by '-', '.' or '_', in address or
 *    reversed order, zero-padded or not ("c-73-162-10-5", "5.10.162.73",
 *    "001-002-003-004"); the zero-padded 12-digit concatenation
 *    ("001002003004", either order); the 8 hex digits ("p5B0C1A2D",
 *    Deutsche Telekom style).  Three octets are enough because ISPs that
 *    carve large pools often spell only the host part; two are not, and a
 *    single shared number (the "1" of "mx1") never is.
 *    IPv6: at least four consecutive 16-bit groups as tokens between '-',
 *    '.' or '_' (an empty token standing for "::"), of which at least
 *    three are non-zero, so runs of zeros alone do not count; or a run of
 *    at least 16 hex digits (64 bits) taken from the address's nibbles
 *    with at least four non-zero ones.
 * 2. A token: a label, or a '-'/'_'-separated part of one, that equals a
 *    word ISPs use for end-user lines (whole token only: "cust" matches
 *    "cust-12" but not "custom-mail").  The more distinctive words also
 *    match with digits appended ("dsl01", "ppp123").  "host" and "ip"
 *    only count followed by a numeric token ("host-123", "ip-10-1"),
 *    "static" only as "static-ip".  The registered domain (the last two
 *    labels, or three below a second level such as co, com, net, org,
 *    ac, gov, edu) is not searched: "mail.home.pl" is a provider's
 *    domain, not a home line.
 */

#define PTR_NAMEMAX	1024	/* an escaped DNS name fits (dns.h) */
#define PTR_MAXRUNS	64
#define PTR_MAXTOKENS	128

struct ptr_run {
	size_t		 start;		/* offset in the name */
	size_t		 end;		/* one past the last character */
	unsigned	 val;
	bool		 ok;		/* short enough to be an octet/group */
};

/* Words that mark an end-user line as a whole token. */
static const char *const ptr_words[] = {
	"dyn", "dynamic", "dynamicip", "dynip", "pool", "dsl", "adsl", "xdsl",
	"vdsl", "cable", "dhcp", "ppp", "pppoe", "dialup", "dial", "client",
	"clients", "customer", "cust", "broadband", "bb", "res", "residential",
	"home", "user", "users", "cpe", "staticip",
};

/* Those distinctive enough to count with digits appended. */
static const char *const ptr_words_digits[] = {
	"dyn", "dynamic", "dynip", "pool", "dsl", "adsl", "xdsl", "vdsl",
	"cable", "dhcp", "ppp", "pppoe", "dialup", "dial", "client",
	"customer", "broadband", "cpe",
};

/* Second-level labels under which registrations sit one level deeper. */
static const char *const ptr_sld[] = {
	"co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go",
};

static void ptr_why(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
ptr_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

static bool
ptr_in(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(list[i], s, len) == 0)
			return true;
	return false;
}

#define PTR_IN(list, s, len) ptr_in((list), sizeof(list) / sizeof((list)[0]), (s), (len))

static bool
ptr_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
ptr_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool
ptr_is_sep(char c)
{
	return c == '-' || c == '.' || c == '_';
}

/* Maximal runs of decimal digits; ok when at most 3 digits long. */
static size_t
ptr_digit_runs(const char *s, struct ptr_run *runs, size_t max)
{
	size_t i = 0, n = 0;

	while (s[i] != '\0' && n < max) {
		struct ptr_run *r = &runs[n];

		if (!ptr_is_digit(s[i])) {
			i++;
			continue;
		}
		r->start = i;
		r->val = 0;
		while (ptr_is_digit(s[i])) {
			if (i - r->start < 3)
				r->val = r->val * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		r->end = i;
		r->ok = r->end - r->start <= 3;
		n++;
	}
	return n;
}

/* runs[i..i+cnt) equal want[0..cnt), joined by single separators. */
static bool
ptr_runs_match(const char *s, const struct ptr_run *runs, size_t nruns,
    size_t i, const unsigned *want, size_t cnt)
{
	size_t k;

	if (i + cnt > nruns)
		return false;
	for (k = 0; k < cnt; k++) {
		const struct ptr_run *r = &runs[i + k];

		if (!r->ok || r->val != want[k])
			return false;
		if (k > 0 && (r->start != runs[i + k - 1].end + 1 ||
		    !ptr_is_sep(s[r->start - 1])))
			return false;
	}
	return true;
}

/* Any window of cnt adjacent octets of oct (4 long), at any run. */
static bool
ptr_runs_find(const char *s, const struct ptr_run *runs, size_t nruns,
    const unsigned *oct, size_t cnt)
{
	size_t i, w;

	for (i = 0; i < nruns; i++)
		for (w = 0; w + cnt <= 4; w++)
			if (ptr_runs_match(s, runs, nruns, i, oct + w, cnt))
				return true;
	return false;
}

static bool
ptr_embeds_v4(const char *s, const struct addr *a, char *why, size_t whylen)
{
	const unsigned char *b = (const unsigned char *)&a->u.v4;
	unsigned fwd[4], rev[4];
	struct ptr_run runs[PTR_MAXRUNS];
	char pat[16];
	size_t n, i;

	for (i = 0; i < 4; i++) {
		fwd[i] = b[i];
		rev[i] = b[3 - i];
	}
	n = ptr_digit_runs(s, runs, PTR_MAXRUNS);
	if (ptr_runs_find(s, runs, n, fwd, 4) ||
	    ptr_runs_find(s, runs, n, rev, 4)) {
		ptr_why(why, whylen, "embeds the address");
		return true;
	}
	snprintf(pat, sizeof(pat), "%03u%03u%03u%03u", b[0], b[1], b[2], b[3]);
	if (strstr(s, pat) != NULL) {
		ptr_why(why, whylen, "embeds the address (zero-padded)");
		return true;
	}
	snprintf(pat, sizeof(pat), "%03u%03u%03u%03u", b[3], b[2], b[1], b[0]);
	if (strstr(s, pat) != NULL) {
		ptr_why(why, whylen,
		    "embeds the address (zero-padded, reversed)");
		return true;
	}
	snprintf(pat, sizeof(pat), "%02x%02x%02x%02x", b[0], b[1], b[2], b[3]);
	if (strstr(s, pat) != NULL) {
		ptr_why(why, whylen, "embeds the address (hex)");
		return true;
	}
	if (ptr_runs_find(s, runs, n, fwd, 3) ||
	    ptr_runs_find(s, runs, n, rev, 3)) {
		ptr_why(why, whylen, "embeds three octets of the address");
		return true;
	}
	return false;
}

/* Tokens between separators; empty tokens (from "--") are kept. */
static size_t
ptr_tokens(const char *s, struct ptr_run *tok, size_t max)
{
	size_t i = 0, n = 0;

	for (;;) {
		size_t start = i;

		while (s[i] != '\0' && !ptr_is_sep(s[i]))
			i++;
		if (n == max)
			break;
		tok[n].start = start;
		tok[n].end = i;
		n++;
		if (s[i] == '\0')
			break;
		i++;
	}
	return n;
}

/* A token of 1-4 hex digits: its value. */
static bool
ptr_hex_group(const char *s, const struct ptr_run *t, unsigned *val)
{
	size_t i;

	if (t->end - t->start < 1 || t->end - t->start > 4)
		return false;
	*val = 0;
	for (i = t->start; i < t->end; i++) {
		int h = ptr_hexval(s[i]);

		if (h < 0)
			return false;
		*val = *val << 4 | (unsigned)h;
	}
	return true;
}

/* Groups matched by tokens from tok[i] against g[j..]: covered, non-zero. */
static void
ptr_groups_from(const char *s, const struct ptr_run *tok, size_t ntok,
    size_t i, const unsigned *g, size_t j, size_t *covered, size_t *nonzero)
{
	*covered = *nonzero = 0;
	while (i < ntok && j < 8) {
		unsigned v;

		if (tok[i].start == tok[i].end) {
			/* "::": one or more zero groups. */
			if (g[j] != 0)
				return;
			while (j < 8 && g[j] == 0) {
				j++;
				(*covered)++;
			}
		} else if (ptr_hex_group(s, &tok[i], &v) && v == g[j]) {
			if (v != 0)
				(*nonzero)++;
			j++;
			(*covered)++;
		} else
			return;
		i++;
	}
}

static bool
ptr_v6_groups(const char *s, const struct addr *a)
{
	const unsigned char *b = a->u.v6.s6_addr;
	struct ptr_run tok[PTR_MAXTOKENS];
	unsigned g[8];
	size_t ntok, i, j, covered, nonzero;

	for (i = 0; i < 8; i++)
		g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
	ntok = ptr_tokens(s, tok, PTR_MAXTOKENS);
	for (i = 0; i < ntok; i++)
		for (j = 0; j < 8; j++) {
			ptr_groups_from(s, tok, ntok, i, g, j, &covered,
			    &nonzero);
			if (covered >= 4 && nonzero >= 3)
				return true;
		}
	return false;
}

/* A run of >= 16 hex digits of the name equal to nibbles of the address. */
static bool
ptr_v6_nibbles(const char *s, const struct addr *a)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = a->u.v6.s6_addr;
	char nib[33];
	size_t i, j, m, nz, slen = strlen(s);

	for (i = 0; i < 16; i++) {
		nib[2 * i] = hex[b[i] >> 4];
		nib[2 * i + 1] = hex[b[i] & 15];
	}
	nib[32] = '\0';
	for (i = 0; i < slen; i++)
		for (j = 0; j < 32; j++) {
			for (m = 0, nz = 0; i + m < slen && j + m < 32 &&
			    s[i + m] == nib[j + m]; m++)
				if (nib[j + m] != '0')
					nz++;
			if (m >= 16 && nz >= 4)
				return true;
		}
	return false;
}

static bool
ptr_embeds_v6(const char *s, const struct addr *a, char *why, size_t whylen)
{
	if (ptr_v6_groups(s, a)) {
		ptr_why(why, whylen, "embeds the address");
		return true;
	}
	if (ptr_v6_nibbles(s, a)) {
		ptr_why(why, whylen, "embeds the address (hex digits)");
		return true;
	}
	return false;
}

/* Length of the part of s before the registered domain. */
static size_t
ptr_host_part(const char *s)
{
	const char *dots[3] = { NULL, NULL, NULL };	/* last, 2nd, 3rd last */
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '.') {
			dots[2] = dots[1];
			dots[1] = dots[0];
			dots[0] = p;
		}
	if (dots[1] == NULL)
		return 0;	/* one or two labels: all registered domain */
	if (PTR_IN(ptr_sld, dots[1] + 1, (size_t)(dots[0] - dots[1] - 1)))
		return dots[2] != NULL ? (size_t)(dots[2] - s) : 0;
	return (size_t)(dots[1] - s);
}

static bool
ptr_all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!ptr_is_digit(s[i]))
			return false;
	return len > 0;
}

/* The token's verdict; nt/ntlen is the next token in the same label. */
static bool
ptr_token(const char *t, size_t len, const char *nt, size_t ntlen,
    char *why, size_t whylen)
{
	char word[32];
	size_t letters = 0;

	if (len == 0 || len >= sizeof(word))
		return false;
	memcpy(word, t, len);
	word[len] = '\0';
	if (PTR_IN(ptr_words, t, len)) {
		if (strcmp(word, "dial") == 0 && nt != NULL && ntlen == 2 &&
		    strncmp(nt, "up", 2) == 0)
			ptr_why(why, whylen, "token '%s'", "dial-up");
		else
			ptr_why(why, whylen, "token '%s'", word);
		return true;
	}
	while (letters < len && !ptr_is_digit(t[letters]))
		letters++;
	if (letters > 0 && letters < len && ptr_all_digits(t + letters,
	    len - letters) && PTR_IN(ptr_words_digits, t, letters)) {
		word[letters] = '\0';
		ptr_why(why, whylen, "token '%s'", word);
		return true;
	}
	if (nt != NULL && (strcmp(word, "host") == 0 ||
	    strcmp(word, "ip") == 0) && ptr_all_digits(nt, ntlen)) {
		ptr_why(why, whylen, "token '%s-'", word);
		return true;
	}
	if (strcmp(word, "static") == 0 && nt != NULL && ntlen == 2 &&
	    strncmp(nt, "ip", 2) == 0) {
		ptr_why(why, whylen, "token '%s'", "static-ip");
		return true;
	}
	return false;
}

static bool
ptr_has_token(const char *s, char *why, size_t whylen)
{
	size_t end = ptr_host_part(s), i = 0;

	while (i < end) {
		size_t a = i, b;

		while (i < end && s[i] != '.' && s[i] != '-' && s[i] != '_')
			i++;
		b = i;
		if (i < end && s[i] != '.') {
			/* A next token in the same label. */
			size_t j = i + 1, k = j;

			while (k < end && s[k] != '.' && s[k] != '-' &&
			    s[k] != '_')
				k++;
			if (ptr_token(s + a, b - a, s + j, k - j, why, whylen))
				return true;
		} else if (ptr_token(s + a, b - a, NULL, 0, why, whylen))
			return true;
		i++;
	}
	return false;
}

bool
ptr_is_generic(const char *name, const struct addr *a, char *why,
    size_t whylen)
{
	char s[PTR_NAMEMAX];

	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (name == NULL || a == NULL ||
	    str_copy(s, name, sizeof(s)) >= sizeof(s))
		return false;
	str_lower(s);
	str_trim_dot(s);
	if (a->family == AF_INET && ptr_embeds_v4(s, a, why, whylen))
		return true;
	if (a->family == AF_INET6 && ptr_embeds_v6(s, a, why, whylen))
		return true;
	return ptr_has_token(s, why, whylen);
}
