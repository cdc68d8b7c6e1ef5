#!/usr/bin/env bash
# mosquitto_pub and mosquitto_sub (Debian's mosquitto-clients, a client
# nobody here wrote) against onsmqtt-mock's MQTT listener over mutual TLS:
#   - the default fixture's devices: accepted (MQTT 3.1.1, 5.0, 3.1),
#     refused (exit code = the CONNACK code: 5, or 135 with -V mqttv5),
#     activated through the API (curl, --auth off) and then accepted,
#     registered on their first connect (then GetDeviceCertificate and
#     ListDeviceCertificateByCaSn show them);
#   - --mqtt-refusal close (mosquitto_pub exit 7, MOSQ_ERR_CONN_LOST;
#     mosquitto_sub retries until -W: 255) and tls-alert (exit 1 or 8,
#     "A TLS error occurred", OpenSSL: "alert bad certificate");
#   - mosquitto_sub: connects, subscribes (SUBACK), and -W 2 ends it without
#     a message: exit 27 (MOSQ_ERR_TIMEOUT);
#   - the TLS server name <instance-id>.mqtt.aliyuncs.com selects the
#     instance. mosquitto has no option for the server name (it sends -h),
#     so -h names the instance and a SOCKS5 proxy (--proxy socks5h://,
#     clients_tunnel_proxy) carries the connection to the mock; --insecure
#     skips only the host name check (the chain is still verified against
#     --cafile). --mqtt-instance does the same without a proxy.
# Each check asserts mosquitto's exit code and the mock's record of the
# connect (GET /__admin/connects?limit=N); a failed check prints the command
# it ran, mosquitto's output and the mock's connects.
#
#   tests/clients/mosquitto_test.sh build/mock_server/onsmqtt-mock build/tests/clients/clients_tunnel_proxy
set -euo pipefail

MOCK=${1:?usage: mosquitto_test.sh path/to/onsmqtt-mock path/to/clients_tunnel_proxy}
PROXY=${2:?usage: mosquitto_test.sh path/to/onsmqtt-mock path/to/clients_tunnel_proxy}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PKI=$ROOT/fixtures/pki
source "$ROOT/scripts/lib.sh"
fail() { echo "mosquitto_test: FAIL: $*" >&2; exit 1; }
scratch_init
for c in mosquitto_pub mosquitto_sub curl openssl; do
  command -v "$c" > /dev/null || fail "$c is not installed (scripts/bootstrap.sh installs mosquitto-clients, curl, openssl)"
done
FAILED=0
PASSED=0

# read_line FD WHAT: one line from FD within 10 s (the programs print their
# ports when they listen: no polling, no sleep).
read_line() {
  local line
  IFS= read -r -t 10 line <&"$1" || return 1
  printf '%s\n' "$line"
}

# mock_up NAME ARGS...: starts the mock with the default fixture, a free
# HTTP and MQTT port, --auth off and ARGS; sets URL, MQTT_PORT, MOCK_PID.
mock_up() {
  local name=$1 fd http mqtt
  shift
  mkfifo "$WORK/$name.fifo"
  "$MOCK" --fixture "$ROOT/fixtures/default.yaml" --port 0 --mqtt-port 0 --auth off "$@" \
    > "$WORK/$name.fifo" 2> "$WORK/$name.err" &
  MOCK_PID=$!
  PIDS+=("$MOCK_PID")
  exec {fd}< "$WORK/$name.fifo"
  http=$(read_line "$fd") || { cat "$WORK/$name.err" >&2; fail "mock $name ($*) printed no HTTP line"; }
  mqtt=$(read_line "$fd") || { cat "$WORK/$name.err" >&2; fail "mock $name ($*) printed no MQTT line after: $http"; }
  exec {fd}<&-
  URL=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' <<< "$http")
  MQTT_PORT=$(sed -n 's|^onsmqtt-mock MQTT (mutual TLS) on mqtts://127.0.0.1:\([0-9]*\)$|\1|p' <<< "$mqtt")
  [[ -n $URL && -n $MQTT_PORT ]] || fail "mock $name: unexpected lines: $http / $mqtt"
  echo "mosquitto_test: mock $name (${*:-no extra flags}): $URL, MQTT port $MQTT_PORT"
}
mock_down() {
  kill "$MOCK_PID"
  wait "$MOCK_PID" || fail "the mock exited $? after SIGTERM"
}

# var NAME: a string of the mock's /__admin/vars (a flat JSON object).
var() {
  curl -s -m 5 "$URL/__admin/vars" | grep -o "\"$1\":\"[^\"]*\"" | sed 's/.*:"\(.*\)"/\1/'
}
# api ACTION PARAMS: an API call without signature (--auth off), as the owner.
api() {
  curl -s -m 5 -d '' "$URL/?Action=$1&Version=2020-04-20&AccessKeyId=LTAI5tQ8mV3nR7kP2xW9bJ4e&MqttInstanceId=post-cn-platinum01&$2"
}
# serial PEM: the certificate's SN as the mock derives it (lowercase hex).
serial() { openssl x509 -in "$1" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f'; }

# pub DEVICE ARGS...: mosquitto_pub as DEVICE (fixtures/pki/DEVICE.pem/.key).
pub() {
  local device=$1
  shift
  RAN=(mosquitto_pub --cafile "$PKI/tls-ca.pem" --cert "$PKI/$device.pem" --key "$PKI/$device.key"
       -h localhost -p "$MQTT_PORT" -i GID_test@@@d1 -t t -m hello -q 1 "$@")
}
sub() {
  local device=$1
  shift
  RAN=(mosquitto_sub --cafile "$PKI/tls-ca.pem" --cert "$PKI/$device.pem" --key "$PKI/$device.key"
       -h localhost -p "$MQTT_PORT" -i GID_test@@@s1 -t t -q 1 "$@")
}

# expect WANT_RC WHAT [PATTERN...]: runs RAN; its exit code must be WANT_RC
# (or one of "A|B")
# and the mock's latest connect record must contain every PATTERN (JSON text
# as the mock prints it, e.g. '"outcome":"refused"').
expect() {
  local want=$1 what=$2 rc=0 connect p bad=""
  shift 2
  "${RAN[@]}" > "$WORK/ran.out" 2>&1 || rc=$?
  connect=$(curl -s -m 5 "$URL/__admin/connects?limit=1")
  [[ "|$want|" == *"|$rc|"* ]] || bad="exit $rc, want $want"
  for p in "$@"; do
    [[ $connect == *"$p"* ]] || bad+="${bad:+; }the latest connect lacks $p"
  done
  if [[ -n $bad ]]; then
    FAILED=$((FAILED + 1))
    {
      echo "mosquitto_test: FAIL: $what: $bad"
      echo "  ran: $(printf '%q ' "${RAN[@]}")"
      sed 's/^/  output: /' "$WORK/ran.out"
      echo "  GET /__admin/connects?limit=5: $(curl -s -m 5 "$URL/__admin/connects?limit=5")"
    } >&2
    return 0
  fi
  PASSED=$((PASSED + 1))
  echo "mosquitto_test: ok: $what (exit $rc)"
}
# expect_text WHAT TEXT HAYSTACK: a check on an answer or an output.
expect_text() {
  if [[ $3 == *"$2"* ]]; then
    PASSED=$((PASSED + 1))
    echo "mosquitto_test: ok: $1"
  else
    FAILED=$((FAILED + 1))
    echo "mosquitto_test: FAIL: $1: \"$2\" not in: $3" >&2
  fi
}

# proxy_up: clients_tunnel_proxy to the current mock's MQTT port; sets PROXY_PORT.
proxy_up() {
  local fd line
  mkfifo "$WORK/proxy.fifo"
  "$PROXY" "$MQTT_PORT" > "$WORK/proxy.fifo" 2>&1 &
  PROXY_PID=$!
  PIDS+=("$PROXY_PID")
  exec {fd}< "$WORK/proxy.fifo"
  line=$(read_line "$fd") || fail "clients_tunnel_proxy printed nothing"
  cat <&"$fd" > "$WORK/proxy.out" &
  PIDS+=($!)
  exec {fd}<&-
  PROXY_PORT=${line##*:}
}
# sni DEVICE NAME ARGS...: mosquitto_pub with host (hence TLS server name)
# NAME, through the proxy.
sni() {
  local device=$1 name=$2
  shift 2
  pub "$device" --proxy "socks5h://127.0.0.1:$PROXY_PORT" --insecure "$@"
  RAN=("${RAN[@]/#localhost/$name}")
}

# --- the default refusal: CONNACK "not authorized" -------------------------------
mock_up connack
ACTIVE_SN=$(var device.active.sn)
INACTIVE_SN=$(var device.inactive.sn)
CA_A=$(var ca.a.sn)
[[ -n $ACTIVE_SN && -n $INACTIVE_SN && -n $CA_A ]] || fail "no device.active.sn, device.inactive.sn or ca.a.sn in /__admin/vars"
ACCEPTED='"outcome":"accepted"'
REFUSED='"outcome":"refused"'

pub device-a-active
expect 0 "active device, MQTT 3.1.1: published QoS 1" "$ACCEPTED" '"protocol":"3.1.1"' "\"device_sn\":\"$ACTIVE_SN\"" \
  '"client_id":"GID_test@@@d1"' '"connack":0' '"server_name":"localhost"' '"instance_id":"post-cn-platinum01"'
pub device-a-active -V mqttv5
expect 0 "active device, MQTT 5.0" "$ACCEPTED" '"protocol":"5.0"' '"connack":0'
pub device-a-active -V mqttv31
expect 0 "active device, MQTT 3.1" "$ACCEPTED" '"protocol":"3.1"' '"connack":0'
pub device-a-active -h 127.0.0.1
expect 0 "active device, -h 127.0.0.1 (the certificate's IP SAN)" "$ACCEPTED" '"instance_id":"post-cn-platinum01"'

pub device-a-inactive
expect 5 "inactive device, 3.1.1: CONNACK 5" "$REFUSED" '"connack":5' '"refusal":"connack"' \
  "\"device_sn\":\"$INACTIVE_SN\"" '"protocol":"3.1.1"'
pub device-a-inactive -V mqttv5
expect 135 "inactive device, 5.0: reason 0x87" "$REFUSED" '"connack":135' '"protocol":"5.0"'
pub device-a-inactive -V mqttv31
expect 5 "inactive device, 3.1: CONNACK 5" "$REFUSED" '"connack":5' '"protocol":"3.1"'
sub device-a-inactive -C 1 -W 2
expect 5 "inactive device, mosquitto_sub: CONNACK 5" "$REFUSED" '"connack":5'

answer=$(api ActiveDeviceCertificate "DeviceSn=$INACTIVE_SN&CaSn=$CA_A")
expect_text "ActiveDeviceCertificate (curl) answers the DeviceSn" "\"DeviceSn\":\"$INACTIVE_SN\"" "$answer"
pub device-a-inactive
expect 0 "the activated device is accepted" "$ACCEPTED" "\"device_sn\":\"$INACTIVE_SN\""
answer=$(api InactivateDeviceCertificate "DeviceSn=$ACTIVE_SN&CaSn=$CA_A")
expect_text "InactivateDeviceCertificate (curl) answers the DeviceSn" "\"DeviceSn\":\"$ACTIVE_SN\"" "$answer"
pub device-a-active
expect 5 "the inactivated device is refused" "$REFUSED" "\"device_sn\":\"$ACTIVE_SN\""
api ActiveDeviceCertificate "DeviceSn=$ACTIVE_SN&CaSn=$CA_A" > /dev/null

UNREG_SN=$(serial "$PKI/device-a-unregistered.pem")
answer=$(api GetDeviceCertificate "DeviceSn=$UNREG_SN&CaSn=$CA_A")
expect_text "device-a-unregistered is unknown before it connects" '"Code":"FindDeviceBySnError"' "$answer"
pub device-a-unregistered
expect 0 "unregistered device of active CA a: accepted and registered" "$ACCEPTED" '"registered":true' \
  "\"device_sn\":\"$UNREG_SN\"" "\"ca_sn\":\"$CA_A\""
answer=$(api GetDeviceCertificate "DeviceSn=$UNREG_SN&CaSn=$CA_A")
expect_text "GetDeviceCertificate shows the registered device active" '"Status":"1"' "$answer"
expect_text "GetDeviceCertificate shows its SN" "\"DeviceSn\":\"$UNREG_SN\"" "$answer"
answer=$(api ListDeviceCertificateByCaSn "CaSn=$CA_A&PageNo=1&PageSize=100")
expect_text "ListDeviceCertificateByCaSn lists it" "\"DeviceSn\":\"$UNREG_SN\"" "$answer"
pub device-a-unregistered -V mqttv5
expect 0 "its second connect registers nothing" "$ACCEPTED" '"registered":false'

pub device-unknown-ca
expect 5 "device of an unregistered CA" "$REFUSED" '"connack":5' '"registered":false'
pub device-unknown-ca -V mqttv5
expect 135 "device of an unregistered CA, 5.0" "$REFUSED" '"connack":135'
pub device-b-unregistered
expect 5 "unregistered device of inactive CA b" "$REFUSED" '"connack":5' '"registered":false'
pub device-b
expect 5 "registered active device of inactive CA b" "$REFUSED" '"connack":5'
pub device-a-expired
expect 5 "expired device certificate" "$REFUSED" '"connack":5' "\"device_sn\":\"$(var device.expired.sn)\""
pub device-a-expired -V mqttv5
expect 135 "expired device certificate, 5.0" "$REFUSED" '"connack":135'
LONG_ID=GID_test@@@$(printf 'd%.0s' {1..55})  # 65 characters: one over the contract's 64
pub device-a-active -i "$LONG_ID"
expect 2 "a 65-character client id, 3.1.1: CONNACK 2 (identifier rejected)" '"outcome":"rejected"' '"connack":2'
pub device-a-active -i "$LONG_ID" -V mqttv5
expect 133 "a 65-character client id, 5.0: reason 0x85 (client identifier not valid)" '"outcome":"rejected"' \
  '"connack":133'

# mosquitto_sub: subscribed (SUBACK), then -W 2 ends it: exit 27 (libmosquitto's
# MOSQ_ERR_TIMEOUT, "Timed out"; the mock delivers nothing).
for v in mqttv311 mqttv5; do
  sub device-a-active -C 1 -W 2 -d -V "$v"
  expect 27 "mosquitto_sub -V $v -C 1 -W 2: times out without a message" "$ACCEPTED"
  expect_text "mosquitto_sub -V $v received SUBACK" "received SUBACK" "$(cat "$WORK/ran.out")"
done

# The TLS server name selects the instance.
proxy_up
sni device-other post-cn-otheraccount01.mqtt.aliyuncs.com
expect 0 "SNI post-cn-otheraccount01.mqtt.aliyuncs.com: that instance's device" "$ACCEPTED" \
  '"server_name":"post-cn-otheraccount01.mqtt.aliyuncs.com"' '"instance_id":"post-cn-otheraccount01"'
sni device-a-active post-cn-otheraccount01.mqtt.aliyuncs.com
expect 5 "SNI post-cn-otheraccount01: platinum01's device is refused there" "$REFUSED" \
  '"instance_id":"post-cn-otheraccount01"'
sni device-a-active post-cn-platinum01.mqtt.aliyuncs.com -V mqttv5
expect 0 "SNI post-cn-platinum01.mqtt.aliyuncs.com" "$ACCEPTED" '"instance_id":"post-cn-platinum01"' \
  '"server_name":"post-cn-platinum01.mqtt.aliyuncs.com"'
pub device-other
expect 5 "SNI localhost: the default instance (post-cn-platinum01) refuses otheraccount's device" "$REFUSED" \
  '"instance_id":"post-cn-platinum01"'
mock_down

mock_up instance --mqtt-instance post-cn-otheraccount01
pub device-other
expect 0 "--mqtt-instance post-cn-otheraccount01, SNI localhost" "$ACCEPTED" '"instance_id":"post-cn-otheraccount01"'
pub device-a-active
expect 5 "--mqtt-instance post-cn-otheraccount01: platinum01's device refused" "$REFUSED"
mock_down

# --- the other refusals --------------------------------------------------------------
# close: mosquitto_pub exits 7 (MOSQ_ERR_CONN_LOST, "The connection was lost.");
# mosquitto_sub reconnects (after 1 s) until -W ends it: exit 255, no message.
mock_up close --mqtt-refusal close
pub device-a-active
expect 0 "--mqtt-refusal close: active device accepted" "$ACCEPTED"
for v in mqttv311 mqttv5 mqttv31; do
  pub device-a-inactive -V "$v"
  expect 7 "--mqtt-refusal close, mosquitto_pub -V $v: connection lost, no CONNACK" "$REFUSED" \
    '"refusal":"close"' '"connack":-1'
done
expect_text "mosquitto_pub says the connection was lost" "The connection was lost" "$(cat "$WORK/ran.out")"
sub device-a-inactive -C 1 -W 2
expect 255 "--mqtt-refusal close, mosquitto_sub -C 1 -W 2: retries, then the timeout" "$REFUSED" '"refusal":"close"'
mock_down

mock_up alert --mqtt-refusal tls-alert
pub device-a-active
expect 0 "--mqtt-refusal tls-alert: active device accepted" "$ACCEPTED"
# The alert ends the handshake: when it arrives during mosquitto_connect()
# (still in SSL_connect), "Unable to connect (A TLS error occurred.)" and
# exit 1; when the handshake looked done and CONNECT was sent, the loop gets
# it: "Error: A TLS error occurred." and exit 8 (MOSQ_ERR_TLS). Which one is
# a matter of timing (the mock decides after it read the client's certificate).
for device in device-a-inactive device-unknown-ca device-b-unregistered device-a-expired; do
  pub "$device"
  expect "1|8" "--mqtt-refusal tls-alert, $device: the handshake fails" "$REFUSED" \
    '"refusal":"tls-alert"' '"connack":-1' '"protocol":""'
  expect_text "mosquitto_pub says a TLS error occurred" "A TLS error occurred" "$(cat "$WORK/ran.out")"
done
pub device-a-inactive -V mqttv5 -d
expect "1|8" "--mqtt-refusal tls-alert, 5.0" "$REFUSED" '"refusal":"tls-alert"'
expect_text "OpenSSL reports the server's alert" "alert bad certificate" "$(cat "$WORK/ran.out")"
sub device-a-inactive -C 1 -W 2
expect "1|8" "--mqtt-refusal tls-alert, mosquitto_sub" "$REFUSED" '"refusal":"tls-alert"'
mock_down

echo "mosquitto_test: $PASSED checks passed, $FAILED failed"
[[ $FAILED -eq 0 ]] || exit 1
echo "mosquitto_test: PASS"
