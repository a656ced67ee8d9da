#!/bin/sh
# Postfix TLS configuration from mxdoctor fix.
# Profile: microsoft
# Made from: a check report of example.com, nomail.example.org,
# smtps://192.0.2.30
# Postfix version: unknown (syntax every supported release accepts)
# 4 settings to change; 10 steps for you in "# ACTION:" and
# "# FILE:" blocks, which this script does not run.
# Review it, then run it as root: sh THIS-FILE.  Running it again changes
# nothing more.
set -e
PATH=$PATH:/usr/sbin:/usr/local/sbin

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
#   Clears: tls.handshake_failed
postconf -e 'smtpd_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

# smtpd_tls_protocols in master.cf smtp/inet: No override in master.cf for
# the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: tls.handshake_failed
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
#   Clears: tls.handshake_failed
postconf -e 'smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

# smtpd_tls_mandatory_protocols in master.cf smtp/inet: No override in
# master.cf for the port 25 service (see the notes).
#   Source: Postfix master(5): -o overrides main.cf for its service
#   Clears: tls.handshake_failed
postconf -PX 'smtp/inet/smtpd_tls_mandatory_protocols'

# ACTION:
#   Ask the owner of 198.51.100.25 (your ISP or hosting provider: the
#   reverse zone is theirs, often set in their control panel as "reverse
#   DNS") for this record: `25.100.51.198.in-addr.arpa. IN PTR
#   mail.example.com.` The name must resolve back to the address
#   (forward-confirmed reverse DNS): publish `mail.example.com. IN A
#   198.51.100.25` in your zone. Replace mail.example.com with your mail
#   server's name (the name it greets and says HELO with). Check: dig -x
#   198.51.100.25 +short.
#   Why:
#     Outlook.com requires valid reverse DNS for sending servers and may
#     refuse mail from addresses without it or from dynamic-looking names.
#   Source:
#     Outlook.com sender policies (sendersupport.olc.protection.outlook.com,
#     "Policies, practices and guidelines"): valid, forward-confirmed
#     reverse DNS
#   Clears: ptr.missing

# ACTION:
#   2001:db8::10 is listed on zen.spamhaus.org
#   (0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spa
#   mhaus.org -> 127.0.0.3 (CSS: snowshoe spam source); reason: Listed by
#   CSS \"quoted\" \x00\xff). First find and stop the cause (an open relay,
#   a compromised account or web form, a spam run: look at the mail log and
#   the queue), then request delisting: https://check.spamhaus.org/: look
#   the address up; the result names the list (SBL, XBL/CSS, PBL) and how
#   removal works (SBL listings are removed only at the request of the ISP's
#   abuse team).
#   Why:
#     Outlook.com and Exchange Online refuse mail from addresses on lists
#     they use (550 5.7.1 ... blocked using Spamhaus; S3140/S3150).
#   Source:
#     The Spamhaus Project, "Good-bye, Blocklist Removal Center. Hello, IP
#     and Domain Reputation Checker" (2021)
#   Clears: dnsbl.listed

# ACTION:
#   If Microsoft refuses mail from 2001:db8::10 as well, ask Microsoft too,
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
#   nomail.example.org publishes `nomail.example.org. IN MX 0 .` (RFC 7505:
#   it accepts no mail). If it should receive mail, replace it with
#   `nomail.example.org. IN MX 10 mail.nomail.example.org.` naming your mail
#   server; if not, nothing needs to change.
#   Why:
#     Microsoft's servers find your mail server through DNS: without working
#     records mail is deferred and bounced.
#   Source:
#     RFC 5321 section 5.1; RFC 7505 (null MX)
#   Clears: dns.null_mx

# ACTION:
#   Ask the owner of 192.0.2.30 (your ISP or hosting provider: the reverse
#   zone is theirs, often set in their control panel as "reverse DNS") for
#   this record: `30.2.0.192.in-addr.arpa. IN PTR mail.example.com.` The
#   name must resolve back to the address (forward-confirmed reverse DNS):
#   publish `mail.example.com. IN A 192.0.2.30` in your zone. Replace
#   mail.example.com with your mail server's name (the name it greets and
#   says HELO with). Check: dig -x 192.0.2.30 +short.
#   Why:
#     Outlook.com requires valid reverse DNS for sending servers and may
#     refuse mail from addresses without it or from dynamic-looking names.
#   Source:
#     Outlook.com sender policies (sendersupport.olc.protection.outlook.com,
#     "Policies, practices and guidelines"): valid, forward-confirmed
#     reverse DNS
#   Clears: ptr.missing

# ACTION:
#   Renew the certificate for mx1.example.com (notAfter
#   2025-11-17T00:00:00Z, 45 days ago) (with an ACME client such as certbot:
#   certbot renew), install it with its intermediates, then: postfix reload.
#   Automate it: a renewal hook that does the same (postfix reload).
#   Why:
#     Validating senders refuse a certificate outside its dates (450
#     4.7.320, 5.7.322 certificate-expired with DANE).
#   Source:
#     Microsoft Learn, "How SMTP DANE works"; "Enhancing mail flow with
#     MTA-STS"; New-OutboundConnector -TlsSettings (validating senders
#     refuse such certificates)
#   Clears: cert.expired

# ACTION:
#   Get a certificate whose subjectAltName contains mx1.example.com exactly
#   as the MX record names it (now: certificate names: mail.local; host name
#   mx1.example.com): openssl req -new -newkey rsa:2048 -nodes -keyout
#   mx1.example.com.key -out mx1.example.com.csr -subj "/CN=mx1.example.com"
#   -addext "subjectAltName=DNS:mx1.example.com" (or certbot certonly -d
#   mx1.example.com).
#   Why:
#     Connectors with DomainValidation and MTA-STS check the MX host name
#     (4.7.320 SubjectMismatch).
#   Source:
#     Microsoft Learn, "How SMTP DANE works"; "Enhancing mail flow with
#     MTA-STS"; New-OutboundConnector -TlsSettings (validating senders
#     refuse such certificates)
#   Clears: cert.name_mismatch

# ACTION:
#   Serve a certificate from a public CA that covers mx1.example.com; now:
#   subject CN=mail.local, issuer CN=mail.local: get one with an ACME client
#   (certbot certonly -d mx1.example.com) or send your CA this request:
#   openssl req -new -newkey rsa:2048 -nodes -keyout mx1.example.com.key
#   -out mx1.example.com.csr -subj "/CN=mx1.example.com" -addext
#   "subjectAltName=DNS:mx1.example.com". Serve it with its intermediates
#   (mxdoctor fix chain).
#   Why:
#     Opportunistic TLS accepts it, but connectors with certificate
#     validation, MTA-STS and DANE refuse it (4.7.320).
#   Source:
#     Microsoft Learn, "How SMTP DANE works"; "Enhancing mail flow with
#     MTA-STS"; New-OutboundConnector -TlsSettings (validating senders
#     refuse such certificates)
#   Clears: cert.self_signed

# ACTION:
#   The PTR of 2001:db8::10, host-2001-db8--10.dyn.example.net, looks like
#   an ISP's generic or dynamic name (embeds the address; token
#   "dyn"\x1b[2J); if the address is a dynamic one, send through a relay
#   with a static address instead. Ask the owner of 2001:db8::10 (your ISP
#   or hosting provider: the reverse zone is theirs, often set in their
#   control panel as "reverse DNS") for this record:
#   `0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arp
#   a. IN PTR mx1.example.com.` The name must resolve back to the address
#   (forward-confirmed reverse DNS): publish `mx1.example.com. IN AAAA
#   2001:db8::10` in your zone. Check: dig -x 2001:db8::10 +short.
#   Why:
#     Exchange Online refuses IPv6 senders without PTR; Outlook.com may
#     refuse senders without valid reverse DNS.
#   Source:
#     Outlook.com sender policies (sendersupport.olc.protection.outlook.com,
#     "Policies, practices and guidelines"): valid, forward-confirmed
#     reverse DNS; Microsoft Learn, "Support for anonymous inbound email
#     messages over IPv6" (450 4.7.25 without PTR)
#   Clears: ptr.generic, ptr.mismatch

# ACTION:
#   Make mx2.example.com resolvable: its zone's name servers must answer and
#   it needs `mx2.example.com. IN A ...` and/or `mx2.example.com. IN AAAA
#   ...` records (AAAA query for mx2.example.com: timeout); with DNSSEC the
#   signatures must validate. Check: dig +trace mx2.example.com; delv
#   mx2.example.com.
#   Why:
#     Microsoft's servers find your mail server through DNS: without working
#     records mail is deferred and bounced.
#   Source:
#     RFC 5321 section 5.1; RFC 7505 (null MX)
#   Clears: dns.lookup_failed

# Notes:
# - A check report cannot show master.cf: an -o override in the smtp/inet
# service (port 25) would keep the old value, so each setting changed here
# is also removed there (postconf -PX does nothing where there is none). Run
# `mxdoctor audit postfix` for a plan that edits only what is there.

# Findings this script does not change:
# - smtp.connect_failed (mx2.example.com 192.0.2.20): Cannot connect to
# 192.0.2.20 port 25
# - helo.mismatch (mx1.example.com 2001:db8::10): The greeting names
# mail.local but the address's PTR is host-2001-db8--10.dyn.example.net;
# informational: nothing needs to change (--include-info acts on it)

# Check the configuration, then make the running Postfix read it.
postfix check
if postfix status >/dev/null 2>&1; then
	postfix reload
else
	echo 'mxdoctor fix: Postfix is not running; the changes apply when it starts' >&2
fi
