#!/bin/bash
# cli.sh MXDOCTOR: the command line's conventions: exit statuses, one clear
# line on stderr for bad usage and unreadable files, --help, colours only on
# a TTY and never with NO_COLOR. Needs no lab: the only server it talks to is
# a closed port on 127.0.0.1 and a resolver address where nothing answers.
set -uo pipefail
mxd=${1:?usage: cli.sh MXDOCTOR}
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME STATUS STDERR_LINES CMD...: exit status and number of stderr lines
expect() {
	local name=$1 want=$2 lines=$3 got n
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	got=$?
	n=$(wc -l <"$tmp/err")
	if [ "$got" = "$want" ] && { [ "$lines" = any ] || [ "$n" = "$lines" ]; }; then
		ok "$name (exit $got, $n stderr lines)"
	else
		nok "$name: exit $got (want $want), $n stderr lines (want $lines): $(head -c 300 "$tmp/err")"
	fi
}

offline=(--resolver 127.0.0.1@9 --timeout 0.3 --no-dnsbl --ehlo client.test)

expect "no command" 3 1 "$mxd"
expect "unknown command" 3 1 "$mxd" frobnicate
expect "--help" 0 0 "$mxd" --help
expect "--version" 0 0 "$mxd" --version
expect "check --help" 0 0 "$mxd" check --help
expect "check without target" 3 1 "$mxd" check
expect "unknown option" 3 1 "$mxd" check --frobnicate example.com
expect "option without value" 3 1 "$mxd" check example.com --timeout
expect "bad timeout" 3 1 "$mxd" check --timeout -1 example.com
expect "bad port" 3 1 "$mxd" check --port 70000 example.com
expect "bad target" 3 1 "$mxd" check "exa mple.com"
expect "bad scheme" 3 1 "$mxd" check http://example.com
expect "bad sending ip" 3 1 "$mxd" check --sending-ip 999.1.1.1 example.com
expect "bad dnsbl zone" 3 1 "$mxd" check --dnsbl "bad zone" example.com
expect "unreadable ca-file" 3 1 "$mxd" check --ca-file "$tmp/nonexistent.pem" example.com
echo "not a certificate" >"$tmp/junk.pem"
expect "ca-file without certificates" 3 1 "$mxd" check --ca-file "$tmp/junk.pem" example.com
expect "bad resolver" 3 1 "$mxd" check --resolver "not-an-address" example.com
expect "unknown profile" 3 1 "$mxd" check --profile nosuch example.com
expect "bad profile name" 3 1 "$mxd" check --profile "../x" example.com
expect "bad max-conn" 3 1 "$mxd" check --max-conn 0 example.com
expect "bad delay" 3 1 "$mxd" check --delay x example.com
expect "findings" 0 0 "$mxd" findings
expect "audit --help" 0 0 "$mxd" audit --help
expect "audit without MTA" 3 1 "$mxd" audit
expect "audit unknown MTA" 3 1 "$mxd" audit qmail
expect "audit missing config dir" 3 1 "$mxd" audit postfix --config-dir "$tmp/nonexistent"
expect "audit config dir is a file" 3 1 "$mxd" audit postfix --no-program --config-dir "$tmp/junk.pem"
expect "audit bad --windows" 3 1 "$mxd" audit schannel --windows vista "$tmp/x.reg"
expect "audit schannel without file" 3 1 "$mxd" audit schannel
expect "audit schannel unreadable file" 3 1 "$mxd" audit schannel "$tmp/nonexistent.reg"
expect "audit exim unreadable file" 3 1 "$mxd" audit exim --no-program --config "$tmp/nonexistent.conf"
expect "audit sendmail unreadable file" 3 1 "$mxd" audit sendmail --no-program --config "$tmp/nonexistent.cf"
expect "audit bad program" 3 1 "$mxd" audit postfix --program "$tmp/nonexistent-postconf"
expect "audit extra argument" 3 1 "$mxd" audit postfix extra
expect "fix --help" 0 0 "$mxd" fix --help
expect "fix without --mta" 3 1 "$mxd" fix
expect "fix unknown MTA" 3 1 "$mxd" fix --mta qmail
expect "fix unreadable report" 3 1 "$mxd" fix --mta postfix "$tmp/nonexistent.json"
expect "fix report not JSON" 3 1 "$mxd" fix --mta postfix "$tmp/junk.pem"
expect "fix chain without --cert" 3 1 "$mxd" fix chain
expect "fix chain unreadable cert" 3 1 "$mxd" fix chain --cert "$tmp/nonexistent.pem"
expect "fix full postfix" 0 0 "$mxd" fix --mta postfix
expect "DNS unreachable: incomplete" 3 any "$mxd" check "${offline[@]}" example.com
expect "closed port: error" 2 any "$mxd" check "${offline[@]}" 127.0.0.1:9

# Hostile target text is escaped in the error line.
"$mxd" check $'ex\x1b[31mample.com' >/dev/null 2>"$tmp/err"
if grep -q $'\x1b' "$tmp/err"; then nok "escape in error line"; else ok "escape in error line"; fi

# Colours: never when stdout is not a TTY, on a TTY unless NO_COLOR is set.
"$mxd" check "${offline[@]}" 127.0.0.1:9 >"$tmp/plain" 2>/dev/null
if grep -q $'\x1b\[' "$tmp/plain"; then nok "no colour into a pipe"; else ok "no colour into a pipe"; fi
if command -v script >/dev/null; then
	TERM=xterm script -qec "$mxd check ${offline[*]} 127.0.0.1:9" /dev/null >"$tmp/tty" 2>&1 </dev/null
	if grep -q $'\x1b\[' "$tmp/tty"; then ok "colour on a TTY"; else nok "colour on a TTY"; fi
	NO_COLOR=1 TERM=xterm script -qec "$mxd check ${offline[*]} 127.0.0.1:9" /dev/null >"$tmp/tty" 2>&1 </dev/null
	if grep -q $'\x1b\[' "$tmp/tty"; then nok "NO_COLOR on a TTY"; else ok "NO_COLOR on a TTY"; fi
	TERM=xterm script -qec "$mxd check --no-color ${offline[*]} 127.0.0.1:9" /dev/null >"$tmp/tty" 2>&1 </dev/null
	if grep -q $'\x1b\[' "$tmp/tty"; then nok "--no-color on a TTY"; else ok "--no-color on a TTY"; fi
else
	nok "script(1) missing: cannot test TTY colours"
fi

# JSON is one document even when the check is incomplete.
"$mxd" check --json "${offline[@]}" example.com >"$tmp/json" 2>/dev/null
if jq -e '.summary.exit_status == 3 and .summary.incomplete == true' "$tmp/json" >/dev/null; then
	ok "incomplete JSON"
else
	nok "incomplete JSON"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
