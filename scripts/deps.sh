#!/bin/sh
# deps.sh: installs the Debian packages mxdoctor needs to build and test, only
# those missing: the build's here, the lab's through tests/lab/deps.sh (which
# keeps package scripts from starting the distribution's daemons).
set -eu
cd "$(dirname "$0")/.."

BUILD_PKGS="gcc meson ninja-build pkg-config libssl-dev libevent-dev libunbound-dev libjansson-dev libcmocka-dev libhyperscan-dev zlib1g-dev libgnutls28-dev"
# tests/legacy runs a JDK SMTP server: the only server here that still
# speaks SSLv3, RC4 and 3DES (Debian's OpenSSL cannot).
TEST_PKGS="openjdk-17-jdk-headless"

missing=""
for p in $BUILD_PKGS $TEST_PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
		exit 1
	fi
	echo "deps.sh: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
bash tests/lab/deps.sh >&2
# audit's real-program checks: Exim and Sendmail unpacked, not installed.
if [ -f tests/audit/deps.sh ]; then
	bash tests/audit/deps.sh >&2
fi
