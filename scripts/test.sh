#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test.
#   scripts/test.sh            optimized build (preset "default")
#   scripts/test.sh debug      AddressSanitizer + UndefinedBehaviorSanitizer
#   scripts/test.sh tsan       ThreadSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"

scripts/bootstrap.sh
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset"
