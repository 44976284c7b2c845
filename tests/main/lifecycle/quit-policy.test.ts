// Quitting with a stream in flight: the gateway stops taking requests, the stream finishes, then the app
// exits; a second quit while that happens changes nothing.

import { afterEach, describe, expect, it } from 'vitest';
import { QuitPolicy } from '../../../src-main/lifecycle/quit-policy.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-upstream.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { messagesBody, postJson } from '../../helpers/sse-client.js';

let upstream: FakeAnthropic | undefined;
let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
});

function preventable() {
  const e = { prevented: false, preventDefault: () => (e.prevented = true) };
  return e;
}

describe('QuitPolicy', () => {
  it('lets a stream in flight finish, refuses new requests meanwhile, then exits 0', async () => {
    upstream = await startFakeAnthropic();
    gateway = await startGateway({ accounts: [{ label: 'a', baseUrl: upstream.url, key: 'k' }] });
    // A slow stream: its events are spread over a few hundred milliseconds.
    upstream.script({ kind: 'reply', text: 'slow answer arriving in pieces', chunks: 8, chunkDelayMs: 40 });
    const streaming = postJson(`${gateway.url}/v1/messages`, messagesBody({ stream: true }));
    await upstream.waitFor(() => upstream!.messageRequests().length === 1);

    const exits: number[] = [];
    const exited = new Promise<void>((resolve) => {
      const policy = new QuitPolicy({ shutdown: (grace) => gateway!.runtime.close(grace), exit: (code) => (exits.push(code), resolve()), graceMs: 5000 });
      const first = preventable();
      policy.onBeforeQuit(first);
      expect(first.prevented).toBe(true);
      expect(policy.isQuitting).toBe(true);
      const second = preventable();
      policy.onBeforeQuit(second);
      expect(second.prevented).toBe(true);
    });

    await expect(postJson(`${gateway.url}/v1/messages`, messagesBody())).rejects.toThrow();
    const res = await streaming;
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('event: message_stop');
    await exited;
    expect(exits).toEqual([0]);
    gateway = undefined;
  });

  it('exits 1 when shutdown fails, and when it hangs past the hard limit', async () => {
    const codes: number[] = [];
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      new QuitPolicy({
        shutdown: () => Promise.reject(new Error('disk gone')),
        exit: (c) => (codes.push(c), resolve()),
        onError: (e) => errors.push(e),
      }).onBeforeQuit(preventable());
    });
    await new Promise<void>((resolve) => {
      new QuitPolicy({ shutdown: () => new Promise(() => undefined), exit: (c) => (codes.push(c), resolve()), hardLimitMs: 20 }).onBeforeQuit(preventable());
    });
    expect(codes).toEqual([1, 1]);
    expect(errors).toHaveLength(1);
  });
});
