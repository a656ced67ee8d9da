#!/bin/sh
# deps.sh: installs the Debian packages mxdoctor needs to build, test and run its
# demo lab, only those missing. Run as root on Debian 12 or newer.
set -eu

BUILD_PKGS="gcc meson ninja-build pkg-config libssl-dev libevent-dev libunbound-dev libjansson-dev libcmocka-dev libpcre2-dev zlib1g-dev"
LAB_PKGS="openssl ca-certificates postfix unbound rbldnsd jq bind9-dnsutils iproute2 procps"

missing=""
for p in $BUILD_PKGS $LAB_PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Postfix must not start a system instance or ask questions: the lab runs its own.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
