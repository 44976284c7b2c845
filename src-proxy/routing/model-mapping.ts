// Which upstream kind and model serve an inbound model id. Unlike the product we are modelled on, the
// outcome never depends on hash-map order: exact rules win, then wildcards in the order the user wrote
// them, then the built-in defaults, and the first match wins at each step.

import type { ModelRule, ModelTarget, ProviderKind } from '../contract/index.js';

/** One target of a route: a provider kind and the upstream model, optionally only some of its accounts. */
export interface RouteLink {
  provider: ProviderKind;
  model: string;
  /** Account labels or group names; null: every account of the provider. */
  accounts: readonly string[] | null;
}

export interface Route {
  /** The primary link's provider and model (`links[0]`). */
  provider: ProviderKind;
  model: string;
  /** the rule's `match`, or 'default' */
  rule: string;
  /** The rule's own target, then its fallback targets, in order; never empty. */
  links: readonly RouteLink[];
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

function linkOf(target: ModelTarget, model: string): RouteLink {
  return { provider: target.provider, model: target.model ?? model, accounts: target.accounts ?? null };
}

export function resolveRoute(requested: string, rules: readonly ModelRule[], defaults: readonly ModelRule[] = DEFAULT_RULES): Route {
  const model = requested.replace(CONTEXT_MARKER, '');
  const rule = matchUserRules(model, rules) ?? matchInOrder(model, defaults);
  if (!rule) return { provider: 'anthropic', model, rule: 'default', links: [{ provider: 'anthropic', model, accounts: null }] };
  const primary = linkOf(rule, model);
  const links = rule.fallback === undefined ? [primary] : [primary, ...rule.fallback.map((t) => linkOf(t, model))];
  return { provider: primary.provider, model: primary.model, rule: rule.match, links };
}

/** The same provider, upstream model and accounts: a chain naming such a link twice is refused. */
export function sameLink(a: RouteLink, b: RouteLink): boolean {
  if (a.provider !== b.provider || a.model.toLowerCase() !== b.model.toLowerCase()) return false;
  const names = (l: RouteLink) =>
    l.accounts === null
      ? ''
      : [...l.accounts]
          .map((n) => n.toLowerCase())
          .sort()
          .join('\u0000');
  return names(a) === names(b);
}
