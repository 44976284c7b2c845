// Which model a Code Assist request goes to, and how thinking is asked of it (pure). Code Assist serves
// two families: Gemini models, which take the Gemini thinking settings, and Claude models, offered in a
// plain and a `-thinking` variant; only the variant thinks, with a token budget like Anthropic's own.

import { activeToolTurn, startsWithThinking } from '../../anthropic/tool-turn.js';
import type { ContentBlock, RequestBase } from '../../anthropic/types.js';
import type { ThinkingConfig } from '../gemini/gemini-types.js';
import { decodeSignature, type SignatureEntry } from '../gemini/signature-cache.js';
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
 * account offers that variant, or when the account offers only the variant (Code Assist offers
 * `claude-opus-4-6-thinking` and no `claude-opus-4-6`); else `model` as routed.
 */
export function upstreamModelFor(model: string, wantsThinking: boolean, offered: readonly string[]): string {
  if (isThinkingVariant(model)) return model;
  const lower = model.toLowerCase();
  const variant = offered.find((m) => m.toLowerCase() === `${lower}${THINKING_SUFFIX}`);
  if (variant === undefined) return model;
  if (wantsThinking || !offered.some((m) => m.toLowerCase() === lower)) return variant;
  return model;
}

/** The plain model of a `-thinking` variant, when the account offers it. */
function plainOf(model: string, offered: readonly string[]): string | undefined {
  const base = model.slice(0, -THINKING_SUFFIX.length).toLowerCase();
  return offered.find((m) => m.toLowerCase() === base);
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
 * The thinkingConfig for a Claude model: none for a plain model. A thinking variant always thinks: with
 * the client's budget (or one for its effort), kept below max_tokens as Anthropic requires; with the
 * smallest budget and its thoughts kept from the client when the client did not ask for thinking.
 */
export function claudeThinkingConfig(req: RequestBase, model: string): ThinkingConfig | undefined {
  if (!isThinkingVariant(model)) return undefined;
  if (!clientWantsThinking(req)) return { includeThoughts: false, thinkingBudget: CLAUDE_MIN_BUDGET };
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

/** How a request reaches a Claude model over Code Assist when its history is not all that model's own. */
export interface ClaudeTurnPlan {
  model: string;
  /** Send this request with thinking off (on the plain model). */
  thinkingOff: boolean;
  /** Send the tool turn this request continues as text, the model being one that always thinks. */
  toolTurnAsText: boolean;
}

/**
 * Whether a thinking Claude can take this request as it is. Claude checks that a thinking tool loop's
 * assistant turn starts with its own signed thinking: carried by the turn's first block, or kept by the
 * gateway for its first call when the client was not shown it. A turn another family (or another Claude)
 * served has none it can verify, and the request would be refused. Then thinking is off for this turn on
 * the plain model, which Claude accepts; where the account offers only the thinking variant, the tool
 * turn goes as text instead, which needs no signature. The turns after it are as usual.
 */
export function claudeTurnPlan(
  req: RequestBase,
  model: string,
  offered: readonly string[],
  cached: (toolUseId: string) => SignatureEntry | undefined = () => undefined,
): ClaudeTurnPlan {
  const asIs = { model, thinkingOff: false, toolTurnAsText: false };
  if (!isClaudeModel(model) || !isThinkingVariant(model)) return asIs;
  const turn = activeToolTurn(req.messages);
  if (!turn) return asIs;
  const family = signatureFamily(model);
  const verifiable = (block: ContentBlock) => {
    const decoded = decodeSignature(block.signature);
    return decoded !== null && decoded.family === family && decoded.signature !== undefined;
  };
  if (startsWithThinking(turn, verifiable)) return asIs;
  const firstCall = Array.isArray(turn.content) ? turn.content.find((b) => b?.type === 'tool_use') : undefined;
  const kept = typeof firstCall?.id === 'string' ? cached(firstCall.id) : undefined;
  if (kept?.thought && kept.family === family) return asIs;
  const plain = plainOf(model, offered);
  if (plain !== undefined && clientWantsThinking(req)) return { model: plain, thinkingOff: true, toolTurnAsText: false };
  return { model, thinkingOff: false, toolTurnAsText: true };
}
