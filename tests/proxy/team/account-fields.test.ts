// The conflict rule of a shared account, field by field.

import { describe, expect, it } from 'vitest';
import { AccountSchema, type Account } from '../../../src-proxy/contract/index.js';
import { accountFromFields, accountToFields, applyFieldOps, diffAccount, mergeFieldOps } from '../../../src-proxy/team/account-fields.js';

const NOW = 1_000_000;
const base: Account = AccountSchema.parse({
  id: 'acct_1',
  provider: 'anthropic',
  label: 'a@example.com',
  options: { base_url: 'https://api.example.com' },
  created_at: 1,
  stats: { requests: 10, failures: 1, input_tokens: 100, output_tokens: 50, last_used_at: 5 },
});
const withChange = (change: Partial<Account>) => ({ ...base, ...change }) as Account;

describe('an account as fields', () => {
  it('round-trips', () => {
    const a = withChange({ cooldowns: [{ model: '*', until: NOW + 5, reason: 'rate_limit' }], learned: { ...base.learned, project_id: 'p' } });
    expect(accountFromFields(accountToFields(a))).toEqual(a);
  });

  it('is not an account while fields are missing', () => {
    expect(accountFromFields({ 'f:label': '"x"' })).toBeNull();
  });
});

describe('diffAccount', () => {
  it.each<[string, Partial<Account>, ReturnType<typeof diffAccount>]>([
    [
      'a success adds to the counters',
      { stats: { ...base.stats, requests: 11, output_tokens: 70 } },
      { set: {}, incr: { 'stats:requests': 1, 'stats:output_tokens': 20 }, del: [] },
    ],
    [
      'a cooldown is written for its model only',
      { cooldowns: [{ model: 'm', until: NOW + 10, reason: 'rate_limit' }] },
      { set: { 'cd:m': JSON.stringify({ until: NOW + 10, reason: 'rate_limit' }) }, incr: {}, del: [] },
    ],
    ['a label change writes the label only', { label: 'b@example.com' }, { set: { 'f:label': '"b@example.com"' }, incr: {}, del: [] }],
    ['nothing changed, nothing written', {}, { set: {}, incr: {}, del: [] }],
  ])('%s', (_title, change, expected) => {
    expect(diffAccount(base, withChange(change), NOW)).toEqual(expected);
  });

  it('lifts a running cooldown, but never deletes one that has run out (another gateway may have renewed it)', () => {
    const cooling = withChange({
      cooldowns: [
        { model: 'running', until: NOW + 10, reason: 'rate_limit' },
        { model: 'over', until: NOW - 1, reason: 'rate_limit' },
      ],
    });
    expect(diffAccount(cooling, withChange({ cooldowns: [] }), NOW).del).toEqual(['cd:running']);
  });

  it('two gateways’ counters both land, whatever their order', () => {
    const fromA = diffAccount(base, withChange({ stats: { ...base.stats, requests: 12 } }), NOW);
    const fromB = diffAccount(base, withChange({ stats: { ...base.stats, requests: 13 } }), NOW);
    const stored = accountToFields(base);
    expect(applyFieldOps(applyFieldOps(stored, fromA), fromB)['stats:requests']).toBe('15');
    expect(applyFieldOps(stored, mergeFieldOps(fromB, fromA))['stats:requests']).toBe('15');
  });
});
