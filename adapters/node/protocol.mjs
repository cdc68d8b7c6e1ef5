// The adapter protocol of ../README.md, shared by the three Node adapters:
// JSON lines on stdin/stdout, a hello, then one answer per request. An
// adapter supplies its hello (what its SDK can do) and call(request), an
// async function that makes one SDK call and returns the answer without its
// id. Requests are handled concurrently: a burst's lines arrive before any
// answer is read, and each answer is written as soon as its call settles.
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

// stderr is for logging; it never gets a secret, a token or a signature.
export const log = (msg) => process.stderr.write(`adapter: ${msg}\n`);

// One JSON object per line. process.stdout has no user-space buffer: each
// write goes to the pipe at once (no flush needed, unlike C's stdio).
const send = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

export function serve(hello, call) {
  let pending = 0;
  let stdinClosed = false;
  // Exit once stdin is closed and every answer is written (the callback of an
  // empty write runs after the earlier writes reached the pipe).
  const maybeExit = () => {
    if (stdinClosed && pending === 0) process.stdout.write('', () => process.exit(0));
  };
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch (e) {
      log(`ignoring a line that is not JSON: ${e.message}`);
      return;
    }
    if (msg.hello) {
      send({ hello: { protocol: 1, ...hello } });
      return;
    }
    pending += 1;
    Promise.resolve()
      .then(() => call(msg))
      .catch((err) => failure(err)) // a bug outside the SDK call: still an answer
      .then((answer) => send({ id: msg.id, ...answer }))
      .finally(() => {
        pending -= 1;
        maybeExit();
      });
  });
  lines.on('close', () => {
    stdinClosed = true;
    maybeExit();
  });
}

// URLs in Node's and httpx's messages carry the whole query for GET, including
// Signature and SecurityToken: keep only the part before the "?".
export const redact = (text) => String(text).replace(/(https?:\/\/[^\s?]*)\?\S*/g, '$1?<redacted>');

// An error that carries no HTTP answer (the adapters check for one first):
// refused, timed out, TLS, a broken connection, or a body the SDK could not
// parse. `transport` uses the runner's own names (connect, tls, timeout, io).
export function failure(err) {
  const code = String(err?.code ?? err?.name ?? 'Error');
  let transport;
  if (/timeout/i.test(`${err?.name} ${code}`) || /^(Read|Connect)Timeout/.test(err?.message)) transport = 'timeout';
  else if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(code)) transport = 'connect';
  else if (/CERT|SSL|TLS|UNABLE_TO_VERIFY|SELF_SIGNED/.test(code)) transport = 'tls';
  else if (/^(ECONNRESET|EPIPE|ECONNABORTED)$/.test(code) || /socket hang up/.test(err?.message)) transport = 'io';
  return { ok: false, status: 0, code, message: redact(err?.message ?? err), ...(transport && { transport }) };
}

// Answer headers as {"name": "value"}; Node already lower-cases the names.
export function headersOf(raw) {
  if (!raw) return undefined;
  const out = {};
  for (const [k, v] of Object.entries(raw)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

// Clients are cached per endpoint and credentials (and whatever else the
// adapter's key holds), so a burst reuses keep-alive connections. The runner
// starts a mock on a new port per scenario: the oldest of 64 is dropped.
export function cached(map, key, make) {
  const k = JSON.stringify(key);
  if (!map.has(k)) {
    if (map.size >= 64) map.delete(map.keys().next().value);
    map.set(k, make());
  }
  return map.get(k);
}

// True in the file node was started with (`node pop-core.mjs`), false when
// another module imports it (the broken adapters of runner/testdata do).
export const isMain = (meta) => meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
