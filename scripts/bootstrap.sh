#!/usr/bin/env bash
# Installs the Debian 12 packages this project needs that are missing, then
# returns. Both README commands call it; running it again installs nothing
# when nothing is missing. Set ONSMQTT_SKIP_BOOTSTRAP=1 to skip it (e.g. in a
# prepared image).
#
#   scripts/bootstrap.sh          check, install what is missing
#   scripts/bootstrap.sh --list   print the package list, one a line, and exit
#
# One line per phase on stdout; apt's output goes to a log file
# ($ONSMQTT_BOOTSTRAP_LOG, default build/bootstrap.log) whose tail is printed
# only when apt fails. scripts/check-deps.sh (run by .ci/run) fails when the
# build or the tests use a file from a package this list does not bring.
set -euo pipefail

# The one list. Add a package here (one line, with what needs it); the guard
# reads it through --list.
packages=(
  # build
  g++ cmake ninja-build pkg-config
  # libraries (find_package / pkg_check_modules in CMakeLists.txt)
  libssl-dev libyaml-cpp-dev nlohmann-json3-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev
  # command lines (CLI11), XML answers judged by the runner (libxml2)
  libcli11-dev libxml2-dev
  # the contract documentation's Markdown rendered to HTML (cmark-gfm, tables)
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  # packaging: cpack -G DEB (dpkg-shlibdeps computes the .deb's Depends)
  dpkg-dev file
  # tests: openssl CLI (certificates, test PKI), xmllint (JUnit schemas)
  openssl libxml2-utils
  # the HTML report in a real browser (runner/report/html_browser_test.sh)
  chromium
  # README examples (curl against the mock), https to the npm registry
  curl ca-certificates
  # the interop test: official Alibaba Cloud clients (npm ci)
  nodejs npm
  # devices against the mock's MQTT listener (tests/clients/): mosquitto_pub/sub, Paho C
  mosquitto-clients libpaho-mqtt-dev
  # the fuzz preset and scripts/fuzz-smoke.sh: clang, its libFuzzer/ASan/UBSan runtimes
  clang libclang-rt-14-dev
)

if [[ "${1:-}" == "--list" ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
if [[ $# -gt 0 ]]; then
  echo "usage: scripts/bootstrap.sh [--list]" >&2
  exit 2
fi
if [[ "${ONSMQTT_SKIP_BOOTSTRAP:-0}" == "1" ]]; then
  echo "bootstrap: skipped (ONSMQTT_SKIP_BOOTSTRAP=1)"
  exit 0
fi

installed() {  # package -> 0 when dpkg has it fully installed
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

echo "bootstrap: checking ${#packages[@]} Debian packages"
missing=()
for p in "${packages[@]}"; do
  case $p in
    # Node.js may come from elsewhere (e.g. a nodesource nodejs that bundles
    # npm): only the commands matter.
    nodejs) command -v node >/dev/null 2>&1 || missing+=("$p") ;;
    npm) command -v npm >/dev/null 2>&1 || missing+=("$p") ;;
    *) installed "$p" || missing+=("$p") ;;
  esac
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "bootstrap: all ${#packages[@]} packages are installed"
  exit 0
fi
echo "bootstrap: missing: ${missing[*]}"

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "bootstrap: not root and no sudo; install them as root and re-run" >&2
    exit 1
  fi
  sudo=(sudo)
fi

root=$(cd "$(dirname "$0")/.." && pwd)
log=${ONSMQTT_BOOTSTRAP_LOG:-$root/build/bootstrap.log}
mkdir -p "$(dirname "$log")"
: > "$log"

# sudo resets the environment: the variable goes on sudo's command line.
apt() {  # phase text, apt-get arguments...
  local phase=$1
  shift
  echo "bootstrap: $phase (log: $log)"
  echo "=== apt-get $*" >> "$log"
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@" < /dev/null >> "$log" 2>&1; then
    echo "bootstrap: FAILED: apt-get $*; the last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

apt "apt-get update" update
apt "installing ${#missing[@]} packages" install -y --no-install-recommends "${missing[@]}"

still=()
for p in "${missing[@]}"; do
  case $p in
    nodejs) command -v node >/dev/null 2>&1 || still+=("$p") ;;
    npm) command -v npm >/dev/null 2>&1 || still+=("$p") ;;
    *) installed "$p" || still+=("$p") ;;
  esac
done
if [[ ${#still[@]} -gt 0 ]]; then
  echo "bootstrap: FAILED: still not installed: ${still[*]} (see $log)" >&2
  exit 1
fi
echo "bootstrap: done, ${#missing[@]} packages installed"
