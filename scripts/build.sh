#!/bin/sh
# build.sh [BUILD_DIR [MESON_OPTIONS...]]: configures (once) and builds mxdoctor.
# Quiet when all goes well; on failure the tool's own output is shown.
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
fi
meson compile -C "$dir" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
