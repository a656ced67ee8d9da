/* audit_judge: a configuration model against a receiver profile: config.* and cert.* findings. */
#include "audit/audit.h"
#include "check/eval.h"
#include "tls/suites.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/*
 * Two roles.  Client side: the user's MTA sends to the profile's servers,
 * which accept the profile's versions and suites (Microsoft documents one
 * list for Office 365 as a whole).  Server side: the profile's client
 * connects to the user's MTA; tls_profile_negotiate() says what it gets.
 *
 * Severity follows what really happens (docs/findings.md): an MTA sending
 * with opportunistic TLS retries in plaintext after a failed handshake
 * (Postfix smtp_tls_security_level = may), so a client that cannot reach
 * Microsoft's TLS is delayed, not stopped: warning; with mandatory TLS the
 * mail stays in the queue: error.  Microsoft's client does not fall back
 * after a failed STARTTLS, so a server problem is an error either way.
 */

#define PEM_FILE_MAX	(1024 * 1024)	/* a chain file is a few KiB */
#define CHAIN_MAX	16

static const char *
side_name(bool server)
{
	return server ? "server" : "client";
}

/* "TLSv1, TLSv1.1" for a mask; "none" for 0. */
static void
versions_text(unsigned mask, char *out, size_t size)
{
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < TLS_NVERSIONS; i++) {
		if (!(mask & (1u << i)))
			continue;
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%s",
		    o ? ", " : "", tls_version_name(tls_version_at(i)));
	}
	if (o == 0)
		snprintf(out, size, "none");
}

static bool
has_v(unsigned mask, uint16_t v)
{
	return (mask & tls_version_bit(v)) != 0;
}

static bool
shares(const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
	size_t i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (a[i] == b[j])
				return true;
	return false;
}

/* Informational: old versions and weak suites.  Neither breaks mail with
 * Microsoft. */
static void
judge_legacy(struct report *r, const struct audit_side *s, bool server)
{
	unsigned old = tls_version_bit(0x0300) | tls_version_bit(0x0301) |
	    tls_version_bit(0x0302) | tls_version_bit(0x0002);
	char ev[512], vt[128];
	size_t i, o = 0;

	if (s->versions_known && (s->versions & old) &&
	    (s->versions & ~old)) {
		versions_text(s->versions & old, vt, sizeof(vt));
		snprintf(ev, sizeof(ev), "%s allows %s",
		    s->versions_from ? s->versions_from : "the configuration", vt);
		report_add_finding(r, "config.old_protocols", SEV_INFO,
		    side_name(server), NULL, 0, ev, NULL,
		    "The %s side also allows %s", side_name(server), vt);
	}
	if (!s->suites_known)
		return;
	ev[0] = '\0';
	for (i = 0; i < s->nsuites; i++) {
		const struct tls_suite *t = tls_suite_by_code(s->suites[i]);

		if (t == NULL || !(t->flags & (TLS_SUITE_WEAK | TLS_SUITE_ANON)))
			continue;
		if (o > sizeof(ev) - 80) {
			snprintf(ev + o, sizeof(ev) - o, " ...");
			break;
		}
		o += (size_t)snprintf(ev + o, sizeof(ev) - o, "%s%s",
		    o ? ", " : "", t->name);
	}
	if (o > 0)
		report_add_finding(r, "config.weak_ciphers", SEV_INFO,
		    side_name(server), NULL, 0, ev, NULL,
		    "The %s side allows weak cipher suites (%s)",
		    side_name(server), s->suites_from ? s->suites_from :
		    "configuration");
}

/* The first of the profile's suites (its servers' order: Office 365
 * picks by its own list) that the side offers, or 0. */
static uint16_t
profile_pick(const uint16_t *prof, size_t np, const uint16_t *side,
    size_t ns)
{
	size_t i, j;

	for (i = 0; i < np; i++)
		for (j = 0; j < ns; j++)
			if (prof[i] == side[j])
				return prof[i];
	return 0;
}

static const char *
suite_name(uint16_t code)
{
	const struct tls_suite *t = tls_suite_by_code(code);

	return t != NULL ? t->name : "?";
}

/* What the profile's servers would give this client (suites known). */
static char *
client_verdict(const struct audit_side *s, const struct tls_profile *p,
    unsigned common)
{
	const uint16_t *ps;
	uint16_t v12 = 0, v13 = 0;
	size_t n;

	ps = tls_profile_suites(p, 0x0303, &n);
	if (has_v(common, 0x0303))
		v12 = profile_pick(ps, n, s->suites, s->nsuites);
	ps = tls_profile_suites(p, 0x0304, &n);
	if (has_v(common, 0x0304))
		v13 = n > 0 ? profile_pick(ps, n, s->suites13, s->nsuites13) :
		    (s->nsuites13 > 0 ? s->suites13[0] : 0);
	if (v12 == 0 && v13 == 0)
		return xasprintf("%s's servers would share no TLS version and "
		    "suite with it", tls_profile_name(p));
	if (v12 != 0 && v13 != 0)
		return xasprintf("%s's servers would accept TLSv1.2 with %s, "
		    "TLSv1.3 with %s where they offer it", tls_profile_name(p),
		    suite_name(v12), suite_name(v13));
	if (v12 != 0)
		return xasprintf("%s's servers would accept TLSv1.2 with %s",
		    tls_profile_name(p), suite_name(v12));
	return xasprintf("%s's servers would accept only TLSv1.3 (with %s), "
	    "which they do not document", tls_profile_name(p), suite_name(v13));
}

static void
judge_client(struct report *r, struct audit_result *a,
    const struct tls_profile *p)
{
	struct audit_side *s = &a->client;
	unsigned pv = tls_profile_versions(p), common;
	bool mandatory = s->use == AUDIT_TLS_MANDATORY;
	bool shared13 = false, shared12 = false;
	const uint16_t *ps;
	char ev[768], vt[128], pt[128];
	size_t n;

	if (!s->present)
		return;
	if (s->use == AUDIT_TLS_OFF) {
		snprintf(ev, sizeof(ev), "%s", s->use_from ? s->use_from :
		    "TLS is off");
		report_add_finding(r, "config.client_tls_off", SEV_WARNING,
		    "client", NULL, 0, ev, NULL,
		    "Your MTA sends all mail without TLS");
		return;
	}
	judge_legacy(r, s, false);
	if (!s->versions_known)
		return;
	common = s->versions & pv;
	/* What the client shares with the profile's servers, per version. */
	if (s->suites_known) {
		ps = tls_profile_suites(p, 0x0304, &n);
		shared13 = has_v(common, 0x0304) &&
		    (n == 0 || shares(s->suites13, s->nsuites13, ps, n));
		ps = tls_profile_suites(p, 0x0303, &n);
		shared12 = has_v(common, 0x0303) && n > 0 &&
		    shares(s->suites, s->nsuites, ps, n);
	} else {
		shared13 = has_v(common, 0x0304);
		shared12 = has_v(common, 0x0303);
	}
	versions_text(s->versions, vt, sizeof(vt));
	versions_text(pv, pt, sizeof(pt));
	if (s->suites_known)
		s->verdict = client_verdict(s, p, common);
	if (common == 0 || (has_v(pv, 0x0303) && !has_v(s->versions, 0x0303))) {
		enum severity sev = common == 0 && mandatory ? SEV_ERROR :
		    SEV_WARNING;

		snprintf(ev, sizeof(ev), "%s -> %s; %s accepts %s; %s",
		    s->versions_from ? s->versions_from : "configuration", vt,
		    tls_profile_name(p), pt, s->use_from ? s->use_from : "");
		report_add_finding(r, "config.client_no_tls12", sev, "client",
		    NULL, 0, ev, NULL, "%s",
		    common == 0 ? (mandatory ?
		    "Your MTA requires TLS but cannot use any TLS version the receiver accepts: mail stays in the queue" :
		    "Your MTA cannot use any TLS version the receiver accepts: mail is delayed and sent in plaintext") :
		    "Your MTA cannot send with TLS 1.2, only with TLS 1.3, which Microsoft does not document for its receiving servers");
		return;
	}
	if (s->suites_known && has_v(common, 0x0303) && !shared12) {
		enum severity sev = mandatory && !shared13 ? SEV_ERROR :
		    SEV_WARNING;

		snprintf(ev, sizeof(ev), "%s: none of %s's TLS 1.2 suites "
		    "(e.g. TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)%s",
		    s->suites_from ? s->suites_from : "cipher list",
		    tls_profile_name(p), shared13 ?
		    "; TLS 1.3 suites are still shared" : "");
		report_add_finding(r, "config.client_no_shared_cipher", sev,
		    "client", NULL, 0, ev, NULL,
		    "Your MTA offers no TLS 1.2 cipher suite the receiver accepts");
	}
}

static void
judge_server_tls(struct report *r, struct audit_result *a,
    const struct tls_profile *p)
{
	struct audit_side *s = &a->server;
	struct tls_server_view view;
	struct tls_negotiation neg;
	unsigned pv = tls_profile_versions(p);
	char ev[768], vt[128], pt[128];
	int i12 = tls_version_index(0x0303), i13 = tls_version_index(0x0304);
	int i;

	if (!s->versions_known)
		return;
	memset(&view, 0, sizeof(view));
	view.versions = s->versions;
	if (s->suites_known) {
		/* The same list serves every version up to TLS 1.2. */
		for (i = 0; i < TLS_NVERSIONS; i++) {
			if (i == i13 || !(s->versions & (1u << i)))
				continue;
			view.v[i].known = true;
			view.v[i].suites = s->suites;
			view.v[i].n = s->nsuites;
			view.v[i].order = s->server_order ? TLS_ORDER_SERVER :
			    TLS_ORDER_CLIENT;
		}
		if (s->versions & (1u << i13)) {
			view.v[i13].known = true;
			view.v[i13].suites = s->suites13;
			view.v[i13].n = s->nsuites13;
			view.v[i13].order = TLS_ORDER_CLIENT;
		}
	}
	tls_profile_negotiate(p, &view, &neg);
	if (neg.status == TLS_NEG_OK)
		s->verdict = xasprintf("%s would deliver over %s with %s",
		    tls_profile_name(p), tls_version_name(neg.version),
		    suite_name(neg.suite));
	else if (neg.status == TLS_NEG_UNKNOWN)
		s->verdict = xasprintf("%s would use %s; the suites are not "
		    "known", tls_profile_name(p), tls_version_name(neg.version) ?
		    tls_version_name(neg.version) : "?");
	else
		s->verdict = xasprintf("%s would fail: %s", tls_profile_name(p),
		    neg.reason);
	versions_text(s->versions, vt, sizeof(vt));
	versions_text(pv, pt, sizeof(pt));
	if (neg.status == TLS_NEG_NO_VERSION) {
		snprintf(ev, sizeof(ev), "%s -> %s; %s's client offers %s",
		    s->versions_from ? s->versions_from : "configuration", vt,
		    tls_profile_name(p), pt);
		report_add_finding(r, "config.server_no_tls12", SEV_ERROR,
		    "server", NULL, 0, ev, NULL,
		    "Your MTA accepts no TLS version the sender uses: every STARTTLS handshake with it fails");
		return;
	}
	if (has_v(pv, 0x0303) && !has_v(s->versions, 0x0303)) {
		snprintf(ev, sizeof(ev), "%s -> %s; %s's client offers %s",
		    s->versions_from ? s->versions_from : "configuration", vt,
		    tls_profile_name(p), pt);
		report_add_finding(r, "config.server_no_tls12", SEV_WARNING,
		    "server", NULL, 0, ev, NULL,
		    "Your MTA does not accept TLS 1.2; only TLS 1.3 is left in common with the sender");
	}
	if (neg.status == TLS_NEG_NO_SUITE) {
		snprintf(ev, sizeof(ev), "%s; %s", s->suites_from ?
		    s->suites_from : "cipher list", neg.reason);
		report_add_finding(r, "config.server_no_shared_cipher",
		    SEV_ERROR, "server", NULL, 0, ev, NULL,
		    "Your MTA accepts none of the cipher suites the sender offers in %s",
		    tls_version_name(neg.version) ? tls_version_name(neg.version) : "?");
	} else if (s->suites_known && has_v(s->versions, 0x0303) &&
	    has_v(pv, 0x0303) && neg.status == TLS_NEG_OK &&
	    neg.version == 0x0304) {
		/* Negotiation is fine in 1.3; TLS 1.2 alone would fail. */
		size_t n;
		const uint16_t *ps = tls_profile_suites(p, 0x0303, &n);

		if (n > 0 && !shares(s->suites, s->nsuites, ps, n)) {
			snprintf(ev, sizeof(ev), "%s: none of %s's TLS 1.2 suites; "
			    "TLS 1.3 still works", s->suites_from ?
			    s->suites_from : "cipher list", tls_profile_name(p));
			report_add_finding(r, "config.server_no_shared_cipher",
			    SEV_WARNING, "server", NULL, 0, ev, NULL,
			    "Your MTA accepts no TLS 1.2 suite the sender offers");
		}
	}
	(void)i12;
}

/*
 * Certificate files.
 */

/* Reads every certificate of a PEM file (at most CHAIN_MAX) and, when
 * want_key, the first private key.  Returns NULL with why set on a file
 * that cannot be used. */
static STACK_OF(X509) *
load_pem(const char *path, bool want_key, EVP_PKEY **key, char *why,
    size_t whysize)
{
	STACK_OF(X509) *sk = NULL;
	STACK_OF(X509_INFO) *infos = NULL;
	struct stat st;
	BIO *bio = NULL;
	int i;

	if (key != NULL)
		*key = NULL;
	if (stat(path, &st) == -1) {
		snprintf(why, whysize, "%s", strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whysize, "not a regular file");
		return NULL;
	}
	if (st.st_size > PEM_FILE_MAX) {
		snprintf(why, whysize, "larger than %d bytes", PEM_FILE_MAX);
		return NULL;
	}
	if ((bio = BIO_new_file(path, "r")) == NULL) {
		snprintf(why, whysize, "cannot open: %s", strerror(errno));
		goto out;
	}
	infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, (void *)"");
	if (infos == NULL) {
		snprintf(why, whysize, "not PEM");
		goto out;
	}
	sk = sk_X509_new_null();
	for (i = 0; i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *xi = sk_X509_INFO_value(infos, i);

		if (xi->x509 != NULL && sk_X509_num(sk) < CHAIN_MAX) {
			X509_up_ref(xi->x509);
			sk_X509_push(sk, xi->x509);
		}
		if (want_key && key != NULL && *key == NULL &&
		    xi->x_pkey != NULL && xi->x_pkey->dec_pkey != NULL) {
			EVP_PKEY_up_ref(xi->x_pkey->dec_pkey);
			*key = xi->x_pkey->dec_pkey;
		}
	}
	why[0] = '\0';
out:
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	BIO_free(bio);
	ERR_clear_error();
	return sk;
}

static void
cert_file_finding(struct report *r, const char *from, const char *path,
    const char *what, const char *why)
{
	char *p = str_escape(path, strlen(path), 512);
	char ev[1024];

	snprintf(ev, sizeof(ev), "%s: %s: %s", from ? from : "configuration",
	    p, why);
	report_add_finding(r, "config.cert_file", SEV_ERROR, "server", NULL, 0,
	    ev, NULL, "The %s file cannot be used", what);
	free(p);
}

/* Leaf first, then each certificate's issuer: RFC 5246 7.4.2 order. */
static bool
chain_ordered(STACK_OF(X509) *sk, int *bad)
{
	int i;

	for (i = 0; i + 1 < sk_X509_num(sk); i++)
		if (X509_check_issued(sk_X509_value(sk, i + 1),
		    sk_X509_value(sk, i)) != X509_V_OK) {
			*bad = i + 1;
			return false;
		}
	return true;
}

static void
judge_cert(struct report *r, const struct audit_result *a,
    const struct audit_cert *c, struct x509_trust *t, STACK_OF(X509) *pool,
    time_t now)
{
	STACK_OF(X509) *chain = NULL, *keysk = NULL;
	EVP_PKEY *key = NULL;
	struct addr_result fake;
	char why[256], ev[1024];
	const char *name = a->hostname;
	size_t n0, i;
	int bad;

	if (c->cert_file == NULL || *c->cert_file == '\0')
		return;
	chain = load_pem(c->cert_file, c->key_file == NULL ||
	    strcmp(c->key_file, c->cert_file) == 0, &key, why, sizeof(why));
	if (chain == NULL || sk_X509_num(chain) == 0) {
		cert_file_finding(r, c->from, c->cert_file, "certificate",
		    chain == NULL ? why : "no certificate in it");
		goto out;
	}
	if (key == NULL && c->key_file != NULL && *c->key_file != '\0') {
		keysk = load_pem(c->key_file, true, &key, why, sizeof(why));
		if (keysk == NULL || key == NULL) {
			cert_file_finding(r, c->from, c->key_file, "private key",
			    keysk == NULL ? why : "no private key in it");
			goto certs;
		}
	}
	if (key != NULL && X509_check_private_key(sk_X509_value(chain, 0),
	    key) != 1) {
		char *p = str_escape(c->key_file ? c->key_file : c->cert_file,
		    strlen(c->key_file ? c->key_file : c->cert_file), 512);

		snprintf(ev, sizeof(ev), "%s: key %s does not match the leaf's public key",
		    c->from ? c->from : "configuration", p);
		free(p);
		report_add_finding(r, "config.key_mismatch", SEV_ERROR,
		    "server", NULL, 0, ev, NULL,
		    "The private key does not belong to the certificate");
		ERR_clear_error();
	}
certs:
	if (!chain_ordered(chain, &bad)) {
		char *p = str_escape(c->cert_file, strlen(c->cert_file), 512);

		snprintf(ev, sizeof(ev), "%s: certificate %d of %d does not "
		    "issue the one before it", p, bad + 1, sk_X509_num(chain));
		free(p);
		report_add_finding(r, "config.chain_order", SEV_WARNING,
		    "server", NULL, 0, ev, NULL,
		    "The certificate file is not in leaf-to-root order");
	}
	/* The certificate's contents: the same verdicts as `check`, with
	 * the file named in the evidence. */
	memset(&fake, 0, sizeof(fake));
	if (x509_analyze(t, chain, pool, name, now, &fake.tls.chain) == 0) {
		fake.tls.have_chain = true;
		fake.tls.ok = true;
		n0 = r->nfindings;
		eval_cert(r, name, &fake);
		for (i = n0; i < r->nfindings; i++) {
			struct finding *f = &r->findings[i];
			char *p = str_escape(c->cert_file, strlen(c->cert_file),
			    512);
			char *e = xasprintf("%s: %s", p, f->evidence ?
			    f->evidence : "");

			free(p);
			free(f->evidence);
			f->evidence = e;
			free(f->host);
			f->host = xstrdup("server");
		}
		chain_report_clear(&fake.tls.chain);
	}
out:
	EVP_PKEY_free(key);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(keysk, X509_free);
}

static void
judge_server(struct report *r, struct audit_result *a,
    const struct tls_profile *p, struct x509_trust *t, time_t now)
{
	const struct audit_side *s = &a->server;
	STACK_OF(X509) *pool = NULL;
	char ev[512], why[256];
	size_t i;

	if (!s->present)
		return;
	if (s->use == AUDIT_TLS_OFF) {
		snprintf(ev, sizeof(ev), "%s", s->use_from ? s->use_from :
		    "TLS is off");
		report_add_finding(r, "config.server_tls_off", SEV_WARNING,
		    "server", NULL, 0, ev, NULL,
		    "Your MTA does not offer STARTTLS");
		return;
	}
	/* Schannel keeps certificates in the Windows store, and Exim 4.92+
	 * makes itself a self-signed certificate when tls_certificate is
	 * unset (Exim spec, tls_certificate): only Postfix and Sendmail
	 * offer no STARTTLS without a configured pair. */
	if (s->ncerts == 0 && (a->mta == AUDIT_POSTFIX ||
	    a->mta == AUDIT_SENDMAIL)) {
		snprintf(ev, sizeof(ev), "%s, but no certificate and key are "
		    "configured", s->use_from ? s->use_from : "TLS on");
		report_add_finding(r, "config.server_tls_off", SEV_WARNING,
		    "server", NULL, 0, ev, NULL,
		    "Your MTA cannot offer STARTTLS without a certificate");
		return;
	}
	judge_legacy(r, s, true);
	judge_server_tls(r, a, p);
	if (s->ca_file != NULL && *s->ca_file != '\0')
		pool = load_pem(s->ca_file, false, NULL, why, sizeof(why));
	for (i = 0; i < s->ncerts; i++)
		judge_cert(r, a, &s->certs[i], t, pool, now);
	for (i = 0; i < s->ncerts_sni; i++)
		judge_cert(r, a, &s->certs_sni[i], t, pool, now);
	sk_X509_pop_free(pool, X509_free);
}

void
audit_judge(struct report *r, struct audit_result *a,
    const struct tls_profile *p, struct x509_trust *t, time_t now)
{
	judge_client(r, a, p);
	judge_server(r, a, p, t, now);
}
