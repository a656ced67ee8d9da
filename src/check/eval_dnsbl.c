/* eval_dnsbl: findings about DNS blocklist listings (dnsbl.listed). */
#include "check/eval.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool
zone_used_by_microsoft(const char *zone)
{
	const struct dnsbl_zone *z;
	size_t i, n;

	z = dnsbl_default_zones(&n);
	for (i = 0; i < n; i++)
		if (strcasecmp(z[i].zone, zone) == 0)
			return z[i].microsoft_uses;
	return false;
}

void
eval_dnsbl(struct report *r, const char *host, const struct addr_result *a)
{
	size_t i;

	for (i = 0; i < a->ndnsbl; i++) {
		const struct dnsbl_result *d = &a->dnsbl[i];
		char ev[1024];
		bool ms;

		if (d->verdict != DNSBL_LISTED)
			continue;
		ms = zone_used_by_microsoft(d->zone);
		snprintf(ev, sizeof(ev), "%s -> %s%s%s%s", d->query,
		    d->answer ? d->answer : "?",
		    d->meaning ? " (" : "", d->meaning ? d->meaning : "",
		    d->meaning ? ")" : "");
		if (d->txt) {
			size_t o = strlen(ev);

			snprintf(ev + o, sizeof(ev) - o, "; reason: %s", d->txt);
		}
		report_add_finding(r, "dnsbl.listed",
		    ms ? SEV_ERROR : SEV_WARNING, host, a->address, 0, ev, NULL,
		    "%s is listed on %s%s", a->address, d->zone,
		    ms ? ", a list Microsoft uses to refuse mail" : "");
	}
}
