#!/usr/bin/env node
// Broken on purpose (test data for onsmqtt-runner --client; see README.md).
// The mistake: signs with a secret other than the one given (the given
// secret with one character appended).
// The runner must fail the scenarios that expect a success (the mock answers
// SignatureDoesNotMatch; on the wire the signature does not verify), and its
// console output must contain: signature
// Otherwise this is the shipped pop-core adapter, unchanged.
import { call, hello } from '../../../../adapters/node/pop-core.mjs';
import { serve } from '../../../../adapters/node/protocol.mjs';

serve({ ...hello, name: `wrong-secret@${hello.name}` },
  (req) => call({ ...req, credentials: { ...req.credentials, secret: `${req.credentials.secret}x` } })); // <- the mistake
