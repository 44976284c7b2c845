// Child process: the fake Code Assist backend from tests/fakes (a front in front of the fake Gemini
// API), behind the bench's Google accounts (the v1internal path), answering as gemini-phases.ts says.

import { startFakeV1Internal } from '../tests/fakes/v1internal-upstream.js';
import { CODE_ASSIST_TOKENS, GEMINI_MODEL } from './bodies.js';
import { geminiPhases } from './gemini-phases.js';
import { runChild } from './ipc.js';

runChild('fake Code Assist upstream', async () => {
  const phases = geminiPhases();
  const fake = await startFakeV1Internal({
    accounts: Object.values(CODE_ASSIST_TOKENS).map((token, i) => ({ token, project: `bench-project-${i + 1}` })),
    models: [GEMINI_MODEL],
  });
  fake.gemini.setDefault(() => {
    // As in fake-child.ts: the records of both fakes are dropped as we go.
    fake.reset();
    return phases.behaviour();
  });
  const { port } = new URL(fake.url);
  return { port: Number(port), ops: phases.ops, close: () => fake.close() };
});
