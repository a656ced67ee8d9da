#!/bin/bash
# check-lab.sh MXDOCTOR [ROUNDS]: wall time and connections of `mxdoctor check`
# over every lab domain, counted by mxdoctor (JSON) and by the lab Postfix's
# own log ("connect from"), so the two can be compared. Loopback only.
set -euo pipefail
mxd=$(readlink -f "${1:?usage: check-lab.sh MXDOCTOR [ROUNDS]}")
rounds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../tests/lab/lab.sh
state=${MXD_LAB_DIR:-/tmp/mxdoctor-lab}
started=0
if ! bash "$lab" status "$state" >/dev/null 2>&1; then
	bash "$lab" start "$state" >/dev/null
	started=1
fi
trap '[ $started = 1 ] && bash "$lab" stop "$state" >/dev/null 2>&1 || true' EXIT
set -a; . "$state/lab.env"; set +a
maillog=$state/postfix/maillog

domains=$(awk '!/^#/ && NF && $2 ~ /\.lab\.test$/ && $2 !~ /^--/ {print $2}' \
    "$here/../tests/integration/cases.tsv" | sort -u)
ndom=$(echo "$domains" | wc -w)
common=(--json --resolver "$MXD_LAB_RESOLVER" --ca-file "$MXD_LAB_CA_FILE"
    --dnsbl "$MXD_LAB_DNSBL" --ehlo client.lab.test --timeout 5 --greeting-timeout 3)

printf '%-7s %9s %9s %12s %12s %9s\n' round "wall(s)" domains "conn(json)" "conn(log)" addrs
for r in $(seq 1 "$rounds"); do
	before=$(grep -cE ': connect from ' "$maillog" 2>/dev/null || true)
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086
	"$mxd" check "${common[@]}" $domains >"/tmp/mxd-bench-$r.json" || true
	t1=$(date +%s.%N)
	sleep 1	# let Postfix write its log
	after=$(grep -cE ': connect from ' "$maillog" 2>/dev/null || true)
	conn=$(jq '.summary.connections' "/tmp/mxd-bench-$r.json")
	addrs=$(jq '[.targets[].hosts[].addresses[]] | length' "/tmp/mxd-bench-$r.json")
	printf '%-7s %9.2f %9d %12d %12d %9d\n' "$r" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" \
	    "$ndom" "$conn" "$((after - before))" "$addrs"
done
echo "max connections to one address: $(jq '[.targets[].hosts[].addresses[].connections] | max' /tmp/mxd-bench-1.json)"
echo "(the tarpit case holds the run for --greeting-timeout 3 s; the rest run concurrently)"
