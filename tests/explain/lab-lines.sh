#!/bin/bash
# lab-lines.sh MXDOCTOR PATTERNS: a real Postfix fails against the test lab's
# misconfigured servers and `mxdoctor explain` must classify its real log.
#
# Starts the lab (tests/lab/lab.sh) unless it runs already, and stops it at
# the end only if it started it.  Runs its own sending Postfix instance (own
# config, queue and maillog in a temporary directory; no inet listener):
# transport_maps route each case's domain straight to the lab listener
# (smtp:[127.0.1.N]:25, no DNS needed) and smtp_tls_policy_maps give each
# destination the TLS level that makes it fail.  One message per case is
# queued with sendmail -C, the queue is flushed, and once every recipient
# has a status= line the sender's maillog is fed to `mxdoctor explain --json`.
# With MXD_LAB_LINES_OUT=FILE the maillog is copied there.
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
sender_up=

cleanup() {
	if [ -n "$sender_up" ]; then
		postfix -c "$etc" stop >/dev/null 2>&1 || true
		# wait (bounded) for the sender's master to go
		for _ in $(seq 50); do
			[ -s "$tmp/spool/pid/master.pid" ] || break
			kill -0 "$(tr -dc 0-9 <"$tmp/spool/pid/master.pid")" 2>/dev/null || break
			sleep 0.1
		done
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
# case  listener address  TLS policy (smtp_tls_policy_maps value)  expected cause
cases=$(cat <<'EOF'
expired           127.0.1.6    secure match=mx.expired.lab.test                      cert_expired
self-signed       127.0.1.4    secure match=mx.self-signed.lab.test                  cert_self_signed
untrusted         127.0.1.5    secure match=mx.untrusted.lab.test                    cert_untrusted
name-mismatch     127.0.1.9    secure match=mx.name-mismatch.lab.test                cert_name
no-starttls       127.0.1.12   encrypt                                               starttls
starttls-refused  127.0.1.13   encrypt                                               starttls
tls10-only        127.0.1.27   encrypt protocols=>=TLSv1.2                           tls_version
handshake-failed  127.0.1.15   encrypt                                               cipher
rate-limited      127.0.1.18   none                                                  rate_limit
greeting-reject   127.0.1.16   none                                                  other
ptr-reject        127.0.1.100  none                                                  ptr
EOF
)

# --- the sending Postfix ------------------------------------------------------
mkdir -p "$etc" "$tmp/spool" "$tmp/data"
chown postfix "$tmp/data"
: >"$etc/transport"
: >"$etc/tls_policy"
while read -r name addr rest; do
	policy=${rest% *}
	policy=${policy%"${policy##*[![:space:]]}"}
	printf '%s.lab.test smtp:[%s]:25\n' "$name" "$addr" >>"$etc/transport"
	printf '[%s]:25 %s\n' "$addr" "$policy" >>"$etc/tls_policy"
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
[ -n "${MXD_LAB_LINES_OUT:-}" ] && cp "$tmp/maillog" "$MXD_LAB_LINES_OUT"

# --- explain -------------------------------------------------------------------
"$mxd" explain --json --patterns "$pat" "$tmp/maillog" >"$tmp/out.json" 2>"$tmp/err"
rc=$?
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }

if [ "$rc" = 2 ]; then ok "explain exit status 2 (failures found)"; else
	notok "explain exit status $rc, expected 2"; cat "$tmp/err"; fi

while read -r name addr rest; do
	cause=${rest##* }
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

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
