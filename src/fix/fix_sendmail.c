/* fix_sendmail: sendmail.mc defines (and their sendmail.cf options) for the profile, complete or per finding. */
#include "fix/fix.h"
#include "tls/suites.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Items live in section "mc" and are named by their m4 macro
 * (confSERVER_SSL_OPTIONS); the renderer adds the sendmail.cf option
 * proto.m4 makes of each.  Versions are SSL_OP_NO_* flags added to
 * Sendmail's defaults (readcf.c: server SSL_OP_ALL, client SSL_OP_ALL |
 * SSL_OP_NO_SSLv2 | SSL_OP_NO_TICKET), which a "+" item keeps.  The
 * cipher list is best left to OpenSSL: its default has Microsoft's
 * ECDHE-RSA AES-GCM suites, so findings about ciphers remove
 * confCIPHER_LIST rather than write a list of our own.
 */

#define SM_CF		"sendmail cf/README (confCIPHER_LIST, confSERVER_SSL_OPTIONS, confCLIENT_SSL_OPTIONS, confSERVER_CERT, confSERVER_KEY, confCACERT) and cf/m4/proto.m4"
#define SM_OPTS		"sendmail doc/op: ServerSSLOptions, ClientSSLOptions (SSL_OP_* names or numbers, + sets, - clears; readcf.c defaults SSL_OP_ALL, client also SSL_OP_NO_SSLv2 and SSL_OP_NO_TICKET)"
#define SM_TLS		"sendmail cf/README, STARTTLS: the server offers STARTTLS when confSERVER_CERT and confSERVER_KEY name a usable certificate and key"
#define SM_PORT		"sendmail doc/op: DaemonPortOptions and ClientPortOptions modifier S (do not offer / do not use STARTTLS)"
#define MS_ENC		"Microsoft Learn, \"Technical reference details about encryption\" (TLS 1.2; the ECDHE-RSA and RSA AES suites)"
#define MS_TLS		"Microsoft Learn, \"How Exchange Online uses TLS to secure email connections\""
#define MS_NOFB		"Exchange Online does not fall back to plaintext after a failed STARTTLS (golang/go#70232, mjl-/mox#237, albertito/chasquid#64)"

/* "+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3 +SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1"
 * for the profile's lowest version. */
static char *
sm_floor(const struct fix_ctx *c)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3%s%s",
	    c->vmin > TLS_V_TLS10 ? " +SSL_OP_NO_TLSv1" : "",
	    c->vmin > TLS_V_TLS11 ? " +SSL_OP_NO_TLSv1_1" : "");
	return xstrdup(buf);
}

/* The audited options without items that switch off TLS 1.2 or 1.3 and
 * without unknown names; "" when nothing is left. */
static char *
sm_unblock(const struct fix_ctx *c, const char *cfname, bool *changed)
{
	const char *cur = c->setting != NULL ? c->setting(c, cfname) : NULL;
	char *copy, *w, *save = NULL, *out;
	size_t len, o = 0;

	*changed = false;
	if (cur == NULL)
		return xstrdup("");
	copy = xstrdup(cur);
	len = strlen(cur) + 1;
	out = xmalloc(len + 1);
	out[0] = '\0';
	for (w = strtok_r(copy, " \t,", &save); w != NULL;
	    w = strtok_r(NULL, " \t,", &save)) {
		const char *name = (*w == '+' || *w == '-') ? w + 1 : w;

		if (*w != '-' && (strcasecmp(name, "SSL_OP_NO_TLSv1_2") == 0 ||
		    strcasecmp(name, "SSL_OP_NO_TLSv1_3") == 0 ||
		    strcasecmp(name, "0x08000000") == 0 ||
		    strcasecmp(name, "0x20000000") == 0)) {
			*changed = true;
			continue;
		}
		o += (size_t)snprintf(out + o, len + 1 - o, "%s%s",
		    o ? " " : "", w);
	}
	free(copy);
	return out;
}

static void
sm_cert_action(struct fix_plan *p, const char *finding)
{
	fix_add(p, FIX_ACTION, NULL, "server certificate",
	    "Give sendmail its key and certificate in sendmail.mc: "
	    "define(`confSERVER_CERT', `/etc/mail/tls/mx-chain.pem') (your "
	    "certificate, then the CA's intermediates; mxdoctor fix chain "
	    "--cert cert.pem writes them in order), "
	    "define(`confSERVER_KEY', `/etc/mail/tls/mx-key.pem') (mode 600, "
	    "owned by root) and define(`confCACERT', "
	    "`/etc/ssl/certs/ca-certificates.crt'), then rebuild sendmail.cf. "
	    "Use an RSA key (2048 bits or more): every suite Microsoft "
	    "documents is RSA-authenticated. The certificate must name your "
	    "MX host.",
	    "Without both files sendmail does not offer STARTTLS and "
	    "Microsoft sends in clear text, or not at all where TLS is "
	    "required. This fragment does not set the files: a define naming "
	    "a missing file stops STARTTLS.",
	    SM_TLS "; " MS_TLS, finding);
}

static void
sm_versions(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *finding)
{
	char *v = sm_floor(c), *w;

	w = xasprintf("SSL and TLS versions older than %s off for %s; "
	    "Sendmail's default options stay (a \"+\" item adds to them), "
	    "TLS 1.2 and 1.3 stay on.", tls_version_name(c->vmin), server ?
	    "receiving" : "sending");
	fix_add(p, FIX_SET, "mc", server ? "confSERVER_SSL_OPTIONS" :
	    "confCLIENT_SSL_OPTIONS", v, w, SM_OPTS "; " MS_ENC, finding);
	free(v);
	free(w);
}

static void
sm_unblock_side(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *finding)
{
	const char *cf = server ? "ServerSSLOptions" : "ClientSSLOptions";
	const char *mc = server ? "confSERVER_SSL_OPTIONS" :
	    "confCLIENT_SSL_OPTIONS";
	bool changed;
	char *v = sm_unblock(c, cf, &changed);

	if (*v == '\0' || !changed)
		sm_versions(p, c, server, finding);
	else
		fix_add(p, FIX_SET, "mc", mc, v, "The same options without "
		    "SSL_OP_NO_TLSv1_2 / SSL_OP_NO_TLSv1_3, which kept the "
		    "versions Microsoft uses off.", SM_OPTS "; " MS_ENC,
		    finding);
	free(v);
	fix_add(p, FIX_UNSET, "mc", "confCIPHER_LIST", NULL,
	    "Back to OpenSSL's default cipher list, which has the ECDHE-RSA "
	    "AES-GCM suites Microsoft uses first (a list that selects "
	    "nothing stops TLS 1.2 too).", SM_CF "; " MS_ENC, finding);
}

void
fix_sendmail_full(struct fix_plan *p, const struct fix_ctx *c)
{
	sm_versions(p, c, true, NULL);
	sm_versions(p, c, false, NULL);
	fix_add(p, FIX_UNSET, "mc", "confCIPHER_LIST", NULL,
	    "OpenSSL's default list has the ECDHE-RSA AES-GCM suites "
	    "Microsoft uses first; narrower lists are how configurations "
	    "stop working with Microsoft.", SM_CF "; " MS_ENC, NULL);
	sm_cert_action(p, NULL);
	strvec_add(&p->notes, "Left at Sendmail's defaults on purpose: "
	    "confDH_PARAMETERS, confTLS_SRV_OPTIONS (V would stop asking "
	    "clients for certificates, which does no harm either way) and "
	    "confTLS_FALLBACK_TO_CLEAR.");
}

static bool
sm_is_client(const struct fix_finding *f)
{
	return f->host != NULL && strcmp(f->host, "client") == 0;
}

typedef void sm_handler(struct fix_plan *, const struct fix_ctx *,
    const struct fix_finding *);

static void
h_no12(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	sm_unblock_side(p, c, !sm_is_client(f), f->id);
}

static void
h_old(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	sm_versions(p, c, !sm_is_client(f), f->id);
}

static void
h_cipher(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	fix_add(p, FIX_UNSET, "mc", "confCIPHER_LIST", NULL,
	    "Back to OpenSSL's default list, which has the ECDHE-RSA "
	    "AES-GCM suites Microsoft uses first and no RC4, 3DES, DES, "
	    "export or NULL suites (OpenSSL 3). Sendmail has one list for "
	    "both directions.", SM_CF "; " MS_ENC, f->id);
}

static void
h_tls_off(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	if (sm_is_client(f)) {
		fix_add(p, FIX_ACTION, NULL, "client port options",
		    "Remove modifier S from CLIENT_OPTIONS (ClientPortOptions "
		    "\"M=S\") in sendmail.mc, and any Try_TLS: entry for "
		    "Microsoft's hosts in the access map, then rebuild "
		    "sendmail.cf.",
		    "Sendmail uses STARTTLS with every server that offers it "
		    "unless told not to.", SM_PORT "; " MS_TLS, f->id);
		return;
	}
	if (c->setting == NULL || c->setting(c, "ServerCertFile") == NULL ||
	    c->setting(c, "ServerKeyFile") == NULL)
		sm_cert_action(p, f->id);
	fix_add(p, FIX_ACTION, NULL, "daemon port options",
	    "If a DAEMON_OPTIONS line for port 25 has modifier S (\"M=S\"), "
	    "remove the S, then rebuild sendmail.cf.",
	    "Modifier S keeps that listener from offering STARTTLS.",
	    SM_PORT "; " MS_TLS, f->id);
}

static void
h_invalid(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	const char *ev = f->evidence != NULL ? f->evidence : "";

	if (strstr(ev, "ServerSSLOptions") != NULL)
		sm_versions(p, c, true, f->id);
	else if (strstr(ev, "ClientSSLOptions") != NULL)
		sm_versions(p, c, false, f->id);
	else if (strstr(ev, "CipherList") != NULL)
		h_cipher(p, c, f);
	else
		fix_add(p, FIX_ACTION, NULL, "invalid setting",
		    "Correct the line sendmail names (sendmail -bt -d0.1 "
		    "</dev/null prints readcf errors with their line).",
		    "Sendmail ignores a value it does not understand.",
		    SM_CF, f->id);
}

static void
h_handshake(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	sm_unblock_side(p, c, true, f->id);
	fix_add(p, FIX_ACTION, NULL, "handshake failed",
	    "Look for the reason in the mail log: grep 'STARTTLS=server' "
	    "/var/log/mail.log; a certificate or key sendmail cannot load "
	    "(\"file ... unsafe\", SSL_CTX_use_certificate_file failed) or "
	    "TLS 1.2 switched off are the usual causes.",
	    "Microsoft does not fall back to plaintext after a failed "
	    "STARTTLS: the mail waits until the handshake works.",
	    MS_NOFB, f->id);
}

static const struct {
	const char	*id;
	sm_handler	*fn;
} sm_handlers[] = {
	{ "config.client_no_tls12",		h_no12 },
	{ "config.server_no_tls12",		h_no12 },
	{ "config.client_no_shared_cipher",	h_cipher },
	{ "config.server_no_shared_cipher",	h_cipher },
	{ "config.client_tls_off",		h_tls_off },
	{ "config.server_tls_off",		h_tls_off },
	{ "config.old_protocols",		h_old },
	{ "config.weak_ciphers",		h_cipher },
	{ "config.invalid",			h_invalid },
	{ "starttls.not_offered",		h_tls_off },
	{ "tls.no_tls12_or_newer",		h_no12 },
	{ "tls.legacy_protocol",		h_old },
	{ "cipher.no_overlap",			h_cipher },
	{ "cipher.weak",			h_cipher },
	{ "tls.handshake_failed",		h_handshake },
};

bool
fix_sendmail_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	size_t i;

	for (i = 0; i < sizeof(sm_handlers) / sizeof(sm_handlers[0]); i++)
		if (strcmp(sm_handlers[i].id, f->id) == 0) {
			sm_handlers[i].fn(p, c, f);
			return true;
		}
	return false;
}
