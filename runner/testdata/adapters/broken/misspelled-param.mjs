#!/usr/bin/env node
// Broken on purpose (test data for onsmqtt-runner --client; see README.md).
// The mistake: sends the parameter DeviceSn as "DeviceSN".
// The runner must fail every scenario that sends DeviceSn, judging the wire
// (an unknown parameter, with "did you mean"), and its console output must
// contain: DeviceSN
// Otherwise this is the shipped openapi-client adapter, unchanged.
import { call, hello } from '../../../../adapters/node/openapi-client.mjs';
import { serve } from '../../../../adapters/node/protocol.mjs';

function misspell(params) {
  const out = {};
  for (const [name, value] of Object.entries(params)) out[name === 'DeviceSn' ? 'DeviceSN' : name] = value;
  return out;
}

serve({ ...hello, name: `misspelled-param@${hello.name}` },
  (req) => call({ ...req, params: misspell(req.params) })); // <- the mistake
