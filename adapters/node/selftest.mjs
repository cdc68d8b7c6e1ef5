// Checks the three Node adapters by hand-written protocol lines against a
// running onsmqtt-mock, and what each one sent in the mock's journal.
// selftest.sh starts the mock and runs this:  node selftest.mjs http://127.0.0.1:PORT
// Exit status 0 when every check passed, 1 otherwise.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';

const endpoint = process.argv[2];
if (!endpoint) {
  console.error('usage: node selftest.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const here = new URL('.', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const admin = async (path, body, method = body === undefined ? 'GET' : 'POST') => {
  const r = await fetch(`${endpoint}/__admin/${path}`, { method, body: body && JSON.stringify(body) });
  return r.json();
};
const V = await admin('vars');
const owner = { id: V['key.owner.id'], secret: V['key.owner.secret'] };
const other = { id: V['key.other_account.id'], secret: V['key.other_account.secret'] };
const active = { MqttInstanceId: V['instance.platinum.id'], DeviceSn: V['device.active.sn'], CaSn: V['device.active.ca_sn'] };
// Temporary credentials when the fixture has them (key.<k>.token, not expired).
const stsKey = Object.keys(V).map((k) => k.match(/^key\.(.+)\.token$/)?.[1])
  .find((k) => k && !(Date.parse(V[`key.${k}.expiration`]) < Date.now()));
const secrets = [owner.secret, other.secret, ...(stsKey ? [V[`key.${stsKey}.secret`], V[`key.${stsKey}.token`]] : [])];

let failures = 0;
let label = '';
function check(what, ok, detail) {
  console.log(`  ${ok ? 'pass' : 'FAIL'} ${label}: ${what}`);
  if (!ok) {
    failures += 1;
    console.log(`       ${JSON.stringify(detail)?.slice(0, 1500)}`);
  }
  return ok;
}

// One adapter process: send lines, match answers by id.
class Adapter {
  constructor(file) {
    this.proc = spawn(process.execPath, [`${here}${file}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.output = '';
    this.waiting = new Map();
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    this.proc.stderr.on('data', (d) => { this.output += d; });
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      this.output += `${line}\n`;
      let msg;
      try { msg = JSON.parse(line); } catch { msg = { bad: line }; }
      const key = msg.hello ? 'hello' : msg.id;
      const w = this.waiting.get(key);
      if (w) { this.waiting.delete(key); w(msg); } else check('an answer that was asked for', false, msg);
    });
  }
  expect(key, ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.waiting.delete(key); resolve({ unanswered: true }); }, ms);
      this.waiting.set(key, (msg) => { clearTimeout(timer); resolve(msg); });
    });
  }
  send(obj) { this.proc.stdin.write(`${JSON.stringify(obj)}\n`); }
  hello() { const p = this.expect('hello', 10000); this.send({ hello: { protocol: 1 } }); return p; }
  ask(req) { const p = this.expect(req.id, req.timeout_ms + 5000); this.send(req); return p; }
}

let nextId = 1;
const request = (over = {}) => ({
  id: nextId++, action: 'ActiveDeviceCertificate', params: { ...active }, endpoint, region: V.region,
  credentials: owner, method: 'POST', timeout_ms: 5000, ...over,
});
const isRequestId = (s) => typeof s === 'string' && /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(s);
const serviceMessage = (a) => typeof a.message === 'string' && a.message !== '' && a.message === a.body?.Message;

async function testAdapter(file, pkg) {
  await admin('reset', {});
  const { version } = require(`${pkg}/package.json`);
  const name = `${pkg.replace('@alicloud/', '')}-${version}`;
  label = name;
  console.log(`${file}`);
  const ad = new Adapter(file);
  const hello = (await ad.hello()).hello;
  const scheme = hello?.schemes?.[0];
  check(`hello names ${name}, protocol 1, one scheme, GET and POST`, hello?.name === name && hello.protocol === 1
    && hello.schemes.length === 1 && isDeepStrictEqual(hello.methods, ['GET', 'POST']), hello);
  const wire = []; // [request, answer] pairs to find in the journal
  const ask = async (req) => { const a = await ad.ask(req); wire.push([req, a]); return a; };

  let r = request();
  let a = await ask(r);
  check('success (POST ActiveDeviceCertificate)', a.id === r.id && a.ok === true && a.status === 200
    && a.body?.DeviceSn === active.DeviceSn && isRequestId(a.request_id) && a.request_id === a.body.RequestId, a);

  a = await ask(request({ action: 'GetDeviceCertificate', method: 'GET' }));
  check('success (GET GetDeviceCertificate)', a.ok === true && a.status === 200
    && a.body?.Data?.DeviceSn === active.DeviceSn && a.headers?.['content-type']?.includes('json'), a);

  a = await ask(request({ credentials: other }));
  check('MqttOwnerCheckError with another account\'s key: 403, service message, request id', a.ok === false
    && a.status === 403 && a.code === 'MqttOwnerCheckError' && serviceMessage(a)
    && isRequestId(a.request_id) && a.request_id === a.body.RequestId, a);

  a = await ask(request({ credentials: { ...owner, secret: `${owner.secret}x` } }));
  check('a wrong secret is signed with: SignatureDoesNotMatch, 400', a.ok === false && a.status === 400
    && a.code === 'SignatureDoesNotMatch' && isRequestId(a.request_id), a);

  a = await ask(request({ params: { ...active, CaSn: '' } }));
  check('an empty parameter gets an answer (the journal must show CaSn="")', a.ok === false && a.status >= 400, a);

  if (hello.formats.includes('XML')) {
    a = await ask(request({ action: 'GetDeviceCertificate', method: 'GET', format: 'XML' }));
    check('format XML: the XML text, content-type xml, request id from the answer', a.ok === true
      && a.status === 200 && typeof a.body === 'string' && a.body.includes('<GetDeviceCertificateResponse>')
      && a.headers?.['content-type']?.includes('xml') && isRequestId(a.request_id) && a.body.includes(a.request_id), a);
    a = await ask(request({ format: 'XML', params: { ...active, DeviceSn: '0'.repeat(32) } }));
    check('format XML error: FindDeviceBySnError from the <Error> element', a.ok === false
      && a.code === 'FindDeviceBySnError' && serviceMessage(a) && isRequestId(a.request_id), a);
  } else {
    check('hello formats is ["JSON"] (no XML)', isDeepStrictEqual(hello.formats, ['JSON']), hello);
  }

  if (stsKey) {
    const sts = { id: V[`key.${stsKey}.id`], secret: V[`key.${stsKey}.secret`], token: V[`key.${stsKey}.token`] };
    a = await ask(request({ credentials: sts }));
    check(`security token (temporary credentials ${stsKey}): success`, a.ok === true && a.status === 200, a);
    a = await ask(request({ credentials: { ...sts, token: `${sts.token.slice(0, -4)}AAAA` } }));
    check('a wrong security token: an InvalidSecurityToken error', a.ok === false && /SecurityToken/.test(a.code), a);
  } else {
    a = await ask(request({ credentials: { ...owner, token: 'CAISselftestToken' } }));
    check('a security token (the fixture has no temporary credentials: the mock ignores it): success',
      a.ok === true && a.status === 200, a);
  }

  await admin('faults', { action: 'ActiveDeviceCertificate', times: 1, code: 'Throttling.User' });
  a = await ad.ask(request());
  check('Throttling.User: ok false, 400, code, service message, request id', a.ok === false && a.status === 400
    && a.code === 'Throttling.User' && serviceMessage(a) && isRequestId(a.request_id) && a.request_id === a.body.RequestId, a);

  await admin('faults', { action: 'GetDeviceCertificate', times: 1, delay_ms: 2000 });
  let t0 = Date.now();
  a = await ad.ask(request({ action: 'GetDeviceCertificate', method: 'GET', timeout_ms: 300 }));
  check('timeout_ms 300 against a 2 s delay: transport timeout, status 0, in time', a.ok === false
    && a.status === 0 && a.transport === 'timeout' && Date.now() - t0 < 1500, { ms: Date.now() - t0, ...a });

  a = await ad.ask(request({ endpoint: 'http://127.0.0.1:1' }));
  check('nothing listening: transport connect', a.ok === false && a.status === 0 && a.transport === 'connect', a);

  await admin('faults', { times: 1, drop_connection: true });
  a = await ad.ask(request());
  check('the connection dropped without an answer: transport io', a.ok === false && a.status === 0
    && a.transport === 'io', a);

  // A burst: 50 lines before any answer; each answer is delayed 200 ms by the
  // mock, so one at a time would take 10 s.
  await admin('faults', { action: 'ListDeviceCertificate', times: 50, delay_ms: 200 });
  const burst = Array.from({ length: 50 }, () => request({ action: 'ListDeviceCertificate', method: 'GET',
    params: { MqttInstanceId: active.MqttInstanceId, PageNo: '1', PageSize: '10' } }));
  t0 = Date.now();
  const answers = await Promise.all(burst.map((q) => ask(q)));
  const ms = Date.now() - t0;
  check(`a burst of 50 concurrent requests: all answered ok, matched by id (${ms} ms)`,
    answers.every((x, i) => x.id === burst[i].id && x.ok === true && x.status === 200) && ms < 3000,
    answers.find((x) => !x.ok) ?? { ms });

  // The wire, from the journal: method, scheme, every parameter as given.
  const journal = (await admin('journal')).requests;
  const bad = [];
  for (const [q, ans] of wire) {
    const e = journal.find((j) => j.request_id === ans.request_id);
    const sent = (e?.params ?? []).map((p) => [p.name, p.value]);
    const given = Object.entries(q.params);
    const same = scheme === 'v1' ? isDeepStrictEqual([...sent].sort(), [...given].sort()) : isDeepStrictEqual(sent, given);
    if (!e || e.method !== q.method || e.scheme !== scheme || e.action !== q.action || !same) bad.push({ q, e });
  }
  check(`journal: each call's method, scheme ${scheme}, action and exact parameters (${wire.length} calls)`,
    bad.length === 0, bad[0]);

  ad.proc.stdin.end();
  const code = await Promise.race([ad.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 5000))]);
  if (code === 'still running') ad.proc.kill();
  check('exits with 0 when stdin closes', code === 0, { code });
  check('no secret or token on stdout or stderr', !secrets.some((s) => ad.output.includes(s)), 'a secret was printed');
}

await testAdapter('pop-core.mjs', '@alicloud/pop-core');
await testAdapter('openapi-client.mjs', '@alicloud/openapi-client');
await testAdapter('openapi-core.mjs', '@alicloud/openapi-core');
console.log(failures ? `selftest: ${failures} check(s) FAILED` : 'selftest: all checks passed');
process.exit(failures ? 1 : 0);
