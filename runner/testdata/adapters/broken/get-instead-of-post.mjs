#!/usr/bin/env node
// Broken on purpose (test data for onsmqtt-runner --client; see README.md).
// The mistake: sends GET whatever the request's method says (its hello still
// claims POST). The mock accepts GET for every operation, so only the wire
// check sees it.
// The runner must fail every scenario with a POST call, naming the method it
// saw, and its console output must contain: GET
// Otherwise this is the shipped openapi-client adapter, unchanged.
import { call, hello } from '../../../../adapters/node/openapi-client.mjs';
import { serve } from '../../../../adapters/node/protocol.mjs';

serve({ ...hello, name: `get-instead-of-post@${hello.name}` },
  (req) => call({ ...req, method: 'GET' })); // <- the mistake
