/* eval_dns: findings about MX and address lookups (dns.*). */
#include "check/eval.h"

#include <stdio.h>

static bool
status_is_failure(enum dns_status s)
{
	return s == DNS_SERVFAIL || s == DNS_TIMEOUT || s == DNS_ERROR ||
	    s == DNS_NXDOMAIN;
}

void
eval_dns_target(struct report *r, const struct target_result *t)
{
	char ev[256];
	size_t i, naddrs = 0;

	if (t->kind != TARGET_DOMAIN)
		return;
	snprintf(ev, sizeof(ev), "MX query for %s: %s", t->domain,
	    dns_status_name(t->mx_status));
	if (t->null_mx) {
		report_add_finding(r, "dns.null_mx", SEV_ERROR, t->domain, NULL,
		    0, "MX 0 . (RFC 7505 null MX)", NULL,
		    "%s publishes a null MX: it accepts no mail, so Microsoft bounces every message to it",
		    t->domain);
		return;
	}
	if (t->mx_status == DNS_NXDOMAIN) {
		report_add_finding(r, "dns.lookup_failed", SEV_ERROR, t->domain,
		    NULL, 0, ev, "Check the domain's spelling and its registration and delegation.",
		    "The domain %s does not exist in DNS", t->domain);
		return;
	}
	if (status_is_failure(t->mx_status)) {
		report_add_finding(r, "dns.lookup_failed", SEV_ERROR, t->domain,
		    NULL, 0, ev, t->mx_status == DNS_SERVFAIL ?
		    "The domain's name servers fail to answer: check that they are all reachable and serve the zone, and that its DNSSEC signatures (if any) validate (`dig +dnssec MX domain`)." :
		    "No answer came in time: check that the resolver mxdoctor used (--resolver, or /etc/resolv.conf) is reachable, then check the domain's name servers.",
		    "The MX lookup for %s failed (%s)",
		    t->domain, dns_status_name(t->mx_status));
		return;
	}
	if (!t->mx_fallback)
		return;
	for (i = 0; i < t->nhosts; i++)
		naddrs += t->hosts[i].naddrs;
	report_add_finding(r, "dns.no_mx", naddrs ? SEV_WARNING : SEV_ERROR,
	    t->domain, NULL, 0, ev, NULL,
	    naddrs ? "%s has no MX record; senders fall back to its A/AAAA address "
	    "(to check a single server rather than a domain, give smtp://NAME)" :
	    "%s has neither an MX record nor an address: no mail can be delivered to it",
	    t->domain);
}

void
eval_dns_host(struct report *r, const struct target_result *t,
    const struct host_result *h)
{
	char ev[256];

	if (h->name == NULL || h->naddrs > 0)
		return;
	/* A domain whose fallback found no address is reported by dns.no_mx. */
	if (t->mx_fallback)
		return;
	snprintf(ev, sizeof(ev), "A: %s, AAAA: %s",
	    dns_status_name(h->a_status), dns_status_name(h->aaaa_status));
	if (h->a_status == DNS_NXDOMAIN || h->aaaa_status == DNS_NXDOMAIN)
		report_add_finding(r, "dns.lookup_failed", SEV_ERROR, h->name,
		    NULL, 0, ev,
		    "Add A (and AAAA) records for the MX host name, or point the MX record at a name that has them. An MX must not point at a CNAME or an IP address.",
		    "The mail host %s does not exist in DNS", h->name);
	else if (status_is_failure(h->a_status) ||
	    status_is_failure(h->aaaa_status))
		report_add_finding(r, "dns.lookup_failed", SEV_ERROR, h->name,
		    NULL, 0, ev, NULL,
		    "The address lookup for mail host %s failed", h->name);
	else
		report_add_finding(r, "dns.lookup_failed", SEV_ERROR, h->name,
		    NULL, 0, ev,
		    "Add A (and AAAA) records for the MX host name.",
		    "The mail host %s has no A or AAAA record", h->name);
}
