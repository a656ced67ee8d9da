# lib.sh: helpers of postfix-roundtrip.sh: output, polling, certificates, a private unbound, private Postfix instances.
# shellcheck shell=bash
# shellcheck disable=SC2154 # st, base_cf, dns_addr, dns_port: set by the caller
#
# Sourced by postfix-roundtrip.sh, which sets:
#   st        the state directory (everything lives under it)
#   base_cf   tests/lab/master-base.cf (Postfix's internal services)
#   dns_addr dns_port  where the private unbound answers
# Nothing here touches the lab (tests/lab/lab.sh) or any process this
# script did not start: Postfix processes are found by their
# MAIL_CONFIG=<our config dir>, unbound by the pid we started.  Daemons
# are started without fd 9 (the caller's run lock).

# --- output -------------------------------------------------------------------

npass=0
nfail=0
say() { printf '# %s\n' "$*"; }
ok() { npass=$((npass + 1)); printf 'ok - %s\n' "$*"; }
notok() { nfail=$((nfail + 1)); printf 'not ok - %s\n' "$*"; }
# show FILE [LINES]: the file's tail as "#   " lines (for a failure).
show() {
	[ -s "$1" ] || { printf '#   (%s: empty or missing)\n' "$1"; return 0; }
	printf '#   --- %s\n' "$1"
	tail -n "${2:-40}" "$1" | head -c 6000 | sed 's/^/#   /'
}

# poll SECONDS CMD...: run CMD every 0.2 s until it succeeds; 1 at the deadline.
poll() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# --- certificates ---------------------------------------------------------------

# gen_certs DIR HOST...: a root CA, an intermediate and one RSA 2048 leaf per
# HOST (SAN = HOST, AIA caIssuers like a public CA's), all valid from now.
# Writes ca.pem (the trust anchor), int.crt (the intermediate "as the CA
# sends it"), leaf.key (shared by the leaves), HOST.crt (leaf only) and
# HOST.pem (key, leaf, intermediate: for smtpd_tls_chain_files).
gen_certs() {
	local d=$1 h k
	shift
	mkdir -p "$d"
	(
		set -e
		cd "$d"
		for k in root int leaf; do
			openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$k.key" &
		done
		wait
		for k in root int leaf; do [ -s "$k.key" ]; done
		cat >ext.cnf <<'EOF'
[ int_ext ]
basicConstraints       = critical, CA:true, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ leaf_ext ]
basicConstraints       = critical, CA:false
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth, clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:${ENV::RT_SAN}
authorityInfoAccess    = caIssuers;URI:http://ca.roundtrip.test/int.crt
EOF
		export RT_SAN=unused.roundtrip.test
		openssl req -new -x509 -key root.key -out root.crt -days 365 -sha256 \
		    -subj "/O=mxdoctor round trip/CN=mxdoctor round-trip root CA" \
		    -addext "basicConstraints=critical,CA:true" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign"
		openssl req -new -key int.key -subj "/O=mxdoctor round trip/CN=mxdoctor round-trip intermediate CA" |
		    openssl x509 -req -CA root.crt -CAkey root.key -set_serial "0x$(openssl rand -hex 8)" \
		    -days 365 -sha256 -extfile ext.cnf -extensions int_ext -out int.crt
		for h in "$@"; do
			export RT_SAN=$h
			openssl req -new -key leaf.key -subj "/CN=$h" |
			    openssl x509 -req -CA int.crt -CAkey int.key -set_serial "0x$(openssl rand -hex 8)" \
			    -days 365 -sha256 -extfile ext.cnf -extensions leaf_ext -out "$h.crt"
			cat leaf.key "$h.crt" int.crt >"$h.pem"
		done
		cp root.crt ca.pem
		chmod 600 ./*.key ./*.pem
		chmod 644 ca.pem
	) >"$d/openssl.log" 2>&1
}

# --- DNS: a private unbound -------------------------------------------------------

unbound_pid=

# unbound_start DIR ZONEDATA: unbound on $dns_addr@$dns_port answering
# ZONEDATA (unbound server: lines) and NXDOMAIN for everything else.
unbound_start() {
	local d=$1
	mkdir -p "$d"
	cat >"$d/unbound.conf" <<EOF
# unbound of tests/audit/postfix-roundtrip.sh (generated): never asks anyone.
server:
	verbosity: 1
	interface: $dns_addr@$dns_port
	port: $dns_port
	do-ip4: yes
	do-ip6: no
	do-udp: yes
	do-tcp: yes
	num-threads: 1
	username: ""
	chroot: ""
	directory: "$d"
	pidfile: "$d/unbound.pid"
	logfile: "$d/unbound.log"
	use-syslog: no
	do-daemonize: no
	module-config: "iterator"
	access-control: 127.0.0.0/8 allow
	do-not-query-localhost: no
	local-zone: "." static
	local-zone: "127.in-addr.arpa." nodefault
	local-zone: "127.in-addr.arpa." static
$2
remote-control:
	control-enable: no
EOF
	unbound-checkconf "$d/unbound.conf" >"$d/unbound.log" 2>&1 || return 1
	unbound -c "$d/unbound.conf" </dev/null >>"$d/unbound.log" 2>&1 9>&- &
	unbound_pid=$!
}

unbound_stop() {
	[ -n "$unbound_pid" ] || return 0
	kill -TERM "$unbound_pid" 2>/dev/null
	poll 5 eval "! kill -0 $unbound_pid 2>/dev/null" || kill -KILL "$unbound_pid" 2>/dev/null
	wait "$unbound_pid" 2>/dev/null
	unbound_pid=
}

# dns_answers NAME TYPE WANT: the private unbound answers WANT.
dns_answers() {
	dig +short +time=1 +tries=1 -p "$dns_port" "@$dns_addr" "$1" "$2" 2>/dev/null | grep -qxF "$3"
}

# --- Postfix instances ----------------------------------------------------------
#
# An instance NAME lives in $st/NAME: etc/ (main.cf, master.cf), spool/,
# data/, maillog (postlogd).  Its master is started with postfix -c etc.

pf_started=()

pf_etc() { echo "$st/$1/etc"; }
pf_log() { echo "$st/$1/maillog"; }

# pf_new NAME ADDR HOSTNAME: a main.cf that accepts nothing, delivers
# nothing, sends from ADDR and uses no DNS; master.cf with Postfix's
# internal services only.  The caller adds its own settings with postconf
# (pf_set), and its listener as service "ADDR:25" (pf_listen).
pf_new() {
	local name=$1 addr=$2 host=$3 d=$st/$1
	mkdir -p "$d/etc" "$d/spool" "$d/data"
	chown postfix "$d/data"
	cat >"$d/etc/main.cf" <<EOF
# Postfix instance "$name" of tests/audit/postfix-roundtrip.sh (generated).
compatibility_level = 3.6
queue_directory = $d/spool
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $d/maillog
maillog_file_prefixes = $st
myhostname = $host
mydomain = roundtrip.test
myorigin = \$myhostname
mydestination =
relay_domains =
relayhost =
mynetworks = 127.0.0.1/32
# Postfix wants inet_interfaces on an interface's own address (lo has only
# 127.0.0.1): the listener is bound in master.cf instead ($addr:25)
inet_interfaces = loopback-only
inet_protocols = ipv4
smtp_bind_address = $addr
alias_maps =
alias_database =
local_recipient_maps =
local_transport = error:5.1.1 this instance delivers nothing locally
default_transport = error:5.1.2 not a round-trip destination
smtpd_banner = \$myhostname ESMTP mxdoctor round trip
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
notify_classes =
biff = no
append_dot_mydomain = no
readme_directory = no
tls_config_file = none
smtpd_tls_session_cache_database =
smtp_tls_session_cache_database =
smtpd_tls_loglevel = 1
smtp_tls_loglevel = 1
maximal_queue_lifetime = 1h
EOF
	{
		printf '# Postfix instance "%s" of tests/audit/postfix-roundtrip.sh (generated).\n' "$name"
		cat "$base_cf"
	} >"$d/etc/master.cf"
}

# pf_set NAME 'param = value'...: main.cf settings, the admin's way.
pf_set() {
	local etc
	etc=$(pf_etc "$1")
	shift
	postconf -c "$etc" -e "$@"
}

# pf_listen NAME ADDR: an smtpd on ADDR:25 (master.cf service "ADDR:25/inet").
pf_listen() {
	postconf -c "$(pf_etc "$1")" -M "$2:25/inet=$2:25 inet n - n - - smtpd"
}

pf_master_pid() {
	local f=$st/$1/spool/pid/master.pid p
	[ -s "$f" ] || return 1
	p=$(tr -dc 0-9 <"$f")
	[ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"
}

pf_start() {
	local etc
	etc=$(pf_etc "$1")
	pf_started+=("$1")
	postfix -c "$etc" check >"$st/$1/postfix.log" 2>&1 &&
	    postfix -c "$etc" start </dev/null >>"$st/$1/postfix.log" 2>&1 9>&- &&
	    poll 10 pf_master_pid "$1" >/dev/null
}

# pf_pids ETC: every process of the instance (master and daemons, also
# daemons orphaned by a dead master), by MAIL_CONFIG in its environment.
pf_pids() {
	local e p exe
	for e in /proc/[0-9]*/environ; do
		grep -qzxF "MAIL_CONFIG=$1" "$e" 2>/dev/null || continue
		p=${e#/proc/}
		p=${p%/environ}
		exe=$(readlink "/proc/$p/exe" 2>/dev/null)
		case "$exe" in */postfix/*) echo "$p" ;; esac
	done
}

pf_stop() {
	local etc left
	etc=$(pf_etc "$1")
	if pf_master_pid "$1" >/dev/null; then
		postfix -c "$etc" stop >>"$st/$1/postfix.log" 2>&1
		poll 10 eval "! pf_master_pid $1 >/dev/null"
	fi
	left=$(pf_pids "$etc" | tr '\n' ' ')
	if [ -n "$left" ]; then
		# shellcheck disable=SC2086 # one pid a word
		kill -TERM $left 2>/dev/null
		poll 3 eval "[ -z \"\$(pf_pids $etc)\" ]" || {
			left=$(pf_pids "$etc" | tr '\n' ' ')
			# shellcheck disable=SC2086
			[ -z "$left" ] || kill -KILL $left 2>/dev/null
		}
	fi
	return 0
}

pf_stop_all() {
	local n
	for n in "${pf_started[@]}"; do pf_stop "$n"; done
	pf_started=()
}

# reloads NAME: how many reloads the instance's master has logged.
reloads() { grep -c 'postfix/master\[[0-9]*\]: reload' "$(pf_log "$1")" 2>/dev/null; }

# smtp_ready ADDR: a 220 greeting on ADDR port 25.
smtp_ready() {
	local line=
	exec 3<>"/dev/tcp/$1/25" 2>/dev/null || return 1
	read -r -t 3 line <&3
	printf 'QUIT\r\n' >&3 2>/dev/null
	exec 3<&- 3>&-
	case "$line" in 220*) return 0 ;; esac
	return 1
}

# port_free ADDR PORT: nothing accepts TCP connections there.
port_free() { ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
