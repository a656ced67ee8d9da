/* fixture: hand-built reports for the report renderer tests. */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define S(s)	xstrdup(s)

static void
fixture_addr(struct addr_result *a, const char *text, int port)
{
	if (addr_parse(text, &a->addr) == -1)
		abort();
	a->address = S(text);
	a->port = port;
	a->mode = MODE_STARTTLS;
}

static void
fixture_ptr(struct ptr_result *p, const char *name, bool confirmed)
{
	p->status = DNS_OK;
	strvec_add(&p->names, name);
	p->forward_confirmed = confirmed;
	if (confirmed)
		p->confirmed_name = S(name);
}

static struct dnsbl_result *
fixture_dnsbl(struct addr_result *a, const char *zone, const char *query,
    enum dnsbl_verdict v, enum dns_status st)
{
	struct dnsbl_result *d;

	a->dnsbl = xreallocarray(a->dnsbl, a->ndnsbl + 1, sizeof(*a->dnsbl));
	d = &a->dnsbl[a->ndnsbl++];
	memset(d, 0, sizeof(*d));
	d->zone = S(zone);
	d->query = S(query);
	d->verdict = v;
	d->status = st;
	return d;
}

static void
fixture_caps(struct strvec *sv, bool starttls)
{
	strvec_add(sv, "PIPELINING");
	strvec_add(sv, "SIZE 10240000");
	if (starttls)
		strvec_add(sv, "STARTTLS");
	strvec_add(sv, "8BITMIME");
}

static void
fixture_cert(struct cert_summary *c, const char *subject, const char *issuer,
    const char *not_before, const char *not_after, bool ca)
{
	c->subject = S(subject);
	c->issuer = S(issuer);
	c->serial = S(ca ? "8a7d3e13d62f30ef2386bd29076b34f8" :
	    "04d3c1a8e0b4f1e2a9c7b6d5e4f30201");
	c->not_before = S(not_before);
	c->not_after = S(not_after);
	c->key_type = S("RSA");
	c->key_bits = 2048;
	c->sig_alg = S("sha256WithRSAEncryption");
	c->sha256 = S(ca ? "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
	    "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99" :
	    "1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00:"
	    "1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00");
	c->is_ca = ca;
}

/* A session that got as far as TLS: greeting 220, EHLO, STARTTLS 220. */
static void
fixture_session(struct addr_result *a, const char *greeting,
    const char *name, long ms, const char *starttls_reply)
{
	a->smtp.tried = a->smtp.connected = true;
	a->smtp.greeting_code = 220;
	a->smtp.greeting = S(greeting);
	a->smtp.greeting_name = S(name);
	a->smtp.greeting_ms = ms;
	a->smtp.ehlo_code = 250;
	fixture_caps(&a->smtp.capabilities, true);
	fixture_caps(&a->smtp.capabilities_tls, false);
	a->smtp.starttls_offered = true;
	a->smtp.starttls_code = 220;
	a->smtp.starttls_reply = S(starttls_reply);
}

/* A completed handshake for mx1.example.com; the chain follows. */
static void
fixture_tls(struct addr_result *a, const char *version, const char *cipher,
    const char *cipher_openssl, const char *group)
{
	a->tls.tried = a->tls.ok = true;
	a->tls.sni = S("mx1.example.com");
	a->tls.version = S(version);
	a->tls.cipher = S(cipher);
	a->tls.cipher_openssl = S(cipher_openssl);
	a->tls.bits = 256;
	a->tls.group = S(group);
	a->tls.have_chain = true;
}

/* mx1, 192.0.2.10: everything as it should be. */
/* The TLS prober's facts of a sound server (TLS 1.2 and 1.3, ECDHE). */
static void
fixture_scan(struct addr_result *a)
{
	static const char *const verdicts[6] = {
		"fatal alert handshake_failure", "fatal alert protocol_version",
		"fatal alert protocol_version", "fatal alert protocol_version",
		"accepted TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
		"negotiated by the main handshake"
	};
	struct tls_scan_facts *f = &a->scan;
	int i;

	f->tried = true;
	f->connections = 7;
	a->connections += 7;
	a->tls.tickets_known = true;
	a->tls.tickets = 2;
	for (i = 0; i < 6; i++) {
		f->v[i].tested = true;
		f->v[i].accepted = i >= 4;
		f->v[i].from_session = i == 5;
		f->v[i].verdict = S(i >= 4 ? "accepted" : i == 0 ? "alert" :
		    "alert");
		f->v[i].detail = S(verdicts[i]);
	}
	f->v[4].suite = S("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
	f->v[5].suite = S("TLS_AES_256_GCM_SHA384");
	f->typical_version = S("TLSv1.2");
	f->typical_suite = S("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
	f->typical_fs = true;
	f->weak.tested = true;
	f->weak.version = S("TLSv1.2");
	f->weak.detail = S("fatal alert handshake_failure");
	f->dhe.tested = f->dhe.accepted = true;
	f->dhe.version = S("TLSv1.2");
	f->dhe.suite = S("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
	f->dhe.dh_bits = 2048;
	f->profile_pick[5].tested = f->profile_pick[5].accepted = true;
	f->profile_pick[5].version = S("TLSv1.3");
	f->profile_pick[5].suite = S("TLS_AES_256_GCM_SHA384");
	f->profile_pick[5].group = S("x25519");
	f->profile = S("microsoft");
	f->profile_status = S("ok");
	f->profile_version = S("TLSv1.3");
	f->profile_suite = S("TLS_AES_256_GCM_SHA384");
	f->profile_reason = S("TLSv1.3 with TLS_AES_256_GCM_SHA384 (the client's order)");
	f->nosni_tried = f->nosni_ok = true;
	f->lists = xcalloc(1, sizeof(*f->lists));
	f->nlists = 1;
	f->lists[0].version = S("TLSv1.3");
	strvec_add(&f->lists[0].suites, "TLS_AES_256_GCM_SHA384");
	strvec_add(&f->lists[0].suites, "TLS_AES_128_GCM_SHA256");
	f->lists[0].order = S("server");
	f->lists[0].complete = true;
}

static void
fixture_good(struct addr_result *a)
{
	struct chain_report *c = &a->tls.chain;

	fixture_addr(a, "192.0.2.10", 25);
	a->connections = 1;
	fixture_ptr(&a->ptr, "mx1.example.com", true);
	fixture_dnsbl(a, "zen.spamhaus.org", "10.2.0.192.zen.spamhaus.org",
	    DNSBL_NOT_LISTED, DNS_NXDOMAIN);
	fixture_dnsbl(a, "bl.spamcop.net", "10.2.0.192.bl.spamcop.net",
	    DNSBL_NOT_LISTED, DNS_NXDOMAIN);
	fixture_session(a, "mx1.example.com ESMTP Postfix", "mx1.example.com",
	    85, "2.0.0 Ready to start TLS");
	fixture_tls(a, "TLSv1.3", "TLS_AES_256_GCM_SHA384",
	    "TLS_AES_256_GCM_SHA384", "X25519");
	c->ncerts = 2;
	c->certs = xcalloc(2, sizeof(*c->certs));
	fixture_cert(&c->certs[0], "CN=mx1.example.com",
	    "CN=R11,O=Let's Encrypt,C=US", "2025-12-17T08:00:00Z",
	    "2026-03-17T07:59:59Z", false);
	strvec_add(&c->certs[0].san_dns, "mx1.example.com");
	strvec_add(&c->certs[0].san_dns, "mx2.example.com");
	c->certs[0].cn = S("mx1.example.com");
	fixture_cert(&c->certs[1], "CN=R11,O=Let's Encrypt,C=US",
	    "CN=ISRG Root X1,O=Internet Security Research Group,C=US",
	    "2024-03-13T00:00:00Z", "2027-03-12T23:59:59Z", true);
	c->trusted = true;
	c->verify_error_str = S("ok");
	c->name_ok = true;
	c->matched_name = S("mx1.example.com");
	c->days_left = 75;
	fixture_scan(a);
}

/* mx1, 2001:db8::10: an expired self-signed certificate, a generic PTR,
 * a DNSBL listing, and hostile server text. */
static void
fixture_bad(struct addr_result *a)
{
	struct chain_report *c = &a->tls.chain;
	struct dnsbl_result *d;

	fixture_addr(a, "2001:db8::10", 25);
	a->connections = 1;
	fixture_ptr(&a->ptr, "host-2001-db8--10.dyn.example.net", false);
	a->ptr.generic = true;
	/* A raw ESC: must never reach a terminal. */
	a->ptr.generic_why = S("embeds the address; token \"dyn\"\033[2J");
	d = fixture_dnsbl(a, "zen.spamhaus.org",
	    "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	    "zen.spamhaus.org", DNSBL_LISTED, DNS_OK);
	d->answer = S("127.0.0.3");
	d->meaning = S("CSS: snowshoe spam source");
	d->txt = S("Listed by CSS, see https://check.spamhaus.org/query/ip/"
	    "2001:db8::10 \\\"quoted\\\" \\x00\\xff");
	d = fixture_dnsbl(a, "bl.spamcop.net", "0.1.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.spamcop.net",
	    DNSBL_UNUSABLE, DNS_OK);
	d->answer = S("127.255.255.254");
	d->meaning = S("query refused");
	fixture_session(a, "mail.local ESMTP \\x1b[31mready\\x1b[0m "
	    "\"hi\" \\\\ back\\r\\n", "mail.local", 1240, "Ready");
	fixture_tls(a, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	    "ECDHE-RSA-AES256-GCM-SHA384", "secp256r1");
	c->ncerts = 1;
	c->certs = xcalloc(1, sizeof(*c->certs));
	fixture_cert(&c->certs[0], "CN=mail.local", "CN=mail.local",
	    "2024-11-17T00:00:00Z", "2025-11-17T00:00:00Z", false);
	strvec_add(&c->certs[0].san_dns, "mail.local");
	c->certs[0].cn = S("mail.local");
	c->certs[0].self_signed = true;
	c->verify_error = 18;
	c->verify_error_str = S("self-signed certificate");
	c->self_signed_leaf = true;
	c->expired = true;
	c->days_left = -45;
}

/* mx2, 192.0.2.20: the connection is refused. */
static void
fixture_refused(struct addr_result *a)
{
	fixture_addr(a, "192.0.2.20", 25);
	a->connections = 1;
	fixture_ptr(&a->ptr, "mx2.example.com", true);
	fixture_dnsbl(a, "zen.spamhaus.org", "20.2.0.192.zen.spamhaus.org",
	    DNSBL_NOT_LISTED, DNS_NXDOMAIN);
	a->smtp.tried = true;
	a->smtp.error_class = S("conn");
	a->smtp.error_step = S("connect");
	a->smtp.error_detail = S("Connection refused");
}

static void
fixture_example_com(struct target_result *t)
{
	struct host_result *h;

	t->target = S("example.com");
	t->kind = TARGET_DOMAIN;
	t->domain = S("example.com");
	t->port = 25;
	t->nhosts = 2;
	t->hosts = h = xcalloc(2, sizeof(*h));
	h[0].name = S("mx1.example.com");
	h[0].preference = 10;
	h[0].naddrs = 2;
	h[0].addrs = xcalloc(2, sizeof(*h[0].addrs));
	fixture_good(&h[0].addrs[0]);
	fixture_bad(&h[0].addrs[1]);
	h[1].name = S("mx2.example.com");
	h[1].preference = 20;
	h[1].aaaa_status = DNS_TIMEOUT;
	h[1].naddrs = 1;
	h[1].addrs = xcalloc(1, sizeof(*h[1].addrs));
	fixture_refused(&h[1].addrs[0]);
}

static void
fixture_null_mx(struct target_result *t)
{
	t->target = S("nomail.example.org");
	t->kind = TARGET_DOMAIN;
	t->domain = S("nomail.example.org");
	t->port = 25;
	t->null_mx = true;
}

/* smtps://192.0.2.30: an address literal with implicit TLS whose
 * handshake fails. */
static void
fixture_literal(struct target_result *t)
{
	struct host_result *h;
	struct addr_result *a;

	t->target = S("smtps://192.0.2.30");
	t->kind = TARGET_ADDRESS;
	t->port = 465;
	t->mode = MODE_IMPLICIT_TLS;
	t->nhosts = 1;
	t->hosts = h = xcalloc(1, sizeof(*h));
	h->preference = -1;
	h->naddrs = 1;
	h->addrs = a = xcalloc(1, sizeof(*a));
	fixture_addr(a, "192.0.2.30", 465);
	a->mode = MODE_IMPLICIT_TLS;
	a->connections = 1;
	a->ptr.status = DNS_NODATA;
	a->smtp.tried = a->smtp.connected = true;
	a->smtp.error_class = S("tls");
	a->smtp.error_step = S("tls");
	a->smtp.error_detail = S("tlsv1 alert protocol version");
	a->tls.tried = true;
	a->tls.error = S("error:0A00042E:SSL routines::tlsv1 alert protocol "
	    "version (SSL alert number 70)");
}

static void
fixture_sending(struct report *r)
{
	struct addr_result *a;

	r->nsending = 1;
	r->sending = a = xcalloc(1, sizeof(*a));
	if (addr_parse("198.51.100.25", &a->addr) == -1)
		abort();
	a->address = S("198.51.100.25");
	a->ptr.status = DNS_NXDOMAIN;
	fixture_dnsbl(a, "zen.spamhaus.org", "25.100.51.198.zen.spamhaus.org",
	    DNSBL_NOT_LISTED, DNS_NXDOMAIN);
}

/* The findings check/ would make from the facts above. */
static void
fixture_findings(struct report *r)
{
	const char *mx1 = "mx1.example.com", *v6 = "2001:db8::10";

	report_add_finding(r, "dns.null_mx", SEV_ERROR, "nomail.example.org",
	    NULL, 0, "MX 0 . (RFC 7505 null MX)", NULL,
	    "%s publishes a null MX: it accepts no mail, so Microsoft bounces "
	    "every message to it", "nomail.example.org");
	report_add_finding(r, "smtp.connect_failed", SEV_ERROR,
	    "mx2.example.com", "192.0.2.20", 25,
	    "connect to 192.0.2.20 port 25: Connection refused", NULL,
	    "Cannot connect to %s port %d", "192.0.2.20", 25);
	report_add_finding(r, "dns.lookup_failed", SEV_WARNING,
	    "mx2.example.com", NULL, 0, "AAAA query for mx2.example.com: "
	    "timeout", NULL, "The address lookup for mail host %s failed",
	    "mx2.example.com");
	report_add_finding(r, "dnsbl.listed", SEV_ERROR, mx1, v6, 0,
	    "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
	    "zen.spamhaus.org -> 127.0.0.3 (CSS: snowshoe spam source); "
	    "reason: Listed by CSS \\\"quoted\\\" \\x00\\xff", NULL,
	    "%s is listed on %s, a list Microsoft uses to refuse mail", v6,
	    "zen.spamhaus.org");
	report_add_finding(r, "cert.self_signed", SEV_WARNING, mx1, v6, 25,
	    "subject CN=mail.local, issuer CN=mail.local", NULL,
	    "The certificate is self-signed");
	report_add_finding(r, "cert.expired", SEV_WARNING, mx1, v6, 25,
	    "notAfter 2025-11-17T00:00:00Z, 45 days ago", NULL,
	    "The certificate expired on %s", "2025-11-17T00:00:00Z");
	report_add_finding(r, "cert.name_mismatch", SEV_WARNING, mx1, v6, 25,
	    "certificate names: mail.local; host name mx1.example.com", NULL,
	    "The certificate is not valid for %s", mx1);
	report_add_finding(r, "ptr.mismatch", SEV_WARNING, mx1, v6, 25,
	    "PTR host-2001-db8--10.dyn.example.net does not resolve back to "
	    "2001:db8::10", NULL,
	    "The reverse DNS name of %s does not point back to it", v6);
	report_add_finding(r, "ptr.generic", SEV_WARNING, mx1, v6, 25,
	    "PTR host-2001-db8--10.dyn.example.net: embeds the address; token "
	    "\"dyn\"\033[2J", NULL,
	    "The reverse DNS name of %s looks generic or dynamic", v6);
	report_add_finding(r, "helo.mismatch", SEV_INFO, mx1, v6, 25,
	    "greeting name mail.local, PTR host-2001-db8--10.dyn.example.net",
	    NULL, "The greeting names %s but the address's PTR is %s",
	    "mail.local", "host-2001-db8--10.dyn.example.net");
	report_add_finding(r, "tls.handshake_failed", SEV_ERROR, NULL,
	    "192.0.2.30", 465, "tlsv1 alert protocol version (SSL alert number "
	    "70)", NULL, "The TLS handshake failed although every protocol "
	    "version and cipher suite was offered");
	report_add_finding(r, "ptr.missing", SEV_WARNING, NULL, "192.0.2.30",
	    465, "PTR query for 192.0.2.30: nodata", NULL, "%s has no reverse "
	    "DNS (PTR); this matters when the host also sends mail",
	    "192.0.2.30");
	report_add_finding(r, "ptr.missing", SEV_ERROR, NULL, "198.51.100.25",
	    0, "PTR query for 198.51.100.25: nxdomain", NULL,
	    "Your sending address %s has no reverse DNS: Outlook.com and "
	    "Exchange Online may refuse its mail", "198.51.100.25");
	report_sort_findings(r);
}

struct report *
fixture_empty(void)
{
	struct report *r = report_new();

	r->version = S("0.1.0");
	r->profile = S("microsoft");
	r->ehlo_name = S("mxdoctor.example.org");
	r->timeout_ms = 10000;
	r->greeting_timeout_ms = 30000;
	return r;
}

struct report *
fixture_report(void)
{
	struct report *r = fixture_empty();

	r->started = FIXTURE_STARTED;
	r->elapsed_ms = 4210;
	r->connections = 4;
	r->dns_queries = 23;
	r->ntargets = 3;
	r->targets = xcalloc(3, sizeof(*r->targets));
	fixture_example_com(&r->targets[0]);
	fixture_null_mx(&r->targets[1]);
	fixture_literal(&r->targets[2]);
	fixture_sending(r);
	fixture_findings(r);
	return r;
}
