#!/usr/bin/env bash
# Benchmark of onsmqtt-runner (prints figures; asserts nothing):
#   1. wall time of the full scenario set against the embedded mock
#      (target: under 2 s plus the throttling window),
#   2. per-scenario overhead (mock start/stop, fixture load, signing:
#      scenario time minus time spent waiting for HTTP answers),
#   3. the call rate a burst step reaches (target: >= 5,000 signed calls/s).
# Usage: bench/runner.sh [BUILD_DIR]   (default: build; builds onsmqtt-runner)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
runs="${ONSMQTT_BENCH_RUNS:-5}"
if [[ ! -x "$build/runner/onsmqtt-runner" ]]; then
  cmake --build "$build" --target onsmqtt-runner >/dev/null
fi
runner="$build/runner/onsmqtt-runner"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "onsmqtt-runner benchmark ($(nproc) CPUs, $runs runs, $("$runner" --version))"

# 1 + 2: the full set, default -j (number of CPUs), and -j1 for the overhead.
for jobs in default 1; do
  flag=(); [[ "$jobs" == 1 ]] && flag=(-j 1)
  walls=()
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s.%N)
    "$runner" --quiet --no-color "${flag[@]}" --report-dir "$tmp/r$i" --json "$tmp/r$i/report.json" >"$tmp/out" 2>&1 ||
      { echo "run failed:"; cat "$tmp/out"; exit 1; }
    end=$(date +%s.%N)
    walls+=("$(echo "$end - $start" | bc)")
  done
  python3 - "$jobs" "$tmp" "$runs" "${walls[@]}" <<'PY'
import json, statistics, sys
jobs, tmp, runs, walls = sys.argv[1], sys.argv[2], int(sys.argv[3]), [float(w) for w in sys.argv[4:]]
overheads, counts, burst_secs = [], [], []
for i in range(runs):
    report = json.load(open(f"{tmp}/r{i}/report.json"))
    scenarios = [s for f in report["files"] for s in f["scenarios"]]
    counts.append(len(scenarios))
    for s in scenarios:
        bursts = [st for st in s["steps"] if "burst" in st]
        if bursts:
            burst_secs.append(s["seconds"])
            continue
        waited = sum(e["seconds"] for st in s["steps"] for e in st["exchanges"])
        overheads.append(s["seconds"] - waited)
print(f"full set, -j {jobs}: {counts[0]} scenarios, wall time median {statistics.median(walls):.3f} s "
      f"(min {min(walls):.3f}, max {max(walls):.3f}; process start to exit)")
if jobs == "1":
    print(f"  per-scenario overhead (mock start/stop, fixture, signing; HTTP waits excluded): "
          f"median {statistics.median(overheads) * 1000:.1f} ms, p90 "
          f"{sorted(overheads)[int(len(overheads) * 0.9)] * 1000:.1f} ms")
    print(f"  the throttling burst scenario: median {statistics.median(burst_secs):.3f} s of that")
PY
done

# 3: one long burst.
"$runner" --quiet --no-color --report-dir "$tmp/burst" --json "$tmp/burst/report.json" bench/runner_burst.yaml \
  >"$tmp/out" 2>&1 || { echo "burst run failed:"; cat "$tmp/out"; exit 1; }
python3 - "$tmp/burst/report.json" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1]))
step = report["files"][0]["scenarios"][0]["steps"][0]
m = re.search(r"in ([0-9.]+) s \(([0-9]+) calls/s\)", step["burst"])
print(f"burst step: {step['burst']}")
print(f"  rate: {m.group(2)} signed calls/s (target >= 5000)")
PY
