#!/usr/bin/env node
// onsmqtt-runner adapter for @alicloud/openapi-client's callApi (signature
// V3, ACS3-HMAC-SHA256), called exactly as the generated OnsMqtt 2020-04-20
// SDK calls it. Protocol: ../README.md.
//   onsmqtt-runner --client "node adapters/node/openapi-client.mjs"
//
// What it can do: V3 (the generated SDK's scheme); GET and POST
// (Params.method); JSON, and XML by adding Format=XML to the query.
import { createRequire } from 'node:module';
import OpenApi from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import TeaUtil from '@alicloud/tea-util';
import { cached, failure, headersOf, isMain, serve } from './protocol.mjs';

const Client = OpenApi.default;
const { Config, Params, OpenApiRequest } = OpenApi;
const { version } = createRequire(import.meta.url)('@alicloud/openapi-client/package.json');

export const hello = {
  name: `openapi-client-${version}`,
  schemes: ['v3'],
  methods: ['GET', 'POST'],
  formats: ['JSON', 'XML'],
};

const clients = new Map();

// endpoint "http://127.0.0.1:40123" -> protocol "http" and endpoint
// "127.0.0.1:40123" (the Host header, port included). credentials -> the
// Config's accessKeyId, accessKeySecret and securityToken (an STS token:
// sent as the signed x-acs-security-token header). region -> regionId (only
// used to pick an endpoint, which is given here; nothing is sent).
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
  // As the generated SDK: action and version travel in x-acs-* headers, the
  // business parameters in the query (OpenApiUtil.query keeps "" values and
  // the order given), no body. format: the Format query parameter, the only
  // way callApi can ask for XML; bodyType "string" then returns the XML text
  // (the generated SDK's bodyType "json" would fail to parse it).
  const query = OpenApiUtil.default.query({ ...req.params, ...(req.format && { Format: req.format }) });
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
  // timeout_ms: connect and read timeout. autoretry off (the default): one
  // call is one HTTP request.
  const runtime = new TeaUtil.RuntimeOptions({
    readTimeout: req.timeout_ms, connectTimeout: req.timeout_ms, autoretry: false,
  });
  try {
    const resp = await client.callApi(params, new OpenApiRequest({ query }), runtime);
    // A result: any 2xx/3xx (the body is not checked for Code). For XML the
    // body is the text, so the request id is the x-acs-request-id header.
    return {
      ok: true,
      status: resp.statusCode,
      request_id: xml ? resp.headers['x-acs-request-id'] : resp.body?.RequestId,
      body: resp.body,
      headers: headersOf(resp.headers),
    };
  } catch (err) {
    // A service error (HTTP 4xx/5xx): a ResponseError with code = body Code,
    // statusCode, and data = the parsed body (JSON, or the <Error> element's
    // children for a text/xml;charset=utf-8 answer) plus statusCode. It has
    // no request id or headers of its own: the id is data.RequestId.
    if (!err.data || err.statusCode === undefined) return failure(err);
    return {
      ok: false,
      status: err.statusCode,
      code: err.code,
      message: err.data.Message,
      request_id: err.data.RequestId,
      body: err.data,
    };
  }
}

if (isMain(import.meta)) serve(hello, call);
