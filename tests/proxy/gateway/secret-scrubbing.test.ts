// Whatever an upstream or Google's token endpoint says back, the secrets the gateway holds never leave
// it: not to the client, not to the request log (what the console lists and the history keeps), not to
// the live events, not to the lines `serve` prints. Keys, refresh tokens, access tokens and the OAuth
// client secret are all cut out, from stream errors as from HTTP error bodies, on every path.

import { afterEach, describe, expect, it } from 'vitest';
import { describeRequest } from '../../../src-proxy/cli/wording.js';
import type { Fault } from '../../fakes/fault-proxy.js';
import { PATHS, startPath, type PathRig } from '../../helpers/provider-paths.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';

let rig: PathRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

/** Everything the outside world got from this rig: the answer, the log as listed, the events, the printed lines. */
async function everythingSaid(r: PathRig, res: Response): Promise<string> {
  const answer = `${JSON.stringify([...res.headers])}\n${await res.text()}`;
  const listed = JSON.stringify(await r.runtime.listRequests({}));
  const accounts = JSON.stringify(await r.runtime.listAccounts());
  const printed = r.entries.map((e) => describeRequest(e)).join('\n');
  return [answer, listed, accounts, r.events.join('\n'), printed, r.internalErrors.map(String).join('\n')].join('\n');
}

function expectNoSecret(said: string, secrets: string[]): void {
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(said).not.toContain(secret);
    expect(said).not.toContain(encodeURIComponent(secret));
  }
}

const ECHOES: Array<[string, Fault]> = [
  ['an error event in the stream', { kind: 'echo_in_stream' }],
  ['a 500 error body', { kind: 'echo_credentials', status: 500 }],
  ['a 400 error body', { kind: 'echo_credentials', status: 400 }],
  ['a 429 error body', { kind: 'echo_credentials', status: 429 }],
];

describe.each(PATHS)('%s: an upstream that echoes the credentials it received', (path) => {
  it.each(ECHOES.flatMap(([name, fault]) => [false, true].map((stream) => [name, stream, fault] as const)))(
    'in %s (stream %s): no secret reaches the client, the log, the events or the printed lines',
    async (_name, stream, fault) => {
      rig = await startPath(path, { accounts: 1 });
      rig.faultOne(fault);
      const res = await postJson(`${rig.url}/v1/messages`, messagesBody({ model: rig.model, stream }));
      const said = await everythingSaid(rig, res);
      expect(rig.upstream.exchanges.some((e) => e.fault === fault.kind)).toBe(true);
      expectNoSecret(said, rig.secrets());
    },
  );
});

describe.each(['google-claude', 'google-gemini'] as const)('%s: a token endpoint that echoes the form it received', (path) => {
  it.each([400, 500])('answering %s: neither the refresh token nor the client secret gets out', async (status) => {
    rig = await startPath(path, { accounts: 1 });
    rig.faultOne({ kind: 'echo_credentials', status }, { where: 'oauth' });
    const res = await postJson(`${rig.url}/v1/messages`, messagesBody({ model: rig.model }));
    const said = await everythingSaid(rig, res);
    expect(rig.oauth!.exchanges.some((e) => e.fault === 'echo_credentials')).toBe(true);
    expectNoSecret(said, rig.secrets());
  });
});
