#!/usr/bin/env bash
# The HTML run report in a real browser: headless Chromium loads REPORT and
# dumps the DOM after the page's script ran (--dump-dom, with a virtual
# time budget), with its console on stderr (--enable-logging=stderr: each
# console message, uncaught exceptions and Content-Security-Policy
# violations included, is a line with "CONSOLE").
#
#   runner/report/html_browser_test.sh REPORT.html
#
# Checks, on any report:
#   - every scenario row of the file is in the DOM, none hidden, and the
#     filter bar is shown (the script ran);
#   - the console stays silent, on every load;
#   - "#status=failed" hides exactly the rows that did not fail, and
#     "#status=failed,error&tag=T" (T: the report's first tag) exactly those
#     not failed or errored or without T;
#   - "#<id of a closed row>" opens that row;
#   - clicking a status, choosing a tag and typing a name (from a test page
#     that holds the report in a frame) hide exactly the rows they should
#     and write the filter into the fragment;
# and that the console check works: a copy with a script error (and no
# CSP) must log "Uncaught"; a copy whose script was altered must log a CSP
# violation and run nothing, which shows the page as without script:
# every row shown, failed and errored ones open.
#
# Exits 77 (ctest SKIP_RETURN_CODE) when no Chromium is installed
# ($CHROMIUM, else chromium, chromium-browser or google-chrome on PATH);
# any other problem fails.
set -euo pipefail

REPORT=${1:?usage: html_browser_test.sh REPORT.html}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/scripts/lib.sh"

fail() { echo "html_browser_test: FAIL: $*" >&2; exit 1; }

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [[ -z $CHROMIUM ]]; then
  echo "html_browser_test: SKIP: no Chromium found (apt-get install chromium, or set CHROMIUM)"
  exit 77
fi
[[ -f $REPORT ]] || fail "no report at $REPORT"
scratch_init
cp "$REPORT" "$WORK/report.html"

# load NAME FILE FRAGMENT [FLAGS...]: FILE#FRAGMENT's DOM to $WORK/NAME.dom,
# Chromium's log to $WORK/NAME.log. Root needs --no-sandbox; a profile and
# a HOME of its own keep runs apart and off the user's files.
load() {
  local name=$1 file=$2 fragment=$3 code=0
  shift 3
  mkdir -p "$WORK/home"
  HOME=$WORK/home timeout -k 5 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$WORK/profile-$name" --enable-logging=stderr --v=0 --virtual-time-budget=5000 "$@" \
    --dump-dom "file://$file${fragment:+#$fragment}" \
    > "$WORK/$name.dom" 2> "$WORK/$name.log" || code=$?
  ((code == 0)) || { tail -n 20 "$WORK/$name.log" >&2; fail "$name: chromium exited $code"; }
  grep -q '</html>' "$WORK/$name.dom" || fail "$name: no DOM dumped"
}

console() { grep -a 'CONSOLE' "$WORK/$1.log" || true; }

quiet() {
  local messages
  messages=$(console "$1")
  [[ -z $messages ]] || fail "$1: console messages:"$'\n'"$messages"
}

# rows NAME: one line per scenario row of NAME's DOM:
#   <id> <status> <shown|hidden> <open|closed> <tags...>
rows() {
  local tag
  grep -aoE '<details class="scenario [a-z]+"( [a-z-]+="[^"]*")*>' "$WORK/$1.dom" | while IFS= read -r tag; do
    local id status tags vis=shown open=closed
    id=$(sed -n 's/.* id="\([^"]*\)".*/\1/p' <<< "$tag")
    status=$(sed -n 's/.* data-status="\([^"]*\)".*/\1/p' <<< "$tag")
    tags=$(sed -n 's/.* data-tags="\([^"]*\)".*/\1/p' <<< "$tag")
    [[ $tag == *' hidden=""'* ]] && vis=hidden
    [[ $tag == *' open=""'* ]] && open=open
    echo "$id $status $vis $open $tags"
  done
}

# filtered NAME STATUSES [TAG]: a row is shown exactly when its status is
# one of STATUSES (comma-separated) and it has TAG.
filtered() {
  local name=$1 statuses=$2 want_tag=${3:-} id status vis open tags want bad=0
  while read -r id status vis open tags; do
    want=hidden
    if [[ ",$statuses," == *",$status,"* && ( -z $want_tag || " $tags " == *" $want_tag "* ) ]]; then want=shown; fi
    [[ $vis == "$want" ]] || { echo "  $id ($status, tags: $tags) is $vis" >&2; bad=1; }
  done < <(rows "$name")
  ((bad == 0)) || fail "$name: the filter did not hide exactly the rows it should"
}

expected=$(grep -o ' data-status="' "$WORK/report.html" | wc -l || true)
((expected > 0)) || fail "the report has no scenario row"

# Plain load: everything there, the script ran, silently.
load plain "$WORK/report.html" ""
quiet plain
[[ $(rows plain | wc -l) == "$expected" ]] || fail "plain: $(rows plain | wc -l) rows in the DOM, $expected in the file"
filtered plain passed,failed,error,skipped
grep -q '<nav id="filters">' "$WORK/plain.dom" || fail "plain: the filter bar is still hidden: the script did not run"

# Filters from the fragment.
load failed "$WORK/report.html" "status=failed"
quiet failed
filtered failed failed
tag=$(grep -o '<option value="[A-Za-z0-9._-]\+"' "$WORK/report.html" | sed -n '1s/.*value="\(.*\)"/\1/p' || true)
if [[ -n $tag ]]; then
  load tagged "$WORK/report.html" "status=failed,error&tag=$tag"
  quiet tagged
  filtered tagged failed,error "$tag"
fi

# An anchor to a closed row opens it.
closed=$(rows plain | awk '$4 == "closed" && !found { print $1; found = 1 }')
if [[ -n $closed ]]; then
  load anchor "$WORK/report.html" "$closed"
  quiet anchor
  opened=$(rows anchor | awk -v id="$closed" '$1 == id { print $3, $4 }')
  [[ $opened == "shown open" ]] || fail "anchor: #$closed did not open that row ($opened)"
fi

# The controls: a test page (not part of the report) loads the report in a
# frame and clicks, selects and types as a reader would; each step must
# hide exactly the rows it should and write the filter into the fragment.
cat > "$WORK/drive.html" << 'DRIVE'
<!DOCTYPE html><html><body><iframe id="report" src="report.html"></iframe><script>
var frame = document.getElementById('report');
frame.onload = function () {
  var d = frame.contentDocument, problems = [];
  var rows = [].slice.call(d.querySelectorAll('.scenario[data-status]'));
  function expect(step, visible, hash) {
    rows.forEach(function (r) {
      if (r.hidden === visible(r)) problems.push(step + ': ' + r.id + (r.hidden ? ' hidden' : ' shown'));
    });
    if (frame.contentWindow.location.hash !== hash) {
      problems.push(step + ': fragment ' + frame.contentWindow.location.hash + ', expected ' + hash);
    }
  }
  try {
    var passed = d.querySelector('input[name=status][value=passed]');
    passed.click();
    expect('uncheck passed', function (r) { return r.dataset.status !== 'passed'; }, '#status=failed,error,skipped');
    passed.click();
    expect('check passed', function () { return true; }, '');
    var tag = d.querySelector('select[name=tag]');
    if (tag.options.length > 1) {
      var t = tag.options[1].value;
      tag.value = t;
      tag.dispatchEvent(new Event('change', {bubbles: true}));
      expect('tag ' + t, function (r) { return r.dataset.tags.split(' ').indexOf(t) >= 0; },
             '#' + new URLSearchParams({tag: t}));
      tag.value = '';
      tag.dispatchEvent(new Event('change', {bubbles: true}));
    }
    var q = d.querySelector('input[name=q]'), name = rows[rows.length - 1].dataset.name;
    q.value = name.slice(name.lastIndexOf('.') + 1).toUpperCase();
    q.dispatchEvent(new Event('input', {bubbles: true}));
    expect('name ' + q.value, function (r) {
      return r.dataset.name.toLowerCase().indexOf(q.value.toLowerCase()) >= 0;
    }, '#' + new URLSearchParams({q: q.value}));
  } catch (e) {
    problems.push('the test page failed: ' + e);
  }
  document.body.setAttribute('data-result', problems.length ? problems.join('; ') : 'ok');
};
</script></body></html>
DRIVE
load drive "$WORK/drive.html" "" --allow-file-access-from-files
quiet drive
result=$(grep -o 'data-result="[^"]*"' "$WORK/drive.dom" || true)
[[ $result == 'data-result="ok"' ]] || fail "drive: ${result:-the test page did not finish}"

# The console check sees errors: a script error, with the CSP taken out...
sed -e '/Content-Security-Policy/d' -e "s/'use strict';/'use strict'; undefinedFunction();/" "$WORK/report.html" \
  > "$WORK/broken.html"
load broken "$WORK/broken.html" ""
console broken | grep -q 'Uncaught ReferenceError: undefinedFunction' ||
  fail "broken: a script error was not seen on the console; the console check is blind"
# ...and the CSP blocks a script that is not the report's own. The page
# is then as without script (--dump-dom needs script, so
# --blink-settings=scriptEnabled=false cannot show it): every row shown,
# failed and errored ones open, the filter bar hidden.
sed -e "s/'use strict';/'use strict'; document.title = 'tampered';/" "$WORK/report.html" > "$WORK/tampered.html"
load tampered "$WORK/tampered.html" "status=failed"
console tampered | grep -q 'Content Security Policy' || fail "tampered: no CSP violation logged for an altered script"
grep -q '<nav id="filters" hidden' "$WORK/tampered.dom" || fail "tampered: the altered script ran"
filtered tampered passed,failed,error,skipped
rows tampered | awk '($2 == "failed" || $2 == "error") != ($4 == "open") { bad = 1; print "  " $0 }
  END { exit bad }' >&2 ||
  fail "without script, failed and errored rows (only) must be open"

echo "html_browser_test: OK: $expected rows; fragment filters, controls, anchors, no-script view; console silent"
