#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what is missing, builds every product
# (integration tests start the real service executables), then runs unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build 2>&1 | tail -n 20
# Integration tests start real processes on private ipc:// paths; they clean up after themselves.
timeout --signal=KILL 2400 swift test 2>&1
