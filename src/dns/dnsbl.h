/* dnsbl: DNS blocklist query names and interpretation of answers. */
#ifndef MXD_DNS_DNSBL_H
#define MXD_DNS_DNSBL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/addr.h"

struct dns_answer;

enum dnsbl_verdict {
	DNSBL_NOT_LISTED,	/* NXDOMAIN */
	DNSBL_LISTED,		/* 127.0.0.0/8 answer with a listing meaning */
	DNSBL_UNUSABLE,		/* the list refused or limited the query (e.g. Spamhaus 127.255.255.x): could not check */
	DNSBL_ERROR		/* timeout, SERVFAIL, or an answer outside 127/8 (wildcarded or dead zone) */
};
const char *dnsbl_verdict_name(enum dnsbl_verdict v);	/* "not_listed", "listed", "unusable", "error" */

/* A zone in the default list: name, the site to look up and delist, and
 * whether Microsoft is documented to reject mail from its listings. */
struct dnsbl_zone {
	const char	*zone;
	const char	*info_url;
	bool		 microsoft_uses;
	bool		 ipv6;		/* the zone lists IPv6 addresses */
};
/* The documented default list (docs/findings.md, and the reasons for each
 * zone in dnsbl.c); *n set to its length. */
const struct dnsbl_zone *dnsbl_default_zones(size_t *n);

/* dnsbl_query_name: "<reversed address>.<zone>" (IPv6 in nibble form).
 * Returns 0, or -1 if out is too small. */
int dnsbl_query_name(const struct addr *a, const char *zone, char *out,
    size_t outlen);

/* dnsbl_interpret: the verdict for an A answer from zone: answer is the
 * address returned (NULL with nxdomain true for NXDOMAIN).  meaning gets a
 * short explanation of the return code where the zone documents it (e.g.
 * Spamhaus 127.0.0.2 "SBL", 127.255.255.254 "query via public resolver
 * refused").  */
enum dnsbl_verdict dnsbl_interpret(const char *zone, const struct addr *answer,
    char *meaning, size_t meaninglen);

/* dnsbl_interpret_answer: the verdict for a whole answer to the A query
 * for dnsbl_query_name(): NXDOMAIN or NODATA is not_listed; timeout,
 * SERVFAIL and errors are error; otherwise every A record goes through
 * dnsbl_interpret() (a zone may return several codes, e.g. Spamhaus SBL
 * and PBL at once) and the worst verdict wins (error, then unusable, then
 * listed), with the meanings joined by "; " (cut to meaninglen). */
enum dnsbl_verdict dnsbl_interpret_answer(const char *zone,
    const struct dns_answer *ans, char *meaning, size_t meaninglen);

#endif
