#!/usr/bin/env bash
# doc_links_test.sh in a copied tree without git, as scripts/fresh-machine.sh
# makes one, after a run wrote reports/: the generated pages (whose links
# point to each other inside reports/docs/) are not the repository's docs,
# and a broken link of a tracked page is still found.
#
#   tests/packaging/doc_links_nogit_test.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd -P)
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
# The tracked files (or, in a tree that is itself a copy, what is there but
# the programs' output).
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$root" && git ls-files -z | xargs -0 tar -cf - --) | tar -xf - -C "$copy"
else
  (cd "$root" && tar -cf - --exclude='./build*' --exclude=./reports --exclude=node_modules .) | tar -xf - -C "$copy"
  mkdir -p "$copy/reports" && cp "$root/reports/README.md" "$copy/reports/"
fi
mkdir -p "$copy/reports/docs"
printf '# Index\n\n[ActiveDeviceCertificate](ActiveDeviceCertificate.md)\n' >"$copy/reports/docs/index.md"
printf '# ActiveDeviceCertificate\n\n[back](index.md)\n' >"$copy/reports/docs/ActiveDeviceCertificate.md"
if ! out=$("$copy/tests/packaging/doc_links_test.sh" 2>&1); then
  echo "doc_links_nogit_test: FAIL: generated reports were judged as docs:"
  echo "$out"
  exit 1
fi
echo '[broken](no/such/file.md)' >>"$copy/fixtures/README.md"
if out=$("$copy/tests/packaging/doc_links_test.sh" 2>&1); then
  echo "doc_links_nogit_test: FAIL: a broken link of a tracked page passed without git"
  exit 1
fi
grep -qF 'fixtures/README.md: "no/such/file.md" does not exist' <<<"$out" || {
  echo "doc_links_nogit_test: FAIL: the broken link is not named: $out"
  exit 1
}
echo "doc_links_nogit_test: PASS"
