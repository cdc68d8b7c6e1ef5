#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz", clang) and runs each one on
# its seed corpus for a short time; fails on the first crash, leak, timeout
# or broken invariant. fuzz/README.md describes the targets.
#   scripts/fuzz-smoke.sh                 every target, 20 s each
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh verifier percent
# The corpus in fuzz/corpus/ is only read: new inputs go to a scratch copy.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-20}"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(scenario_loader fixture_loader yaml_tree verifier admin xml_answer percent certificate mqtt_codec mqtt_session)
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

dict_for() {
  case "$1" in
    scenario_loader | fixture_loader | yaml_tree) echo fuzz/dict/yaml.dict ;;
    verifier | percent) echo fuzz/dict/http.dict ;;
    admin) echo fuzz/dict/admin.dict ;;
    xml_answer) echo fuzz/dict/xml.dict ;;
    mqtt_codec | mqtt_session) echo fuzz/dict/mqtt.dict ;;
  esac
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=()
for t in "${targets[@]}"; do
  bin="build-fuzz/fuzz/fuzz_$t"
  mkdir -p "$work/$t"
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
        -artifact_prefix="$work/$t-")
  dict="$(dict_for "$t")"
  if [[ -n "$dict" ]]; then args+=(-dict="$dict"); fi
  echo "fuzz-smoke: $t for ${seconds}s"
  if ! "$bin" "${args[@]}" "$work/$t" "fuzz/corpus/$t" >"$work/$t.log" 2>&1; then
    failed+=("$t")
    tail -n 60 "$work/$t.log"
    for a in "$work/$t-"*; do
      [[ -e "$a" ]] && { echo "fuzz-smoke: crashing input ($a), base64:"; base64 "$a" | head -c 4000; echo; }
    done
  fi
  grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$work/$t.log" | tail -n 2 || true
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz-smoke: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz-smoke: all ${#targets[@]} targets ran ${seconds}s without a finding"
