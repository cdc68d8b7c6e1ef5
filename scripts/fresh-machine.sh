#!/usr/bin/env bash
# The README's two commands on a fresh Debian 12 machine, for contributors:
#
#   1. builds a pristine minimal bookworm root (debootstrap --variant=minbase,
#      plus sudo) with the mirror taken from this host's apt sources;
#   2. copies the working tree in (the files git tracks or would track,
#      edits included), adds a user with passwordless sudo, and runs, as that
#      user, `scripts/run.sh` then `scripts/test.sh`, then the bootstrap
#      guard `scripts/check-deps.sh`;
#   3. makes the .deb there (cpack -G DEB), installs it with apt-get into a
#      second pristine root (so its Depends alone must bring what it needs)
#      and runs `onsmqtt-runner` from an empty folder.
#
# Prints each command's exit code and counts, unmounts all it mounted (also
# on failure and Ctrl-C), and exits 0 only when everything passed.
#
#   sudo scripts/fresh-machine.sh [--keep] [--refresh] [--work DIR]
#
#   --work DIR  where the roots, logs and the cache live
#               (default /var/tmp/onsmqtt-fresh; needs ~3 GB)
#   --refresh   rebuild the cached pristine root (the first run makes it:
#               debootstrap takes a few minutes; later runs unpack it)
#   --keep      keep the roots afterwards (for a look inside: chroot DIR/root)
#
# Needs root, debootstrap and the network to the Debian mirror and the npm
# registry. ONSMQTT_FRESH_MIRROR overrides the mirror. Takes 20-40 minutes
# (a full build with no compiler cache). Logs: DIR/logs/.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
work=/var/tmp/onsmqtt-fresh
keep=0
refresh=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --work) work=${2:?--work needs a folder}; shift 2 ;;
    --keep) keep=1; shift ;;
    --refresh) refresh=1; shift ;;
    -h | --help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-machine: unknown option \"$1\" (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "fresh-machine: $*"; }
die() { echo "fresh-machine: error: $*" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot, mount): sudo $0"
command -v debootstrap > /dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
command -v git > /dev/null || die "git is needed to list the working tree's files"

mkdir -p "$work/cache" "$work/logs"
work=$(cd "$work" && pwd)
logs=$work/logs
rm -f "$logs"/*.log

# --- the mirror, from this host's apt sources ------------------------------
# One-line sources (deb [options] URI SUITE COMPONENTS...) and deb822 ones
# (Types/URIs/Suites/Components, Enabled: no skipped) -> "URI SUITE" lines.
host_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 4 {for (i = 4; i <= NF; i++) if ($i == "main") print $2, $3}'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk 'function flush() { if (types ~ /(^| )deb( |$)/ && comps ~ /(^| )main( |$)/ && enabled != "no") {
                              n = split(uris, u, " "); m = split(suites, s, " ")
                              for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j] }
                            types = uris = suites = comps = enabled = "" }
         /^#/ {next}
         /^[ \t]*$/ {flush(); next}
         {key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ /, "")}
         key == "types" {types = $0} key == "uris" {uris = $0} key == "suites" {suites = $0}
         key == "components" {comps = $0} key == "enabled" {enabled = tolower($0)}
         END {flush()}' "$f"
  done
}
mapfile -t sources < <(host_sources | awk '$2 ~ /^bookworm(-updates|-security|\/updates)?$/' | sort -u)
mirror=${ONSMQTT_FRESH_MIRROR:-}
if [[ -z $mirror ]]; then
  mirror=$(printf '%s\n' "${sources[@]}" | awk '$2 == "bookworm" {print $1; exit}')
fi
[[ -n $mirror ]] || die "no 'deb URI bookworm main' in /etc/apt/sources.list{,.d/*.list,.d/*.sources}; set ONSMQTT_FRESH_MIRROR"
[[ ${#sources[@]} -gt 0 ]] || sources=("$mirror bookworm")
say "mirror $mirror (from this host's apt sources; ${#sources[@]} bookworm entries)"

# --- mounts, undone on any exit --------------------------------------------
mounts=()
kill_inside() {  # root: ends the processes still running in it (started by this script)
  local p
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/root" 2> /dev/null) == "$1" ]] && kill -TERM "${p#/proc/}" 2> /dev/null
  done
  return 0
}
cleanup() {
  local i
  kill_inside "$work/root"
  kill_inside "$work/deb-root"
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[i]}" 2> /dev/null || umount -l "${mounts[i]}" 2> /dev/null ||
      echo "fresh-machine: could not unmount ${mounts[i]}" >&2
  done
  mounts=()
  if [[ $keep -eq 0 ]]; then rm -rf --one-file-system "$work/root" "$work/deb-root"; fi
}
trap cleanup EXIT
trap 'echo "fresh-machine: interrupted" >&2; exit 130' INT TERM

# Left over by a run that was killed hard: unmount before reusing the folder.
while read -r _ m _; do
  case $m in "$work"/*) umount -l "$m" 2> /dev/null || true ;; esac
done < <(sort -r -k2 /proc/mounts)

mount_into() {  # root: proc, sys, dev, dev/pts, dev/shm; resolv.conf copied
  local r=$1
  mount -t proc proc "$r/proc" && mounts+=("$r/proc")
  mount -t sysfs sysfs "$r/sys" && mounts+=("$r/sys")
  mount --bind /dev "$r/dev" && mounts+=("$r/dev")
  mount --bind /dev/pts "$r/dev/pts" && mounts+=("$r/dev/pts")
  if [[ -d /dev/shm ]]; then mount --bind /dev/shm "$r/dev/shm" && mounts+=("$r/dev/shm"); fi
  cp -L /etc/resolv.conf "$r/etc/resolv.conf"
}

# --- a pristine root, from the cache ---------------------------------------
key=$(printf 'minbase sudo %s\n' "$mirror" | sha256sum | cut -c1-12)
pristine=$work/cache/bookworm-minbase-sudo-$key.tar
new_root() {  # dir: a pristine root with the host's bookworm sources and a user "dev"
  local r=$1
  rm -rf --one-file-system "$r"
  mkdir -p "$r"
  tar -C "$r" -xpf "$pristine"
  printf 'deb %s main\n' "${sources[@]}" > "$r/etc/apt/sources.list"
  rm -f "$r"/etc/apt/sources.list.d/*
  chroot "$r" useradd -m -s /bin/bash dev
  echo 'dev ALL=(ALL) NOPASSWD: ALL' > "$r/etc/sudoers.d/dev"
  chmod 0440 "$r/etc/sudoers.d/dev"
  # What the Debian installer writes (debootstrap writes none): the tests
  # reach their servers as "localhost" (the TLS certificate's name).
  [[ -s $r/etc/hosts ]] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$r/etc/hosts"
  echo "127.0.1.1 $(hostname)" >> "$r/etc/hosts"
  # This site's own trusted CAs (e.g. a TLS-inspecting egress to the npm
  # registry), as a new machine here would have them: ca-certificates adds
  # them to the system store when bootstrap installs it.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' > /dev/null; then
    mkdir -p "$r/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$r/usr/local/share/ca-certificates/"
  fi
}
if [[ $refresh -eq 1 || ! -s $pristine ]]; then
  say "debootstrap --variant=minbase --include=sudo bookworm (log: $logs/debootstrap.log)"
  rm -rf --one-file-system "$work/bootstrap-root"
  if ! debootstrap --variant=minbase --include=sudo bookworm "$work/bootstrap-root" "$mirror" > "$logs/debootstrap.log" 2>&1; then
    tail -n 20 "$logs/debootstrap.log" >&2
    die "debootstrap failed"
  fi
  rm -rf "$work/bootstrap-root"/var/cache/apt/archives/*.deb "$work/bootstrap-root"/var/lib/apt/lists/*_*
  tar -C "$work/bootstrap-root" -cpf "$pristine.tmp" . && mv "$pristine.tmp" "$pristine"
  rm -rf --one-file-system "$work/bootstrap-root"
else
  say "pristine root from the cache ($pristine)"
fi

in_root() {  # root, log, command: runs `bash -c command` as dev in ~/onsmqtt-contract; exit code
  local r=$1 log=$2 cmd=$3
  local env=""
  # Node.js trusts the system store only through this (set on this host too).
  [[ -z ${NODE_EXTRA_CA_CERTS:-} ]] || env="export NODE_EXTRA_CA_CERTS='$NODE_EXTRA_CA_CERTS'; "
  chroot "$r" /usr/sbin/runuser -l dev -c "$env cd ~/onsmqtt-contract 2> /dev/null || cd ~; $cmd" > "$log" 2>&1 < /dev/null
}

root=$work/root
new_root "$root"
mount_into "$root"
say "fresh root $root: $(chroot "$root" dpkg-query -W | wc -l) packages, user dev with passwordless sudo"

# The working tree: what git tracks or would track (not ignored), as dev.
dest=$root/home/dev/onsmqtt-contract
mkdir -p "$dest"
(cd "$src" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -C "$dest" -xpf -
chroot "$root" chown -R dev:dev /home/dev/onsmqtt-contract
say "copied $(cd "$dest" && find . -type f | wc -l) files of the working tree to ~dev/onsmqtt-contract"

failed=0
result() {  # label, exit code, extra
  local label=$1 rc=$2 extra=${3:-}
  [[ $rc -eq 0 ]] || failed=1
  say "$label: exit $rc${extra:+; $extra}"
}
runner_counts() {  # log -> the runner's summary line
  grep -E '[0-9]+ passed' "$1" | tail -n 1 | sed 's/\x1b\[[0-9;]*m//g; s/^ *//' || true
}

say "as dev: scripts/run.sh (log: $logs/run.log)"
rc=0; in_root "$root" "$logs/run.log" "scripts/run.sh --no-color" || rc=$?
grep '^bootstrap:' "$logs/run.log" | sed 's/^/  /' || true
result "scripts/run.sh" "$rc" "runner: $(runner_counts "$logs/run.log")"
[[ $rc -eq 0 ]] || tail -n 30 "$logs/run.log" | sed 's/^/  | /' || true

say "as dev: scripts/test.sh (log: $logs/test.log)"
rc=0; in_root "$root" "$logs/test.log" "scripts/test.sh" || rc=$?
grep '^bootstrap:' "$logs/test.log" | sed 's/^/  /' || true
result "scripts/test.sh" "$rc" "ctest: $(grep -E 'tests passed|tests failed' "$logs/test.log" | tail -n 1)"
[[ $rc -eq 0 ]] || grep -E '^ +[0-9]+ - .*\((Failed|Timeout|SEGFAULT|Subprocess aborted)\)$|^(CMake Error|ninja: build stopped)' "$logs/test.log" | head -n 20 | sed 's/^/  | /' || true

say "as dev: scripts/check-deps.sh (log: $logs/check-deps.log)"
rc=0; in_root "$root" "$logs/check-deps.log" "scripts/check-deps.sh" || rc=$?
result "scripts/check-deps.sh" "$rc" "$(tail -n 1 "$logs/check-deps.log")"

say "as dev: cpack -G DEB (log: $logs/cpack.log)"
rc=0; in_root "$root" "$logs/cpack.log" "cd build && rm -f onsmqtt-contract_*.deb && cpack -G DEB" || rc=$?
deb=$(find "$dest/build" -maxdepth 1 -name 'onsmqtt-contract_*.deb' 2> /dev/null | head -n 1)
[[ -n $deb || $rc -ne 0 ]] || rc=1
result "cpack -G DEB" "$rc" "${deb:+$(basename "$deb"), Depends: $(dpkg-deb -f "$deb" Depends)}"

if [[ -n $deb ]]; then
  # A second pristine root: only the package and what its Depends bring.
  deb_root=$work/deb-root
  new_root "$deb_root"
  mount_into "$deb_root"
  cp "$deb" "$deb_root/tmp/"
  say "as dev in a second pristine root: apt-get install ./$(basename "$deb") (log: $logs/deb-install.log)"
  rc=0
  in_root "$deb_root" "$logs/deb-install.log" \
    "sudo env DEBIAN_FRONTEND=noninteractive apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/$(basename "$deb")" || rc=$?
  result "apt-get install of the .deb" "$rc" "$(grep -E 'newly installed' "$logs/deb-install.log" | tail -n 1)"
  say "as dev: onsmqtt-runner from an empty folder (log: $logs/deb-run.log)"
  rc=0
  in_root "$deb_root" "$logs/deb-run.log" "mkdir -p ~/empty && cd ~/empty && command -v onsmqtt-runner && onsmqtt-runner --no-color" || rc=$?
  result "onsmqtt-runner (installed) from an empty folder" "$rc" "runner: $(runner_counts "$logs/deb-run.log")"
  [[ $rc -eq 0 ]] || tail -n 20 "$logs/deb-run.log" | sed 's/^/  | /' || true
fi

if [[ $failed -eq 0 ]]; then say "PASS"; else say "FAIL (logs: $logs)"; fi
exit $failed
