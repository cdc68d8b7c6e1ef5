#!/usr/bin/env bash
# The installed programs work outside a checkout: `cmake --install` into a
# temporary prefix; the installed runner, started from an empty folder,
# finds the installed scenarios and fixture (with its PKI) and passes; the
# installed mock serves the installed fixture, and its devices connect over
# MQTT (mosquitto_pub); a runner without installed data says which options
# to pass.
#
#   tests/packaging/install_test.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: install_test.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
mock_pid=
cleanup() {
  [[ -z $mock_pid ]] || { kill "$mock_pid" 2> /dev/null || true; wait "$mock_pid" 2> /dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }
# A sanitizer build is too slow for a burst's min_rate (cmake/install.cmake).
burst_filter=()
if [[ -n ${ONSMQTT_SANITIZED:-} ]]; then burst_filter=(--filter '^(?!.*(throttling[.]yaml|[.]a burst of))'); fi

prefix=$work/prefix
data=$prefix/share/onsmqtt-contract
cmake --install "$build" --prefix "$prefix" > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install"; }
for f in bin/onsmqtt-runner bin/onsmqtt-mock share/onsmqtt-contract/contract/onsmqtt-2020-04-20.yaml \
  share/onsmqtt-contract/fixtures/default.yaml share/onsmqtt-contract/scenarios/scenario.schema.json; do
  [[ -e $prefix/$f ]] || fail "not installed: $f"
done
want=$(cd "$root/scenarios" && find . -name '*.yaml' | wc -l)
got=$(cd "$data/scenarios" && find . -name '*.yaml' | wc -l)
[[ $want -eq $got ]] || fail "$got scenario files installed, $want in scenarios/"

# The installed runner from an empty folder: its defaults are the installed data.
mkdir "$work/empty"
rc=0
(cd "$work/empty" && "$prefix/bin/onsmqtt-runner" --no-color --quiet "${burst_filter[@]}") > "$work/run.out" 2>&1 || rc=$?
tail -n 3 "$work/run.out"
[[ $rc -eq 0 ]] || { cat "$work/run.out"; fail "the installed runner exited $rc from an empty folder"; }
[[ -s $work/empty/reports/junit.xml ]] || fail "no reports/junit.xml in the folder it ran from"
grep -q "$data/scenarios" "$work/run.out" "$work/empty/reports/junit.xml" ||
  fail "the run does not name the installed scenarios ($data/scenarios)"

# The installed mock serves the installed fixture, devices too: its mqtt
# section and the installed test PKI (certificates with their keys).
"$prefix/bin/onsmqtt-mock" --fixture "$data/fixtures/default.yaml" --port 0 --mqtt-port 0 --quiet > "$work/mock.out" 2>&1 &
mock_pid=$!
for _ in $(seq 1 200); do
  grep -q "MQTT (mutual TLS) on" "$work/mock.out" && break
  kill -0 "$mock_pid" 2> /dev/null || { cat "$work/mock.out"; fail "the installed mock exited"; }
  sleep 0.05
done
grep -q "listening on" "$work/mock.out" || fail "the installed mock did not start"
mqtt_port=$(sed -n 's|.*MQTT (mutual TLS) on mqtts://[^:]*:\([0-9]*\)$|\1|p' "$work/mock.out")
[[ -n $mqtt_port ]] || { cat "$work/mock.out"; fail "the installed mock printed no MQTT port"; }
pki=$data/fixtures/pki
for case in device-a-active:0 device-a-inactive:5; do
  device=${case%:*} rc=0
  mosquitto_pub --cafile "$pki/tls-ca.pem" --cert "$pki/$device.pem" --key "$pki/$device.key" -h localhost \
    -p "$mqtt_port" -i GID_test@@@installed -t t -m hello -q 1 > "$work/pub.out" 2>&1 || rc=$?
  [[ $rc == "${case#*:}" ]] || { cat "$work/pub.out"; fail "mosquitto_pub as the installed $device: exit $rc, want ${case#*:}"; }
done
echo "install_test: the installed mock accepts device-a-active and refuses device-a-inactive (mosquitto_pub)"

# Without installed data (the binary alone) and outside a checkout, the
# message names what to pass.
mkdir -p "$work/bare/bin" "$work/empty2"
cp "$prefix/bin/onsmqtt-runner" "$work/bare/bin/"
rc=0
(cd "$work/empty2" && "$work/bare/bin/onsmqtt-runner" --no-color) > "$work/bare.out" 2>&1 || rc=$?
cat "$work/bare.out"
[[ $rc -eq 2 ]] || fail "expected exit 2 (usage) without data, got $rc"
grep -q -- "--fixture FILE" "$work/bare.out" || fail "the message does not name --fixture"
grep -q "scenario files or folders as arguments" "$work/bare.out" || fail "the message does not say to name scenarios"
[[ ! -e $work/empty2/reports ]] || true
# ... and with both given, it runs.
rc=0
(cd "$work/empty2" && "$work/bare/bin/onsmqtt-runner" --no-color --quiet --fixture "$data/fixtures/default.yaml" \
  "$data/scenarios/active_device_certificate/lookup.yaml") > "$work/given.out" 2>&1 || rc=$?
[[ $rc -eq 0 ]] || { cat "$work/given.out"; fail "with --fixture and a scenario file: exit $rc"; }
echo "install_test: PASS"
