// What a rule list means against the accounts that exist (pure). The schema checks each rule's shape;
// this checks what only the accounts can tell: that the accounts and groups a link names exist for its
// provider, and that no chain names the same link twice (the second could never serve).

import type { ModelRule, ModelTarget, ProviderKind } from '../contract/index.js';
import { sameLink } from './model-mapping.js';
import { inTarget, type NamedAccount } from './target-accounts.js';

export interface RuleProblem {
  /** The field, as settings paths are written ("model_rules.0.fallback.1.accounts"). */
  path: string;
  message: string;
}

interface KnownAccount extends NamedAccount {
  provider: ProviderKind;
}

/** Stands for "the requested model" in links that do not name one: two such links send the same model. */
const REQUESTED = '\u0000requested';

export function ruleProblems(rules: readonly ModelRule[], accounts: readonly KnownAccount[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  rules.forEach((rule, i) => {
    const targets: Array<{ target: ModelTarget; path: string }> = [
      { target: rule, path: `model_rules.${i}` },
      ...(rule.fallback ?? []).map((target, j) => ({ target, path: `model_rules.${i}.fallback.${j}` })),
    ];
    const seen: Array<{ provider: ProviderKind; model: string; accounts: readonly string[] | null }> = [];
    for (const { target, path } of targets) {
      for (const name of target.accounts ?? []) {
        if (!accounts.some((a) => a.provider === target.provider && inTarget(a, [name]))) {
          problems.push({ path: `${path}.accounts`, message: `no ${target.provider} account or group is named "${name}"` });
        }
      }
      const link = { provider: target.provider, model: target.model ?? REQUESTED, accounts: target.accounts ?? null };
      const twin = seen.findIndex((s) => sameLink(s, link));
      if (twin >= 0) {
        const where = twin === 0 ? "the rule's own target" : `fallback ${twin - 1}`;
        problems.push({ path, message: `this link is the same as ${where} (same provider, model and accounts)` });
      }
      seen.push(link);
    }
  });
  return problems;
}
