/* eval_cert: findings about the certificate chain (cert.*). */
#include "check/eval.h"

#include <stdio.h>
#include <string.h>

static const char *
leaf_subject(const struct chain_report *c)
{
	return c->ncerts > 0 && c->certs[0].subject ? c->certs[0].subject : "?";
}

static bool
rsa_under_1024(const struct chain_report *c)
{
	size_t i;

	for (i = 0; i < c->ncerts; i++)
		if (c->certs[i].key_type != NULL &&
		    strcmp(c->certs[i].key_type, "RSA") == 0 &&
		    c->certs[i].key_bits > 0 && c->certs[i].key_bits < 1024)
			return true;
	return false;
}

static void
eval_trust(struct report *r, const char *host, const struct addr_result *a,
    const struct chain_report *c)
{
	char ev[768];

	if (c->trusted)
		return;
	if (c->self_signed_leaf) {
		snprintf(ev, sizeof(ev), "leaf %s is its own issuer", leaf_subject(c));
		report_add_finding(r, "cert.self_signed", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    "The certificate is self-signed");
	} else if (c->incomplete) {
		snprintf(ev, sizeof(ev), "%zu certificate%s sent; issuer %s not sent%s%s",
		    c->ncerts, c->ncerts == 1 ? "" : "s",
		    c->missing_issuer ? c->missing_issuer : "?",
		    c->ncerts > 0 && c->certs[c->ncerts - 1].aia_ca_issuers ?
		    "; it can be fetched from " : "",
		    c->ncerts > 0 && c->certs[c->ncerts - 1].aia_ca_issuers ?
		    c->certs[c->ncerts - 1].aia_ca_issuers : "");
		report_add_finding(r, "cert.chain_incomplete", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    "The server does not send the intermediate certificate its chain needs");
	} else {
		snprintf(ev, sizeof(ev), "verification: %s; issuer %s",
		    c->verify_error_str ? c->verify_error_str : "failed",
		    c->ncerts > 0 && c->certs[c->ncerts - 1].issuer ?
		    c->certs[c->ncerts - 1].issuer : "?");
		report_add_finding(r, "cert.untrusted", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    c->untrusted_root ?
		    "The certificate chain ends in a root that is not trusted" :
		    "The certificate chain does not lead to a trusted root");
	}
}

static void
eval_dates(struct report *r, const char *host, const struct addr_result *a,
    const struct chain_report *c)
{
	const struct cert_summary *leaf = &c->certs[0];
	char ev[256];

	if (c->expired) {
		snprintf(ev, sizeof(ev), "notAfter %s (%ld days ago)",
		    leaf->not_after ? leaf->not_after : "?", -c->days_left);
		report_add_finding(r, "cert.expired", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    "The certificate expired on %s", leaf->not_after ?
		    leaf->not_after : "?");
	} else if (c->not_yet_valid) {
		snprintf(ev, sizeof(ev), "notBefore %s",
		    leaf->not_before ? leaf->not_before : "?");
		report_add_finding(r, "cert.not_yet_valid", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    "The certificate is not valid before %s", leaf->not_before ?
		    leaf->not_before : "?");
	} else if (c->days_left < 30) {
		snprintf(ev, sizeof(ev), "notAfter %s", leaf->not_after ?
		    leaf->not_after : "?");
		report_add_finding(r, "cert.expires_soon", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    "The certificate expires in %ld day%s", c->days_left,
		    c->days_left == 1 ? "" : "s");
	}
}

static void
eval_name(struct report *r, const char *host, const struct addr_result *a,
    const struct chain_report *c)
{
	const struct cert_summary *leaf = &c->certs[0];
	char ev[768];
	size_t i, o = 0;

	if (host == NULL || c->name_ok)
		return;
	o += (size_t)snprintf(ev, sizeof(ev), "host %s; certificate names:", host);
	for (i = 0; i < leaf->san_dns.n && i < 8 && o < sizeof(ev); i++)
		o += (size_t)snprintf(ev + o, sizeof(ev) - o, " %s",
		    leaf->san_dns.v[i]);
	if (leaf->san_dns.n == 0 && o < sizeof(ev))
		snprintf(ev + o, sizeof(ev) - o, " (no SAN) CN=%s",
		    leaf->cn ? leaf->cn : "none");
	report_add_finding(r, "cert.name_mismatch", SEV_WARNING, host,
	    a->address, a->port, ev, NULL,
	    "The certificate is not valid for %s", host);
}

void
eval_cert(struct report *r, const char *host, const struct addr_result *a)
{
	const struct chain_report *c = &a->tls.chain;

	if (!a->tls.have_chain || c->ncerts == 0)
		return;
	eval_trust(r, host, a, c);
	eval_dates(r, host, a, c);
	eval_name(r, host, a, c);
	if (c->weak_key) {
		bool tiny = rsa_under_1024(c);

		report_add_finding(r, "cert.weak_key",
		    tiny ? SEV_ERROR : SEV_WARNING, host, a->address, a->port,
		    c->weak_key_detail, NULL, "%s",
		    tiny ? "The certificate's RSA key is under 1024 bits: Windows refuses it" :
		    "The certificate's key is too small for current standards");
	}
	if (c->weak_sig)
		report_add_finding(r, "cert.weak_signature", SEV_ERROR, host,
		    a->address, a->port, c->weak_sig_detail, NULL,
		    "A certificate in the chain is signed with a weak hash, which Microsoft 365 refuses");
}
