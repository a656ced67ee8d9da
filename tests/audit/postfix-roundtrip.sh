#!/bin/bash
# postfix-roundtrip.sh MXDOCTOR: `mxdoctor fix`'s Postfix output applied to real, deliberately misconfigured Postfix instances.
#
# Two round trips, each on private Postfix instances (own config, queue,
# data directory and maillog under a state directory in /tmp; own loopback
# addresses 127.0.3.20-23, never the lab's) with a private unbound for
# their names (127.0.3.20 port 5353; NXDOMAIN for everything else):
#
# A. server side: "server" on 127.0.3.21 (mx.server.roundtrip.test, the MX
#    of server.roundtrip.test) allows only TLS 1.0/1.1 (main.cf and a
#    master.cf -o override) and serves its leaf without the intermediate.
#    `check` must report errors; `audit postfix` config.server_no_tls12 and
#    the chain; `fix` (from the audit report) is applied with sh, as a user
#    would (it runs postfix check and reload itself); its "# FILE:" and
#    "# ACTION:" steps for the chain (mxdoctor fix chain, then
#    smtpd_tls_chain_files and a reload) are carried out by the test and
#    logged; then `check` has no errors
#    and negotiates TLS 1.2 or 1.3, and `audit` has no
#    config.server_no_tls12.  The before/after text reports are printed.
# B. client side: "receiver" on 127.0.3.22 speaks TLS 1.2+ only and
#    discards what it accepts; "sender" (127.0.3.23, no listener) must
#    encrypt (smtp_tls_security_level = encrypt) but allows only TLS
#    1.0/1.1.  A message is deferred with a TLS error; `audit postfix`
#    says config.client_no_tls12 (error); after `fix` is applied and the
#    queue flushed it is sent, and the receiver logs TLS 1.2 or 1.3.
#
# Every wait polls with a deadline.  On failure the relevant logs are
# printed and the state directory is kept (also with MXD_RT_KEEP=1).
# Exit status: 0 all passed, 1 a failure, 77 skipped (not root, no Postfix).
#
# jq programs are in single quotes on purpose:
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
set -u

mxd=${1:?usage: postfix-roundtrip.sh MXDOCTOR}
case $mxd in /*) ;; *) mxd=$PWD/$mxd ;; esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
base_cf=$here/../lab/master-base.cf
export PATH=$PATH:/usr/sbin:/sbin

[ "$(id -u)" = 0 ] || { echo "not root: skipped"; exit 77; }
for t in postfix postconf postqueue sendmail; do
	command -v "$t" >/dev/null 2>&1 || { echo "no $t (Postfix): skipped"; exit 77; }
done
for t in unbound unbound-checkconf openssl jq dig timeout flock; do
	command -v "$t" >/dev/null 2>&1 ||
	    { echo "not ok - $t is missing (tests/lab/deps.sh installs it)"; exit 1; }
done

dns_addr=127.0.3.20
dns_port=5353
a_addr=127.0.3.21
a_host=mx.server.roundtrip.test
a_domain=server.roundtrip.test
r_addr=127.0.3.22
r_host=mx.tls12.roundtrip.test
s_addr=127.0.3.23
s_host=client.roundtrip.test
rcpt_domain=rcpt.roundtrip.test

# One round trip at a time (the addresses are fixed): wait for another
# run (another build directory's meson test) to finish.
exec 9>/tmp/mxd-pf-roundtrip.lock
if ! flock -w 600 9; then
	echo "not ok - another postfix-roundtrip.sh held /tmp/mxd-pf-roundtrip.lock for 600 s"
	exit 1
fi

st=$(mktemp -d /tmp/mxd-pf-roundtrip.XXXXXX) || exit 1
chmod 755 "$st"
certs=$st/certs
# shellcheck source=postfix/lib.sh
. "$here/postfix/lib.sh"

cleanup() {
	pf_stop_all
	unbound_stop
	if [ "$nfail" = 0 ] && [ "${MXD_RT_KEEP:-0}" != 1 ]; then
		rm -rf "$st"
	else
		say "state kept in $st"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

t0=$SECONDS

# run_mxd OUT ERR ARGS...: mxdoctor with a deadline; sets rc.
run_mxd() {
	local out=$1 err=$2
	shift 2
	say "mxdoctor $*"
	timeout 120 "$mxd" "$@" >"$out" 2>"$err" </dev/null
	rc=$?
	[ "$rc" = 124 ] && say "timed out after 120 s"
}

# jqt FILE EXPR [ARGS]: EXPR is true on FILE.
jqt() {
	local f=$1 e=$2
	shift 2
	[ "$(jq "$@" "$e" "$f" 2>/dev/null)" = true ]
}

brief='.findings[]? | "\(.severity) \(.id) \(.host // .address // "-"): \(.evidence // .message // "" | tostring | .[0:160])"'
# findings FILE: the report's findings as "#   " lines.
findings() { jq -r "$brief" "$1" 2>/dev/null | sed 's/^/#   /'; }

# fix_script_ok NAME FILE ETC: what `fix` printed is a POSIX sh script that
# configures ETC and ends by checking and reloading it.
fix_script_ok() {
	local name=$1 f=$2 etc=$3
	if [ -s "$f" ] && sh -n "$f" 2>"$f.syntax"; then
		ok "$name: fix printed a valid sh script ($(grep -c '^postconf ' "$f") postconf commands)"
	else
		notok "$name: fix did not print a valid sh script"
		show "$f.syntax"; show "$f" 200
		return 1
	fi
	if grep -q "postfix -c [\"']*${etc}[\"']* check" "$f" && grep -q "postfix -c [\"']*${etc}[\"']* reload" "$f"; then
		ok "$name: the script runs postfix -c $etc check and reload"
	else
		notok "$name: the script does not run postfix -c $etc check and reload"
	fi
	say "--- $f"
	sed 's/^/#   /' "$f"
}

# actions FILE: the script's "# ACTION:" and "# FILE:" blocks (the line
# and the comment lines after it).
actions() {
	awk '/^# (ACTION|FILE):/ { on = 1; print; next } on && /^#/ { print; next } { on = 0 }' "$1"
}

# --- set-up ---------------------------------------------------------------------

for ap in "$dns_addr:$dns_port" "$a_addr:25" "$r_addr:25" "$s_addr:25"; do
	if ! port_free "${ap%:*}" "${ap##*:}"; then
		notok "$ap is already in use (another round trip running?)"
		exit 1
	fi
done

if gen_certs "$certs" "$a_host" "$r_host"; then
	ok "certificates: root, intermediate, leaves for $a_host and $r_host"
else
	notok "certificate generation failed"
	show "$certs/openssl.log"
	exit 1
fi

zone=$(cat <<EOF
	local-zone: "roundtrip.test." static
	local-data: "roundtrip.test. 300 IN SOA ns.roundtrip.test. hostmaster.roundtrip.test. 1 3600 600 86400 60"
	local-data: "$a_domain. 300 IN MX 10 $a_host."
	local-data: "$a_host. 300 IN A $a_addr"
	local-data-ptr: "$a_addr 300 $a_host."
	local-data: "${r_host#mx.}. 300 IN MX 10 $r_host."
	local-data: "$r_host. 300 IN A $r_addr"
	local-data-ptr: "$r_addr 300 $r_host."
	local-data: "$s_host. 300 IN A $s_addr"
	local-data-ptr: "$s_addr 300 $s_host."
EOF
)
if unbound_start "$st/unbound" "$zone" && poll 10 dns_answers "$a_domain" MX "10 $a_host."; then
	ok "unbound answers on $dns_addr@$dns_port"
else
	notok "unbound did not start"
	show "$st/unbound/unbound.log"
	exit 1
fi

chk=(--resolver "$dns_addr@$dns_port" --ca-file "$certs/ca.pem" --no-dnsbl
    --ehlo "$s_host" --timeout 5 --greeting-timeout 3)

have_audit=
have_fix=
if "$mxd" audit postfix --help >/dev/null 2>&1; then have_audit=1; else
	notok "mxdoctor audit postfix --help works (not yet: the audit and fix steps are left out)"
fi
if "$mxd" fix --help >/dev/null 2>&1; then have_fix=1; else
	notok "mxdoctor fix --help works (not yet: the fix steps are left out)"
fi

# --- A: the server side -----------------------------------------------------------

round_a() {
	local etc log f rc n0 chain_done=
	etc=$(pf_etc server)
	log=$(pf_log server)
	say "A: receiving Postfix on $a_addr ($a_host): TLS 1.0/1.1 only, leaf without intermediate"
	pf_new server "$a_addr" "$a_host"
	pf_set server "smtpd_tls_security_level = may" \
	    "smtpd_tls_cert_file = $certs/$a_host.crt" \
	    "smtpd_tls_key_file = $certs/leaf.key" \
	    "smtpd_tls_protocols = !TLSv1.2, !TLSv1.3" \
	    "smtpd_tls_mandatory_protocols = !TLSv1.2, !TLSv1.3"
	# and the same once more as a master.cf override, the way old
	# "hardening" guides put it: a fix of main.cf alone does not help
	pf_listen server "$a_addr"
	postconf -c "$etc" -P "$a_addr:25/inet/smtpd_tls_protocols=!TLSv1.2,!TLSv1.3"
	if pf_start server && poll 10 smtp_ready "$a_addr"; then
		ok "A: server Postfix greets on $a_addr:25"
	else
		notok "A: server Postfix did not start"
		show "$st/server/postfix.log"; show "$log"
		return 1
	fi

	# before
	run_mxd "$st/a-check-before.json" "$st/a-check-before.err" check --json "${chk[@]}" "$a_domain"
	timeout 120 "$mxd" check --no-color "${chk[@]}" "$a_domain" >"$st/a-check-before.txt" 2>&1 </dev/null
	if [ "$rc" = 2 ] && jqt "$st/a-check-before.json" \
	    'any(.findings[]; .severity == "error" and (.id == "tls.handshake_failed" or .id == "tls.no_tls12_or_newer"))'; then
		ok "A: check before: exit 2, $(jq -r '[.findings[] | select(.severity == "error") | .id] | unique | join(", ")' "$st/a-check-before.json")"
	else
		notok "A: check before: exit $rc, expected 2 with tls.handshake_failed or tls.no_tls12_or_newer"
		findings "$st/a-check-before.json"; show "$st/a-check-before.err" 10
	fi
	[ -n "$have_audit" ] || return 0

	run_mxd "$st/a-audit-before.json" "$st/a-audit-before.err" audit postfix --config-dir "$etc" --ca-file "$certs/ca.pem" --json
	f=$st/a-audit-before.json
	if [ "$rc" = 2 ] && jqt "$f" '.command == "audit" and .audit.mta == "postfix"' &&
	    jqt "$f" 'any(.findings[]; .id == "config.server_no_tls12" and .severity == "error" and .host == "server")'; then
		ok "A: audit before: exit 2, config.server_no_tls12 (error, server)"
	else
		notok "A: audit before: exit $rc, expected 2 with config.server_no_tls12 (error, host server)"
		findings "$f"; show "$st/a-audit-before.err" 10
	fi
	if jqt "$f" 'any(.findings[]; (.id == "cert.chain_incomplete" or .id == "config.chain_order") and .host == "server")'; then
		ok "A: audit before: the chain file without its intermediate ($(jq -r '[.findings[] | select(.id == "cert.chain_incomplete" or .id == "config.chain_order") | "\(.id) \(.severity)"] | join(", ")' "$f"))"
	else
		notok "A: audit before: no cert.chain_incomplete or config.chain_order for the leaf-only file"
		findings "$f"
	fi

	[ -n "$have_fix" ] || return 0

	# fix, from the audit report (applied) and from the check report
	run_mxd "$st/a-fix-check.sh" "$st/a-fix-check.err" fix --mta postfix --config-dir "$etc" "$st/a-check-before.json"
	say "(fix from the check report: exit $rc)"
	fix_script_ok "A (from check)" "$st/a-fix-check.sh" "$etc"
	if grep -Eq "^[^#]*postconf .*smtpd_tls_(mandatory_)?protocols" "$st/a-fix-check.sh"; then
		ok "A (from check): the script sets smtpd_tls_protocols"
	else
		notok "A (from check): the script does not set smtpd_tls_protocols"
	fi
	run_mxd "$st/a-fix-audit.sh" "$st/a-fix-audit.err" fix --mta postfix --config-dir "$etc" "$st/a-audit-before.json"
	say "(fix from the audit report: exit $rc)"
	fix_script_ok "A (from audit)" "$st/a-fix-audit.sh" "$etc" || return 1

	n0=$(reloads server)
	say "sh $st/a-fix-audit.sh"
	(cd "$st" && timeout 60 sh "$st/a-fix-audit.sh") >"$st/a-fix-audit.out" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		ok "A: sh fix.sh: exit 0 (postfix check and reload passed)"
	else
		notok "A: sh fix.sh: exit $rc"
		show "$st/a-fix-audit.out"; show "$log" 20
		return 1
	fi
	sed 's/^/#   /' "$st/a-fix-audit.out"
	if postconf -c "$etc" -P | grep -q 'smtpd_tls_protocols = [^>]*!TLSv1\.2'; then
		notok "A: the master.cf override of smtpd_tls_protocols is still there after the fix"
		postconf -c "$etc" -P | sed 's/^/#   /'
	fi
	if poll 10 eval "[ \"\$(reloads server)\" -gt $n0 ]" && poll 10 smtp_ready "$a_addr"; then
		ok "A: the server reloaded"
	else
		notok "A: no reload in the server's log within 10 s"
		show "$log" 20
	fi

	# what a person must do: the chain
	actions "$st/a-fix-audit.sh" >"$st/a-actions.txt"
	if [ -s "$st/a-actions.txt" ]; then
		say "the fix asks a person to act:"
		sed 's/^/#   /' "$st/a-actions.txt"
	fi
	if chain_action "$st/a-fix-audit.sh" "$etc"; then
		chain_done=1
	fi

	# after
	run_mxd "$st/a-check-after.json" "$st/a-check-after.err" check --json "${chk[@]}" "$a_domain"
	timeout 120 "$mxd" check --no-color "${chk[@]}" "$a_domain" >"$st/a-check-after.txt" 2>&1 </dev/null
	f=$st/a-check-after.json
	if [ "$rc" -le 1 ] && jqt "$f" '.summary.errors == 0'; then
		ok "A: check after: exit $rc, no errors"
	else
		notok "A: check after: exit $rc, expected no errors"
		findings "$f"; show "$st/a-check-after.err" 10; show "$log" 20
	fi
	if jqt "$f" '[.targets[].hosts[].addresses[] | select(.address == $a) | .tls
	    | .ok == true and (.version == "TLSv1.2" or .version == "TLSv1.3")] == [true]' --arg a "$a_addr"; then
		ok "A: check after: $a_addr negotiates $(jq -r --arg a "$a_addr" '.targets[].hosts[].addresses[] | select(.address == $a) | .tls.version' "$f")"
	else
		notok "A: check after: no TLS 1.2 or 1.3 handshake with $a_addr"
		jq -c --arg a "$a_addr" '.targets[]?.hosts[]?.addresses[]? | select(.address == $a) | .tls' "$f" 2>&1 | head -c 2000 | sed 's/^/#   /'
	fi
	if [ -n "$chain_done" ]; then
		if jqt "$f" 'all(.findings[]; .id != "cert.chain_incomplete")'; then
			ok "A: check after: the chain is complete"
		else
			notok "A: check after: cert.chain_incomplete is still there"
		fi
	fi

	run_mxd "$st/a-audit-after.json" "$st/a-audit-after.err" audit postfix --config-dir "$etc" --ca-file "$certs/ca.pem" --json
	f=$st/a-audit-after.json
	if jqt "$f" '.command == "audit" and all(.findings[]; .id != "config.server_no_tls12")'; then
		ok "A: audit after: exit $rc, no config.server_no_tls12"
	else
		notok "A: audit after: exit $rc, config.server_no_tls12 still there (or no report)"
		findings "$f"; show "$st/a-audit-after.err" 10
	fi
	if [ -n "$chain_done" ]; then
		if jqt "$f" 'all(.findings[]; .id != "cert.chain_incomplete" and .id != "config.chain_order")'; then
			ok "A: audit after: no chain finding"
		else
			notok "A: audit after: the chain finding is still there"
			findings "$f"
		fi
	fi
	if ! jqt "$f" 'all(.findings[]; .severity != "error")'; then
		notok "A: audit after: errors remain"
		findings "$f"
	fi
}

# chain_command SCRIPT: the command of the script's "# FILE:" block that
# runs `mxdoctor fix chain` (its "Run (after review):" lines, joined).
chain_command() {
	awk '
	/^# FILE:/ { file = 1; run = 0; cmd = ""; next }
	file && /^#   Run/ { run = 1; next }
	file && run && /^#     / { sub(/^#[ ]+/, ""); cmd = cmd " " $0; next }
	file && run { if (cmd ~ /mxdoctor fix chain/) { print cmd; exit } run = 0; cmd = "" }
	!/^#/ { file = 0 }
	' "$1"
}

# chain_action SCRIPT ETC: carry out the script's steps for the chain file
# as a user would: run the `mxdoctor fix chain` command it gives (plus
# --ca-file: the test's root is not in the system store); when that names
# the missing intermediate and its URL, "download" it (the test CA's
# int.crt) and run it again with --intermediate; then point
# smtpd_tls_chain_files at the key and the new chain and reload, as the
# ACTION says.  0 when done, 1 when there was no such step or it failed.
chain_action() {
	local f=$1 etc=$2 cmd w n0 rc
	local -a words args=()
	cmd=$(chain_command "$f")
	if [ -z "$cmd" ]; then
		notok "A: the fix gives no 'mxdoctor fix chain' command for cert.chain_incomplete"
		return 1
	fi
	read -r -a words <<<"${cmd#*mxdoctor fix chain}"
	for w in "${words[@]}"; do
		case $w in
		LEAF.pem) args+=("$certs/$a_host.crt") ;;	# the check report's placeholder
		*) args+=("$w") ;;
		esac
	done
	say "the fix says: mxdoctor fix chain ${words[*]}; the test runs it in $certs, as the user would"
	(cd "$certs" && timeout 30 "$mxd" fix chain "${args[@]}" --ca-file "$certs/ca.pem") \
	    >"$st/a-chain-1.out" 2>"$st/a-chain-1.err"
	rc=$?
	if [ "$rc" != 0 ]; then
		if grep -q 'http://ca.roundtrip.test/int.crt' "$st/a-chain-1.err"; then
			ok "A: fix chain without the intermediate: exit $rc, names it and its URL"
			sed 's/^/#   /' "$st/a-chain-1.err"
		else
			notok "A: fix chain without the intermediate: exit $rc, the URL of the missing issuer not named"
			show "$st/a-chain-1.err"
		fi
		say "the user downloads http://ca.roundtrip.test/int.crt (here: the test CA's $certs/int.crt) and runs it again"
		(cd "$certs" && timeout 30 "$mxd" fix chain "${args[@]}" --ca-file "$certs/ca.pem" \
		    --intermediate "$certs/int.crt") >"$st/a-chain-2.out" 2>"$st/a-chain-2.err"
		rc=$?
	fi
	if [ "$rc" = 0 ] && [ -s "$certs/fullchain.pem" ] &&
	    [ "$(grep -c 'BEGIN CERTIFICATE' "$certs/fullchain.pem")" = 2 ] &&
	    cmp -s <(openssl x509 -in "$certs/fullchain.pem") <(openssl x509 -in "$certs/$a_host.crt"); then
		ok "A: fix chain wrote fullchain.pem: the leaf, then the intermediate"
	else
		notok "A: fix chain: exit $rc, no fullchain.pem with leaf and intermediate"
		show "$st/a-chain-2.err"
		return 1
	fi
	if ! grep -q '^#.*smtpd_tls_chain_files' "$f"; then
		notok "A: the fix does not say to point smtpd_tls_chain_files at the new chain"
		return 1
	fi
	n0=$(reloads server)
	say "as the ACTION says: smtpd_tls_chain_files = key, fullchain.pem; postfix reload"
	if postconf -c "$etc" -e "smtpd_tls_chain_files = $certs/leaf.key, $certs/fullchain.pem" &&
	    postfix -c "$etc" check >"$st/a-chain-reload.out" 2>&1 &&
	    postfix -c "$etc" reload >>"$st/a-chain-reload.out" 2>&1 &&
	    poll 10 eval "[ \"\$(reloads server)\" -gt $n0 ]" && poll 10 smtp_ready "$a_addr"; then
		ok "A: the server serves the new chain file (postfix check, reload)"
	else
		notok "A: setting smtpd_tls_chain_files and reloading failed"
		show "$st/a-chain-reload.out"; show "$(pf_log server)" 20
		return 1
	fi
}

# --- B: the client side -------------------------------------------------------------

round_b() {
	local setc rlog slog f rc line n0
	setc=$(pf_etc sender)
	slog=$(pf_log sender)
	rlog=$(pf_log receiver)
	say "B: receiving Postfix on $r_addr ($r_host): TLS 1.2+ only, accepts $rcpt_domain and discards it"
	pf_new receiver "$r_addr" "$r_host"
	printf '%s discard:\n' "$rcpt_domain" >"$(pf_etc receiver)/transport"
	pf_set receiver "smtpd_tls_security_level = may" \
	    "smtpd_tls_chain_files = $certs/$r_host.pem" \
	    "smtpd_tls_protocols = >=TLSv1.2" \
	    "smtpd_tls_mandatory_protocols = >=TLSv1.2" \
	    "relay_domains = $rcpt_domain" \
	    "mynetworks = $s_addr/32" \
	    "transport_maps = texthash:$(pf_etc receiver)/transport"
	pf_listen receiver "$r_addr"

	say "B: sending Postfix on $s_addr ($s_host): TLS required, TLS 1.0/1.1 only; $rcpt_domain -> [$r_addr]:25"
	pf_new sender "$s_addr" "$s_host"
	{
		printf '%s smtp:[%s]:25\n' "$rcpt_domain" "$r_addr"
		printf '%s discard:\n' "$s_host"	# bounces go nowhere
	} >"$setc/transport"
	pf_set sender "transport_maps = texthash:$setc/transport" \
	    "smtp_tls_security_level = encrypt" \
	    "smtp_tls_protocols = !TLSv1.2, !TLSv1.3" \
	    "smtp_tls_mandatory_protocols = !TLSv1.2, !TLSv1.3" \
	    "smtp_tls_CAfile = $certs/ca.pem" \
	    "smtp_connect_timeout = 5s" "smtp_helo_timeout = 10s"
	postconf -c "$setc" -M "smtp/unix=smtp unix - - n - - smtp"

	if pf_start receiver && poll 10 smtp_ready "$r_addr"; then
		ok "B: receiver Postfix greets on $r_addr:25"
	else
		notok "B: receiver Postfix did not start"
		show "$st/receiver/postfix.log"; show "$rlog"
		return 1
	fi
	if pf_start sender; then
		ok "B: sender Postfix runs"
	else
		notok "B: sender Postfix did not start"
		show "$st/sender/postfix.log"; show "$slog"
		return 1
	fi

	printf 'From: sender@%s\nTo: user@%s\nSubject: mxdoctor round trip\n\ntest\n' "$s_host" "$rcpt_domain" |
	    timeout 20 sendmail -C "$setc" -f "sender@$s_host" "user@$rcpt_domain" ||
	    { notok "B: sendmail -C $setc failed"; show "$slog"; return 1; }
	postqueue -c "$setc" -f >/dev/null 2>&1
	if poll 30 grep -q "to=<user@$rcpt_domain>.* status=" "$slog"; then
		line=$(grep "to=<user@$rcpt_domain>.* status=" "$slog" | head -n 1)
	else
		line=
	fi
	printf '%s\n' "$line" >"$st/b-deferred.txt"
	if [[ "$line" == *status=deferred* ]] && [[ "$line" == *TLS* ]]; then
		ok "B: delivery deferred with a TLS error"
		say "  $line"
	else
		notok "B: expected status=deferred with a TLS error, got: ${line:-no status= line in 30 s}"
		show "$slog" 30; show "$rlog" 20
		return 1
	fi
	[ -n "$have_audit" ] || return 0

	run_mxd "$st/b-audit-before.json" "$st/b-audit-before.err" audit postfix --config-dir "$setc" --ca-file "$certs/ca.pem" --json
	f=$st/b-audit-before.json
	if [ "$rc" = 2 ] && jqt "$f" 'any(.findings[]; .id == "config.client_no_tls12" and .severity == "error" and .host == "client")'; then
		ok "B: audit: exit 2, config.client_no_tls12 (error, client)"
	else
		notok "B: audit: exit $rc, expected 2 with config.client_no_tls12 (error, host client)"
		findings "$f"; show "$st/b-audit-before.err" 10
	fi
	[ -n "$have_fix" ] || return 0
	run_mxd "$st/b-fix.sh" "$st/b-fix.err" fix --mta postfix --config-dir "$setc" "$f"
	say "(fix: exit $rc)"
	fix_script_ok "B" "$st/b-fix.sh" "$setc" || return 1
	n0=$(reloads sender)
	say "sh $st/b-fix.sh"
	(cd "$st" && timeout 60 sh "$st/b-fix.sh") >"$st/b-fix.out" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		ok "B: sh fix.sh: exit 0 (postfix check and reload passed)"
	else
		notok "B: sh fix.sh: exit $rc"
		show "$st/b-fix.out"; show "$slog" 20
		return 1
	fi
	sed 's/^/#   /' "$st/b-fix.out"
	actions "$st/b-fix.sh" | sed 's/^/#   /'

	# the reload restarts the queue manager (which forgets the failed
	# destination); then the deferred message is retried
	poll 10 eval "[ \"\$(reloads sender)\" -gt $n0 ]" || { notok "B: no reload in the sender's log"; show "$slog" 20; }
	postqueue -c "$setc" -f >/dev/null 2>&1
	if poll 30 grep -q "to=<user@$rcpt_domain>.* status=sent" "$slog"; then
		line=$(grep "to=<user@$rcpt_domain>.* status=sent" "$slog" | head -n 1)
		printf '%s\n' "$line" >"$st/b-sent.txt"
		ok "B: delivered after the fix"
		say "  $line"
	else
		notok "B: no status=sent within 30 s of the flush"
		show "$slog" 30; show "$rlog" 20
		return 1
	fi
	if line=$(grep -E "TLS connection established from [^ ]*\[$s_addr\]: TLSv1\.[23] with cipher" "$rlog" | tail -n 1); then
		printf '%s\n' "$line" >"$st/b-receiver-tls.txt"
		ok "B: the receiver logged TLS 1.2 or 1.3 from $s_addr"
		say "  $line"
	else
		notok "B: the receiver logged no TLS 1.2/1.3 connection from $s_addr"
		show "$rlog" 30
	fi

	run_mxd "$st/b-audit-after.json" "$st/b-audit-after.err" audit postfix --config-dir "$setc" --ca-file "$certs/ca.pem" --json
	if jqt "$st/b-audit-after.json" '.command == "audit" and all(.findings[]; .severity != "error")'; then
		ok "B: audit after: exit $rc, no errors"
	else
		notok "B: audit after: exit $rc, errors remain (or no report)"
		findings "$st/b-audit-after.json"; show "$st/b-audit-after.err" 10
	fi
}

round_a
round_b

for f in a-check-before a-check-after; do
	[ -s "$st/$f.txt" ] || continue
	say "=== $f: mxdoctor check ${chk[*]} $a_domain"
	sed 's/^/#   /' "$st/$f.txt"
done

say "$npass passed, $nfail failed, $((SECONDS - t0)) s"
[ "$nfail" = 0 ]
