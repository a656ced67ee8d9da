/* json: the --json document, field for field as docs/json.md describes it. */
#include "report/report.h"
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

/* jansson fails only on out-of-memory (strings are checked before they
 * reach it), so, like xalloc, stop rather than emit half a document. */
static json_t *
jcheck(json_t *v)
{
	if (v == NULL) {
		fputs("mxdoctor: out of memory (JSON)\n", stderr);
		abort();
	}
	return v;
}

static void
jset(json_t *obj, const char *key, json_t *v)
{
	if (json_object_set_new(obj, key, jcheck(v)) == -1)
		jcheck(NULL);
}

static void
jappend(json_t *arr, json_t *v)
{
	if (json_array_append_new(arr, jcheck(v)) == -1)
		jcheck(NULL);
}

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
		jcheck(NULL);
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
	json_t *arr = jcheck(json_array());
	size_t i;

	for (i = 0; i < sv->n; i++)
		jappend(arr, jstr(sv->v[i]));
	return arr;
}

static json_t *
json_ptr(const struct ptr_result *p)
{
	json_t *o = jcheck(json_object());

	jset(o, "status", jstr(dns_status_name(p->status)));
	jset(o, "names", jstrvec(&p->names));
	jset(o, "forward_confirmed", json_boolean(p->forward_confirmed));
	jset(o, "confirmed_name", jstr(p->confirmed_name));
	jset(o, "generic", json_boolean(p->generic));
	jset(o, "generic_reason", jstr(p->generic_why));
	return o;
}

static json_t *
json_dnsbl(const struct dnsbl_result *d, size_t n)
{
	json_t *arr = jcheck(json_array());
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = jcheck(json_object());

		jset(o, "zone", jstr(d[i].zone));
		jset(o, "query", jstr(d[i].query));
		jset(o, "verdict", jstr(dnsbl_verdict_name(d[i].verdict)));
		jset(o, "status", jstr(dns_status_name(d[i].status)));
		jset(o, "answer", jstr(d[i].answer));
		jset(o, "meaning", jstr(d[i].meaning));
		jset(o, "txt", jstr(d[i].txt));
		jappend(arr, o);
	}
	return arr;
}

static json_t *
json_smtp_error(const struct smtp_facts *s)
{
	json_t *o;

	if (s->error_class == NULL)
		return json_null();
	o = jcheck(json_object());
	jset(o, "class", jstr(s->error_class));
	jset(o, "step", jstr(s->error_step));
	jset(o, "code", jint(s->error_code, s->error_code != 0));
	jset(o, "detail", jstr(s->error_detail));
	return o;
}

static json_t *
json_smtp(const struct smtp_facts *s)
{
	json_t *o = jcheck(json_object());
	int greeted = s->greeting_code != 0;

	jset(o, "tried", json_boolean(s->tried));
	jset(o, "connected", json_boolean(s->connected));
	jset(o, "greeting_code", jint(s->greeting_code, greeted));
	jset(o, "greeting", jstr(s->greeting));
	jset(o, "greeting_name", jstr(s->greeting_name));
	jset(o, "greeting_ms", jint(s->greeting_ms, greeted));
	jset(o, "ehlo_code", jint(s->ehlo_code, s->ehlo_code != 0));
	jset(o, "capabilities", jstrvec(&s->capabilities));
	jset(o, "capabilities_tls", jstrvec(&s->capabilities_tls));
	jset(o, "starttls_offered", json_boolean(s->starttls_offered));
	jset(o, "starttls_code", jint(s->starttls_code, s->starttls_code != 0));
	jset(o, "starttls_reply", jstr(s->starttls_reply));
	jset(o, "error", json_smtp_error(s));
	return o;
}

static json_t *
json_cert(const struct cert_summary *c)
{
	json_t *o = jcheck(json_object());

	jset(o, "subject", jstr(c->subject));
	jset(o, "issuer", jstr(c->issuer));
	jset(o, "serial", jstr(c->serial));
	jset(o, "not_before", jstr(c->not_before));
	jset(o, "not_after", jstr(c->not_after));
	jset(o, "san", jstrvec(&c->san_dns));
	jset(o, "key_type", jstr(c->key_type));
	jset(o, "key_bits", jint(c->key_bits, c->key_bits > 0));
	jset(o, "signature_algorithm", jstr(c->sig_alg));
	jset(o, "sha256", jstr(c->sha256));
	jset(o, "self_signed", json_boolean(c->self_signed));
	jset(o, "is_ca", json_boolean(c->is_ca));
	return o;
}

static json_t *
json_chain(const struct chain_report *c)
{
	json_t *o = jcheck(json_object());
	json_t *certs = jcheck(json_array());
	size_t i;

	jset(o, "trusted", json_boolean(c->trusted));
	/* x509/ writes "ok" for X509_V_OK: that is no error. */
	jset(o, "verify_error", c->verify_error != 0 ?
	    jstr(c->verify_error_str) : json_null());
	jset(o, "self_signed", json_boolean(c->self_signed_leaf));
	jset(o, "untrusted_root", json_boolean(c->untrusted_root));
	jset(o, "incomplete_chain", json_boolean(c->incomplete));
	jset(o, "missing_issuer", jstr(c->missing_issuer));
	jset(o, "name_match", json_boolean(c->name_ok));
	jset(o, "matched_name", jstr(c->matched_name));
	jset(o, "expired", json_boolean(c->expired));
	jset(o, "not_yet_valid", json_boolean(c->not_yet_valid));
	/* Unknown when the leaf's notAfter could not be parsed. */
	jset(o, "days_left", jint(c->days_left, c->ncerts > 0 &&
	    c->certs[0].not_after != NULL));
	jset(o, "weak_key", json_boolean(c->weak_key));
	jset(o, "weak_key_detail", jstr(c->weak_key_detail));
	jset(o, "weak_signature", json_boolean(c->weak_sig));
	jset(o, "weak_signature_detail", jstr(c->weak_sig_detail));
	for (i = 0; i < c->ncerts; i++)
		jappend(certs, json_cert(&c->certs[i]));
	jset(o, "chain", certs);
	return o;
}

static json_t *
json_tls(const struct tls_facts *t)
{
	json_t *o;

	if (!t->tried)
		return json_null();
	o = jcheck(json_object());
	jset(o, "ok", json_boolean(t->ok));
	jset(o, "sni", jstr(t->sni));
	jset(o, "version", jstr(t->version));
	jset(o, "cipher", jstr(t->cipher));
	jset(o, "cipher_openssl", jstr(t->cipher_openssl));
	jset(o, "bits", jint(t->bits, t->bits > 0));
	jset(o, "group", jstr(t->group));
	jset(o, "error", jstr(t->error));
	jset(o, "certificate", t->have_chain ? json_chain(&t->chain) :
	    json_null());
	jset(o, "tickets", jint(t->tickets, t->tickets_known));
	jset(o, "tickets_early", json_boolean(t->tickets_early));
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
	o = jcheck(json_object());
	jset(o, "version", jstr(p->version));
	jset(o, "tested", json_boolean(p->tested));
	jset(o, "accepted", json_boolean(p->accepted));
	jset(o, "suite", jstr(p->suite));
	jset(o, "group", jstr(p->group));
	jset(o, "dh_bits", jint(p->dh_bits, p->dh_bits > 0));
	jset(o, "detail", jstr(p->detail));
	return o;
}

static json_t *
json_scan_versions(const struct tls_scan_facts *f)
{
	json_t *arr = jcheck(json_array());
	int i;

	for (i = 5; i >= 0; i--) {
		const struct tls_version_fact *v = &f->v[i];
		json_t *o = jcheck(json_object());

		jset(o, "version", jstr(scan_versions[i]));
		jset(o, "tested", json_boolean(v->tested));
		jset(o, "accepted", json_boolean(v->accepted));
		jset(o, "from_session", json_boolean(v->from_session));
		jset(o, "verdict", jstr(v->verdict));
		jset(o, "detail", jstr(v->detail));
		jset(o, "suite", jstr(v->suite));
		jappend(arr, o);
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
	o = jcheck(json_object());
	probes = jcheck(json_array());
	jset(o, "name", jstr(f->profile));
	jset(o, "status", jstr(f->profile_status));
	jset(o, "version", jstr(f->profile_version));
	jset(o, "suite", jstr(f->profile_suite));
	jset(o, "reason", jstr(f->profile_reason));
	jset(o, "no_overlap", json_boolean(f->no_overlap));
	for (i = 5; i >= 0; i--)
		if (f->profile_pick[i].version != NULL)
			jappend(probes, json_pick(&f->profile_pick[i]));
	jset(o, "probes", probes);
	return o;
}

static json_t *
json_scan_sni(const struct tls_scan_facts *f)
{
	json_t *o;

	if (!f->nosni_tried)
		return json_null();
	o = jcheck(json_object());
	jset(o, "ok", json_boolean(f->nosni_ok));
	jset(o, "error", jstr(f->nosni_error));
	jset(o, "certificate", f->nosni_have_chain ?
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
	arr = jcheck(json_array());
	for (i = 0; i < f->nlists; i++) {
		const struct tls_cipher_list *l = &f->lists[i];
		json_t *o = jcheck(json_object());

		jset(o, "version", jstr(l->version));
		jset(o, "order", jstr(l->order));
		jset(o, "complete", json_boolean(l->complete));
		jset(o, "error", jstr(l->error));
		jset(o, "suites", jstrvec(&l->suites));
		jappend(arr, o);
	}
	return arr;
}

static json_t *
json_scan(const struct tls_scan_facts *f)
{
	json_t *o, *t, *p;

	if (!f->tried)
		return json_null();
	o = jcheck(json_object());
	jset(o, "connections", json_integer(f->connections));
	jset(o, "rate_limited", json_boolean(f->rate_limited));
	jset(o, "stopped", jstr(f->stopped));
	jset(o, "versions", json_scan_versions(f));
	if (f->typical_suite != NULL) {
		t = jcheck(json_object());
		jset(t, "version", jstr(f->typical_version));
		jset(t, "suite", jstr(f->typical_suite));
		jset(t, "forward_secret", json_boolean(f->typical_fs));
		jset(t, "weak", json_boolean(f->typical_weak));
	} else
		t = json_null();
	jset(o, "typical", t);
	p = jcheck(json_object());
	jset(p, "weak", json_pick(&f->weak));
	jset(p, "dhe", json_pick(&f->dhe));
	jset(p, "forward_secret", json_pick(&f->fs));
	jset(o, "probes", p);
	jset(o, "profile", json_scan_profile(f));
	jset(o, "without_sni", json_scan_sni(f));
	jset(o, "ciphers", json_scan_ciphers(f));
	return o;
}

static json_t *
json_address(const struct addr_result *a)
{
	json_t *o = jcheck(json_object());

	jset(o, "address", jstr(a->address));
	jset(o, "family", jstr(a->addr.family == AF_INET6 ? "ipv6" : "ipv4"));
	jset(o, "port", json_integer(a->port));
	jset(o, "mode", jstr(smtp_mode_name(a->mode)));
	jset(o, "connections", json_integer(a->connections));
	jset(o, "ptr", json_ptr(&a->ptr));
	jset(o, "dnsbl", json_dnsbl(a->dnsbl, a->ndnsbl));
	jset(o, "smtp", json_smtp(&a->smtp));
	jset(o, "tls", json_tls(&a->tls));
	jset(o, "tls_scan", json_scan(&a->scan));
	return o;
}

static json_t *
json_host(const struct host_result *h)
{
	json_t *o = jcheck(json_object());
	json_t *addrs = jcheck(json_array());
	/* An address literal was not looked up: no A/AAAA status. */
	int looked_up = h->name != NULL;
	size_t i;

	jset(o, "name", jstr(h->name));
	jset(o, "preference", jint(h->preference, h->preference >= 0));
	jset(o, "a_status", looked_up ? jstr(dns_status_name(h->a_status)) :
	    json_null());
	jset(o, "aaaa_status", looked_up ?
	    jstr(dns_status_name(h->aaaa_status)) : json_null());
	for (i = 0; i < h->naddrs; i++)
		jappend(addrs, json_address(&h->addrs[i]));
	jset(o, "addresses", addrs);
	return o;
}

static json_t *
json_target(const struct target_result *t)
{
	json_t *o = jcheck(json_object());
	json_t *hosts = jcheck(json_array());
	size_t i;

	jset(o, "target", jstr(t->target));
	jset(o, "kind", jstr(target_kind_name(t->kind)));
	jset(o, "domain", jstr(t->domain));
	jset(o, "port", json_integer(t->port));
	jset(o, "mode", jstr(smtp_mode_name(t->mode)));
	jset(o, "mx_status", t->kind == TARGET_DOMAIN ?
	    jstr(dns_status_name(t->mx_status)) : json_null());
	jset(o, "null_mx", json_boolean(t->null_mx));
	jset(o, "mx_fallback", json_boolean(t->mx_fallback));
	for (i = 0; i < t->nhosts; i++)
		jappend(hosts, json_host(&t->hosts[i]));
	jset(o, "hosts", hosts);
	return o;
}

static json_t *
json_sending(const struct addr_result *a)
{
	json_t *o = jcheck(json_object());

	jset(o, "address", jstr(a->address));
	jset(o, "ptr", json_ptr(&a->ptr));
	jset(o, "dnsbl", json_dnsbl(a->dnsbl, a->ndnsbl));
	return o;
}

static json_t *
json_finding(const struct finding *f)
{
	json_t *o = jcheck(json_object());

	jset(o, "id", jstr(f->id));
	jset(o, "severity", jstr(severity_name(f->severity)));
	jset(o, "host", jstr(f->host));
	jset(o, "address", jstr(f->address));
	jset(o, "port", jint(f->port, f->port != 0));
	jset(o, "message", jstr(f->message ? f->message : ""));
	jset(o, "evidence", jstr(f->evidence ? f->evidence : ""));
	jset(o, "fix", jstr(f->fix ? f->fix : ""));
	return o;
}

static json_t *
json_head(const struct report *r)
{
	json_t *o = jcheck(json_object());

	jset(o, "version", jstr(r->version ? r->version : MXD_VERSION));
	jset(o, "schema", json_integer(JSON_SCHEMA));
	return o;
}

static json_t *
json_options(const struct report *r)
{
	json_t *o = jcheck(json_object());

	jset(o, "ehlo", jstr(r->ehlo_name));
	jset(o, "resolver", jstr(r->resolver));
	jset(o, "timeout_ms", json_integer(r->timeout_ms));
	jset(o, "greeting_timeout_ms", json_integer(r->greeting_timeout_ms));
	return o;
}

static json_t *
json_summary(const struct report *r)
{
	json_t *o = jcheck(json_object());

	jset(o, "errors", json_integer((json_int_t)report_count(r, SEV_ERROR)));
	jset(o, "warnings",
	    json_integer((json_int_t)report_count(r, SEV_WARNING)));
	jset(o, "infos", json_integer((json_int_t)report_count(r, SEV_INFO)));
	jset(o, "exit_status", json_integer(report_exit_status(r)));
	jset(o, "connections", json_integer(r->connections));
	jset(o, "dns_queries", json_integer(r->dns_queries));
	jset(o, "incomplete", json_boolean(r->incomplete));
	jset(o, "incomplete_reason", r->incomplete ?
	    jstr(r->incomplete_why) : json_null());
	return o;
}

static json_t *
json_report(const struct report *r)
{
	json_t *o = jcheck(json_object());
	json_t *arr;
	const struct finding **fv;
	char ts[RENDER_TIME_LEN];
	size_t i, n;

	jset(o, "mxdoctor", json_head(r));
	jset(o, "profile", jstr(r->profile));
	jset(o, "started", jstr(render_time(r->started, ts)));
	jset(o, "elapsed_ms", json_integer(r->elapsed_ms));
	jset(o, "options", json_options(r));
	jset(o, "summary", json_summary(r));
	arr = jcheck(json_array());
	for (i = 0; i < r->ntargets; i++)
		jappend(arr, json_target(&r->targets[i]));
	jset(o, "targets", arr);
	arr = jcheck(json_array());
	for (i = 0; i < r->nsending; i++)
		jappend(arr, json_sending(&r->sending[i]));
	jset(o, "sending_ips", arr);
	arr = jcheck(json_array());
	fv = render_findings_sorted(r, &n);
	for (i = 0; i < n; i++)
		jappend(arr, json_finding(fv[i]));
	free(fv);
	jset(o, "findings", arr);
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
