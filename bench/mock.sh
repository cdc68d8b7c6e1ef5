#!/usr/bin/env bash
# Performance of onsmqtt-mock (a benchmark, not a test): wrk at 1 and 32
# keep-alive connections against
#   (a) nginx serving the mock's JSON answer as a static file (the machine's ceiling)
#   (b) bench_minimal_server: cpp-httplib with the mock's settings, the same
#       JSON from a handler (the library's ceiling)
#   (c) onsmqtt-mock answering pre-signed ActiveDeviceCertificate calls with
#       signature verification, state and journal on.
# Prints requests/s, p50/p99 latency, resident memory (idle, and peak under
# load), time to first answer after start, failures (socket errors,
# timeouts, non-2xx) and the ratios c/a, c/b.
#
#   bench/mock.sh [BUILD_DIR]      (default build; run from anywhere)
#   DURATION=5 bench/mock.sh       seconds per measured wrk run (default 5)
#   REPEATS=3 bench/mock.sh        measured runs per server and connection count,
#                                  taking turns; the median one is reported (default 3)
#   WARMUP=2 bench/mock.sh         seconds of discarded warm-up per server and
#                                  connection count (default 2)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
DURATION=${DURATION:-5}
REPEATS=${REPEATS:-3}
WARMUP=${WARMUP:-2}
source "$ROOT/bench/lib.sh"
scratch_init
bench_tools wrk:wrk nginx:nginx-light
bench_programs

cpu_ticks() {  # utime+stime of a process and its children (clock ticks)
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
TICK=$(getconf CLK_TCK)
wrk_scripts

# Requests the mock has journalled since it started (warm-ups included).
journal_recorded() {
  curl -s "http://127.0.0.1:$PORT_mock/__admin/journal?limit=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["recorded"])'
}

# Warm-up at a connection count, discarded: the measured runs see a server
# in its steady state (threads started, caches and the mock's journal ring
# filled) — what a test suite talking to it for minutes sees.
warm_up() {  # URL CONNECTIONS SCRIPT
  local threads=$(( $2 < 2 ? 1 : 2 ))
  if ((WARMUP > 0)); then wrk -t"$threads" -c"$2" -d"${WARMUP}s" -s "$3" "$1" >/dev/null 2>&1; fi
}

# wrk_run NAME URL CONNECTIONS SCRIPT PID REP -> fills R[NAME,CONNECTIONS,REP,*]
declare -A R
wrk_run() {
  local name=$1 url=$2 conns=$3 script=$4 pid=$5 rep=$6
  local threads=$(( conns < 2 ? 1 : 2 ))
  local out t0 t1 j0=0 key="$name,$conns,$rep"
  [[ $name == c ]] && j0=$(journal_recorded)
  t0=$(cpu_ticks "$pid")
  out=$(wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency -s "$script" "$url" 2>&1)
  t1=$(cpu_ticks "$pid")
  local line; line=$(grep '^RESULT' <<< "$out")
  local k v
  for kv in ${line#RESULT }; do k=${kv%%=*}; v=${kv#*=}; R[$key,$k]=$v; done
  R[$key,rps]=$(awk -v n="${R[$key,requests]}" -v d="${R[$key,duration_us]}" 'BEGIN{printf "%.0f", n/(d/1e6)}')
  R[$key,failures]=$(( R[$key,connect] + R[$key,read] + R[$key,write] + R[$key,timeout] + R[$key,status] ))
  R[$key,hwm]=$(hwm_kb "$pid")
  R[$key,journal]=0
  [[ $name == c ]] && R[$key,journal]=$(( $(journal_recorded) - j0 ))
  # Server CPU time per answer: robust when other processes share the cores.
  R[$key,cpu_us]=$(awk -v t=$((t1 - t0)) -v hz="$TICK" -v n="${R[$key,requests]}" 'BEGIN{printf "%.1f", t * 1e6 / hz / n}')
}

# pick_median NAME CONNECTIONS: R[NAME,CONNECTIONS,*] = the run with the
# median req/s (its latencies and CPU with it); failures, completed and
# journalled requests are summed over every run.
pick_median() {
  local name=$1 conns=$2 rep median k
  median=$(for rep in $(seq "$REPEATS"); do echo "${R[$name,$conns,$rep,rps]} $rep"; done | sort -n |
           awk -v m=$(( (REPEATS + 1) / 2 )) 'NR == m {print $2}')
  for k in rps p50_us p99_us cpu_us hwm; do R[$name,$conns,$k]=${R[$name,$conns,$median,$k]}; done
  for k in requests failures connect read write timeout status journal; do
    R[$name,$conns,$k]=0
    for rep in $(seq "$REPEATS"); do R[$name,$conns,$k]=$(( R[$name,$conns,$k] + R[$name,$conns,$rep,$k] )); done
  done
  R[$name,$conns,all]=$(for rep in $(seq "$REPEATS"); do
    printf '%s/%s ' "${R[$name,$conns,$rep,rps]}" "$(awk -v x="${R[$name,$conns,$rep,p99_us]}" 'BEGIN{print x/1000}')"; done)
}

# --- the JSON answer, as the mock writes it ----------------------------------

# --- time to first answer ------------------------------------------------------
# One start says little on a shared 2-core machine (a start is ~15 ms, and a
# scheduling hiccup is several): each server is started READY_RUNS times,
# round-robin, with nothing else of the benchmark running; the median counts.
READY_RUNS=${READY_RUNS:-7}
stop_pid() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 200); do [[ -d /proc/$1 ]] || return 0; sleep 0.01; done
  kill -9 "$1" 2>/dev/null || true
}
ready_once() {  # FIRST_ANSWER_ARGS... -- CMD...   prints microseconds
  local line pid
  line=$("$FIRST" "$@") || { echo "cannot start: $*" >&2; exit 1; }
  pid=$(sed 's/.*pid=\([0-9]*\).*/\1/' <<< "$line")
  stop_pid "$pid"
  sed 's/.*first_answer_us=\([0-9]*\).*/\1/' <<< "$line"
}
median_ms() { tr ' ' '\n' | awk 'NF' | sort -n | awk '{v[NR]=$1} END {printf "%.1f", v[int((NR+1)/2)]/1000}'; }
range_ms() { tr ' ' '\n' | awk 'NF' | sort -n | awk '{v[NR]=$1} END {printf "%.1f-%.1f", v[1]/1000, v[NR]/1000}'; }

# --- (a) nginx --------------------------------------------------------------
nginx_static 1024
MOCK_CMD=("$MOCK" --fixture "$ROOT/fixtures/default.yaml" --port 0 --quiet --no-nonce-check --rate-limit 1000000000)
declare -A READY_ALL
for _ in $(seq "$READY_RUNS"); do
  READY_ALL[nginx]+="$(ready_once --port "$NGINX_PORT" -- "$NGINX" -c "$WORK/nginx.conf") "
  READY_ALL[minimal]+="$(ready_once -- "$MINIMAL" "$WORK/www/answer.json") "
  READY_ALL[mock]+="$(ready_once --path /__admin/health -- "${MOCK_CMD[@]}") "
done

start nginx --port "$NGINX_PORT" -- "$NGINX" -c "$WORK/nginx.conf"
sleep 0.3; IDLE_nginx=$(rss_kb "$PID_nginx")

# --- (b) minimal cpp-httplib server ------------------------------------------
start minimal -- "$MINIMAL" "$WORK/www/answer.json"
IDLE_minimal=$(rss_kb "$PID_minimal")

# --- (c) the mock ---------------------------------------------------------------
start mock --path /__admin/health -- "${MOCK_CMD[@]}"
IDLE_mock=$(rss_kb "$PID_mock")
VARS=$(curl -s "http://127.0.0.1:$PORT_mock/__admin/vars")
v() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$VARS" "$1"; }
"$SIGN" "onsmqtt.cn-hangzhou.aliyuncs.com" "$(v key.owner.id)" "$(v key.owner.secret)" "$(v instance.platinum.id)" \
  "$(v device.active.sn)" "$(v device.active.ca_sn)" 1000 > "$WORK/requests.lua"
export BENCH_REQUESTS=$WORK/requests.lua

# All three get the same request bytes from the same wrk script (a Lua
# request() per call costs the client time too, so every server pays it).
# The servers take turns, REPEATS times: a noisy moment of the host then
# spoils one run of each rather than all the runs of one.
URL_a="http://127.0.0.1:$NGINX_PORT/"; URL_b="http://127.0.0.1:$PORT_minimal/"; URL_c="http://127.0.0.1:$PORT_mock/"
PID_a=$PID_nginx; PID_b=$PID_minimal; PID_c=$PID_mock
for c in 1 32; do
  for s in a b c; do u=URL_$s; warm_up "${!u}" "$c" "$WORK/replay.lua"; done
  for rep in $(seq "$REPEATS"); do
    for s in a b c; do u=URL_$s; p=PID_$s; wrk_run "$s" "${!u}" "$c" "$WORK/replay.lua" "${!p}" "$rep"; done
  done
  for s in a b c; do pick_median "$s" "$c"; done
done
JOURNAL=$(curl -s "http://127.0.0.1:$PORT_mock/__admin/journal?limit=1")
CODES=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1])["requests"]; print(r[0]["status"], r[0]["code"] or "-")' "$JOURNAL")

# --- report ----------------------------------------------------------------------
echo
echo "onsmqtt-mock benchmark ($(nproc) cores, keep-alive connections; per server and connection count a ${WARMUP}s"
echo "warm-up, then $REPEATS wrk runs of ${DURATION}s taking turns with the other servers: the median run is shown)"
echo "(c) replays 1000 pre-signed ActiveDeviceCertificate requests (half V3 POST with query parameters,"
echo "    half V1 POST with a form body), signed just before the run (fresh timestamps). The mock runs"
echo "    with --no-nonce-check (wrk replays each signed request many times) and --rate-limit 1000000000"
echo "    (throttling would otherwise answer Throttling.User above 500 calls/s). Verification (V1 and V3"
echo "    signatures, key lookup, timestamp window), throttle bookkeeping, state and journal are on."
echo "    (a) and (b) receive the same request bytes from the same wrk script and answer a fixed JSON."
echo
printf '%-34s %5s %10s %9s %9s %9s %10s %12s\n' server conns "req/s" "p50 ms" "p99 ms" failures "peak RSS" "CPU us/req"
declare -A names=([a]="(a) nginx static file" [b]="(b) minimal cpp-httplib" [c]="(c) onsmqtt-mock signed")
for c in 1 32; do
  for s in a b c; do
    printf '%-34s %5s %10s %9.3f %9.3f %9s %8.1fMB %12s\n' "${names[$s]}" "$c" "${R[$s,$c,rps]}" \
      "$(awk -v x="${R[$s,$c,p50_us]}" 'BEGIN{print x/1000}')" "$(awk -v x="${R[$s,$c,p99_us]}" 'BEGIN{print x/1000}')" \
      "${R[$s,$c,failures]}" "$(awk -v x="${R[$s,$c,hwm]}" 'BEGIN{print x/1024}')" "${R[$s,$c,cpu_us]}"
  done
done
echo
echo "every run, req/s / p99 ms:"
for c in 1 32; do
  for s in a b c; do echo "  $s c=$c: ${R[$s,$c,all]}"; done
done
echo "failures = socket connect/read/write errors + timeouts + non-2xx answers, as wrk counted them, over all runs"
for c in 1 32; do
  for s in a b c; do
    echo "  $s c=$c: connect=${R[$s,$c,connect]} read=${R[$s,$c,read]} write=${R[$s,$c,write]} timeout=${R[$s,$c,timeout]} non-2xx=${R[$s,$c,status]} completed=${R[$s,$c,requests]}"
  done
done
for c in 1 32; do
  echo "mock journal, measured runs c=$c: recorded=${R[c,$c,journal]} requests, wrk completed ${R[c,$c,requests]}"
done
echo "  (the difference: requests in flight when wrk stopped, at most one per connection and run)"
echo "mock's last answer: status/code $CODES"
echo
printf 'idle RSS: nginx %.1f MB (master+workers), minimal %.1f MB, mock %.1f MB\n' \
  "$(awk -v x="$IDLE_nginx" 'BEGIN{print x/1024}')" "$(awk -v x="$IDLE_minimal" 'BEGIN{print x/1024}')" \
  "$(awk -v x="$IDLE_mock" 'BEGIN{print x/1024}')"
for name in nginx minimal mock; do
  printf 'time to first answer after start, %-8s median %5s ms (range %s ms over %d starts)\n' "$name" \
    "$(median_ms <<< "${READY_ALL[$name]}")" "$(range_ms <<< "${READY_ALL[$name]}")" "$READY_RUNS"
done
echo "  (the mock's includes loading fixtures/default.yaml; each start is a fresh process, the clock runs from just before exec)"
for c in 1 32; do
  printf 'c=%-2s  c/a = %.2f   c/b = %.2f   (by server CPU per answer: c/a = %.2f   c/b = %.2f)\n' "$c" \
    "$(awk -v x="${R[c,$c,rps]}" -v y="${R[a,$c,rps]}" 'BEGIN{print x/y}')" \
    "$(awk -v x="${R[c,$c,rps]}" -v y="${R[b,$c,rps]}" 'BEGIN{print x/y}')" \
    "$(awk -v x="${R[c,$c,cpu_us]}" -v y="${R[a,$c,cpu_us]}" 'BEGIN{print y/x}')" \
    "$(awk -v x="${R[c,$c,cpu_us]}" -v y="${R[b,$c,cpu_us]}" 'BEGIN{print y/x}')"
done
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (req/s and latency suffer when other processes share the $(nproc) cores)"
echo "targets: c/b >= 0.7, c/a >= 0.15, p99 < 0.3 ms at 1 connection, ready < 20 ms, idle RSS < 15 MB"
