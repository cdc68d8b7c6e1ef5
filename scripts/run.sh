#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs every scenario in
# scenarios/ against the embedded mock, writing reports/junit.xml. Any extra
# arguments go to onsmqtt-runner (see onsmqtt-runner --help).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"
if [[ -x build/runner/onsmqtt-runner ]]; then
  exec build/runner/onsmqtt-runner "$@"
fi
echo "onsmqtt-runner is not built yet; built so far:"
find build -maxdepth 2 -type f -perm -u+x -name 'onsmqtt-*' -o -maxdepth 2 -type f -perm -u+x -name '*_tests'
