/* catalogue: the stable finding ids, their default severity, meaning, fix and source. */
#include "check/catalogue.h"

#include <string.h>

#define MS_ENC	"Microsoft Learn, \"Technical reference details about encryption\" (microsoft-365/compliance/technical-reference-details-about-encryption.md)"
#define MS_TLS	"Microsoft Learn, \"How Exchange Online uses TLS to secure email connections\"; Exchange Team blog \"Understanding email scenarios if TLS versions cannot be agreed on with Exchange Online\" (2021)"
#define MS_OLC	"Outlook.com sender policies (sendersupport.olc.protection.outlook.com, \"Policies, practices and guidelines\")"
#define MS_V6	"Microsoft Learn, \"Support for anonymous inbound email messages over IPv6\"; Exchange Online NDR table (5.7.25)"
#define MS_NDR	"Microsoft Learn, \"Email non-delivery reports and SMTP errors in Exchange Online\"; Outlook.com NDR texts (S3140/S3150)"
#define MS_DANE	"Microsoft Learn, \"How SMTP DNS-based Authentication of Named Entities (DANE) works\"; \"Enhancing mail flow with MTA-STS\"; New-OutboundConnector -TlsSettings"
#define MS_NOFB	"Exchange Online does not fall back to plaintext after a failed STARTTLS: golang/go#70232, mjl-/mox#237, albertito/chasquid#64 (reports of 451 4.4.0 / 450 4.4.317 deferrals)"
#define RFC5321	"RFC 5321 section 5.1 (MX lookup and implicit MX)"

static const struct catalogue_entry entries[] = {
	{ "dns.no_mx", SEV_WARNING, "No MX record",
	  "The domain has no MX record; senders fall back to the domain's own A/AAAA address (RFC 5321 implicit MX).",
	  "Delivery still works where the fallback address runs a mail server, but many senders and filters treat a missing MX as a misconfiguration, and the fallback host is often a web server.",
	  "Publish an MX record for the domain naming your mail server, e.g. `example.com. IN MX 10 mail.example.com.`",
	  "error when the domain has no address either (then no mail can be delivered at all)", RFC5321 },
	{ "dns.null_mx", SEV_ERROR, "Null MX: the domain accepts no mail",
	  "The domain publishes a null MX (`MX 0 .`, RFC 7505): it declares that it accepts no mail.",
	  "Exchange Online and Outlook.com, like every RFC 7505 sender, bounce mail to such a domain at once.",
	  "If the domain should receive mail, replace the null MX with MX records naming your mail servers. If it should not, this is correct and nothing needs to change.",
	  NULL, "RFC 7505 section 3" },
	{ "dns.lookup_failed", SEV_ERROR, "DNS lookup failed",
	  "A DNS query needed to reach the mail server failed (no such name, server failure or time-out).",
	  "Microsoft's servers cannot deliver to a host whose name they cannot resolve; SERVFAIL answers defer mail and eventually bounce it.",
	  "Make sure the MX target name has A and/or AAAA records, the zone's name servers answer, and DNSSEC (if used) validates.",
	  "warning when only the reverse (PTR) lookup of an address failed", RFC5321 },
	{ "smtp.connect_failed", SEV_ERROR, "Cannot connect to the mail server",
	  "A TCP connection to the SMTP port could not be made (refused, unreachable or timed out).",
	  "Microsoft's servers cannot deliver to this address; if every MX address fails, mail is deferred and finally bounced.",
	  "Check that the MTA listens on this address and port, and that firewalls allow inbound port 25 from the Internet.",
	  NULL, RFC5321 },
	{ "smtp.greeting_failed", SEV_ERROR, "No usable SMTP greeting",
	  "The server did not send a 220 greeting in time, or refused the session in its greeting.",
	  "A sender that gets no 220 greeting cannot start the session; Microsoft's servers defer the message.",
	  "Check the MTA's logs for the refusal or delay (postscreen, greet_pause, connection limits, overloaded server).",
	  NULL, RFC5321 },
	{ "smtp.rate_limited", SEV_WARNING, "Rate limited (421)",
	  "The server answered 421: it limits connections from mxdoctor's address or is shutting down. This is not a TLS failure.",
	  "If Microsoft's sending servers are limited the same way, delivery is deferred, not refused.",
	  "Try again later or from another address; if Microsoft's ranges are affected, raise the connection limits for them.",
	  NULL, "RFC 5321 section 3.8 (421 service not available)" },
	{ "starttls.not_offered", SEV_WARNING, "STARTTLS not offered",
	  "The server does not advertise STARTTLS after EHLO, so mail to it travels unencrypted.",
	  "Exchange Online then sends in clear text, unless a connector, MTA-STS or DANE requires TLS, in which case it fails with 5.7.321 / 4.4.317.",
	  "Enable STARTTLS with a certificate, e.g. in Postfix `smtpd_tls_security_level = may` and `smtpd_tls_chain_files = /etc/ssl/private/mail.pem`.",
	  NULL, MS_TLS },
	{ "starttls.refused", SEV_ERROR, "STARTTLS refused",
	  "The server advertises STARTTLS but refuses it when asked (4xx/5xx reply).",
	  "Microsoft's servers see STARTTLS, try it and get an error; they do not fall back to plaintext and defer the message.",
	  "Fix the MTA's TLS set-up (certificate and key files readable, TLS library working), or stop advertising STARTTLS until it works.",
	  NULL, MS_NOFB },
	{ "tls.handshake_failed", SEV_ERROR, "TLS handshake failed",
	  "STARTTLS was accepted but the TLS handshake failed even though mxdoctor offered every protocol version and cipher suite.",
	  "Exchange Online does not fall back to plaintext after a failed handshake: mail is deferred (451 4.4.0 TLS negotiation failed / 450 4.4.317) and finally bounced.",
	  "Enable TLS 1.2 (and 1.3) with ECDHE-RSA AES-GCM suites and a valid certificate/key pair; check the MTA's TLS log lines for the reason.",
	  NULL, MS_NOFB },
	{ "cert.untrusted", SEV_WARNING, "Certificate not trusted",
	  "The certificate chain does not lead to a trusted root certificate authority.",
	  "Exchange Online delivers anyway by default (opportunistic TLS), but fails with 450 4.7.320 where a connector requires certificate validation, and under MTA-STS enforce.",
	  "Use a certificate from a public CA (e.g. Let's Encrypt) and serve the complete chain: leaf then intermediates.",
	  NULL, MS_DANE },
	{ "cert.self_signed", SEV_WARNING, "Self-signed certificate",
	  "The server presents a self-signed certificate.",
	  "Accepted by opportunistic TLS, refused by any validating sender: Exchange Online connectors with certificate validation (4.7.320), MTA-STS enforce.",
	  "Replace it with a certificate from a public CA (e.g. Let's Encrypt via certbot) covering the MX host name.",
	  NULL, MS_DANE },
	{ "cert.chain_incomplete", SEV_WARNING, "Incomplete certificate chain",
	  "The server sends its certificate without the intermediate CA certificate needed to build a path to a trusted root.",
	  "Mail servers, Exchange Online included, do not fetch missing intermediates: a validating sender fails (4.7.320).",
	  "Serve the full chain file (leaf first, then intermediates), e.g. Postfix `smtpd_tls_chain_files = /etc/ssl/private/key.pem /etc/ssl/certs/fullchain.pem` (fullchain.pem = your certificate, then the CA's intermediate certificates, as the CA delivers them).",
	  NULL, MS_DANE },
	{ "cert.expired", SEV_WARNING, "Certificate expired",
	  "The server's certificate is past its notAfter date.",
	  "Exchange Online still delivers with opportunistic TLS, but fails with 450 4.7.320 / 5.7.322 (certificate-expired) where the certificate is validated: connectors, MTA-STS, DANE.",
	  "Renew the certificate and reload the MTA; automate renewal (certbot with a deploy hook that reloads Postfix).",
	  NULL, MS_DANE },
	{ "cert.not_yet_valid", SEV_WARNING, "Certificate not yet valid",
	  "The server's certificate is before its notBefore date (or the server's clock is wrong).",
	  "Validating senders refuse it exactly as an expired certificate.",
	  "Check the certificate's dates and the issuing machine's clock; install a currently valid certificate.",
	  NULL, MS_DANE },
	{ "cert.expires_soon", SEV_WARNING, "Certificate expires soon",
	  "The server's certificate expires within 30 days.",
	  "Once expired, validating senders (connectors, MTA-STS, DANE) refuse it.",
	  "Renew the certificate now and check that automatic renewal reloads the MTA.",
	  NULL, MS_DANE },
	{ "cert.name_mismatch", SEV_WARNING, "Certificate does not match the host name",
	  "None of the certificate's names (subjectAltName, or CN without SAN) matches the MX host name.",
	  "Exchange Online connectors with DomainValidation and MTA-STS check the MX host name; they refuse the certificate (4.7.320 SubjectMismatch).",
	  "Get a certificate whose subjectAltName contains the MX host name exactly as the MX record names it.",
	  NULL, MS_DANE },
	{ "cert.weak_key", SEV_WARNING, "Weak certificate key",
	  "A certificate the server sends has an RSA/DSA key under 2048 bits or an EC key under 224 bits.",
	  "Windows (Schannel) refuses RSA keys under 1024 bits outright; keys under 2048 bits are refused by current OpenSSL security levels and public CAs.",
	  "Issue a new certificate with an RSA 2048+ or ECDSA P-256 key (keep an RSA certificate: Microsoft's documented suites are all RSA-authenticated).",
	  "error when an RSA key is under 1024 bits (Windows rejects it)", "Microsoft Security Advisory 2661254 (RSA keys under 1024 bits blocked)" },
	{ "cert.weak_signature", SEV_ERROR, "Weak certificate signature (SHA-1/MD5)",
	  "A certificate the server sends (other than a self-signed root) is signed with SHA-1 or MD5.",
	  "Microsoft 365 does not accept SHA-1 certificates inbound or outbound since 2016.",
	  "Reissue the certificate with a SHA-256 signature (every public CA does this by default).",
	  NULL, MS_ENC },
	{ "ptr.missing", SEV_WARNING, "No reverse DNS (PTR)",
	  "The address has no PTR record.",
	  "Outlook.com requires valid reverse DNS for sending servers and may refuse mail without it; Exchange Online refuses IPv6 senders without PTR (450 4.7.25).",
	  "Ask the owner of the address (your hosting provider or ISP) to set a PTR record naming your mail server, whose A/AAAA points back to the address.",
	  "error for --sending-ip addresses (the addresses Microsoft judges when you send)", MS_OLC "; " MS_V6 },
	{ "ptr.mismatch", SEV_WARNING, "Reverse DNS not forward-confirmed",
	  "The address's PTR name does not resolve back to the address (no forward-confirmed reverse DNS).",
	  "Outlook.com may refuse senders that fail a reverse-DNS lookup.",
	  "Make the PTR name's A/AAAA record contain this address, or change the PTR to a name that does.",
	  NULL, MS_OLC },
	{ "ptr.generic", SEV_WARNING, "Generic or dynamic-looking PTR",
	  "The PTR name looks like an ISP's generic or dynamic name (it embeds the address, or has tokens like dyn, dsl, pool).",
	  "Outlook.com says connections from dynamic IP space may not be accepted, and filters score such names as residential.",
	  "Ask the address's owner for a PTR naming your mail server (e.g. mail.example.com), with a matching A/AAAA record.",
	  NULL, MS_OLC },
	{ "helo.mismatch", SEV_INFO, "Greeting name differs from PTR",
	  "The name in the server's 220 greeting is not the address's PTR name.",
	  "Harmless for receiving; when the same host sends, consistent greeting, HELO and PTR names avoid spam-score penalties.",
	  "Set the MTA's host name (Postfix `myhostname`) to the name the PTR record gives.",
	  NULL, MS_OLC },
	{ "dnsbl.listed", SEV_WARNING, "Address on a DNS blocklist",
	  "The address is listed on a DNS blocklist. mxdoctor queries by default zen.spamhaus.org, b.barracudacentral.org, bl.spamcop.net, psbl.surriel.com and bl.mailspike.net (IPv6 addresses: zen.spamhaus.org only); `--dnsbl` replaces the list. An answer by which a list refuses the query (Spamhaus 127.255.255.x for queries through public resolvers, 127.0.0.1 per RFC 5782) means \"could not check\", never \"listed\".",
	  "Outlook.com and Exchange Online refuse mail from addresses on lists they use (550 5.7.1 ... blocked using Spamhaus, S3140/S3150).",
	  "Find and stop the cause (open relay, compromised account, spam), then request delisting at the list's web site.",
	  "error for lists Microsoft is documented to use (Spamhaus ZEN)", MS_NDR },
};

const struct catalogue_entry *
catalogue_all(size_t *n)
{
	*n = sizeof(entries) / sizeof(entries[0]);
	return entries;
}

const struct catalogue_entry *
catalogue_find(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (strcmp(entries[i].id, id) == 0)
			return &entries[i];
	return NULL;
}
