#!/usr/bin/env node
// onsmqtt-runner adapter for @alicloud/pop-core's RPCClient (signature V1,
// HMAC-SHA1), the older generic client. Protocol: ../README.md.
//   onsmqtt-runner --client "node adapters/node/pop-core.mjs"
//
// What pop-core can do: V1 only; GET and POST (opts.method); JSON only (it
// always sends Format=JSON and JSON.parses every answer, so an XML answer
// would be a SyntaxError). It needs no region: the endpoint is used as given.
import { createRequire } from 'node:module';
import PopCore from '@alicloud/pop-core';
import { cached, failure, headersOf, isMain, serve } from './protocol.mjs';

const { RPCClient } = PopCore;
const { version } = createRequire(import.meta.url)('@alicloud/pop-core/package.json');

export const hello = {
  name: `pop-core-${version}`,
  schemes: ['v1'],
  methods: ['GET', 'POST'],
  formats: ['JSON'],
};

const clients = new Map();

// credentials.{id,secret,token} -> the client's accessKeyId, accessKeySecret
// and securityToken (sent as the SecurityToken parameter, as for STS).
// verbose=true: request() resolves to [body, entry]; entry has the status.
function clientFor(req) {
  const { id, secret, token } = req.credentials;
  return cached(clients, [req.endpoint, id, secret, token], () => new RPCClient({
    endpoint: req.endpoint, // "http(s)://host:port", used as given
    apiVersion: '2020-04-20',
    accessKeyId: id,
    accessKeySecret: secret,
    ...(token !== undefined && { securityToken: token }),
  }, true));
}

export async function call(req) {
  const client = clientFor(req);
  try {
    // params: sent as given. pop-core upper-cases each name's first letter
    // (harmless: OnsMqtt's names are PascalCase); "" is sent as "Name=".
    // method: opts.method ("POST" puts everything in a form body, "GET" in
    // the query). timeout: httpx's connect and read timeout. pop-core has no
    // retries: one call is one HTTP request.
    const [body, entry] = await client.request(req.action, { ...req.params },
      { method: req.method, timeout: req.timeout_ms });
    // A result: pop-core does not look at the HTTP status, only at the body's
    // Code (absent or 200/OK/Success), so a 5xx without Code lands here too.
    return {
      ok: true,
      status: entry.response.statusCode,
      request_id: body.RequestId,
      body,
      headers: headersOf(entry.response.headers),
    };
  } catch (err) {
    // A service error: pop-core throws an Error with code = body.Code,
    // data = the parsed body and entry.response = the HTTP status and
    // headers. err.message is "<Message>, URL: <url>" (the signed URL for
    // GET): the protocol wants the service's Message, err.data.Message.
    if (!err.data || !err.entry) return failure(err);
    return {
      ok: false,
      status: err.entry.response.statusCode,
      code: err.code,
      message: err.data.Message,
      request_id: err.data.RequestId, // pop-core exposes it only in data
      body: err.data,
      headers: headersOf(err.entry.response.headers),
    };
  }
}

if (isMain(import.meta)) serve(hello, call);
