#!/usr/bin/env bash
# Interop: ActiveDeviceCertificate through Alibaba Cloud's official Node.js
# clients (@alicloud/pop-core: V1; @alicloud/openapi-client: V3) against the
# onsmqtt-mock binary. Each outcome is asserted as the code the CLIENT
# surfaces (tests/interop/README.md explains how each client reports errors).
#
#   mock_server/interop_test.sh build/mock_server/onsmqtt-mock   (from the repo root)
#
# Fails (never skips) when node or npm is missing. node_modules is reused
# while package-lock.json is unchanged; otherwise `npm ci` runs (registry).
set -euo pipefail

MOCK=${1:?usage: interop_test.sh path/to/onsmqtt-mock}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
INTEROP=$ROOT/tests/interop
source "$ROOT/scripts/lib.sh"
scratch_init

fail() { echo "interop_test: FAIL: $*" >&2; exit 1; }

need_node
[[ -x $MOCK ]] || fail "not an executable: $MOCK"
npm_ci_cached "$INTEROP"

start_mock() {  # NAME FLAGS... -> URL
  mock_start "$1" "$MOCK" --fixture "$ROOT/fixtures/default.yaml" --port 0 --quiet "${@:2}"
  URL=$MOCK_URL
}

start_mock main; MAIN=$URL
start_mock throttled --rate-limit 1; THROTTLED=$URL
echo "interop_test: mocks at $MAIN and $THROTTLED (rate limit 1)"

# The fixture's names, from the admin API.
node -e 'fetch(process.argv[1] + "/__admin/vars").then(r => r.json()).then(v => console.log(JSON.stringify(v)))' \
  "$MAIN" > "$WORK/vars.json" || fail "cannot read /__admin/vars"
var() { node -e 'const v=require(process.argv[1]); const x=v[process.argv[2]]; if(x===undefined) process.exit(1); console.log(x)' "$WORK/vars.json" "$1" || fail "no fixture variable $1"; }

INSTANCE=$(var instance.platinum.id)
SN=$(var device.active.sn)
CA=$(var device.active.ca_sn)

# run ENDPOINT KEY_NAME CALLS_JSON -> one JSON line per call
run() {
  ONSMQTT_ENDPOINT=$1 ONSMQTT_AK_ID=$(var "key.$2.id") ONSMQTT_AK_SECRET=$(var "key.$2.secret") \
    ONSMQTT_CALLS=$3 node "$INTEROP/interop.mjs"
}
calls() {  # device_sn ca_sn [secret_override] [repeat] [clients] [instance]
  node -e '
    const [inst, sn, ca, secret, repeat, clients] = process.argv.slice(1);
    const out = [];
    for (let i = 0; i < Number(repeat || 1); i++) for (const client of (clients || "pop,openapi").split(",")) {
      const c = {client, action: "ActiveDeviceCertificate", params: {MqttInstanceId: inst, DeviceSn: sn, CaSn: ca}};
      if (secret) c.secret_override = secret;
      out.push(c);
    }
    console.log(JSON.stringify(out));' "${6:-$INSTANCE}" "$1" "$2" "${3:-}" "${4:-1}" "${5:-}"
}

# expect LABEL EXPECTED_CODE (ok = success) < lines: every line must match
expect_all() {
  local label=$1 want=$2 out=$3
  node -e '
    const [label, want] = process.argv.slice(1);
    const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").map(l => JSON.parse(l));
    if (lines.length === 0) { console.error(label + ": no output"); process.exit(1); }
    let bad = 0;
    for (const r of lines) {
      const got = r.ok ? "ok" : r.code;
      const fine = want === "ok" ? r.ok && r.status === 200 && r.body && r.body.RequestId : got === want;
      console.log(`  ${fine ? "pass" : "FAIL"} ${label} ${r.client}: ${got} (HTTP ${r.status})`);
      if (!fine) { bad++; console.error(JSON.stringify(r)); }
    }
    process.exit(bad ? 1 : 0);' "$label" "$want" <<< "$out" || fail "$label"
}

echo "interop_test: success"
expect_all success ok "$(run "$MAIN" owner "$(calls "$SN" "$CA")")"

echo "interop_test: MqttOwnerCheckError (another account's key)"
expect_all owner-check MqttOwnerCheckError "$(run "$MAIN" other_account "$(calls "$SN" "$CA")")"

echo "interop_test: FindDeviceBySnError (unknown DeviceSn)"
expect_all find-device FindDeviceBySnError "$(run "$MAIN" owner "$(calls 00000000000000000000000000000000 "$CA")")"

echo "interop_test: SignatureDoesNotMatch (signed with a wrong secret)"
expect_all signature SignatureDoesNotMatch "$(run "$MAIN" owner "$(calls "$SN" "$CA" wrong-secret)")"

# Throttling: with --rate-limit 1, of 6 quick calls, those within a second
# of an accepted call surface Throttling.User. The limit is per account, so
# each client calls as its own account (pop: owner; openapi: other_account
# on its own instance). Timing decides how many are throttled, so assert:
# every call is ok or Throttling.User, and each client saw both.
echo "interop_test: Throttling.User (mock with --rate-limit 1)"
{
  run "$THROTTLED" owner "$(calls "$SN" "$CA" "" 6 pop)"
  run "$THROTTLED" other_account \
    "$(calls "$(var device.other.sn)" "$(var device.other.ca_sn)" "" 6 openapi "$(var instance.other_account.id)")"
} > "$WORK/throttled.jsonl"
node -e '
  const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").map(l => JSON.parse(l));
  const seen = {};
  let bad = 0;
  for (const r of lines) {
    const got = r.ok ? "ok" : r.code;
    if (got !== "ok" && got !== "Throttling.User") { bad++; console.error(JSON.stringify(r)); }
    (seen[r.client] ??= new Set()).add(got);
  }
  for (const client of ["pop", "openapi"]) {
    const s = seen[client] || new Set();
    const fine = s.has("ok") && s.has("Throttling.User");
    console.log(`  ${fine ? "pass" : "FAIL"} throttling ${client}: ${[...s].join(", ")}`);
    if (!fine) bad++;
  }
  process.exit(bad ? 1 : 0);' < "$WORK/throttled.jsonl" || fail "throttling"

echo "interop_test: PASS"
