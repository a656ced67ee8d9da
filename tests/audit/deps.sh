#!/bin/bash
# deps.sh: Debian's Exim (exim4-daemon-light) and Sendmail (sendmail-bin, sendmail-cf) unpacked for tests/audit/exim-sendmail.sh, never installed.
#
# The .debs are fetched with apt-get download into $MXD_TEST_CACHE
# (default /var/cache/mxdoctor-test/debs) and unpacked with dpkg -x into
# $MXD_TEST_CACHE/root: no package scripts run, no daemon starts, no
# user is added, /etc and /usr/sbin stay as they are.  What the programs
# need that a build machine lacks is unpacked beside them: libidn12
# (exim4), libwrap0 (sendmail), libnss-wrapper (exim looks up its
# compiled-in user Debian-exim; tests give it one through nss_wrapper)
# and m4 (sendmail.mc -> sendmail.cf).  Set-id bits are dropped so that
# LD_LIBRARY_PATH works.  Running it again with everything in place does
# nothing.  Needs root (apt-get) only when something must be fetched.
set -eu

cache=${MXD_TEST_CACHE:-/var/cache/mxdoctor-test}
root=$cache/root
pkgs="exim4-base exim4-config exim4-daemon-light libidn12 libnss-wrapper sendmail-bin sendmail-cf libwrap0 m4"
stamp="$pkgs v1"

if [ -f "$root/.mxd-stamp" ] && [ "$(cat "$root/.mxd-stamp")" = "$stamp" ]; then
	exit 0
fi
mkdir -p "$cache/debs"
cd "$cache/debs"
need=""
for p in $pkgs; do
	ls "${p}"_*.deb >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "tests/audit/deps.sh: not root, cannot fetch:$need" >&2
		exit 1
	fi
	echo "tests/audit/deps.sh: fetching:$need" >&2
	# apt's download sandbox user must be able to write here.
	chown _apt "$cache/debs" 2>/dev/null || true
	# shellcheck disable=SC2086
	if ! apt-get download -qq $need >/dev/null 2>&1; then
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get download -qq $need >/dev/null
	fi
fi
rm -rf "$root.new"
mkdir -p "$root.new"
for d in ./*.deb; do
	dpkg -x "$d" "$root.new"
done
find "$root.new" -type f -perm /6000 -exec chmod ug-s {} +
rm -rf "$root"
mv "$root.new" "$root"
echo "$stamp" > "$root/.mxd-stamp"
echo "tests/audit/deps.sh: Exim and Sendmail unpacked in $root" >&2
