#!/bin/sh
# Postfix TLS configuration from mxdoctor fix.
# Profile: microsoft
# Made from: no report: the complete recommended TLS configuration
# Postfix version: unknown (syntax every supported release accepts)
# 14 settings to change; 1 step for you in "# ACTION:" and
# "# FILE:" blocks, which this script does not run.
# Review it, then run it as root: sh THIS-FILE.  Running it again changes
# nothing more.
set -e
PATH=$PATH:/usr/sbin:/usr/local/sbin

# smtp_tls_security_level: Sending: use TLS whenever the receiver offers
# STARTTLS (Microsoft's MX hosts do), plaintext otherwise; after a failed
# handshake Postfix retries without TLS instead of keeping the mail.
# Mandatory TLS belongs in smtp_tls_policy_maps, for the destinations that
# require it.
#   Source: Postfix postconf(5): smtp_tls_security_level ("may":
#   opportunistic TLS, retried without TLS after a failed handshake);
#   Microsoft Learn, "How Exchange Online uses TLS to secure email
#   connections"
postconf -e 'smtp_tls_security_level = may'

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
postconf -e 'smtp_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

# smtp_tls_ciphers: Postfix's default grade: it already contains every suite
# Microsoft documents (ECDHE-RSA and RSA with AES-GCM and AES-CBC).
# Restricting it ("high" with exclusions, a hand-made cipher list) is the
# common cause of "no shared cipher".
#   Source: Postfix postconf(5): smtp_tls_ciphers,
#   smtp_tls_mandatory_ciphers, smtpd_tls_ciphers,
#   smtpd_tls_mandatory_ciphers (default "medium"), tls_medium_cipherlist;
#   Microsoft Learn, "Technical reference details about encryption" (TLS
#   1.2; the ECDHE-RSA and RSA AES suites)
postconf -e 'smtp_tls_ciphers = medium'

# smtp_tls_mandatory_ciphers: The same grade for mandatory TLS.
#   Source: Postfix postconf(5): smtp_tls_ciphers,
#   smtp_tls_mandatory_ciphers, smtpd_tls_ciphers,
#   smtpd_tls_mandatory_ciphers (default "medium"), tls_medium_cipherlist;
#   Microsoft Learn, "Technical reference details about encryption" (TLS
#   1.2; the ECDHE-RSA and RSA AES suites)
postconf -e 'smtp_tls_mandatory_ciphers = medium'

# smtp_tls_loglevel: One summary line per TLS connection (version, cipher):
# the evidence you (and `mxdoctor explain`) need when a handshake with
# Microsoft fails; higher levels log far more.
#   Source: Postfix postconf(5): smtp_tls_loglevel, smtpd_tls_loglevel (1: a
#   summary line per TLS handshake)
postconf -e 'smtp_tls_loglevel = 1'

# smtpd_tls_security_level: Receiving: offer STARTTLS and accept mail with
# or without it. Exchange Online uses TLS when it is offered and does not
# fall back to plaintext after a failed handshake; "encrypt" would refuse
# senders without TLS, which a public MX must not do.
#   Source: Postfix postconf(5): smtpd_tls_security_level ("encrypt" must
#   not be used on a publicly-referenced server, RFC 3207); Microsoft Learn,
#   "How Exchange Online uses TLS to secure email connections"
postconf -e 'smtpd_tls_security_level = may'

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
postconf -e 'smtpd_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

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
postconf -e 'smtpd_tls_mandatory_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1'

# smtpd_tls_ciphers: Postfix's default grade: it contains the ECDHE-RSA
# AES-GCM suites Exchange Online offers first. Over-restricting it is the
# common mistake.
#   Source: Postfix postconf(5): smtp_tls_ciphers,
#   smtp_tls_mandatory_ciphers, smtpd_tls_ciphers,
#   smtpd_tls_mandatory_ciphers (default "medium"), tls_medium_cipherlist;
#   Microsoft Learn, "Technical reference details about encryption" (TLS
#   1.2; the ECDHE-RSA and RSA AES suites)
postconf -e 'smtpd_tls_ciphers = medium'

# smtpd_tls_mandatory_ciphers: The same grade for mandatory TLS.
#   Source: Postfix postconf(5): smtp_tls_ciphers,
#   smtp_tls_mandatory_ciphers, smtpd_tls_ciphers,
#   smtpd_tls_mandatory_ciphers (default "medium"), tls_medium_cipherlist;
#   Microsoft Learn, "Technical reference details about encryption" (TLS
#   1.2; the ECDHE-RSA and RSA AES suites)
postconf -e 'smtpd_tls_mandatory_ciphers = medium'

# tls_preempt_cipherlist: Let the client choose among the suites both
# support: Microsoft's client lists ECDHE-RSA AES-GCM first, and every suite
# of the "medium" grade it may pick is sound; server order only adds the
# risk of a suite the client implements badly.
#   Source: Postfix postconf(5): tls_preempt_cipherlist (default no);
#   Mozilla SSL Configuration Generator, Postfix template
#   (tls_preempt_cipherlist = no)
postconf -e 'tls_preempt_cipherlist = no'

# smtpd_tls_loglevel: One summary line per TLS connection from a sender
# (version, cipher): shows what Microsoft negotiated, and why a handshake
# failed.
#   Source: Postfix postconf(5): smtp_tls_loglevel, smtpd_tls_loglevel (1: a
#   summary line per TLS handshake)
postconf -e 'smtpd_tls_loglevel = 1'

# smtpd_tls_received_header: Record the TLS version and cipher in the
# Received: header, so a delivered message shows what the sender negotiated
# with you.
#   Source: Postfix postconf(5): smtpd_tls_received_header
postconf -e 'smtpd_tls_received_header = yes'

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

# Notes:
# - Left at Postfix's defaults on purpose: the cipher lists
# (tls_medium_cipherlist, tls_high_cipherlist), exclusions, DH parameters
# (built in) and TLS 1.3 suites; changing them is how configurations stop
# working with Microsoft.
# - master.cf -o overrides of these settings (postconf -P | grep tls) still
# win for their service: remove them unless you mean them (postconf -PX
# service/type/name).

# Check the configuration, then make the running Postfix read it.
postfix check
if postfix status >/dev/null 2>&1; then
	postfix reload
else
	echo 'mxdoctor fix: Postfix is not running; the changes apply when it starts' >&2
fi
