#!/usr/bin/env bash
# CPU per request of each control-plane process, for A/B comparisons of two builds in one sitting:
#   scripts/cpu-per-request.sh [BIN_DIR]        (default .build/release)
# Starts kubus-bus (--insecure), kubus-store and kubus-api (AlwaysAllow) from BIN_DIR on ipc:// paths in a temporary
# folder, sends store writes and api creates with kubus-pub (1 and 16 in flight), and prints each process's CPU
# time (utime + stime from /proc) per request. Plain text and no RBAC, so the figures are the services' own work;
# `kubus-bench writes` measures the default, secure set-up. Stops everything and removes the folder on exit.
set -euo pipefail
bin=${1:-.build/release}
# A plain bus: no key for anyone, not even the administrator key of a cluster kubus-up started in this folder.
export KUBUS_BUS_KEY=
dir=$(mktemp -d /tmp/kubus-cpu.XXXXXX)
bus=ipc://$dir/bus
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
"$bin/kubus-bus" --insecure --bus "$bus" --state-dir "$dir/bus" --log-level error & pids+=($!)
sleep 0.3
"$bin/kubus-store" --bus "$bus" --state-dir "$dir/store" --log-level error & pids+=($!)
"$bin/kubus-api" --bus "$bus" --state-dir "$dir/api" --log-level error --authorization-mode AlwaysAllow & pids+=($!)
sleep 2
cpu() { for p in "${pids[@]}"; do awk '{print $14 + $15}' "/proc/$p/stat"; done | tr '\n' ' '; }
measure() {
    local count=$1; shift
    local before; before=$(cpu)
    "$@" 2>&1 | grep -E "requests in"
    local after; after=$(cpu)
    python3 - "$before" "$after" "$count" <<'PY'
import os, sys
tick = 1e6 / os.sysconf("SC_CLK_TCK")
a, b, n = [list(map(int, x.split())) for x in sys.argv[1:3]] + [int(sys.argv[3])]
used = [(y - x) * tick / n for x, y in zip(a, b)]
print("  CPU per request: bus %.0f µs, store %.0f µs, api %.0f µs, all %.0f µs" % (*used, sum(used)))
PY
}
value='{\"metadata\":{\"name\":\"x\"},\"data\":{\"k\":\"v\"}}'
for clients in 1 16; do
    n=$((clients == 1 ? 3000 : 20000))
    measure $n "$bin/kubus-pub" requests --bus "$bus" --service store --type write --concurrency $clients --count $n \
        --payload "{\"key\":\"/registry/ConfigMap/default/w$clients-{{run}}-{{i}}\",\"op\":\"put\",\"value\":\"$value\"}"
done
for clients in 1 16; do
    n=$((clients == 1 ? 3000 : 20000))
    measure $n "$bin/kubus-pub" requests --bus "$bus" --configmaps --concurrency $clients --count $n
done
