// Child process: the fake Gemini API from tests/fakes, behind the gateway's Gemini accounts (the
// translated path), answering as gemini-phases.ts says. Gemini has no event before its first content,
// so the pause before the first token comes before the response's first byte.

import { startFakeGemini } from '../tests/fakes/gemini-upstream.js';
import { geminiPhases, replayHeaders } from './gemini-phases.js';
import { runChild } from './ipc.js';

runChild('fake Gemini upstream', async () => {
  const phases = geminiPhases();
  const fake = await startFakeGemini({
    defaultBehaviour: (rec) => {
      phases.saw(() => ({ path: rec.query ? `${rec.path}?${rec.query}` : rec.path, headers: replayHeaders(rec.headers), body: rec.rawBody.toString('utf8') }));
      // As in fake-child.ts: the record of every request and of every byte sent is dropped as we go.
      fake.reset();
      return phases.behaviour();
    },
  });
  const { port } = new URL(fake.url);
  return { port: Number(port), ops: phases.ops, close: () => fake.close() };
});
