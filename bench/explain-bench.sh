#!/bin/bash
# explain-bench.sh: throughput of `mxdoctor explain` against `grep -c -E -f`
# over the same pattern set, on a generated mail log (issue 4).
#
# Usage: bench/explain-bench.sh [MXDOCTOR [SIZE_MB]]
#   MXDOCTOR  the binary (default build/mxdoctor)
#   SIZE_MB   size of the generated log (default 512; at least 500 for the
#             issue's requirement)
#
# The log (bench/explain-gen.awk) is mostly ordinary Postfix and Dovecot
# traffic with about 1 failure line in 150; it is written once to
# $TMPDIR/mxd-explain-bench/mail.log and reused while its size matches.
# The pattern set given to grep is the data file's: every `regex:` and
# `suspect:` value, exported as they are (the file only admits regexes that
# POSIX ERE and PCRE read alike; tests/unit/explain checks they compile as
# ERE).  mxdoctor matches them case-insensitively, so grep runs both with
# and without -i.  Each command runs 3 times; the table shows the median.
# Both count the same lines: the script checks that grep's count equals
# mxdoctor's failure + informational + unknown lines.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
mxd=${1:-$top/build/mxdoctor}
size_mb=${2:-512}
patterns=$top/data/explain-patterns.txt
work=${TMPDIR:-/tmp}/mxd-explain-bench
log=$work/mail.log
runs=3

[ -x "$mxd" ] || { echo "no mxdoctor binary at $mxd (give it as the first argument)" >&2; exit 2; }
mkdir -p "$work"

# The data file's regexes, one per line (continuation lines joined as the
# loader joins them).
awk '
	/^#/ { next }
	/^[ \t]/ { if (key == "regex" || key == "suspect") val = val " " substr($0, match($0, /[^ \t]/)); next }
	{ if (key == "regex" || key == "suspect") print val; key = ""; val = "" }
	/^(regex|suspect): / { key = substr($0, 1, index($0, ":") - 1); val = substr($0, index($0, ":") + 2) }
	END { if (key == "regex" || key == "suspect") print val }
' "$patterns" >"$work/patterns.ere"
npat=$(wc -l <"$work/patterns.ere")

want=$((size_mb * 1024 * 1024))
if [ ! -f "$log" ] || [ "$(stat -c %s "$log")" -lt "$want" ] ||
    [ "$(stat -c %s "$log")" -gt $((want + 1048576)) ]; then
	echo "generating a ${size_mb} MB log in $log ..." >&2
	sed -n 's/^example: //p' "$patterns" >"$work/examples.txt"
	awk -v mb="$size_mb" -f "$here/explain-gen.awk" "$work/examples.txt" /dev/null >"$log"
fi
bytes=$(stat -c %s "$log")
lines=$(wc -l <"$log")
# Warm the page cache so every run reads from memory.
cat "$log" >/dev/null

# median_seconds CMD...: runs CMD $runs times (stdout to $work/out), prints the median wall time
median_seconds() {
	local i t0 t1
	local -a times=()
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s.%N)
		"$@" >"$work/out"
		t1=$(date +%s.%N)
		times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
	done
	printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

row() {
	awk -v name="$1" -v s="$2" -v b="$bytes" -v n="$3" \
	    'BEGIN { printf "%-46s %8.3f s %9.1f MB/s   %s\n", name, s, b / 1048576 / s, n }'
}

printf 'log: %s, %.1f MB, %d lines; %d patterns and suspects; %s runs each, median\n' \
    "$log" "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" "$lines" "$npat" "$runs"
printf 'machine: %s, %s CPUs; %s; %s\n\n' "$(uname -m)" "$(nproc)" \
    "$(grep --version | head -n 1)" "$("$mxd" --version 2>/dev/null | head -n 1)"
printf '%-46s %10s %14s   %s\n' "command" "time" "throughput" "lines matched"

t=$(median_seconds env LC_ALL=C grep -c -E -f "$work/patterns.ere" "$log")
row "LC_ALL=C grep -c -E -f" "$t" "$(cat "$work/out")"
t=$(median_seconds env LC_ALL=C grep -c -i -E -f "$work/patterns.ere" "$log")
grep_count=$(cat "$work/out")
row "LC_ALL=C grep -c -i -E -f (same semantics)" "$t" "$grep_count"
loc=${LC_ALL:-${LANG:-C.UTF-8}}
t=$(median_seconds env LC_ALL="$loc" grep -c -i -E -f "$work/patterns.ere" "$log")
row "LC_ALL=$loc grep -c -i -E -f" "$t" "$(cat "$work/out")"
t=$(median_seconds "$mxd" explain --patterns "$patterns" --json "$log")
summary=$(grep -E '"(failure_lines|info_lines|unknown_lines|failures)"' "$work/out" | tr -d ' ,"')
matched=$(echo "$summary" | awk -F: '$1 != "failures" { n += $2 } END { print n }')
failures=$(echo "$summary" | awk -F: '$1 == "failures" { print $2 }')
row "mxdoctor explain --json" "$t" "$matched ($failures failures after joining)"

echo
if [ "$matched" = "$grep_count" ]; then
	echo "check: grep -i and mxdoctor matched the same number of lines ($matched)"
else
	echo "check: MISMATCH: grep -i matched $grep_count lines, mxdoctor $matched" >&2
	exit 1
fi
