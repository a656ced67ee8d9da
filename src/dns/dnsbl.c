/* dnsbl: DNS blocklist zones, query names and the meaning of their answers. */
#include "dns/dnsbl.h"
#include "dns/dns.h"
#include "util/str.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * The default zones: public IP blocklists that are alive, free to query
 * at a diagnostic tool's volume, and either used by Microsoft or widely
 * used by other receivers (so a listing explains rejections elsewhere).
 *
 * zen.spamhaus.org    Spamhaus SBL+CSS+XBL+PBL in one zone.  Microsoft's
 *                     NDRs cite Spamhaus ("blocked using Spamhaus",
 *                     research/microsoft.md); lists IPv6 (RFC 5782 nibble
 *                     queries).  Refuses queries from public resolvers and
 *                     heavy users with 127.255.255.x codes (unusable).
 * b.barracudacentral.org  Barracuda Reputation Block List: widely used by
 *                     appliances; free, asks users to register the
 *                     resolvers they query from; IPv4 only; 127.0.0.2.
 * bl.spamcop.net      SpamCop: listings driven by user spam reports,
 *                     expire by themselves once reports stop; IPv4 only;
 *                     127.0.0.2.
 * psbl.surriel.com    Passive Spam Block List: spam-trap hits, free to
 *                     use, self-service removal; IPv4 only; 127.0.0.2.
 * bl.mailspike.net    Mailspike: zero-hour spam waves (127.0.0.2) and
 *                     poor reputation levels L5-L3 (127.0.0.10-12); free
 *                     below 100,000 queries a day; IPv4 only.
 *
 * Left out: dnsbl.sorbs.net (SORBS was decommissioned by Proofpoint on
 * 5 June 2024; a dead zone may later be parked and answer everything),
 * UCEPROTECT (level 2/3 list whole networks and sell express delisting),
 * and domain lists (DBL, SURBL, URIBL), which do not take addresses.
 */
static const struct dnsbl_zone dnsbl_zones[] = {
	{ "zen.spamhaus.org", "https://check.spamhaus.org/", true, true },
	{ "b.barracudacentral.org", "https://www.barracudacentral.org/lookups",
	    false, false },
	{ "bl.spamcop.net", "https://www.spamcop.net/bl.shtml", false, false },
	{ "psbl.surriel.com", "https://psbl.org/", false, false },
	{ "bl.mailspike.net", "https://mailspike.org/", false, false },
};

#define DNSBL_ADDR(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

struct dnsbl_code {
	uint32_t		 code;
	enum dnsbl_verdict	 verdict;
	const char		*meaning;
};

/* Spamhaus zones (also DQS: <key>.zen.dq.spamhaus.net), from Spamhaus'
 * zone documentation and its 2019 return-code update. */
static const struct dnsbl_code dnsbl_spamhaus[] = {
	{ DNSBL_ADDR(127, 0, 0, 2), DNSBL_LISTED,
	    "SBL: Spamhaus Block List, a verified spam source or operation" },
	{ DNSBL_ADDR(127, 0, 0, 3), DNSBL_LISTED,
	    "CSS: low-reputation (snowshoe) sending seen by Spamhaus" },
	{ DNSBL_ADDR(127, 0, 0, 4), DNSBL_LISTED,
	    "XBL: exploited host (infected, proxy or hijacked)" },
	{ DNSBL_ADDR(127, 0, 0, 5), DNSBL_LISTED, "XBL: exploited host" },
	{ DNSBL_ADDR(127, 0, 0, 6), DNSBL_LISTED, "XBL: exploited host" },
	{ DNSBL_ADDR(127, 0, 0, 7), DNSBL_LISTED, "XBL: exploited host" },
	{ DNSBL_ADDR(127, 0, 0, 9), DNSBL_LISTED,
	    "DROP: hijacked or criminal netblock" },
	{ DNSBL_ADDR(127, 0, 0, 10), DNSBL_LISTED,
	    "PBL: end-user address space that should not send mail directly "
	    "(set by the ISP)" },
	{ DNSBL_ADDR(127, 0, 0, 11), DNSBL_LISTED,
	    "PBL: end-user address space that should not send mail directly "
	    "(set by Spamhaus)" },
	{ DNSBL_ADDR(127, 0, 0, 30), DNSBL_LISTED, "BCL: botnet controller" },
	{ DNSBL_ADDR(127, 0, 1, 255), DNSBL_UNUSABLE,
	    "Spamhaus error: address query against a domain list" },
	{ DNSBL_ADDR(127, 255, 255, 252), DNSBL_UNUSABLE,
	    "Spamhaus error: typing error in the zone name" },
	{ DNSBL_ADDR(127, 255, 255, 254), DNSBL_UNUSABLE,
	    "Spamhaus refused the query: it came via a public/open resolver "
	    "(use your own resolver or Spamhaus DQS)" },
	{ DNSBL_ADDR(127, 255, 255, 255), DNSBL_UNUSABLE,
	    "Spamhaus refused the query: excessive number of queries" },
};

static const struct dnsbl_code dnsbl_barracuda[] = {
	{ DNSBL_ADDR(127, 0, 0, 2), DNSBL_LISTED,
	    "Barracuda Reputation Block List: poor sending reputation" },
};

static const struct dnsbl_code dnsbl_spamcop[] = {
	{ DNSBL_ADDR(127, 0, 0, 2), DNSBL_LISTED,
	    "SpamCop: spam from this address was reported recently" },
};

static const struct dnsbl_code dnsbl_psbl[] = {
	{ DNSBL_ADDR(127, 0, 0, 2), DNSBL_LISTED,
	    "PSBL: sent mail to spam traps" },
};

static const struct dnsbl_code dnsbl_mailspike[] = {
	{ DNSBL_ADDR(127, 0, 0, 2), DNSBL_LISTED,
	    "Mailspike: part of a current spam wave (zero-hour)" },
	{ DNSBL_ADDR(127, 0, 0, 10), DNSBL_LISTED,
	    "Mailspike: worst reputation (L5)" },
	{ DNSBL_ADDR(127, 0, 0, 11), DNSBL_LISTED,
	    "Mailspike: very bad reputation (L4)" },
	{ DNSBL_ADDR(127, 0, 0, 12), DNSBL_LISTED,
	    "Mailspike: bad reputation (L3)" },
};

/* A family of zones (the zone itself or any zone below domain). */
struct dnsbl_family {
	const char		*domain;
	const struct dnsbl_code	*codes;
	size_t			 ncodes;
};

#define DNSBL_FAMILY(d, t) { (d), (t), sizeof(t) / sizeof((t)[0]) }

static const struct dnsbl_family dnsbl_families[] = {
	DNSBL_FAMILY("spamhaus.org", dnsbl_spamhaus),
	DNSBL_FAMILY("spamhaus.net", dnsbl_spamhaus),
	DNSBL_FAMILY("barracudacentral.org", dnsbl_barracuda),
	DNSBL_FAMILY("spamcop.net", dnsbl_spamcop),
	DNSBL_FAMILY("psbl.surriel.com", dnsbl_psbl),
	DNSBL_FAMILY("mailspike.net", dnsbl_mailspike),
};

#define NITEMS(t) (sizeof(t) / sizeof((t)[0]))

const char *
dnsbl_verdict_name(enum dnsbl_verdict v)
{
	switch (v) {
	case DNSBL_NOT_LISTED:	return "not_listed";
	case DNSBL_LISTED:	return "listed";
	case DNSBL_UNUSABLE:	return "unusable";
	case DNSBL_ERROR:	return "error";
	}
	return "error";
}

const struct dnsbl_zone *
dnsbl_default_zones(size_t *n)
{
	*n = NITEMS(dnsbl_zones);
	return dnsbl_zones;
}

int
dnsbl_query_name(const struct addr *a, const char *zone, char *out,
    size_t outlen)
{
	if (a == NULL || zone == NULL || zone[0] == '\0')
		return -1;
	return addr_reverse_name(a, zone, out, outlen);
}

/* zone is domain or below it (case-insensitive, trailing dot ignored). */
static bool
dnsbl_zone_in(const char *zone, const char *domain)
{
	size_t zl = strlen(zone), dl = strlen(domain);

	if (zl > 0 && zone[zl - 1] == '.')
		zl--;
	if (zl < dl || strncasecmp(zone + zl - dl, domain, dl) != 0)
		return false;
	return zl == dl || zone[zl - dl - 1] == '.';
}

static const struct dnsbl_code *
dnsbl_lookup(const char *zone, uint32_t code)
{
	size_t i, j;

	for (i = 0; i < NITEMS(dnsbl_families); i++) {
		const struct dnsbl_family *f = &dnsbl_families[i];

		if (!dnsbl_zone_in(zone, f->domain))
			continue;
		for (j = 0; j < f->ncodes; j++)
			if (f->codes[j].code == code)
				return &f->codes[j];
	}
	return NULL;
}

static void dnsbl_meaning(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
dnsbl_meaning(char *meaning, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (meaning == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(meaning, len, fmt, ap);
	va_end(ap);
}

enum dnsbl_verdict
dnsbl_interpret(const char *zone, const struct addr *answer, char *meaning,
    size_t meaninglen)
{
	const struct dnsbl_code *c;
	char text[ADDR_STRLEN];
	uint32_t v;

	if (answer == NULL) {
		dnsbl_meaning(meaning, meaninglen, "not listed");
		return DNSBL_NOT_LISTED;
	}
	addr_format(answer, text, sizeof(text));
	if (answer->family != AF_INET) {
		dnsbl_meaning(meaning, meaninglen, "answer %s is not an IPv4 "
		    "return code", text);
		return DNSBL_ERROR;
	}
	v = ntohl(answer->u.v4.s_addr);
	if (v >> 24 != 127) {
		/* RFC 5782: codes are in 127/8; anything else is a zone that
		 * answers every name (wildcard, parked or expired domain). */
		dnsbl_meaning(meaning, meaninglen, "answer %s is outside "
		    "127.0.0.0/8: the zone answers everything (wildcard, or "
		    "no longer a blocklist)", text);
		return DNSBL_ERROR;
	}
	if (zone != NULL && (c = dnsbl_lookup(zone, v)) != NULL) {
		dnsbl_meaning(meaning, meaninglen, "%s", c->meaning);
		return c->verdict;
	}
	if (v >> 8 == DNSBL_ADDR(127, 255, 255, 0) >> 8) {
		/* The Spamhaus convention for query errors, which other
		 * lists follow: never a listing. */
		dnsbl_meaning(meaning, meaninglen, "the list refused the query "
		    "(code %s)", text);
		return DNSBL_UNUSABLE;
	}
	if (v == DNSBL_ADDR(127, 0, 0, 1)) {
		/* RFC 5782 5: 127.0.0.1 must not be listed; lists return it
		 * to signal a blocked querier (or, for some, a pass). */
		dnsbl_meaning(meaning, meaninglen, "code %s is not a listing "
		    "(RFC 5782): the list did not answer the question", text);
		return DNSBL_UNUSABLE;
	}
	dnsbl_meaning(meaning, meaninglen, "listed (code %s)", text);
	return DNSBL_LISTED;
}

static int
dnsbl_rank(enum dnsbl_verdict v)
{
	switch (v) {
	case DNSBL_NOT_LISTED:	return 0;
	case DNSBL_LISTED:	return 1;
	case DNSBL_UNUSABLE:	return 2;
	case DNSBL_ERROR:	return 3;
	}
	return 3;
}

static enum dnsbl_verdict
dnsbl_failed(const struct dns_answer *ans, char *meaning, size_t meaninglen)
{
	dnsbl_meaning(meaning, meaninglen, "query failed: %s%s%s",
	    dns_status_name(ans->status), ans->why ? ": " : "",
	    ans->why ? ans->why : "");
	return DNSBL_ERROR;
}

enum dnsbl_verdict
dnsbl_interpret_answer(const char *zone, const struct dns_answer *ans,
    char *meaning, size_t meaninglen)
{
	enum dnsbl_verdict worst = DNSBL_NOT_LISTED;
	char one[256];
	size_t i, used = 0;

	if (ans->status == DNS_NXDOMAIN || ans->status == DNS_NODATA ||
	    (ans->status == DNS_OK && ans->nrrs == 0))
		return dnsbl_interpret(zone, NULL, meaning, meaninglen);
	if (ans->status != DNS_OK)
		return dnsbl_failed(ans, meaning, meaninglen);
	if (meaning != NULL && meaninglen > 0)
		meaning[0] = '\0';
	for (i = 0; i < ans->nrrs; i++) {
		enum dnsbl_verdict v;

		if (ans->rrs[i].type != DNS_T_A)
			continue;
		v = dnsbl_interpret(zone, &ans->rrs[i].addr, one, sizeof(one));
		if (dnsbl_rank(v) > dnsbl_rank(worst))
			worst = v;
		if (meaning != NULL && used < meaninglen) {
			int r = snprintf(meaning + used, meaninglen - used,
			    "%s%s", used ? "; " : "", one);

			if (r > 0)
				used += (size_t)r;
		}
	}
	return worst;
}
