#!/bin/bash
# run.sh MXDOCTOR: mxdoctor's TLS prober against a server that really speaks
# legacy TLS.  Debian's OpenSSL cannot serve SSLv3, 3DES or RC4, so the lab
# (tests/lab) never shows them; the JDK's JSSE still can once
# jdk.tls.disabledAlgorithms is emptied.  Compiles LegacySmtpServer.java,
# starts one listener per case on 127.0.3.50 (SMTP + STARTTLS, one protocol
# and suite set each), runs `mxdoctor check --json` against each and asserts
# with jq.  Needs java, javac and keytool (Debian: openjdk-17-jdk-headless)
# and jq; fails (does not skip) when they are missing.  Needs no root and no
# lab: the resolver address answers nothing, so the PTR lookup times out.
set -uo pipefail
mxd=${1:?usage: run.sh MXDOCTOR}
here=$(cd "$(dirname "$0")" && pwd)
addr=127.0.3.50
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }

missing=
for t in java javac keytool jq; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
	nok "tools missing:$missing (install openjdk-17-jdk-headless and jq)"
	finish
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! javac -d "$tmp" "$here/LegacySmtpServer.java" 2>"$tmp/javac.err"; then
	nok "javac LegacySmtpServer.java: $(head -c 300 "$tmp/javac.err")"
	finish
fi
if ! keytool -genkeypair -alias srv -keyalg RSA -keysize 2048 \
	-dname CN=legacy.lab.test -validity 365 -storetype PKCS12 \
	-keystore "$tmp/ks.p12" -storepass changeit -keypass changeit \
	>"$tmp/keytool.err" 2>&1; then
	nok "keytool: $(head -c 300 "$tmp/keytool.err")"
	finish
fi
# Re-enable everything JSSE still implements (SSLv3, RC4, DES, 3DES, EXPORT,
# NULL); "legacy" suites would otherwise only be picked as a last resort.
printf '%s\n' 'jdk.tls.disabledAlgorithms=' 'jdk.tls.legacyAlgorithms=' \
	'jdk.certpath.disabledAlgorithms=' >"$tmp/java.security"

# Servers read a FIFO that only this shell holds open for writing: when the
# script goes away, even by SIGKILL, they see EOF and exit.
mkfifo "$tmp/hold"
exec 3<>"$tmp/hold"

# start NAME PORT PROTOCOLS SUITES [stock]: "stock" keeps the JDK's own
# java.security (legacy algorithms disabled)
names=() ports=()
start() {
	local name=$1 port=$2 props=-Djava.security.properties="$tmp/java.security"
	[ "${5:-}" = stock ] && props=-Dlegacy.stock=1
	java "$props" -cp "$tmp" \
		LegacySmtpServer "$addr" "$port" "$tmp/ks.p12" changeit "$3" "$4" 280 \
		<"$tmp/hold" >"$tmp/$name.srv.out" 2>"$tmp/$name.srv.err" &
	pids+=($!)
	names+=("$name") ports+=("$port")
}
start sslv3   2525 SSLv3 TLS_RSA_WITH_AES_128_CBC_SHA
start 3des    2526 TLSv1.2 SSL_RSA_WITH_3DES_EDE_CBC_SHA
start rc4     2527 TLSv1.2 SSL_RSA_WITH_RC4_128_SHA
start null    2528 TLSv1,TLSv1.1 SSL_RSA_WITH_NULL_SHA
start des     2529 TLSv1.1 SSL_RSA_WITH_DES_CBC_SHA
start export  2530 TLSv1 SSL_RSA_EXPORT_WITH_DES40_CBC_SHA
start modern  2531 default default stock

# wait for every "listening" line (JVM start-up takes a second or two each)
for i in "${!names[@]}"; do
	n=${names[$i]}
	for _ in $(seq 1 150); do
		grep -q '^listening' "$tmp/$n.srv.out" 2>/dev/null && break
		kill -0 "${pids[$i]}" 2>/dev/null || break
		sleep 0.2
	done
	if ! grep -q '^listening' "$tmp/$n.srv.out" 2>/dev/null; then
		nok "server $n did not start: $(head -c 300 "$tmp/$n.srv.err")"
		finish
	fi
done

check() {
	local name=$1 port=$2
	"$mxd" check --json --no-dnsbl --resolver 127.0.0.1@9 --timeout 5 \
		--ehlo client.lab.test "smtp://$addr:$port" \
		>"$tmp/$name.json" 2>"$tmp/$name.err" </dev/null
	if ! jq -e '.targets[0].hosts[0].addresses[0]' "$tmp/$name.json" >/dev/null 2>&1; then
		nok "$name: no address object in the JSON (exit $?): $(head -c 300 "$tmp/$name.err")"
		return 1
	fi
}

# fact NAME DESCRIPTION JQ: JQ runs with $a = the address object, $f = findings
fact() {
	local name=$1 desc=$2 expr=$3
	[ -s "$tmp/$name.json" ] || { nok "$name: $desc (no JSON)"; return; }
	if jq -e ".targets[0].hosts[0].addresses[0] as \$a | .findings as \$f | $expr" \
		"$tmp/$name.json" >/dev/null 2>&1; then
		ok "$name: $desc"
	else
		nok "$name: $desc; got versions=$(jq -c '[.targets[0].hosts[0].addresses[0].tls_scan.versions[]? | select(.accepted) | [.version, .suite]]' "$tmp/$name.json" 2>/dev/null) weak=$(jq -c '.targets[0].hosts[0].addresses[0].tls_scan.probes.weak | {accepted, suite, detail}?' "$tmp/$name.json" 2>/dev/null) findings=$(jq -c '[.findings[] | "\(.id)/\(.severity)"]' "$tmp/$name.json" 2>/dev/null)"
	fi
}
has() { echo "any(\$f[]; .id == \"$1\"${2:+ and .severity == \"$2\"})"; }
hasnt() { echo "(any(\$f[]; .id == \"$1\") | not)"; }
ver() { echo "any(\$a.tls_scan.versions[]; .version == \"$1\" and .accepted == $2${3:+ and .suite == \"$3\"})"; }

for i in "${!names[@]}"; do check "${names[$i]}" "${ports[$i]}"; done

# SSLv3 only, with a suite that is not weak: tls.sslv3 alone
fact sslv3 "SMTP session reached STARTTLS" \
	'$a.smtp.greeting_name == "legacy.lab.test" and $a.smtp.starttls_offered and $a.smtp.starttls_code == 220'
fact sslv3 "tls_scan: SSLv3 accepted with TLS_RSA_WITH_AES_128_CBC_SHA" "$(ver SSLv3 true TLS_RSA_WITH_AES_128_CBC_SHA)"
fact sslv3 "tls_scan: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 tested and refused" \
	'[$a.tls_scan.versions[] | select(.version | test("^TLS")) | .tested and (.accepted | not)] | length == 4 and all'
fact sslv3 "finding tls.sslv3 (error)" "$(has tls.sslv3 error)"
fact sslv3 "no cipher.weak" "$(hasnt cipher.weak)"

# TLS 1.2 with 3DES only
fact 3des "tls_scan: TLSv1.2 accepted with TLS_RSA_WITH_3DES_EDE_CBC_SHA" "$(ver TLSv1.2 true TLS_RSA_WITH_3DES_EDE_CBC_SHA)"
fact 3des "typical: TLSv1.2 3DES, weak" \
	'$a.tls_scan.typical.version == "TLSv1.2" and $a.tls_scan.typical.suite == "TLS_RSA_WITH_3DES_EDE_CBC_SHA" and $a.tls_scan.typical.weak'
fact 3des "weak probe accepted 3DES" '$a.tls_scan.probes.weak.accepted and $a.tls_scan.probes.weak.suite == "TLS_RSA_WITH_3DES_EDE_CBC_SHA"'
fact 3des "finding cipher.weak" "$(has cipher.weak)"
fact 3des "no tls.sslv3, no tls.legacy_protocol" "$(hasnt tls.sslv3) and $(hasnt tls.legacy_protocol)"

# TLS 1.2 with RC4 only
fact rc4 "tls_scan: TLSv1.2 accepted with TLS_RSA_WITH_RC4_128_SHA" "$(ver TLSv1.2 true TLS_RSA_WITH_RC4_128_SHA)"
fact rc4 "weak probe accepted RC4" '$a.tls_scan.probes.weak.accepted and $a.tls_scan.probes.weak.suite == "TLS_RSA_WITH_RC4_128_SHA"'
fact rc4 "finding cipher.weak" "$(has cipher.weak)"

# TLS 1.0/1.1 with NULL only
fact null "tls_scan: TLSv1.1 accepted with TLS_RSA_WITH_NULL_SHA" "$(ver TLSv1.1 true TLS_RSA_WITH_NULL_SHA)"
fact null "weak probe accepted NULL" '$a.tls_scan.probes.weak.accepted and $a.tls_scan.probes.weak.suite == "TLS_RSA_WITH_NULL_SHA"'
fact null "finding cipher.weak" "$(has cipher.weak)"
fact null "finding tls.legacy_protocol" "$(has tls.legacy_protocol)"
fact null "no tls.sslv3" "$(hasnt tls.sslv3)"

# TLS 1.1 with single DES only
fact des "weak probe accepted DES" '$a.tls_scan.probes.weak.accepted and $a.tls_scan.probes.weak.suite == "TLS_RSA_WITH_DES_CBC_SHA"'
fact des "finding cipher.weak" "$(has cipher.weak)"

# TLS 1.0 with an EXPORT suite only
fact export "weak probe accepted EXPORT" '$a.tls_scan.probes.weak.accepted and $a.tls_scan.probes.weak.suite == "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"'
fact export "finding cipher.weak" "$(has cipher.weak)"
fact export "finding tls.legacy_protocol" "$(has tls.legacy_protocol)"

# control: the same JDK with its stock security settings and defaults
fact modern "main handshake ok" '$a.tls.ok'
fact modern "tls_scan: TLSv1.3 and TLSv1.2 accepted, nothing older" \
	"$(ver TLSv1.3 true) and $(ver TLSv1.2 true) and $(ver TLSv1.1 false) and $(ver TLSv1 false) and $(ver SSLv3 false)"
fact modern "weak probe refused" '$a.tls_scan.probes.weak.tested and ($a.tls_scan.probes.weak.accepted | not)'
fact modern "no tls.sslv3, cipher.weak, tls.legacy_protocol" \
	"$(hasnt tls.sslv3) and $(hasnt cipher.weak) and $(hasnt tls.legacy_protocol)"

finish
