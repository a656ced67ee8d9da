#!/bin/bash
# exim-sendmail.sh MXDOCTOR: `mxdoctor fix`'s Exim and Sendmail output checked by the real programs' own configuration tests, and audit read against them.
#
# The programs are Debian 12's, unpacked by tests/audit/deps.sh under
# /var/cache/mxdoctor-test/root (never installed): exim4 (GnuTLS) with
# libidn12 and nss_wrapper (it looks up its compiled-in user
# Debian-exim, which the test supplies with uid 64000), sendmail with
# libwrap0, m4 and sendmail-cf's cf files.  Sendmail sleeps a minute
# when the host's own name has no dot, so it runs in a UTS namespace
# (unshare -u) named mx.sendmail.roundtrip.test.
#
# Exim:
#  E1. exim -bV says GnuTLS; `mxdoctor audit exim` with --program says the
#      same (tls_library from exim -bV, not inferred).
#  E2. the complete fragment (`mxdoctor fix --mta exim`) spliced into a
#      minimal configuration passes exim -bV (Exim's configuration test).
#  E3. a configuration with TLS 1.0/1.1 only (server and transport) and
#      hosts_avoid_tls = *: `audit exim` reports config.server_no_tls12 and
#      config.client_tls_off; the fragment `fix` makes from that report,
#      applied (REMOVE lines deleted, set lines replacing the old ones),
#      passes exim -bV, and a second audit has neither finding.
#  E4. an openssl_options line on this GnuTLS Exim: exim -bV refuses it,
#      audit says config.invalid, the fix removes it, exim -bV passes.
#  E5. the complete fragment in a running exim -bd on 127.0.3.31:2525:
#      openssl s_client gets TLS 1.2 with ECDHE-RSA-AES256-GCM-SHA384 and
#      ECDHE-RSA-AES128-GCM-SHA256 (Microsoft's first two), TLS 1.3, and no
#      TLS 1.1.
# Sendmail:
#  S1. sendmail -d0.1 says STARTTLS is compiled in.
#  S2. the complete fragment in a minimal sendmail.mc: m4 builds
#      sendmail.cf without a warning, the O lines are the ones the fragment
#      names, and sendmail -bt -C (which reads the whole file) prints no
#      readcf error and exits 0.
#  S3. a .mc with TLS 1.2/1.3 off on both sides and CipherList 3DES: audit
#      (of the built .cf, with the program) reports config.server_no_tls12
#      and config.client_no_tls12; the fix fragment appended (its defines
#      win, its undefine removes CipherList) gives a .cf that passes
#      sendmail -bt and a clean second audit.
#
# When the programs cannot be fetched or run, the test says why and exits
# 77 (skipped); the fragments are then covered by the golden files of
# tests/unit/audit/{exim,sendmail}.
# Exit status: 0 all passed, 1 a failure, 77 skipped.
set -u

mxd=${1:?usage: exim-sendmail.sh MXDOCTOR}
case $mxd in /*) ;; *) mxd=$PWD/$mxd ;; esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${MXD_TEST_CACHE:-/var/cache/mxdoctor-test}
root=$cache/root
lib=$root/usr/lib/x86_64-linux-gnu
nfail=0
npass=0

skip() { echo "skipped: $*"; exit 77; }
ok() { npass=$((npass + 1)); echo "ok - $*"; }
fail() { nfail=$((nfail + 1)); echo "not ok - $*"; }

if [ ! -x "$root/usr/sbin/exim4" ] || [ ! -x "$root/usr/libexec/sendmail/sendmail" ]; then
	if [ "$(id -u)" = 0 ]; then
		bash "$here/deps.sh" >&2 || skip "tests/audit/deps.sh could not fetch Exim and Sendmail"
	else
		skip "Exim and Sendmail are not unpacked in $root (run tests/audit/deps.sh as root)"
	fi
fi
for t in jq openssl unshare awk; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is missing"
done

st=$(mktemp -d /tmp/mxd-exim-sendmail.XXXXXX) || exit 1
chmod 755 "$st"
cleanup() {
	[ -s "$st/exim.pid" ] && kill "$(cat "$st/exim.pid")" 2>/dev/null
	if [ "$nfail" = 0 ] && [ "${MXD_RT_KEEP:-0}" != 1 ]; then
		rm -rf "$st"
	else
		echo "# state kept in $st"
	fi
}
trap cleanup EXIT
mkdir -p "$st/spool" "$st/log"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=mx.roundtrip.test \
    -keyout "$st/mx.key" -out "$st/mx.pem" >/dev/null 2>&1 || { fail "openssl req"; exit 1; }

# Wrappers, so that mxdoctor --program runs them as it would the real
# binaries.
printf 'root:x:0:0:root:/root:/bin/sh\nDebian-exim:x:64000:64000::%s:/bin/false\n' "$st" > "$st/passwd"
printf 'root:x:0:\nDebian-exim:x:64000:\n' > "$st/group"
cat > "$st/exim" <<EOF
#!/bin/sh
export LD_LIBRARY_PATH=$lib LD_PRELOAD=$lib/libnss_wrapper.so
export NSS_WRAPPER_PASSWD=$st/passwd NSS_WRAPPER_GROUP=$st/group
exec $root/usr/sbin/exim4 "\$@"
EOF
cat > "$st/sendmail" <<EOF
#!/bin/sh
exec unshare -u /bin/sh -c 'hostname mx.sendmail.roundtrip.test && LD_LIBRARY_PATH=$lib exec $root/usr/libexec/sendmail/sendmail "\$@"' sendmail "\$@"
EOF
chmod 755 "$st/exim" "$st/sendmail"

subst() { sed -e "s|@STATE@|$st|g" -e "s|@CF@|$root/usr/share/sendmail/cf|g" "$@"; }

# Lines of one block of an Exim fragment: "SET name = value" and
# "RM name" (from "# REMOVE the line that sets name,").
fragment_lines() {
	awk -v want="$2" '
	/^# main section/ { sec = "main"; next }
	/^# in your smtp transport/ { sec = "transport"; next }
	/^# steps for you/ { sec = "steps"; next }
	sec != want { next }
	/^# REMOVE the line that sets / {
		n = $0; sub(/^# REMOVE the line that sets /, "", n); sub(/,.*/, "", n)
		print "RM " n; next
	}
	/^ *[a-z0-9_]+ = / { l = $0; sub(/^ +/, "", l); print "SET " l }
	' "$1"
}

# apply_block PART FRAGMENT SECTION INDENT: PART's lines with the options
# the fragment sets or removes deleted, then the fragment's set lines.
apply_block() {
	local part=$1 frag=$2 sec=$3 indent=$4 names
	names=$(fragment_lines "$frag" "$sec" | awk '{ n = ($1 == "RM") ? $2 : $2; print n }' | sort -u | paste -sd'|')
	if [ -n "$names" ]; then
		grep -v -E "^[[:space:]]*($names)[[:space:]]*=" "$part"
	else
		cat "$part"
	fi
	fragment_lines "$frag" "$sec" | sed -n "s/^SET /$indent/p"
}

# exim_conf OUT MAINPART TRANSPORTPART
exim_conf() {
	{
		subst "$here/exim/base-main.conf"
		cat "$2"
		printf 'begin routers\nbegin transports\nremote_smtp:\n  driver = smtp\n'
		cat "$3"
	} > "$1"
}

exim_check() {
	"$st/exim" -C "$1" -bV > "$1.bV" 2>&1
}

has_finding() {	# REPORT ID
	jq -e --arg id "$2" '[.findings[] | select(.id == $id)] | length > 0' "$1" >/dev/null
}

# ---- Exim -----------------------------------------------------------------

if "$st/exim" -bV > "$st/exim.bV" 2>&1 || grep -q '^Support for:' "$st/exim.bV"; then
	if grep -q '^Support for:.* GnuTLS' "$st/exim.bV"; then
		ok "E1 exim -bV: built with GnuTLS ($(grep -m1 "^Exim version" "$st/exim.bV"))"
	else
		fail "E1 exim -bV does not say GnuTLS"; cat "$st/exim.bV"
	fi
else
	skip "the unpacked exim4 does not run here: $(head -3 "$st/exim.bV")"
fi

# E2: the complete fragment, and the certificate its ACTION asks for.
"$mxd" fix --mta exim > "$st/full.exim" || fail "E2 mxdoctor fix --mta exim"
printf 'tls_certificate = %s/mx.pem\ntls_privatekey = %s/mx.key\n' "$st" "$st" > "$st/certs.conf"
apply_block "$st/certs.conf" "$st/full.exim" main "" > "$st/full-main.conf"
: > "$st/empty"
apply_block "$st/empty" "$st/full.exim" transport "  " > "$st/full-tr.conf"
exim_conf "$st/full.conf" "$st/full-main.conf" "$st/full-tr.conf"
if exim_check "$st/full.conf"; then
	ok "E2 exim -C full.conf -bV accepts the complete fragment ($(grep -c . "$st/full-main.conf") main, $(grep -c . "$st/full-tr.conf") transport lines)"
else
	fail "E2 exim -bV rejects the complete fragment"; cat "$st/full.conf.bV" "$st/full.conf"
fi
"$mxd" audit exim --config "$st/full.conf" --program "$st/exim" --json > "$st/full-audit.json"
if [ "$(jq -r '.audit.tls_library_from' "$st/full-audit.json")" != null ] &&
    jq -e '.audit.tls_library_from | test("exim -bV")' "$st/full-audit.json" >/dev/null &&
    ! jq -e '[.findings[] | select(.severity == "error" or .severity == "warning") | select(.id | startswith("config.") and . != "config.cert_file")] | length > 0' "$st/full-audit.json" >/dev/null; then
	ok "E1/E2 audit of the fixed configuration: library from exim -bV, no config.* error or warning"
else
	fail "E2 audit of the complete fragment"; jq '.findings, .audit.tls_library_from' "$st/full-audit.json"
fi

# E3: round trip from a bad configuration.
subst "$here/exim/bad-main.conf" > "$st/bad-main.conf"
subst "$here/exim/bad-transport.conf" > "$st/bad-tr.conf"
exim_conf "$st/bad.conf" "$st/bad-main.conf" "$st/bad-tr.conf"
exim_check "$st/bad.conf" || { fail "E3 the bad configuration itself fails exim -bV"; cat "$st/bad.conf.bV"; }
"$mxd" audit exim --config "$st/bad.conf" --program "$st/exim" --json > "$st/bad-audit.json"
if has_finding "$st/bad-audit.json" config.server_no_tls12 && has_finding "$st/bad-audit.json" config.client_tls_off; then
	ok "E3 audit exim: config.server_no_tls12 and config.client_tls_off"
else
	fail "E3 audit exim misses findings"; jq '.findings' "$st/bad-audit.json"
fi
"$mxd" fix --mta exim "$st/bad-audit.json" > "$st/bad-fix.exim" || fail "E3 fix from the audit report"
apply_block "$st/bad-main.conf" "$st/bad-fix.exim" main "" > "$st/fixed-main.conf"
apply_block "$st/bad-tr.conf" "$st/bad-fix.exim" transport "  " > "$st/fixed-tr.conf"
exim_conf "$st/fixed.conf" "$st/fixed-main.conf" "$st/fixed-tr.conf"
if exim_check "$st/fixed.conf"; then
	ok "E3 exim -bV accepts the fixed configuration"
else
	fail "E3 exim -bV rejects the fixed configuration"; cat "$st/fixed.conf.bV" "$st/bad-fix.exim"
fi
"$mxd" audit exim --config "$st/fixed.conf" --program "$st/exim" --json > "$st/fixed-audit.json"
if ! has_finding "$st/fixed-audit.json" config.server_no_tls12 && ! has_finding "$st/fixed-audit.json" config.client_tls_off &&
    ! has_finding "$st/fixed-audit.json" config.client_no_tls12; then
	ok "E3 second audit: no config.server_no_tls12, config.client_no_tls12, config.client_tls_off"
else
	fail "E3 second audit still has findings"; jq '.findings' "$st/fixed-audit.json"; cat "$st/bad-fix.exim"
fi

# E4: openssl_options on a GnuTLS Exim.
{ cat "$st/fixed-main.conf"; echo "openssl_options = +no_tlsv1 +no_tlsv1_1"; } > "$st/ossl-main.conf"
exim_conf "$st/ossl.conf" "$st/ossl-main.conf" "$st/fixed-tr.conf"
if exim_check "$st/ossl.conf"; then
	fail "E4 exim -bV accepted openssl_options on GnuTLS"
else
	"$mxd" audit exim --config "$st/ossl.conf" --program "$st/exim" --json > "$st/ossl-audit.json"
	"$mxd" fix --mta exim "$st/ossl-audit.json" > "$st/ossl-fix.exim"
	apply_block "$st/ossl-main.conf" "$st/ossl-fix.exim" main "" > "$st/ossl-fixed-main.conf"
	exim_conf "$st/ossl-fixed.conf" "$st/ossl-fixed-main.conf" "$st/fixed-tr.conf"
	if has_finding "$st/ossl-audit.json" config.invalid && exim_check "$st/ossl-fixed.conf"; then
		ok "E4 openssl_options: exim -bV refuses it, audit says config.invalid, the fix passes exim -bV"
	else
		fail "E4 openssl_options round trip"; jq '.findings' "$st/ossl-audit.json"; cat "$st/ossl-fix.exim" "$st/ossl-fixed.conf.bV"
	fi
fi

# E5: the complete fragment in a running Exim (GnuTLS checks a priority
# string only when a handshake starts): Microsoft's two ECDHE-RSA AES-GCM
# suites with TLS 1.2, TLS 1.3, and no TLS 1.1.
e5_addr=127.0.3.31
e5_port=2525
chown -R 64000:64000 "$st/spool" "$st/log" "$st/mx.key"
if "$st/exim" -C "$st/full.conf" -bd -oX "$e5_addr:$e5_port" -oP "$st/exim.pid" > "$st/exim.bd" 2>&1; then
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -s "$st/exim.pid" ] && break
		sleep 0.5
	done
	hs() {	# OPENSSL-OPTIONS...: "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384" or "none"
		echo QUIT | timeout 10 openssl s_client -connect "$e5_addr:$e5_port" -starttls smtp "$@" 2>&1 |
		    sed -n 's/^New, \([^,]*\), Cipher is \(.*\)$/\1 \2/p' | sed 's/^(NONE) (NONE)$/none/'
	}
	r1=$(hs -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384)
	r2=$(hs -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256)
	r3=$(hs -tls1_3)
	r4=$(hs -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0')
	if [ "$r1" = "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384" ] && [ "$r2" = "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256" ] &&
	    [ "${r3%% *}" = TLSv1.3 ] && { [ -z "$r4" ] || [ "$r4" = none ]; }; then
		ok "E5 exim -bd with the complete fragment: $r1; $r2; $r3; TLS 1.1 refused"
	else
		fail "E5 handshakes with the complete fragment: '$r1' '$r2' '$r3' '$r4'"; tail -5 "$st/log/mainlog"
	fi
	[ -s "$st/exim.pid" ] && kill "$(cat "$st/exim.pid")" 2>/dev/null
else
	fail "E5 exim -bd does not start"; cat "$st/exim.bd"
fi

# ---- Sendmail -------------------------------------------------------------

m4=$root/usr/bin/m4
"$st/sendmail" -d0.1 -bt -C /dev/null < /dev/null > "$st/sendmail.d0" 2>&1
if grep -q 'Compiled with:' "$st/sendmail.d0"; then
	if awk '/Compiled with:/,/^[^ \t]/' "$st/sendmail.d0" | grep -q STARTTLS ||
	    sed -n '/Compiled with:/,/^[A-Za-z]/p' "$st/sendmail.d0" | grep -q STARTTLS; then
		ok "S1 sendmail -d0.1: $(head -1 "$st/sendmail.d0"), STARTTLS compiled in"
	else
		fail "S1 sendmail without STARTTLS"; cat "$st/sendmail.d0"
	fi
else
	skip "the unpacked sendmail does not run here: $(head -3 "$st/sendmail.d0")"
fi

# mc_build OUT.cf PARTS...: head, the parts, tail through m4.
mc_build() {
	local out=$1
	shift
	{ subst "$here/sendmail/base-head.mc"; for p in "$@"; do subst "$p"; done; cat "$here/sendmail/base-tail.mc"; } > "${out%.cf}.mc"
	(cd "$root/usr/share/sendmail/cf/cf" && "$m4" "${out%.cf}.mc" > "$out" 2> "$out.m4err")
	[ -s "$out" ] && [ ! -s "$out.m4err" ]
}

sm_check() {
	"$st/sendmail" -bt -C "$1" < /dev/null > "$1.bt" 2>&1 && ! grep -q 'readcf' "$1.bt"
}

"$mxd" fix --mta sendmail > "$st/full.sendmail" || fail "S2 mxdoctor fix --mta sendmail"
if mc_build "$st/full.cf" "$st/full.sendmail"; then
	if grep -q '^O ServerSSLOptions=+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3 +SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1$' "$st/full.cf" &&
	    grep -q '^O ClientSSLOptions=+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3 +SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1$' "$st/full.cf" &&
	    ! grep -q '^O CipherList=' "$st/full.cf"; then
		ok "S2 m4 builds sendmail.cf from the complete fragment with the O lines it names"
	else
		fail "S2 the .cf lacks the fragment's O lines"; grep -n 'SSL\|Cipher' "$st/full.cf"
	fi
	if sm_check "$st/full.cf"; then
		ok "S2 sendmail -bt -C full.cf reads it without a readcf error"
	else
		fail "S2 sendmail -bt rejects full.cf"; cat "$st/full.cf.bt"
	fi
else
	fail "S2 m4 fails on the complete fragment"; cat "$st/full.cf.m4err"
fi

if mc_build "$st/smbad.cf" "$here/sendmail/bad.mc" && sm_check "$st/smbad.cf"; then
	"$mxd" audit sendmail --config "$st/smbad.cf" --program "$st/sendmail" --json > "$st/smbad-audit.json"
	if has_finding "$st/smbad-audit.json" config.server_no_tls12 && has_finding "$st/smbad-audit.json" config.client_no_tls12 &&
	    jq -e '.audit.tls_library_from | test("sendmail -d0.15")' "$st/smbad-audit.json" >/dev/null; then
		ok "S3 audit sendmail: config.server_no_tls12, config.client_no_tls12; library from sendmail -d0.15"
	else
		fail "S3 audit sendmail misses findings"; jq '.findings, .audit.tls_library_from' "$st/smbad-audit.json"
	fi
	"$mxd" fix --mta sendmail "$st/smbad-audit.json" > "$st/smbad-fix.sendmail" || fail "S3 fix from the audit report"
	if mc_build "$st/smfixed.cf" "$here/sendmail/bad.mc" "$st/smbad-fix.sendmail" && sm_check "$st/smfixed.cf" &&
	    ! grep -q '^O CipherList=' "$st/smfixed.cf"; then
		ok "S3 the fixed sendmail.mc builds, passes sendmail -bt, and has no CipherList (undefine works)"
	else
		fail "S3 the fixed .mc"; cat "$st/smfixed.cf.m4err" "$st/smfixed.cf.bt" 2>/dev/null; grep -n 'SSL\|Cipher' "$st/smfixed.cf"
	fi
	"$mxd" audit sendmail --config "$st/smfixed.cf" --program "$st/sendmail" --json > "$st/smfixed-audit.json"
	if ! has_finding "$st/smfixed-audit.json" config.server_no_tls12 && ! has_finding "$st/smfixed-audit.json" config.client_no_tls12 &&
	    ! has_finding "$st/smfixed-audit.json" config.invalid; then
		ok "S3 second audit: no config.server_no_tls12, config.client_no_tls12, config.invalid"
	else
		fail "S3 second audit still has findings"; jq '.findings' "$st/smfixed-audit.json"
	fi
else
	fail "S3 the bad .mc does not build or pass sendmail -bt"; cat "$st/smbad.cf.m4err" "$st/smbad.cf.bt" 2>/dev/null
fi

echo "$npass passed, $nfail failed"
[ "$nfail" = 0 ]
