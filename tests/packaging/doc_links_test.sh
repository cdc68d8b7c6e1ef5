#!/usr/bin/env bash
# Every relative link of the tracked Markdown files ([text](path) and
# `../path` mentions) names a file or folder inside the repository: a
# reader of a checkout or of the installed docs has nothing else.
#
#   tests/packaging/doc_links_test.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$root"
found=$(mktemp)
trap 'rm -f "$found"' EXIT
while IFS= read -r md; do
  dir=$(dirname "$md")
  # [text](target) links, and `../...` mentions in backquotes.
  { grep -o '](\([^)#]*\)' "$md" | sed 's/^](//' || true
    grep -o '`\.\./[^` ]*`' "$md" | tr -d '`' || true; } |
    while IFS= read -r target; do
      case $target in '' | http://* | https://* | mailto:*) continue ;; esac
      target=${target%% *}
      resolved=$(realpath -m "$dir/$target")
      if [[ $resolved != "$root" && $resolved != "$root"/* ]]; then
        echo "$md: \"$target\" points outside the repository" | tee -a "$found"
      elif [[ $resolved == "$root"/reports/* && $resolved != "$root"/reports/README.md ]]; then
        # What scripts/run.sh writes (reports/junit.xml, index.html, docs/):
        # absent until the first run, named by reports/README.md.
        grep -qF "${resolved#"$root"/reports/}" "$root"/reports/README.md ||
          echo "$md: \"$target\" is not a report reports/README.md names" | tee -a "$found"
      elif [[ ! -e $resolved ]]; then
        echo "$md: \"$target\" does not exist" | tee -a "$found"
      fi
    done
# Without git (a copied tree, as scripts/fresh-machine.sh makes): the same
# files, so not what the programs wrote (build*/, reports/ but its README,
# node_modules/): generated pages link to each other, not to tracked files.
done < <(git ls-files '*.md' 2> /dev/null ||
  find . -name '*.md' -not -path './build*' -not -path '*/node_modules/*' \
    \( -not -path './reports/*' -o -path ./reports/README.md \))
bad=$(wc -l < "$found")
if [[ $bad -gt 0 ]]; then
  echo "doc_links_test: FAIL: $bad broken link(s)" >&2
  exit 1
fi
echo "doc_links_test: PASS"
