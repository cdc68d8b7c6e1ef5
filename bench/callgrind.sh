#!/usr/bin/env bash
# Instructions per request of onsmqtt-mock's hot path, with callgrind
# (repeatable on a loaded machine, unlike wall-clock figures).
#
#   bench/callgrind.sh [BUILD_DIR] [N]       (default build, N=400)
#   QUIET=1 bench/callgrind.sh ...           run the mock with --quiet
#   KEEP=cg.out TOP=100 bench/callgrind.sh   keep the profile, show 100 functions
#
# Starts the mock under valgrind --tool=callgrind (signature verification,
# state, journal and the per-request log on; --no-nonce-check and a huge
# --rate-limit because the same pre-signed requests are replayed), sends 50
# warm-up requests, zeroes the counters, sends N pre-signed
# ActiveDeviceCertificate calls (half V3 query, half V1 form body) over one
# keep-alive connection, dumps the counters and prints instructions/request
# (all threads of the mock) and the top functions (inclusive).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
N=${2:-400}
WORK=$(mktemp -d)
PID=
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
MOCK=$BUILD/mock_server/onsmqtt-mock
SIGN=$BUILD/bench/bench_sign_requests
PORT=$((20000 + RANDOM % 20000))
extra=(); [[ -n ${QUIET:-} ]] && extra+=(--quiet)
valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" --dump-instr=no \
  "$MOCK" --fixture "$ROOT/fixtures/default.yaml" --port "$PORT" --no-nonce-check \
  --rate-limit 1000000000 "${extra[@]}" > "$WORK/stdout" 2> "$WORK/stderr" &
PID=$!
for _ in $(seq 600); do grep -q listening "$WORK/stdout" 2>/dev/null && break; sleep 0.05; done
grep -q listening "$WORK/stdout" || { echo "mock did not start" >&2; cat "$WORK/stderr" >&2; exit 1; }
VARS=$(curl -s "http://127.0.0.1:$PORT/__admin/vars")
var() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" <<< "$VARS"; }
"$SIGN" "127.0.0.1:$PORT" "$(var key.owner.id)" "$(var key.owner.secret)" "$(var instance.platinum.id)" \
  "$(var device.active.sn)" "$(var device.active.ca_sn)" 2 > "$WORK/requests.lua"
cat > "$WORK/send.py" <<'PY'
import re, socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
text = open(sys.argv[3]).read()
reqs = [bytes(s, 'latin1').decode('unicode_escape').encode('latin1')
        for s in re.findall(r'"((?:[^"\\]|\\.)*)"', text)]
s = socket.create_connection(('127.0.0.1', port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
buf = b''; bad = 0
for i in range(n):
    s.sendall(reqs[i % len(reqs)])
    while b'\r\n\r\n' not in buf: buf += s.recv(65536)
    head, buf = buf.split(b'\r\n\r\n', 1)
    length = int(re.search(rb'(?i)content-length:\s*(\d+)', head).group(1))
    while len(buf) < length: buf += s.recv(65536)
    body, buf = buf[:length], buf[length:]
    if b' 200 ' not in head.split(b'\r\n')[0]: bad += 1; sys.stderr.write(body.decode() + '\n')
print(bad)
PY
bad=$(python3 "$WORK/send.py" "$PORT" 50 "$WORK/requests.lua")
callgrind_control --zero "$PID" > /dev/null
bad=$((bad + $(python3 "$WORK/send.py" "$PORT" "$N" "$WORK/requests.lua")))
callgrind_control --dump "$PID" > /dev/null
sleep 0.5
kill -INT "$PID"; wait "$PID" 2>/dev/null || true; PID=
DUMP=$(ls "$WORK"/cg.out.* 2>/dev/null | head -1)
[[ -n ${KEEP:-} ]] && cp "$DUMP" "$KEEP"   # KEEP=file: keep the profile for callgrind_annotate
total=$(callgrind_annotate "$DUMP" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1; exit}')
echo "requests=$N non_200=$bad instructions_total=$total instructions_per_request=$((total / N))"
callgrind_annotate --inclusive=yes "$DUMP" 2>/dev/null | sed -n '/file:function/,$p' | sed -n 2,${TOP:-40}p
