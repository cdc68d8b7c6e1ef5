#!/usr/bin/env bash
# The shipped scenarios through each shipped Node adapter must pass, and
# through each deliberately broken adapter must fail, naming the mistake.
#
#   tests/adapters/suite_test.sh build/runner/onsmqtt-runner .   (runner, repo root)
#
# For each adapter of adapters/node: `onsmqtt-runner --client "node ..."`
# exits 0; prints passed/skipped (from its JUnit report) and the wall time.
# For each adapter of runner/testdata/adapters/broken: a non-zero exit (one
# of BROKEN_EXITS), and console output that contains the text below. Needs
# adapters/node installed: `npm ci` runs first when node_modules is missing or stale.
set -euo pipefail

# ---- easy to adjust ---------------------------------------------------------
# The shipped adapters, as adapters/node/<name>.mjs.
ADAPTERS=(pop-core openapi-client openapi-core)
# NAME=TEXT: the broken adapter runner/testdata/adapters/broken/NAME.mjs, and
# the text its run's console output must contain (a fixed string; "i:" in
# front: ignoring case).
BROKEN=(
  'misspelled-param=the client sent DeviceSN: DeviceSN is not a parameter of ActiveDeviceCertificate (did you mean DeviceSn?)'
  "wrong-secret=the client's signature does not verify with the credentials' secret"
  'get-instead-of-post=the client sent GET; the step asks for POST (what the generated SDKs send for ActiveDeviceCertificate)'
  'drops-request-id=the client surfaced no request id for the error (the mock answered '
  'throttling-as-success=the client reported 1100 success; the mock answered '
)
# Exit codes that count as "the runner caught it" for a broken adapter: 1 (the
# contract was not met) or 3 (harness errors). 2 and 4 mean nothing ran.
BROKEN_EXITS=(1 3)
# Arguments of every run besides --client, --junit and --report-dir. The
# coverage gate is reported, not enforced: an adapter skips the scenarios its
# SDK cannot run (pop-core: V3 ones), so some (operation, code) pairs go
# undemonstrated by design.
RUN_ARGS=(--coverage report --no-html --no-docs --no-color)
# -----------------------------------------------------------------------------

RUNNER=${1:?usage: suite_test.sh path/to/onsmqtt-runner repo-root}
ROOT=$(cd "${2:?usage: suite_test.sh path/to/onsmqtt-runner repo-root}" && pwd)
RUNNER=$(cd "$(dirname "$RUNNER")" && pwd)/$(basename "$RUNNER")
source "$ROOT/scripts/lib.sh"

fail() { echo "suite_test: FAIL: $*" >&2; exit 1; }

need_node
npm_ci_cached "$ROOT/adapters/node"  # fails (never skips) when it cannot install
[[ -x $RUNNER ]] || fail "not an executable: $RUNNER"
scratch_init
cd "$ROOT"  # the client commands are relative to the runner's folder

# run NAME CLIENT_CMD -> sets RC, SECONDS_TAKEN; console in $WORK/NAME.log.
# A run whose only trouble is a burst the harness could not send fast enough
# (the step's min_rate: a loaded machine, not a verdict on the client) is
# run once more.
run() {
  local name=$1 client=$2 t0 t1 attempt
  for attempt in 1 2; do
    mkdir -p "$WORK/$name"
    t0=$(date +%s.%N)
    RC=0
    "$RUNNER" --client "$client" --junit "$WORK/$name/junit.xml" --report-dir "$WORK/$name" "${RUN_ARGS[@]}" \
      > "$WORK/$name.log" 2>&1 || RC=$?
    t1=$(date +%s.%N)
    SECONDS_TAKEN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    [[ $RC -eq 3 ]] && grep -q 'below the min_rate' "$WORK/$name.log" && [[ $attempt -eq 1 ]] || break
    echo "suite_test: $name: a burst fell below its min_rate (a loaded machine); running it once more"
  done
}

bad=0
for a in "${ADAPTERS[@]}"; do
  run "$a" "node adapters/node/$a.mjs"
  # "252 scenarios: 203 passed, 0 failed, 0 errors, 49 skipped in 1.0 s ..."
  summary=$(grep -E '^[0-9]+ scenarios: ' "$WORK/$a.log" | sed -E 's/ in [0-9.]+ s.*//' || true)
  printf 'suite_test: %-16s exit %d  %s  (wall %ss)\n' "$a" "$RC" "${summary:-no summary}" "$SECONDS_TAKEN"
  # Every scenario's JUnit classname names the client (its hello's name, dots as _).
  prefix=$(node -e 'import(process.argv[1]).then(m => console.log(m.hello.name.replaceAll(".", "_")))' \
    "$ROOT/adapters/node/$a.mjs")
  others=$(grep -o 'classname="[^"]*"' "$WORK/$a/junit.xml" | grep -v -e "classname=\"$prefix\." \
    -e 'classname="onsmqtt.contract.coverage"' | sort -u | head -3 || true)
  if [[ -n $others ]]; then
    bad=$((bad + 1))
    echo "suite_test: FAIL: $a: JUnit classnames without the client's name $prefix: $others" >&2
  fi
  if [[ $RC -ne 0 ]]; then
    bad=$((bad + 1))
    echo "suite_test: FAIL: $a: onsmqtt-runner exited $RC; the end of its output:" >&2
    tail -n 40 "$WORK/$a.log" >&2
  fi
done

for entry in "${BROKEN[@]}"; do
  b=${entry%%=*} want=${entry#*=} flags=(-F)
  [[ $want == i:* ]] && { want=${want#i:}; flags=(-F -i); }
  run "broken-$b" "node runner/testdata/adapters/broken/$b.mjs"
  found=no
  grep -q "${flags[@]}" -- "$want" "$WORK/broken-$b.log" && found=yes
  printf 'suite_test: broken %-22s exit %d  mentions "%s": %s  %ss\n' "$b" "$RC" "$want" "$found" "$SECONDS_TAKEN"
  if [[ " ${BROKEN_EXITS[*]} " != *" $RC "* || $found == no ]]; then
    bad=$((bad + 1))
    exits="${BROKEN_EXITS[*]}"
    echo "suite_test: FAIL: broken $b: wanted exit ${exits// / or } and \"$want\" in the output; the end of it:" >&2
    tail -n 40 "$WORK/broken-$b.log" >&2
  fi
done

[[ $bad -eq 0 ]] || fail "$bad run(s) did not behave"
echo "suite_test: all runs behaved"
