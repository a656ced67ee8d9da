/* eval_ptr: findings about reverse DNS and the greeting name (ptr.*, helo.mismatch). */
#include "check/eval.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static void
eval_helo(struct report *r, const char *host, const struct addr_result *a)
{
	const char *g = a->smtp.greeting_name;
	char ev[512];

	if (g == NULL || a->smtp.greeting_code != 220 || a->ptr.names.n == 0)
		return;
	if (strvec_contains_ci(&a->ptr.names, g))
		return;
	snprintf(ev, sizeof(ev), "greeting name %s, PTR %s", g,
	    a->ptr.names.v[0]);
	report_add_finding(r, "helo.mismatch", SEV_INFO, host, a->address,
	    a->port, ev, a->ptr.generic ?
	    "First get a PTR naming your mail server (see ptr.generic), then make the greeting use that same name (Postfix `myhostname`)." :
	    NULL,
	    "The greeting names %s but the address's PTR is %s", g,
	    a->ptr.names.v[0]);
}

void
eval_ptr(struct report *r, const char *host, const struct addr_result *a,
    bool sending)
{
	const struct ptr_result *p = &a->ptr;
	int port = sending ? 0 : a->port;
	char ev[512];

	snprintf(ev, sizeof(ev), "PTR query for %s: %s", a->address,
	    dns_status_name(p->status));
	if (p->status == DNS_NXDOMAIN || p->status == DNS_NODATA) {
		report_add_finding(r, "ptr.missing",
		    sending ? SEV_ERROR : SEV_WARNING, host, a->address, port,
		    ev, NULL, sending ?
		    "Your sending address %s has no reverse DNS: Outlook.com and Exchange Online may refuse its mail" :
		    "%s has no reverse DNS (PTR); this matters when the host also sends mail",
		    a->address);
		return;
	}
	if (p->status != DNS_OK) {
		report_add_finding(r, "dns.lookup_failed", SEV_WARNING, host,
		    a->address, port, ev,
		    "The reverse zone is run by the address's owner (your provider): ask them to fix its name servers, and set a PTR naming your mail server.",
		    "The reverse DNS lookup for %s failed", a->address);
		return;
	}
	if (!p->forward_confirmed) {
		snprintf(ev, sizeof(ev), "PTR %s does not resolve back to %s",
		    p->names.n ? p->names.v[0] : "?", a->address);
		report_add_finding(r, "ptr.mismatch", SEV_WARNING, host,
		    a->address, port, ev, NULL,
		    "The reverse DNS name of %s does not point back to it",
		    a->address);
	}
	if (p->generic) {
		snprintf(ev, sizeof(ev), "PTR %s: %s",
		    p->names.n ? p->names.v[0] : "?",
		    p->generic_why ? p->generic_why : "generic");
		report_add_finding(r, "ptr.generic", SEV_WARNING, host,
		    a->address, port, ev, NULL,
		    "The reverse DNS name of %s looks generic or dynamic",
		    a->address);
	}
	if (!sending)
		eval_helo(r, host, a);
}
