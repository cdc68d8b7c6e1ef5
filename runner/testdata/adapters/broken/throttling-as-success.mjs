#!/usr/bin/env node
// Broken on purpose (test data for onsmqtt-runner --client; see README.md).
// The mistake: turns openapi-core's ThrottlingError (HTTP 400,
// Throttling.User) into a success with status 200.
// The runner must fail the throttling scenarios (the burst's outcomes; the
// status and ok compared with what the mock answered, both statuses named),
// and its console output must contain: Throttling.User
// Otherwise this is the shipped openapi-core adapter, unchanged.
import { call, hello } from '../../../../adapters/node/openapi-core.mjs';
import { serve } from '../../../../adapters/node/protocol.mjs';

serve({ ...hello, name: `throttling-as-success@${hello.name}` }, async (req) => {
  const answer = await call(req);
  if (!answer.ok && answer.code === 'Throttling.User') { // <- the mistake
    return { ok: true, status: 200, request_id: answer.request_id, body: answer.body };
  }
  return answer;
});
