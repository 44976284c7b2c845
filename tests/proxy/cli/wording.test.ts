import { describe, expect, it } from 'vitest';
import type { AuthMode, RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { describeBug, describeListening, describeRequest, remoteBaseUrls } from '../../../src-proxy/cli/wording.js';
import { makeEntry } from '../logs/entry-fixture.js';

describe('describeListening: the address really bound, and who can reach it', () => {
  it.each<[string, number, AuthMode, string]>([
    ['127.0.0.1', 8045, 'off', '127.0.0.1:8045 (loopback only; auth off)'],
    ['localhost', 8045, 'strict', 'localhost:8045 (loopback only; auth strict)'],
    ['::1', 8045, 'off', '[::1]:8045 (loopback only; auth off)'],
    ['0.0.0.0', 8045, 'strict', '0.0.0.0:8045 (all interfaces; auth strict)'],
    ['::', 9000, 'all-except-health', '[::]:9000 (all interfaces; auth all-except-health)'],
    ['192.168.1.20', 8045, 'strict', '192.168.1.20:8045 (reachable from the network; auth strict)'],
    ['fd00::5', 8045, 'strict', '[fd00::5]:8045 (reachable from the network; auth strict)'],
  ])('%s:%s, auth %s -> %s', (host, port, mode, text) => {
    expect(describeListening(host, port, mode)).toBe(text);
  });
});

describe('remoteBaseUrls: what other machines would use', () => {
  it.each<[string, string[], string[]]>([
    ['127.0.0.1', ['192.168.1.20'], []],
    ['::1', ['192.168.1.20'], []],
    ['0.0.0.0', ['192.168.1.20', '10.0.0.5'], ['http://192.168.1.20:8045', 'http://10.0.0.5:8045']],
    ['::', ['192.168.1.20', 'fd00::5'], ['http://192.168.1.20:8045', 'http://[fd00::5]:8045']],
    ['0.0.0.0', [], ["http://<this machine's address>:8045"]],
    ['192.168.1.20', ['10.0.0.5'], ['http://192.168.1.20:8045']],
  ])('bound to %s with interfaces %j -> %j', (host, interfaces, urls) => {
    expect(remoteBaseUrls(host, 8045, interfaces)).toEqual(urls);
  });
});

describe('describeRequest: the one line serve prints per request', () => {
  const at = Date.parse('2026-12-01T10:20:30.400Z');
  it.each<[string, Partial<RequestLogEntry>, string]>([
    ['a served request', {}, '10:20:30 200 POST /v1/messages claude-sonnet-4-5 [a@example.com] 40ms 100/50 tok'],
    ['a mapped model', { mapped_model: 'glm-4.6' }, '10:20:30 200 POST /v1/messages claude-sonnet-4-5 -> glm-4.6 [a@example.com] 40ms 100/50 tok'],
    ['a warmup', { local: 'warmup', account_label: null }, '10:20:30 200 POST /v1/messages claude-sonnet-4-5 [warmup, answered locally] 40ms 100/50 tok'],
    [
      'a failure after retries, its message kept on one line',
      {
        status: 502,
        input_tokens: null,
        output_tokens: null,
        attempts: [makeEntry('x', at).attempts[0]!, makeEntry('x', at).attempts[0]!],
        error_message: 'upstream said:\n  bad\tgateway ',
      },
      '10:20:30 502 POST /v1/messages claude-sonnet-4-5 [a@example.com] 40ms after 2 attempts upstream said: bad gateway',
    ],
    [
      'a request without a model',
      { path: '/v1/models', method: 'GET', inbound_model: null, mapped_model: null, account_label: null, input_tokens: null, output_tokens: null },
      '10:20:30 200 GET /v1/models 40ms',
    ],
  ])('%s', (_title, overrides, expected) => {
    expect(describeRequest(makeEntry('req_1', at, { output_tokens: 50, ...overrides }))).toBe(expected);
  });
});

describe('describeBug: one line for the user, the stack only when asked', () => {
  const bug = new TypeError('accounts is not iterable');
  it('says what broke, and how to see where', () => {
    const line = describeBug(bug, {});
    expect(line).toBe('switchyard: internal error: accounts is not iterable (run again with SWITCHYARD_DEBUG=1 to see where it happened)');
    expect(line).not.toContain('\n');
  });

  it('gives the stack with SWITCHYARD_DEBUG', () => {
    expect(describeBug(bug, { SWITCHYARD_DEBUG: '1' })).toContain(bug.stack!);
  });
});
