#!/usr/bin/env bash
# The .deb: `cpack -G DEB` makes onsmqtt-contract_<version>_<arch>.deb whose
# Depends (dpkg-shlibdeps) name the runtime libraries, with the programs and
# their data under /usr; unpacked, its runner passes from an empty folder.
#
#   tests/packaging/deb_test.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: deb_test.sh BUILD_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb_test: FAIL: $*" >&2; exit 1; }
# A sanitizer build is too slow for a burst's min_rate (cmake/install.cmake).
burst_filter=()
if [[ -n ${ONSMQTT_SANITIZED:-} ]]; then burst_filter=(--filter '^(?!.*(throttling[.]yaml|[.]a burst of))'); fi

(cd "$build" && cpack -G DEB -B "$work/out") > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack -G DEB"; }
deb=$(find "$work/out" -maxdepth 1 -name 'onsmqtt-contract_*.deb' | head -n 1)
[[ -n $deb ]] || { cat "$work/cpack.log"; fail "no onsmqtt-contract_*.deb"; }
depends=$(dpkg-deb -f "$deb" Depends)
echo "deb_test: $(basename "$deb"): Depends: $depends"
for lib in libssl3 libyaml-cpp0.7 libcpp-httplib0.11 libxml2 libstdc++6 libc6; do
  tr ',|' '\n\n' <<< "$depends" | sed 's/^ *//; s/[ (].*//' | grep -qx "$lib" || fail "Depends lacks $lib"
done
dpkg-deb -c "$deb" | awk '{print $NF}' > "$work/files"
for f in ./usr/bin/onsmqtt-runner ./usr/bin/onsmqtt-mock ./usr/share/onsmqtt-contract/scenarios/scenario.schema.json \
  ./usr/share/onsmqtt-contract/fixtures/default.yaml ./usr/share/onsmqtt-contract/fixtures/pki/ca-a.pem \
  ./usr/share/onsmqtt-contract/contract/onsmqtt-2020-04-20.yaml; do
  grep -qx -- "$f" "$work/files" || fail "the package lacks $f"
done
dpkg-deb -x "$deb" "$work/root"
mkdir "$work/empty"
rc=0
(cd "$work/empty" && "$work/root/usr/bin/onsmqtt-runner" --no-color --quiet "${burst_filter[@]}") > "$work/run.out" 2>&1 || rc=$?
tail -n 2 "$work/run.out"
[[ $rc -eq 0 ]] || { cat "$work/run.out"; fail "the packaged runner exited $rc from an empty folder"; }
echo "deb_test: PASS"
