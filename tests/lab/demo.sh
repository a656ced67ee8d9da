#!/bin/bash
# demo.sh: start the lab, show mxdoctor's human-readable report on a few lab domains, stop the lab.
#
# Usage: demo.sh MXDOCTOR_BINARY [DOMAIN...]
#
# The lab is stopped at the end only if demo.sh started it.  Without
# DOMAINs, a handful of interesting cases is shown (see README.md).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -lt 1 ]; then
	echo "usage: demo.sh MXDOCTOR_BINARY [DOMAIN...]" >&2
	exit 2
fi
mxd=$1
shift
[ -x "$mxd" ] || { echo "demo.sh: $mxd is not executable" >&2; exit 2; }
domains=("$@")
[ ${#domains[@]} -gt 0 ] || domains=(
	good.lab.test
	chain-incomplete.lab.test
	expired.lab.test
	starttls-broken.lab.test
	ptr-generic.lab.test
	dnsbl-listed.lab.test
	mixed.lab.test
)

export MXD_LAB_DIR=${MXD_LAB_DIR:-/tmp/mxdoctor-lab}
started=
if ! "$here/lab.sh" status "$MXD_LAB_DIR" >/dev/null 2>&1; then
	"$here/lab.sh" start "$MXD_LAB_DIR" || exit 1
	started=1
fi
stop() { if [ -n "$started" ]; then "$here/lab.sh" stop "$MXD_LAB_DIR"; fi; }
trap stop EXIT
trap 'exit 1' INT TERM
set -a
# shellcheck disable=SC1091
. "$MXD_LAB_DIR/lab.env"
set +a

opts=(--resolver "$MXD_LAB_RESOLVER" --ca-file "$MXD_LAB_CA_FILE" --dnsbl "$MXD_LAB_DNSBL"
	--ehlo client.lab.test --timeout 5 --greeting-timeout 3)
for d in "${domains[@]}"; do
	echo
	echo "=== mxdoctor check $d    (lab: resolver $MXD_LAB_RESOLVER, CA $MXD_LAB_CA_FILE, DNSBL $MXD_LAB_DNSBL)"
	echo
	"$mxd" check "${opts[@]}" "$d"
	echo "(exit status $?)"
done
echo
