/* fix_postfix: Postfix main.cf and master.cf changes: the recommended TLS set-up, and the minimal change per finding. */
#include "fix/fix.h"
#include "fix/fix_postfix_int.h"
#include "tls/suites.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Postfix facts this file relies on (postconf(5), postconf(1), TLS_README
 * of the Postfix source, vdukhovni/postfix:postfix/proto/postconf.proto):
 *
 *  - Protocol lists: ">=TLSv1.2" (lower bound) exists since Postfix 3.6;
 *    the "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1" exclusions work in every
 *    supported release.  Unknown or older version: exclusions.
 *  - smtp_tls_mandatory_protocols applies at "encrypt" and above
 *    (including smtp_tls_policy_maps entries), smtp_tls_protocols with
 *    "may": both are set, so neither level can pick an old version.
 *  - Cipher grade "medium" is the default of *_tls_ciphers and
 *    *_tls_mandatory_ciphers; tls_medium_cipherlist contains every suite
 *    Microsoft documents (ECDHE-RSA and RSA with AES).
 *  - smtpd_tls_chain_files (Postfix 3.4+): key, then leaf, then issuers.
 *  - smtpd_tls_dh1024_param_file: the built-in group is 2048 bits since
 *    Postfix 3.1; with 3.7+ and OpenSSL 3 OpenSSL chooses.
 *  - postconf -P "service/type/name=value" (Postfix 2.11+) edits -o
 *    overrides in master.cf and refuses whitespace in the value; -X and
 *    -PX remove a setting (2.10+ / 2.11+).
 *
 * Anything that needs a file the user must first create (a certificate,
 * DH parameters) is an action, never a setting the script applies: a
 * setting naming a missing file would stop TLS altogether.
 */


/*
 * The recommended configuration: one row per setting.  fix_postfix_full
 * writes them all; findings reuse the rows (config.invalid resets a
 * broken setting to its row's value).
 */

enum pf_val {
	PV_TEXT,	/* value as written */
	PV_PROTOCOLS	/* the profile's lowest version, in the syntax the
			 * Postfix version accepts */
};

struct pf_rec {
	const char	*name;
	bool		 server;	/* smtpd side (else the smtp client) */
	enum pf_val	 kind;
	const char	*value;
	const char	*why;
	const char	*source;
};

static const struct pf_rec pf_recs[] = {
	{ "smtp_tls_security_level", false, PV_TEXT, "may",
	  "Sending: use TLS whenever the receiver offers STARTTLS (Microsoft's MX hosts do), plaintext otherwise; after a failed handshake Postfix retries without TLS instead of keeping the mail. Mandatory TLS belongs in smtp_tls_policy_maps, for the destinations that require it.",
	  PF_LEVEL_C "; " MS_TLS },
	{ "smtp_tls_protocols", false, PV_PROTOCOLS, NULL,
	  "Sending with opportunistic TLS. A receiver that offers only older versions then gets the mail without TLS, as if it offered no STARTTLS.",
	  PF_PROTO "; " MS_ENC },
	{ "smtp_tls_mandatory_protocols", false, PV_PROTOCOLS, NULL,
	  "Sending with mandatory TLS (\"encrypt\" and higher, also from smtp_tls_policy_maps): the same bounds, so no security level picks an older version.",
	  PF_PROTO "; " MS_ENC },
	{ "smtp_tls_ciphers", false, PV_TEXT, "medium",
	  "Postfix's default grade: it already contains every suite Microsoft documents (ECDHE-RSA and RSA with AES-GCM and AES-CBC). Restricting it (\"high\" with exclusions, a hand-made cipher list) is the common cause of \"no shared cipher\".",
	  PF_CIPHERS "; " MS_ENC },
	{ "smtp_tls_mandatory_ciphers", false, PV_TEXT, "medium",
	  "The same grade for mandatory TLS.",
	  PF_CIPHERS "; " MS_ENC },
	{ "smtp_tls_loglevel", false, PV_TEXT, "1",
	  "One summary line per TLS connection (version, cipher): the evidence you (and `mxdoctor explain`) need when a handshake with Microsoft fails; higher levels log far more.",
	  PF_LOG },
	{ "smtpd_tls_security_level", true, PV_TEXT, "may",
	  "Receiving: offer STARTTLS and accept mail with or without it. Exchange Online uses TLS when it is offered and does not fall back to plaintext after a failed handshake; \"encrypt\" would refuse senders without TLS, which a public MX must not do.",
	  PF_LEVEL_S "; " MS_TLS },
	{ "smtpd_tls_protocols", true, PV_PROTOCOLS, NULL,
	  "Receiving with opportunistic TLS: the versions Microsoft's servers send with.",
	  PF_PROTO "; " MS_ENC },
	{ "smtpd_tls_mandatory_protocols", true, PV_PROTOCOLS, NULL,
	  "Receiving with mandatory TLS (submission services with \"encrypt\"): the same bounds.",
	  PF_PROTO "; " MS_ENC },
	{ "smtpd_tls_ciphers", true, PV_TEXT, "medium",
	  "Postfix's default grade: it contains the ECDHE-RSA AES-GCM suites Exchange Online offers first. Over-restricting it is the common mistake.",
	  PF_CIPHERS "; " MS_ENC },
	{ "smtpd_tls_mandatory_ciphers", true, PV_TEXT, "medium",
	  "The same grade for mandatory TLS.",
	  PF_CIPHERS "; " MS_ENC },
	{ "tls_preempt_cipherlist", true, PV_TEXT, "no",
	  "Let the client choose among the suites both support: Microsoft's client lists ECDHE-RSA AES-GCM first, and every suite of the \"medium\" grade it may pick is sound; server order only adds the risk of a suite the client implements badly.",
	  PF_PREEMPT },
	{ "smtpd_tls_loglevel", true, PV_TEXT, "1",
	  "One summary line per TLS connection from a sender (version, cipher): shows what Microsoft negotiated, and why a handshake failed.",
	  PF_LOG },
	{ "smtpd_tls_received_header", true, PV_TEXT, "yes",
	  "Record the TLS version and cipher in the Received: header, so a delivered message shows what the sender negotiated with you.",
	  PF_RECV },
};

static const struct pf_rec *
pf_rec(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(pf_recs) / sizeof(pf_recs[0]); i++)
		if (strcmp(pf_recs[i].name, name) == 0)
			return &pf_recs[i];
	return NULL;
}

/* The profile's version range as a Postfix protocol list: ">=TLSv1.2"
 * for Postfix 3.6+, else "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1". */
static void
pf_protocols(const struct fix_plan *p, const struct fix_ctx *c, char *out,
    size_t size)
{
	static const uint16_t all[] = { TLS_V_SSL2, TLS_V_SSL3, TLS_V_TLS10,
	    TLS_V_TLS11, TLS_V_TLS12 };
	size_t i;
	int o = 0;

	if (fix_version_at_least(p, 3, 6)) {
		o = snprintf(out, size, ">=%s", tls_version_name(c->vmin));
		if (c->vmax < TLS_V_TLS13 && o > 0 && (size_t)o < size)
			snprintf(out + o, size - (size_t)o, ", <=%s",
			    tls_version_name(c->vmax));
		return;
	}
	out[0] = '\0';
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (all[i] >= c->vmin && i > 1)
			break;
		/* SSLv2 and SSLv3 are always excluded. */
		if (o >= 0 && (size_t)o < size)
			o += snprintf(out + o, size - (size_t)o, "%s!%s",
			    o ? ", " : "", tls_version_name(all[i]));
	}
}

static char *
pf_rec_value(const struct fix_plan *p, const struct fix_ctx *c,
    const struct pf_rec *r)
{
	char buf[128];

	if (r->kind == PV_TEXT)
		return xstrdup(r->value);
	pf_protocols(p, c, buf, sizeof(buf));
	return xstrdup(buf);
}

/* "Microsoft ... speaks TLS 1.2 and newer: allow nothing older." */
static char *
pf_rec_why(const struct fix_plan *p, const struct fix_ctx *c,
    const struct pf_rec *r)
{
	if (r->kind != PV_PROTOCOLS)
		return xstrdup(r->why);
	return xasprintf("The %s profile speaks %s%s%s: allow %s and newer%s. "
	    "%s", p->profile, tls_version_name(c->vmin), c->vmax != c->vmin ?
	    " to " : "", c->vmax != c->vmin ? tls_version_name(c->vmax) : "",
	    tls_version_name(c->vmin), fix_version_at_least(p, 3, 6) ? "" :
	    " (written as exclusions: the \">=\" form needs Postfix 3.6, and "
	    "the Postfix version is not known to be that new)", r->why);
}

/*
 * Where a setting lives: main.cf, or a master.cf -o override of the
 * service that does the work (the smtpd on port 25, the smtp client).
 */

/* Whether a master.cf service does the side's work: for receiving, an
 * inet service on port 25 ("smtp", "25", "192.0.2.1:25", "[::1]:smtp")
 * or postscreen's smtpd ("smtpd/pass"); for sending, "smtp/unix" or the
 * default_transport's unix service when the audit recorded one. */
static bool
pf_service_of_side(const struct fix_ctx *c, const char *svc, bool server)
{
	const char *slash = strrchr(svc, '/'), *name, *dt;
	size_t n;

	if (!server) {
		if (strcmp(svc, "smtp/unix") == 0)
			return true;
		dt = c->setting(c, "default_transport");
		n = dt != NULL ? strcspn(dt, ":") : 0;
		return n > 0 && slash != NULL && strcmp(slash, "/unix") == 0 &&
		    (size_t)(slash - svc) == n && strncmp(svc, dt, n) == 0;
	}
	if (strcmp(svc, "smtpd/pass") == 0)
		return true;
	if (slash == NULL || strcmp(slash, "/inet") != 0)
		return false;
	n = (size_t)(slash - svc);
	name = svc;
	if (memchr(svc, ':', n) != NULL) {
		const char *colon = svc + n;

		while (colon > svc && colon[-1] != ':')
			colon--;
		n -= (size_t)(colon - svc);
		name = colon;
	}
	return (n == 4 && strncmp(name, "smtp", 4) == 0) ||
	    (n == 2 && strncmp(name, "25", 2) == 0);
}

/* The service a "master.cf smtp/inet -o" (or "master.cf:12 ...") origin
 * names, into svc; false for another origin. */
static bool
pf_origin_service(const char *origin, char *svc, size_t size)
{
	const char *s;
	size_t n;

	if (strncmp(origin, "master.cf", 9) != 0)
		return false;
	s = origin + 9;
	if (*s == ':')
		while (*++s != '\0' && isdigit((unsigned char)*s))
			;
	while (*s == ' ')
		s++;
	n = strcspn(s, " ");
	if (n == 0 || n >= size)
		return false;
	memcpy(svc, s, n);
	svc[n] = '\0';
	return strchr(svc, '/') != NULL;
}

/* The last master.cf override of name in a service of the side; its
 * service in svc. */
static const struct fix_setting *
pf_override(const struct fix_ctx *c, bool server, const char *name,
    char *svc, size_t size)
{
	size_t i;

	for (i = c->nsettings; i > 0; i--) {
		const struct fix_setting *s = &c->settings[i - 1];

		if (strcmp(s->name, name) != 0 ||
		    !pf_origin_service(s->origin, svc, size))
			continue;
		if (pf_service_of_side(c, svc, server))
			return s;
	}
	return NULL;
}

/* A change the plan already makes to name in section: *value gets its
 * value (NULL for an unset). */
bool
pf_planned(const struct fix_plan *p, const char *section, const char *name,
    const char **value)
{
	size_t i;

	for (i = p->nitems; i > 0; i--) {
		const struct fix_item *it = &p->items[i - 1];

		if ((it->kind == FIX_SET || it->kind == FIX_UNSET) &&
		    it->name != NULL && it->section != NULL &&
		    strcmp(it->name, name) == 0 &&
		    strcmp(it->section, section) == 0) {
			*value = it->kind == FIX_SET ? it->value : NULL;
			return true;
		}
	}
	return false;
}

/* The value that decides for the side, as the plan leaves it: the
 * side's override, else main.cf's (NULL: the default, or not recorded,
 * e.g. a check report).  Handlers see each other's changes. */
const char *
pf_value(const struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *name)
{
	const struct fix_setting *s;
	const char *v;
	char svc[64];

	if ((s = pf_override(c, server, name, svc, sizeof(svc))) !=
	    NULL) {
		if (!pf_planned(p, svc, name, &v))
			return s->value;
		if (v != NULL)
			return v;
	}
	if (pf_planned(p, "main.cf", name, &v))
		return v;
	return c->setting(c, name);
}

/* master.cf values cannot hold whitespace (postconf -P refuses it):
 * Postfix lists take commas instead. */
static char *
pf_compact(const char *v)
{
	char *out = xmalloc(strlen(v) + 1), *o = out;
	bool sep = false;

	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == '\t' || *v == ',') {
			sep = o != out;
			continue;
		}
		if (sep)
			*o++ = ',';
		sep = false;
		*o++ = *v;
	}
	*o = '\0';
	return out;
}

/* A check report cannot see master.cf: an -o override of the setting
 * in the port 25 service would keep the old value, so it goes too
 * (postconf -PX is a no-op when there is none). */
static void
pf_no_override(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *name, const char *finding)
{
	static const char note[] = "A check report cannot show master.cf: "
	    "an -o override in the smtp/inet service (port 25) would keep the "
	    "old value, so each setting changed here is also removed there "
	    "(postconf -PX does nothing where there is none). Run `mxdoctor "
	    "audit postfix` for a plan that edits only what is there.";

	if (c->nsettings > 0 || !server || c->report == NULL)
		return;
	fix_add(p, FIX_UNSET, "smtp/inet", name, NULL,
	    "No override in master.cf for the port 25 service (see the notes).",
	    "Postfix master(5): -o overrides main.cf for its service",
	    finding);
	if (!strvec_contains_ci(&p->notes, note))
		strvec_add(&p->notes, note);
}

#define PF_SERVICES_MAX	8

/* The side's services with a master.cf override of name, each once. */
static size_t
pf_overrides(const struct fix_ctx *c, bool server, const char *name,
    char svcs[PF_SERVICES_MAX][64])
{
	size_t i, j, n = 0;
	char svc[64];

	for (i = 0; i < c->nsettings && n < PF_SERVICES_MAX; i++) {
		const struct fix_setting *s = &c->settings[i];

		if (strcmp(s->name, name) != 0 ||
		    !pf_origin_service(s->origin, svc, sizeof(svc)) ||
		    !pf_service_of_side(c, svc, server))
			continue;
		for (j = 0; j < n && strcmp(svcs[j], svc) != 0; j++)
			;
		if (j == n)
			memcpy(svcs[n++], svc, sizeof(svc));
	}
	return n;
}

/* Sets name for the side: in every master.cf service of the side that
 * overrides it (where the override decides), else in main.cf. */
void
pf_set(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *name, const char *value, const char *why,
    const char *source, const char *finding)
{
	char svcs[PF_SERVICES_MAX][64], *v, *w;
	size_t i, n = pf_overrides(c, server, name, svcs);

	for (i = 0; i < n; i++) {
		v = pf_compact(value);
		w = xasprintf("%s (Set in master.cf: the %s service overrides "
		    "main.cf there.)", why, svcs[i]);
		fix_add(p, FIX_SET, svcs[i], name, v, w, source, finding);
		free(v);
		free(w);
	}
	if (n > 0)
		return;
	fix_add(p, FIX_SET, "main.cf", name, value, why, source, finding);
	pf_no_override(p, c, server, name, finding);
}

/* Back to Postfix's default: the side's overrides and main.cf's value
 * go (main.cf's only when it is set, or not known). */
void
pf_unset(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *name, const char *why, const char *source,
    const char *finding)
{
	const struct fix_setting *s;
	char svcs[PF_SERVICES_MAX][64];
	size_t i, n = pf_overrides(c, server, name, svcs);
	bool main_set = c->nsettings == 0;

	for (i = 0; i < n; i++)
		fix_add(p, FIX_UNSET, svcs[i], name, NULL, why, source, finding);
	for (i = 0; i < c->nsettings; i++) {
		s = &c->settings[i];
		if (strcmp(s->name, name) == 0 &&
		    strncmp(s->origin, "master.cf", 9) != 0 &&
		    strcmp(s->origin, "default") != 0)
			main_set = true;
	}
	if (main_set)
		fix_add(p, FIX_UNSET, "main.cf", name, NULL, why, source,
		    finding);
	pf_no_override(p, c, server, name, finding);
}

/* Sets a recommended row (at the side's location). */
void
pf_set_rec(struct fix_plan *p, const struct fix_ctx *c, const char *name,
    const char *why, const char *finding)
{
	const struct pf_rec *r = pf_rec(name);
	char *v, *w;

	if (r == NULL)
		return;
	v = pf_rec_value(p, c, r);
	w = why ? xstrdup(why) : pf_rec_why(p, c, r);
	pf_set(p, c, r->server, r->name, v, w, r->source, finding);
	free(v);
	free(w);
}

static void
pf_protocols_both(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *finding)
{
	pf_set_rec(p, c, server ? "smtpd_tls_protocols" : "smtp_tls_protocols",
	    NULL, finding);
	pf_set_rec(p, c, server ? "smtpd_tls_mandatory_protocols" :
	    "smtp_tls_mandatory_protocols", NULL, finding);
}

/*
 * The complete configuration.
 */

static void
pf_full_cert(struct fix_plan *p, const char *finding)
{
	bool chain = !p->mta_version || fix_version_at_least(p, 3, 4);
	char *text;

	text = xasprintf("Give the server its key and certificate: put the "
	    "private key, then your certificate, then the CA's intermediate "
	    "certificates in one file (mxdoctor fix chain --cert cert.pem "
	    "writes the chain in order), readable by root only, e.g. "
	    "/etc/postfix/mx-chain.pem, then run: %s. Use an RSA key (2048 "
	    "bits or more): every suite Microsoft documents is "
	    "RSA-authenticated; an ECDSA key and chain may follow in the same "
	    "list. The certificate must name your MX host as the MX record "
	    "does.", chain ?
	    "postconf -e 'smtpd_tls_chain_files = /etc/postfix/mx-chain.pem'"
	    " (Postfix 3.4 and later; older: smtpd_tls_key_file and "
	    "smtpd_tls_cert_file)" :
	    "postconf -e 'smtpd_tls_key_file = /etc/postfix/mx-key.pem' "
	    "'smtpd_tls_cert_file = /etc/postfix/mx-chain.pem' (key and chain "
	    "in two files; smtpd_tls_chain_files needs Postfix 3.4)");
	fix_add(p, FIX_ACTION, NULL, "server certificate", text,
	    "Without a certificate and key Postfix offers no STARTTLS, and Microsoft sends in clear text or, where TLS is required, not at all. This script does not set the file: a setting naming a missing file would stop TLS.",
	    PF_CHAIN "; " MS_ENC, finding);
	free(text);
}

void
fix_postfix_full(struct fix_plan *p, const struct fix_ctx *c)
{
	size_t i;

	for (i = 0; i < sizeof(pf_recs) / sizeof(pf_recs[0]); i++) {
		char *v = pf_rec_value(p, c, &pf_recs[i]);
		char *w = pf_rec_why(p, c, &pf_recs[i]);

		fix_add(p, FIX_SET, "main.cf", pf_recs[i].name, v, w,
		    pf_recs[i].source, NULL);
		free(v);
		free(w);
	}
	pf_full_cert(p, NULL);
	if (c->vmin > TLS_V_TLS12)
		strvec_add_owned(&p->notes, xasprintf("The sending side follows "
		    "the %s profile too (%s and newer): a receiver without it "
		    "gets mail without TLS (\"may\") or none at all "
		    "(\"encrypt\"); Microsoft documents only TLS 1.2 for its "
		    "receiving servers. Keep smtp_tls_protocols at >=TLSv1.2 "
		    "if you send to Microsoft.", p->profile,
		    tls_version_name(c->vmin)));
	strvec_add(&p->notes, "Left at Postfix's defaults on purpose: the "
	    "cipher lists (tls_medium_cipherlist, tls_high_cipherlist), "
	    "exclusions, DH parameters (built in) and TLS 1.3 suites; "
	    "changing them is how configurations stop working with "
	    "Microsoft.");
	strvec_add(&p->notes, "master.cf -o overrides of these settings "
	    "(postconf -P | grep tls) still win for their service: remove "
	    "them unless you mean them (postconf -PX service/type/name).");
}

/*
 * Findings.
 */

typedef void pf_handler(struct fix_plan *, const struct fix_ctx *,
    const struct fix_finding *);

static bool
pf_is_client(const struct fix_finding *f)
{
	return f->host != NULL && strcmp(f->host, "client") == 0;
}

static void
pf_client_no_tls12(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	const char *maps = pf_value(p, c, false, "smtp_tls_policy_maps");

	pf_protocols_both(p, c, false, f->id);
	if (maps != NULL && *maps != '\0') {
		char *t = xasprintf("smtp_tls_policy_maps (%s) may set "
		    "\"protocols=\" per destination, which wins over "
		    "smtp_tls_mandatory_protocols: check the entries that "
		    "match Microsoft (e.g. outlook.com, "
		    ".protection.outlook.com) and remove an old protocol "
		    "list there.", maps);

		fix_add(p, FIX_ACTION, NULL, "policy maps", t,
		    "A policy entry decides for its destination.",
		    "Postfix postconf(5): smtp_tls_policy_maps", f->id);
		free(t);
	}
}

static void
pf_server_no_tls12(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	pf_protocols_both(p, c, true, f->id);
}

static void
pf_no_tls12_or_newer(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	pf_protocols_both(p, c, true, f->id);
	fix_add(p, FIX_ACTION, NULL, "tls library",
	    "If the handshake still fails without TLS 1.2 afterwards, the OpenSSL Postfix links is too old (before 1.0.1): see `postconf -T run-version` (Postfix 3.1+) and upgrade the operating system's OpenSSL and Postfix.",
	    "TLS 1.2 needs OpenSSL 1.0.1 or newer; no setting adds it.",
	    MS_ENC, f->id);
}

static void
pf_old_protocols(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	pf_protocols_both(p, c, !pf_is_client(f), f->id);
}

static void
pf_no_shared_cipher(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	pf_ciphers(p, c, f, !pf_is_client(f), false);
}

static void
pf_no_fs(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	const char *g = pf_value(p, c, true, "smtpd_tls_eecdh_grade");

	pf_set_rec(p, c, "tls_preempt_cipherlist",
	    "With the client's order, Microsoft's ECDHE-first list decides: forward secrecy whenever ECDHE is enabled.",
	    f->id);
	if (c->nsettings == 0 || (g != NULL && strcmp(g, "none") == 0))
		pf_unset(p, c, true, "smtpd_tls_eecdh_grade",
		    "\"none\" disables ECDHE before Postfix 3.6; the default (auto or strong) enables it.",
		    PF_EECDH, f->id);
	pf_ciphers(p, c, f, true, true);
}

static void
pf_weak_ciphers(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	static const char *const weak[] = { "RC4", "3DES", "DES", "EXPORT",
	    "eNULL" };
	bool server = !pf_is_client(f);
	struct pf_tokens t;
	char name[64], *v;
	size_t i, j;

	memset(&t, 0, sizeof(t));
	snprintf(name, sizeof(name), "%s_tls_exclude_ciphers",
	    server ? "smtpd" : "smtp");
	pf_tokens_split(pf_value(p, c, server, name), &t);
	for (i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
		for (j = 0; j < t.n; j++)
			if (strcasecmp(t.v[j], weak[i]) == 0)
				break;
		if (j == t.n && t.n < PF_TOKENS_MAX)
			t.v[t.n++] = xstrdup(weak[i]);
	}
	v = pf_tokens_join(&t);
	pf_set(p, c, server, name, v,
	    "Exclude RC4, 3DES, DES, export-grade and NULL suites (kept: what was excluded before). Microsoft never offers them; other senders that do would get a breakable connection. Anonymous suites stay: Postfix uses them for opportunistic TLS with clients that verify nothing.",
	    PF_EXCL "; " MS_ENC, f->id);
	free(v);
	pf_tokens_free(&t);
}

static void
pf_client_tls_off(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	pf_set_rec(p, c, "smtp_tls_security_level", NULL, f->id);
}

static bool
pf_server_has_cert(const struct fix_ctx *c)
{
	json_t *srv = json_object_get(json_object_get(c->report, "audit"),
	    "server");

	return json_array_size(json_object_get(srv, "certs")) > 0;
}

static void
pf_server_tls_off(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	pf_set_rec(p, c, "smtpd_tls_security_level", NULL, f->id);
	if (!pf_server_has_cert(c))
		pf_full_cert(p, f->id);
}

static void
pf_starttls_refused(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	char *t = xasprintf("Postfix answers STARTTLS with \"454 4.7.0 TLS "
	    "not available due to local problem\" when it cannot load its key "
	    "or certificate%s%s%s. Look for the reason: grep -E 'cannot "
	    "load|TLS library problem|key.*mismatch' /var/log/mail.log (or "
	    "journalctl -u postfix); fix the file named in "
	    "smtpd_tls_chain_files (key, then certificate, then "
	    "intermediates; readable by root), then postfix reload.",
	    f->evidence ? " (reply: " : "", f->evidence ? f->evidence : "",
	    f->evidence ? ")" : "");

	fix_add(p, FIX_ACTION, NULL, "starttls refused", t,
	    "Microsoft's servers see STARTTLS, get an error, and defer the mail: they do not fall back to plaintext.",
	    MS_NOFB, f->id);
	free(t);
}

static void
pf_handshake_failed(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	const char *e = f->evidence ? f->evidence : "";
	bool proto = strstr(e, "protocol") != NULL || strstr(e, "version") != NULL;
	bool ciph = strstr(e, "cipher") != NULL ||
	    strstr(e, "handshake failure") != NULL ||
	    strstr(e, "insufficient security") != NULL;

	if (proto || !ciph)
		pf_protocols_both(p, c, true, f->id);
	if (ciph || !proto)
		pf_ciphers(p, c, f, true, false);
	if (!proto && !ciph)
		fix_add(p, FIX_ACTION, NULL, "handshake log",
		    "If the handshake still fails, the server's log says why: grep -E 'SSL_accept|TLS library problem' /var/log/mail.log; with smtpd_tls_loglevel = 1 each failure is logged with its reason.",
		    "The report's evidence does not name the cause.",
		    PF_LOG, f->id);
}

static void
pf_weak_dh(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	if (p->mta_version == NULL || fix_version_at_least(p, 3, 1)) {
		pf_unset(p, c, true, "smtpd_tls_dh1024_param_file",
		    "Postfix's built-in DH group is 2048 bits since Postfix 3.1 (with 3.7+ and OpenSSL 3, OpenSSL picks one); a configured file with a smaller group is what a weak DH finding means.",
		    PF_DH, f->id);
		return;
	}
	fix_add(p, FIX_ACTION, NULL, "dh parameters",
	    "This Postfix is older than 3.1 (built-in 1024-bit group): generate a 2048-bit group and use it: openssl dhparam -out /etc/postfix/dh2048.pem 2048 && postconf -e 'smtpd_tls_dh1024_param_file = /etc/postfix/dh2048.pem' && postfix reload.",
	    "DH groups under 2048 bits are within reach of well-funded attackers (Logjam).",
	    PF_DH "; RFC 7919; https://weakdh.org", f->id);
}

static void
pf_ticket(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	fix_add(p, FIX_ACTION, NULL, "tls13 tickets",
	    "No Postfix setting is known to fix this. Postfix (OpenSSL) sends TLS 1.3 session tickets after the client's Finished, a pattern not reported to fail with Microsoft; in the mxdoctor lab tls_ssl_options = NO_TICKET, smtpd_tls_session_cache_timeout = 0 and an empty tls_session_ticket_cipher all still sent them (Postfix 3.7). If the tickets come before the client's Finished, something else answers on port 25 (a Go-based proxy or filter such as mox, chasquid, maddy): disable session tickets there, or upgrade it (mox 0.0.13 and later).",
	    "Since October 2024 Exchange Online aborts TLS 1.3 handshakes when tickets arrive early (451 4.4.0 ... Security status Renegotiate) and does not fall back to plaintext.",
	    MS_TICKET "; " PF_TICKET, f->id);
}

static void
pf_sni(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	json_t *srv = json_object_get(json_object_get(c->report, "audit"),
	    "server");
	char *cur = fix_report_text(json_array_get(json_object_get(srv,
	    "certs"), 0), "cert_file", 256), *t;

	t = xasprintf("Senders that send no SNI get the certificate of "
	    "smtpd_tls_chain_files%s%s%s; tls_server_sni_maps only adds "
	    "certificates for the names clients ask for. Make the default "
	    "one valid for your MX host name%s%s (key, then certificate, then "
	    "intermediates), then postfix reload.", cur ? " (now " : "",
	    cur ? cur : "", cur ? ")" : "", f->host && strcmp(f->host,
	    "server") != 0 ? ", " : "", f->host && strcmp(f->host, "server") ?
	    f->host : "");
	fix_add(p, FIX_ACTION, NULL, "default certificate", t,
	    "Whether Exchange Online sends SNI is not documented: the certificate served without SNI must work on its own.",
	    PF_SNI "; RFC 6066 section 3", f->id);
	free(t);
	free(cur);
}

/* The file an audit finding names ("from: /path: why" or "/path: ..."):
 * the first absolute path in the evidence, owned. */
static char *
pf_evidence_path(const struct fix_finding *f)
{
	const char *s = f->evidence ? strchr(f->evidence, '/') : NULL;

	if (s == NULL)
		return NULL;
	return xstrndup(s, strcspn(s, ": "));
}

static void
pf_cert_file(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	char *t = xasprintf("Fix the file the setting names%s%s%s: it must "
	    "exist, be PEM, and be readable by root (Postfix reads it before "
	    "dropping privileges). With smtpd_tls_chain_files the file holds "
	    "the private key, then the certificate, then the intermediates "
	    "(mxdoctor fix chain writes them in order). Then: postfix check "
	    "&& postfix reload.", f->evidence ? " (" : "", f->evidence ?
	    f->evidence : "", f->evidence ? ")" : "");

	fix_add(p, FIX_ACTION, NULL, "cert file", t,
	    "A Postfix that cannot load its key and certificate offers no STARTTLS or fails every handshake.",
	    PF_CHAIN, f->id);
	free(t);
}

static void
pf_key_mismatch(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	char *t = xasprintf("The key does not belong to the certificate%s%s%s. "
	    "Compare the public keys: openssl x509 -in CERT.pem -noout -pubkey "
	    "| sha256sum; openssl pkey -in KEY.pem -pubout | sha256sum. Use "
	    "the key the certificate was requested with, or have the "
	    "certificate reissued for the configured key; in "
	    "smtpd_tls_chain_files each key comes directly before its own "
	    "certificate.", f->evidence ? " (" : "", f->evidence ?
	    f->evidence : "", f->evidence ? ")" : "");

	fix_add(p, FIX_ACTION, NULL, "key mismatch", t,
	    "OpenSSL refuses the pair (key values mismatch): no handshake with that certificate works.",
	    PF_CHAIN, f->id);
	free(t);
}

static void
pf_chain_order(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	char *path = pf_evidence_path(f), *cmd, *t;

	cmd = xasprintf("mxdoctor fix chain --cert %s -o %s.ordered",
	    path ? path : "CHAIN.pem", path ? path : "CHAIN.pem");
	t = xasprintf("The certificates in %s are not in order (leaf, then "
	    "each issuer). The command writes them in order (certificates "
	    "only: a private key in the file is not copied); put the key "
	    "first again if the file held it, check the result, replace the "
	    "file with it, then postfix reload.", path ? path : "the file");
	fix_add(p, FIX_FILE, NULL, path ? path : "CHAIN.pem", cmd, t,
	    "RFC 8446 section 4.4.2; RFC 5246 section 7.4.2; " PF_CHAIN,
	    f->id);
	free(cmd);
	free(t);
	free(path);
}

static void
pf_tls_library_old(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	char *t = xasprintf("Upgrade the operating system's OpenSSL (1.0.1 or "
	    "newer for TLS 1.2, 1.1.1 or newer for TLS 1.3) and the Postfix "
	    "linked with it%s%s%s; no setting adds a version the library "
	    "lacks. Check: postconf -T run-version (Postfix 3.1+).",
	    f->evidence ? " (now: " : "", f->evidence ? f->evidence : "",
	    f->evidence ? ")" : "");

	fix_add(p, FIX_ACTION, NULL, "tls library", t,
	    "Microsoft requires TLS 1.2.", MS_ENC, f->id);
	free(t);
}

static void
pf_helo(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	json_t *h, *a = fix_report_address(c->report, f->address, &h);
	json_t *names = json_object_get(json_object_get(a, "ptr"), "names");
	char *name = NULL, *t;
	const char *s = json_string_value(json_array_get(names, 0));
	size_t i;

	if (s != NULL && strlen(s) < 254) {
		name = xstrdup(s);
		for (i = 0; name[i] != '\0'; i++)
			if (!isalnum((unsigned char)name[i]) && name[i] != '.' &&
			    name[i] != '-')
				name[i] = '?';
	}
	t = xasprintf("Make Postfix greet (and say HELO) with the name the "
	    "PTR gives%s%s: postconf -e 'myhostname = %s' && postfix reload. "
	    "myhostname is also the default for mydestination and other "
	    "settings: check them (postconf -n) before you change it.",
	    name ? ", " : "", name ? name : "", name ? name : "NAME");
	fix_add(p, FIX_ACTION, NULL, "myhostname", t,
	    "Consistent greeting, HELO and PTR names avoid spam-score penalties when this host sends.",
	    PF_HOST, f->id);
	free(t);
	free(name);
}

/* config.invalid: the setting the evidence names, reset.  Candidates
 * are words of the evidence that the audit recorded as settings (or
 * rows of the recommended configuration). */
static const struct fix_setting *
pf_invalid_setting(const struct fix_ctx *c, const struct fix_finding *f,
    const struct pf_rec **rec)
{
	const char *e = f->evidence ? f->evidence : "";
	char word[80];
	size_t n, i;

	*rec = NULL;
	while (*e != '\0') {
		n = strspn(e, "abcdefghijklmnopqrstuvwxyz0123456789_");
		if (n == 0) {
			e++;
			continue;
		}
		if (n < sizeof(word) && memchr(e, '_', n) != NULL) {
			memcpy(word, e, n);
			word[n] = '\0';
			for (i = c->nsettings; i > 0; i--)
				if (strcmp(c->settings[i - 1].name, word) == 0) {
					*rec = pf_rec(word);
					return &c->settings[i - 1];
				}
		}
		e += n;
	}
	return NULL;
}

static void
pf_invalid(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	const struct pf_rec *r;
	const struct fix_setting *s = pf_invalid_setting(c, f, &r);
	char svc[64], *v, *w;
	bool master;

	if (s == NULL) {
		char *t = xasprintf("Correct the value the audit names%s%s%s; "
		    "postconf -d NAME shows Postfix's default.", f->evidence ?
		    " (" : "", f->evidence ? f->evidence : "", f->evidence ?
		    ")" : "");

		fix_add(p, FIX_ACTION, NULL, "invalid setting", t,
		    "Postfix ignores or refuses a value it does not understand.",
		    PF_CHECK, f->id);
		free(t);
		return;
	}
	master = pf_origin_service(s->origin, svc, sizeof(svc));
	if (r != NULL) {
		v = pf_rec_value(p, c, r);
		w = xasprintf("The value \"%s\" is one Postfix rejects; this is "
		    "the recommended one. %s", s->value, r->why);
		if (master) {
			char *mv = pf_compact(v);

			fix_add(p, FIX_SET, svc, s->name, mv, w, r->source, f->id);
			free(mv);
		} else
			fix_add(p, FIX_SET, "main.cf", s->name, v, w, r->source,
			    f->id);
		free(v);
		free(w);
		return;
	}
	w = xasprintf("The value \"%s\" is one Postfix rejects: back to "
	    "Postfix's default (postconf -d %s shows it).", s->value, s->name);
	fix_add(p, FIX_UNSET, master ? svc : "main.cf", s->name, NULL, w,
	    PF_CHECK, f->id);
	free(w);
}

static const struct {
	const char	*id;
	pf_handler	*fn;
} pf_handlers[] = {
	{ "config.client_no_tls12",		pf_client_no_tls12 },
	{ "config.server_no_tls12",		pf_server_no_tls12 },
	{ "config.client_no_shared_cipher",	pf_no_shared_cipher },
	{ "config.server_no_shared_cipher",	pf_no_shared_cipher },
	{ "config.client_tls_off",		pf_client_tls_off },
	{ "config.server_tls_off",		pf_server_tls_off },
	{ "config.cert_file",			pf_cert_file },
	{ "config.key_mismatch",		pf_key_mismatch },
	{ "config.chain_order",			pf_chain_order },
	{ "config.old_protocols",		pf_old_protocols },
	{ "config.weak_ciphers",		pf_weak_ciphers },
	{ "config.invalid",			pf_invalid },
	{ "config.tls_library_old",		pf_tls_library_old },
	{ "starttls.not_offered",		pf_server_tls_off },
	{ "starttls.refused",			pf_starttls_refused },
	{ "tls.handshake_failed",		pf_handshake_failed },
	{ "tls.no_tls12_or_newer",		pf_no_tls12_or_newer },
	{ "tls.legacy_protocol",		pf_server_no_tls12 },
	{ "tls.sslv2",				pf_server_no_tls12 },
	{ "tls.sslv3",				pf_server_no_tls12 },
	{ "cipher.no_overlap",			pf_no_shared_cipher },
	{ "cipher.weak",			pf_weak_ciphers },
	{ "cipher.no_forward_secrecy",		pf_no_fs },
	{ "cipher.weak_dh",			pf_weak_dh },
	{ "tls13.ticket_interop",		pf_ticket },
	{ "sni.required",			pf_sni },
	{ "sni.cert_differs",			pf_sni },
	{ "helo.mismatch",			pf_helo },
};

bool
fix_postfix_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	size_t i;

	for (i = 0; i < sizeof(pf_handlers) / sizeof(pf_handlers[0]); i++)
		if (strcmp(pf_handlers[i].id, f->id) == 0) {
			pf_handlers[i].fn(p, c, f);
			return true;
		}
	return false;
}
