# Helpers shared by the benchmark scripts (bench/*.sh). Source it after
# setting ROOT and BUILD; it sources scripts/lib.sh too.
source "$ROOT/scripts/lib.sh"

# bench_tools CMD:PACKAGE...: installs (apt-get) the packages whose command
# is missing. nginx counts as present when /usr/sbin/nginx exists.
bench_tools() {
  local need=() pair cmd
  for pair in "$@"; do
    cmd=${pair%%:*}
    command -v "$cmd" >/dev/null || [[ -x /usr/sbin/$cmd ]] || need+=("${pair#*:}")
  done
  if ((${#need[@]})); then
    echo "installing ${need[*]} (apt-get)"
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo=sudo
    $sudo apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# bench_programs: builds the mock and the benchmark helpers; sets MOCK,
# MINIMAL, FIRST (time to first answer) and SIGN (pre-signed requests).
bench_programs() {
  cmake --build "$BUILD" --target onsmqtt-mock bench_minimal_server bench_first_answer bench_sign_requests >/dev/null
  MOCK=$BUILD/mock_server/onsmqtt-mock
  MINIMAL=$BUILD/bench/bench_minimal_server
  FIRST=$BUILD/bench/bench_first_answer
  SIGN=$BUILD/bench/bench_sign_requests
}

# proc_sum FIELD PID: a /proc/PID/status field (VmRSS, VmHWM: kB) summed
# over the process and its children.
proc_sum() {
  local field=$1 total=0 p
  for p in "$2" $(pgrep -P "$2" || true); do
    total=$((total + $(awk -v f="$field:" '$1 == f {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
rss_kb() { proc_sum VmRSS "$1"; }
hwm_kb() { proc_sum VmHWM "$1"; }
threads_of() { awk '/^Threads:/ {print $2}' "/proc/$1/status"; }

# start NAME FIRST_ANSWER_ARGS... -- CMD...: starts CMD through
# bench_first_answer; sets PID_<NAME> and PORT_<NAME>.
start() {
  local name=$1 line pid port
  shift
  line=$("$FIRST" "$@") || { echo "cannot start $name" >&2; exit 1; }
  pid=$(sed 's/.*pid=\([0-9]*\).*/\1/' <<< "$line")
  port=$(sed 's/.*port=\([0-9]*\).*/\1/' <<< "$line")
  PIDS+=("$pid")
  printf -v "PID_$name" %s "$pid"
  printf -v "PORT_$name" %s "$port"
}

# wrk_scripts: $WORK/replay.lua replays the requests in $BENCH_REQUESTS in
# turn and prints wrk's figures as one RESULT line.
wrk_scripts() {
  cat > "$WORK/replay.lua" <<'LUA'
local reqs = dofile(os.getenv("BENCH_REQUESTS"))
local i = 0
request = function()
  i = i % #reqs + 1
  return reqs[i]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status))
end
LUA
}

# nginx_static WORKER_CONNECTIONS [LISTEN_OPTIONS]: the reference server.
# Writes $WORK/www/answer.json (the mock's ActiveDeviceCertificate answer) and
# $WORK/nginx.conf, which serves it to every request, and sets NGINX_PORT.
nginx_static() {
  local body='{"RequestId":"D2E6C4A7-2B1F-4E3D-9A8C-7F6E5D4C3B2A","DeviceSn":"3d0e0a1c95a81518b287db30aa2a675f"}'
  mkdir -p "$WORK/www" "$WORK/tmp"
  printf '%s' "$body" > "$WORK/www/answer.json"
  chmod 755 "$WORK" "$WORK/www"; chmod 644 "$WORK/www/answer.json"  # nginx workers run as another user
  NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$WORK/nginx.conf" <<NGX
daemon off;
worker_processes auto;
worker_rlimit_nofile $(ulimit -n);
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections $1; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT ${2:-};
    # POST to a static file is 405 in nginx; error_page turns it into the file.
    location / { root $WORK/www; default_type application/json; try_files /answer.json =404;
                 error_page 405 =200 /answer.json; }
  }
}
NGX
}
