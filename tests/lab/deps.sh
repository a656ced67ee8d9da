#!/bin/bash
# deps.sh: the Debian packages the lab and the integration tests need; installs the missing ones.
#
# Usage: deps.sh           install what is missing (root; non-interactive)
#        deps.sh --list    print the packages, one a line
#        deps.sh --check   print the missing ones; exit 1 if any
#
# Installing starts no service: postfix is preseeded "No configuration" and
# a temporary policy-rc.d forbids package scripts to start daemons (the
# distribution's postfix, unbound and rbldnsd must not run; the lab starts
# its own instances on loopback).
set -euo pipefail

packages=(
	postfix		# the lab's MTA (one master, one smtpd per case); posttls-finger
	unbound		# the lab's DNS (unbound, unbound-checkconf, unbound-control)
	rbldnsd		# the lab's DNS blocklist bl.lab.test
	openssl		# certificate generation, s_client for checks by hand
	jq		# integration test assertions on mxdoctor --json
	bind9-dnsutils	# dig: lab readiness checks and checks by hand
	postfix-policyd-spf-python	# policyd-spf: real SPF rejections (tests/explain/lab-lines.sh)
)

names() { printf '%s\n' "${packages[@]}"; }

missing() {
	local p
	for p in $(names); do
		if ! dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
			echo "$p"
		fi
	done
}

case "${1:-}" in
--list)
	names
	exit 0
	;;
--check)
	m=$(missing)
	[ -z "$m" ] && exit 0
	echo "$m"
	exit 1
	;;
"") ;;
*)
	echo "usage: deps.sh [--list|--check]" >&2
	exit 2
	;;
esac

todo=$(missing)
if [ -z "$todo" ]; then
	echo "deps.sh: all installed: $(names | tr '\n' ' ')"
	exit 0
fi
[ "$(id -u)" = 0 ] || { echo "deps.sh: missing: $todo; run as root to install" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections

# Keep maintainer scripts from starting the distribution's daemons.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# deps.sh (mxdoctor lab): start no service while installing\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=1
fi
cleanup() { if [ -n "$own_policy" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

# shellcheck disable=SC2086
echo "deps.sh: installing:" $todo
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $todo

m=$(missing)
if [ -n "$m" ]; then
	echo "deps.sh: still missing after install: $m" >&2
	exit 1
fi
if ! getent passwd postfix >/dev/null || ! getent group postdrop >/dev/null; then
	echo "deps.sh: the postfix package did not create the postfix user / postdrop group" >&2
	exit 1
fi
echo "deps.sh: done"
