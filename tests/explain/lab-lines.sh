#!/bin/bash
# lab-lines.sh MXDOCTOR PATTERNS: a real Postfix fails against the test lab's
# misconfigured servers and `mxdoctor explain` must classify its real log.
#
# Starts the lab (tests/lab/lab.sh) unless it runs already, and stops it at
# the end only if it started it.  Runs its own sending Postfix instance (own
# config, queue and maillog in a temporary directory; no inet listener):
# transport_maps route each case's domain straight to its listener
# (SERVICE:[127.0.1.N]:PORT, no DNS needed; the sender's smtp services
# differ in source address or implicit TLS) and smtp_tls_policy_maps give
# each destination the TLS level that makes it fail.  One message per case is
# queued with sendmail -C, the queue is flushed, and once every recipient
# has a status= line the sender's maillog is fed to `mxdoctor explain --json`.
#
# Most listeners are the lab's.  Three run here, for causes the lab's own
# Postfix cannot show:
#   - a receiving Postfix instance in a private mount namespace whose
#     /etc/resolv.conf names the lab's unbound (port 53, lab.sh's
#     MXD_LAB_RESOLV_CONF), so that its lookups stay on loopback: one smtpd
#     rejects clients listed in bl.lab.test (reject_rbl_client), one asks
#     policyd-spf (postfix-policyd-spf-python), which rejects SPF fail.  Its
#     own maillog (the receiving side's lines) is fed to explain too;
#   - `openssl s_server -servername_fatal` with implicit TLS, which answers
#     an SNI name it does not serve with a fatal unrecognized_name alert.
# A case whose software this host lacks is skipped and reported as such.
# With MXD_LAB_LINES_OUT=FILE the sender's maillog is copied there, the
# receiver's to FILE.receiver.
# Exit 77 (skipped) when not root or Postfix, jq or the lab tools are missing.
set -u
mxd=$1
pat=$2
case $mxd in /*) ;; *) mxd=$PWD/$mxd ;; esac
case $pat in /*) ;; *) pat=$PWD/$pat ;; esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=$here/../lab/lab.sh

[ "$(id -u)" = 0 ] || { echo "not root: skipped"; exit 77; }
for t in postfix postqueue jq; do
	command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] ||
	    { echo "no $t: skipped"; exit 77; }
done
export PATH=$PATH:/usr/sbin:/sbin
"$mxd" explain --help >/dev/null 2>&1 || { echo "explain not wired into $mxd: skipped"; exit 77; }

state=${MXD_LAB_DIR:-/tmp/mxdoctor-lab}
started_lab=
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxd-lab-lines.XXXXXX") || exit 1
chmod 755 "$tmp"
etc=$tmp/etc
recv=$tmp/recv
sender_up=
receiver_up=
sni_pid=

# stop_postfix CONFIG_DIR QUEUE_DIR: stop one of our Postfix instances and
# wait (bounded) for its master to go.
stop_postfix() {
	postfix -c "$1" stop >/dev/null 2>&1 || true
	for _ in $(seq 50); do
		[ -s "$2/pid/master.pid" ] || break
		kill -0 "$(tr -dc 0-9 <"$2/pid/master.pid")" 2>/dev/null || break
		sleep 0.1
	done
}

cleanup() {
	[ -n "$sender_up" ] && stop_postfix "$etc" "$tmp/spool"
	[ -n "$receiver_up" ] && stop_postfix "$recv/etc" "$recv/spool"
	if [ -n "$sni_pid" ]; then
		kill "$sni_pid" 2>/dev/null
		wait "$sni_pid" 2>/dev/null
	fi
	[ -n "$started_lab" ] && "$lab" stop "$state" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if ! "$lab" status "$state" >/dev/null 2>&1; then
	"$lab" start "$state" >"$tmp/lab-start.log" 2>&1 ||
	    { cat "$tmp/lab-start.log"; echo "lab start failed"; exit 1; }
	started_lab=1
fi
ca=$state/certs/ca.pem
[ -r "$ca" ] || { echo "no lab CA at $ca"; exit 1; }

# --- cases ------------------------------------------------------------------
# case  listener address[:port, else 25]  the sender's smtp service (its
# master.cf below)  TLS policy (smtp_tls_policy_maps value)  expected cause.
# rbl-listed and spf-unauthorized are the receiving instance below,
# sni-fatal is openssl s_server; the others are the lab's (listeners.tsv).
cases=$(cat <<'EOF'
expired           127.0.1.6        smtp         secure match=mx.expired.lab.test            cert_expired
self-signed       127.0.1.4        smtp         secure match=mx.self-signed.lab.test        cert_self_signed
untrusted         127.0.1.5        smtp         secure match=mx.untrusted.lab.test          cert_untrusted
name-mismatch     127.0.1.9        smtp         secure match=mx.name-mismatch.lab.test      cert_name
no-starttls       127.0.1.12       smtp         encrypt                                     starttls
starttls-refused  127.0.1.13       smtp         encrypt                                     starttls
tls10-only        127.0.1.27       smtp         encrypt protocols=>=TLSv1.2                 tls_version
handshake-failed  127.0.1.15       smtp         encrypt                                     cipher
rate-limited      127.0.1.18       smtp         none                                        rate_limit
greeting-reject   127.0.1.16       smtp         none                                        other
ptr-reject        127.0.1.100      smtp         none                                        ptr
rbl-listed        127.0.1.101      smtp-dyn     none                                        blocklist
spf-unauthorized  127.0.1.102      smtp-dyn     none                                        auth
sni-fatal         127.0.1.103:465  smtps        encrypt servername=mail.sni-fatal.lab.test  sni
EOF
)

# skip NAME REASON: drop a case this host cannot run (reported at the end).
skipped=
skip() {
	cases=$(grep -v "^$1 " <<<"$cases")
	skipped="$skipped$1: $2"$'\n'
}

# has NAME: the case is to be run.
has() { grep -q "^$1 " <<<"$cases"; }

# The receiving instance needs a private mount namespace in which the lab's
# resolv.conf resolves lab names (a lab started by an older lab.sh has no
# unbound on port 53).
resolv=$state/resolv.conf
why=
# (sh -c scripts and master.cf $parameters are in single quotes on purpose)
# shellcheck disable=SC2016
if [ ! -r "$resolv" ]; then
	why="no $resolv (lab started by an older lab.sh? restart it)"
elif ! command -v unshare >/dev/null 2>&1; then
	why="no unshare (util-linux)"
elif ! unshare -m --propagation private sh -c \
    'mount --bind "$0" /etc/resolv.conf && getent ahostsv4 mx.good.lab.test' "$resolv" 2>/dev/null |
    grep -q '^127\.0\.1\.1 '; then
	why="unshare -m + mount --bind $resolv: lab names do not resolve"
fi
if [ -n "$why" ]; then
	skip rbl-listed "$why"
	skip spf-unauthorized "$why"
elif [ ! -x /usr/bin/policyd-spf ]; then
	skip spf-unauthorized "no policyd-spf (tests/lab/deps.sh installs it)"
fi
openssl s_server -help 2>&1 | grep -q -- -servername_fatal ||
    skip sni-fatal "openssl s_server has no -servername_fatal"

# greets ADDR PORT: an SMTP greeting arrives within 5 s.
greets() {
	local line
	for _ in $(seq 50); do
		if exec 3<>"/dev/tcp/$1/$2" 2>/dev/null; then
			line=
			read -r -t 3 line <&3 || true
			printf 'QUIT\r\n' >&3 2>/dev/null || true
			exec 3<&- 3>&-
			case $line in 220*) return 0 ;; esac
		fi
		sleep 0.1
	done
	return 1
}

# --- the receiving Postfix (rbl-listed, spf-unauthorized) --------------------
# The lab's Postfix resolves through the system's /etc/resolv.conf, which is
# not on loopback.  This instance's master, and so its smtpd and policyd-spf,
# run in a mount namespace of their own whose /etc/resolv.conf is the lab's:
# smtpd looks the client up in bl.lab.test (rbldnsd behind unbound),
# policyd-spf the SPF record of the envelope sender's domain client.lab.test
# (zones.conf: "v=spf1 ip4:127.0.3.2 -all").  The sender connects from
# 127.0.3.1, whose PTR names it (from 127.0.0.1 this smtpd would log the
# client as localhost[127.0.0.1], a name without a dot that explain does not
# take for a host).
start_receiver() {
	mkdir -p "$recv/etc" "$recv/spool" "$recv/data"
	chown postfix "$recv/data"
	cat >"$recv/etc/main.cf" <<EOF
# Receiving Postfix of tests/explain/lab-lines.sh (runs with the lab's resolv.conf).
# Accepts nothing: a recipient that passes the listener's check is rejected.
compatibility_level = 3.6
queue_directory = $recv/spool
data_directory = $recv/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $recv/maillog
maillog_file_prefixes = $tmp
myhostname = mx.lab-lines.lab.test
mydomain = lab.test
myorigin = \$myhostname
mydestination =
relay_domains =
relayhost =
mynetworks = 127.0.0.1/32
inet_interfaces = loopback-only
inet_protocols = ipv4
alias_maps =
alias_database =
local_recipient_maps =
local_transport = error:5.1.1 the lab-lines receiver delivers nothing
default_transport = error:5.1.1 the lab-lines receiver delivers nothing
smtpd_relay_restrictions =
smtpd_recipient_restrictions = reject
smtpd_banner = \$myhostname ESMTP mxdoctor lab-lines receiver
smtpd_tls_security_level = none
tls_config_file = none
notify_classes =
biff = no
append_dot_mydomain = no
readme_directory = no
# per-listener settings with spaces (master.cf -o values cannot hold spaces)
lines_dnsbl_restrictions = reject_rbl_client bl.lab.test
lines_spf_restrictions = check_policy_service unix:private/policyd-spf, reject
policyd-spf_time_limit = 60s
EOF
	# SPF fail of MAIL FROM is rejected, also from loopback (the packaged
	# default skips 127.0.0.0/8; an empty skip_addresses crashes policyd-spf
	# 3.0.4, hence a documentation network); the HELO name is not checked.
	cat >"$recv/etc/policyd-spf.conf" <<'EOF'
# policyd-spf of tests/explain/lab-lines.sh (postfix-policyd-spf-python)
debugLevel = 1
TestOnly = 1
HELO_reject = No_Check
Mail_From_reject = Fail
PermError_reject = False
TempError_Defer = False
skip_addresses = 192.0.2.0/24
EOF
	# shellcheck disable=SC2016
	{
		cat "$here/../lab/master-base.cf"
		echo '# rbl-listed'
		echo '127.0.1.101:25 inet n - n - - smtpd'
		echo '  -o syslog_name=postfix/rbl-listed -o myhostname=mx.rbl-listed.lab.test'
		echo '  -o smtpd_client_restrictions=$lines_dnsbl_restrictions'
		echo '# spf-unauthorized'
		echo '127.0.1.102:25 inet n - n - - smtpd'
		echo '  -o syslog_name=postfix/spf-unauthorized -o myhostname=mx.spf-unauthorized.lab.test'
		echo '  -o smtpd_recipient_restrictions=$lines_spf_restrictions'
		echo 'policyd-spf unix - n n - 0 spawn'
		echo "  user=nobody argv=/usr/bin/policyd-spf $recv/etc/policyd-spf.conf"
	} >"$recv/etc/master.cf"

	receiver_up=1	# from here on, cleanup stops it
	# shellcheck disable=SC2016
	postfix -c "$recv/etc" check >"$recv/postfix.log" 2>&1 &&
	    unshare -m --propagation private sh -c \
	    'mount --bind "$0" /etc/resolv.conf && exec postfix -c "$1" start' \
	    "$resolv" "$recv/etc" >>"$recv/postfix.log" 2>&1 &&
	    greets 127.0.1.101 25 && greets 127.0.1.102 25
}

if has rbl-listed || has spf-unauthorized; then
	if ! start_receiver; then
		cat "$recv/postfix.log"
		echo "receiving Postfix did not start"
		exit 1
	fi
fi

# --- openssl s_server (sni-fatal) -------------------------------------------------
# Implicit TLS; serves mx.sni-fatal.lab.test only and answers another SNI
# name with a fatal unrecognized_name alert (without -servername_fatal, a
# warning).  -www: it never reads stdin and outlives failed connections.
start_sni_server() {
	local leaf=$state/certs/leaves/good
	openssl s_server -accept 127.0.1.103:465 -www \
	    -cert "$leaf.crt" -key "$leaf.key" -cert2 "$leaf.crt" -key2 "$leaf.key" \
	    -servername mx.sni-fatal.lab.test -servername_fatal \
	    </dev/null >"$tmp/s_server.log" 2>&1 &
	sni_pid=$!
	for _ in $(seq 50); do
		grep -q '^ACCEPT' "$tmp/s_server.log" && return 0
		kill -0 "$sni_pid" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}

if has sni-fatal && ! start_sni_server; then
	cat "$tmp/s_server.log"
	echo "openssl s_server did not start"
	exit 1
fi

# --- the sending Postfix ------------------------------------------------------
mkdir -p "$etc" "$tmp/spool" "$tmp/data"
chown postfix "$tmp/data"
: >"$etc/transport"
: >"$etc/tls_policy"
while read -r name addr svc rest; do
	policy=${rest% *}
	policy=${policy%"${policy##*[![:space:]]}"}
	ip=${addr%%:*}
	port=25
	[ "$ip" = "$addr" ] || port=${addr#*:}
	printf '%s.lab.test %s:[%s]:%s\n' "$name" "$svc" "$ip" "$port" >>"$etc/transport"
	printf '[%s]:%s %s\n' "$ip" "$port" "$policy" >>"$etc/tls_policy"
done <<<"$cases"
# bounces to the sender go nowhere
printf 'client.lab.test discard:\n' >>"$etc/transport"

cat >"$etc/main.cf" <<EOF
# Sending Postfix of tests/explain/lab-lines.sh (no listener; mail comes by sendmail -C).
compatibility_level = 3.6
queue_directory = $tmp/spool
data_directory = $tmp/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $tmp/maillog
maillog_file_prefixes = $tmp
myhostname = client.lab.test
mydomain = lab.test
myorigin = \$myhostname
mydestination =
relay_domains =
relayhost =
mynetworks = 127.0.0.1/32
inet_interfaces = loopback-only
inet_protocols = ipv4
alias_maps =
alias_database =
local_recipient_maps =
local_transport = discard:
default_transport = error:5.1.2 not a lab-lines case
transport_maps = texthash:$etc/transport
smtp_tls_policy_maps = texthash:$etc/tls_policy
smtp_tls_security_level = may
smtp_tls_CAfile = $ca
smtp_tls_loglevel = 1
smtp_tls_session_cache_database =
smtp_dns_support_level = disabled
smtp_connect_timeout = 10s
smtp_helo_timeout = 10s
tls_config_file = none
notify_classes =
biff = no
append_dot_mydomain = no
readme_directory = no
maximal_queue_lifetime = 1h
EOF

{
	cat "$here/../lab/master-base.cf"
	# the sender delivers: it needs the SMTP client
	echo 'smtp      unix  -       -       n       -       -       smtp'
	# from 127.0.3.1: a generic PTR (127-0-3-1.dyn.isp.lab.test), listed in
	# bl.lab.test, not in client.lab.test's SPF record (zones.conf)
	echo 'smtp-dyn  unix  -       -       n       -       -       smtp'
	echo '  -o smtp_bind_address=127.0.3.1'
	# implicit TLS (SMTPS): the handshake comes first
	echo 'smtps     unix  -       -       n       -       -       smtp'
	echo '  -o smtp_tls_wrappermode=yes -o smtp_tls_security_level=encrypt'
} >"$etc/master.cf"

sender_up=1	# from here on, cleanup stops it (harmless if it never ran)
if ! postfix -c "$etc" check >"$tmp/postfix.log" 2>&1 ||
    ! postfix -c "$etc" start >>"$tmp/postfix.log" 2>&1; then
	cat "$tmp/postfix.log"
	echo "sender Postfix did not start"
	exit 1
fi

while read -r name _; do
	printf 'From: sender@client.lab.test\nTo: user@%s.lab.test\nSubject: lab-lines %s\n\ntest\n' \
	    "$name" "$name" |
	    sendmail -C "$etc" -f sender@client.lab.test "user@$name.lab.test" ||
	    { echo "sendmail failed for $name"; exit 1; }
done <<<"$cases"
postqueue -c "$etc" -f >/dev/null 2>&1

# wait (at most 60 s) for one status= line per recipient
n=$(wc -l <<<"$cases")
for i in $(seq 120); do
	got=0
	while read -r name _; do
		grep -q "to=<user@$name\.lab\.test>.* status=" "$tmp/maillog" 2>/dev/null && got=$((got + 1))
	done <<<"$cases"
	[ "$got" -ge "$n" ] && break
	[ $((i % 20)) = 0 ] && postqueue -c "$etc" -f >/dev/null 2>&1
	sleep 0.5
done
if [ -n "${MXD_LAB_LINES_OUT:-}" ]; then
	cp "$tmp/maillog" "$MXD_LAB_LINES_OUT"
	[ -n "$receiver_up" ] && cp "$recv/maillog" "$MXD_LAB_LINES_OUT.receiver"
fi

# --- explain -------------------------------------------------------------------
"$mxd" explain --json --patterns "$pat" "$tmp/maillog" >"$tmp/out.json" 2>"$tmp/err"
rc=$?
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }

if [ "$rc" = 2 ]; then ok "explain exit status 2 (failures found)"; else
	notok "explain exit status $rc, expected 2"; cat "$tmp/err"; fi

while read -r name addr _ rest; do
	cause=${rest##* }
	addr=${addr%%:*}
	line=$(grep "to=<user@$name\.lab\.test>.* status=" "$tmp/maillog" | head -n 1)
	if [ -z "$line" ]; then
		notok "$name: no status= line in the sender's maillog"
		continue
	fi
	# the groups of this listener: cause, recipient domain, remote host
	# (the next hop is [IP], so Postfix names the host by its address only:
	# remote_host null or the address)
	got=$(jq -r --arg ip "$addr" \
	    '[.groups[] | select(.remote_ip == $ip) | "\(.cause) \(.recipient_domain) \(.direction) \(.remote_host // $ip)"] | unique | join(",")' \
	    "$tmp/out.json")
	want="$cause $name.lab.test out $addr"
	if [ "$got" = "$want" ]; then
		ok "$name: [$addr] -> $cause (domain $name.lab.test, direction out)"
	else
		notok "$name: [$addr] -> '${got:-nothing}', expected '$want'"
		echo "#   $line"
	fi
done <<<"$cases"

# no failure line of the real log is left unrecognised
unk=$(jq -r '.summary.unknown_lines' "$tmp/out.json")
if [ "$unk" = 0 ]; then ok "no unknown lines"; else
	notok "$unk unknown lines"
	"$mxd" explain --json --unknown --patterns "$pat" "$tmp/maillog" 2>/dev/null |
	    jq -r '.unknown.shapes[]?.example' | sed 's/^/#   /'
fi

# --- the receiving side's own lines ---------------------------------------------
# The receiver logged its rejections (NOQUEUE: reject: RCPT from ...): the same
# causes, seen from the server, for the client the sender connected from.
if [ -n "$receiver_up" ]; then
	"$mxd" explain --json --patterns "$pat" "$recv/maillog" >"$tmp/recv.json" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 2 ]; then ok "receiver: explain exit status 2 (failures found)"; else
		notok "receiver: explain exit status $rc, expected 2"; cat "$tmp/err"; fi
	while read -r name client cause; do
		has "$name" || continue
		got=$(jq -r --arg d "$name.lab.test" \
		    '[.groups[] | select(.recipient_domain == $d) | "\(.cause) \(.remote_ip) \(.direction)"] | unique | join(",")' \
		    "$tmp/recv.json")
		want="$cause $client in"
		if [ "$got" = "$want" ]; then
			ok "receiver $name: domain $name.lab.test -> $cause (client $client, direction in)"
		else
			notok "receiver $name: domain $name.lab.test -> '${got:-nothing}', expected '$want'"
			grep "reject: RCPT.* to=<user@$name\.lab\.test>" "$recv/maillog" | sed 's/^/#   /'
		fi
	done <<'EOF'
rbl-listed        127.0.3.1  blocklist
spf-unauthorized  127.0.3.1  auth
EOF
	unk=$(jq -r '.summary.unknown_lines' "$tmp/recv.json")
	if [ "$unk" = 0 ]; then ok "receiver: no unknown lines"; else
		notok "receiver: $unk unknown lines"
		"$mxd" explain --json --unknown --patterns "$pat" "$recv/maillog" 2>/dev/null |
		    jq -r '.unknown.shapes[]?.example' | sed 's/^/#   /'
	fi
fi

# cases this host could not run
while IFS= read -r s; do
	[ -n "$s" ] && echo "ok - ${s%%: *} # SKIP ${s#*: }"
done <<<"$skipped"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
