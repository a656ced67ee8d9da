/* text_facts: the compact facts block of one address in the text report. */
#include "report/render.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
plural_s(long n)
{
	return n == 1 || n == -1 ? "" : "s";
}

static void
facts_smtp(struct text_out *t, int ind, const struct smtp_facts *s,
    bool verbose)
{
	if (!s->tried)
		text_fact(t, ind, "SMTP", "not tried");
	else if (!s->connected)
		text_fact(t, ind, "SMTP", "could not connect");
	else if (s->greeting_code == 0)
		text_fact(t, ind, "SMTP", "connected, no greeting");
	else if (s->greeting_code == 220)
		text_fact(t, ind, "SMTP", "connected, greeting 220%s%s in %ld ms",
		    s->greeting_name ? " from " : "",
		    s->greeting_name ? s->greeting_name : "", s->greeting_ms);
	else	/* a refusal: its text is the reason */
		text_fact(t, ind, "SMTP", "connected, greeting %d in %ld ms: %s",
		    s->greeting_code, s->greeting_ms,
		    s->greeting ? s->greeting : "");
	if (verbose && s->greeting != NULL && s->greeting_code == 220)
		text_fact(t, ind, "greeting", "%s", s->greeting);
}

static bool
step_is(const struct smtp_facts *s, const char *step)
{
	return s->error_step != NULL && strcmp(s->error_step, step) == 0;
}

/* facts_failure: where the session ended early, unless the line of that
 * step already shows the refusal (greeting, STARTTLS reply, TLS error). */
static void
facts_failure(struct text_out *t, int ind, const struct addr_result *a)
{
	const struct smtp_facts *s = &a->smtp;

	if (s->error_class == NULL ||
	    (step_is(s, "greeting") && s->greeting_code != 0 &&
	    s->greeting_code != 220) ||
	    (step_is(s, "starttls") && s->starttls_code != 0 &&
	    s->starttls_code != 220) ||
	    (step_is(s, "tls") && a->tls.tried && !a->tls.ok))
		return;
	if (s->error_code != 0)
		text_fact(t, ind, "failed", "at %s (%s, reply %d): %s",
		    s->error_step ? s->error_step : "?", s->error_class,
		    s->error_code, s->error_detail ? s->error_detail : "");
	else
		text_fact(t, ind, "failed", "at %s (%s): %s",
		    s->error_step ? s->error_step : "?", s->error_class,
		    s->error_detail ? s->error_detail : "");
}

static void
facts_caps(struct text_out *t, int ind, const char *label,
    const struct strvec *caps)
{
	size_t i;

	for (i = 0; i < caps->n; i++)
		text_fact(t, ind, i == 0 ? label : "", "%s", caps->v[i]);
}

static void
facts_starttls(struct text_out *t, int ind, const struct addr_result *a,
    bool verbose)
{
	const struct smtp_facts *s = &a->smtp;

	if (verbose) {
		facts_caps(t, ind, "EHLO", &s->capabilities);
		facts_caps(t, ind, "EHLO in TLS", &s->capabilities_tls);
	}
	if (a->mode != MODE_STARTTLS || s->ehlo_code == 0)
		return;
	if (!s->starttls_offered)
		text_fact(t, ind, "STARTTLS", "not offered");
	else if (s->starttls_code == 0)
		text_fact(t, ind, "STARTTLS", "offered");
	else if (s->starttls_code == 220)
		text_fact(t, ind, "STARTTLS", "offered, accepted (220)");
	else
		text_fact(t, ind, "STARTTLS", "offered, refused: %d %s",
		    s->starttls_code, s->starttls_reply ? s->starttls_reply : "");
}

static void
facts_tls(struct text_out *t, int ind, const struct tls_facts *tls,
    bool verbose)
{
	if (!tls->tried)
		return;
	if (!tls->ok) {
		text_fact(t, ind, "TLS", "handshake failed: %s",
		    tls->error ? tls->error : "(no detail)");
		return;
	}
	text_fact(t, ind, "TLS", "%s, %s%s%s",
	    tls->version ? tls->version : "?", tls->cipher ? tls->cipher : "?",
	    tls->group ? ", " : "", tls->group ? tls->group : "");
	if (verbose)
		text_fact(t, ind, "", "OpenSSL name %s, %d bits, SNI %s",
		    tls->cipher_openssl ? tls->cipher_openssl : "?", tls->bits,
		    tls->sni ? tls->sni : "(none)");
}

static void
facts_expiry(struct text_out *t, int ind, const struct chain_report *c)
{
	const struct cert_summary *leaf = &c->certs[0];
	const char *na = leaf->not_after;

	if (leaf->not_after == NULL)
		text_fact(t, ind, "", "validity dates unreadable");
	else if (c->not_yet_valid)
		text_fact(t, ind, "", "not valid before %s",
		    leaf->not_before ? leaf->not_before : "?");
	else if (c->expired && c->days_left < 0)
		text_fact(t, ind, "", "expired %s (%ld day%s ago)", na,
		    -c->days_left, plural_s(c->days_left));
	else if (c->expired)
		text_fact(t, ind, "", "expired %s (today)", na);
	else if (c->days_left == 0)
		text_fact(t, ind, "", "expires %s (less than a day left)", na);
	else
		text_fact(t, ind, "", "expires %s (%ld day%s left)", na,
		    c->days_left, plural_s(c->days_left));
}

static void
facts_verdict(struct text_out *t, int ind, const struct chain_report *c,
    const char *host)
{
	const char *why = c->verify_error_str ? c->verify_error_str :
	    c->self_signed_leaf ? "self-signed certificate" : "unknown reason";
	const char *name = c->matched_name ? c->matched_name : host;
	char *trust;

	if (c->trusted)
		trust = xstrdup("trusted");
	else if (c->incomplete)
		trust = xasprintf("not trusted: %s; intermediate not sent "
		    "(issuer %s)", why, c->missing_issuer ? c->missing_issuer :
		    "?");
	else
		trust = xasprintf("not trusted: %s", why);
	if (c->name_ok && name != NULL)
		text_fact(t, ind, "", "%s; valid for %s", trust, name);
	else if (!c->name_ok && host != NULL)
		text_fact(t, ind, "", "%s; not valid for %s", trust, host);
	else
		text_fact(t, ind, "", "%s", trust);
	free(trust);
}

static void
facts_chain_verbose(struct text_out *t, int ind, const struct chain_report *c)
{
	size_t i, j;

	for (i = 0; i < c->ncerts; i++) {
		const struct cert_summary *cs = &c->certs[i];
		char label[32];

		snprintf(label, sizeof(label), "chain[%zu]", i);
		text_fact(t, ind, label, "%s", cs->subject ? cs->subject : "?");
		text_fact(t, ind, "", "issuer %s", cs->issuer ? cs->issuer : "?");
		text_fact(t, ind, "", "%s to %s", cs->not_before ?
		    cs->not_before : "?", cs->not_after ? cs->not_after : "?");
		text_fact(t, ind, "", "%s %d bits, %s%s%s",
		    cs->key_type ? cs->key_type : "?", cs->key_bits,
		    cs->sig_alg ? cs->sig_alg : "?", cs->is_ca ? ", CA" : "",
		    cs->self_signed ? ", self-signed" : "");
		for (j = 0; j < cs->san_dns.n; j++)
			text_fact(t, ind, "", "DNS:%s", cs->san_dns.v[j]);
		text_fact(t, ind, "", "SHA-256 %s", cs->sha256 ? cs->sha256 : "?");
	}
	if (c->weak_key_detail != NULL)
		text_fact(t, ind, "weak key", "%s", c->weak_key_detail);
	if (c->weak_sig_detail != NULL)
		text_fact(t, ind, "weak hash", "%s", c->weak_sig_detail);
}

static void
facts_cert(struct text_out *t, int ind, const struct tls_facts *tls,
    const char *host, bool verbose)
{
	const struct chain_report *c = &tls->chain;
	const struct cert_summary *leaf;

	if (!tls->tried || !tls->have_chain || c->ncerts == 0)
		return;
	leaf = &c->certs[0];
	text_fact(t, ind, "certificate", "%s", leaf->subject ? leaf->subject :
	    "(no subject)");
	text_fact(t, ind, "", "issuer %s", leaf->issuer ? leaf->issuer : "?");
	facts_expiry(t, ind, c);
	facts_verdict(t, ind, c, host);
	if (verbose)
		facts_chain_verbose(t, ind, c);
}

void
text_facts_ptr(struct text_out *t, int ind, const struct ptr_result *p)
{
	size_t i;

	if (p->status != DNS_OK || p->names.n == 0) {
		text_fact(t, ind, "PTR", "none (%s)", dns_status_name(p->status));
		return;
	}
	for (i = 0; i < p->names.n; i++)
		text_fact(t, ind, i == 0 ? "PTR" : "", "%s%s", p->names.v[i],
		    p->forward_confirmed && p->confirmed_name != NULL &&
		    strcmp(p->names.v[i], p->confirmed_name) == 0 ?
		    " (forward-confirmed)" : "");
	if (!p->forward_confirmed)
		text_fact(t, ind, "", "not forward-confirmed: no PTR name "
		    "resolves back to the address");
	if (p->generic)
		text_fact(t, ind, "", "looks generic: %s", p->generic_why ?
		    p->generic_why : "?");
}

static void
dnsbl_zone(struct text_out *t, int ind, const char *label,
    const struct dnsbl_result *d)
{
	switch (d->verdict) {
	case DNSBL_LISTED:
		text_fact(t, ind, label, "listed on %s: %s%s%s%s", d->zone,
		    d->answer ? d->answer : "?", d->meaning ? " (" : "",
		    d->meaning ? d->meaning : "", d->meaning ? ")" : "");
		break;
	case DNSBL_NOT_LISTED:
		text_fact(t, ind, label, "not listed on %s", d->zone);
		break;
	default:
		text_fact(t, ind, label, "could not check %s: %s%s%s", d->zone,
		    dnsbl_verdict_name(d->verdict), d->meaning ? ", " : "",
		    d->meaning ? d->meaning : dns_status_name(d->status));
		break;
	}
}

void
text_facts_dnsbl(struct text_out *t, int ind, const struct addr_result *a,
    bool verbose)
{
	const char *label = "DNSBL";
	size_t i, clean = 0;

	for (i = 0; i < a->ndnsbl; i++) {
		if (!verbose && a->dnsbl[i].verdict == DNSBL_NOT_LISTED) {
			clean++;
			continue;
		}
		dnsbl_zone(t, ind, label, &a->dnsbl[i]);
		label = "";
	}
	if (clean == 0)
		return;
	if (clean == a->ndnsbl)
		text_fact(t, ind, label, "not listed (%zu list%s checked)",
		    clean, plural_s((long)clean));
	else
		text_fact(t, ind, label, "not listed on the %zu other list%s",
		    clean, plural_s((long)clean));
}

/* facts_versions: "TLSv1.3 TLSv1.2 accepted; TLSv1.1 ... refused". */
static void
facts_versions(struct text_out *t, int ind, const struct tls_scan_facts *f)
{
	static const char *const names[6] = {
		"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"
	};
	char acc[64] = "", ref[64] = "", unk[64] = "";
	int i;

	for (i = 5; i >= 0; i--) {
		char *dst = f->v[i].accepted ? acc : f->v[i].tested ? ref : unk;
		size_t len = strlen(dst);

		snprintf(dst + len, 64 - len, "%s%s", len ? " " : "", names[i]);
	}
	text_fact(t, ind, "TLS versions", "%s%s%s%s%s%s%s%s",
	    acc[0] ? acc : "", acc[0] ? " accepted" : "",
	    acc[0] && ref[0] ? "; " : "", ref[0] ? ref : "",
	    ref[0] ? " refused" : "", (acc[0] || ref[0]) && unk[0] ? "; " : "",
	    unk[0] ? unk : "", unk[0] ? " not known" : "");
}

/* The profile's label: its name with a capital, "Microsoft". */
static void
facts_profile(struct text_out *t, int ind, const struct tls_scan_facts *f)
{
	char label[32];

	if (f->profile == NULL || f->profile_status == NULL)
		return;
	snprintf(label, sizeof(label), "%s", f->profile);
	if (label[0] >= 'a' && label[0] <= 'z')
		label[0] = (char)(label[0] - 'a' + 'A');
	if (strcmp(f->profile_status, "ok") == 0)
		text_fact(t, ind, label, "would deliver over %s with %s",
		    f->profile_version ? f->profile_version : "?",
		    f->profile_suite ? f->profile_suite : "?");
	else
		text_fact(t, ind, label, "%s: %s",
		    strcmp(f->profile_status, "unknown") == 0 ?
		    "not known" : "would fail",
		    f->profile_reason ? f->profile_reason : "?");
}

static void
facts_nosni(struct text_out *t, int ind, const struct addr_result *a)
{
	const struct tls_scan_facts *f = &a->scan;
	const struct chain_report *c = &f->nosni_chain;
	const char *sha, *main_sha;

	if (!f->nosni_tried)
		return;
	if (!f->nosni_ok) {
		text_fact(t, ind, "without SNI", "handshake failed: %s",
		    f->nosni_error ? f->nosni_error : "?");
		return;
	}
	if (!f->nosni_have_chain || c->ncerts == 0)
		return;
	sha = c->certs[0].sha256 ? c->certs[0].sha256 : "";
	main_sha = a->tls.have_chain && a->tls.chain.ncerts > 0 &&
	    a->tls.chain.certs[0].sha256 ? a->tls.chain.certs[0].sha256 : "";
	if (strcmp(sha, main_sha) == 0)
		text_fact(t, ind, "without SNI", "the same certificate");
	else
		text_fact(t, ind, "without SNI", "%s (%s, %s)",
		    c->certs[0].subject ? c->certs[0].subject : "?",
		    c->trusted ? "trusted" : "not trusted",
		    c->name_ok ? "name matches" : "name does not match");
}

static void
facts_pick(struct text_out *t, int ind, const char *label,
    const struct tls_pick_fact *p)
{
	if (p->version == NULL)
		return;
	if (p->accepted && p->dh_bits > 0)
		text_fact(t, ind, label, "%s %s, DH %d bits", p->version,
		    p->suite ? p->suite : "?", p->dh_bits);
	else if (p->accepted)
		text_fact(t, ind, label, "%s %s", p->version,
		    p->suite ? p->suite : "?");
	else
		text_fact(t, ind, label, "%s %s", p->version,
		    p->detail ? p->detail : "refused");
}

/* facts_ciphers: --ciphers, per version "N suites, server order" then
 * one suite a line, in the order the server picked them. */
static void
facts_ciphers(struct text_out *t, int ind, const struct tls_scan_facts *f)
{
	size_t i, j;

	for (i = 0; i < f->nlists; i++) {
		const struct tls_cipher_list *l = &f->lists[i];

		text_fact(t, ind, l->version, "%zu suite%s%s%s%s%s",
		    l->suites.n, plural_s((long)l->suites.n),
		    l->suites.n > 1 ? ", " : "",
		    l->suites.n > 1 ? l->order : "",
		    l->suites.n > 1 ? " order" : "",
		    l->complete ? "" : " (incomplete)");
		if (!l->complete && l->error != NULL)
			text_fact(t, ind, "", "stopped: %s", l->error);
		for (j = 0; j < l->suites.n; j++)
			text_fact(t, ind, "", "%s", l->suites.v[j]);
	}
}

static void
facts_scan(struct text_out *t, int ind, const struct addr_result *a,
    bool verbose)
{
	const struct tls_scan_facts *f = &a->scan;

	if (a->tls.tickets_known)
		text_fact(t, ind, "TLS tickets", "%d after the TLS 1.3 handshake%s",
		    a->tls.tickets, a->tls.tickets_early ?
		    " (in the server's first flight)" : "");
	if (!f->tried)
		return;
	facts_versions(t, ind, f);
	if (f->stopped != NULL)
		text_fact(t, ind, "", "probing stopped: %s", f->stopped);
	facts_profile(t, ind, f);
	facts_nosni(t, ind, a);
	if (verbose) {
		if (f->typical_suite != NULL)
			text_fact(t, ind, "typical", "%s %s", f->typical_version,
			    f->typical_suite);
		facts_pick(t, ind, "weak only", &f->weak);
		facts_pick(t, ind, "DHE only", &f->dhe);
		facts_pick(t, ind, "ECDHE/DHE only", &f->fs);
	}
	facts_ciphers(t, ind, f);
}

void
text_facts_addr(struct text_out *t, int ind, const struct addr_result *a,
    const char *host, bool verbose)
{
	if (verbose)
		text_fact(t, ind, "connections", "%u", a->connections);
	facts_smtp(t, ind, &a->smtp, verbose);
	facts_starttls(t, ind, a, verbose);
	facts_tls(t, ind, &a->tls, verbose);
	facts_failure(t, ind, a);
	facts_cert(t, ind, &a->tls, host, verbose);
	facts_scan(t, ind, a, verbose);
	text_facts_ptr(t, ind, &a->ptr);
	text_facts_dnsbl(t, ind, a, verbose);
}
