#!/bin/sh
# Postfix TLS configuration from mxdoctor fix.
# Profile: microsoft
# Made from: an audit report of postfix (postconf -c /etc/postfix)
# Postfix version: 3.5.18
# 10 settings to change; 6 steps for you in "# ACTION:" and
# "# FILE:" blocks, which this script does not run.
# Review it, then run it as root: sh THIS-FILE.  Running it again changes
# nothing more.
set -e
PATH=$PATH:/usr/sbin:/usr/local/sbin

# smtp_tls_protocols: The microsoft profile speaks TLSv1.2 to TLSv1.3: allow
# TLSv1.2 and newer (written as exclusions: the ">=" form needs Postfix 3.6,
# and the Postfix version is not known to be that new). Sending with
# opportunistic TLS. A receiver that offers only older versions then gets
# the mail without TLS, as if it offered no STARTTLS.
#   Source: Postfix postconf(5): smtp_tls_protocols,
#   smtp_tls_mandatory_protocols, smtpd_tls_protocols,
#   smtpd_tls_mandatory_protocols (">=" bounds since Postfix 3.6, "!"
#   exclusions in every release); Microsoft Learn, "Technical reference
#   details about encryption" (TLS 1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: config.client_no_tls12
postconf -e 'smtp_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

# smtp_tls_mandatory_protocols: The microsoft profile speaks TLSv1.2 to
# TLSv1.3: allow TLSv1.2 and newer (written as exclusions: the ">=" form
# needs Postfix 3.6, and the Postfix version is not known to be that new).
# Sending with mandatory TLS ("encrypt" and higher, also from
# smtp_tls_policy_maps): the same bounds, so no security level picks an
# older version.
#   Source: Postfix postconf(5): smtp_tls_protocols,
#   smtp_tls_mandatory_protocols, smtpd_tls_protocols,
#   smtpd_tls_mandatory_protocols (">=" bounds since Postfix 3.6, "!"
#   exclusions in every release); Microsoft Learn, "Technical reference
#   details about encryption" (TLS 1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: config.client_no_tls12
postconf -e 'smtp_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

# ACTION:
#   smtp_tls_policy_maps (hash:/etc/postfix/tls_policy) may set "protocols="
#   per destination, which wins over smtp_tls_mandatory_protocols: check the
#   entries that match Microsoft (e.g. outlook.com, .protection.outlook.com)
#   and remove an old protocol list there.
#   Why:
#     A policy entry decides for its destination.
#   Source:
#     Postfix postconf(5): smtp_tls_policy_maps
#   Clears: config.client_no_tls12

# smtp_tls_ciphers: Postfix's default grade: it already contains every suite
# Microsoft documents (ECDHE-RSA and RSA with AES-GCM and AES-CBC).
# Restricting it ("high" with exclusions, a hand-made cipher list) is the
# common cause of "no shared cipher".
#   Source: Postfix postconf(5): smtp_tls_ciphers,
#   smtp_tls_mandatory_ciphers, smtpd_tls_ciphers,
#   smtpd_tls_mandatory_ciphers (default "medium"), tls_medium_cipherlist;
#   Microsoft Learn, "Technical reference details about encryption" (TLS
#   1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: config.client_no_shared_cipher
postconf -e 'smtp_tls_ciphers = medium'

# smtp_tls_exclude_ciphers: This exclusion removes every suite Microsoft
# documents (ECDHE-RSA and RSA with AES): no suite is left in common.
#   Source: Postfix postconf(5): smtp_tls_exclude_ciphers,
#   smtpd_tls_exclude_ciphers, *_tls_mandatory_exclude_ciphers
#   Clears: config.client_no_shared_cipher
postconf -e 'smtp_tls_exclude_ciphers = aNULL, kRSA, MD5'

# smtpd_tls_protocols in master.cf smtp/inet: The microsoft profile speaks
# TLSv1.2 to TLSv1.3: allow TLSv1.2 and newer (written as exclusions: the
# ">=" form needs Postfix 3.6, and the Postfix version is not known to be
# that new). Receiving with opportunistic TLS: the versions Microsoft's
# servers send with. (Set in master.cf: the smtp/inet service overrides
# main.cf there.)
#   Source: Postfix postconf(5): smtp_tls_protocols,
#   smtp_tls_mandatory_protocols, smtpd_tls_protocols,
#   smtpd_tls_mandatory_protocols (">=" bounds since Postfix 3.6, "!"
#   exclusions in every release); Microsoft Learn, "Technical reference
#   details about encryption" (TLS 1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: config.server_no_tls12
postconf -P 'smtp/inet/smtpd_tls_protocols=!SSLv2,!SSLv3,!TLSv1,!TLSv1.1'

# smtpd_tls_protocols in master.cf 192.0.2.1:25/inet: The microsoft profile
# speaks TLSv1.2 to TLSv1.3: allow TLSv1.2 and newer (written as exclusions:
# the ">=" form needs Postfix 3.6, and the Postfix version is not known to
# be that new). Receiving with opportunistic TLS: the versions Microsoft's
# servers send with. (Set in master.cf: the 192.0.2.1:25/inet service
# overrides main.cf there.)
#   Source: Postfix postconf(5): smtp_tls_protocols,
#   smtp_tls_mandatory_protocols, smtpd_tls_protocols,
#   smtpd_tls_mandatory_protocols (">=" bounds since Postfix 3.6, "!"
#   exclusions in every release); Microsoft Learn, "Technical reference
#   details about encryption" (TLS 1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: config.server_no_tls12
postconf -P '192.0.2.1:25/inet/smtpd_tls_protocols=!SSLv2,!SSLv3,!TLSv1,!TLSv1.1'

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
#   Clears: config.server_no_tls12
postconf -e 'smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

# smtpd_tls_exclude_ciphers in master.cf smtp/inet: This exclusion removes
# every suite Microsoft documents (ECDHE-RSA and RSA with AES): no suite is
# left in common. (Set in master.cf: the smtp/inet service overrides main.cf
# there.)
#   Source: Postfix postconf(5): smtp_tls_exclude_ciphers,
#   smtpd_tls_exclude_ciphers, *_tls_mandatory_exclude_ciphers
#   Clears: config.server_no_shared_cipher
postconf -P 'smtp/inet/smtpd_tls_exclude_ciphers=CAMELLIA,aNULL'

# smtpd_tls_loglevel: The value "9x" is one Postfix rejects; this is the
# recommended one. One summary line per TLS connection from a sender
# (version, cipher): shows what Microsoft negotiated, and why a handshake
# failed.
#   Source: Postfix postconf(5): smtp_tls_loglevel, smtpd_tls_loglevel (1: a
#   summary line per TLS handshake)
#   Clears: config.invalid
postconf -e 'smtpd_tls_loglevel = 1'

# smtp_tls_note_starttls_offer: The value "maybe" is one Postfix rejects:
# back to Postfix's default (postconf -d smtp_tls_note_starttls_offer shows
# it).
#   Source: Postfix postfix(1): check; postconf(5)
#   Clears: config.invalid
postconf -X 'smtp_tls_note_starttls_offer'

# FILE: /etc/postfix/chain.pem
#   The certificates in /etc/postfix/chain.pem are not in order (leaf, then
#   each issuer). The command writes them in order (certificates only: a
#   private key in the file is not copied); put the key first again if the
#   file held it, check the result, replace the file with it, then postfix
#   reload.
#   Run (after review):
#     mxdoctor fix chain --cert /etc/postfix/chain.pem -o /etc/postfix/chain.pem.ordered
#   Source:
#     RFC 8446 section 4.4.2; RFC 5246 section 7.4.2; Postfix postconf(5):
#     smtpd_tls_chain_files (Postfix 3.4 and later: key, then certificate,
#     then issuers)
#   Clears: config.chain_order

# ACTION:
#   The key does not belong to the certificate (smtpd_tls_chain_files: key
#   /etc/postfix/key.pem does not match the leaf's public key). Compare the
#   public keys: openssl x509 -in CERT.pem -noout -pubkey | sha256sum;
#   openssl pkey -in KEY.pem -pubout | sha256sum. Use the key the
#   certificate was requested with, or have the certificate reissued for the
#   configured key; in smtpd_tls_chain_files each key comes directly before
#   its own certificate.
#   Why:
#     OpenSSL refuses the pair (key values mismatch): no handshake with that
#     certificate works.
#   Source:
#     Postfix postconf(5): smtpd_tls_chain_files (Postfix 3.4 and later:
#     key, then certificate, then issuers)
#   Clears: config.key_mismatch

# ACTION:
#   Upgrade the operating system's OpenSSL (1.0.1 or newer for TLS 1.2,
#   1.1.1 or newer for TLS 1.3) and the Postfix linked with it (now: OpenSSL
#   1.0.2u 20 Dec 2019); no setting adds a version the library lacks. Check:
#   postconf -T run-version (Postfix 3.1+).
#   Why:
#     Microsoft requires TLS 1.2.
#   Source:
#     Microsoft Learn, "Technical reference details about encryption" (TLS
#     1.2; the ECDHE-RSA and RSA AES suites)
#   Clears: config.tls_library_old

# ACTION:
#   Renew the certificate in /etc/postfix/chain.pem for mail.example.net
#   (/etc/postfix/chain.pem: notAfter 2025-01-01T00:00:00Z, 300 days ago)
#   (with an ACME client such as certbot: certbot renew), install it with
#   its intermediates, then: postfix reload. Automate it: a renewal hook
#   that does the same (postfix reload).
#   Why:
#     Validating senders refuse a certificate outside its dates (450
#     4.7.320, 5.7.322 certificate-expired with DANE).
#   Source:
#     Microsoft Learn, "How SMTP DANE works"; "Enhancing mail flow with
#     MTA-STS"; New-OutboundConnector -TlsSettings (validating senders
#     refuse such certificates)
#   Clears: cert.expired

# ACTION:
#   Get a certificate whose subjectAltName contains mail.example.net exactly
#   as the MX record names it (now: /etc/postfix/chain.pem: certificate
#   names: old.example.net; host name mail.example.net): openssl req -new
#   -newkey rsa:2048 -nodes -keyout mail.example.net.key -out
#   mail.example.net.csr -subj "/CN=mail.example.net" -addext
#   "subjectAltName=DNS:mail.example.net" (or certbot certonly -d
#   mail.example.net).
#   Why:
#     Connectors with DomainValidation and MTA-STS check the MX host name
#     (4.7.320 SubjectMismatch).
#   Source:
#     Microsoft Learn, "How SMTP DANE works"; "Enhancing mail flow with
#     MTA-STS"; New-OutboundConnector -TlsSettings (validating senders
#     refuse such certificates)
#   Clears: cert.name_mismatch

# Findings this script does not change:
# - config.old_protocols (client): The client side also allows TLSv1,
# TLSv1.1; informational: nothing needs to change (--include-info acts on
# it)
# - config.weak_ciphers (server): The server side allows weak cipher suites;
# informational: nothing needs to change (--include-info acts on it)

# Check the configuration, then make the running Postfix read it.
postfix check
if postfix status >/dev/null 2>&1; then
	postfix reload
else
	echo 'mxdoctor fix: Postfix is not running; the changes apply when it starts' >&2
fi
