#!/usr/bin/env bash
# The bootstrap guard: fails when the build or the tests used a file that
# belongs to a Debian package scripts/bootstrap.sh does not install, neither
# directly nor as a dependency. Run it after a build (and, for the tools,
# where the tests run); .ci/run does so after scripts/test.sh.
#
#   scripts/check-deps.sh [--build DIR] [--packages FILE]
#
#   --build DIR      the build tree to inspect (default: build)
#   --packages FILE  the package list, one a line (default: the output of
#                    scripts/bootstrap.sh --list); the guard's own test
#                    passes a list with a package left out
#
# What counts as used:
#   - every header the compiler read (`ninja -t deps`) outside the source
#     and build trees;
#   - every absolute PATH/FILEPATH of CMakeCache.txt (compiler, tools,
#     libraries; for a *_DIR, the package configuration files in it), the
#     .pc files of the pkg-config modules, cmake/ctest/cpack themselves;
#   - every absolute library path a link step names (build.ninja);
#   - the commands the tests and scripts run (TOOLS below).
# What counts as installed: the closure of the list over Depends and
# Pre-Depends (`apt-cache depends --recurse --important`), plus the packages
# every Debian system has (Essential: yes or Priority: required; debootstrap's
# minbase installs exactly those and apt).
#
# Exit 0: all covered. 1: a package (named) or an unowned file is missing
# from the list. 2: usage or environment error (no build tree, no dpkg).
set -euo pipefail

# The commands the tests and scripts call beside the compiler and CMake.
TOOLS=(bash env openssl xmllint node npm sha256sum curl chromium mosquitto_pub mosquitto_sub)

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
list_file=
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=${2:?--build needs a folder}; shift 2 ;;
    --packages) list_file=${2:?--packages needs a file}; shift 2 ;;
    -h | --help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-deps: unknown option \"$1\" (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "check-deps: error: $*" >&2; exit 2; }
for c in dpkg-query apt-cache ninja; do
  command -v "$c" >/dev/null || die "$c is not installed (a Debian system with the build tools is needed)"
done
[[ -f $build/CMakeCache.txt && -f $build/build.ninja ]] ||
  die "no configured Ninja build in $build (run scripts/test.sh or pass --build DIR)"
build=$(cd "$build" && pwd -P)
src=$(cd "$root" && pwd -P)

if [[ -n $list_file ]]; then
  mapfile -t packages < <(grep -v '^[[:space:]]*\(#\|$\)' "$list_file")
else
  mapfile -t packages < <("$root/scripts/bootstrap.sh" --list)
fi
[[ ${#packages[@]} -gt 0 ]] || die "the package list is empty"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- what is installed: the closure of the list, plus the base system -----
closure() {  # packages... -> their names and those of their dependencies
  apt-cache depends --recurse --important "$@" 2> "$work/depends.err" | grep -v '^ ' | tr -d '<>' | sed 's/:.*//'
  [[ ${PIPESTATUS[0]} -eq 0 ]] || {
    cat "$work/depends.err" >&2
    die "apt-cache cannot resolve $* (run apt-get update; is every name a Debian package?)"
  }
}
# apt-cache takes a second or two: the closure is kept in the build tree
# while the list, the installed packages and the package lists are the same.
key=$(printf '%s\n' "${packages[@]}" | sort | cat - <(stat -c '%Y %s' /var/lib/dpkg/status \
  /var/cache/apt/pkgcache.bin 2> /dev/null) | sha256sum | cut -c1-16)
cached=$build/check-deps/closure-$key
if [[ -s $cached ]]; then
  cp "$cached" "$work/closure"
else
  {
    closure "${packages[@]}"
    dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' | awk '$2 == "yes" || $3 == "required" {print $1}'
  } | sort -u > "$work/closure"
  mkdir -p "$build/check-deps"
  rm -f "$build"/check-deps/closure-*
  cp "$work/closure" "$cached"
fi

# --- what was used ----------------------------------------------------------
outside() { grep '^/' | grep -v -e "^$src/" -e "^$build/" || true; }
ninja -C "$build" -t deps 2> /dev/null | awk '/^    \//{print $1}' | sort -u | outside > "$work/headers"

cache=$build/CMakeCache.txt
{
  sed -n 's/^[A-Za-z0-9_.+-]*:\(PATH\|FILEPATH\)=\(\/.*\)$/\2/p' "$cache" | grep -v -- '-NOTFOUND$'
  sed -n 's/^CMAKE_\(COMMAND\|CTEST_COMMAND\|CPACK_COMMAND\):INTERNAL=\(\/.*\)$/\2/p' "$cache"
} | sort -u > "$work/cache-paths"
: > "$work/config"
while IFS= read -r p; do
  case $p in /usr/local | /usr/local/*) continue ;; esac  # CMAKE_INSTALL_PREFIX
  if [[ -d $p ]]; then
    find "$p" -maxdepth 1 -type f \( -name '*.cmake' -o -name '*.pc' \) >> "$work/config"
  elif [[ -e $p ]]; then
    echo "$p" >> "$work/config"
  fi
done < "$work/cache-paths"
for m in $(sed -n 's/^[A-Za-z0-9_]*_MODULE_NAME:INTERNAL=//p' "$cache"); do
  pkg-config --path "$m" >> "$work/config" 2> /dev/null || true
done

sed -n 's/^ *LINK_LIBRARIES = //p' "$build/build.ninja" | tr ' ' '\n' | sed 's/^-Wl,//' |
  grep '^/' | sort -u | outside > "$work/libs"

: > "$work/tools"
for t in "${TOOLS[@]}"; do
  if p=$(command -v "$t"); then echo "$p" >> "$work/tools"; else echo "$t" >> "$work/no-tools"; fi
done
if [[ -s $work/no-tools ]]; then
  echo "check-deps: FAIL: commands the tests run are not installed: $(tr '\n' ' ' < "$work/no-tools")" >&2
  exit 1
fi

sort -u "$work/headers" "$work/config" "$work/libs" "$work/tools" > "$work/used"

# --- who owns them: one dpkg -S for all, then the resolved path ------------
owners() {  # paths on stdin -> "package<TAB>path" lines
  local args
  mapfile -t args
  [[ ${#args[@]} -gt 0 ]] || return 0
  dpkg-query -S "${args[@]}" 2> /dev/null | grep -v '^diversion ' |
    awk -F': ' '{n = split($1, p, ", "); for (i = 1; i <= n; i++) { sub(/:.*/, "", p[i]); print p[i] "\t" $2 }}' || true
}
owners < "$work/used" > "$work/owned"
cut -f2 "$work/owned" | sort -u > "$work/owned-paths"
comm -23 "$work/used" "$work/owned-paths" > "$work/unowned"
# Not registered as used (an alternatives symlink, a merged /usr path):
# try where it points, and the other side of /usr.
: > "$work/alias"
while IFS= read -r p; do
  r=$(readlink -f "$p" || echo "$p")
  for q in "$r" "${r#/usr}" "/usr$r"; do [[ $q != "$p" ]] && printf '%s\t%s\n' "$q" "$p"; done
done < "$work/unowned" | sort -u > "$work/alias"
cut -f1 "$work/alias" | sort -u | owners |
  awk -F'\t' 'NR == FNR {from[$1] = from[$1] " " $2; next}
              ($2 in from) {n = split(from[$2], f, " "); for (i = 1; i <= n; i++) print $1 "\t" f[i]}' \
    "$work/alias" - >> "$work/owned"
cut -f2 "$work/owned" | sort -u > "$work/owned-paths"
comm -23 "$work/used" "$work/owned-paths" > "$work/unowned"

# --- verdict ----------------------------------------------------------------
# A path is covered when any of its owners is in the closure.
awk -F'\t' 'NR == FNR {ok[$1] = 1; next}
            {if ($1 in ok) covered[$2] = 1; else cand[$2] = cand[$2] " " $1}
            END {for (p in cand) if (!(p in covered)) {
                   n = split(cand[p], c, " "); for (i = 1; i <= n; i++) print c[i] "\t" p }}' \
  "$work/closure" "$work/owned" | sort > "$work/missing"

n_used=$(wc -l < "$work/used")
n_pkgs=$(cut -f1 "$work/owned" | sort -u | wc -l)
summary="$n_used files ($(wc -l < "$work/headers") headers, $(wc -l < "$work/config") CMake/pkg-config files and tools, $(wc -l < "$work/libs") libraries, ${#TOOLS[@]} commands) from $n_pkgs packages"
status=0
if [[ -s $work/missing ]]; then
  status=1
  echo "check-deps: FAIL: the build or the tests used files of packages scripts/bootstrap.sh does not install:" >&2
  cut -f1 "$work/missing" | sort | uniq -c | while read -r count pkg; do
    example=$(awk -F'\t' -v p="$pkg" '$1 == p {print $2; exit}' "$work/missing")
    echo "  $pkg ($count file$([[ $count -eq 1 ]] || echo s), e.g. $example)" >&2
  done
  # Suggest the packages that bring the others (libyaml-cpp-dev, not also
  # its libyaml-cpp0.7).
  mapfile -t need < <(cut -f1 "$work/missing" | sort -u)
  apt-cache depends --important "${need[@]}" 2> /dev/null |
    awk '/^[^ ]/ {pkg = $1; next} {d = $NF; gsub(/[<>]/, "", d); sub(/:.*/, "", d); if (d != pkg) print d}' |
    sort -u > "$work/implied" || true
  echo "check-deps: add to the list in scripts/bootstrap.sh: $(printf '%s\n' "${need[@]}" |
    grep -vxF -f "$work/implied" | tr '\n' ' ')" >&2
fi
if [[ -s $work/unowned ]]; then
  status=1
  echo "check-deps: FAIL: used files that no Debian package installs (bootstrap cannot provide them):" >&2
  sed 's/^/  /' "$work/unowned" | head -20 >&2
fi
if [[ $status -eq 0 ]]; then
  echo "check-deps: OK: $summary; all within the closure of scripts/bootstrap.sh's ${#packages[@]} packages ($(wc -l < "$work/closure") with dependencies and the base system)"
fi
exit $status
