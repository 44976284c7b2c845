import { describe, expect, it } from 'vitest';
import { accountState, describeAccountState } from '../../../../src-renderer/pages/accounts/account-state.js';
import { account } from '../../fake-control.js';

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const clock = (t: number) => new Date(t).toISOString().slice(11, 16);

describe('what an account state says', () => {
  it.each([
    ['never used nor tested', {}, 'not tried yet'],
    ['used', { stats: { requests: 3 } }, 'ok'],
    ['tested and answered', { last_test: { at: 1, method: 'count_tokens', model: 'm', failure: null, status: null, message: null, latency_ms: 9 } }, 'ok'],
    ['switched off, whatever else', { enabled: false, health: 'invalid' }, 'disabled'],
    ['key refused, in the upstream words', { health: 'invalid', health_message: 'invalid x-api-key' }, 'invalid: invalid x-api-key'],
    ['key refused without words', { health: 'invalid' }, 'invalid: the upstream refused its key or token'],
    [
      'not served by the upstream',
      { learned: { project_id: null, disabled_reason: 'Account suspended', quota: [], updated_at: 1 } },
      'invalid: Account suspended',
    ],
    [
      'cooling for one model',
      { cooldowns: [{ model: 'claude-opus-4-1', until: NOW + 10 * 60_000, reason: 'rate_limit' }] },
      'cooling until 12:10 (in 10 min) for claude-opus-4-1: rate limited',
    ],
    [
      'cooling for every model',
      { cooldowns: [{ model: '*', until: NOW + 2 * 3_600_000, reason: 'overloaded' }] },
      'cooling until 14:00 (in 2 h) for every model: upstream overloaded',
    ],
    ['a cooldown that has passed', { stats: { requests: 1 }, cooldowns: [{ model: 'm', until: NOW - 1, reason: 'rate_limit' }] }, 'ok'],
  ] as const)('%s', (_name, fields, words) => {
    const a = account({ label: 'a', ...fields });
    expect(describeAccountState(accountState(a, NOW), NOW, clock)).toBe(words);
  });
});
