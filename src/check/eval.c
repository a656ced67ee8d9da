/* eval: runs every evaluator over the collected results. */
#include "check/eval.h"

void
eval_all(struct report *r)
{
	size_t i, j, k;

	for (i = 0; i < r->ntargets; i++) {
		const struct target_result *t = &r->targets[i];

		eval_dns_target(r, t);
		for (j = 0; j < t->nhosts; j++) {
			const struct host_result *h = &t->hosts[j];

			eval_dns_host(r, t, h);
			for (k = 0; k < h->naddrs; k++) {
				const struct addr_result *a = &h->addrs[k];

				eval_smtp(r, h->name, a);
				eval_cert(r, h->name, a);
				eval_ptr(r, h->name, a, false);
				eval_dnsbl(r, h->name, a);
				eval_tls(r, h->name, a);
				eval_cipher(r, h->name, a);
				eval_sni(r, h->name, a);
			}
		}
	}
	for (i = 0; i < r->nsending; i++) {
		eval_ptr(r, NULL, &r->sending[i], true);
		eval_dnsbl(r, NULL, &r->sending[i]);
	}
	report_sort_findings(r);
}
