#!/usr/bin/env bash
# The shipped Node adapters against the onsmqtt-mock binary, driven by
# hand-written protocol lines (selftest.mjs): results, errors, a wrong secret,
# GET and POST, XML, a security token, Throttling.User, a timeout, refused and
# dropped connections, a burst of 50 concurrent requests, and what each
# adapter sent (the mock's journal).
#
#   adapters/node/selftest.sh build/mock_server/onsmqtt-mock   (from the repo root)
#
# Runs `npm ci` in adapters/node first when its node_modules is missing or stale.
set -euo pipefail

MOCK=${1:?usage: selftest.sh path/to/onsmqtt-mock}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/adapters/node
source "$ROOT/scripts/lib.sh"

fail() { echo "selftest: FAIL: $*" >&2; exit 1; }

need_node
npm_ci_cached "$ROOT/adapters/node"  # fails (never skips) when it cannot install
[[ -x $MOCK ]] || fail "not an executable: $MOCK"

scratch_init
mock_start mock "$MOCK" --fixture "$ROOT/fixtures/default.yaml" --port 0 --quiet
echo "selftest: mock at $MOCK_URL"
node "$HERE/selftest.mjs" "$MOCK_URL" || { tail -n 20 "$WORK/mock.err" >&2; fail "see the FAIL lines above"; }
