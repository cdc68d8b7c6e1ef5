#!/usr/bin/env node
// Calls an OnsMqtt endpoint (normally the mock) through Alibaba Cloud's two
// official generic Node.js clients and prints one JSON line per call:
//
//   pop     @alicloud/pop-core RPCClient         signature V1 (HMAC-SHA1)
//   openapi @alicloud/openapi-client callApi     signature V3 (ACS3-HMAC-SHA256)
//
// Environment:
//   ONSMQTT_ENDPOINT    http://127.0.0.1:8080 or https://localhost:8443 (required)
//   ONSMQTT_AK_ID       AccessKeyId (required)
//   ONSMQTT_AK_SECRET   AccessKeySecret (required)
//   ONSMQTT_CALLS       JSON array of calls, or "@path" to read it from a file (required):
//                         {"id":"opt. echoed back","client":"pop"|"openapi",
//                          "action":"ActiveDeviceCertificate","params":{...},
//                          "method":"POST"|"GET" (optional, default: the generated SDK's
//                                                  method for that action),
//                          "secret_override":"..." (optional: sign with this secret)}
//   ONSMQTT_TIMEOUT_MS  connect/read timeout per call (default 10000)
//   NODE_EXTRA_CA_CERTS for https: PEM file of the CA to trust (fixtures/pki/tls-ca.pem)
//
// Output (stdout, one line per call, in order):
//   {"client":..,"action":..,"ok":true,"status":200,"body":{...}}
//   {"client":..,"action":..,"ok":false,"code":"..","status":403,"message":"..",
//    "request_id":"..","data":{...}}
// `code`, `status`, `message` and `data` are what the client library itself
// reports (see README.md); nothing is re-parsed from raw HTTP here. Signatures
// that a client puts into its error message are replaced by <redacted>.
// Exit status: 0 when every call was attempted (whatever its outcome), 2 on a
// usage error (bad environment or ONSMQTT_CALLS).

import { readFileSync } from 'node:fs';

import PopCore from '@alicloud/pop-core';
import OpenApiPkg from '@alicloud/openapi-client';
import OpenApiUtilPkg from '@alicloud/openapi-util';
import TeaUtilPkg from '@alicloud/tea-util';

const { RPCClient } = PopCore;
const OpenApiClient = OpenApiPkg.default;
const { Config, Params, OpenApiRequest } = OpenApiPkg;
const OpenApiUtil = OpenApiUtilPkg.default;
const { RuntimeOptions } = TeaUtilPkg;

const VERSION = '2020-04-20';

// HTTP method the generated OnsMqtt 2020-04-20 SDK uses per action
// (CONTRACT.md section 3). Unknown actions default to POST.
const SDK_METHOD = {
  ActiveDeviceCertificate: 'POST',
  InactivateDeviceCertificate: 'POST',
  DeleteDeviceCertificate: 'POST',
  GetDeviceCertificate: 'GET',
  ListDeviceCertificate: 'GET',
  ListDeviceCertificateByCaSn: 'GET',
  GetRegisterCode: 'GET',
  RegisterCaCertificate: 'POST',
  ActiveCaCertificate: 'POST',
  InactivateCaCertificate: 'POST',
  DeleteCaCertificate: 'POST',
  GetCaCertificate: 'GET',
  ListCaCertificate: 'GET',
};

function usage(msg) {
  process.stderr.write(`interop.mjs: ${msg}\n`);
  process.exit(2);
}

function requireEnv(name) {
  const v = process.env[name];
  if (v === undefined || v === '') usage(`${name} is not set`);
  return v;
}

function redact(s) {
  if (typeof s !== 'string') return s;
  return s.replace(/([?&]Signature=)[^&\s,]*/g, '$1<redacted>')
    .replace(/(Signature=)[0-9a-fA-F]{16,}/g, '$1<redacted>');
}

function loadCalls() {
  let text = requireEnv('ONSMQTT_CALLS');
  if (text.startsWith('@')) {
    try {
      text = readFileSync(text.slice(1), 'utf8');
    } catch (e) {
      usage(`cannot read ONSMQTT_CALLS file ${text.slice(1)}: ${e.message}`);
    }
  }
  let calls;
  try {
    calls = JSON.parse(text);
  } catch (e) {
    usage(`ONSMQTT_CALLS is not valid JSON: ${e.message}`);
  }
  if (!Array.isArray(calls)) usage('ONSMQTT_CALLS must be a JSON array');
  calls.forEach((c, i) => {
    if (!c || typeof c !== 'object') usage(`call #${i} is not an object`);
    if (c.client !== 'pop' && c.client !== 'openapi') {
      usage(`call #${i}: client must be "pop" or "openapi"`);
    }
    if (typeof c.action !== 'string' || c.action === '') usage(`call #${i}: action missing`);
    if (c.params !== undefined && (typeof c.params !== 'object' || Array.isArray(c.params))) {
      usage(`call #${i}: params must be an object`);
    }
    if (c.method !== undefined && !/^(GET|POST)$/i.test(String(c.method))) {
      usage(`call #${i}: method must be GET or POST`);
    }
  });
  return calls;
}

// A null/undefined value means "leave the parameter out" (pop-core would
// otherwise send the literal string "null"; openapi-client drops it).
function presentParams(params) {
  const out = {};
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out;
}

function parseEndpoint(raw) {
  let u;
  try {
    u = new URL(raw);
  } catch (e) {
    usage(`ONSMQTT_ENDPOINT is not a URL: ${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    usage('ONSMQTT_ENDPOINT must use http or https');
  }
  const protocol = u.protocol.slice(0, -1); // "http" | "https"
  return { protocol, host: u.host, base: `${protocol}://${u.host}` };
}

// ---- pop-core (V1) --------------------------------------------------------

async function callPop(ep, akId, secret, call, method, timeout) {
  // verbose=true makes request() resolve to [body, entry]; entry carries the
  // HTTP status, which pop-core otherwise does not expose on success.
  const client = new RPCClient(
    { endpoint: ep.base, apiVersion: VERSION, accessKeyId: akId, accessKeySecret: secret },
    true);
  try {
    const [body, entry] = await client.request(call.action, presentParams(call.params),
      { method, timeout });
    return { ok: true, status: entry.response.statusCode, body };
  } catch (err) {
    // Service errors: pop-core throws when the JSON body has a Code not in
    // {200,'200','OK','Success','success'}: err.code = body.Code, err.data = body,
    // err.entry.response.statusCode = HTTP status, err.message = "<Message>, URL: <url>".
    // Transport/parse errors carry no err.data (err.code like ECONNREFUSED, or a
    // SyntaxError for a non-JSON body).
    return {
      ok: false,
      code: err.code !== undefined ? String(err.code) : err.name,
      status: err.entry && err.entry.response ? err.entry.response.statusCode : undefined,
      message: redact(err.message),
      request_id: err.data ? err.data.RequestId : undefined,
      error_name: err.name,
      data: err.data,
    };
  }
}

// ---- openapi-client (V3) --------------------------------------------------

async function callOpenApi(ep, akId, secret, call, method, timeout) {
  const client = new OpenApiClient(new Config({
    accessKeyId: akId,
    accessKeySecret: secret,
    endpoint: ep.host, // becomes the Host header and the URL authority
    protocol: ep.protocol,
  }));
  // Exactly what the generated onsmqtt-20200420 SDK does: business parameters
  // go to the query (OpenApiUtil.query flattens them), no body.
  const params = new Params({
    action: call.action,
    version: VERSION,
    protocol: ep.protocol,
    pathname: '/',
    method,
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new OpenApiRequest({ query: OpenApiUtil.query(presentParams(call.params)) });
  const runtime = new RuntimeOptions({ readTimeout: timeout, connectTimeout: timeout });
  try {
    const resp = await client.callApi(params, request, runtime);
    return { ok: true, status: resp.statusCode, body: resp.body };
  } catch (err) {
    // Service errors (HTTP 4xx/5xx): ResponseError with err.code = body.Code,
    // err.statusCode = HTTP status, err.data = parsed body + {statusCode},
    // err.message = "<Code>: code: <status>, <Message> request id: <RequestId>",
    // err.description, err.accessDeniedDetail. A 2xx body is never checked for Code.
    return {
      ok: false,
      code: err.code !== undefined ? String(err.code) : err.name,
      status: err.statusCode,
      message: redact(err.message),
      request_id: err.data ? err.data.RequestId : undefined,
      error_name: err.name,
      data: err.data,
    };
  }
}

// ---- main -----------------------------------------------------------------

async function main() {
  const ep = parseEndpoint(requireEnv('ONSMQTT_ENDPOINT'));
  const akId = requireEnv('ONSMQTT_AK_ID');
  const akSecret = requireEnv('ONSMQTT_AK_SECRET');
  const timeout = Number(process.env.ONSMQTT_TIMEOUT_MS || 10000);
  if (!Number.isFinite(timeout) || timeout <= 0) usage('ONSMQTT_TIMEOUT_MS must be a positive number');
  const calls = loadCalls();

  for (const call of calls) {
    const method = (call.method || SDK_METHOD[call.action] || 'POST').toUpperCase();
    const secret = call.secret_override !== undefined ? String(call.secret_override) : akSecret;
    let result;
    try {
      result = call.client === 'pop'
        ? await callPop(ep, akId, secret, call, method, timeout)
        : await callOpenApi(ep, akId, secret, call, method, timeout);
    } catch (err) { // a bug in this script or the client outside the request
      result = { ok: false, code: err.code || err.name, message: redact(String(err.message)) };
    }
    const line = { ...(call.id !== undefined ? { id: call.id } : {}),
      client: call.client, action: call.action, method, ...result };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`interop.mjs: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
