#!/usr/bin/env bash
# JUnit consumers: onsmqtt-runner's reports read by JUnit tools from the npm
# registry and by the counting rules of the CI reporters
# (tests/junit_consumers/read.mjs). A run that did not pass -- a failure,
# an interruption, a usage error, an empty selection, broken scenario
# files -- must be red for every one of them; a passing run green.
#
#   runner/consumers_test.sh build/runner/onsmqtt-runner   (from the repo root)
#
# Fails (never skips) when node or npm is missing. node_modules is reused
# while package-lock.json is unchanged; otherwise `npm ci` runs (registry).
set -euo pipefail

RUNNER=${1:?usage: consumers_test.sh path/to/onsmqtt-runner}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONSUMERS=$ROOT/tests/junit_consumers
source "$ROOT/scripts/lib.sh"
scratch_init

fail() { echo "consumers_test: FAIL: $*" >&2; exit 1; }

need_node
[[ -x $RUNNER ]] || fail "not an executable: $RUNNER"
cd "$ROOT"
npm_ci_cached "$CONSUMERS"

# case NAME EXPECTED_EXIT green|red RUNNER_ARGS...: runs the runner with its
# reports in a folder of its own, then every consumer on the report.
case_() {
  local name=$1 want_exit=$2 colour=$3; shift 3
  local dir=$WORK/$name
  mkdir -p "$dir"
  local code=0
  "$RUNNER" --report-dir "$dir" --no-color "$@" > "$dir/out.txt" 2>&1 || code=$?
  check "$name" "$want_exit" "$colour" "$dir" "$code"
}

check() {
  local name=$1 want_exit=$2 colour=$3 dir=$4 code=$5
  [[ $code == "$want_exit" ]] || { cat "$dir/out.txt" >&2; fail "$name: exit $code, expected $want_exit"; }
  echo "consumers_test: $name (exit $code), expected $colour:"
  node "$CONSUMERS/read.mjs" "$colour" "$dir/junit.xml" || fail "$name: a consumer disagrees"
}

case_ passing 0 green runner/testdata/failing/skipped.yaml
case_ failing 1 red runner/testdata/failing
case_ failing-extended 1 red --junit-flavour extended runner/testdata/failing
case_ broken-files 2 red runner/testdata/broken
case_ nothing-selected 4 red --tags nosuchtag

# A usage error after a green run: the green report must not stay.
case_ usage-error 0 green runner/testdata/failing/skipped.yaml
code=0
"$RUNNER" --report-dir "$WORK/usage-error" --jobs 0 > "$WORK/usage-error/out.txt" 2>&1 || code=$?
check usage-error-after-green 2 red "$WORK/usage-error" "$code"

# Interrupted: the runner blocks reading a scenario file that is a FIFO;
# once it has opened the FIFO (our open for writing returns), its signal
# handlers are installed. SIGTERM, then the file's content: the run starts
# interrupted, so nothing runs and every scenario is skipped.
dir=$WORK/interrupted
mkdir -p "$dir"
mkfifo "$dir/scenarios.yaml"
"$RUNNER" --report-dir "$dir" --no-color "$dir/scenarios.yaml" > "$dir/out.txt" 2>&1 &
pid=$!
PIDS+=("$pid")
exec 3> "$dir/scenarios.yaml"
kill -TERM "$pid"
cat runner/testdata/failing/skipped.yaml >&3
exec 3>&-
code=0
wait "$pid" || code=$?
PIDS=()
check interrupted 3 red "$dir" "$code"

echo "consumers_test: PASS"
