// What a Gemini model accepts for thinking, and how Anthropic's thinking settings map onto it
// (protocols.md D.5, E.5). Pure: the same request and model always give the same config.
//
// The 2.5 family takes a token budget (`thinkingBudget`, -1 = dynamic); the 3 family takes a level
// (`thinkingLevel`) and cannot switch thinking off. The two are never sent together.

import type { RequestBase } from '../../anthropic/types.js';
import type { ThinkingConfig, ThinkingLevel } from './gemini-types.js';

export interface GeminiModelProfile {
  /**
   * The signature family: thought signatures are only valid on models of the same family. Versions
   * and preview tags are dropped (`gemini-3-pro-preview` → `gemini-3-pro`); an id the gateway does not
   * recognise is its own family.
   */
  family: string;
  thinking:
    | { style: 'none' }
    | { style: 'budget'; min: number; max: number; /** What "thinking off" sends; null: send no thinkingConfig. */ off: number | null }
    | { style: 'level'; levels: readonly ThinkingLevel[]; off: ThinkingLevel };
  /** The model's output limit (`outputTokenLimit`), when known. */
  maxOutputTokens: number | null;
  /** Gemini 3 rejects a replayed model step whose first functionCall has no thoughtSignature. */
  requiresSignatures: boolean;
  /** Gemini 3 accepts images and documents inside `functionResponse.parts`. */
  multimodalFunctionResponses: boolean;
}

const LEVELS: readonly ThinkingLevel[] = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];
const MODEL_PATTERN = /^gemini-(\d+)(?:\.(\d+))?-(flash-lite|flash|pro)(?![a-z])/;

const profiles = new Map<string, GeminiModelProfile>();
const MAX_PROFILES = 256;

/**
 * What the gateway knows about a Gemini model id (`models/` prefix and case ignored). Worked out once
 * per model name: several mappers ask for it on every request. Shared, so never changed by a caller.
 */
export function geminiModelProfile(model: string): GeminiModelProfile {
  let profile = profiles.get(model);
  if (!profile) {
    profile = profileOf(model);
    if (profiles.size >= MAX_PROFILES) profiles.clear();
    profiles.set(model, profile);
  }
  return profile;
}

function profileOf(model: string): GeminiModelProfile {
  const id = model
    .trim()
    .toLowerCase()
    .replace(/^models\//, '');
  const match = MODEL_PATTERN.exec(id);
  if (!match) {
    // An alias (`gemini-flash-latest`) or a model from the future: a budget is what every thinking
    // Gemini accepts, and leaving thinking at the model's default is the safe "off".
    const gemini = id.startsWith('gemini');
    return {
      family: id,
      thinking: gemini ? { style: 'budget', min: 0, max: 32768, off: null } : { style: 'none' },
      maxOutputTokens: null,
      requiresSignatures: gemini,
      multimodalFunctionResponses: false,
    };
  }
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  const tier = match[3] as 'flash-lite' | 'flash' | 'pro';
  const family = `gemini-${match[1]}${match[2] === undefined ? '' : `.${match[2]}`}-${tier}`;
  if (major >= 3) {
    // Gemini 3 Pro launched with LOW and HIGH only; 3.1 Pro added MEDIUM; Flash has all four.
    const levels: readonly ThinkingLevel[] = tier !== 'pro' ? LEVELS : major === 3 && minor === 0 ? ['LOW', 'HIGH'] : ['LOW', 'MEDIUM', 'HIGH'];
    return {
      family,
      thinking: { style: 'level', levels, off: levels[0]! },
      maxOutputTokens: 65536,
      requiresSignatures: true,
      multimodalFunctionResponses: true,
    };
  }
  const base = { family, requiresSignatures: false, multimodalFunctionResponses: false };
  if (major === 2 && minor >= 5) {
    const thinking =
      tier === 'pro'
        ? { style: 'budget' as const, min: 128, max: 32768, off: 128 } // 2.5 Pro cannot switch thinking off
        : tier === 'flash'
          ? { style: 'budget' as const, min: 1, max: 24576, off: 0 }
          : { style: 'budget' as const, min: 512, max: 24576, off: 0 };
    return { ...base, thinking, maxOutputTokens: 65536 };
  }
  return { ...base, thinking: { style: 'none' }, maxOutputTokens: 8192 };
}

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** `output_config.effort` → a 2.5 budget (-1: dynamic) and a 3 level. Starting points, not physics. */
export const EFFORT: Readonly<Record<Effort, { budget: number; level: ThinkingLevel }>> = {
  low: { budget: 2048, level: 'LOW' },
  medium: { budget: 8192, level: 'MEDIUM' },
  high: { budget: 24576, level: 'HIGH' },
  xhigh: { budget: 32768, level: 'HIGH' },
  max: { budget: -1, level: 'HIGH' },
};

/** An Anthropic budget → a Gemini 3 level: below 4096 LOW, below 16384 MEDIUM, else HIGH. */
export function levelForBudget(budget: number): ThinkingLevel {
  return budget < 4096 ? 'LOW' : budget < 16384 ? 'MEDIUM' : 'HIGH';
}

type Wanted = { kind: 'off' } | { kind: 'budget'; budget: number } | { kind: 'effort'; effort: Effort } | { kind: 'dynamic' };

function objectField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function effortOf(req: RequestBase): Effort | undefined {
  const effort = objectField(req.output_config, 'effort');
  return typeof effort === 'string' && Object.hasOwn(EFFORT, effort) ? (effort as Effort) : undefined;
}

/**
 * True when the client asked for thinking: `enabled`, `adaptive`, or a thinking type newer than the
 * gateway (`between_tools`). Absent and `disabled` are off.
 */
export function clientWantsThinking(req: RequestBase): boolean {
  const type = objectField(req.thinking, 'type');
  return typeof type === 'string' && type !== 'disabled';
}

function wanted(req: RequestBase): Wanted {
  if (!clientWantsThinking(req)) return { kind: 'off' };
  const budget = objectField(req.thinking, 'budget_tokens');
  // An explicit budget is more precise than an effort; an effort refines adaptive thinking.
  if (objectField(req.thinking, 'type') === 'enabled' && typeof budget === 'number' && Number.isFinite(budget)) return { kind: 'budget', budget };
  const effort = effortOf(req);
  return effort ? { kind: 'effort', effort } : { kind: 'dynamic' };
}

/** The nearest allowed level at or above the one asked for (more thinking, never less); else the highest. */
function clampLevel(level: ThinkingLevel, allowed: readonly ThinkingLevel[]): ThinkingLevel {
  const rank = LEVELS.indexOf(level);
  return allowed.find((l) => LEVELS.indexOf(l) >= rank) ?? allowed[allowed.length - 1]!;
}

/**
 * The `generationConfig.thinkingConfig` for a request to `model`, or undefined when none should be
 * sent (the model does not think, or it should think at its default).
 */
export function thinkingConfigFor(req: RequestBase, model: string): ThinkingConfig | undefined {
  const { thinking } = geminiModelProfile(model);
  if (thinking.style === 'none') return undefined;
  const want = wanted(req);
  const includeThoughts = want.kind !== 'off' && objectField(req.thinking, 'display') !== 'omitted';

  if (thinking.style === 'budget') {
    const clamp = (b: number) => Math.min(thinking.max, Math.max(thinking.min, Math.round(b)));
    switch (want.kind) {
      case 'off':
        return thinking.off === null ? undefined : { includeThoughts: false, thinkingBudget: thinking.off };
      case 'budget':
        return { includeThoughts, thinkingBudget: clamp(want.budget) };
      case 'effort': {
        const budget = EFFORT[want.effort].budget;
        return { includeThoughts, thinkingBudget: budget === -1 ? -1 : clamp(budget) };
      }
      case 'dynamic':
        return { includeThoughts, thinkingBudget: -1 };
    }
  }

  switch (want.kind) {
    case 'off':
      return { includeThoughts: false, thinkingLevel: thinking.off };
    case 'budget':
      return { includeThoughts, thinkingLevel: clampLevel(levelForBudget(want.budget), thinking.levels) };
    case 'effort':
      return { includeThoughts, thinkingLevel: clampLevel(EFFORT[want.effort].level, thinking.levels) };
    case 'dynamic':
      return { includeThoughts }; // the model's default level (HIGH)
  }
}
