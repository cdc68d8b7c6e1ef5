#!/usr/bin/env bash
# The build step that checks and embeds the contract (embed_contract.cc):
# the shipped contract passes and is embedded as written; a broken copy
# stops the step with exit 1 and a file:line:col diagnostic, and writes no
# output.
#
#   contract/embed_contract_test.sh GENERATOR CONTRACT.yaml
set -euo pipefail
gen=$1 contract=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$gen" "$contract" contract/c.yaml "$tmp/ok.cc" || fail "the shipped contract was refused"
grep -q 'BuiltinContractPath() { return "contract/c.yaml"; }' "$tmp/ok.cc" || fail "no path in the output"
grep -q '^product: OnsMqtt$' "$tmp/ok.cc" || fail "the text is not embedded as written"

# A misspelled key: a loader error, not a YAML one.
line=$(grep -n -m1 '^    sdk_method: ' "$contract" | cut -d: -f1)
sed "${line}s/sdk_method:/sdk_methd:/" "$contract" >"$tmp/broken.yaml"
if "$gen" "$tmp/broken.yaml" contract/c.yaml "$tmp/broken.cc" 2>"$tmp/err"; then fail "a broken contract passed"; fi
grep -q "^$tmp/broken.yaml:$line:5: error: .*did you mean \"sdk_method\"" "$tmp/err" ||
  { cat "$tmp/err"; fail "no file:line:col diagnostic"; }
grep -q '\^' "$tmp/err" || { cat "$tmp/err"; fail "no caret under the source line"; }
[[ ! -e "$tmp/broken.cc" ]] || fail "output written for a broken contract"

# A YAML syntax error.
printf 'product: [OnsMqtt\n' >"$tmp/syntax.yaml"
if "$gen" "$tmp/syntax.yaml" contract/c.yaml "$tmp/syntax.cc" 2>"$tmp/err"; then fail "a syntax error passed"; fi
grep -q "^$tmp/syntax.yaml:[0-9]*:[0-9]*: error: " "$tmp/err" || { cat "$tmp/err"; fail "no position for a syntax error"; }
echo "ok"
