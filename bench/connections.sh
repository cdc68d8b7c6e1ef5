#!/usr/bin/env bash
# Many connections (a benchmark, not a test), every server in the same run:
#   (a)  nginx serving the mock's JSON answer as a static file
#   (b)  bench_minimal_server: cpp-httplib with the mock's connection
#        handling (ConnectionHub) and a fixed JSON answer
#   (b0) bench_minimal_server --thread-per-connection: httplib's own model,
#        a worker per connection from a pool of 64 (the mock's old model)
#   (c)  onsmqtt-mock answering pre-signed ActiveDeviceCertificate calls
# Rows:
#   - wrk at 256 and 1,024 keep-alive connections: req/s, p50/p99, failures;
#   - slow clients: the same wrk run at 32 connections while 1,000
#     half-open connections (headers never finished) are held open;
#   - a new client under 1,000 idle keep-alive connections, and separately
#     under 1,000 half-open ones: time to answer of 50 new clients, one
#     after the other (connect, GET, answer);
#   - 10,000 connections: each opens, makes 2 requests and stays open (held
#     by bench/conn_clients.py), then new clients; resident memory of each
#     server idle and with the 10,000 open -> memory per idle connection;
#   - SIGTERM to the mock with 1,000 idle connections open: time to exit.
# Every failure is counted: wrk's connect/read/write errors, timeouts and
# non-2xx; the helper's connect errors, resets, unanswered or non-200.
#
#   bench/connections.sh [BUILD_DIR]     (default build; run from anywhere)
#   DURATION=5 bench/connections.sh      seconds per wrk run (default 5)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
DURATION=${DURATION:-5}
source "$ROOT/bench/lib.sh"
scratch_init
ulimit -n "$(ulimit -Hn)"  # a connection is a descriptor, on both sides
NOFILE=$(ulimit -n)
bench_tools wrk:wrk nginx:nginx-light python3:python3
bench_programs
CLIENTS=$ROOT/bench/conn_clients.py
wrk_scripts

nginx_static 16384 backlog=4096

start a --port "$NGINX_PORT" -- "$NGINX" -c "$WORK/nginx.conf"
start b -- "$MINIMAL" "$WORK/www/answer.json"
start b0 -- "$MINIMAL" "$WORK/www/answer.json" --thread-per-connection
# --max-connections 12000: the 10,000-connection row holds 10,000 and then
# connects new clients (the default cap, 10,000, would answer those 503).
MOCK_CMD=("$MOCK" --fixture "$ROOT/fixtures/default.yaml" --port 0 --quiet --no-nonce-check --rate-limit 1000000000
          --max-connections 12000)
start c --path /__admin/health -- "${MOCK_CMD[@]}"
sleep 0.3
declare -A IDLE
for s in a b b0 c; do p=PID_$s; IDLE[$s]=$(rss_kb "${!p}"); done
VARS=$(curl -s "http://127.0.0.1:$PORT_c/__admin/vars")
v() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$VARS" "$1"; }
"$SIGN" "onsmqtt.cn-hangzhou.aliyuncs.com" "$(v key.owner.id)" "$(v key.owner.secret)" "$(v instance.platinum.id)" \
  "$(v device.active.sn)" "$(v device.active.ca_sn)" 1000 > "$WORK/requests.lua"
export BENCH_REQUESTS=$WORK/requests.lua
SERVERS=(a b b0 c)
declare -A NAME=([a]="(a) nginx static file" [b]="(b) minimal cpp-httplib" [b0]="(b0) httplib thread/connection"
                 [c]="(c) onsmqtt-mock signed")
PROBE_PATH() { [[ $1 == c ]] && echo /__admin/health || echo /; }

# hold PORT N MODE ROUNDS PATH: bench/conn_clients.py holds N connections in
# the background until hold_stop; HOLD_READY is its READY line.
hold() {
  rm -f "$WORK/ctl" "$WORK/hold.out"; mkfifo "$WORK/ctl"
  python3 "$CLIENTS" hold "$@" < "$WORK/ctl" > "$WORK/hold.out" &
  HOLD_PID=$!
  exec 7> "$WORK/ctl"
  until grep -q '^READY' "$WORK/hold.out" 2>/dev/null; do
    kill -0 "$HOLD_PID" 2>/dev/null || { echo "holder died" >&2; exit 1; }
    sleep 0.1
  done
  HOLD_READY=$(grep '^READY' "$WORK/hold.out")
}
hold_stop() {  # HOLD_HELD is its HELD line
  exec 7>&-
  wait "$HOLD_PID" || true
  HOLD_HELD=$(grep '^HELD' "$WORK/hold.out" || echo "HELD ?")
}

ROWS=()
wrk_row() {  # SERVER CONNECTIONS LABEL [WRK ARGS...]
  local s=$1 conns=$2 label=$3; shift 3
  local port=PORT_$s out line
  out=$(wrk -t2 -c"$conns" -d"${DURATION}s" --latency "$@" -s "$WORK/replay.lua" "http://127.0.0.1:${!port}/" 2>&1)
  line=$(grep '^RESULT' <<< "$out") || { echo "$out" >&2; return 1; }
  declare -A r; local kv
  for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  ROWS+=("$(printf '%-32s %-24s %10.0f %9.3f %9.3f %9d' "${NAME[$s]}" "$label" \
    "$(awk -v n="${r[requests]}" -v d="${r[duration_us]}" 'BEGIN{print n/(d/1e6)}')" \
    "$(awk -v x="${r[p50_us]}" 'BEGIN{print x/1000}')" "$(awk -v x="${r[p99_us]}" 'BEGIN{print x/1000}')" \
    $((r[connect] + r[read] + r[write] + r[timeout] + r[status])))  (connect=${r[connect]} read=${r[read]} write=${r[write]} timeout=${r[timeout]} non-2xx=${r[status]})")
}

# --- wrk at 256 and 1,024 connections (servers take turns) ----------------------
for c in 256 1024; do
  for s in "${SERVERS[@]}"; do wrk_row "$s" "$c" "$c keep-alive"; done
done

# --- slow clients: 1,000 half-open connections held during a wrk run ------------
for s in "${SERVERS[@]}"; do
  port=PORT_$s
  hold "${!port}" 1000 halfopen 1 "$(PROBE_PATH "$s")"
  wrk_row "$s" 32 "32 + 1,000 half-open"
  hold_stop
  ROWS[-1]+="  holder: $HOLD_READY; $HOLD_HELD"
done

# --- a new client under 1,000 keep-alive / 1,000 half-open connections -------------
PROBES=()
for mode in keepalive halfopen; do
  for s in "${SERVERS[@]}"; do
    port=PORT_$s
    hold "${!port}" 1000 "$mode" 1 "$(PROBE_PATH "$s")"
    # (b0) answers 64 connections per 5 s: 3 probes with a 10 s timeout say enough.
    if [[ $s == b0 ]]; then n=3 t=10; else n=50 t=30; fi
    probe=$(python3 "$CLIENTS" probe "${!port}" "$n" "$(PROBE_PATH "$s")" "$t")
    hold_stop
    PROBES+=("$(printf '%-32s 1,000 %-9s  %s | %s | %s' "${NAME[$s]}" "$mode" "$probe" "$HOLD_READY" "$HOLD_HELD")")
  done
done

# --- SIGTERM with 1,000 idle connections open -------------------------------------
# A mock of this shell's own (the others were started by bench_first_answer):
# its exit status is this shell's to collect.
"${MOCK_CMD[@]}" > "$WORK/sig.out" 2>&1 &
SIG_PID=$!; PIDS+=("$SIG_PID")
until grep -q "listening on" "$WORK/sig.out" 2>/dev/null; do sleep 0.05; done
SIG_PORT=$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/.*|\1|p' "$WORK/sig.out")
hold "$SIG_PORT" 1000 keepalive 1 /__admin/health
t0=$(date +%s%N); kill -TERM "$SIG_PID"; rc=0; wait "$SIG_PID" || rc=$?; t1=$(date +%s%N)
hold_stop
SIGTERM_LINE="SIGTERM to the mock with 1,000 idle keep-alive connections open: exit $rc after $(( (t1 - t0) / 1000000 )) ms; holder: $HOLD_HELD"

# --- 10,000 connections ----------------------------------------------------------------
TENK=()
for s in a b c; do
  port=PORT_$s; pid=PID_$s
  before=$(rss_kb "${!pid}")
  hold "${!port}" 10000 keepalive 2 "$(PROBE_PATH "$s")"
  ready=$HOLD_READY
  sleep 0.5
  after=$(rss_kb "${!pid}"); threads=$(threads_of "${!pid}")
  probe=$(python3 "$CLIENTS" probe "${!port}" 20 "$(PROBE_PATH "$s")")
  hold_stop; held=$HOLD_HELD
  TENK+=("$(printf '%-26s %s | new clients: %s | %s | RSS %.1f -> %.1f MB (%.2f KB per connection), %s threads' \
    "${NAME[$s]}" "$ready" "$probe" "$held" "$(awk -v x="$before" 'BEGIN{print x/1024}')" \
    "$(awk -v x="$after" 'BEGIN{print x/1024}')" "$(awk -v a="$after" -v b="$before" 'BEGIN{print (a-b)/10000}')" \
    "$threads")")
done
sleep 2  # the servers notice the 10,000 closes
for s in a b c; do wrk_row "$s" 10000 "wrk 10,000 keep-alive" --timeout 10s; done

# --- report ---------------------------------------------------------------------------
echo
echo "connections benchmark ($(nproc) cores, open-file limit $NOFILE; wrk runs of ${DURATION}s, 2 threads)"
echo "(c) replays 1000 pre-signed ActiveDeviceCertificate requests (--no-nonce-check, --rate-limit 1000000000);"
echo "(a), (b), (b0) get the same bytes and answer a fixed JSON. failures = connect/read/write errors + timeouts + non-2xx."
echo
printf '%-32s %-24s %10s %9s %9s %9s\n' server connections "req/s" "p50 ms" "p99 ms" failures
for row in "${ROWS[@]}"; do echo "$row"; done
echo "(b0) serves 64 connections at a time: its wrk figures are those 64 connections'; the other connections"
echo "     get no answer within the run, which wrk does not count as failures (see the new-client rows)."
echo "(the mock and (b) close a connection idle for 5 s, nginx after 75 s: in the 10,000 row, connections"
echo " opened first can be closed by the mock before the holder's last ones are answered)"
echo
echo "a new client (50, one after the other: connect, GET, answer) while 1,000 connections are held:"
for row in "${PROBES[@]}"; do echo "  $row"; done
echo
echo "10,000 connections (each opened, 2 requests, held open; then 20 new clients):"
for row in "${TENK[@]}"; do echo "  $row"; done
echo
echo "$SIGTERM_LINE"
printf 'idle RSS: nginx %.1f MB, minimal %.1f MB, minimal thread/connection %.1f MB, mock %.1f MB\n' \
  "$(awk -v x="${IDLE[a]}" 'BEGIN{print x/1024}')" "$(awk -v x="${IDLE[b]}" 'BEGIN{print x/1024}')" \
  "$(awk -v x="${IDLE[b0]}" 'BEGIN{print x/1024}')" "$(awk -v x="${IDLE[c]}" 'BEGIN{print x/1024}')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (figures suffer when other processes share the $(nproc) cores)"
echo "targets: a new client answered within 50 ms under 1,000 keep-alive and under 1,000 half-open; 0 failures at 10,000"
