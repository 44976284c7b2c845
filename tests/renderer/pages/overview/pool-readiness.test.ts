import { describe, expect, it } from 'vitest';
import { poolReadiness } from '../../../../src-renderer/pages/overview/pool-readiness.js';
import { account } from '../../fake-control.js';

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

describe('whether the pool can answer', () => {
  it.each([
    ['no account at all', [], 'empty'],
    ['one ready account', [{}], 'ready'],
    ['only refused keys', [{ health: 'invalid' }, { health: 'invalid' }], 'blocked'],
    ['only switched-off accounts', [{ enabled: false }], 'blocked'],
    ['one not served upstream, one off', [{ learned: { disabled_reason: 'Account suspended' } }, { enabled: false }], 'blocked'],
    [
      'refused keys and one cooling: it serves after its cooldown',
      [{ health: 'invalid' }, { cooldowns: [{ model: '*', until: NOW + 1, reason: 'rate_limit' }] }],
      'ready',
    ],
  ] as const)('%s', (_name, fields, kind) => {
    const accounts = fields.map((f, i) => account({ label: `a${i}`, ...f }));
    expect(poolReadiness(accounts, NOW).kind).toBe(kind);
  });

  it('names which accounts want a new key and which want switching on', () => {
    const refused = account({ label: 'zai', health: 'invalid' });
    const off = account({ label: 'kimi', enabled: false });
    expect(poolReadiness([off, refused], NOW)).toEqual({ kind: 'blocked', invalid: [refused], disabled: [off] });
  });
});
