/* fix_actions: the actions no MTA setting replaces: PTR records, blocklist delisting, DNS records, certificates. */
#include "fix/fix.h"
#include "fix/fix_int.h"
#include "util/addr.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SRC_DANE "Microsoft Learn, \"How SMTP DANE works\"; \"Enhancing mail flow with MTA-STS\"; New-OutboundConnector -TlsSettings (validating senders refuse such certificates)"
#define SRC_5321 "RFC 5321 section 5.1; RFC 7505 (null MX)"
#define SRC_CHAIN "RFC 8446 section 4.4.2 and RFC 5246 section 7.4.2 (the server sends its chain, leaf first); mail servers do not fetch missing intermediates"
#define FIX_WALK_MAX	256	/* targets, hosts, addresses looked at */
#define SRC_OLC	"Outlook.com sender policies (sendersupport.olc.protection.outlook.com, \"Policies, practices and guidelines\"): valid, forward-confirmed reverse DNS"
#define SRC_V6	"Microsoft Learn, \"Support for anonymous inbound email messages over IPv6\" (450 4.7.25 without PTR)"
#define SRC_NDR	"Microsoft Learn, \"Email non-delivery reports and SMTP errors in Exchange Online\"; \"Use the delist portal to remove yourself from the blocked senders list\" (sender.office.com)"
#define SRC_ENC	"Microsoft Learn, \"Technical reference details about encryption\" (RSA-authenticated suites only; SHA-1 certificates refused)"

/*
 * Generic actions: what no MTA setting fixes.
 */

/* Per MTA: the setting that names the served certificate chain, and how
 * the MTA is told to re-read it. */
static const struct mta_words {
	const char	*chain_setting;
	const char	*reload;
} mta_words[] = {
	[AUDIT_POSTFIX] = { "smtpd_tls_chain_files (the key first, then the chain file; before Postfix 3.4 smtpd_tls_cert_file and smtpd_tls_key_file)",
	    "postfix reload" },
	[AUDIT_EXIM] = { "tls_certificate (and tls_privatekey)",
	    "restart Exim (or send the daemon SIGHUP)" },
	[AUDIT_SENDMAIL] = { "confSERVER_CERT and confSERVER_KEY in sendmail.mc (ServerCertFile/ServerKeyFile in sendmail.cf)",
	    "rebuild sendmail.cf and restart sendmail" },
	[AUDIT_SCHANNEL] = { "the certificate bound to SMTP (Exchange: Enable-ExchangeCertificate -Services SMTP; the intermediate goes into the computer's Intermediate Certification Authorities store)",
	    "restart the transport service (Exchange: Restart-Service MSExchangeTransport)" },
};

static const struct mta_words *
words(const struct fix_plan *p)
{
	if ((unsigned)p->mta >= sizeof(mta_words) / sizeof(mta_words[0]))
		return &mta_words[AUDIT_POSTFIX];
	return &mta_words[p->mta];
}

/* A host name fit to be put into a DNS record we suggest: letters,
 * digits, '-', '.', at least one dot, at most 253 bytes. */
static bool
valid_hostname(const char *s)
{
	size_t i, n;
	bool dot = false;

	if (s == NULL || (n = strlen(s)) == 0 || n > 253 || s[0] == '.' ||
	    s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (i > 0 && s[i - 1] == '.')
				return false;
			dot = true;
		} else if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	}
	return dot;
}

/* The address object of a check report with this address (first
 * match), and the name of the host it belongs to (NULL for a
 * --sending-ip or an address target). */
json_t *
fix_report_address(json_t *report, const char *address, json_t **host)
{
	json_t *targets = json_object_get(report, "targets"), *t, *h, *a;
	json_t *sending = json_object_get(report, "sending_ips");
	size_t i, j, k;

	*host = NULL;
	if (address == NULL)
		return NULL;
	for (i = 0; i < json_array_size(targets) && i < FIX_WALK_MAX; i++) {
		t = json_object_get(json_array_get(targets, i), "hosts");
		for (j = 0; j < json_array_size(t) && j < FIX_WALK_MAX; j++) {
			h = json_array_get(t, j);
			a = json_object_get(h, "addresses");
			for (k = 0; k < json_array_size(a) && k < FIX_WALK_MAX;
			    k++) {
				const char *s = fix_report_str(json_array_get(a, k),
				    "address");

				if (s != NULL && strcmp(s, address) == 0) {
					*host = h;
					return json_array_get(a, k);
				}
			}
		}
	}
	for (i = 0; i < json_array_size(sending) && i < FIX_WALK_MAX; i++) {
		const char *s = fix_report_str(json_array_get(sending, i), "address");

		if (s != NULL && strcmp(s, address) == 0)
			return json_array_get(sending, i);
	}
	return NULL;
}

/* The first PTR name recorded for the address, or NULL (owned). */
static char *
ptr_name(json_t *addr)
{
	json_t *names = json_object_get(json_object_get(addr, "ptr"), "names");
	json_t *v = json_array_get(names, 0);

	if (!json_is_string(v))
		return NULL;
	return str_printable(json_string_value(v), 256);
}

/* A name worth asking a PTR for: a valid host name in a public-looking
 * domain (not .local, .lan, .internal, .localdomain, localhost). */
static bool
public_name(const char *s)
{
	static const char *const private[] = { ".local", ".lan", ".internal",
	    ".localdomain", ".home.arpa", ".localhost", NULL };
	size_t i;

	if (!valid_hostname(s))
		return false;
	for (i = 0; private[i] != NULL; i++)
		if (str_has_suffix_ci(s, private[i]))
			return false;
	return true;
}

/* The name the PTR should give: the MX host name, else the name the
 * server greets with.  *assumed: no name was found (a --sending-ip), the
 * placeholder mail.example.com is returned.  Lower case, owned. */
static char *
ptr_wanted(const struct fix_finding *f, json_t *addr, json_t *host,
    bool *assumed)
{
	char *cand[3];
	char *pick = NULL;
	size_t i;

	cand[0] = fix_report_text(host, "name", 256);
	cand[1] = f->host ? xstrdup(f->host) : NULL;
	cand[2] = fix_report_text(json_object_get(addr, "smtp"), "greeting_name", 256);
	for (i = 0; i < 3; i++) {
		if (pick == NULL && cand[i] != NULL && public_name(cand[i])) {
			pick = cand[i];
			continue;
		}
		free(cand[i]);
	}
	*assumed = pick == NULL;
	if (pick == NULL)
		pick = xstrdup("mail.example.com");
	str_lower(pick);
	str_trim_dot(pick);
	return pick;
}

/* What is wrong with the address's reverse DNS, from the report's ptr
 * object when it has one (so that ptr.generic and ptr.mismatch of one
 * address give one consistent action), else from the finding id. */
enum ptr_state { PTR_MISSING, PTR_GENERIC, PTR_MISMATCH };

static enum ptr_state
ptr_state(const struct fix_finding *f, json_t *addr, const char *have)
{
	json_t *ptr = json_object_get(addr, "ptr");

	if (have == NULL)
		return strcmp(f->id, "ptr.missing") == 0 || ptr != NULL ?
		    PTR_MISSING : (strcmp(f->id, "ptr.generic") == 0 ?
		    PTR_GENERIC : PTR_MISMATCH);
	if (json_is_true(json_object_get(ptr, "generic")) ||
	    (ptr == NULL && strcmp(f->id, "ptr.generic") == 0))
		return PTR_GENERIC;
	return PTR_MISMATCH;
}

static bool
fix_ptr(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	struct addr a;
	json_t *addr, *host;
	char rev[128], key[96], *want, *have, *gen, *text, *now;
	const char *rr;
	bool assumed;
	enum ptr_state st;

	if (f->address == NULL || addr_parse(f->address, &a) == -1 ||
	    addr_reverse_name(&a, NULL, rev, sizeof(rev)) == -1)
		return false;
	addr = fix_report_address(c->report, f->address, &host);
	want = ptr_wanted(f, addr, host, &assumed);
	have = ptr_name(addr);
	gen = fix_report_text(json_object_get(addr, "ptr"), "generic_reason", 120);
	rr = a.family == AF_INET6 ? "AAAA" : "A";
	st = ptr_state(f, addr, have);
	if (st == PTR_MISMATCH && have != NULL)
		text = xasprintf("The PTR of %s names %s, but %s does not "
		    "resolve back to %s. If %s is your name, add `%s. IN %s "
		    "%s` to its zone; otherwise ask the owner of %s (your ISP "
		    "or hosting provider) to change the PTR to `%s. IN PTR "
		    "%s.` and publish `%s. IN %s %s`.%s Both directions must "
		    "agree (forward-confirmed reverse DNS). Check: dig -x %s "
		    "+short; dig %s %s +short.", f->address, have, have,
		    f->address, have, have, rr, f->address, f->address, rev,
		    want, want, rr, f->address, assumed ?
		    " Replace mail.example.com with your mail server's name "
		    "(the name it greets and says HELO with)." : "",
		    f->address, rr, have);
	else {
		if (st == PTR_GENERIC && have != NULL)
			now = xasprintf("The PTR of %s, %s, looks like an ISP's "
			    "generic or dynamic name (%s); if the address is "
			    "a dynamic one, send through a relay with a static "
			    "address instead. ", f->address, have,
			    gen ? gen : "generic");
		else
			now = xstrdup("");
		text = xasprintf("%sAsk the owner of %s (your ISP or hosting "
		    "provider: the reverse zone is theirs, often set in their "
		    "control panel as \"reverse DNS\") for this record: `%s. "
		    "IN PTR %s.` The name must resolve back to the address "
		    "(forward-confirmed reverse DNS): publish `%s. IN %s %s` "
		    "in your zone.%s Check: dig -x %s +short.", now,
		    f->address, rev, want, want, rr, f->address, assumed ?
		    " Replace mail.example.com with your mail server's name "
		    "(the name it greets and says HELO with)." : "",
		    f->address);
		free(now);
	}
	snprintf(key, sizeof(key), "ptr %s", f->address);
	fix_add(p, FIX_ACTION, NULL, key, text, a.family == AF_INET6 ?
	    "Exchange Online refuses IPv6 senders without PTR; Outlook.com may refuse senders without valid reverse DNS." :
	    "Outlook.com requires valid reverse DNS for sending servers and may refuse mail from addresses without it or from dynamic-looking names.",
	    a.family == AF_INET6 ? SRC_OLC "; " SRC_V6 : SRC_OLC, f->id);
	free(text);
	free(want);
	free(have);
	free(gen);
	return true;
}

/* Where to ask for removal from a DNS blocklist.  Each URL was checked
 * against the list's own pages (docs/fix.md keeps the table with its
 * sources). */
static const struct delist {
	const char	*zone;
	const char	*url;
	const char	*how;
	const char	*source;
} delists[] = {
	{ "zen.spamhaus.org", "https://check.spamhaus.org/",
	  "look the address up; the result names the list (SBL, XBL/CSS, PBL) and how removal works (SBL listings are removed only at the request of the ISP's abuse team)",
	  "The Spamhaus Project, \"Good-bye, Blocklist Removal Center. Hello, IP and Domain Reputation Checker\" (2021)" },
	{ "b.barracudacentral.org", "https://www.barracudacentral.org/rbl/removal-request",
	  "submit one removal request with the address and what you fixed, then wait a day",
	  "Barracuda's own rejection text (\"see http://www.barracudacentral.org/rbl/removal-request\")" },
	{ "bl.spamcop.net", "https://www.spamcop.net/bl.shtml",
	  "look the address up: SpamCop listings expire by themselves once reports stop, and the page says when",
	  "SpamCop Blocking List page (spamcop.net/bl.shtml)" },
	{ "psbl.surriel.com", "https://psbl.org/",
	  "use \"Remove an IP\": anyone can remove an address",
	  "Passive Spam Block List home page (psbl.org)" },
	{ "bl.mailspike.net", "https://mailspike.org/",
	  "look the address up and ask for delisting there",
	  "Mailspike home page (mailspike.org: \"lookup and ask for delisting on IPs\")" },
};

/* The zone a dnsbl.listed finding is about: the listed entry of the
 * address whose query the evidence starts with, the only listed one,
 * or the name after "listed on " in the message.  Owned, or NULL. */
static char *
dnsbl_zone(const struct fix_ctx *c, const struct fix_finding *f)
{
	json_t *host, *addr = fix_report_address(c->report, f->address, &host);
	json_t *list = json_object_get(addr, "dnsbl"), *e, *only = NULL;
	const char *q, *m;
	char *z = NULL;
	size_t i, nlisted = 0, n;

	for (i = 0; i < json_array_size(list) && i < FIX_WALK_MAX; i++) {
		e = json_array_get(list, i);
		if (!fix_str_same(fix_report_str(e, "verdict"), "listed"))
			continue;
		nlisted++;
		only = e;
		q = fix_report_str(e, "query");
		if (q != NULL && f->evidence != NULL && (n = strlen(q)) > 0 &&
		    strncmp(f->evidence, q, n) == 0 &&
		    (f->evidence[n] == ' ' || f->evidence[n] == '\0')) {
			z = fix_report_text(e, "zone", 256);
			break;
		}
	}
	if (z == NULL && nlisted == 1)
		z = fix_report_text(only, "zone", 256);
	if (z == NULL && f->message != NULL &&
	    (m = strstr(f->message, "listed on ")) != NULL) {
		m += strlen("listed on ");
		z = xstrndup(m, strcspn(m, ", ;"));
	}
	if (z != NULL) {
		str_lower(z);
		str_trim_dot(z);
		if (!valid_hostname(z)) {
			free(z);
			z = NULL;
		}
	}
	return z;
}

static bool
fix_dnsbl(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	const struct delist *d = NULL;
	char *zone, *text, key[400];
	size_t i;

	if (f->address == NULL)
		return false;
	zone = dnsbl_zone(c, f);
	for (i = 0; zone != NULL && i < sizeof(delists) / sizeof(delists[0]);
	    i++)
		if (strcmp(delists[i].zone, zone) == 0)
			d = &delists[i];
	text = xasprintf("%s is listed on %s%s%s%s. First find and stop the "
	    "cause (an open relay, a compromised account or web form, a "
	    "spam run: look at the mail log and the queue), then request "
	    "delisting: %s%s%s.", f->address, zone ? zone : "a DNS blocklist",
	    f->evidence ? " (" : "", f->evidence ? f->evidence : "",
	    f->evidence ? ")" : "", d ? d->url : "on the list's web site",
	    d ? ": " : "", d ? d->how : (zone ? " (search for the zone's name)" : ""));
	snprintf(key, sizeof(key), "dnsbl %s %s", f->address,
	    zone ? zone : "?");
	fix_add(p, FIX_ACTION, NULL, key, text,
	    "Outlook.com and Exchange Online refuse mail from addresses on lists they use (550 5.7.1 ... blocked using Spamhaus; S3140/S3150).",
	    d ? d->source : "the list's own web site", f->id);
	free(text);
	text = xasprintf("If Microsoft refuses mail from %s as well, ask "
	    "Microsoft too, after the listings are gone: Exchange Online "
	    "(550 5.7.606-649 \"banned sending IP\", 5.7.511) at "
	    "https://sender.office.com/; Outlook.com and Hotmail (550 5.7.1 "
	    "... (S3140) or (S3150)) with the Outlook.com sender support "
	    "form https://go.microsoft.com/fwlink/?LinkID=614866.",
	    f->address);
	snprintf(key, sizeof(key), "microsoft-delist %s", f->address);
	fix_add(p, FIX_ACTION, NULL, key, text,
	    "Microsoft keeps block lists of its own next to the public ones.",
	    SRC_NDR "; Outlook.com NDR texts (S3140/S3150) and the sender support form they lead to",
	    f->id);
	free(text);
	free(zone);
	return true;
}

static bool
fix_dns(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	struct addr a;
	char rev[128], key[300], *text = NULL, *h;
	const char *host = valid_hostname(f->host) ? f->host : NULL;

	if (strcmp(f->id, "dns.no_mx") == 0 && host != NULL)
		text = xasprintf("Publish an MX record for %s naming its mail "
		    "server, e.g. `%s. IN MX 10 mail.%s.` (with `mail.%s.` "
		    "having A/AAAA records; use your mail server's real "
		    "name).", host, host, host, host);
	else if (strcmp(f->id, "dns.null_mx") == 0 && host != NULL)
		text = xasprintf("%s publishes `%s. IN MX 0 .` (RFC 7505: it "
		    "accepts no mail). If it should receive mail, replace it "
		    "with `%s. IN MX 10 mail.%s.` naming your mail server; if "
		    "not, nothing needs to change.", host, host, host, host);
	else if (strcmp(f->id, "dns.lookup_failed") == 0) {
		if (f->address != NULL && addr_parse(f->address, &a) == 0 &&
		    addr_reverse_name(&a, NULL, rev, sizeof(rev)) == 0)
			text = xasprintf("The reverse zone of %s (%s.) did not "
			    "answer%s%s%s. It is run by the address's owner "
			    "(your ISP or hosting provider): ask them to fix "
			    "its name servers and to set a PTR naming your "
			    "mail server. Check: dig -x %s.", f->address, rev,
			    f->evidence ? " (" : "", f->evidence ? f->evidence :
			    "", f->evidence ? ")" : "", f->address);
		else if (host != NULL)
			text = xasprintf("Make %s resolvable: its zone's name "
			    "servers must answer and it needs `%s. IN A ...` "
			    "and/or `%s. IN AAAA ...` records%s%s%s; with "
			    "DNSSEC the signatures must validate. Check: dig "
			    "+trace %s; delv %s.", host, host, host,
			    f->evidence ? " (" : "", f->evidence ?
			    f->evidence : "", f->evidence ? ")" : "", host, host);
	}
	if (text == NULL)
		return false;
	h = xasprintf("%s %s %s", f->id, host ? host : "",
	    f->address ? f->address : "");
	snprintf(key, sizeof(key), "%s", h);
	free(h);
	fix_add(p, FIX_ACTION, NULL, key, text,
	    "Microsoft's servers find your mail server through DNS: without working records mail is deferred and bounced.",
	    SRC_5321, f->id);
	free(text);
	return true;
}

/* The host name a certificate must cover: the finding's MX host, or
 * for an audit the MTA's own name.  Owned, or NULL. */
static char *
cert_host(const struct fix_ctx *c, const struct fix_finding *f)
{
	char *h = NULL;

	if (valid_hostname(f->host))
		h = xstrdup(f->host);
	else
		h = fix_report_text(json_object_get(c->report, "audit"), "hostname", 256);
	if (h != NULL && !valid_hostname(h)) {
		free(h);
		h = NULL;
	}
	if (h != NULL) {
		str_lower(h);
		str_trim_dot(h);
	}
	return h;
}

/* An audit finding's evidence starts with the file it is about
 * ("/etc/ssl/mail.pem: ..."); owned, or NULL. */
static char *
evidence_path(const struct fix_finding *f)
{
	const char *e = f->evidence, *colon;

	if (e == NULL || (e[0] != '/' && !(isalpha((unsigned char)e[0]) &&
	    e[1] == ':')))
		return NULL;
	if ((colon = strstr(e + 2, ": ")) == NULL)
		return NULL;
	return xstrndup(e, (size_t)(colon - e));
}

static char *
csr_command(const char *host)
{
	return xasprintf("openssl req -new -newkey rsa:2048 -nodes -keyout "
	    "%s.key -out %s.csr -subj \"/CN=%s\" -addext "
	    "\"subjectAltName=DNS:%s\"", host, host, host, host);
}

static bool
fix_chain_incomplete(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f, const char *host)
{
	json_t *h, *addr = fix_report_address(c->report, f->address, &h);
	char *leaf = evidence_path(f), *missing, *cmd, *text, *file, key[300];

	missing = fix_report_text(json_object_get(json_object_get(addr, "tls"),
	    "certificate"), "missing_issuer", 400);
	/* One name for every host: a plan about several MX hosts with the
	 * same certificate needs one file. */
	file = xstrdup("fullchain.pem");
	cmd = xasprintf("mxdoctor fix chain --cert %s -o %s",
	    leaf ? leaf : "LEAF.pem", file);
	text = xasprintf("The server sends its certificate without the "
	    "intermediate%s%s%s. Build the complete chain (leaf, then each "
	    "intermediate; mxdoctor takes the issuers from the trust store "
	    "and --intermediate files, and tells which one is missing and "
	    "where to download it)%s.", missing ? " (missing issuer: " : "",
	    missing ? missing : "", missing ? ")" : "", leaf ? "" :
	    "; LEAF.pem is your server certificate");
	fix_add(p, FIX_FILE, NULL, file, cmd, text, SRC_CHAIN, f->id);
	free(text);
	text = xasprintf("Then point %s at %s, then: %s.",
	    words(p)->chain_setting, file, words(p)->reload);
	snprintf(key, sizeof(key), "chain setting %s", file);
	fix_add(p, FIX_ACTION, NULL, key, text,
	    "Validating senders (connectors with certificate validation, MTA-STS, DANE) fail without the intermediate (4.7.320).",
	    SRC_DANE, f->id);
	free(text);
	free(file);
	free(cmd);
	free(missing);
	free(leaf);
	return true;
}

static bool
fix_cert(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	char *host = cert_host(c, f), *path = evidence_path(f), *csr, *text;
	const char *hn = host ? host : "YOUR.MX.HOST", *why, *src = SRC_DANE;
	char key[400];
	bool ok = true;

	csr = csr_command(hn);
	if (strcmp(f->id, "cert.chain_incomplete") == 0) {
		ok = fix_chain_incomplete(p, c, f, host);
		goto out;
	}
	if (strcmp(f->id, "cert.expired") == 0 ||
	    strcmp(f->id, "cert.expires_soon") == 0 ||
	    strcmp(f->id, "cert.not_yet_valid") == 0) {
		text = xasprintf("Renew the certificate%s%s for %s%s%s%s (with "
		    "an ACME client such as certbot: certbot renew), install "
		    "it with its intermediates, then: %s. Automate it: a "
		    "renewal hook that does the same (%s).%s", path ? " in " : "",
		    path ? path : "", hn, f->evidence ? " (" : "",
		    f->evidence ? f->evidence : "", f->evidence ? ")" : "",
		    words(p)->reload, words(p)->reload,
		    strcmp(f->id, "cert.not_yet_valid") == 0 ?
		    " Check the clocks of the server and of the machine that issued it." : "");
		why = "Validating senders refuse a certificate outside its dates (450 4.7.320, 5.7.322 certificate-expired with DANE).";
	} else if (strcmp(f->id, "cert.self_signed") == 0 ||
	    strcmp(f->id, "cert.untrusted") == 0) {
		text = xasprintf("Serve a certificate from a public CA that "
		    "covers %s%s%s%s%s: get one with an ACME client (certbot "
		    "certonly -d %s) or send your CA this request: %s. Serve "
		    "it with its intermediates (mxdoctor fix chain).%s", hn,
		    path ? ", instead of " : "", path ? path : "",
		    f->evidence ? "; now: " : "", f->evidence ? f->evidence : "",
		    hn, csr, strcmp(f->id, "cert.untrusted") == 0 ?
		    " If it is from a public CA already, an intermediate is "
		    "missing: build the chain with mxdoctor fix chain." : "");
		why = "Opportunistic TLS accepts it, but connectors with certificate validation, MTA-STS and DANE refuse it (4.7.320).";
	} else if (strcmp(f->id, "cert.name_mismatch") == 0) {
		text = xasprintf("Get a certificate whose subjectAltName "
		    "contains %s exactly as the MX record names it%s%s%s: %s "
		    "(or certbot certonly -d %s).", hn, f->evidence ? " (now: " :
		    "", f->evidence ? f->evidence : "", f->evidence ? ")" : "",
		    csr, hn);
		why = "Connectors with DomainValidation and MTA-STS check the MX host name (4.7.320 SubjectMismatch).";
	} else if (strcmp(f->id, "cert.weak_key") == 0) {
		text = xasprintf("Reissue the certificate for %s with a new "
		    "RSA key of 2048 bits or more%s%s%s: %s. Keep an RSA "
		    "certificate (an ECDSA one may be added next to it): every "
		    "suite Microsoft documents is RSA-authenticated.", hn,
		    f->evidence ? " (now: " : "", f->evidence ? f->evidence : "",
		    f->evidence ? ")" : "", csr);
		why = "Windows refuses RSA keys under 1024 bits; current OpenSSL security levels and public CAs refuse keys under 2048 bits.";
		src = "Microsoft Security Advisory 2661254; " SRC_ENC;
	} else if (strcmp(f->id, "cert.weak_signature") == 0) {
		text = xasprintf("Reissue the certificate for %s signed with "
		    "SHA-256 (public CAs do so by default)%s%s%s; if the SHA-1 "
		    "signature is on an intermediate, serve the CA's current "
		    "intermediate instead (mxdoctor fix chain).", hn,
		    f->evidence ? " (now: " : "", f->evidence ? f->evidence : "",
		    f->evidence ? ")" : "");
		why = "Microsoft 365 refuses SHA-1 certificates inbound and outbound since 2016.";
		src = SRC_ENC;
	} else {
		ok = false;
		goto out;
	}
	snprintf(key, sizeof(key), "%s %s", f->id, path ? path : hn);
	fix_add(p, FIX_ACTION, NULL, key, text, why, src, f->id);
	free(text);
out:
	free(csr);
	free(host);
	free(path);
	return ok;
}

bool
fix_generic(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	if (strncmp(f->id, "ptr.", 4) == 0)
		return fix_ptr(p, c, f);
	if (strcmp(f->id, "dnsbl.listed") == 0)
		return fix_dnsbl(p, c, f);
	if (strncmp(f->id, "dns.", 4) == 0)
		return fix_dns(p, c, f);
	if (strncmp(f->id, "cert.", 5) == 0)
		return fix_cert(p, c, f);
	return false;
}
