// What an account's state means for the user, from its health, cooldowns and what the upstream said.

import { ALL_MODELS, type Account } from '../../../src-proxy/contract/index.js';
import { describeFailure } from '../../wording/errors.js';
import { formatUntil } from '../../format/format.js';

export type AccountState =
  | { kind: 'disabled' }
  | { kind: 'ok' }
  /** Never used and never tested: nothing is known yet about whether its key works. */
  | { kind: 'untried' }
  | { kind: 'invalid'; reason: string | null }
  | { kind: 'cooling'; cooldowns: Array<{ model: string; until: number; reason: string }> };

export function accountState(a: Account, now: number): AccountState {
  if (!a.enabled) return { kind: 'disabled' };
  if (a.health === 'invalid') return { kind: 'invalid', reason: a.health_message ?? a.learned.disabled_reason };
  if (a.learned.disabled_reason) return { kind: 'invalid', reason: a.learned.disabled_reason };
  const active = a.cooldowns.filter((c) => c.until > now).map((c) => ({ model: c.model, until: c.until, reason: describeFailure(c.reason) }));
  if (active.length > 0) return { kind: 'cooling', cooldowns: active };
  if (a.stats.requests === 0 && a.last_test === null && a.health === 'ok') return { kind: 'untried' };
  return { kind: 'ok' };
}

/** The state in one line, e.g. "cooling until 14:05 (in 3 min) for claude-opus-4-1: rate limited". */
export function describeAccountState(s: AccountState, now: number, clock: (t: number) => string): string {
  switch (s.kind) {
    case 'disabled':
      return 'disabled';
    case 'ok':
      return 'ok';
    case 'untried':
      return 'not tried yet';
    case 'invalid':
      return s.reason ? `invalid: ${s.reason}` : 'invalid: the upstream refused its key or token';
    case 'cooling':
      return s.cooldowns
        .map(
          (c) => `cooling until ${clock(c.until)} (${formatUntil(c.until, now)}) ${c.model === ALL_MODELS ? 'for every model' : `for ${c.model}`}: ${c.reason}`,
        )
        .join('; ');
  }
}
