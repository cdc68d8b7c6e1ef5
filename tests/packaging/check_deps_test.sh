#!/usr/bin/env bash
# The bootstrap guard catches a package missing from the bootstrap list:
# scripts/check-deps.sh against the list without libgmock-dev (the bug of
# issue 8: GoogleTest's mocks come in their own package) and without
# libyaml-cpp-dev must fail and name both. And README.md's copy of the list
# ("The two commands") names the same packages in the same order.
#
#   tests/packaging/check_deps_test.sh BUILD_DIR      (after a full build)
set -euo pipefail
build=${1:?usage: check_deps_test.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_deps_test: FAIL: $*" >&2; exit 1; }

"$root/scripts/bootstrap.sh" --list > "$work/full"
tr '\n' ' ' < "$root/README.md" | grep -o 'printed by `scripts/bootstrap.sh --list`: `[^`]*`' |
  sed 's/.*: `//; s/`$//' | tr -s ' ' '\n' | grep . > "$work/readme" || true
diff "$work/full" "$work/readme" > "$work/readme.diff" ||
  { cat "$work/readme.diff"; fail "README.md's package list (The two commands) differs from scripts/bootstrap.sh --list (< list, > README)"; }
grep -qx libgmock-dev "$work/full" || fail "libgmock-dev is not in the bootstrap list"
grep -vx -e libgmock-dev -e libyaml-cpp-dev "$work/full" > "$work/short"

rc=0
"$root/scripts/check-deps.sh" --build "$build" --packages "$work/short" > "$work/out" 2>&1 || rc=$?
cat "$work/out"
[[ $rc -eq 1 ]] || fail "expected exit 1 without libgmock-dev and libyaml-cpp-dev, got $rc"
for p in libgmock-dev libyaml-cpp-dev; do
  grep -q "^check-deps: add to the list in scripts/bootstrap.sh:.* $p\b" "$work/out" ||
    grep -q "^check-deps: add to the list in scripts/bootstrap.sh: $p\b" "$work/out" ||
    fail "the verdict does not name $p"
done
echo "check_deps_test: PASS"
