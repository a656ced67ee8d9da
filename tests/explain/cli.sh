#!/bin/sh
# cli.sh MXDOCTOR PATTERNS: `mxdoctor explain` end to end: exit statuses,
# stderr messages, stdin, gzip, --json, --unknown, --patterns.
# Exit 77 (skipped) when MXDOCTOR has no explain command yet.
set -u
mxd=$1
pat=$2
# meson runs us from the build directory with relative paths: pin them.
case $mxd in /*) ;; *) mxd=$PWD/$mxd ;; esac
case $pat in /*) ;; *) pat=$PWD/$pat ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxd-explain-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0

"$mxd" explain --help >/dev/null 2>&1 || { echo "explain not wired into $mxd: skipped"; exit 77; }

# expect STATUS DESCRIPTION CMD...: runs CMD, stdout to $tmp/out, stderr to $tmp/err
expect() {
	want=$1
	what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: exit $got, want $want"
		sed 's/^/  stderr: /' "$tmp/err" | head -5
		fails=$((fails + 1))
	else
		echo "ok: $what"
	fi
}

# has FILE TEXT DESCRIPTION
has() {
	if grep -q -- "$2" "$1"; then
		echo "ok: $3"
	else
		echo "FAIL: $3: '$2' not in $1"
		fails=$((fails + 1))
	fi
}

cat >"$tmp/fail.log" <<'LOG'
Nov 29 06:33:21 mx1 postfix/smtp[2114]: SSL_connect error to mx.example.com[192.0.2.10]:25: -1
Nov 29 06:33:21 mx1 postfix/smtp[2114]: warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 alert protocol version:ssl/record/rec_layer_s3.c:1584:SSL alert number 70:
Nov 29 06:33:22 mx1 postfix/smtp[2114]: 6A3F21C04A2: to=<user@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1.2, delays=0.1/0/1.1/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)
Nov 29 06:33:23 mx1 postfix/smtp[2115]: 0A1B: to=<a@example.org>, relay=mx.example.org[192.0.2.7]:25, dsn=4.3.0, status=deferred (host mx.example.org[192.0.2.7] said: 451 4.3.0 Temporary System Problem)
LOG
printf 'Nov 29 06:33:21 mx1 postfix/qmgr[811]: 6A3F21C04A2: removed\n' >"$tmp/ok.log"

expect 0 "--help" "$mxd" explain --help
has "$tmp/out" "usage: mxdoctor explain" "--help prints the usage"
expect 3 "unknown option" "$mxd" explain --bogus
has "$tmp/err" "unknown option" "unknown option is named"
expect 3 "--patterns without a value" "$mxd" explain --patterns
expect 3 "--patterns missing file" "$mxd" explain --patterns "$tmp/none.txt" "$tmp/ok.log"
has "$tmp/err" "none.txt" "missing pattern file is named"
expect 0 "ordinary log: nothing recognised" "$mxd" explain --patterns "$pat" "$tmp/ok.log"
has "$tmp/out" "No failure recognised" "says so"
expect 2 "failure recognised" "$mxd" explain --patterns "$pat" --no-color "$tmp/fail.log"
has "$tmp/out" "TLS protocol version mismatch" "names the cause"
has "$tmp/out" "mxdoctor check example.com" "gives the confirming command"
expect 2 "standard input" sh -c "\"$mxd\" explain --patterns \"$pat\" < \"$tmp/fail.log\""
has "$tmp/out" "TLS protocol version mismatch" "stdin is read"
expect 2 "- is standard input" sh -c "\"$mxd\" explain --patterns \"$pat\" - < \"$tmp/fail.log\""

gzip -c "$tmp/fail.log" >"$tmp/fail.log.gz"
expect 2 "gzip input" "$mxd" explain --patterns "$pat" "$tmp/fail.log.gz"
has "$tmp/out" "TLS protocol version mismatch" "gzip is read"

# a big gzip cut in half
i=0
: >"$tmp/big.log"
while [ $i -lt 2000 ]; do cat "$tmp/fail.log" "$tmp/ok.log"; i=$((i + 1)); done >"$tmp/big.log"
gzip -c "$tmp/big.log" >"$tmp/big.gz"
size=$(wc -c <"$tmp/big.gz")
head -c $((size / 2)) "$tmp/big.gz" >"$tmp/cut.gz"
expect 3 "truncated gzip" "$mxd" explain --patterns "$pat" "$tmp/cut.gz"
has "$tmp/err" "cut.gz: truncated gzip data" "one clear line on stderr"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && echo "ok: exactly one stderr line" ||
	{ echo "FAIL: stderr has $(wc -l <"$tmp/err") lines"; fails=$((fails + 1)); }
has "$tmp/out" "TLS protocol version mismatch" "what was read is still reported"

expect 3 "missing input" "$mxd" explain --patterns "$pat" "$tmp/fail.log" "$tmp/missing.log"
has "$tmp/err" "missing.log: No such file or directory" "missing input is named"
has "$tmp/out" "TLS protocol version mismatch" "other inputs still reported"

head -c 20000 /dev/urandom >"$tmp/binary.bin"
cat "$tmp/fail.log" >>"$tmp/binary.bin"
"$mxd" explain --patterns "$pat" "$tmp/binary.bin" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] || [ $rc -eq 2 ]; then echo "ok: binary input, exit $rc"; else
	echo "FAIL: binary input: exit $rc"; fails=$((fails + 1)); fi
# (random bytes may hold no NUL, and may be a gzip stream only by a miracle)

expect 2 "--unknown lists unknown lines" "$mxd" explain --patterns "$pat" --unknown "$tmp/fail.log"
has "$tmp/out" "Temporary System Problem" "the unknown line is listed"

expect 2 "--json" "$mxd" explain --patterns "$pat" --json "$tmp/fail.log"
if command -v jq >/dev/null 2>&1; then
	c=$(jq -r '.groups[0].cause + " " + (.summary.exit_status|tostring)' "$tmp/out")
	[ "$c" = "tls_version 2" ] && echo "ok: JSON parses (jq)" ||
		{ echo "FAIL: JSON: got '$c'"; fails=$((fails + 1)); }
elif command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["groups"][0]["cause"]=="tls_version"' "$tmp/out" &&
		echo "ok: JSON parses (python3)" || { echo "FAIL: JSON"; fails=$((fails + 1)); }
fi

expect 0 "empty input" "$mxd" explain --patterns "$pat" /dev/null

[ $fails -eq 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
