#!/usr/bin/env bash
# Installs exactly the Debian 12 packages this project needs and that are
# missing, then returns. Both README commands call it; running it again is a
# no-op. Set ONSMQTT_SKIP_BOOTSTRAP=1 to skip it (e.g. in a prepared image).
set -euo pipefail

if [[ "${ONSMQTT_SKIP_BOOTSTRAP:-0}" == "1" ]]; then
  exit 0
fi

# Build: compiler, CMake, Ninja, pkg-config. Libraries: OpenSSL, yaml-cpp,
# nlohmann/json, cpp-httplib, GoogleTest. Tests: openssl CLI (test PKI),
# xmllint (JUnit schemas), Node.js + npm (official Alibaba Cloud clients),
# curl. Benchmarks install their own extras (bench/*.sh).
packages=(
  g++ cmake ninja-build pkg-config
  libssl-dev libyaml-cpp-dev nlohmann-json3-dev libcpp-httplib-dev libgtest-dev
  openssl libxml2-utils curl ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js may come from Debian (nodejs + npm) or from elsewhere (nodesource
# bundles npm); only install when the commands are absent.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "bootstrap: all required packages are installed"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "bootstrap: missing packages: ${missing[*]}" >&2
    echo "bootstrap: not root and no sudo; install them and re-run" >&2
    exit 1
  fi
fi

echo "bootstrap: installing missing Debian packages: ${missing[*]}"
echo "bootstrap: apt-get update"
"${sudo[@]}" apt-get update -qq
echo "bootstrap: apt-get install -y ${missing[*]}"
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "bootstrap: done"
