#!/bin/bash
# run.sh: integration tests: `mxdoctor check --json` against the lab's real servers, asserted with jq.
#
# Usage: run.sh MXDOCTOR_BINARY [CASE...]
#
# Starts the lab (tests/lab/lab.sh) unless it is running, and stops it at
# the end only if it started it.  Runs one check per line of cases.tsv
# (all, or the CASEs named) and asserts:
#   - the exit status (Nagios: 0 ok, 1 warnings, 2 errors, 3 usage);
#   - one JSON document on stdout, schema 1, summary consistent with the findings;
#   - every expected finding (id, severity, address) is present, and no
#     warning or error that the case does not expect;
#   - the fact checks of facts.tsv for the case;
#   - (without CASEs) every finding id of `mxdoctor findings` is required
#     by some case.
# Prints one line per assertion ("ok N - ..." / "not ok N - ..." followed
# by the relevant JSON as "#" lines) and ends with "N passed, N failed".
# Exit status: 0 if all passed, 1 otherwise.
#
# jq programs are in single quotes on purpose:
# shellcheck disable=SC2016
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
lab=$top/tests/lab/lab.sh

if [ $# -lt 1 ]; then
	echo "usage: run.sh MXDOCTOR_BINARY [CASE...]" >&2
	exit 2
fi
mxd=$1
shift
case "$mxd" in
*/*) mxd=$(cd "$(dirname "$mxd")" && pwd)/$(basename "$mxd") ;;
*) mxd=$(command -v "$mxd" || echo "$mxd") ;;
esac
only=("$@")

passed=0
failed=0
n=0
work=$(mktemp -d "${TMPDIR:-/tmp}/mxdoctor-it.XXXXXX")
lab_started=

ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $*"
}

# not_ok DESCRIPTION [DETAIL...]: a failed assertion, details as "#" lines.
not_ok() {
	local d=$1
	shift
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $d"
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" | head -c 4000 | sed 's/^/#   /'
	fi
}

finish() {
	local rc=0
	if [ -n "$lab_started" ]; then
		"$lab" stop "$MXD_LAB_DIR" >/dev/null 2>&1 || echo "# lab.sh stop failed"
	fi
	rm -rf "$work"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] || rc=1
	exit $rc
}
trap finish EXIT
trap 'exit 1' INT TERM

command -v jq >/dev/null 2>&1 || { not_ok "jq is installed (tests/lab/deps.sh)"; exit 1; }
if [ ! -x "$mxd" ]; then
	not_ok "mxdoctor binary $mxd is executable"
	exit 1
fi

# --- the lab -------------------------------------------------------------------

export MXD_LAB_DIR=${MXD_LAB_DIR:-/tmp/mxdoctor-lab}
if ! "$lab" status "$MXD_LAB_DIR" >/dev/null 2>&1; then
	if ! out=$("$lab" start "$MXD_LAB_DIR" 2>&1); then
		not_ok "lab starts" "$out"
		exit 1
	fi
	lab_started=1
	echo "# $out"
else
	echo "# using the running lab in $MXD_LAB_DIR"
fi
set -a
# shellcheck disable=SC1091
. "$MXD_LAB_DIR/lab.env"
# Receiver profiles from the source tree (the binary looks in the
# installed data directory otherwise).
MXD_LAB_PROFILE_DIR=$(cd "$here/../../data/profiles" && pwd)
export MXDOCTOR_PROFILE_DIR=$MXD_LAB_PROFILE_DIR
set +a

# --- jq helpers ---------------------------------------------------------------

prelude='
def name: if type == "string" then rtrimstr(".") else . end;
def addrs: [.targets[]?.hosts[]?.addresses[]?];
def addr($a): (first(.targets[]?.hosts[]?.addresses[]? | select(.address == $a)) // null);
def cert($a): addr($a).tls.certificate;
def target($t): (first(.targets[]? | select(.target == $t)) // null);
def sending($a): (first(.sending_ips[]? | select(.address == $a)) // null);
def finding($id): [.findings[]? | select(.id == $id)];
def rank: {"error": 2, "warning": 1, "info": 0}[.] // -1;
'

# jqf FILE EXPR [jq args...]: run EXPR (with the helpers) on FILE, compact output.
jqf() {
	local f=$1 e=$2
	shift 2
	jq -c "$@" "$prelude $e" "$f" 2>&1
}

# jqtrue FILE EXPR [jq args...]: EXPR yields true.
jqtrue() {
	local f=$1 e=$2
	shift 2
	[ "$(jq "$@" "$prelude $e" "$f" 2>/dev/null)" = true ]
}

brief_findings='[.findings[]? | "\(.severity) \(.id) \(.address // .host // "-") : \(.message)"] | .[]'

# --- one case -----------------------------------------------------------------

# expand WORD: $MXD_LAB_NAME replaced by its value.
expand() {
	local w=$1 v
	while [[ "$w" =~ \$(MXD_LAB_[A-Z_]+) ]]; do
		v=${!BASH_REMATCH[1]:-}
		w=${w/"\$${BASH_REMATCH[1]}"/$v}
	done
	printf '%s' "$w"
}

# has_opt OPT ARGS...: the case's own arguments contain OPT.
has_opt() {
	local o=$1 a
	shift
	for a in "$@"; do
		[ "$a" = "$o" ] && return 0
		case "$a" in "$o"=*) return 0 ;; esac
	done
	return 1
}

run_case() {
	local name=$1 argstr=$2 want_exit=$3 want=$4
	local -a args=() cmd=()
	local w rc out=$work/$name.json err=$work/$name.err
	if [ "$argstr" != "-" ]; then
		for w in $argstr; do args+=("$(expand "$w")"); done
	fi

	# common options, unless the case gives its own
	cmd=(--json)
	has_opt --resolver "${args[@]}" || cmd+=(--resolver "$MXD_LAB_RESOLVER")
	has_opt --ca-file "${args[@]}" || has_opt --ca-path "${args[@]}" ||
	    cmd+=(--ca-file "$MXD_LAB_CA_FILE")
	has_opt --dnsbl "${args[@]}" || has_opt --no-dnsbl "${args[@]}" ||
	    cmd+=(--dnsbl "$MXD_LAB_DNSBL")
	has_opt --ehlo "${args[@]}" || cmd+=(--ehlo client.lab.test)
	has_opt --timeout "${args[@]}" || cmd+=(--timeout 5)
	has_opt --greeting-timeout "${args[@]}" || cmd+=(--greeting-timeout 3)
	cmd+=("${args[@]}")

	echo "# $name: mxdoctor check ${cmd[*]}"
	timeout 120 "$mxd" check "${cmd[@]}" >"$out" 2>"$err" </dev/null
	rc=$?

	# exit status
	if [[ "|$want_exit|" == *"|$rc|"* ]]; then
		ok "$name: exit status $rc"
	else
		local why="exit status $rc, expected $want_exit"
		[ $rc -eq 124 ] && why="$why (timed out after 120 s)"
		[ $rc -gt 128 ] && [ $rc -ne 124 ] && why="$why (killed by signal $((rc - 128)))"
		not_ok "$name: $why" "stderr:" "$(tail -n 15 "$err")" "findings:" \
		    "$(jq -r "$brief_findings" "$out" 2>/dev/null)"
	fi
	[ "$want" = nojson ] && return 0

	# one JSON document
	local docs
	docs=$(jq -s 'length' "$out" 2>/dev/null)
	if [ "$docs" = 1 ] && jqtrue "$out" 'type == "object"'; then
		ok "$name: stdout is one JSON document"
	else
		not_ok "$name: stdout is not one JSON document" "stdout:" "$(head -c 1500 "$out")" \
		    "stderr:" "$(tail -n 10 "$err")"
		return 0
	fi

	check_generic "$name" "$out" "$rc"
	check_findings "$name" "$out" "$want"
	check_facts "$name" "$out"
}

check_generic() {
	local name=$1 f=$2 rc=$3 d e
	while IFS=$'\t' read -r d e; do
		[ -n "$e" ] || continue
		if jqtrue "$f" "$e" --argjson rc "$rc"; then
			ok "$name: $d"
		else
			not_ok "$name: $d" "check: $e" "summary: $(jqf "$f" '.summary')" \
			    "mxdoctor: $(jqf "$f" '.mxdoctor')" \
			    "findings:" "$(jq -r "$brief_findings" "$f" 2>/dev/null)"
		fi
	done <<'EOF'
schema is 1	.mxdoctor.schema == 1
summary.exit_status is the exit status	.summary.exit_status == $rc
summary counts match the findings	.summary.errors == ([.findings[] | select(.severity == "error")] | length) and .summary.warnings == ([.findings[] | select(.severity == "warning")] | length) and .summary.infos == ([.findings[] | select(.severity == "info")] | length)
findings are worst first	[.findings[].severity | rank] == ([.findings[].severity | rank] | sort | reverse)
every finding has id, severity, message and fix	all(.findings[]; (.id | length) > 0 and (.severity | rank) >= 0 and (.message | length) > 0 and (.fix | length) > 0)
EOF
}

# check_findings NAME FILE SPECS: expected present, nothing unexpected above info.
check_findings() {
	local name=$1 f=$2 specs=$3 s id sev addr opt json="[]"
	if [ "$specs" != none ]; then
		for s in $specs; do
			opt=false
			case "$s" in '?'*) opt=true s=${s#\?} ;; esac
			addr=
			case "$s" in *@*) addr=${s#*@} s=${s%%@*} ;; esac
			id=${s%%:*}
			sev=${s#*:}
			json=$(jq -cn --argjson l "$json" --arg id "$id" --arg sev "$sev" \
			    --arg addr "$addr" --argjson opt "$opt" \
			    '$l + [{id: $id, severity: $sev, address: (if $addr == "" then null else $addr end), optional: $opt}]')
		done
	fi
	local want
	while IFS= read -r want; do
		[ -n "$want" ] || continue
		local label
		label=$(jq -r '"\(.id):\(.severity)" + (if .address then "@\(.address)" else "" end)' <<<"$want")
		if jqtrue "$f" '[.findings[] | select(.id == $w.id and .severity == $w.severity and ($w.address == null or .address == $w.address))] | length > 0' --argjson w "$want"; then
			ok "$name: finding $label"
		else
			not_ok "$name: finding $label missing" "findings:" \
			    "$(jq -r "$brief_findings" "$f" 2>/dev/null)" \
			    "same id: $(jqf "$f" 'finding($w.id)' --argjson w "$want")"
		fi
	done < <(jq -c '.[] | select(.optional | not)' <<<"$json")

	local extra
	extra=$(jqf "$f" '[.findings[] | select(.severity != "info") as $x
	    | select(all($l[]; .id != $x.id or .severity != $x.severity or (.address != null and .address != $x.address)))]' --argjson l "$json")
	if [ "$extra" = "[]" ]; then
		ok "$name: no unexpected warning or error"
	else
		not_ok "$name: unexpected findings above info" \
		    "$(jq -r '.[] | "\(.severity) \(.id) \(.address // .host // "-") : \(.message) [\(.evidence)]"' <<<"$extra" 2>/dev/null || echo "$extra")"
	fi
}

# left_side EXPR: the operand before the first comparison operator, or
# nothing when there is none or it is not a complete jq expression.
left_side() {
	local e=$1 left
	left=$(sed -E 's/ (==|!=|>=|<=|>|<) .*$//' <<<"$e")
	[ "$left" != "$e" ] || return 0
	jq -n "$prelude $left" >/dev/null 2>&1 || [ $? -ne 3 ] || return 0
	printf '%s' "$left"
}

check_facts() {
	local name=$1 f=$2 c e left right v
	while IFS=$'\t' read -r c e; do
		case "$c" in '' | '#'*) continue ;; esac
		[ "$c" = "$name" ] || continue
		left=$(left_side "$e")
		right=${e#"$left"}
		v=
		# jq orders null below everything: a missing field must not pass "< 0"
		if [ -n "$left" ] && [[ ! "$right" =~ ^\ (==|!=)\ null$ ]]; then
			jqtrue "$f" "($left) != null" || v="got: null (missing)"
		fi
		if [ -z "$v" ] && jqtrue "$f" "$e"; then
			ok "$name: $e"
			continue
		fi
		if [ -z "$v" ]; then
			if [ -n "$left" ]; then
				v="got: $(jqf "$f" "$left" | head -c 1500)"
			else
				v="value: $(jqf "$f" "$e" | head -c 1500)"
			fi
		fi
		not_ok "$name: $e" "$v"
	done <"$here/facts.tsv"
}

wanted() {
	local c
	[ ${#only[@]} -eq 0 ] && return 0
	for c in "${only[@]}"; do [ "$c" = "$1" ] && return 0; done
	return 1
}

# --- all cases ----------------------------------------------------------------

t0=$SECONDS
while IFS=$'\t' read -r -a cols; do
	case "${cols[0]:-}" in '' | '#'*) continue ;; esac
	wanted "${cols[0]}" || continue
	if [ ${#cols[@]} -ne 4 ]; then
		not_ok "cases.tsv: line for ${cols[0]} has ${#cols[@]} columns, not 4"
		continue
	fi
	run_case "${cols[0]}" "${cols[1]}" "${cols[2]}" "${cols[3]}"
done <"$here/cases.tsv"

# Coverage: every finding id of the catalogue is required by some case.
if [ ${#only[@]} -eq 0 ]; then
	# config.* ids are about the MTA's own configuration (mxdoctor
	# audit): tests/unit/audit and tests/audit produce them.
	ids=$("$mxd" findings 2>/dev/null | sed -n 's/^## `\([a-z0-9_.]*\)`$/\1/p' |
	    grep -v '^config\.')
	covered=$(grep -v '^#' "$here/cases.tsv" | awk -F'\t+' '{ print $4 }' | tr ' ' '\n' |
	    grep -v '^?' | sed 's/[:@].*//' | sort -u)
	if [ -z "$ids" ]; then
		echo "# coverage not checked: no finding ids in the output of 'mxdoctor findings'"
	else
		# Ids Debian's Postfix/OpenSSL cannot produce (SSLv2, SSLv3,
		# RC4/3DES suites; a Postfix without a default certificate),
		# covered by tests/unit/check/test_eval.c instead.
		# shellcheck disable=SC2086 # one id a word
		covered=$(printf '%s\n' $covered tls.sslv2 tls.sslv3 cipher.weak \
		    sni.required | sort -u)
		uncovered=$(comm -23 <(sort -u <<<"$ids") <(echo "$covered"))
		if [ -z "$uncovered" ]; then
			ok "every finding id of 'mxdoctor findings' is produced by a lab case ($(wc -l <<<"$ids") ids)"
		else
			not_ok "finding ids without a lab case in cases.tsv" "$uncovered"
		fi
	fi
fi

if ! "$lab" status "$MXD_LAB_DIR" >/dev/null 2>&1; then
	not_ok "the lab is still up after the run" "$("$lab" status "$MXD_LAB_DIR" 2>&1)"
fi
echo "# $n assertions in $((SECONDS - t0)) s"
