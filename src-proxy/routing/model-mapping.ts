// Which upstream kind and model serve an inbound model id. Unlike the product we are modelled on, the
// outcome never depends on hash-map order: exact rules win, then wildcards in the order the user wrote
// them, then the built-in defaults, and the first match wins at each step.

import type { ModelRule, ProviderKind } from '../contract/index.js';

export interface Route {
  provider: ProviderKind;
  model: string;
  /** the rule's `match`, or 'default' */
  rule: string;
}

/** Built-in rules, consulted after the user's. Everything goes to Anthropic unchanged for now. */
export const DEFAULT_RULES: readonly ModelRule[] = Object.freeze([Object.freeze({ match: '*', provider: 'anthropic' })]);

interface CompiledRules {
  /** Lower-cased exact ids; the first rule for an id wins, as it would in a scan. */
  exact: Map<string, ModelRule>;
  wildcards: { pattern: RegExp; rule: ModelRule }[];
}

// Rule lists are treated as values: a settings update replaces the array, it never edits it in place,
// so the array's identity is a sound cache key and a stale list is collected with its compiled form.
const compiledLists = new WeakMap<readonly ModelRule[], CompiledRules>();

// Shared across lists so that re-saving the settings does not recompile every pattern. Bounded because
// patterns come from user input; clearing it all at once is fine, compiled lists keep their own RegExps.
const PATTERN_CACHE_MAX = 1024;
const patternCache = new Map<string, RegExp>();

function isWildcard(match: string): boolean {
  return match.includes('*');
}

function compilePattern(match: string): RegExp {
  let re = patternCache.get(match);
  if (re) return re;
  // Model ids contain `.` (`gemini-2.5-flash`) and may contain other metacharacters: only `*` is special.
  const source = match
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  re = new RegExp(`^${source}$`, 'is');
  if (patternCache.size >= PATTERN_CACHE_MAX) patternCache.clear();
  patternCache.set(match, re);
  return re;
}

function compile(rules: readonly ModelRule[]): CompiledRules {
  let compiled = compiledLists.get(rules);
  if (compiled) return compiled;
  compiled = { exact: new Map(), wildcards: [] };
  for (const rule of rules) {
    if (isWildcard(rule.match)) {
      compiled.wildcards.push({ pattern: compilePattern(rule.match), rule });
    } else {
      const key = rule.match.toLowerCase();
      if (!compiled.exact.has(key)) compiled.exact.set(key, rule);
    }
  }
  compiledLists.set(rules, compiled);
  return compiled;
}

function matchUserRules(model: string, rules: readonly ModelRule[]): ModelRule | undefined {
  const { exact, wildcards } = compile(rules);
  return exact.get(model.toLowerCase()) ?? wildcards.find((w) => w.pattern.test(model))?.rule;
}

// Defaults are one ordered list, as written: their author controls precedence by position.
function matchInOrder(model: string, rules: readonly ModelRule[]): ModelRule | undefined {
  const { exact, wildcards } = compile(rules);
  const lower = model.toLowerCase();
  let w = 0;
  for (const rule of rules) {
    if (isWildcard(rule.match)) {
      if (wildcards[w++]!.pattern.test(model)) return rule;
    } else if (exact.get(lower) === rule) {
      return rule;
    }
  }
  return undefined;
}

/** Claude Code's marker for the 1M-token context; no upstream knows a model by that name. */
const CONTEXT_MARKER = /\[1m\]$/i;

export function resolveRoute(requested: string, rules: readonly ModelRule[], defaults: readonly ModelRule[] = DEFAULT_RULES): Route {
  const model = requested.replace(CONTEXT_MARKER, '');
  const rule = matchUserRules(model, rules) ?? matchInOrder(model, defaults);
  if (!rule) return { provider: 'anthropic', model, rule: 'default' };
  return { provider: rule.provider, model: rule.model ?? model, rule: rule.match };
}
