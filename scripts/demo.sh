#!/usr/bin/env bash
# Starts a local Kubus cluster and runs the sample in examples/:
#   scripts/demo.sh
# Stop it afterwards with: .build/debug/kubus-up down
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="/opt/swift/usr/bin:$PATH"   # where Swift lives on the project's machines; harmless elsewhere

scripts/setup.sh

echo "demo: building (debug, all products; the first build takes a few minutes)"
swift build

bin=.build/debug
if "$bin/kubus-up" status >/dev/null 2>&1; then
    echo "demo: a cluster is already running; using it (stop it with $bin/kubus-up down)"
else
    "$bin/kubus-up"
fi

export KUBUS_BUS="${KUBUS_BUS:-tcp://127.0.0.1:7700}"
echo
echo "demo: $bin/kubusctl apply -f examples/"
"$bin/kubusctl" apply -f examples/
echo
echo "demo: $bin/kubusctl get all -A"
"$bin/kubusctl" get all -A
echo
echo "The cluster keeps running. Inspect it with $bin/kubus-up status and $bin/kubus-up logs NAME -f;"
echo "stop it with: $bin/kubus-up down"
