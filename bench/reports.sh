#!/usr/bin/env bash
# What the HTML run report and the contract documentation cost (prints
# figures; asserts nothing): wall time of the full scenario set against the
# embedded mock with only JUnit (--no-html --no-docs) and with every report
# (the default), runs interleaved so that a machine's drift hits both alike.
# Target: the HTML report and the docs add less than 20%.
# Usage: bench/reports.sh [BUILD_DIR]   (default: build; builds onsmqtt-runner)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
runs="${ONSMQTT_BENCH_RUNS:-11}"
if [[ ! -x "$build/runner/onsmqtt-runner" ]]; then
  cmake --build "$build" --target onsmqtt-runner >/dev/null
fi
runner="$build/runner/onsmqtt-runner"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "reports benchmark ($(nproc) CPUs, $runs interleaved runs each, $("$runner" --version))"
wall() {  # wall time in seconds of one run with the given extra flags
  local start end
  start=$(date +%s.%N)
  "$runner" --quiet --no-color --report-dir "$tmp/r" "$@" >"$tmp/out" 2>&1 || { echo "run failed:"; cat "$tmp/out"; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
junit_only=() all=()
for ((i = 0; i < runs; i++)); do
  junit_only+=("$(wall --no-html --no-docs)")
  all+=("$(wall)")
done
html_kb=$(( $(stat -c %s "$tmp/r/index.html") / 1024 ))
docs_kb=$(du -sk "$tmp/r/docs" | cut -f1)
docs_files=$(find "$tmp/r/docs" -type f | wc -l)
python3 - "$runs" "$html_kb" "$docs_kb" "$docs_files" "${junit_only[@]}" "${all[@]}" <<'PY'
import statistics, sys
runs, html_kb, docs_kb, docs_files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
vals = [float(v) for v in sys.argv[5:]]
a, b = vals[:runs], vals[runs:]
ma, mb = statistics.median(a), statistics.median(b)
print(f"JUnit only (--no-html --no-docs): median {ma:.3f} s (min {min(a):.3f}, max {max(a):.3f})")
print(f"every report (the default):        median {mb:.3f} s (min {min(b):.3f}, max {max(b):.3f})")
print(f"the HTML report ({html_kb} KB) and the docs ({docs_files} files, {docs_kb} KB) add "
      f"{(mb - ma) * 1000:.0f} ms, {100 * (mb - ma) / ma:.1f}% of the JUnit-only run (target: < 20%)")
PY
