#!/bin/bash
# tls-bench.sh MXDOCTOR [LISTENER]: mxdoctor check, sslscan and testssl.sh
# against the same lab Postfix listener (default: good, 127.0.1.1:25),
# side by side: wall time and connections, counted from the Postfix's own
# log ("connect from" lines of that listener).  Then mxdoctor --ciphers
# against sslscan: the accepted suites per version must be the same.
#
# Installs nothing: apt-get install sslscan testssl.sh (Debian packages).
# Loopback only: testssl.sh runs with --nodns none and never phones out.
set -euo pipefail
mxd=$(readlink -f "${1:?usage: tls-bench.sh MXDOCTOR [LISTENER]}")
listener=${2:-good}
here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../tests/lab/lab.sh
state=${MXD_LAB_DIR:-/tmp/mxdoctor-lab}
suites_tsv=$here/../data/tls-suites.tsv
for tool in sslscan testssl jq; do
	command -v "$tool" >/dev/null ||
	    { echo "tls-bench.sh: $tool not found (apt-get install sslscan testssl.sh jq)" >&2; exit 3; }
done
started=0
if ! bash "$lab" status "$state" >/dev/null 2>&1; then
	bash "$lab" start "$state" >/dev/null
	started=1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tls-bench.XXXXXX")
trap 'rm -rf "$work"; [ $started = 1 ] && bash "$lab" stop "$state" >/dev/null 2>&1 || true' EXIT
set -a; . "$state/lab.env"; set +a
export MXDOCTOR_PROFILE_DIR=${MXDOCTOR_PROFILE_DIR:-$here/../data/profiles}
maillog=$state/postfix/maillog
read -r addr port host < <(awk -v c="$listener" '$1 == c { print $2, $3, $4 }' \
    "$here/../tests/lab/listeners.tsv")
[ -n "${addr:-}" ] || { echo "tls-bench.sh: no listener $listener" >&2; exit 3; }

# connections NAME OFFSET: "connect from" lines of the listener after OFFSET
# bytes of the log (postlogd writes asynchronously: wait for it).
connections() {
	sleep 1
	tail -c +"$(($2 + 1))" "$maillog" |
	    grep -cE "postfix/$1/smtpd\[[0-9]+\]: connect from " || true
}

# run LABEL CMD...: one row: wall time and connections.
run() {
	local label=$1 off t0 t1 n
	shift
	off=$(stat -c %s "$maillog")
	t0=$(date +%s.%N)
	"$@" >"$work/$label.out" 2>"$work/$label.err" || true
	t1=$(date +%s.%N)
	n=$(connections "$listener" "$off")
	printf '%-22s %10.2f %12s\n' "$label" "$(echo "$t1 - $t0" | bc)" "$n"
}

mx=(--resolver "$MXD_LAB_RESOLVER" --ca-file "$MXD_LAB_CA_FILE" --no-dnsbl
    --ehlo client.lab.test --timeout 5 --json -q)
echo "# target: $listener listener, $host ($addr port $port)"
printf '%-22s %10s %12s\n' tool "wall(s)" connections
run mxdoctor "$mxd" check "${mx[@]}" "$host:$port"
run mxdoctor-ciphers "$mxd" check "${mx[@]}" --ciphers "$host:$port"
run sslscan sslscan --starttls-smtp --no-colour "$addr:$port"
run testssl.sh testssl --starttls smtp --nodns none --quiet --color 0 \
    --warnings off --connect-timeout 5 --openssl-timeout 5 "$addr:$port"

# Accepted suites: sslscan prints OpenSSL names, mxdoctor IANA ones; the
# suite table maps one to the other.
awk -F'\t' '!/^#/ && $3 != "-" { print $3 "\t" $2 }' "$suites_tsv" >"$work/names"
sed 's/\x1b\[[0-9;]*m//g' "$work/sslscan.out" |
    awk '$1 == "Accepted" || $1 == "Preferred" { v = $2; if (v == "TLSv1.0") v = "TLSv1"; print v "\t" $5 }' |
    awk -F'\t' 'NR == FNR { iana[$1] = $2; next }
	{ print $1 "\t" ($2 in iana ? iana[$2] : $2) }' "$work/names" - |
    sort -u >"$work/sslscan.suites"
jq -r '.targets[].hosts[].addresses[] | select(.address == "'"$addr"'") |
    .tls_scan.ciphers[]? | .version as $v | .suites[] | "\($v)\t\(.)"' \
    "$work/mxdoctor-ciphers.out" | sort -u >"$work/mxdoctor.suites"
echo
echo "# accepted suites: sslscan $(wc -l <"$work/sslscan.suites"), mxdoctor --ciphers $(wc -l <"$work/mxdoctor.suites")"
if diff "$work/sslscan.suites" "$work/mxdoctor.suites" >"$work/suites.diff"; then
	echo "# the same accepted suites in every version"
else
	echo "# differences (< sslscan only, > mxdoctor only):"
	sed 's/^/#   /' "$work/suites.diff" | grep '^#   [<>]'
fi
