# gen-suites.awk: turns data/tls-suites.tsv into two C initialiser lists.
#
# Usage: awk -v tls=OUT1 -v ssl2=OUT2 -f gen-suites.awk data/tls-suites.tsv
# OUT1 receives the TLS suites (2-byte codes), OUT2 the SSLv2 cipher kinds
# (3-byte codes), one "{ ... }," line each, for suites.c to #include inside
# its static tables.  POSIX awk only (mawk, gawk, busybox): the build must
# not need python.  Any malformed row, unknown keyword or duplicate code or
# name is reported with its line number and fails the build.

function fail(msg) {
	printf("%s:%d: %s\n", FILENAME, FNR, msg) > "/dev/stderr"
	failed = 1
	exit 1
}

function member(word, list,    n, i, a) {
	n = split(list, a, " ")
	for (i = 1; i <= n; i++)
		if (a[i] == word)
			return 1
	return 0
}

function cstr(s) {
	if (s == "-")
		return "NULL"
	return "\"" s "\""
}

# The C flag expression for the flags column.
function cflags(col, t13, minv,    n, i, a, out) {
	out = ""
	if (col != "-") {
		n = split(col, a, ",")
		for (i = 1; i <= n; i++) {
			if (!member(a[i], "export null anon rc4 3des des fs scsv nonstd"))
				fail("unknown flag '" a[i] "'")
			out = out (out == "" ? "" : " | ") "TLS_SUITE_" toupper(a[i])
		}
	}
	if (t13 == "y")
		out = out (out == "" ? "" : " | ") "TLS_SUITE_TLS13"
	return out == "" ? "0" : out
}

BEGIN {
	FS = "\t"
	if (tls == "" || ssl2 == "") {
		print "gen-suites.awk: set -v tls=FILE -v ssl2=FILE" > "/dev/stderr"
		failed = 1
		exit 1
	}
	kxs = "RSA RSA_EXPORT DH DHE ECDH ECDHE PSK DHE_PSK RSA_PSK ECDHE_PSK KRB5 SRP ECCPWD NULL ANY -"
	auths = "RSA DSS ECDSA PSK KRB5 SRP ECCPWD anon NULL ANY -"
	macs = "MD5 SHA1 SHA256 SHA384 AEAD NULL -"
	print "/* generated from data/tls-suites.tsv by gen-suites.awk: do not edit */" > tls
	print "/* generated from data/tls-suites.tsv by gen-suites.awk: do not edit */" > ssl2
}

/^#/ || /^[ \t]*$/ { next }

{
	if (NF != 10)
		fail("expected 10 tab-separated columns, got " NF)
	code = $1; name = $2; ossl = $3; kx = $4; auth = $5
	cipher = $6; mac = $7; bits = $8; t13 = $9
	if (code !~ /^0x[0-9A-F][0-9A-F][0-9A-F][0-9A-F]([0-9A-F][0-9A-F])?$/)
		fail("bad code '" code "' (0xHHHH or 0xHHHHHH, upper case)")
	if (name !~ /^(TLS|SSL)_[A-Za-z0-9_]+$/)
		fail("bad IANA name '" name "'")
	if (ossl != "-" && ossl !~ /^[A-Za-z0-9_-]+$/)
		fail("bad OpenSSL name '" ossl "'")
	if (!member(kx, kxs))
		fail("unknown key exchange '" kx "'")
	if (!member(auth, auths))
		fail("unknown authentication '" auth "'")
	if (cipher !~ /^([A-Z0-9_]+|-)$/)
		fail("bad cipher '" cipher "'")
	if (!member(mac, macs))
		fail("unknown mac '" mac "'")
	if (bits !~ /^[0-9]+$/ || bits + 0 > 512)
		fail("bad bits '" bits "'")
	if (t13 != "y" && t13 != "n")
		fail("tls13 must be y or n")
	if (code in seen_code)
		fail("duplicate code " code)
	seen_code[code] = 1
	ssl2kind = length(code) == 8
	ns = ssl2kind ? "2" : "t"
	key = ns name
	if (key in seen_name)
		fail("duplicate name " name)
	seen_name[key] = 1
	if (ossl != "-") {
		key = ns ossl
		if (key in seen_ossl)
			fail("duplicate OpenSSL name " ossl)
		seen_ossl[key] = 1
	}
	# The oldest version the suite is offered in (see the file's header).
	if (ssl2kind)
		minv = "TLS_V_SSL2"
	else if (t13 == "y")
		minv = "TLS_V_TLS13"
	else if (mac == "SHA256" || mac == "SHA384" || mac == "AEAD")
		minv = "TLS_V_TLS12"
	else
		minv = "TLS_V_SSL3"
	line = sprintf("\t{ %s, %s, %s, %s, %s, %s, %s, %d, %s, %s },",
	    code, cstr(name), cstr(ossl), cstr(kx), cstr(auth), cstr(cipher),
	    cstr(mac), bits, minv, cflags($10, t13, minv))
	if (ssl2kind) {
		print line > ssl2
		nssl2++
	} else {
		print line > tls
		ntls++
	}
}

END {
	if (failed)
		exit 1
	if (ntls == 0 || nssl2 == 0) {
		print "gen-suites.awk: no suites read" > "/dev/stderr"
		exit 1
	}
}
