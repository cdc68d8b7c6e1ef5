# Shell helpers shared by the test and benchmark scripts. Source it:
#   source "$ROOT/scripts/lib.sh"
# A script that uses npm_ci_cached or mock_start defines fail() first.

# scratch_init: WORK, a temporary folder, and PIDS, the background
# processes to stop; on exit every one of PIDS is stopped and WORK removed.
scratch_init() {
  WORK=$(mktemp -d)
  PIDS=()
  trap scratch_cleanup EXIT
}
scratch_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}

# need_node: node and npm are installed, or the script fails saying how to
# install them (tests fail, never skip, without them).
need_node() {
  command -v node >/dev/null || fail "node is not installed (apt-get install nodejs npm)"
  command -v npm >/dev/null || fail "npm is not installed (apt-get install npm)"
}

# npm_ci_cached DIR: `npm ci` in DIR unless its node_modules was installed
# from the same package-lock.json (a stamp holds the lock file's hash).
npm_ci_cached() {
  local dir=$1 hash stamp
  hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  stamp=$dir/node_modules/.onsmqtt-lock-sha256
  if [[ ! -f $stamp || $(cat "$stamp") != "$hash" ]]; then
    echo "npm ci in ${dir#"$ROOT"/} (package-lock.json changed or node_modules missing)"
    (cd "$dir" && npm ci --no-audit --no-fund) || fail "npm ci failed in ${dir#"$ROOT"/}"
    echo "$hash" > "$stamp"
  fi
}

# mock_start NAME MOCK ARGS...: starts MOCK with ARGS on a free port in the
# background (not in $(...), so that PIDS reaches the cleanup) and waits for
# "listening on". Sets MOCK_URL (http://host:port) and MOCK_PID; its output
# is in $WORK/NAME.out and $WORK/NAME.err.
mock_start() {
  local name=$1 mock=$2 i
  shift 2
  "$mock" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  MOCK_PID=$!
  PIDS+=("$MOCK_PID")
  for i in $(seq 1 200); do
    if grep -q "listening on" "$WORK/$name.out" 2>/dev/null; then
      MOCK_URL=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$WORK/$name.out")
      return 0
    fi
    kill -0 "$MOCK_PID" 2>/dev/null || { cat "$WORK/$name.err" >&2; fail "the $name mock exited"; }
    sleep 0.05
  done
  fail "the $name mock did not print its port within 10 s"
}
