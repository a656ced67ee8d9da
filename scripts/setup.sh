#!/bin/sh
# setup.sh: quick-start command 1: install what is missing, build, and run
# `mxdoctor check` on the built-in demo lab (offline, loopback only).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh build
echo "Built build/mxdoctor. Starting the demo lab (Postfix, unbound, rbldnsd on 127.0.x.x)..." >&2
exec bash tests/lab/demo.sh "$PWD/build/mxdoctor"
