#!/usr/bin/env bash
# `npm ci` in adapters/node when its node_modules is missing or was installed
# from another package-lock.json: the ctest fixture the adapter tests need
# (one install, before any of them runs in parallel).
#
#   tests/adapters/npm_ci.sh   (from anywhere)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/scripts/lib.sh"
fail() { echo "adapters_npm_ci: FAIL: $*" >&2; exit 1; }
need_node
npm_ci_cached "$ROOT/adapters/node"
echo "adapters_npm_ci: adapters/node/node_modules matches package-lock.json"
