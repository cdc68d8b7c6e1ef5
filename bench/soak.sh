#!/usr/bin/env bash
# Soak (a benchmark, not a test): one onsmqtt-mock under mixed load at full
# speed for a bounded time, loopback only. bench/soak_driver.cc makes the
# load: freshly signed calls of every operation (6 keep-alive clients),
# bursts over the 500 calls/s limit, admin resets and fixture reloads, fault
# rules toggled (errors, delays, a drop_connection rule), connections opened
# and dropped. Every 30 s it prints the mock's resident memory, threads,
# open descriptors and the counts (requests, answered, unanswered, by
# status class, throttled).
# Targets: RSS flat after warm-up (< 10% growth from minute 2 to the end),
# 0 unanswered requests, 0 crashes. Exit 0 when they hold.
#
#   bench/soak.sh [--minutes N] [BUILD_DIR]      (default 10 minutes, build)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MINUTES=10
BUILD=$ROOT/build
while (($#)); do
  case $1 in
    --minutes) MINUTES=${2:?--minutes needs a number}; shift 2 ;;
    --minutes=*) MINUTES=${1#*=}; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) BUILD=$1; shift ;;
  esac
done
[[ $MINUTES =~ ^[0-9]+$ && $MINUTES -ge 1 ]] || { echo "soak: --minutes needs a whole number >= 1" >&2; exit 2; }
WORK=$(mktemp -d)
PID=""
cleanup() {
  [[ -n $PID ]] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"

cmake --build "$BUILD" --target onsmqtt-mock bench_soak_driver >/dev/null
MOCK=$BUILD/mock_server/onsmqtt-mock
FIXTURE=$ROOT/fixtures/default.yaml
"$MOCK" --fixture "$FIXTURE" --host 127.0.0.1 --port 0 --quiet > "$WORK/out" 2> "$WORK/err" &
PID=$!
for _ in $(seq 1 200); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
PORT=$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/.*|\1|p' "$WORK/out")
[[ -n $PORT ]] || { cat "$WORK/err" >&2; echo "soak: the mock did not start" >&2; exit 1; }
echo "soak: $MINUTES minutes against onsmqtt-mock (pid $PID, port $PORT) on $(nproc) cores, started $(date -u +%H:%M:%S) UTC"
rc=0
"$BUILD/bench/bench_soak_driver" "$PORT" "$PID" $((MINUTES * 60)) "$FIXTURE" || rc=$?
if ! kill -0 "$PID" 2>/dev/null; then
  wait "$PID" || echo "soak: the mock died with status $?"
  PID=""
  rc=1
else
  t0=$(date +%s%N); kill -TERM "$PID"; stop_rc=0; wait "$PID" || stop_rc=$?; PID=""
  echo "soak: SIGTERM after the load: exit $stop_rc after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  [[ $stop_rc == 0 ]] || rc=1
fi
grep -v '^$' "$WORK/err" | head -5 | sed 's/^/soak: mock stderr: /' || true
echo "soak: load average $(cut -d' ' -f1-3 /proc/loadavg); targets: growth < 10%, 0 unanswered, 0 crashes -> $([[ $rc == 0 ]] && echo met || echo NOT met)"
exit $rc
