#!/usr/bin/env node
// onsmqtt-runner adapter for @alicloud/openapi-core's callApi (signature V3,
// ACS3-HMAC-SHA256), the successor of openapi-client that newer generated
// SDKs build on (Darabonba v2). Protocol: ../README.md.
//   onsmqtt-runner --client "node adapters/node/openapi-core.mjs"
//
// What it can do: V3; GET and POST (Params.method); JSON, and XML by adding
// Format=XML to the query. Differences from openapi-client that show on the
// wire or in errors: 64-hex-digit nonces (a SHA-256), and typed errors
// (ThrottlingError for any Code containing "Throttling", ClientError for
// other 4xx, ServerError for 5xx) that carry requestId themselves.
import { createRequire } from 'node:module';
import OpenApiCore from '@alicloud/openapi-core';
import { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { cached, failure, headersOf, isMain, serve } from './protocol.mjs';

const Client = OpenApiCore.default;
const { Config, Params, OpenApiRequest } = $OpenApiUtil;
const { version } = createRequire(import.meta.url)('@alicloud/openapi-core/package.json');

export const hello = {
  name: `openapi-core-${version}`,
  schemes: ['v3'],
  methods: ['GET', 'POST'],
  formats: ['JSON', 'XML'],
};

const clients = new Map();

// As openapi-client: protocol and host[:port] from the endpoint; the
// credentials as accessKeyId, accessKeySecret and securityToken (STS: the
// signed x-acs-accesskey-id and x-acs-security-token headers); region as
// regionId (not sent).
function clientFor(req) {
  const { id, secret, token } = req.credentials;
  const url = new URL(req.endpoint);
  return cached(clients, [req.endpoint, req.region, id, secret, token], () => new Client(new Config({
    accessKeyId: id,
    accessKeySecret: secret,
    ...(token !== undefined && { securityToken: token }),
    endpoint: url.host,
    protocol: url.protocol.slice(0, -1),
    regionId: req.region,
  })));
}

export async function call(req) {
  const client = clientFor(req);
  const xml = req.format === 'XML';
  // Parameters in the query ("" kept), no body; Format only when the
  // request names one; bodyType "string" returns XML answers as text.
  const query = OpenApiUtil.query({ ...req.params, ...(req.format && { Format: req.format }) });
  const params = new Params({
    action: req.action,
    version: '2020-04-20',
    protocol: new URL(req.endpoint).protocol.slice(0, -1),
    pathname: '/',
    method: req.method,
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: xml ? 'string' : 'json',
  });
  // timeout_ms: connect and read timeout. No Config.retryOptions: the retry
  // loop makes exactly one attempt.
  const runtime = new $dara.RuntimeOptions({ readTimeout: req.timeout_ms, connectTimeout: req.timeout_ms });
  try {
    const resp = await client.callApi(params, new OpenApiRequest({ query }), runtime);
    return {
      ok: true,
      status: resp.statusCode,
      request_id: xml ? resp.headers['x-acs-request-id'] : resp.body?.RequestId,
      body: resp.body,
      headers: headersOf(resp.headers),
    };
  } catch (err) {
    // A service error (HTTP 4xx/5xx): an AlibabaCloudError subclass with
    // code, statusCode, requestId (the string "undefined" when the body has
    // none) and data = the parsed body (no statusCode added, unlike
    // openapi-client). err.message is "code: <status>, <Message> request id:
    // <id>"; the protocol wants the service's own Message, data.Message.
    if (!err.data || err.statusCode === undefined) return failure(err);
    return {
      ok: false,
      status: err.statusCode,
      code: err.code,
      message: err.data.Message,
      request_id: err.requestId,
      body: err.data,
    };
  }
}

if (isMain(import.meta)) serve(hello, call);
