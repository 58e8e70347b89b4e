#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what is missing, builds every product
# (integration tests start the real service executables), then runs unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests 2>&1 | tail -n 20
# Unit tests run in parallel. Integration tests start whole clusters of real processes (on private ipc:// paths,
# cleaning up after themselves); run side by side on a 2-core machine they starve each other into timeouts, so
# they run one at a time.
timeout --signal=KILL 1800 swift test --skip-build --skip IntegrationTests 2>&1
timeout --signal=KILL 2400 swift test --skip-build --filter IntegrationTests --no-parallel 2>&1
