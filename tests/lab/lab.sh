#!/bin/bash
# lab.sh: start, stop or query the mxdoctor test lab (Postfix, unbound, rbldnsd on loopback).
#
# Usage: lab.sh start|stop|status|restart [STATE_DIR]
#
# STATE_DIR defaults to $MXD_LAB_DIR, else /tmp/mxdoctor-lab.  Everything
# the lab makes lives there: certificates, configuration, queue, logs,
# pid files.  `start` writes STATE_DIR/lab.env (shell-sourceable):
#
#   MXD_LAB_DIR        the state directory
#   MXD_LAB_RESOLVER   127.0.2.1@5353 (unbound: the lab's DNS)
#   MXD_LAB_RESOLV_CONF  STATE_DIR/resolv.conf: "nameserver 127.0.2.1" (the same
#                      unbound on port 53, for software that reads /etc/resolv.conf,
#                      which cannot name a port: bind-mount it in a private mount
#                      namespace, see tests/explain/lab-lines.sh)
#   MXD_LAB_CA_FILE    the lab root CA (trust anchor for --ca-file)
#   MXD_LAB_CA_PATH    the same as an OpenSSL hashed directory (--ca-path)
#   MXD_LAB_ROGUE_CA_FILE  the root of the "untrusted" case
#   MXD_LAB_DNSBL      bl.lab.test (rbldnsd)
#
# Components, all on loopback only (never any other address):
#   rbldnsd  127.0.2.2 port 5300   bl.lab.test (ip4set, bl.lab.test.ip4set); also on
#            127.0.2.3 port 5300, where it refuses servfail.lab.test (lame delegation)
#   nothing  127.0.2.9 port 5399   the dead name server of dead-ns.lab.test
#   unbound  127.0.2.1 port 5353   lab zones (zones.conf), bl.lab.test forwarded to rbldnsd;
#            also on 127.0.2.1 port 53 (MXD_LAB_RESOLV_CONF)
#   Postfix  127.0.1.N:25, [::1]:25, port 465 on 127.0.1.1 and ::1   one master, one smtpd per case (listeners.tsv)
#
# start is idempotent (a running lab is left alone; a half-dead one is
# cleaned up and started afresh); stop kills by pid file only, waits for the
# processes to go, and removes STATE_DIR (set MXD_LAB_KEEP=1 to keep it).
# Exit status: 0 on success (status: all components up), 1 otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmd=${1:-}
state=${2:-${MXD_LAB_DIR:-/tmp/mxdoctor-lab}}
case "$state" in
/*) ;;
*) state=$PWD/$state ;;
esac
state=${state%/}

marker=$state/.mxdoctor-lab
pf=$state/postfix
ub=$state/unbound
rb=$state/rbldnsd
certs=$state/certs

resolver_addr=127.0.2.1
resolver_port=5353
nameserver_port=53	# the same unbound, for a resolv.conf (no port there)
rbldnsd_addr=127.0.2.2
rbldnsd_port=5300
lame_addr=127.0.2.3

say() { echo "lab: $*"; }
die() { echo "lab: error: $*" >&2; exit 1; }

usage() {
	echo "usage: lab.sh start|stop|status|restart [STATE_DIR]" >&2
	exit 2
}

# --- processes ------------------------------------------------------------

# pid_of PIDFILE EXE: the pid in PIDFILE if that process is alive and runs
# EXE (guards against a reused pid after a crash); empty otherwise.
pid_of() {
	local pid exe
	[ -r "$1" ] || return 0
	pid=$(tr -dc '0-9' <"$1" 2>/dev/null || true)
	[ -n "$pid" ] || return 0
	alive "$pid" || return 0
	exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
	exe=${exe% (deleted)}
	[ "${exe##*/}" = "$2" ] && echo "$pid"
	return 0
}

postfix_pidfile() { echo "$pf/spool/pid/master.pid"; }

# alive PID: the process exists and is not a zombie (a crashed daemon's
# zombie may wait a while for its reaper).
alive() {
	local st
	st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st%% *}" != Z ]
}

# wait_gone SECONDS PID...: wait until none of the pids is alive.
wait_gone() {
	local limit=$(($1 * 10)) i=0 p still
	shift
	while [ $i -lt $limit ]; do
		still=
		for p in "$@"; do
			if alive "$p"; then still=1; fi
		done
		[ -z "$still" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# kill_pids PID...: TERM, wait, then KILL what is left.
kill_pids() {
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null || true
	if ! wait_gone 5 "$@"; then
		kill -KILL "$@" 2>/dev/null || true
		wait_gone 2 "$@" || true
	fi
}

# postfix_pids: every process of the lab's Postfix, found by the
# MAIL_CONFIG=<lab config dir> entry that master passes to all its daemons.
# This also finds daemons orphaned by a crashed master.
postfix_pids() {
	local e p exe
	for e in /proc/[0-9]*/environ; do
		p=${e#/proc/}
		p=${p%/environ}
		grep -qzxF "MAIL_CONFIG=$pf/etc" "$e" 2>/dev/null || continue
		exe=$(readlink "/proc/$p/exe" 2>/dev/null || true)
		case "$exe" in */postfix/*) echo "$p" ;; esac
	done
}

stop_postfix() {
	local pid left
	pid=$(pid_of "$(postfix_pidfile)" master)
	if [ -n "$pid" ]; then
		postfix -c "$pf/etc" stop >>"$pf/postfix.log" 2>&1 || true
		wait_gone 10 "$pid" || kill_pids "$pid"
	fi
	# master stops its daemons; a crashed master leaves them behind
	left=$(postfix_pids | tr '\n' ' ')
	# shellcheck disable=SC2086
	[ -z "$left" ] || kill_pids $left
}

stop_daemon() {	# PIDFILE EXE
	local pid
	pid=$(pid_of "$1" "$2")
	[ -n "$pid" ] && kill_pids "$pid"
	return 0
}

stop_all() {
	stop_postfix
	stop_daemon "$ub/unbound.pid" unbound
	stop_daemon "$rb/rbldnsd.pid" rbldnsd
}

# --- configuration ----------------------------------------------------------

write_rbldnsd() {
	mkdir -p "$rb"
	cp "$here/bl.lab.test.ip4set" "$rb/bl.lab.test.ip4set"
	chmod 755 "$rb"
	chmod 644 "$rb/bl.lab.test.ip4set"
}

write_unbound() {
	mkdir -p "$ub"
	printf '# the mxdoctor lab DNS (unbound, lab.sh)\nnameserver %s\noptions timeout:2 attempts:1\n' \
	    "$resolver_addr" >"$state/resolv.conf"
	chmod 644 "$state/resolv.conf"
	cat >"$ub/unbound.conf" <<EOF
# unbound for the mxdoctor lab (generated by lab.sh); zones: $here/zones.conf
server:
	verbosity: 1
	log-servfail: yes
	interface: $resolver_addr@$resolver_port
	interface: $resolver_addr@$nameserver_port
	port: $resolver_port
	outgoing-interface: $resolver_addr
	do-ip4: yes
	do-ip6: no
	do-udp: yes
	do-tcp: yes
	num-threads: 1
	username: ""
	chroot: ""
	directory: "$ub"
	pidfile: "$ub/unbound.pid"
	logfile: "$ub/unbound.log"
	use-syslog: no
	do-daemonize: no
	module-config: "iterator"
	access-control: 127.0.0.0/8 allow
	access-control: ::1 allow
	do-not-query-localhost: no
	qname-minimisation: no
	# the lab's data must be seen at once after a restart: no stale cache
	cache-max-ttl: 60
	cache-max-negative-ttl: 5
	infra-host-ttl: 60
	# unbound runs under the lab only: the distribution's trust anchor and
	# includes are not used (module-config has no validator).
include: "$here/zones.conf"

remote-control:
	control-enable: yes
	control-interface: "$ub/control.sock"
	control-use-cert: no
EOF
}

write_postfix() {
	local etc=$pf/etc
	mkdir -p "$etc" "$pf/spool" "$pf/data"
	chown postfix "$pf/data"
	cat >"$etc/main.cf" <<EOF
# Postfix main.cf of the mxdoctor lab (generated by lab.sh).
# One master, one smtpd per case (master.cf, from listeners.tsv).  This
# instance never accepts or delivers mail: every recipient is rejected,
# nothing is local, nothing is relayed.
compatibility_level = 3.6
queue_directory = $pf/spool
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
myhostname = mx.lab.test
mydomain = lab.test
myorigin = \$myhostname
mydestination =
relay_domains =
relayhost =
mynetworks = 127.0.0.1/32
inet_interfaces = loopback-only
inet_protocols = all
local_transport = error:5.1.1 the mxdoctor lab delivers nothing
default_transport = error:5.1.1 the mxdoctor lab delivers nothing
alias_maps =
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject
smtpd_peername_lookup = no
smtpd_banner = \$myhostname ESMTP mxdoctor lab
biff = no
append_dot_mydomain = no
readme_directory = no
notify_classes =
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_session_cache_database =
tls_config_file = none
smtp_tls_security_level = none

# Per-listener settings with spaces (master.cf -o values cannot hold spaces)
lab_seclevel0_conf = $etc/openssl-seclevel0.cnf
lab_starttls_filter = regexp:$etc/starttls-filter.regexp
lab_tls12_only = >=TLSv1.2, <=TLSv1.2
lab_ecdsa_only_ciphers = ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256
lab_tarpit_restrictions = sleep 10, permit
lab_ratelimit_restrictions = check_client_access cidr:$etc/ratelimit.cidr
lab_tls10_only = >=TLSv1, <=TLSv1
lab_rsa_kx_ciphers = AES256-GCM-SHA384:AES128-GCM-SHA256
lab_sni_map = hash:$etc/sni-map
lab_dh1024_file = $etc/dh1024.pem
EOF

	# sni-default: the default certificate names another host; the SNI
	# map gives the MX name its own (postmap -F stores the file contents).
	printf 'mx.sni-default.lab.test %s\n' "$certs/leaves/sni-default-sni.pem" \
	    >"$etc/sni-map"
	postmap -F -c "$etc" "hash:$etc/sni-map" ||
	    die "postmap -F $etc/sni-map failed"
	# weak-dh: 1024-bit DH parameters for the DHE suites.
	[ -s "$etc/dh1024.pem" ] ||
	    openssl dhparam -out "$etc/dh1024.pem" 1024 >/dev/null 2>&1 ||
	    die "openssl dhparam 1024 failed"

	# OpenSSL settings for the weak_key and weak_signature listeners.
	# Debian's OpenSSL defaults to security level 2, which refuses an RSA
	# 1024 key or a SHA-1 signature.  Postfix 3.7.11 evidently lowers the
	# level of its server contexts itself (they load without this too);
	# this keeps the lab independent of that.
	cat >"$etc/openssl-seclevel0.cnf" <<'EOF'
# OpenSSL configuration for lab listeners that must serve weak certificates.
lab_seclevel0 = lab_seclevel0_init
openssl_conf = lab_seclevel0_init

[ lab_seclevel0_init ]
ssl_conf = lab_seclevel0_ssl

[ lab_seclevel0_ssl ]
system_default = lab_seclevel0_tls

[ lab_seclevel0_tls ]
CipherString = DEFAULT:@SECLEVEL=0
EOF

	# STARTTLS is advertised, but the command is rewritten to one smtpd
	# does not know: the client gets "502 5.5.2 Error: command not recognized".
	cat >"$etc/starttls-filter.regexp" <<'EOF'
/^STARTTLS$/	XSTARTTLS-DISABLED
EOF
	cat >"$etc/ratelimit.cidr" <<'EOF'
0.0.0.0/0	421 4.7.0 Too many connections from your address, try again later
::/0	421 4.7.0 Too many connections from your address, try again later
EOF

	{
		echo '# Postfix master.cf of the mxdoctor lab (generated by lab.sh from listeners.tsv).'
		cat "$here/master-base.cf"
		local name addr port host cert opts o svc
		while read -r name addr port host cert opts; do
			case "$name" in '' | '#'*) continue ;; esac
			case "$addr" in
			*:*) svc="[$addr]:$port" ;;
			*) svc="$addr:$port" ;;
			esac
			printf '# %s\n%s inet n - n - - smtpd\n' "$name" "$svc"
			printf '  -o syslog_name=postfix/%s\n' "$name"
			printf '  -o myhostname=%s\n' "$host"
			printf '  -o smtpd_tls_chain_files=%s\n' "$certs/leaves/$cert.pem"
			if [ "$opts" != "-" ]; then
				for o in $opts; do printf '  -o %s\n' "$o"; done
			fi
		done <"$here/listeners.tsv"
		# garbage: no SMTP at all, random bytes then close (Postfix's
		# spawn service runs the command on the connection).
		printf '# garbage\n127.0.1.26:25 inet n n n - - spawn\n'
		printf '  user=nobody argv=/usr/bin/head -c 4096 /dev/urandom\n'
	} >"$etc/master.cf"
}

write_env() {
	cat >"$state/lab.env" <<EOF
# mxdoctor lab environment (lab.sh start); source with: set -a; . lab.env; set +a
MXD_LAB_DIR='$state'
MXD_LAB_RESOLVER='$resolver_addr@$resolver_port'
MXD_LAB_RESOLV_CONF='$state/resolv.conf'
MXD_LAB_CA_FILE='$certs/ca.pem'
MXD_LAB_CA_PATH='$certs/capath'
MXD_LAB_ROGUE_CA_FILE='$certs/rogue-root.crt'
MXD_LAB_DNSBL='bl.lab.test'
EOF
}

# --- start ----------------------------------------------------------------------

start_rbldnsd() {
	# also on $lame_addr: the "name server" of servfail.lab.test, which it
	# does not serve (REFUSED, a lame delegation: see zones.conf)
	rbldnsd -n -u rbldns -b "$rbldnsd_addr/$rbldnsd_port" -b "$lame_addr/$rbldnsd_port" -w "$rb" \
	    -p "$rb/rbldnsd.pid" -t 60 -c 1m \
	    bl.lab.test:ip4set:bl.lab.test.ip4set \
	    </dev/null >>"$rb/rbldnsd.log" 2>&1 &
	echo $! >"$rb/rbldnsd.pid"
}

start_unbound() {
	unbound-checkconf "$ub/unbound.conf" >>"$ub/unbound.log" 2>&1 ||
	    die "unbound-checkconf failed, see $ub/unbound.log"
	unbound -c "$ub/unbound.conf" </dev/null >>"$ub/unbound.log" 2>&1 &
	echo $! >"$ub/unbound.pid"
}

start_postfix() {
	postfix -c "$pf/etc" check >>"$pf/postfix.log" 2>&1 ||
	    die "postfix check failed, see $pf/postfix.log"
	postfix -c "$pf/etc" start </dev/null >>"$pf/postfix.log" 2>&1 ||
	    die "postfix start failed, see $pf/postfix.log and $pf/maillog"
}

# dns_ready ADDR PORT NAME TYPE WANT: dig answers WANT within the deadline.
dns_ready() {
	local i
	for i in $(seq 50); do
		if dig +short +time=1 +tries=1 -p "$2" "@$1" "$3" "$4" 2>/dev/null | grep -qx "$5"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# dns_status ADDR PORT NAME TYPE STATUS: the answer has rcode STATUS.
dns_status() {
	local i
	for i in $(seq 30); do
		if dig +time=1 +tries=1 -p "$2" "@$1" "$3" "$4" 2>/dev/null | grep -q "status: $5,"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# smtp_ready ADDR: a 220 greeting arrives on ADDR port 25.
smtp_ready() {
	local i line
	for i in $(seq 50); do
		if exec 3<>"/dev/tcp/$1/25" 2>/dev/null; then
			line=
			read -r -t 3 line <&3 || true
			printf 'QUIT\r\n' >&3 2>/dev/null || true
			exec 3<&- 3>&-
			case "$line" in 220*) return 0 ;; esac
		fi
		sleep 0.1
	done
	return 1
}

# ports_free: nothing answers on the lab's addresses yet (another lab in
# another state directory, or some other server, would be used by mistake).
ports_free() {
	local busy=
	if dig +time=1 +tries=1 -p "$resolver_port" "@$resolver_addr" lab.test SOA >/dev/null 2>&1; then
		busy="$busy $resolver_addr@$resolver_port"
	fi
	if dig +time=1 +tries=1 -p "$nameserver_port" "@$resolver_addr" lab.test SOA >/dev/null 2>&1; then
		busy="$busy $resolver_addr@$nameserver_port"
	fi
	if dig +time=1 +tries=1 -p "$rbldnsd_port" "@$rbldnsd_addr" bl.lab.test SOA >/dev/null 2>&1; then
		busy="$busy $rbldnsd_addr@$rbldnsd_port"
	fi
	local name addr port rest
	while read -r name addr port rest; do
		case "$name" in '' | '#'*) continue ;; esac
		if (exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null; then
			busy="$busy $addr:$port"
		fi
	done <"$here/listeners.tsv"
	[ -z "$busy" ] || die "already in use:$busy (another lab running? lab.sh status DIR)"
}

all_up() {
	[ -n "$(pid_of "$rb/rbldnsd.pid" rbldnsd)" ] &&
	    [ -n "$(pid_of "$ub/unbound.pid" unbound)" ] &&
	    [ -n "$(pid_of "$(postfix_pidfile)" master)" ]
}

check_tools() {
	local t missing=
	for t in postfix unbound unbound-checkconf rbldnsd openssl dig; do
		command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
	done
	[ -z "$missing" ] || die "missing:$missing (run tests/lab/deps.sh)"
	[ "$(id -u)" = 0 ] || die "the lab needs root (Postfix master, port 25)"
}

do_start() {
	local t0=$SECONDS
	check_tools
	if [ -f "$marker" ] && all_up; then
		write_env
		say "already running ($state)"
		return 0
	fi
	if [ -e "$state" ] && [ ! -f "$marker" ] && [ -n "$(ls -A "$state" 2>/dev/null)" ]; then
		die "$state exists and is not a lab state directory"
	fi
	# leftovers of a crash or a half start: clear them first
	if [ -f "$marker" ]; then stop_all; fi
	ports_free
	rm -rf "$state"
	mkdir -p "$state"
	chmod 755 "$state"
	# a failed start leaves nothing running
	trap 'stop_all' EXIT
	echo "mxdoctor lab state directory; lab.sh stop removes it" >"$marker"

	"$here/gen-certs.sh" "$certs" >"$state/gen-certs.log" 2>&1 ||
	    { cat "$state/gen-certs.log" >&2; die "certificate generation failed"; }
	mkdir -p "$certs/capath"
	cp "$certs/ca.pem" "$certs/capath/lab-root.pem"
	openssl rehash "$certs/capath" >/dev/null 2>&1 ||
	    die "openssl rehash $certs/capath failed"

	write_rbldnsd
	write_unbound
	write_postfix
	write_env

	start_rbldnsd
	start_unbound
	start_postfix

	dns_ready "$rbldnsd_addr" "$rbldnsd_port" 2.0.0.127.bl.lab.test A 127.0.0.2 ||
	    die "rbldnsd does not answer, see $rb/rbldnsd.log"
	dns_ready "$resolver_addr" "$resolver_port" good.lab.test MX "10 mx.good.lab.test." ||
	    die "unbound does not answer, see $ub/unbound.log"
	dns_ready "$resolver_addr" "$nameserver_port" good.lab.test MX "10 mx.good.lab.test." ||
	    die "unbound does not answer on port $nameserver_port, see $ub/unbound.log"
	dns_ready "$resolver_addr" "$resolver_port" 2.0.0.127.bl.lab.test A 127.0.0.2 ||
	    die "unbound does not forward bl.lab.test to rbldnsd"
	dns_status "$resolver_addr" "$resolver_port" servfail.lab.test MX SERVFAIL ||
	    die "servfail.lab.test does not SERVFAIL (lame delegation to $lame_addr)"
	smtp_ready 127.0.1.1 ||
	    die "Postfix does not greet on 127.0.1.1:25, see $pf/maillog"
	smtp_ready ::1 ||
	    die "Postfix does not greet on [::1]:25, see $pf/maillog"
	all_up || die "a lab daemon died during start, see the logs in $state"
	trap - EXIT
	say "started in $((SECONDS - t0)) s ($state); environment: $state/lab.env"
}

do_stop() {
	if [ ! -f "$marker" ]; then
		if [ -e "$state" ] && [ -n "$(ls -A "$state" 2>/dev/null)" ]; then
			die "$state is not a lab state directory; not touching it"
		fi
		say "not running ($state)"
		return 0
	fi
	stop_all
	if [ "${MXD_LAB_KEEP:-0}" = 1 ]; then
		rm -f "$state/lab.env"
		say "stopped; state kept in $state"
	else
		rm -rf "$state"
		say "stopped"
	fi
}

do_status() {
	local rc=0 p
	if [ ! -f "$marker" ]; then
		say "not running ($state)"
		return 1
	fi
	p=$(pid_of "$rb/rbldnsd.pid" rbldnsd)
	if [ -n "$p" ]; then say "rbldnsd  up   pid $p  $rbldnsd_addr port $rbldnsd_port"; else say "rbldnsd  DOWN"; rc=1; fi
	p=$(pid_of "$ub/unbound.pid" unbound)
	if [ -n "$p" ]; then say "unbound  up   pid $p  $resolver_addr port $resolver_port and $nameserver_port"; else say "unbound  DOWN"; rc=1; fi
	p=$(pid_of "$(postfix_pidfile)" master)
	if [ -n "$p" ]; then say "postfix  up   pid $p  $(grep -c ' inet ' "$pf/etc/master.cf") listeners"; else say "postfix  DOWN"; rc=1; fi
	[ $rc = 0 ] && say "environment: $state/lab.env"
	return $rc
}

case "$cmd" in
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
restart) do_stop; do_start ;;
*) usage ;;
esac
