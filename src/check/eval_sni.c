/* eval_sni: the certificate with and without SNI (sni.*). */
#include "check/eval.h"

#include <stdio.h>
#include <string.h>

static bool
passes(const struct chain_report *c)
{
	return c->trusted && c->name_ok;
}

static const char *
leaf_sha(const struct chain_report *c)
{
	return c->ncerts > 0 && c->certs[0].sha256 ? c->certs[0].sha256 : "";
}

static const char *
leaf_subject(const struct chain_report *c)
{
	return c->ncerts > 0 && c->certs[0].subject ? c->certs[0].subject : "?";
}

void
eval_sni(struct report *r, const char *host, const struct addr_result *a)
{
	const struct tls_scan_facts *f = &a->scan;
	char ev[768];

	if (!f->nosni_tried || !a->tls.ok)
		return;
	if (!f->nosni_ok && f->nosni_error != NULL) {
		snprintf(ev, sizeof(ev), "with SNI %s: %s; without SNI: %s",
		    a->tls.sni ? a->tls.sni : "?", a->tls.version ?
		    a->tls.version : "ok", f->nosni_error);
		report_add_finding(r, "sni.required", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    "The TLS handshake fails without SNI");
		return;
	}
	if (!f->nosni_have_chain || !a->tls.have_chain ||
	    strcmp(leaf_sha(&f->nosni_chain), leaf_sha(&a->tls.chain)) == 0 ||
	    !passes(&a->tls.chain) || passes(&f->nosni_chain))
		return;
	snprintf(ev, sizeof(ev), "with SNI: %s; without SNI: %s (%s%s%s)",
	    leaf_subject(&a->tls.chain), leaf_subject(&f->nosni_chain),
	    f->nosni_chain.trusted ? "trusted" : "not trusted",
	    f->nosni_chain.name_ok ? ", valid for " : ", not valid for ",
	    host ? host : "the host");
	report_add_finding(r, "sni.cert_differs", SEV_WARNING, host,
	    a->address, a->port, ev, NULL,
	    "Without SNI the server presents a certificate that fails the checks its SNI certificate passes");
}
