/* json: the --json document, field for field as docs/json.md describes it. */
#include "report/report.h"
#include "audit/audit.h"
#include "tls/suites.h"
#include "report/render.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define JSON_SCHEMA	1


/* escape_unsafe: a copy of s with every byte outside printable ASCII
 * written as \t, \r, \n or \xNN, the notation of docs/json.md.  The
 * backslash is kept: s is already escaped text. */
static char *
escape_unsafe(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0, len = strlen(s);
	char *out;

	if (len > (SIZE_MAX - 1) / 4)
		render_jcheck(NULL);
	out = xmalloc(len * 4 + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '\\';
		if (c == '\t' || c == '\r' || c == '\n') {
			out[o++] = c == '\t' ? 't' : c == '\r' ? 'r' : 'n';
			continue;
		}
		out[o++] = 'x';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
	}
	out[o] = '\0';
	return out;
}

static bool
is_printable_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* jstr: a JSON string, or null for NULL.  Strings are escaped ASCII by
 * contract; should a raw control byte or non-ASCII byte get through all
 * the same, it is escaped here, so that no consumer ever decodes a raw
 * control character (or meets invalid UTF-8). */
static json_t *
jstr(const char *s)
{
	json_t *v;
	char *copy;

	if (s == NULL)
		return json_null();
	if (is_printable_ascii(s))
		return json_string(s);
	copy = escape_unsafe(s);
	v = json_string(copy);
	free(copy);
	return v;
}

/* jint: an integer, or null when the value is not known. */
static json_t *
jint(long long v, int known)
{
	return known ? json_integer(v) : json_null();
}

static json_t *
jstrvec(const struct strvec *sv)
{
	json_t *arr = render_jcheck(json_array());
	size_t i;

	for (i = 0; i < sv->n; i++)
		render_jappend(arr, jstr(sv->v[i]));
	return arr;
}

static json_t *
json_ptr(const struct ptr_result *p)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "status", jstr(dns_status_name(p->status)));
	render_jset(o, "names", jstrvec(&p->names));
	render_jset(o, "forward_confirmed", json_boolean(p->forward_confirmed));
	render_jset(o, "confirmed_name", jstr(p->confirmed_name));
	render_jset(o, "generic", json_boolean(p->generic));
	render_jset(o, "generic_reason", jstr(p->generic_why));
	return o;
}

static json_t *
json_dnsbl(const struct dnsbl_result *d, size_t n)
{
	json_t *arr = render_jcheck(json_array());
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = render_jcheck(json_object());

		render_jset(o, "zone", jstr(d[i].zone));
		render_jset(o, "query", jstr(d[i].query));
		render_jset(o, "verdict", jstr(dnsbl_verdict_name(d[i].verdict)));
		render_jset(o, "status", jstr(dns_status_name(d[i].status)));
		render_jset(o, "answer", jstr(d[i].answer));
		render_jset(o, "meaning", jstr(d[i].meaning));
		render_jset(o, "txt", jstr(d[i].txt));
		render_jappend(arr, o);
	}
	return arr;
}

static json_t *
json_smtp_error(const struct smtp_facts *s)
{
	json_t *o;

	if (s->error_class == NULL)
		return json_null();
	o = render_jcheck(json_object());
	render_jset(o, "class", jstr(s->error_class));
	render_jset(o, "step", jstr(s->error_step));
	render_jset(o, "code", jint(s->error_code, s->error_code != 0));
	render_jset(o, "detail", jstr(s->error_detail));
	return o;
}

static json_t *
json_smtp(const struct smtp_facts *s)
{
	json_t *o = render_jcheck(json_object());
	int greeted = s->greeting_code != 0;

	render_jset(o, "tried", json_boolean(s->tried));
	render_jset(o, "connected", json_boolean(s->connected));
	render_jset(o, "greeting_code", jint(s->greeting_code, greeted));
	render_jset(o, "greeting", jstr(s->greeting));
	render_jset(o, "greeting_name", jstr(s->greeting_name));
	render_jset(o, "greeting_ms", jint(s->greeting_ms, greeted));
	render_jset(o, "ehlo_code", jint(s->ehlo_code, s->ehlo_code != 0));
	render_jset(o, "capabilities", jstrvec(&s->capabilities));
	render_jset(o, "capabilities_tls", jstrvec(&s->capabilities_tls));
	render_jset(o, "starttls_offered", json_boolean(s->starttls_offered));
	render_jset(o, "starttls_code", jint(s->starttls_code, s->starttls_code != 0));
	render_jset(o, "starttls_reply", jstr(s->starttls_reply));
	render_jset(o, "error", json_smtp_error(s));
	return o;
}

static json_t *
json_cert(const struct cert_summary *c)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "subject", jstr(c->subject));
	render_jset(o, "issuer", jstr(c->issuer));
	render_jset(o, "serial", jstr(c->serial));
	render_jset(o, "not_before", jstr(c->not_before));
	render_jset(o, "not_after", jstr(c->not_after));
	render_jset(o, "san", jstrvec(&c->san_dns));
	render_jset(o, "key_type", jstr(c->key_type));
	render_jset(o, "key_bits", jint(c->key_bits, c->key_bits > 0));
	render_jset(o, "signature_algorithm", jstr(c->sig_alg));
	render_jset(o, "sha256", jstr(c->sha256));
	render_jset(o, "self_signed", json_boolean(c->self_signed));
	render_jset(o, "is_ca", json_boolean(c->is_ca));
	return o;
}

static json_t *
json_chain(const struct chain_report *c)
{
	json_t *o = render_jcheck(json_object());
	json_t *certs = render_jcheck(json_array());
	size_t i;

	render_jset(o, "trusted", json_boolean(c->trusted));
	/* x509/ writes "ok" for X509_V_OK: that is no error. */
	render_jset(o, "verify_error", c->verify_error != 0 ?
	    jstr(c->verify_error_str) : json_null());
	render_jset(o, "self_signed", json_boolean(c->self_signed_leaf));
	render_jset(o, "untrusted_root", json_boolean(c->untrusted_root));
	render_jset(o, "incomplete_chain", json_boolean(c->incomplete));
	render_jset(o, "missing_issuer", jstr(c->missing_issuer));
	render_jset(o, "name_match", json_boolean(c->name_ok));
	render_jset(o, "matched_name", jstr(c->matched_name));
	render_jset(o, "expired", json_boolean(c->expired));
	render_jset(o, "not_yet_valid", json_boolean(c->not_yet_valid));
	/* Unknown when the leaf's notAfter could not be parsed. */
	render_jset(o, "days_left", jint(c->days_left, c->ncerts > 0 &&
	    c->certs[0].not_after != NULL));
	render_jset(o, "weak_key", json_boolean(c->weak_key));
	render_jset(o, "weak_key_detail", jstr(c->weak_key_detail));
	render_jset(o, "weak_signature", json_boolean(c->weak_sig));
	render_jset(o, "weak_signature_detail", jstr(c->weak_sig_detail));
	for (i = 0; i < c->ncerts; i++)
		render_jappend(certs, json_cert(&c->certs[i]));
	render_jset(o, "chain", certs);
	return o;
}

static json_t *
json_tls(const struct tls_facts *t)
{
	json_t *o;

	if (!t->tried)
		return json_null();
	o = render_jcheck(json_object());
	render_jset(o, "ok", json_boolean(t->ok));
	render_jset(o, "sni", jstr(t->sni));
	render_jset(o, "version", jstr(t->version));
	render_jset(o, "cipher", jstr(t->cipher));
	render_jset(o, "cipher_openssl", jstr(t->cipher_openssl));
	render_jset(o, "bits", jint(t->bits, t->bits > 0));
	render_jset(o, "group", jstr(t->group));
	render_jset(o, "error", jstr(t->error));
	render_jset(o, "certificate", t->have_chain ? json_chain(&t->chain) :
	    json_null());
	render_jset(o, "tickets", jint(t->tickets, t->tickets_known));
	render_jset(o, "tickets_early", json_boolean(t->tickets_early));
	return o;
}

/* The TLS prober's facts (tls_scan in docs/json.md). */

static const char *const scan_versions[6] = {
	"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"
};

static json_t *
json_pick(const struct tls_pick_fact *p)
{
	json_t *o;

	if (p->version == NULL)
		return json_null();
	o = render_jcheck(json_object());
	render_jset(o, "version", jstr(p->version));
	render_jset(o, "tested", json_boolean(p->tested));
	render_jset(o, "accepted", json_boolean(p->accepted));
	render_jset(o, "suite", jstr(p->suite));
	render_jset(o, "group", jstr(p->group));
	render_jset(o, "dh_bits", jint(p->dh_bits, p->dh_bits > 0));
	render_jset(o, "detail", jstr(p->detail));
	return o;
}

static json_t *
json_scan_versions(const struct tls_scan_facts *f)
{
	json_t *arr = render_jcheck(json_array());
	int i;

	for (i = 5; i >= 0; i--) {
		const struct tls_version_fact *v = &f->v[i];
		json_t *o = render_jcheck(json_object());

		render_jset(o, "version", jstr(scan_versions[i]));
		render_jset(o, "tested", json_boolean(v->tested));
		render_jset(o, "accepted", json_boolean(v->accepted));
		render_jset(o, "from_session", json_boolean(v->from_session));
		render_jset(o, "verdict", jstr(v->verdict));
		render_jset(o, "detail", jstr(v->detail));
		render_jset(o, "suite", jstr(v->suite));
		render_jappend(arr, o);
	}
	return arr;
}

static json_t *
json_scan_profile(const struct tls_scan_facts *f)
{
	json_t *o, *probes;
	int i;

	if (f->profile == NULL)
		return json_null();
	o = render_jcheck(json_object());
	probes = render_jcheck(json_array());
	render_jset(o, "name", jstr(f->profile));
	render_jset(o, "status", jstr(f->profile_status));
	render_jset(o, "version", jstr(f->profile_version));
	render_jset(o, "suite", jstr(f->profile_suite));
	render_jset(o, "reason", jstr(f->profile_reason));
	render_jset(o, "no_overlap", json_boolean(f->no_overlap));
	for (i = 5; i >= 0; i--)
		if (f->profile_pick[i].version != NULL)
			render_jappend(probes, json_pick(&f->profile_pick[i]));
	render_jset(o, "probes", probes);
	return o;
}

static json_t *
json_scan_sni(const struct tls_scan_facts *f)
{
	json_t *o;

	if (!f->nosni_tried)
		return json_null();
	o = render_jcheck(json_object());
	render_jset(o, "ok", json_boolean(f->nosni_ok));
	render_jset(o, "error", jstr(f->nosni_error));
	render_jset(o, "certificate", f->nosni_have_chain ?
	    json_chain(&f->nosni_chain) : json_null());
	return o;
}

static json_t *
json_scan_ciphers(const struct tls_scan_facts *f)
{
	json_t *arr;
	size_t i;

	if (f->lists == NULL)
		return json_null();
	arr = render_jcheck(json_array());
	for (i = 0; i < f->nlists; i++) {
		const struct tls_cipher_list *l = &f->lists[i];
		json_t *o = render_jcheck(json_object());

		render_jset(o, "version", jstr(l->version));
		render_jset(o, "order", jstr(l->order));
		render_jset(o, "complete", json_boolean(l->complete));
		render_jset(o, "error", jstr(l->error));
		render_jset(o, "suites", jstrvec(&l->suites));
		render_jappend(arr, o);
	}
	return arr;
}

static json_t *
json_scan(const struct tls_scan_facts *f)
{
	json_t *o, *t, *p;

	if (!f->tried)
		return json_null();
	o = render_jcheck(json_object());
	render_jset(o, "connections", json_integer(f->connections));
	render_jset(o, "rate_limited", json_boolean(f->rate_limited));
	render_jset(o, "stopped", jstr(f->stopped));
	render_jset(o, "versions", json_scan_versions(f));
	if (f->typical_suite != NULL) {
		t = render_jcheck(json_object());
		render_jset(t, "version", jstr(f->typical_version));
		render_jset(t, "suite", jstr(f->typical_suite));
		render_jset(t, "forward_secret", json_boolean(f->typical_fs));
		render_jset(t, "weak", json_boolean(f->typical_weak));
	} else
		t = json_null();
	render_jset(o, "typical", t);
	p = render_jcheck(json_object());
	render_jset(p, "weak", json_pick(&f->weak));
	render_jset(p, "dhe", json_pick(&f->dhe));
	render_jset(p, "forward_secret", json_pick(&f->fs));
	render_jset(o, "probes", p);
	render_jset(o, "profile", json_scan_profile(f));
	render_jset(o, "without_sni", json_scan_sni(f));
	render_jset(o, "ciphers", json_scan_ciphers(f));
	return o;
}

static json_t *
json_address(const struct addr_result *a)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "address", jstr(a->address));
	render_jset(o, "family", jstr(a->addr.family == AF_INET6 ? "ipv6" : "ipv4"));
	render_jset(o, "port", json_integer(a->port));
	render_jset(o, "mode", jstr(smtp_mode_name(a->mode)));
	render_jset(o, "connections", json_integer(a->connections));
	render_jset(o, "ptr", json_ptr(&a->ptr));
	render_jset(o, "dnsbl", json_dnsbl(a->dnsbl, a->ndnsbl));
	render_jset(o, "smtp", json_smtp(&a->smtp));
	render_jset(o, "tls", json_tls(&a->tls));
	render_jset(o, "tls_scan", json_scan(&a->scan));
	return o;
}

static json_t *
json_host(const struct host_result *h)
{
	json_t *o = render_jcheck(json_object());
	json_t *addrs = render_jcheck(json_array());
	/* An address literal was not looked up: no A/AAAA status. */
	int looked_up = h->name != NULL;
	size_t i;

	render_jset(o, "name", jstr(h->name));
	render_jset(o, "preference", jint(h->preference, h->preference >= 0));
	render_jset(o, "a_status", looked_up ? jstr(dns_status_name(h->a_status)) :
	    json_null());
	render_jset(o, "aaaa_status", looked_up ?
	    jstr(dns_status_name(h->aaaa_status)) : json_null());
	for (i = 0; i < h->naddrs; i++)
		render_jappend(addrs, json_address(&h->addrs[i]));
	render_jset(o, "addresses", addrs);
	return o;
}

static json_t *
json_target(const struct target_result *t)
{
	json_t *o = render_jcheck(json_object());
	json_t *hosts = render_jcheck(json_array());
	size_t i;

	render_jset(o, "target", jstr(t->target));
	render_jset(o, "kind", jstr(target_kind_name(t->kind)));
	render_jset(o, "domain", jstr(t->domain));
	render_jset(o, "port", json_integer(t->port));
	render_jset(o, "mode", jstr(smtp_mode_name(t->mode)));
	render_jset(o, "mx_status", t->kind == TARGET_DOMAIN ?
	    jstr(dns_status_name(t->mx_status)) : json_null());
	render_jset(o, "null_mx", json_boolean(t->null_mx));
	render_jset(o, "mx_fallback", json_boolean(t->mx_fallback));
	for (i = 0; i < t->nhosts; i++)
		render_jappend(hosts, json_host(&t->hosts[i]));
	render_jset(o, "hosts", hosts);
	return o;
}

static json_t *
json_sending(const struct addr_result *a)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "address", jstr(a->address));
	render_jset(o, "ptr", json_ptr(&a->ptr));
	render_jset(o, "dnsbl", json_dnsbl(a->dnsbl, a->ndnsbl));
	return o;
}

static json_t *
json_finding(const struct finding *f)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "id", jstr(f->id));
	render_jset(o, "severity", jstr(severity_name(f->severity)));
	render_jset(o, "host", jstr(f->host));
	render_jset(o, "address", jstr(f->address));
	render_jset(o, "port", jint(f->port, f->port != 0));
	render_jset(o, "message", jstr(f->message ? f->message : ""));
	render_jset(o, "evidence", jstr(f->evidence ? f->evidence : ""));
	render_jset(o, "fix", jstr(f->fix ? f->fix : ""));
	return o;
}

static json_t *
json_head(const struct report *r)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "version", jstr(r->version ? r->version : MXD_VERSION));
	render_jset(o, "schema", json_integer(JSON_SCHEMA));
	return o;
}

static json_t *
json_options(const struct report *r)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "ehlo", jstr(r->ehlo_name));
	render_jset(o, "resolver", jstr(r->resolver));
	render_jset(o, "timeout_ms", json_integer(r->timeout_ms));
	render_jset(o, "greeting_timeout_ms", json_integer(r->greeting_timeout_ms));
	return o;
}

static json_t *
json_summary(const struct report *r)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "errors", json_integer((json_int_t)report_count(r, SEV_ERROR)));
	render_jset(o, "warnings",
	    json_integer((json_int_t)report_count(r, SEV_WARNING)));
	render_jset(o, "infos", json_integer((json_int_t)report_count(r, SEV_INFO)));
	render_jset(o, "exit_status", json_integer(report_exit_status(r)));
	render_jset(o, "connections", json_integer(r->connections));
	render_jset(o, "dns_queries", json_integer(r->dns_queries));
	render_jset(o, "incomplete", json_boolean(r->incomplete));
	render_jset(o, "incomplete_reason", r->incomplete ?
	    jstr(r->incomplete_why) : json_null());
	return o;
}

/* mxdoctor audit: the configuration model (docs/json.md, "Audit"). */
static json_t *
json_versions_mask(unsigned mask)
{
	json_t *arr = render_jcheck(json_array());
	int i;

	for (i = TLS_NVERSIONS - 1; i >= 0; i--)
		if (mask & (1u << i))
			render_jappend(arr, jstr(tls_version_name(tls_version_at(i))));
	return arr;
}

static json_t *
json_suite_list(const uint16_t *v, size_t n)
{
	json_t *arr = render_jcheck(json_array());
	size_t i;

	for (i = 0; i < n; i++) {
		const struct tls_suite *t = tls_suite_by_code(v[i]);
		char hex[16];

		if (t == NULL)
			snprintf(hex, sizeof(hex), "0x%04x", v[i]);
		render_jappend(arr, jstr(t ? t->name : hex));
	}
	return arr;
}

static json_t *
json_audit_certs(const struct audit_cert *c, size_t n)
{
	json_t *arr = render_jcheck(json_array());
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = render_jcheck(json_object());

		render_jset(o, "key_file", jstr(c[i].key_file));
		render_jset(o, "cert_file", jstr(c[i].cert_file));
		render_jset(o, "from", jstr(c[i].from));
		render_jappend(arr, o);
	}
	return arr;
}

static json_t *
json_audit_side(const struct audit_side *s)
{
	json_t *o = render_jcheck(json_object());

	render_jset(o, "present", json_boolean(s->present));
	render_jset(o, "use", jstr(audit_tls_use_name(s->use)));
	render_jset(o, "use_from", jstr(s->use_from));
	render_jset(o, "versions", s->versions_known ?
	    json_versions_mask(s->versions) : json_null());
	render_jset(o, "versions_from", jstr(s->versions_from));
	render_jset(o, "suites", s->suites_known ?
	    json_suite_list(s->suites, s->nsuites) : json_null());
	render_jset(o, "suites_tls13", s->suites_known ?
	    json_suite_list(s->suites13, s->nsuites13) : json_null());
	render_jset(o, "suites_from", jstr(s->suites_from));
	render_jset(o, "server_order", json_boolean(s->server_order));
	render_jset(o, "sni", jstr(s->sni));
	render_jset(o, "certs", json_audit_certs(s->certs, s->ncerts));
	render_jset(o, "certs_sni", json_audit_certs(s->certs_sni, s->ncerts_sni));
	render_jset(o, "ca_file", jstr(s->ca_file));
	render_jset(o, "verdict", jstr(s->verdict));
	return o;
}

static json_t *
json_audit(const struct audit_result *a)
{
	json_t *o, *arr;
	size_t i;

	if (a == NULL)
		return json_null();
	o = render_jcheck(json_object());
	render_jset(o, "mta", jstr(audit_mta_name(a->mta)));
	render_jset(o, "source", jstr(a->source));
	render_jset(o, "mta_version", jstr(a->mta_version));
	render_jset(o, "tls_library", jstr(a->tls_library));
	render_jset(o, "tls_library_from", jstr(a->tls_library_from));
	render_jset(o, "hostname", jstr(a->hostname));
	render_jset(o, "windows", a->mta == AUDIT_SCHANNEL && a->windows ?
	    json_integer(a->windows) : json_null());
	arr = render_jcheck(json_array());
	for (i = 0; i < a->nsettings; i++) {
		json_t *s = render_jcheck(json_object());

		render_jset(s, "name", jstr(a->settings[i].name));
		render_jset(s, "value", jstr(a->settings[i].value));
		render_jset(s, "origin", jstr(a->settings[i].origin));
		render_jappend(arr, s);
	}
	render_jset(o, "settings", arr);
	render_jset(o, "client", json_audit_side(&a->client));
	render_jset(o, "server", json_audit_side(&a->server));
	return o;
}

static json_t *
json_report(const struct report *r)
{
	json_t *o = render_jcheck(json_object());
	json_t *arr;
	const struct finding **fv;
	char ts[RENDER_TIME_LEN];
	size_t i, n;

	render_jset(o, "mxdoctor", json_head(r));
	render_jset(o, "command", jstr(r->audit != NULL ? "audit" : "check"));
	render_jset(o, "profile", jstr(r->profile));
	render_jset(o, "started", jstr(render_time(r->started, ts)));
	render_jset(o, "elapsed_ms", json_integer(r->elapsed_ms));
	render_jset(o, "options", json_options(r));
	render_jset(o, "summary", json_summary(r));
	arr = render_jcheck(json_array());
	for (i = 0; i < r->ntargets; i++)
		render_jappend(arr, json_target(&r->targets[i]));
	render_jset(o, "targets", arr);
	arr = render_jcheck(json_array());
	for (i = 0; i < r->nsending; i++)
		render_jappend(arr, json_sending(&r->sending[i]));
	render_jset(o, "sending_ips", arr);
	render_jset(o, "audit", json_audit(r->audit));
	arr = render_jcheck(json_array());
	fv = render_findings_sorted(r, &n);
	for (i = 0; i < n; i++)
		render_jappend(arr, json_finding(fv[i]));
	free(fv);
	render_jset(o, "findings", arr);
	return o;
}

int
report_render_json(const struct report *r, FILE *out)
{
	json_t *doc = json_report(r);
	int rc = 0;

	if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == -1 ||
	    fputc('\n', out) == EOF ||
	    fflush(out) == EOF || ferror(out))
		rc = -1;
	json_decref(doc);
	return rc;
}
