#!/bin/sh
# build.sh [BUILD_DIR [MESON_OPTIONS...]]: configures (once) and builds mxdoctor.
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" "$@" >/dev/null
fi
meson compile -C "$dir" >/dev/null
