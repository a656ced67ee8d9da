# explain-gen.awk: writes a synthetic but realistic mail log for bench/explain-bench.sh.
#
#   awk -v mb=500 -f bench/explain-gen.awk EXAMPLES >OUT
#
# EXAMPLES holds one failure line per line (the `example:` lines of
# data/explain-patterns.txt).  The log is mostly ordinary Postfix and Dovecot
# traffic (sessions from and to Microsoft, Gmail and others, TLS established,
# deliveries, IMAP logins); about 1 line in 150 is a failure (an example line,
# or a Postfix SSL_connect / TLS library problem / status=deferred triple) and
# about 1 in 700 looks like a failure but matches no pattern.  Deterministic
# (fixed seed) so runs compare.
function pick(n) { return int(rand() * n) }
function ts(   s) {
	sec++
	if (sec >= 60) { sec = 0; min++ }
	if (min >= 60) { min = 0; hour++ }
	if (hour >= 24) { hour = 0; day++ }
	if (day > 28) day = 1
	return sprintf("Nov %2d %02d:%02d:%02d", day, hour, min, sec)
}
function qid(   i, s) {
	s = ""
	for (i = 0; i < 10; i++) s = s substr("0123456789ABCDEF", pick(16) + 1, 1)
	return s
}
function emit(s) { print s; bytes += length(s) + 1 }
function peer(   r) {
	r = pick(4)
	if (r == 0) return sprintf("mail-db8eur05on2%03d.outbound.protection.outlook.com[40.107.%d.%d]", pick(999), pick(255), pick(255))
	if (r == 1) return sprintf("mail-wr1-f%d.google.com[209.85.221.%d]", pick(99), pick(255))
	if (r == 2) return sprintf("mx%d.mail.example.net[198.51.100.%d]", pick(9), pick(255))
	return sprintf("unknown[203.0.113.%d]", pick(255))
}
function rcpt_host(   r) {
	r = pick(3)
	if (r == 0) return sprintf("example-com.mail.protection.outlook.com[52.101.%d.%d]:25", pick(255), pick(255))
	if (r == 1) return sprintf("gmail-smtp-in.l.google.com[142.250.%d.%d]:25", pick(255), pick(255))
	return sprintf("mx.example.org[192.0.2.%d]:25", pick(255))
}
function session(   p, pid, q, t) {
	p = peer(); pid = 1000 + pick(30000); q = qid(); t = ts()
	emit(t " mx1 postfix/smtpd[" pid "]: connect from " p)
	emit(t " mx1 postfix/smtpd[" pid "]: Anonymous TLS connection established from " p ": TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256")
	emit(t " mx1 postfix/smtpd[" pid "]: " q ": client=" p)
	emit(t " mx1 postfix/cleanup[" pid + 7 "]: " q ": message-id=<" q "." pick(99999) "@example.net>")
	emit(t " mx1 postfix/qmgr[811]: " q ": from=<newsletter-" pick(999) "@example.net>, size=" 2000 + pick(90000) ", nrcpt=1 (queue active)")
	emit(t " mx1 postfix/smtpd[" pid "]: disconnect from " p " ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7")
	emit(t " mx1 postfix/lmtp[" pid + 11 "]: " q ": to=<user" pick(999) "@example.com>, relay=mail.example.com[private/dovecot-lmtp], delay=0.1, delays=0.05/0/0/0.05, dsn=2.0.0, status=sent (250 2.0.0 <user@example.com> Saved)")
	emit(t " mx1 postfix/qmgr[811]: " q ": removed")
}
function delivery(   r, pid, q, t) {
	r = rcpt_host(); pid = 2000 + pick(30000); q = qid(); t = ts()
	emit(t " mx1 postfix/smtp[" pid "]: Untrusted TLS connection established to " r ": TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)")
	emit(t " mx1 postfix/smtp[" pid "]: " q ": to=<someone" pick(9999) "@example.org>, relay=" r ", delay=0.8, delays=0.1/0.01/0.3/0.4, dsn=2.0.0, status=sent (250 2.6.0 <" q "@mx1.example.com> [InternalId=" pick(999999999) "] Queued mail for delivery)")
	emit(t " mx1 postfix/qmgr[811]: " q ": removed")
}
function imap(   t) {
	t = ts()
	emit(t " mx1 dovecot: imap-login: Login: user=<user" pick(999) "@example.com>, method=PLAIN, rip=198.51.100." pick(255) ", lip=192.0.2.1, mpid=" pick(99999) ", TLS, session=<" qid() ">")
	emit(t " mx1 dovecot: imap(user" pick(999) "@example.com)<" pick(99999) "><" qid() ">: Logged out in=" pick(999) " out=" pick(99999) " deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0")
}
function failure(   pid, r, q, t) {
	if (pick(3) > 0) { emit(ex[pick(nex)]); return }
	r = rcpt_host(); pid = 3000 + pick(30000); q = qid(); t = ts()
	emit(t " mx1 postfix/smtp[" pid "]: SSL_connect error to " r ": -1")
	emit(t " mx1 postfix/smtp[" pid "]: warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 alert protocol version:ssl/record/rec_layer_s3.c:1584:SSL alert number 70:")
	emit(t " mx1 postfix/smtp[" pid "]: " q ": to=<someone@example.org>, relay=" r ", delay=1.2, delays=0.1/0/1.1/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)")
}
function unknown(   t) {
	t = ts()
	emit(t " mx1 postfix/smtp[" 4000 + pick(9000) "]: " qid() ": to=<a@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=3, delays=0/0/1/2, dsn=4.3.0, status=deferred (host mx.example.org[192.0.2.7] said: 451 4.3.0 Temporary System Problem. Try again later. (in reply to end of DATA command))")
}
NR == FNR { ex[nex++] = $0; next }
END {
	srand(42); day = 1; hour = 6; min = 0; sec = 0
	limit = mb * 1024 * 1024
	while (bytes < limit) {
		r = pick(1000)
		if (r < 6) failure()
		else if (r < 8) unknown()
		else if (r < 450) session()
		else if (r < 800) delivery()
		else imap()
	}
}
