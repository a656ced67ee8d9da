/* fix_exim: Exim main-section and smtp-transport settings for the profile, complete or per finding. */
#include "fix/fix.h"
#include "audit/audit_gnutls.h"
#include "tls/suites.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Exim's TLS library decides the syntax: with GnuTLS (Debian's exim4)
 * tls_require_ciphers is a GnuTLS priority string that sets versions
 * and suites; with OpenSSL versions come from openssl_options (main
 * section only, both directions, items added to or removed from Exim's
 * default) and tls_require_ciphers is an OpenSSL cipher list, best left
 * unset (the library default includes Microsoft's ECDHE-RSA AES-GCM
 * suites).  An audit report records the library as the setting
 * "tls_library"; without one the GnuTLS form is written with the
 * OpenSSL one as a step for a person.  Exim refuses openssl_options in
 * a GnuTLS build and an option set twice: the renderer says to replace.
 */

#define EX_SPEC		"Exim specification 4.96, chapter 43 (43.4 OpenSSL cipher lists, 43.5 GnuTLS priority strings) and the main-section options tls_require_ciphers, openssl_options, tls_advertise_hosts"
#define EX_SPEC_OPTS	"Exim specification 4.96: openssl_options (default \"+no_sslv2 +no_sslv3 +single_dh_use +no_ticket +no_renegotiation\"; items are added to or removed from it)"
#define EX_SPEC_ADV	"Exim specification 4.96: tls_advertise_hosts (default *), tls_certificate, tls_privatekey"
#define EX_SPEC_SMTP	"Exim specification 4.96, smtp transport: hosts_avoid_tls, hosts_require_tls, tls_require_ciphers, tls_tempfail_tryclear"
#define EX_GNUTLS	"GnuTLS manual, \"Priority strings\" (NORMAL, -VERS-ALL, +VERS-TLS1.2); Exim's tls-gnu.c uses NORMAL when tls_require_ciphers is unset"
#define MS_ENC		"Microsoft Learn, \"Technical reference details about encryption\" (TLS 1.2; the ECDHE-RSA and RSA AES suites)"
#define MS_TLS		"Microsoft Learn, \"How Exchange Online uses TLS to secure email connections\""
#define MS_NOFB		"Exchange Online does not fall back to plaintext after a failed STARTTLS (golang/go#70232, mjl-/mox#237, albertito/chasquid#64)"

enum ex_lib { EXL_UNKNOWN, EXL_GNUTLS, EXL_OPENSSL };

static enum ex_lib
ex_lib(const struct fix_ctx *c)
{
	const char *v = c->setting != NULL ? c->setting(c, "tls_library") :
	    NULL;

	if (v == NULL)
		return EXL_UNKNOWN;
	if (strcasecmp(v, "gnutls") == 0 || strncasecmp(v, "GnuTLS", 6) == 0)
		return EXL_GNUTLS;
	if (strcasecmp(v, "openssl") == 0 || strncasecmp(v, "OpenSSL", 7) == 0)
		return EXL_OPENSSL;
	return EXL_UNKNOWN;
}

/* The transport the audit read (audit.client_transport), else Exim's
 * usual remote_smtp; only a plain driver name is used. */
static char *
ex_transport(const struct fix_ctx *c)
{
	const char *t = c->setting != NULL ?
	    c->setting(c, "audit.client_transport") : NULL;
	size_t i;

	if (t == NULL || *t == '\0' || strlen(t) > 64 ||
	    strcmp(t, "none") == 0)
		return xstrdup("transport remote_smtp");
	for (i = 0; t[i] != '\0'; i++)
		if (!isalnum((unsigned char)t[i]) && t[i] != '_' && t[i] != '-')
			return xstrdup("transport remote_smtp");
	return xasprintf("transport %s", t);
}

/* "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" for the profile's
 * versions from vmin up to TLS 1.3 (a server keeps the newest). */
static char *
ex_priority(const struct fix_ctx *c)
{
	static const struct { uint16_t v; const char *kw; } vers[] = {
		{ TLS_V_TLS13, "+VERS-TLS1.3" }, { TLS_V_TLS12, "+VERS-TLS1.2" },
		{ TLS_V_TLS11, "+VERS-TLS1.1" }, { TLS_V_TLS10, "+VERS-TLS1.0" },
	};
	char buf[160];
	size_t i, o;

	o = (size_t)snprintf(buf, sizeof(buf), "NORMAL:-VERS-ALL");
	for (i = 0; i < sizeof(vers) / sizeof(vers[0]); i++)
		if (vers[i].v >= c->vmin && o < sizeof(buf))
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, ":%s",
			    vers[i].kw);
	return xstrdup(buf);
}

/* What this machine's GnuTLS makes of the string, for the reason text:
 * whether it keeps the profile's suites. */
static char *
ex_priority_check(const struct fix_ctx *c, const char *prio)
{
	struct audit_gnutls_result g;
	const uint16_t *ps;
	char *err = NULL, lbl[16];
	size_t n, i, j, have = 0;
	bool first;

	if (audit_gnutls_expand(prio, &g, &err) == -1) {
		char *t = xasprintf("GnuTLS %s here rejects it (%s): check it "
		    "with the GnuTLS Exim links.", audit_gnutls_version(), err);

		free(err);
		return t;
	}
	if (c->o->profile == NULL)
		return xasprintf("GnuTLS %s here expands it to %zu suites.",
		    audit_gnutls_version(), g.nsuites + g.nsuites13);
	ps = tls_profile_suites(c->o->profile, TLS_V_TLS12, &n);
	for (i = 0; i < n; i++)
		for (j = 0; j < g.nsuites; j++)
			if (ps[i] == g.suites[j]) {
				have++;
				break;
			}
	first = false;
	for (j = 0; n > 0 && j < g.nsuites; j++)
		first = first || g.suites[j] == ps[0];
	return xasprintf("Checked with GnuTLS %s: it keeps %zu of the %zu "
	    "TLS 1.2 suites the %s profile lists%s%s%s.",
	    audit_gnutls_version(), have, n, tls_profile_name(c->o->profile),
	    first ? ", its first (" : "", first ? tls_suite_label(ps[0], lbl,
	    sizeof(lbl)) : "", first ? ") included" : "");
}

/* openssl_options for the profile: Exim's default items kept, every
 * version below vmin switched off. */
static char *
ex_ossl_floor(const struct fix_ctx *c)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "+no_sslv2 +no_sslv3 +single_dh_use "
	    "+no_ticket +no_renegotiation%s%s",
	    c->vmin > TLS_V_TLS10 ? " +no_tlsv1" : "",
	    c->vmin > TLS_V_TLS11 ? " +no_tlsv1_1" : "");
	return xstrdup(buf);
}

/* The audited openssl_options without the items that switch off a
 * version the profile speaks; "" when nothing is left.  *changed: an
 * item was dropped. */
static char *
ex_ossl_unblock(const struct fix_ctx *c, bool *changed)
{
	const char *cur = c->setting != NULL ? c->setting(c,
	    "openssl_options") : NULL;
	struct strvec kept;
	char *copy, *w, *save = NULL, *out;
	size_t i, o, len = 1;

	memset(&kept, 0, sizeof(kept));
	*changed = false;
	if (cur == NULL)
		return ex_ossl_floor(c);
	copy = xstrdup(cur);
	for (w = strtok_r(copy, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		uint16_t v = 0;

		if (strcmp(w, "+no_tlsv1_2") == 0)
			v = TLS_V_TLS12;
		else if (strcmp(w, "+no_tlsv1_3") == 0)
			v = TLS_V_TLS13;
		if (v != 0 && v >= c->vmin && v <= c->vmax) {
			*changed = true;
			continue;
		}
		strvec_add(&kept, w);
		len += strlen(w) + 1;
	}
	out = xmalloc(len);
	out[0] = '\0';
	for (i = 0, o = 0; i < kept.n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? " " : "",
		    kept.v[i]);
	strvec_clear(&kept);
	free(copy);
	return out;
}

static void
ex_openssl_alternative(struct fix_plan *p, const struct fix_ctx *c,
    const char *finding)
{
	char *floor = ex_ossl_floor(c), *t;

	t = xasprintf("Only if \"exim -bV\" shows OpenSSL under \"Support "
	    "for:\" (not GnuTLS): instead of the GnuTLS tls_require_ciphers "
	    "lines, set in the main section \"openssl_options = %s\" and "
	    "leave tls_require_ciphers unset in the main section and the "
	    "transport (OpenSSL's default list has Microsoft's suites). Exim "
	    "built with GnuTLS refuses openssl_options.", floor);
	fix_add(p, FIX_ACTION, NULL, "exim built with OpenSSL", t,
	    "Exim's TLS settings mean different things with OpenSSL and "
	    "GnuTLS; the report did not say which this Exim links.",
	    EX_SPEC_OPTS "; " EX_SPEC, finding);
	free(t);
	free(floor);
}

/* Versions (and suites) of one side set to the profile's: the priority
 * string with GnuTLS, openssl_options with OpenSSL. */
static void
ex_versions(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *finding)
{
	enum ex_lib lib = ex_lib(c);
	char *sec = server ? xstrdup("main") : ex_transport(c);

	if (lib == EXL_OPENSSL) {
		char *v = ex_ossl_floor(c);
		char *w = xasprintf("Exim's default items kept; TLS versions "
		    "older than %s switched off for both directions "
		    "(openssl_options is a main-section option only). Versions "
		    "the profile speaks stay on.", tls_version_name(c->vmin));

		fix_add(p, FIX_SET, "main", "openssl_options", v, w,
		    EX_SPEC_OPTS "; " MS_ENC, finding);
		free(v);
		free(w);
	} else {
		char *v = ex_priority(c), *chk = ex_priority_check(c, v);
		char *w = xasprintf("GnuTLS's NORMAL set (Microsoft's "
		    "ECDHE-RSA and RSA AES suites are in it) limited to %s and "
		    "newer, for %s. %s", tls_version_name(c->vmin), server ?
		    "receiving (main section)" : "sending (the smtp "
		    "transport)", chk);

		fix_add(p, FIX_SET, sec, "tls_require_ciphers", v, w,
		    EX_GNUTLS "; " EX_SPEC "; " MS_ENC, finding);
		free(v);
		free(w);
		free(chk);
		if (lib == EXL_UNKNOWN)
			ex_openssl_alternative(p, c, finding);
	}
	free(sec);
}

/* The smallest change that lets a side use TLS 1.2 (and 1.3) again:
 * GnuTLS back to Exim's default NORMAL; OpenSSL without the items that
 * switch them off. */
static void
ex_unblock(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *finding)
{
	enum ex_lib lib = ex_lib(c);
	char *sec = server ? xstrdup("main") : ex_transport(c);

	if (lib == EXL_OPENSSL) {
		bool changed;
		char *v = ex_ossl_unblock(c, &changed);

		if (*v == '\0')
			fix_add(p, FIX_UNSET, "main", "openssl_options", NULL,
			    "Without the items that switched off TLS 1.2/1.3, "
			    "nothing is left: back to Exim's default, which "
			    "allows them.", EX_SPEC_OPTS, finding);
		else
			fix_add(p, FIX_SET, "main", "openssl_options", v,
			    changed ? "The same items without +no_tlsv1_2 / "
			    "+no_tlsv1_3, which kept the versions Microsoft "
			    "uses off." : "Exim's default items with the old "
			    "versions off; TLS 1.2 and 1.3 stay on.",
			    EX_SPEC_OPTS "; " MS_ENC, finding);
		free(v);
		/* A cipher list that selects nothing also stops 1.2. */
		fix_add(p, FIX_UNSET, sec, "tls_require_ciphers", NULL,
		    "Back to OpenSSL's default list, which has the ECDHE-RSA "
		    "AES-GCM suites Microsoft uses first.", EX_SPEC "; " MS_ENC,
		    finding);
	} else {
		fix_add(p, FIX_UNSET, sec, "tls_require_ciphers", NULL,
		    "Back to Exim's default GnuTLS priority NORMAL, which "
		    "allows TLS 1.2 and 1.3 and Microsoft's ECDHE-RSA and RSA "
		    "AES suites. To allow only TLS 1.2 and newer instead, set "
		    "it to NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2.",
		    EX_GNUTLS "; " EX_SPEC "; " MS_ENC, finding);
		if (lib == EXL_UNKNOWN)
			fix_add(p, FIX_ACTION, NULL, "exim built with OpenSSL",
			    "Only if \"exim -bV\" shows OpenSSL: also remove "
			    "+no_tlsv1_2 and +no_tlsv1_3 from openssl_options "
			    "in the main section.",
			    "With OpenSSL, openssl_options decides the versions "
			    "for both directions.", EX_SPEC_OPTS, finding);
	}
	free(sec);
}

static void
ex_server_cert(struct fix_plan *p, const char *finding)
{
	fix_add(p, FIX_ACTION, NULL, "server certificate",
	    "Give Exim its key and certificate: in the main section "
	    "tls_certificate = /etc/exim4/mx-chain.pem (your certificate, "
	    "then the CA's intermediate certificates; mxdoctor fix chain "
	    "--cert cert.pem writes them in order) and tls_privatekey = "
	    "/etc/exim4/mx-key.pem, readable by the Exim user (Debian: "
	    "group Debian-exim, mode 640; or MAIN_TLS_CERTIFICATE and "
	    "MAIN_TLS_PRIVATEKEY in exim4.conf.localmacros). Use an RSA key "
	    "(2048 bits or more): every suite Microsoft documents is "
	    "RSA-authenticated. The certificate must name your MX host.",
	    "Without them Exim 4.96 offers STARTTLS with a self-signed "
	    "certificate it makes itself, older releases fail every "
	    "handshake. This fragment does not set the files: a setting "
	    "naming a missing file stops TLS.",
	    EX_SPEC_ADV "; " MS_ENC, finding);
}

void
fix_exim_full(struct fix_plan *p, const struct fix_ctx *c)
{
	char *t = ex_transport(c);

	fix_add(p, FIX_SET, "main", "tls_advertise_hosts", "*",
	    "Offer STARTTLS to every client, Microsoft's servers included "
	    "(Exim's default; an empty value offers it to none).",
	    EX_SPEC_ADV "; " MS_TLS, NULL);
	ex_versions(p, c, true, NULL);
	if (ex_lib(c) == EXL_OPENSSL)
		fix_add(p, FIX_UNSET, "main", "tls_require_ciphers", NULL,
		    "OpenSSL's default list has the ECDHE-RSA AES-GCM suites "
		    "Microsoft uses first; narrower lists are how "
		    "configurations stop working with Microsoft.",
		    EX_SPEC "; " MS_ENC, NULL);
	ex_server_cert(p, NULL);
	fix_add(p, FIX_UNSET, t, "hosts_avoid_tls", NULL,
	    "Use STARTTLS with every server that offers it.", EX_SPEC_SMTP,
	    NULL);
	if (ex_lib(c) == EXL_OPENSSL)
		fix_add(p, FIX_UNSET, t, "tls_require_ciphers", NULL,
		    "The library's default list for sending too.",
		    EX_SPEC "; " MS_ENC, NULL);
	else
		ex_versions(p, c, false, NULL);
	strvec_add(&p->notes, "Left at Exim's defaults on purpose: "
	    "tls_dhparam, tls_eccurve, tls_tempfail_tryclear (true: after a "
	    "failed handshake Exim retries in plaintext, so a receiver with "
	    "broken TLS still gets the mail) and the TLS 1.3 suites.");
	free(t);
}

/*
 * Findings.
 */

static bool
ex_is_client(const struct fix_finding *f)
{
	return f->host != NULL && strcmp(f->host, "client") == 0;
}

static void
ex_cipher_fix(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *finding)
{
	char *sec = server ? xstrdup("main") : ex_transport(c);

	if (ex_lib(c) == EXL_OPENSSL)
		fix_add(p, FIX_UNSET, sec, "tls_require_ciphers", NULL,
		    "Back to OpenSSL's default list, which has the ECDHE-RSA "
		    "AES-GCM suites Microsoft uses first (an RSA certificate "
		    "is needed to serve them).", EX_SPEC "; " MS_ENC, finding);
	else
		ex_versions(p, c, server, finding);
	free(sec);
}

static void
ex_weak(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *finding)
{
	char *sec = server ? xstrdup("main") : ex_transport(c);

	if (ex_lib(c) == EXL_OPENSSL)
		fix_add(p, FIX_UNSET, sec, "tls_require_ciphers", NULL,
		    "OpenSSL 3's default list has no RC4, 3DES, DES, export or "
		    "NULL suites.", EX_SPEC "; " MS_ENC, finding);
	else
		ex_versions(p, c, server, finding);
	free(sec);
}

static void
ex_invalid(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	const char *ev = f->evidence != NULL ? f->evidence : "";
	bool server = !ex_is_client(f);

	if (strstr(ev, "openssl_options") != NULL) {
		if (ex_lib(c) == EXL_GNUTLS)
			fix_add(p, FIX_UNSET, "main", "openssl_options", NULL,
			    "This Exim is built with GnuTLS and refuses to "
			    "start while openssl_options is set; versions are "
			    "set in tls_require_ciphers instead.",
			    EX_SPEC_OPTS, f->id);
		else {
			char *v = ex_ossl_floor(c);

			fix_add(p, FIX_SET, "main", "openssl_options", v,
			    "A value Exim accepts: its default items and the "
			    "old versions off.", EX_SPEC_OPTS, f->id);
			free(v);
		}
		return;
	}
	if (strstr(ev, "tls_require_ciphers") != NULL) {
		ex_unblock(p, c, server, f->id);
		return;
	}
	fix_add(p, FIX_ACTION, NULL, "invalid setting",
	    "Correct the line \"exim -bV\" names (it checks the whole "
	    "configuration and prints the first error with its line).",
	    "Exim refuses to start with an error in its configuration.",
	    EX_SPEC, f->id);
}

/* Whether the audited client settings would still keep TLS 1.2 off
 * once TLS is used: the judge says nothing about the versions of a side
 * that does not use TLS. */
static bool
ex_client_blocked(const struct fix_ctx *c, const char *section)
{
	struct audit_gnutls_result g;
	const char *v;
	char name[96], *err = NULL;

	if (c->setting == NULL)
		return false;
	if (ex_lib(c) == EXL_OPENSSL) {
		v = c->setting(c, "openssl_options");
		return v != NULL && strstr(v, "+no_tlsv1_2") != NULL;
	}
	snprintf(name, sizeof(name), "%s.tls_require_ciphers", section + 10);
	if ((v = c->setting(c, name)) == NULL || strchr(v, '$') != NULL)
		return false;
	if (audit_gnutls_expand(v, &g, &err) == -1) {
		free(err);
		return true;
	}
	return !(g.versions & tls_version_bit(TLS_V_TLS12));
}

static void
ex_tls_off(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	if (ex_is_client(f)) {
		char *t = ex_transport(c);

		fix_add(p, FIX_UNSET, t, "hosts_avoid_tls", NULL,
		    "Exim then uses STARTTLS with every server that offers "
		    "it, Microsoft's included.", EX_SPEC_SMTP "; " MS_TLS,
		    f->id);
		if (ex_client_blocked(c, t))
			ex_unblock(p, c, false, f->id);
		free(t);
		return;
	}
	fix_add(p, FIX_SET, "main", "tls_advertise_hosts", "*",
	    "Offer STARTTLS to every client (Debian: MAIN_TLS_ENABLE = yes "
	    "in exim4.conf.localmacros does this).", EX_SPEC_ADV "; " MS_TLS,
	    f->id);
	if (c->setting == NULL || c->setting(c, "tls_certificate") == NULL)
		ex_server_cert(p, f->id);
}

static void
ex_handshake(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	ex_versions(p, c, true, f->id);
	fix_add(p, FIX_ACTION, NULL, "handshake failed",
	    "Look for the reason in Exim's main log: grep -E 'TLS error|"
	    "gnutls_handshake|SSL_accept' /var/log/exim4/mainlog; a "
	    "certificate or key Exim cannot load, a priority string or "
	    "cipher list with nothing Microsoft offers, or TLS 1.2 switched "
	    "off are the usual causes.",
	    "Microsoft does not fall back to plaintext after a failed "
	    "STARTTLS: the mail waits until the handshake works.",
	    MS_NOFB, f->id);
}

typedef void ex_handler(struct fix_plan *, const struct fix_ctx *,
    const struct fix_finding *);

static void
h_client12(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	ex_unblock(p, c, false, f->id);
}

static void
h_server12(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	ex_unblock(p, c, true, f->id);
}

static void
h_side12(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	ex_unblock(p, c, !ex_is_client(f), f->id);
}

static void
h_old(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	ex_versions(p, c, !ex_is_client(f), f->id);
}

static void
h_cipher(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	ex_cipher_fix(p, c, !ex_is_client(f), f->id);
}

static void
h_weak(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	ex_weak(p, c, !ex_is_client(f), f->id);
}

static const struct {
	const char	*id;
	ex_handler	*fn;
} ex_handlers[] = {
	{ "config.client_no_tls12",		h_client12 },
	{ "config.server_no_tls12",		h_server12 },
	{ "config.client_no_shared_cipher",	h_cipher },
	{ "config.server_no_shared_cipher",	h_cipher },
	{ "config.client_tls_off",		ex_tls_off },
	{ "config.server_tls_off",		ex_tls_off },
	{ "config.old_protocols",		h_old },
	{ "config.weak_ciphers",		h_weak },
	{ "config.invalid",			ex_invalid },
	{ "starttls.not_offered",		ex_tls_off },
	{ "tls.no_tls12_or_newer",		h_side12 },
	{ "tls.legacy_protocol",		h_old },
	{ "cipher.no_overlap",			h_cipher },
	{ "cipher.weak",			h_weak },
	{ "tls.handshake_failed",		ex_handshake },
};

bool
fix_exim_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	size_t i;

	for (i = 0; i < sizeof(ex_handlers) / sizeof(ex_handlers[0]); i++)
		if (strcmp(ex_handlers[i].id, f->id) == 0) {
			ex_handlers[i].fn(p, c, f);
			return true;
		}
	return false;
}
