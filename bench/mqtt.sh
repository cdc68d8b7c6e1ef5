#!/usr/bin/env bash
# Devices over MQTT and mutual TLS (a benchmark, not a test), both servers in
# the same run:
#   (m) Debian's mosquitto broker (2.0), a listener on a free port with
#       require_certificate true, cafile fixtures/pki/ca-a.pem, the mock's
#       server certificate (fixtures/pki/server.pem/.key), tls_version
#       tlsv1.2, use_identity_as_username true, persistence off, no
#       per-connect log;
#   (c) onsmqtt-mock --mqtt-port 0 --quiet with the default fixture (every
#       connect decided by the fixture's state: CA a registered and active).
# Rows:
#   - memory of IDLE connected idle devices, first (fresh servers): the
#     server's VmRSS before and after IDLE connections are open (CONNECT
#     with keep-alive 1800 s, CONNACK 0 received), MB in total and KB per
#     connection;
#   - connects per second: bench_mqtt_load with THREADS threads, each in a
#     loop for DURATION s: TCP connect, a full TLS 1.2 handshake with
#     device-a-active's certificate, CONNECT (3.1.1), CONNACK,
#     DISCONNECT, the server's close. Successes and failures are counted
#     (tcp, tls, connack, io). ROUNDS runs per server, taking turns (a noisy
#     moment spoils one run of each, not all runs of one); the median run is
#     reported, every run is listed, with the server's CPU time per connect
#     (utime + stime from /proc during the run, divided by its connects).
#
#   bench/mqtt.sh [BUILD_DIR]          (default build; run from anywhere)
#   DURATION=10 THREADS=8 ROUNDS=3 IDLE=1000 bench/mqtt.sh
# The mosquitto broker is installed with apt-get when missing (root or sudo).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
DURATION=${DURATION:-10}
THREADS=${THREADS:-8}
ROUNDS=${ROUNDS:-3}
IDLE=${IDLE:-1000}
PKI=$ROOT/fixtures/pki
source "$ROOT/bench/lib.sh"
scratch_init
ulimit -n "$(ulimit -Hn)"  # IDLE connections are descriptors on both sides
bench_tools mosquitto:mosquitto python3:python3
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
cmake --build "$BUILD" --target onsmqtt-mock bench_mqtt_load > /dev/null
MOCK=$BUILD/mock_server/onsmqtt-mock
LOAD=$BUILD/bench/bench_mqtt_load

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, clock ticks
TICK=$(getconf CLK_TCK)
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
mb() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }

# --- (m) mosquitto ------------------------------------------------------------------
MQ_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQ_PORT 127.0.0.1
require_certificate true
cafile $PKI/ca-a.pem
certfile $PKI/server.pem
keyfile $PKI/server.key
tls_version tlsv1.2
use_identity_as_username true
persistence false
max_connections -1
log_dest stderr
log_type information
CONF
mkfifo "$WORK/mosquitto.fifo"
"$MOSQUITTO" -c "$WORK/mosquitto.conf" 2> "$WORK/mosquitto.fifo" &
PID_m=$!
PIDS+=("$PID_m")
exec {fd}< "$WORK/mosquitto.fifo"
while IFS= read -r -t 10 line <&"$fd"; do
  [[ $line == *"running"* ]] && break
done
[[ ${line:-} == *"running"* ]] || { echo "mosquitto did not start: ${line:-}" >&2; exit 1; }
cat <&"$fd" > "$WORK/mosquitto.log" &
PIDS+=($!)
exec {fd}<&-
PORT_m=$MQ_PORT
MQ_VERSION=$({ "$MOSQUITTO" -h 2>&1 || true; } | sed -n '1s/.*version \([0-9.]*\).*/\1/p')

# --- (c) the mock -------------------------------------------------------------------
mkfifo "$WORK/mock.fifo"
"$MOCK" --fixture "$ROOT/fixtures/default.yaml" --port 0 --mqtt-port 0 --quiet > "$WORK/mock.fifo" 2> "$WORK/mock.err" &
PID_c=$!
PIDS+=("$PID_c")
exec {fd}< "$WORK/mock.fifo"
IFS= read -r -t 10 http_line <&"$fd" || { cat "$WORK/mock.err" >&2; exit 1; }
IFS= read -r -t 10 mqtt_line <&"$fd" || { cat "$WORK/mock.err" >&2; exit 1; }
exec {fd}<&-
PORT_c=${mqtt_line##*:}
declare -A NAME=([m]="(m) mosquitto $MQ_VERSION" [c]="(c) onsmqtt-mock")

# --- memory of IDLE idle devices ---------------------------------------------------------
declare -A MEM
for s in m c; do
  port=PORT_$s pid=PID_$s
  before=$(rss_kb "${!pid}")
  rm -f "$WORK/ctl" "$WORK/hold.fifo"
  mkfifo "$WORK/ctl" "$WORK/hold.fifo"
  "$LOAD" hold "${!port}" "$IDLE" "$PKI" device-a-active < "$WORK/ctl" > "$WORK/hold.fifo" &
  hold_pid=$!
  exec {ctl}> "$WORK/ctl" {out}< "$WORK/hold.fifo"
  IFS= read -r -t 120 ready <&"$out" || { echo "bench_mqtt_load hold: no READY line" >&2; exit 1; }
  after=$(rss_kb "${!pid}")
  exec {ctl}>&-  # the holder disconnects every device and exits
  IFS= read -r -t 120 held <&"$out" || held="HELD ?"
  exec {out}<&-
  wait "$hold_pid"
  MEM[$s]="$(mb "$before") -> $(mb "$after") MB, $(awk -v a="$after" -v b="$before" -v n="$IDLE" \
    'BEGIN{printf "%.1f", (a-b)/n}') KB per connection ($ready; $held)"
done

# --- connects per second --------------------------------------------------------------
declare -A RUNS RATES FAILS CPUS
for ((r = 1; r <= ROUNDS; r++)); do
  for s in m c; do
    port=PORT_$s pid=PID_$s
    t0=$(cpu_ticks "${!pid}")
    line=$("$LOAD" connects "${!port}" "$DURATION" "$THREADS" "$PKI" device-a-active)
    t1=$(cpu_ticks "${!pid}")
    declare -A v=()
    for kv in ${line#RESULT }; do v[${kv%%=*}]=${kv#*=}; done
    rate=$(awk -v n="${v[connects]}" -v d="${v[seconds]}" 'BEGIN{printf "%.0f", n/d}')
    cpu_us=$(awk -v t=$((t1 - t0)) -v k="$TICK" -v n="${v[connects]}" 'BEGIN{printf "%.0f", n ? t/k*1e6/n : 0}')
    RATES[$s]+="$rate "
    CPUS[$s]+="$cpu_us "
    RUNS[$s]+="$(printf '  run %d: %6d connects/s, %6d connects, %d failures (tcp %s tls %s connack %s io %s), server CPU %s us/connect' \
      "$r" "$rate" "${v[connects]}" "${v[failures]}" "${v[tcp]}" "${v[tls]}" "${v[connack]}" "${v[io]}" "$cpu_us")"$'\n'
    FAILS[$s]=$((${FAILS[$s]:-0} + ${v[failures]}))
  done
done

# --- report -----------------------------------------------------------------------------
echo
echo "MQTT over mutual TLS 1.2 ($(nproc) cores; bench_mqtt_load: $THREADS threads, ${DURATION}-s runs, $ROUNDS rounds taking turns)"
echo "a connect = TCP + full TLS 1.2 handshake (ECDSA P-256 server and client certificates, no resumption) +"
echo "CONNECT/CONNACK (3.1.1) + DISCONNECT + the server's close; failures = any step failing"
echo
printf '%-24s %11s %16s %9s   %s\n' server "connects/s" "server CPU us/c" failures \
  "memory of $IDLE idle connected devices (VmRSS)"
for s in m c; do
  printf '%-24s %11s %16s %9s   %s\n' "${NAME[$s]}" "$(median "${RATES[$s]}")" "$(median "${CPUS[$s]}")" "${FAILS[$s]}" \
    "${MEM[$s]}"
done
echo
for s in m c; do
  echo "${NAME[$s]}:"
  printf '%s' "${RUNS[$s]}"
done
awk -v c="$(median "${RATES[c]}")" -v m="$(median "${RATES[m]}")" \
  'BEGIN{printf "ratio mock/mosquitto (median connects/s): %.2f (target >= 0.80)\n", c/m}'
awk -v c="$(median "${CPUS[c]}")" -v m="$(median "${CPUS[m]}")" \
  'BEGIN{printf "server CPU per connect, mock/mosquitto: %.2f (the figure a busy machine disturbs least)\n", c/m}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (figures suffer when other processes share the $(nproc) cores)"
