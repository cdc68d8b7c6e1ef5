// Reads a JUnit report as CI consumers do and prints each one's verdict:
//
//   node read.mjs green|red report.xml
//
// Exits 1 when any consumer's verdict differs from the expected one (or a
// suite's counts disagree with its testcases), 0 otherwise.
//
// Real consumers, from the npm registry (versions pinned in package.json):
//   junit-to-ctrf        converts to CTRF; green = a summary with tests and no failed
//   junit-report-merger  rolls the suites' counts up onto <testsuites>; green = failures + errors == 0
// The counting rules of consumers that are not npm packages, applied to the
// document as junit2json parses it (each rule as its source reads):
//   mikepenz/action-junit-report (src/testParser.ts): a testcase with
//     <failure> or <error> and no <skipped> fails the check
//   dorny/test-reporter (src/parsers/java-junit): <failure> or <error> is failed
//   GitLab (lib/gitlab/ci/parsers/test/junit.rb): <failure> failed, <error> error
//   Jenkins junit plugin (CaseResult.java): failed unless skipped when it has
//     <error> or <failure>
import {readFileSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse} from 'junit2json';
import {convertJUnitToCTRFReport} from 'junit-to-ctrf';
import merger from 'junit-report-merger';

const [expected, file] = process.argv.slice(2);
if (!['green', 'red'].includes(expected) || !file) {
  console.error('usage: node read.mjs green|red report.xml');
  process.exit(2);
}

function testcases(suites) {
  const out = [];
  for (const suite of suites ?? []) {
    out.push(...(suite.testcase ?? []));
    out.push(...testcases(suite.testsuite));
  }
  return out;
}

const verdicts = {};
let problems = 0;

const doc = await parse(readFileSync(file, 'utf8'));
const suites = doc?.testsuite ?? [];
const cases = testcases(suites);
const has = (tc, tag) => tc[tag] !== undefined;
const failedBy = {
  'mikepenz/action-junit-report': tc => (has(tc, 'failure') || has(tc, 'error')) && !has(tc, 'skipped'),
  'dorny/test-reporter': tc => has(tc, 'failure') || has(tc, 'error'),
  'GitLab': tc => has(tc, 'failure') || has(tc, 'error'),
  'Jenkins junit plugin': tc => (has(tc, 'failure') || has(tc, 'error')) && !has(tc, 'skipped'),
};
for (const [consumer, failed] of Object.entries(failedBy)) {
  const n = cases.filter(failed).length;
  verdicts[consumer] = {green: n === 0, detail: `${n} of ${cases.length} testcases failed`};
}

for (const suite of suites) {
  const count = tag => (suite.testcase ?? []).filter(tc => has(tc, tag)).length;
  const declared = {tests: suite.tests, failures: suite.failures, errors: suite.errors, skipped: suite.skipped};
  const actual = {tests: (suite.testcase ?? []).length, failures: count('failure'), errors: count('error'),
                  skipped: count('skipped')};
  for (const key of Object.keys(declared)) {
    if (declared[key] !== undefined && Number(declared[key]) !== actual[key]) {
      console.error(`  suite ${suite.name}: ${key}=${declared[key]} but ${actual[key]} testcases`);
      problems++;
    }
  }
}

const ctrf = await convertJUnitToCTRFReport(file);
const summary = ctrf?.results?.summary;
verdicts['junit-to-ctrf'] = summary
  ? {green: summary.tests > 0 && summary.failed === 0,
     detail: `${summary.tests} tests, ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`}
  : {green: false, detail: 'no test cases'};

const work = mkdtempSync(join(tmpdir(), 'junit-consumers-'));
try {
  const merged = join(work, 'merged.xml');
  await merger.mergeFiles(merged, [file]);
  const root = (await parse(readFileSync(merged, 'utf8'))) ?? {};
  const bad = Number(root.failures ?? 0) + Number(root.errors ?? 0);
  verdicts['junit-report-merger'] = {green: bad === 0,
                                     detail: `tests=${root.tests} failures=${root.failures} errors=${root.errors}`};
} finally {
  rmSync(work, {recursive: true, force: true});
}

for (const [consumer, v] of Object.entries(verdicts)) {
  const ok = v.green === (expected === 'green');
  if (!ok) problems++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${consumer}: ${v.green ? 'green' : 'red'} (${v.detail})`);
}
process.exit(problems ? 1 : 0);
