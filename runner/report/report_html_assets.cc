// The HTML report's inline style sheet and script. The page works without
// the script (every row is there, failed and errored ones open); the
// script only adds the filters, and reads and writes them in the URL's
// fragment so that a filtered view can be linked:
//   report.html#status=failed,error&tag=auth&q=signature
// Nothing here loads anything: no font, no image, no URL.
#include "runner/report/report_html_parts.h"

namespace onsmqtt::runner::html {

const std::string_view kStyle = R"css(
:root { --fg: #1f2328; --bg: #fff; --muted: #656d76; --line: #d0d7de; --code: #f6f8fa;
  --passed: #1a7f37; --failed: #cf222e; --error: #9a6700; --skipped: #6e7781; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --line: #30363d; --code: #161b22;
    --passed: #3fb950; --failed: #f85149; --error: #d29922; --skipped: #8d96a0; }
}
[hidden] { display: none !important; }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  margin: 0 auto; max-width: 1280px; padding: 1em 1.5em; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
h2 { font-size: 1.25em; margin: 1.2em 0 .2em; }
h4 { font-size: 1em; margin: .8em 0 .3em; }
h5 { font-size: .85em; margin: .6em 0 .2em; color: var(--muted); text-transform: uppercase; }
a { color: inherit; }
code, pre { font: 12.5px/1.4 ui-monospace, monospace; }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 4px; padding: .5em .7em;
  margin: 0; white-space: pre-wrap; word-break: break-all; max-height: 30em; overflow: auto; }
.counts .count { display: inline-block; margin-right: .8em; font-weight: 600; }
.count.passed, .badge.passed { color: var(--passed); }
.count.failed, .badge.failed { color: var(--failed); }
.count.error, .badge.error { color: var(--error); }
.count.skipped, .badge.skipped { color: var(--skipped); }
.badge { display: inline-block; min-width: 4.5em; font-weight: 600; text-transform: uppercase; font-size: .8em; }
.interrupted { border-left: 4px solid var(--error); padding: .3em .7em; font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: .5em 0; }
dl > div { display: contents; }
dt { color: var(--muted); }
dd { margin: 0; }
#filters { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--line);
  padding: .5em 0; display: flex; flex-wrap: wrap; gap: .5em 1.5em; align-items: center; z-index: 1; }
#filters fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 1em; }
#filters legend { float: left; margin-right: .5em; color: var(--muted); }
#shown { color: var(--muted); }
.file-meta, .exchange-meta, .seconds, .request-id { color: var(--muted); }
.seconds { font-size: .9em; margin-left: .5em; }
details.scenario { border: 1px solid var(--line); border-left-width: 4px; border-radius: 4px;
  margin: .4em 0; padding: .2em .7em; }
details.scenario.passed { border-left-color: var(--passed); }
details.scenario.failed { border-left-color: var(--failed); }
details.scenario.error { border-left-color: var(--error); }
details.scenario.skipped { border-left-color: var(--skipped); }
summary { cursor: pointer; padding: .2em 0; }
summary .name { font-weight: 600; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 1em; padding: 0 .5em;
  margin-left: .3em; font-size: .8em; color: var(--muted); }
.scenario-body { padding: 0 0 .5em; }
.description { font-style: italic; }
.step { border-top: 1px solid var(--line); margin-top: .5em; }
.step.cleanup { opacity: .85; }
.cleanup-note { color: var(--muted); font-size: .85em; }
.error .kind { font-weight: 600; color: var(--error); margin-right: .3em; }
table { border-collapse: collapse; margin: .4em 0; width: 100%; }
th, td { border: 1px solid var(--line); padding: .2em .5em; text-align: left; vertical-align: top; }
th { background: var(--code); font-weight: 600; }
td code { word-break: break-all; }
.failures td:nth-child(3) { color: var(--passed); }
.failures td:nth-child(4) { color: var(--failed); }
.exchange { margin: .6em 0 .8em; }
.exchange-line { margin: .3em 0; }
.status { font-weight: 600; }
.status.s2 { color: var(--passed); }
.status.s4, .status.s5, .status.none { color: var(--failed); }
.http { display: grid; grid-template-columns: 1fr 1fr; gap: .8em; }
@media (max-width: 800px) { .http { grid-template-columns: 1fr; } }
.coverage-counts { list-style: none; padding: 0; display: flex; gap: 1.5em; }
.coverage-counts .missing, tr.missing td:first-child { color: var(--failed); font-weight: 600; }
.coverage-counts .undocumented, tr.undocumented td:first-child { color: var(--error); font-weight: 600; }
)css";

const std::string_view kScript = R"js(
(function () {
  'use strict';
  var bar = document.getElementById('filters');
  var rows = [].slice.call(document.querySelectorAll('.scenario[data-status]'));
  var files = [].slice.call(document.querySelectorAll('section.file'));
  var boxes = [].slice.call(bar.querySelectorAll('input[name=status]'));
  var tag = bar.querySelector('select[name=tag]');
  var text = bar.querySelector('input[name=q]');
  var shown = document.getElementById('shown');

  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var q = text.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var ok = on[r.getAttribute('data-status')] &&
          (!tag.value || r.getAttribute('data-tags').split(' ').indexOf(tag.value) >= 0) &&
          (!q || r.getAttribute('data-name').toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) n++;
    });
    files.forEach(function (f) { f.hidden = !f.querySelector('.scenario:not([hidden])'); });
    shown.textContent = n + ' of ' + rows.length + ' scenarios shown';
  }

  // "#status=failed,error&tag=auth&q=name"; any other fragment is an anchor.
  function read() {
    var h = location.hash.slice(1);
    if (h.indexOf('=') < 0) return false;
    var p = new URLSearchParams(h);
    var status = p.get('status');
    boxes.forEach(function (b) {
      b.checked = status === null || status.split(',').indexOf(b.value) >= 0;
    });
    tag.value = p.get('tag') || '';
    if (tag.selectedIndex < 0) tag.selectedIndex = 0;
    text.value = p.get('q') || '';
    return true;
  }

  function write() {
    var p = new URLSearchParams();
    var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    if (on.length !== boxes.length) p.set('status', on.join(','));
    if (tag.value) p.set('tag', tag.value);
    if (text.value) p.set('q', text.value);
    var s = p.toString().replace(/%2C/g, ',');
    try {
      history.replaceState(null, '', s ? '#' + s : location.pathname + location.search);
    } catch (e) { /* an opaque origin may refuse: the filter still applies */ }
  }

  // An anchor inside a closed row (a coverage link): open the rows around it.
  function reveal() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    for (var e = id && document.getElementById(id); e; e = e.parentElement) {
      if (e.tagName === 'DETAILS') e.open = true;
    }
  }

  function changed() { apply(); write(); }
  bar.addEventListener('input', changed);
  bar.addEventListener('change', changed);
  window.addEventListener('hashchange', function () {
    if (read()) apply(); else reveal();
  });
  if (read()) apply(); else { apply(); reveal(); }
  bar.hidden = false;
})();
)js";

}  // namespace onsmqtt::runner::html
