#!/bin/sh
# test.sh: quick-start command 2: install what is missing, build, and run the
# whole test suite (unit tests and integration tests against the lab).
# With SANITIZE=1, builds in build-asan with ASan+UBSan instead.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
if [ "${SANITIZE:-0}" = 1 ]; then
	dir=build-asan
	set -- -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true
else
	dir=build
	set -- -Dwerror=true
fi
sh scripts/build.sh "$dir" "$@"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
log="$dir/meson-logs/suite-summary.txt"
{ rc=0; meson test -C "$dir" --print-errorlogs --num-processes 2 || rc=$?; echo "$rc" >"$log.rc"; } | tee "$log"
status=$(cat "$log.rc")
# One plain closing line for humans and CI: suites passed and failed.
ok=$(sed -n 's/^Ok: *//p' "$log" | tail -n 1 | tr -d ' ')
bad=$(sed -n 's/^Fail: *//p' "$log" | tail -n 1 | tr -d ' ')
echo "${ok:-0} passed, ${bad:-0} failed"
exit "$status"
