/* test_eval: table-driven tests of the evaluators: facts in, finding ids and severities out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "check/eval.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* An address with a clean, successful session; cases then break one fact. */
static void
good_addr(struct addr_result *a)
{
	memset(a, 0, sizeof(*a));
	addr_parse("192.0.2.10", &a->addr);
	a->address = xstrdup("192.0.2.10");
	a->port = 25;
	a->mode = MODE_STARTTLS;
	a->ptr.status = DNS_OK;
	strvec_add(&a->ptr.names, "mx.example.com");
	a->ptr.forward_confirmed = true;
	a->smtp.tried = true;
	a->smtp.connected = true;
	a->smtp.greeting_code = 220;
	a->smtp.greeting_name = xstrdup("mx.example.com");
	a->smtp.ehlo_code = 250;
	strvec_add(&a->smtp.capabilities, "STARTTLS");
	a->smtp.starttls_offered = true;
	a->tls.tried = true;
	a->tls.ok = true;
	a->tls.have_chain = true;
	a->tls.chain.ncerts = 1;
	a->tls.chain.certs = xcalloc(1, sizeof(struct cert_summary));
	a->tls.chain.certs[0].subject = xstrdup("CN=mx.example.com");
	a->tls.chain.certs[0].key_type = xstrdup("RSA");
	a->tls.chain.certs[0].key_bits = 2048;
	a->tls.chain.trusted = true;
	a->tls.chain.name_ok = true;
	a->tls.chain.days_left = 80;
}

static void
set_fail(struct addr_result *a, const char *cls, const char *step, int code)
{
	a->smtp.error_class = xstrdup(cls);
	a->smtp.error_step = xstrdup(step);
	a->smtp.error_detail = xstrdup("detail");
	a->smtp.error_code = code;
}

static void c_good(struct addr_result *a) { (void)a; }
static void c_conn(struct addr_result *a) { a->smtp.connected = false; set_fail(a, "conn", "connect", 0); }
static void c_421(struct addr_result *a) { set_fail(a, "resp", "greeting", 421); }
static void c_554(struct addr_result *a) { set_fail(a, "resp", "greeting", 554); }
static void c_gtimeout(struct addr_result *a) { set_fail(a, "timeout", "greeting", 0); }
static void c_garbage(struct addr_result *a) { set_fail(a, "proto", "greeting", 0); }
static void c_nostarttls(struct addr_result *a) { a->smtp.starttls_offered = false; a->tls.tried = false; chain_report_clear(&a->tls.chain); a->tls.have_chain = false; }
static void c_refused(struct addr_result *a) { set_fail(a, "resp", "starttls", 454); }
static void c_starttls421(struct addr_result *a) { set_fail(a, "resp", "starttls", 421); }
static void c_tlsfail(struct addr_result *a) { set_fail(a, "tls", "tls", 0); a->tls.ok = false; }
static void c_quitfail(struct addr_result *a) { set_fail(a, "timeout", "quit", 0); }
static void c_selfsigned(struct addr_result *a) { a->tls.chain.trusted = false; a->tls.chain.self_signed_leaf = true; }
static void c_incomplete(struct addr_result *a) { a->tls.chain.trusted = false; a->tls.chain.incomplete = true; }
static void c_untrusted(struct addr_result *a) { a->tls.chain.trusted = false; a->tls.chain.untrusted_root = true; }
static void c_expired(struct addr_result *a) { a->tls.chain.expired = true; a->tls.chain.days_left = -3; }
static void c_notyet(struct addr_result *a) { a->tls.chain.not_yet_valid = true; a->tls.chain.days_left = 400; }
static void c_soon(struct addr_result *a) { a->tls.chain.days_left = 10; }
static void c_day30(struct addr_result *a) { a->tls.chain.days_left = 30; }
static void c_name(struct addr_result *a) { a->tls.chain.name_ok = false; }
static void c_weak1024(struct addr_result *a) { a->tls.chain.weak_key = true; a->tls.chain.certs[0].key_bits = 1024; }
static void c_weak512(struct addr_result *a) { a->tls.chain.weak_key = true; a->tls.chain.certs[0].key_bits = 512; }
static void c_sha1(struct addr_result *a) { a->tls.chain.weak_sig = true; }
static void c_noptr(struct addr_result *a) { a->ptr.status = DNS_NXDOMAIN; strvec_clear(&a->ptr.names); a->ptr.forward_confirmed = false; }
static void c_ptrfail(struct addr_result *a) { a->ptr.status = DNS_SERVFAIL; strvec_clear(&a->ptr.names); a->ptr.forward_confirmed = false; }
static void c_ptrmis(struct addr_result *a) { a->ptr.forward_confirmed = false; }
static void c_generic(struct addr_result *a) { a->ptr.generic = true; }
static void c_helo(struct addr_result *a) { free(a->smtp.greeting_name); a->smtp.greeting_name = xstrdup("other.example.com"); }
static void c_helo_case(struct addr_result *a) { free(a->smtp.greeting_name); a->smtp.greeting_name = xstrdup("MX.Example.COM"); }

static void
listed(struct addr_result *a, const char *zone, enum dnsbl_verdict v)
{
	a->dnsbl = xcalloc(1, sizeof(*a->dnsbl));
	a->ndnsbl = 1;
	a->dnsbl[0].zone = xstrdup(zone);
	a->dnsbl[0].query = xstrdup("10.2.0.192.zone");
	a->dnsbl[0].verdict = v;
	a->dnsbl[0].answer = xstrdup("127.0.0.2");
}
static void c_zen(struct addr_result *a) { listed(a, "zen.spamhaus.org", DNSBL_LISTED); }
static void c_other(struct addr_result *a) { listed(a, "bl.example.test", DNSBL_LISTED); }
static void c_unusable(struct addr_result *a) { listed(a, "zen.spamhaus.org", DNSBL_UNUSABLE); }
static void c_notlisted(struct addr_result *a) { listed(a, "bl.example.test", DNSBL_NOT_LISTED); }

/* The TLS prober's facts: a sound server (TLS 1.2 and 1.3, ECDHE), then
 * one fact broken per case, including what Debian's OpenSSL cannot serve
 * in the lab (SSLv2, SSLv3, 3DES, RC4). */
static void
scan_ok(struct addr_result *a)
{
	int i;

	a->scan.tried = true;
	for (i = 0; i < 6; i++) {
		a->scan.v[i].tested = true;
		a->scan.v[i].accepted = i >= 4;
		a->scan.v[i].detail = xstrdup(i >= 4 ? "accepted" :
		    "fatal alert protocol_version");
	}
	a->scan.typical_version = xstrdup("TLSv1.2");
	a->scan.typical_suite = xstrdup("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	a->scan.typical_fs = true;
	a->scan.weak.tested = true;
	a->scan.weak.version = xstrdup("TLSv1.2");
}
static void c_scan(struct addr_result *a) { scan_ok(a); }
static void c_ssl2(struct addr_result *a) { scan_ok(a); a->scan.v[0].accepted = true; }
static void c_ssl3(struct addr_result *a) { scan_ok(a); a->scan.v[1].accepted = true; }
static void c_tls10(struct addr_result *a) { scan_ok(a); a->scan.v[2].accepted = true; }
static void c_tls10only(struct addr_result *a) { scan_ok(a); a->scan.v[2].accepted = true; a->scan.v[4].accepted = a->scan.v[5].accepted = false; }
static void c_nosuite(struct addr_result *a) { scan_ok(a); a->scan.v[4].accepted = a->scan.v[5].accepted = false; free(a->scan.v[4].detail); a->scan.v[4].detail = xstrdup("fatal alert handshake_failure"); }
static void c_no13(struct addr_result *a) { scan_ok(a); a->scan.v[5].accepted = false; }
static void c_3des(struct addr_result *a) { scan_ok(a); a->scan.weak.accepted = true; a->scan.weak.suite = xstrdup("TLS_RSA_WITH_3DES_EDE_CBC_SHA"); }
static void c_rc4pick(struct addr_result *a) { scan_ok(a); a->scan.typical_weak = true; a->scan.typical_fs = false; a->scan.v[5].accepted = false; a->scan.fs.tested = true; a->scan.fs.accepted = true; a->scan.fs.version = xstrdup("TLSv1.2"); }
static void c_nofs13(struct addr_result *a) { scan_ok(a); a->scan.typical_fs = false; }
static void c_nofs(struct addr_result *a) { c_nofs13(a); a->scan.v[5].accepted = false; }
static void c_dh1024(struct addr_result *a) { scan_ok(a); a->scan.dhe.accepted = true; a->scan.dhe.dh_bits = 1024; }
static void c_overlap(struct addr_result *a) { scan_ok(a); a->scan.no_overlap = true; a->scan.profile = xstrdup("microsoft"); }
static void c_sni_req(struct addr_result *a) { scan_ok(a); a->scan.nosni_tried = true; a->scan.nosni_error = xstrdup("tlsv1 alert unrecognized name"); }
static void
c_sni_diff(struct addr_result *a)
{
	struct chain_report *c = &a->scan.nosni_chain;

	scan_ok(a);
	a->scan.nosni_tried = a->scan.nosni_ok = a->scan.nosni_have_chain = true;
	a->tls.chain.certs[0].sha256 = xstrdup("AA");
	c->ncerts = 1;
	c->certs = xcalloc(1, sizeof(struct cert_summary));
	c->certs[0].sha256 = xstrdup("BB");
	c->trusted = true;
}
static void c_tickets(struct addr_result *a) { a->tls.tickets_known = true; a->tls.tickets = 2; }
static void c_early(struct addr_result *a) { c_tickets(a); a->tls.tickets_early = true; }
static void c_scan421(struct addr_result *a) { scan_ok(a); a->scan.rate_limited = true; }

struct eval_case {
	const char	*name;
	void		(*setup)(struct addr_result *);
	const char	*host;		/* NULL: address literal */
	bool		 sending;
	const char	*expect;	/* "id:severity ..." in report order */
};

static const struct eval_case cases[] = {
	{ "good", c_good, "mx.example.com", false, "" },
	{ "connect", c_conn, "mx.example.com", false, "smtp.connect_failed:error" },
	{ "421 greeting", c_421, "mx.example.com", false, "smtp.rate_limited:warning" },
	{ "554 greeting", c_554, "mx.example.com", false, "smtp.greeting_failed:error" },
	{ "greeting timeout", c_gtimeout, "mx.example.com", false, "smtp.greeting_failed:error" },
	{ "garbage", c_garbage, "mx.example.com", false, "smtp.greeting_failed:error" },
	{ "no starttls", c_nostarttls, "mx.example.com", false, "starttls.not_offered:warning" },
	{ "starttls 454", c_refused, "mx.example.com", false, "starttls.refused:error" },
	{ "starttls 421", c_starttls421, "mx.example.com", false, "smtp.rate_limited:warning" },
	{ "tls failure", c_tlsfail, "mx.example.com", false, "tls.handshake_failed:error" },
	{ "quit timeout is no finding", c_quitfail, "mx.example.com", false, "" },
	{ "self-signed", c_selfsigned, "mx.example.com", false, "cert.self_signed:warning" },
	{ "incomplete", c_incomplete, "mx.example.com", false, "cert.chain_incomplete:warning" },
	{ "untrusted", c_untrusted, "mx.example.com", false, "cert.untrusted:warning" },
	{ "expired", c_expired, "mx.example.com", false, "cert.expired:warning" },
	{ "not yet valid", c_notyet, "mx.example.com", false, "cert.not_yet_valid:warning" },
	{ "expires soon", c_soon, "mx.example.com", false, "cert.expires_soon:warning" },
	{ "30 days is not soon", c_day30, "mx.example.com", false, "" },
	{ "name", c_name, "mx.example.com", false, "cert.name_mismatch:warning" },
	{ "name, literal target", c_name, NULL, false, "" },
	{ "rsa 1024", c_weak1024, "mx.example.com", false, "cert.weak_key:warning" },
	{ "rsa 512", c_weak512, "mx.example.com", false, "cert.weak_key:error" },
	{ "sha1", c_sha1, "mx.example.com", false, "cert.weak_signature:error" },
	{ "no ptr, mx", c_noptr, "mx.example.com", false, "ptr.missing:warning" },
	{ "no ptr, sending", c_noptr, NULL, true, "ptr.missing:error" },
	{ "ptr servfail", c_ptrfail, "mx.example.com", false, "dns.lookup_failed:warning" },
	{ "ptr mismatch", c_ptrmis, "mx.example.com", false, "ptr.mismatch:warning" },
	{ "generic", c_generic, "mx.example.com", false, "ptr.generic:warning" },
	{ "helo", c_helo, "mx.example.com", false, "helo.mismatch:info" },
	{ "helo case-insensitive", c_helo_case, "mx.example.com", false, "" },
	{ "zen", c_zen, "mx.example.com", false, "dnsbl.listed:error" },
	{ "other list", c_other, "mx.example.com", false, "dnsbl.listed:warning" },
	{ "refused answer", c_unusable, "mx.example.com", false, "" },
	{ "not listed", c_notlisted, "mx.example.com", false, "" },
	{ "scan: sound server", c_scan, "mx.example.com", false, "" },
	{ "scan: sslv2", c_ssl2, "mx.example.com", false, "tls.sslv2:error" },
	{ "scan: sslv3", c_ssl3, "mx.example.com", false, "tls.sslv3:error" },
	{ "scan: tls 1.0 next to 1.2", c_tls10, "mx.example.com", false, "tls.legacy_protocol:info" },
	{ "scan: tls 1.0 only", c_tls10only, "mx.example.com", false, "tls.no_tls12_or_newer:error tls.legacy_protocol:warning" },
	{ "scan: no suite is no version", c_nosuite, "mx.example.com", false, "" },
	{ "scan: no tls 1.3", c_no13, "mx.example.com", false, "tls.no_tls13:info" },
	{ "scan: 3des accepted", c_3des, "mx.example.com", false, "cipher.weak:warning" },
	{ "scan: rc4 picked", c_rc4pick, "mx.example.com", false, "cipher.weak:error cipher.no_forward_secrecy:warning tls.no_tls13:info" },
	{ "scan: no fs, tls 1.3", c_nofs13, "mx.example.com", false, "cipher.no_forward_secrecy:info" },
	{ "scan: no fs", c_nofs, "mx.example.com", false, "cipher.no_forward_secrecy:warning tls.no_tls13:info" },
	{ "scan: dh 1024", c_dh1024, "mx.example.com", false, "cipher.weak_dh:warning" },
	{ "scan: no overlap", c_overlap, "mx.example.com", false, "cipher.no_overlap:error" },
	{ "scan: sni required", c_sni_req, "mx.example.com", false, "sni.required:warning" },
	{ "scan: sni cert differs", c_sni_diff, "mx.example.com", false, "sni.cert_differs:warning" },
	{ "tickets after finished", c_tickets, "mx.example.com", false, "tls13.ticket_interop:info" },
	{ "tickets early", c_early, "mx.example.com", false, "tls13.ticket_interop:warning" },
	{ "scan: 421", c_scan421, "mx.example.com", false, "smtp.rate_limited:warning" },
};

static char *
ids_of(const struct report *r)
{
	struct buf *b = buf_new(4096);
	char *s;
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		buf_printf(b, "%s%s:%s", i ? " " : "", r->findings[i].id,
		    severity_name(r->findings[i].severity));
	s = buf_steal(b);
	buf_free(b);
	return s;
}

static void
test_addr_cases(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct report *r = report_new();
		char *got;

		/* The address lives in r->sending so that report_free frees it. */
		r->sending = xcalloc(1, sizeof(*r->sending));
		r->nsending = 1;
		good_addr(&r->sending[0]);
		cases[i].setup(&r->sending[0]);
		if (!cases[i].sending) {
			eval_smtp(r, cases[i].host, &r->sending[0]);
			eval_cert(r, cases[i].host, &r->sending[0]);
			eval_tls(r, cases[i].host, &r->sending[0]);
			eval_cipher(r, cases[i].host, &r->sending[0]);
			eval_sni(r, cases[i].host, &r->sending[0]);
		}
		eval_ptr(r, cases[i].host, &r->sending[0], cases[i].sending);
		eval_dnsbl(r, cases[i].host, &r->sending[0]);
		report_sort_findings(r);
		got = ids_of(r);
		print_message("%-28s -> %s\n", cases[i].name, got);
		assert_string_equal(got, cases[i].expect);
		/* every finding carries evidence and a fix */
		if (r->nfindings > 0) {
			assert_non_null(r->findings[0].fix);
			assert_true(r->findings[0].fix[0] != '\0');
			assert_non_null(r->findings[0].message);
		}
		free(got);
		report_free(r);
	}
}

struct target_case {
	const char	*name;
	enum dns_status	 mx_status;
	bool		 null_mx;
	bool		 fallback;
	size_t		 naddrs;
	const char	*expect;
};

static const struct target_case tcases[] = {
	{ "mx ok", DNS_OK, false, false, 1, "" },
	{ "null mx", DNS_OK, true, false, 0, "dns.null_mx:error" },
	{ "nxdomain", DNS_NXDOMAIN, false, false, 0, "dns.lookup_failed:error" },
	{ "servfail", DNS_SERVFAIL, false, false, 0, "dns.lookup_failed:error" },
	{ "fallback", DNS_NODATA, false, true, 1, "dns.no_mx:warning" },
	{ "fallback, no address", DNS_NODATA, false, true, 0, "dns.no_mx:error" },
};

static void
test_target_cases(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		struct report *r = report_new();
		struct target_result *t;
		char *got;

		r->targets = xcalloc(1, sizeof(*r->targets));
		r->ntargets = 1;
		t = &r->targets[0];
		t->kind = TARGET_DOMAIN;
		t->domain = xstrdup("example.com");
		t->target = xstrdup("example.com");
		t->mx_status = tcases[i].mx_status;
		t->null_mx = tcases[i].null_mx;
		t->mx_fallback = tcases[i].fallback;
		if (tcases[i].fallback || tcases[i].naddrs) {
			t->hosts = xcalloc(1, sizeof(*t->hosts));
			t->nhosts = 1;
			t->hosts[0].name = xstrdup("example.com");
			t->hosts[0].naddrs = 0;	/* counted below without facts */
		}
		if (tcases[i].naddrs) {
			t->hosts[0].addrs = xcalloc(1, sizeof(struct addr_result));
			t->hosts[0].naddrs = 1;
			t->hosts[0].addrs[0].address = xstrdup("192.0.2.1");
		}
		eval_dns_target(r, t);
		got = ids_of(r);
		print_message("%-28s -> %s\n", tcases[i].name, got);
		assert_string_equal(got, tcases[i].expect);
		free(got);
		report_free(r);
	}
}

static void
test_host_without_address(void **state)
{
	struct report *r = report_new();
	struct target_result t;
	struct host_result h;
	char *got;

	memset(&t, 0, sizeof(t));
	memset(&h, 0, sizeof(h));
	t.kind = TARGET_DOMAIN;
	h.name = "mx.example.com";
	h.a_status = DNS_NXDOMAIN;
	h.aaaa_status = DNS_NXDOMAIN;
	eval_dns_host(r, &t, &h);
	got = ids_of(r);
	assert_string_equal(got, "dns.lookup_failed:error");
	free(got);
	report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_cases),
		cmocka_unit_test(test_target_cases),
		cmocka_unit_test(test_host_without_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
