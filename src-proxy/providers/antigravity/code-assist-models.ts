// Which model a Code Assist request goes to, and how thinking is asked of it (pure). Code Assist serves
// two families: Gemini models, which take the Gemini thinking settings, and Claude models, offered in a
// plain and a `-thinking` variant; only the variant thinks, with a token budget like Anthropic's own.

import { activeToolTurn, startsWithThinking } from '../../anthropic/tool-turn.js';
import type { ContentBlock, RequestBase } from '../../anthropic/types.js';
import type { ThinkingConfig } from '../gemini/gemini-types.js';
import { decodeSignature } from '../gemini/signature-cache.js';
import { clientWantsThinking, EFFORT, geminiModelProfile, type Effort } from '../gemini/thinking.js';

const THINKING_SUFFIX = '-thinking';
/** Anthropic's smallest budget; a thinking Claude refuses less. */
export const CLAUDE_MIN_BUDGET = 1024;
/** What adaptive thinking without an effort gets. */
export const CLAUDE_DEFAULT_BUDGET = 16_384;

export function isClaudeModel(model: string): boolean {
  return /^claude-/i.test(model);
}

export function isThinkingVariant(model: string): boolean {
  return model.toLowerCase().endsWith(THINKING_SUFFIX);
}

/**
 * The model to send: the `-thinking` variant of `model` when the client asked for thinking and the
 * account offers that variant, else `model` as routed.
 */
export function upstreamModelFor(model: string, wantsThinking: boolean, offered: readonly string[]): string {
  if (!wantsThinking || isThinkingVariant(model)) return model;
  const variant = `${model}${THINKING_SUFFIX}`.toLowerCase();
  return offered.find((m) => m.toLowerCase() === variant) ?? model;
}

/**
 * The family a thought signature belongs to: signatures are bound to the model that issued them, and
 * to this backend (a Gemini API key's signature means nothing to Code Assist).
 */
export function signatureFamily(model: string): string {
  return `code-assist/${isClaudeModel(model) ? model.toLowerCase() : geminiModelProfile(model).family}`;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The thinkingConfig for a Claude model: none unless the client asked for thinking and the model is a
 * thinking variant; the client's budget (or one for its effort), kept below max_tokens as Anthropic requires.
 */
export function claudeThinkingConfig(req: RequestBase, model: string): ThinkingConfig | undefined {
  if (!isThinkingVariant(model) || !clientWantsThinking(req)) return undefined;
  const asked = field(req.thinking, 'budget_tokens');
  const effort = field(req.output_config, 'effort');
  let budget =
    field(req.thinking, 'type') === 'enabled' && typeof asked === 'number' && Number.isFinite(asked)
      ? asked
      : typeof effort === 'string' && Object.hasOwn(EFFORT, effort) && EFFORT[effort as Effort].budget > 0
        ? EFFORT[effort as Effort].budget
        : CLAUDE_DEFAULT_BUDGET;
  const maxTokens = req.max_tokens;
  if (typeof maxTokens === 'number' && Number.isFinite(maxTokens)) budget = Math.min(budget, maxTokens - 1);
  budget = Math.max(CLAUDE_MIN_BUDGET, Math.floor(budget));
  return { includeThoughts: field(req.thinking, 'display') !== 'omitted', thinkingBudget: budget };
}

/**
 * Whether a thinking Claude can take this request as it is. Claude checks that a thinking tool loop's
 * assistant turn starts with its own signed thinking; a turn another family (or another Claude) served
 * has none it can verify, and the request would be refused. Then thinking is off for this turn (the plain
 * model when the account offers it), which Claude accepts; the turns after it think again.
 */
export function claudeTurnPlan(req: RequestBase, model: string, offered: readonly string[]): { model: string; thinkingOff: boolean } {
  if (!isClaudeModel(model) || !isThinkingVariant(model) || !clientWantsThinking(req)) return { model, thinkingOff: false };
  const turn = activeToolTurn(req.messages);
  const family = signatureFamily(model);
  const verifiable = (block: ContentBlock) => {
    const decoded = decodeSignature(block.signature);
    return decoded !== null && decoded.family === family && decoded.signature !== undefined;
  };
  if (!turn || startsWithThinking(turn, verifiable)) return { model, thinkingOff: false };
  const base = model.slice(0, -THINKING_SUFFIX.length).toLowerCase();
  return { model: offered.find((m) => m.toLowerCase() === base) ?? model, thinkingOff: true };
}
