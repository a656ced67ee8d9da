#!/bin/sh
# Postfix TLS configuration from mxdoctor fix.
# Profile: microsoft
# Made from: a check report of tls.example.net
# Postfix version: unknown (syntax every supported release accepts)
# 22 settings to change; 17 steps for you in "# ACTION:" and
# "# FILE:" blocks, which this script does not run.
# Review it, then run it as root: sh THIS-FILE.  Running it again changes
# nothing more.
set -e
PATH=$PATH:/usr/sbin:/usr/local/sbin

# smtpd_tls_security_level: Receiving: offer STARTTLS and accept mail with
# or without it. Exchange Online uses TLS when it is offered and does not
# fall back to plaintext after a failed handshake; "encrypt" would refuse
# senders without TLS, which a public MX must not do.
#   Source: Postfix postconf(5): smtpd_tls_security_level ("encrypt" must
#   not be used on a publicly-referenced server, RFC 3207); Microsoft Learn,
#   "How Exchange Online uses TLS to secure email connections"
#   Clears: starttls.not_offered
postconf -e 'smtpd_tls_security_level = may'

# smtpd_tls_security_level in master.cf smtp/inet: No override in master.cf
# for the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: starttls.not_offered
postconf -PX 'smtp/inet/smtpd_tls_security_level'

# ACTION:
#   Give the server its key and certificate: put the private key, then your
#   certificate, then the CA's intermediate certificates in one file
#   (mxdoctor fix chain --cert cert.pem writes the chain in order), readable
#   by root only, e.g. /etc/postfix/mx-chain.pem, then run: postconf -e
#   'smtpd_tls_chain_files = /etc/postfix/mx-chain.pem' (Postfix 3.4 and
#   later; older: smtpd_tls_key_file and smtpd_tls_cert_file). Use an RSA
#   key (2048 bits or more): every suite Microsoft documents is
#   RSA-authenticated; an ECDSA key and chain may follow in the same list.
#   The certificate must name your MX host as the MX record does.
#   Why:
#     Without a certificate and key Postfix offers no STARTTLS, and
#     Microsoft sends in clear text or, where TLS is required, not at all.
#     This script does not set the file: a setting naming a missing file
#     would stop TLS.
#   Source:
#     Postfix postconf(5): smtpd_tls_chain_files (Postfix 3.4 and later:
#     key, then certificate, then issuers); Microsoft Learn, "Technical
#     reference details about encryption" (TLS 1.2; the ECDHE-RSA and RSA
#     AES suites)
#   Clears: starttls.not_offered

# ACTION:
#   Postfix answers STARTTLS with "454 4.7.0 TLS not available due to local
#   problem" when it cannot load its key or certificate (reply: 454 4.7.0
#   TLS not available due to local problem). Look for the reason: grep -E
#   'cannot load|TLS library problem|key.*mismatch' /var/log/mail.log (or
#   journalctl -u postfix); fix the file named in smtpd_tls_chain_files
#   (key, then certificate, then intermediates; readable by root), then
#   postfix reload.
#   Why:
#     Microsoft's servers see STARTTLS, get an error, and defer the mail:
#     they do not fall back to plaintext.
#   Source:
#     Exchange Online does not fall back to plaintext after a failed
#     STARTTLS (golang/go#70232, mjl-/mox#237, albertito/chasquid#64)
#   Clears: starttls.refused

# smtpd_tls_protocols: The microsoft profile speaks TLSv1.2 to TLSv1.3:
# allow TLSv1.2 and newer (written as exclusions: the ">=" form needs
# Postfix 3.6, and the Postfix version is not known to be that new).
# Receiving with opportunistic TLS: the versions Microsoft's servers send
# with.
#   Source: Postfix postconf(5): smtp_tls_protocols,
#   smtp_tls_mandatory_protocols, smtpd_tls_protocols,
#   smtpd_tls_mandatory_protocols (">=" bounds since Postfix 3.6, "!"
#   exclusions in every release); Microsoft Learn, "Technical reference
#   details about encryption" (TLS 1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: tls.no_tls12_or_newer, tls.sslv3
postconf -e 'smtpd_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

# smtpd_tls_protocols in master.cf smtp/inet: No override in master.cf for
# the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: tls.no_tls12_or_newer, tls.sslv3
postconf -PX 'smtp/inet/smtpd_tls_protocols'

# smtpd_tls_mandatory_protocols: The microsoft profile speaks TLSv1.2 to
# TLSv1.3: allow TLSv1.2 and newer (written as exclusions: the ">=" form
# needs Postfix 3.6, and the Postfix version is not known to be that new).
# Receiving with mandatory TLS (submission services with "encrypt"): the
# same bounds.
#   Source: Postfix postconf(5): smtp_tls_protocols,
#   smtp_tls_mandatory_protocols, smtpd_tls_protocols,
#   smtpd_tls_mandatory_protocols (">=" bounds since Postfix 3.6, "!"
#   exclusions in every release); Microsoft Learn, "Technical reference
#   details about encryption" (TLS 1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: tls.no_tls12_or_newer, tls.sslv3
postconf -e 'smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

# smtpd_tls_mandatory_protocols in master.cf smtp/inet: No override in
# master.cf for the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: tls.no_tls12_or_newer, tls.sslv3
postconf -PX 'smtp/inet/smtpd_tls_mandatory_protocols'

# ACTION:
#   If the handshake still fails without TLS 1.2 afterwards, the OpenSSL
#   Postfix links is too old (before 1.0.1): see `postconf -T run-version`
#   (Postfix 3.1+) and upgrade the operating system's OpenSSL and Postfix.
#   Why:
#     TLS 1.2 needs OpenSSL 1.0.1 or newer; no setting adds it.
#   Source:
#     Microsoft Learn, "Technical reference details about encryption" (TLS
#     1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: tls.no_tls12_or_newer

# ACTION:
#   The server's certificate has an ECDSA key, and every suite Microsoft
#   documents is RSA-authenticated: add an RSA certificate next to it.
#   Postfix 3.4+ serves both: smtpd_tls_chain_files =
#   /etc/postfix/rsa-chain.pem /etc/postfix/ecdsa-chain.pem (each file: key,
#   then certificate, then intermediates).
#   Why:
#     No suite is shared until the server has an RSA certificate.
#   Source:
#     Postfix postconf(5): smtpd_tls_chain_files (Postfix 3.4 and later:
#     key, then certificate, then issuers); Microsoft Learn, "Technical
#     reference details about encryption" (TLS 1.2; the ECDHE-RSA and RSA
#     AES suites)
#   Clears: cipher.no_overlap, cipher.no_forward_secrecy

# smtpd_tls_ciphers: Postfix's default grade: it contains the ECDHE-RSA
# AES-GCM suites Exchange Online offers first. Over-restricting it is the
# common mistake.
#   Source: Postfix postconf(5): smtp_tls_ciphers,
#   smtp_tls_mandatory_ciphers, smtpd_tls_ciphers,
#   smtpd_tls_mandatory_ciphers (default "medium"), tls_medium_cipherlist;
#   Microsoft Learn, "Technical reference details about encryption" (TLS
#   1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: cipher.no_overlap, cipher.no_forward_secrecy
postconf -e 'smtpd_tls_ciphers = medium'

# smtpd_tls_ciphers in master.cf smtp/inet: No override in master.cf for the
# port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: cipher.no_overlap, cipher.no_forward_secrecy
postconf -PX 'smtp/inet/smtpd_tls_ciphers'

# smtpd_tls_mandatory_ciphers: The same grade for mandatory TLS.
#   Source: Postfix postconf(5): smtp_tls_ciphers,
#   smtp_tls_mandatory_ciphers, smtpd_tls_ciphers,
#   smtpd_tls_mandatory_ciphers (default "medium"), tls_medium_cipherlist;
#   Microsoft Learn, "Technical reference details about encryption" (TLS
#   1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: cipher.no_overlap, cipher.no_forward_secrecy
postconf -e 'smtpd_tls_mandatory_ciphers = medium'

# smtpd_tls_mandatory_ciphers in master.cf smtp/inet: No override in
# master.cf for the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: cipher.no_overlap, cipher.no_forward_secrecy
postconf -PX 'smtp/inet/smtpd_tls_mandatory_ciphers'

# smtpd_tls_exclude_ciphers: Exclude RC4, 3DES, DES, export-grade and NULL
# suites (kept: what was excluded before). Microsoft never offers them;
# other senders that do would get a breakable connection. Anonymous suites
# stay: Postfix uses them for opportunistic TLS with clients that verify
# nothing.
#   Source: Postfix postconf(5): smtp_tls_exclude_ciphers,
#   smtpd_tls_exclude_ciphers, *_tls_mandatory_exclude_ciphers; Microsoft
#   Learn, "Technical reference details about encryption" (TLS 1.2; the
#   ECDHE-RSA and RSA AES suites)
#   Clears: cipher.no_overlap, cipher.weak
postconf -e 'smtpd_tls_exclude_ciphers = RC4, 3DES, DES, EXPORT, eNULL'

# smtpd_tls_exclude_ciphers in master.cf smtp/inet: No override in master.cf
# for the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: cipher.no_overlap, cipher.weak
postconf -PX 'smtp/inet/smtpd_tls_exclude_ciphers'

# smtpd_tls_mandatory_exclude_ciphers: The same for mandatory TLS.
#   Source: Postfix postconf(5): smtp_tls_exclude_ciphers,
#   smtpd_tls_exclude_ciphers, *_tls_mandatory_exclude_ciphers
#   Clears: cipher.no_overlap, cipher.no_forward_secrecy
postconf -X 'smtpd_tls_mandatory_exclude_ciphers'

# smtpd_tls_mandatory_exclude_ciphers in master.cf smtp/inet: No override in
# master.cf for the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: cipher.no_overlap, cipher.no_forward_secrecy
postconf -PX 'smtp/inet/smtpd_tls_mandatory_exclude_ciphers'

# tls_medium_cipherlist: Back to Postfix's own "medium" list, which has
# every suite Microsoft documents (a no-op if it was never changed).
#   Source: Postfix postconf(5): smtp_tls_ciphers,
#   smtp_tls_mandatory_ciphers, smtpd_tls_ciphers,
#   smtpd_tls_mandatory_ciphers (default "medium"), tls_medium_cipherlist
#   Clears: cipher.no_overlap, cipher.no_forward_secrecy
postconf -X 'tls_medium_cipherlist'

# tls_medium_cipherlist in master.cf smtp/inet: No override in master.cf for
# the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: cipher.no_overlap, cipher.no_forward_secrecy
postconf -PX 'smtp/inet/tls_medium_cipherlist'

# tls_preempt_cipherlist: With the client's order, Microsoft's ECDHE-first
# list decides: forward secrecy whenever ECDHE is enabled.
#   Source: Postfix postconf(5): tls_preempt_cipherlist (default no);
#   Mozilla SSL Configuration Generator, Postfix template
#   (tls_preempt_cipherlist = no)
#   Clears: cipher.no_forward_secrecy
postconf -e 'tls_preempt_cipherlist = no'

# tls_preempt_cipherlist in master.cf smtp/inet: No override in master.cf
# for the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: cipher.no_forward_secrecy
postconf -PX 'smtp/inet/tls_preempt_cipherlist'

# smtpd_tls_eecdh_grade: "none" disables ECDHE before Postfix 3.6; the
# default (auto or strong) enables it.
#   Source: Postfix postconf(5): smtpd_tls_eecdh_grade ("none" disables
#   ECDHE; ignored since Postfix 3.6)
#   Clears: cipher.no_forward_secrecy
postconf -X 'smtpd_tls_eecdh_grade'

# smtpd_tls_eecdh_grade in master.cf smtp/inet: No override in master.cf for
# the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: cipher.no_forward_secrecy
postconf -PX 'smtp/inet/smtpd_tls_eecdh_grade'

# smtpd_tls_dh1024_param_file: Postfix's built-in DH group is 2048 bits
# since Postfix 3.1 (with 3.7+ and OpenSSL 3, OpenSSL picks one); a
# configured file with a smaller group is what a weak DH finding means.
#   Source: Postfix postconf(5): smtpd_tls_dh1024_param_file (built-in
#   2048-bit group since Postfix 3.1; OpenSSL chooses with Postfix 3.7+ and
#   OpenSSL 3)
#   Clears: cipher.weak_dh
postconf -X 'smtpd_tls_dh1024_param_file'

# smtpd_tls_dh1024_param_file in master.cf smtp/inet: No override in
# master.cf for the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: cipher.weak_dh
postconf -PX 'smtp/inet/smtpd_tls_dh1024_param_file'

# ACTION:
#   No Postfix setting is known to fix this. Postfix (OpenSSL) sends TLS 1.3
#   session tickets after the client's Finished, a pattern not reported to
#   fail with Microsoft; in the mxdoctor lab tls_ssl_options = NO_TICKET,
#   smtpd_tls_session_cache_timeout = 0 and an empty
#   tls_session_ticket_cipher all still sent them (Postfix 3.7). If the
#   tickets come before the client's Finished, something else answers on
#   port 25 (a Go-based proxy or filter such as mox, chasquid, maddy):
#   disable session tickets there, or upgrade it (mox 0.0.13 and later).
#   Why:
#     Since October 2024 Exchange Online aborts TLS 1.3 handshakes when
#     tickets arrive early (451 4.4.0 ... Security status Renegotiate) and
#     does not fall back to plaintext.
#   Source:
#     golang/go#70232, mjl-/mox#237, albertito/chasquid#64,
#     foxcpp/maddy#730; mxdoctor lab (Postfix 3.7: NO_TICKET still sent TLS
#     1.3 tickets); Postfix postconf(5): tls_ssl_options (NO_TICKET "not
#     needed at all for Postfix >= 2.11")
#   Clears: tls13.ticket_interop

# ACTION:
#   Senders that send no SNI get the certificate of smtpd_tls_chain_files;
#   tls_server_sni_maps only adds certificates for the names clients ask
#   for. Make the default one valid for your MX host name,
#   mx.tls.example.net (key, then certificate, then intermediates), then
#   postfix reload.
#   Why:
#     Whether Exchange Online sends SNI is not documented: the certificate
#     served without SNI must work on its own.
#   Source:
#     Postfix postconf(5): tls_server_sni_maps (certificates for the names
#     clients send; smtpd_tls_chain_files stays the default); RFC 6066
#     section 3
#   Clears: sni.required

# FILE: fullchain.pem
#   The server sends its certificate without the intermediate (missing
#   issuer: CN=Example Issuing CA 2,O=Example CA). Build the complete chain
#   (leaf, then each intermediate; mxdoctor takes the issuers from the trust
#   store and --intermediate files, and tells which one is missing and where
#   to download it); LEAF.pem is your server certificate.
#   Run (after review):
#     mxdoctor fix chain --cert LEAF.pem -o fullchain.pem
#   Source:
#     RFC 8446 section 4.4.2 and RFC 5246 section 7.4.2 (the server sends
#     its chain, leaf first); mail servers do not fetch missing
#     intermediates
#   Clears: cert.chain_incomplete

# ACTION:
#   Then point smtpd_tls_chain_files (the key first, then the chain file;
#   before Postfix 3.4 smtpd_tls_cert_file and smtpd_tls_key_file) at
#   fullchain.pem, then: postfix reload.
#   Why:
#     Validating senders (connectors with certificate validation, MTA-STS,
#     DANE) fail without the intermediate (4.7.320).
#   Source:
#     Microsoft Learn, "How SMTP DANE works"; "Enhancing mail flow with
#     MTA-STS"; New-OutboundConnector -TlsSettings (validating senders
#     refuse such certificates)
#   Clears: cert.chain_incomplete

# ACTION:
#   Reissue the certificate for mx.tls.example.net with a new RSA key of
#   2048 bits or more (now: leaf RSA 1024 bits): openssl req -new -newkey
#   rsa:2048 -nodes -keyout mx.tls.example.net.key -out
#   mx.tls.example.net.csr -subj "/CN=mx.tls.example.net" -addext
#   "subjectAltName=DNS:mx.tls.example.net". Keep an RSA certificate (an
#   ECDSA one may be added next to it): every suite Microsoft documents is
#   RSA-authenticated.
#   Why:
#     Windows refuses RSA keys under 1024 bits; current OpenSSL security
#     levels and public CAs refuse keys under 2048 bits.
#   Source:
#     Microsoft Security Advisory 2661254; Microsoft Learn, "Technical
#     reference details about encryption" (RSA-authenticated suites only;
#     SHA-1 certificates refused)
#   Clears: cert.weak_key

# ACTION:
#   Reissue the certificate for mx.tls.example.net signed with SHA-256
#   (public CAs do so by default) (now: leaf sha1WithRSAEncryption); if the
#   SHA-1 signature is on an intermediate, serve the CA's current
#   intermediate instead (mxdoctor fix chain).
#   Why:
#     Microsoft 365 refuses SHA-1 certificates inbound and outbound since
#     2016.
#   Source:
#     Microsoft Learn, "Technical reference details about encryption"
#     (RSA-authenticated suites only; SHA-1 certificates refused)
#   Clears: cert.weak_signature

# ACTION:
#   Renew the certificate for mx.tls.example.net (notAfter
#   2026-01-06T00:00:00Z) (with an ACME client such as certbot: certbot
#   renew), install it with its intermediates, then: postfix reload.
#   Automate it: a renewal hook that does the same (postfix reload).
#   Why:
#     Validating senders refuse a certificate outside its dates (450
#     4.7.320, 5.7.322 certificate-expired with DANE).
#   Source:
#     Microsoft Learn, "How SMTP DANE works"; "Enhancing mail flow with
#     MTA-STS"; New-OutboundConnector -TlsSettings (validating senders
#     refuse such certificates)
#   Clears: cert.expires_soon

# ACTION:
#   Serve a certificate from a public CA that covers mx.tls.example.net;
#   now: unable to get local issuer certificate: get one with an ACME client
#   (certbot certonly -d mx.tls.example.net) or send your CA this request:
#   openssl req -new -newkey rsa:2048 -nodes -keyout mx.tls.example.net.key
#   -out mx.tls.example.net.csr -subj "/CN=mx.tls.example.net" -addext
#   "subjectAltName=DNS:mx.tls.example.net". Serve it with its intermediates
#   (mxdoctor fix chain). If it is from a public CA already, an intermediate
#   is missing: build the chain with mxdoctor fix chain.
#   Why:
#     Opportunistic TLS accepts it, but connectors with certificate
#     validation, MTA-STS and DANE refuse it (4.7.320).
#   Source:
#     Microsoft Learn, "How SMTP DANE works"; "Enhancing mail flow with
#     MTA-STS"; New-OutboundConnector -TlsSettings (validating senders
#     refuse such certificates)
#   Clears: cert.untrusted

# ACTION:
#   203.0.113.5 is listed on b.barracudacentral.org
#   (5.113.0.203.b.barracudacentral.org -> 127.0.0.2). First find and stop
#   the cause (an open relay, a compromised account or web form, a spam run:
#   look at the mail log and the queue), then request delisting:
#   https://www.barracudacentral.org/rbl/removal-request: submit one removal
#   request with the address and what you fixed, then wait a day.
#   Why:
#     Outlook.com and Exchange Online refuse mail from addresses on lists
#     they use (550 5.7.1 ... blocked using Spamhaus; S3140/S3150).
#   Source:
#     Barracuda's own rejection text ("see
#     http://www.barracudacentral.org/rbl/removal-request")
#   Clears: dnsbl.listed

# ACTION:
#   If Microsoft refuses mail from 203.0.113.5 as well, ask Microsoft too,
#   after the listings are gone: Exchange Online (550 5.7.606-649 "banned
#   sending IP", 5.7.511) at https://sender.office.com/; Outlook.com and
#   Hotmail (550 5.7.1 ... (S3140) or (S3150)) with the Outlook.com sender
#   support form https://go.microsoft.com/fwlink/?LinkID=614866.
#   Why:
#     Microsoft keeps block lists of its own next to the public ones.
#   Source:
#     Microsoft Learn, "Email non-delivery reports and SMTP errors in
#     Exchange Online"; "Use the delist portal to remove yourself from the
#     blocked senders list" (sender.office.com); Outlook.com NDR texts
#     (S3140/S3150) and the sender support form they lead to
#   Clears: dnsbl.listed

# ACTION:
#   203.0.113.5 is listed on bl.example.org (5.113.0.203.bl.example.org ->
#   127.0.0.2). First find and stop the cause (an open relay, a compromised
#   account or web form, a spam run: look at the mail log and the queue),
#   then request delisting: on the list's web site (search for the zone's
#   name).
#   Why:
#     Outlook.com and Exchange Online refuse mail from addresses on lists
#     they use (550 5.7.1 ... blocked using Spamhaus; S3140/S3150).
#   Source:
#     the list's own web site
#   Clears: dnsbl.listed

# ACTION:
#   Ask the owner of 203.0.113.5 (your ISP or hosting provider: the reverse
#   zone is theirs, often set in their control panel as "reverse DNS") for
#   this record: `5.113.0.203.in-addr.arpa. IN PTR mx.tls.example.net.` The
#   name must resolve back to the address (forward-confirmed reverse DNS):
#   publish `mx.tls.example.net. IN A 203.0.113.5` in your zone. Check: dig
#   -x 203.0.113.5 +short.
#   Why:
#     Outlook.com requires valid reverse DNS for sending servers and may
#     refuse mail from addresses without it or from dynamic-looking names.
#   Source:
#     Outlook.com sender policies (sendersupport.olc.protection.outlook.com,
#     "Policies, practices and guidelines"): valid, forward-confirmed
#     reverse DNS
#   Clears: ptr.missing

# ACTION:
#   Publish an MX record for tls.example.net naming its mail server, e.g.
#   `tls.example.net. IN MX 10 mail.tls.example.net.` (with
#   `mail.tls.example.net.` having A/AAAA records; use your mail server's
#   real name).
#   Why:
#     Microsoft's servers find your mail server through DNS: without working
#     records mail is deferred and bounced.
#   Source:
#     RFC 5321 section 5.1; RFC 7505 (null MX)
#   Clears: dns.no_mx

# Notes:
# - The check was incomplete (DNS resolver timed out for 1 query): findings
# may be missing; run it again and fix what it finds then.
# - A check report cannot show master.cf: an -o override in the smtp/inet
# service (port 25) would keep the old value, so each setting changed here
# is also removed there (postconf -PX does nothing where there is none). Run
# `mxdoctor audit postfix` for a plan that edits only what is there.

# Findings this script does not change:
# - tls.legacy_protocol (mx.tls.example.net 203.0.113.5): TLS 1.0 is
# accepted too; informational: nothing needs to change (--include-info acts
# on it)
# - future.finding: Something a newer mxdoctor knows
# - Bad ID; rm -rf /: hostile id; not a finding id mxdoctor knows
# - (a finding that is not a JSON object: ignored)

# Check the configuration, then make the running Postfix read it.
postfix check
if postfix status >/dev/null 2>&1; then
	postfix reload
else
	echo 'mxdoctor fix: Postfix is not running; the changes apply when it starts' >&2
fi
