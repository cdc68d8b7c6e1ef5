#!/usr/bin/env node
// Broken on purpose (test data for onsmqtt-runner --client; see README.md).
// The mistake: leaves request_id out of every error it surfaces (the body
// still holds RequestId, which must not count).
// The runner must fail the scenarios that check an error's $.RequestId, and
// its console output must contain: request id
// Otherwise this is the shipped openapi-client adapter, unchanged.
import { call, hello } from '../../../../adapters/node/openapi-client.mjs';
import { serve } from '../../../../adapters/node/protocol.mjs';

serve({ ...hello, name: `drops-request-id@${hello.name}` }, async (req) => {
  const answer = await call(req);
  if (!answer.ok) delete answer.request_id; // <- the mistake
  return answer;
});
