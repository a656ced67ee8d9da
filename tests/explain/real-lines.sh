#!/bin/sh
# real-lines.sh MXDOCTOR PATTERNS: makes real TLS software fail on loopback and
# checks that `mxdoctor explain` classifies what it logs.
#
# Each case starts `openssl s_server` on 127.0.0.1 with one misconfiguration
# (old protocol only, a cipher the client lacks, a self-signed, expired,
# untrusted or wrongly named certificate) and connects with `openssl
# s_client` and, where installed, Postfix's posttls-finger (the Postfix TLS
# client: its lines are the wording postfix/smtp logs).  The client's and the
# server's output are fed to explain, which must find the expected cause.
# With MXD_REAL_LINES_OUT=DIR the captured outputs are kept there.
# Exit 77 (skipped) when openssl is not installed.
set -u
mxd=$1
pat=$2
# meson runs us from the build directory with relative paths: pin them.
case $mxd in /*) ;; *) mxd=$PWD/$mxd ;; esac
case $pat in /*) ;; *) pat=$PWD/$pat ;; esac
command -v openssl >/dev/null 2>&1 || { echo "no openssl: skipped"; exit 77; }
"$mxd" explain --help >/dev/null 2>&1 || { echo "explain not wired into $mxd: skipped"; exit 77; }
ptf=$(command -v posttls-finger 2>/dev/null || ls /usr/sbin/posttls-finger 2>/dev/null || true)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxd-real-lines.XXXXXX") || exit 1
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
cd "$tmp" || exit 1
fails=0
port=$((20000 + $$ % 20000))

# --- certificates -----------------------------------------------------------
q() { "$@" >/dev/null 2>&1 || { echo "setup failed: $*"; exit 1; }; }
cat >ca.cnf <<CNF
[ca]
default_ca = ca_default
[ca_default]
dir = $tmp
database = $tmp/index.txt
new_certs_dir = $tmp
serial = $tmp/serial
default_md = sha256
policy = policy_any
copy_extensions = copy
unique_subject = no
[policy_any]
commonName = supplied
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
CNF
: >index.txt
echo 01 >serial
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
	-subj "/CN=mxdoctor test CA" -config ca.cnf -extensions v3_ca
q openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.pem -days 30 \
	-subj "/CN=mxdoctor rogue CA" -config ca.cnf -extensions v3_ca
# leaf NAME CA START END: NAME.key/NAME.pem for mx.NAME.test signed by CA
leaf() {
	q openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
		-subj "/CN=mx.$1.test" -addext "subjectAltName=DNS:mx.$1.test"
	q openssl ca -batch -config ca.cnf -cert "$2.pem" -keyfile "$2.key" -in "$1.csr" \
		-out "$1.pem" -startdate "$3" -enddate "$4" -notext
}
leaf good ca 20200101000000Z 20991231000000Z
leaf expired ca 20200101000000Z 20200201000000Z
leaf untrusted rogue 20200101000000Z 20991231000000Z
q openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 30 \
	-subj "/CN=mx.self.test" -addext "subjectAltName=DNS:mx.self.test"

# --- running one case -------------------------------------------------------
# serve NAME ARGS...: s_server on a fresh port for one connection
serve() {
	name=$1
	shift
	port=$((port + 1))
	# -www: no reading of stdin; -naccept 1: gone after one connection
	timeout 10 openssl s_server -www -accept "127.0.0.1:$port" -naccept 1 "$@" \
		</dev/null >"$name.server" 2>&1 &
	server_pid=$!
	i=0
	while [ $i -lt 40 ] && ! grep -q ACCEPT "$name.server" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
}

# finish: waits for the server to end (it serves one connection)
finish() {
	i=0
	while [ $i -lt 40 ] && kill -0 "$server_pid" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	kill "$server_pid" 2>/dev/null
	server_pid=
}

# check NAME FILE CAUSE: explain must find CAUSE in FILE
check() {
	"$mxd" explain --patterns "$pat" --json "$2" >"$1.json" 2>"$1.err"
	if grep -q "\"cause\": \"$3\"" "$1.json"; then
		echo "ok: $1: $3"
	else
		echo "FAIL: $1: want $3; the lines were:"
		grep -i -E "error|alert|verif|fail|SSL" "$2" | head -5 | sed 's/^/    /'
		echo "  explain found: $(grep '"cause"' "$1.json" | tr -d ' \n')"
		fails=$((fails + 1))
	fi
}

# client NAME SERVER-ARGS -- CLIENT-ARGS: s_server vs s_client
client() {
	name=$1
	shift
	sargs=
	while [ "$1" != "--" ]; do sargs="$sargs $1"; shift; done
	shift
	# shellcheck disable=SC2086
	serve "$name" $sargs
	timeout 10 openssl s_client -connect "127.0.0.1:$port" "$@" </dev/null \
		>"$name.client" 2>&1
	finish
}

# finger NAME MATCH SERVER-ARGS -- POSTTLS-FINGER-ARGS: s_server vs
# posttls-finger, which accepts MATCH as the certificate name (-w: TLS from
# the first byte, as on port 465; the handshake is the same as STARTTLS's)
finger() {
	name=$1
	match=$2
	shift 2
	sargs=
	while [ "$1" != "--" ]; do sargs="$sargs $1"; shift; done
	shift
	# shellcheck disable=SC2086
	serve "$name" $sargs
	# After a handshake that works, posttls-finger waits for a greeting the
	# TLS-only server never sends: its lines are out by then, stop it.
	timeout 3 "$ptf" -w -c "$@" "[127.0.0.1]:$port" "$match" >"$name.client" 2>&1
	finish
}

old="-cert good.pem -key good.key -tls1 -cipher DEFAULT@SECLEVEL=0"
new="-cert good.pem -key good.key -tls1_2"

client version $new -- -tls1 -cipher DEFAULT@SECLEVEL=0
check version-client version.client tls_version
check version-server version.server tls_version

client version-old $old -- -tls1_2
check version-old-client version-old.client tls_version

client cipher -cert good.pem -key good.key -tls1_2 -cipher AES128-SHA -- -tls1_2 -cipher AES256-GCM-SHA384
check cipher-client cipher.client cipher
check cipher-server cipher.server cipher

client selfsigned -cert self.pem -key self.key -- -CAfile ca.pem -verify_return_error
check selfsigned-client selfsigned.client cert_self_signed

client expired -cert expired.pem -key expired.key -- -CAfile ca.pem -verify_return_error
check expired-client expired.client cert_expired
check expired-server expired.server cert_expired

client untrusted -cert untrusted.pem -key untrusted.key -- -CAfile ca.pem -verify_return_error
check untrusted-client untrusted.client cert_untrusted
check untrusted-server untrusted.server cert_untrusted

client name -cert good.pem -key good.key -- -CAfile ca.pem -verify_hostname mx.other.test -verify_return_error
check name-client name.client cert_name

if [ -n "$ptf" ] && [ -x "$ptf" ]; then
	finger ptf-version mx.good.test $old -- -l may -p ">=TLSv1.2"
	check ptf-version ptf-version.client tls_version
	finger ptf-cipher mx.good.test -cert good.pem -key good.key -tls1_2 -cipher AES128-SHA -- -l may -o tls_medium_cipherlist=AES256-GCM-SHA384
	check ptf-cipher ptf-cipher.client cipher
	finger ptf-selfsigned mx.self.test -cert self.pem -key self.key -- -l secure -F ca.pem
	check ptf-selfsigned ptf-selfsigned.client cert_self_signed
	finger ptf-untrusted mx.untrusted.test -cert untrusted.pem -key untrusted.key -- -l secure -F ca.pem
	check ptf-untrusted ptf-untrusted.client cert_untrusted
	finger ptf-expired mx.expired.test -cert expired.pem -key expired.key -- -l secure -F ca.pem
	check ptf-expired ptf-expired.client cert_expired
	# The same Postfix lines as postfix/smtp logs them through syslog: one
	# failure, the library's reason winning over "SSL_connect error".
	sed "s/^posttls-finger: /Nov 29 06:33:21 mx1 postfix\/smtp[2114]: /" ptf-version.client >ptf-syslog.log
	"$mxd" explain --patterns "$pat" --json ptf-syslog.log >ptf-syslog.json 2>/dev/null
	if grep -q '"failures": 1,' ptf-syslog.json && grep -q '"cause": "tls_version"' ptf-syslog.json; then
		echo "ok: ptf-syslog: one tls_version failure"
	else
		echo "FAIL: ptf-syslog"; fails=$((fails + 1))
	fi
else
	echo "posttls-finger not installed: Postfix cases skipped"
fi

if [ -n "${MXD_REAL_LINES_OUT:-}" ]; then
	mkdir -p "$MXD_REAL_LINES_OUT" && cp ./*.client ./*.server "$MXD_REAL_LINES_OUT"/
fi
[ $fails -eq 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
