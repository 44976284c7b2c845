// Gemini `generateContent` chunks → Anthropic stream events (protocols.md E.8, E.9, E.13), through the
// StreamBuilder, which owns block indices and the event grammar. A non-streaming answer runs the same
// translator and the collector.
//
// Signatures stay with the part that carried them. A thought's signature (or a text part's) is held
// until the thinking block it belongs to closes, and becomes that block's thought signature. A
// functionCall's own signature is the call's: it is cached under the generated tool_use id and also
// rides in the thinking block right before the tool_use (the open one, or an empty one) as the call's,
// so the request mapper can put each back on its own kind of part even after a restart. Neither ever
// stands in for the other: Claude behind Code Assist checks the thinking block's signature against the
// thought, and Gemini a call's against the call. When the client did not ask for thinking, no thinking
// blocks are emitted at all and the cache alone carries the call signatures.

import { MessageAccumulator } from '../../anthropic/collector.js';
import { newId } from '../../anthropic/ids.js';
import { StreamBuilder, type StopReason } from '../../anthropic/stream-builder.js';
import type { Message, StreamEvent, Usage } from '../../anthropic/types.js';
import type { GeminiErrorBody, GenerateContentResponse, Part, UsageMetadata } from './gemini-types.js';
import { encodeSignature, type SignatureCache } from './signature-cache.js';
import { geminiModelProfile } from './thinking.js';
import type { ToolNameMap } from './tool-names.js';

export interface TranslatorOptions {
  /** The model id echoed to the client (the one it asked for). */
  model: string;
  names: ToolNameMap;
  signatures: SignatureCache;
  newToolId?: () => string;
  /** The signature family of the upstream model; geminiModelProfile(model).family by default. */
  family?: string;
  /** Whether the client asked for thinking (clientWantsThinking); when false no thinking blocks are emitted. Default true. */
  thinking?: boolean;
  /** The local input estimate for `message_start`, replaced by the upstream's count at the end. */
  inputTokens?: number;
  /** The message id; a fresh `msg_…` by default. */
  id?: string;
}

export type GeminiResponseErrorKind =
  /** Nothing usable came: no content and no reason to be empty. Gemini CLI retries these. */
  | 'empty'
  /** MALFORMED_FUNCTION_CALL / UNEXPECTED_TOOL_CALL / TOO_MANY_TOOL_CALLS before anything was said. Retryable. */
  | 'bad_tool_call'
  /** An `{"error": …}` chunk: `upstream` holds Google's error object for classification. */
  | 'upstream_error';

/**
 * The response cannot become an Anthropic message. Raised only before anything was emitted (except
 * `upstream_error`, which can come mid-stream), so a provider can still retry on another attempt.
 */
export class GeminiResponseError extends Error {
  constructor(
    readonly kind: GeminiResponseErrorKind,
    message: string,
    readonly upstream?: GeminiErrorBody,
  ) {
    super(message);
    this.name = 'GeminiResponseError';
  }
}

const REFUSALS: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'LANGUAGE',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_OTHER',
  'IMAGE_RECITATION',
]);
const BAD_TOOL_CALLS: ReadonlySet<string> = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

export type FinishClass = 'end_turn' | 'max_tokens' | 'refusal' | 'bad_tool_call';

/** What a `finishReason` means (E.8). STOP, OTHER, unknown and missing all end the turn normally. */
export function finishClass(reason: string | undefined): FinishClass {
  if (reason === 'MAX_TOKENS') return 'max_tokens';
  if (reason !== undefined && REFUSALS.has(reason)) return 'refusal';
  if (reason !== undefined && BAD_TOOL_CALLS.has(reason)) return 'bad_tool_call';
  return 'end_turn';
}

/** The Anthropic stop_reason: a tool call made takes precedence over any finishReason (E.8). */
export function stopReasonFor(reason: string | undefined, calledTools: boolean): StopReason {
  if (calledTools) return 'tool_use';
  const cls = finishClass(reason);
  return cls === 'bad_tool_call' ? 'end_turn' : cls;
}

/** `usageMetadata` → Anthropic usage (E.9): thoughts are output; cached prompt tokens are cache reads. */
export function usageFrom(meta: UsageMetadata): Partial<Usage> & { output_tokens: number } {
  const n = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const cached = n(meta.cachedContentTokenCount);
  return {
    input_tokens: Math.max(0, n(meta.promptTokenCount) - cached) + n(meta.toolUsePromptTokenCount),
    output_tokens: n(meta.candidatesTokenCount) + n(meta.thoughtsTokenCount),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

/** The short text a refusal carries when the model said nothing else. */
export function refusalText(kind: 'prompt' | 'response', reason: string): string {
  return kind === 'prompt'
    ? `The upstream model blocked this prompt (Gemini block reason: ${reason}).`
    : `The upstream model stopped without answering (Gemini finish reason: ${reason}).`;
}

export class GeminiStreamTranslator {
  private readonly builder: StreamBuilder;
  private readonly names: ToolNameMap;
  private readonly signatures: SignatureCache;
  private readonly newToolId: () => string;
  private readonly family: string;
  private readonly thinking: boolean;

  /** A signature waiting for the part it precedes. */
  private pending: string | undefined;
  /** The thoughts since the last answer part, and the last signed one with the text it signed. */
  private thoughtText = '';
  private thought: { signature: string; text: string } | undefined;
  private lastKind: 'thinking' | 'text' | 'tool_use' | null = null;
  private toolCalls = 0;
  /** Text or a tool call reached the client (thinking alone does not count as an answer). */
  private answered = false;
  private finishReason: string | undefined;
  private blockReason: string | undefined;
  private usage: (Partial<Usage> & { output_tokens: number }) | undefined;
  private finished = false;

  constructor(opts: TranslatorOptions) {
    this.builder = new StreamBuilder({
      model: opts.model,
      ...(opts.id ? { id: opts.id } : {}),
      ...(opts.inputTokens !== undefined ? { inputTokens: opts.inputTokens } : {}),
    });
    this.names = opts.names;
    this.signatures = opts.signatures;
    this.newToolId = opts.newToolId ?? (() => newId('toolu'));
    this.family = opts.family ?? geminiModelProfile(opts.model).family;
    this.thinking = opts.thinking ?? true;
  }

  /** The events one upstream chunk produces (none until there is content). */
  push(chunk: GenerateContentResponse): StreamEvent[] {
    if (this.finished) return [];
    if (chunk.error) throw new GeminiResponseError('upstream_error', chunk.error.message ?? 'Gemini stream error', chunk.error);
    if (chunk.usageMetadata) {
      this.usage = usageFrom(chunk.usageMetadata);
      this.builder.usage(this.usage);
    }
    if (chunk.promptFeedback?.blockReason) this.blockReason = chunk.promptFeedback.blockReason;
    const candidate = chunk.candidates?.[0];
    if (!candidate) return [];
    if (candidate.finishReason) this.finishReason = candidate.finishReason;
    const out: StreamEvent[] = [];
    for (const part of candidate.content?.parts ?? []) this.part(part, out);
    return out;
  }

  /**
   * The closing events: the open block, `message_delta`, `message_stop`. Throws GeminiResponseError
   * (`empty` or `bad_tool_call`) when nothing was emitted and the response gives no reason to be
   * empty, so the caller can retry; a blocked prompt or a safety stop is a refusal message, not an error.
   */
  end(): StreamEvent[] {
    if (this.finished) return [];
    const out: StreamEvent[] = [];
    // A signature after the last thinking text closes that block; after text it has no block to go on.
    if (this.pending && this.thinking && this.lastKind === 'thinking') out.push(...this.builder.signature(this.sign(this.pending, undefined)));
    this.pending = undefined;

    const cls = finishClass(this.finishReason);
    if (!this.builder.started && !this.blockReason) {
      if (cls === 'bad_tool_call') throw new GeminiResponseError('bad_tool_call', `Gemini finished with ${this.finishReason} before answering`);
      if (cls === 'end_turn') throw new GeminiResponseError('empty', `Gemini returned no content (finish reason: ${this.finishReason ?? 'none'})`);
    }
    this.finished = true;
    let stopReason = stopReasonFor(this.finishReason, this.toolCalls > 0);
    if (this.blockReason && this.toolCalls === 0) stopReason = 'refusal';
    if (stopReason === 'refusal' && !this.answered) {
      out.push(...this.builder.text(this.blockReason ? refusalText('prompt', this.blockReason) : refusalText('response', this.finishReason ?? 'OTHER')));
    }
    out.push(...this.builder.finish({ stopReason, stopSequence: null, ...(this.usage ? { usage: this.usage } : {}) }));
    return out;
  }

  private sign(thought: string | undefined, call: string | undefined): string {
    return encodeSignature(this.family, thought, call);
  }

  private part(part: Part, out: StreamEvent[]): void {
    const signature = part.thoughtSignature || undefined;
    if (part.functionCall) {
      const thought = this.pending;
      // The thought this call's turn started with, kept for a client that was not shown it: a thinking
      // Claude wants it back at the start of the turn.
      const kept = this.thought && this.thought.signature === thought && this.toolCalls === 0 ? this.thought : undefined;
      this.pending = undefined;
      this.thought = undefined;
      const id = this.newToolId();
      if ((signature || thought) && this.thinking) out.push(...this.builder.signature(this.sign(thought, signature)));
      out.push(...this.builder.toolUse({ id, name: this.names.toClient(part.functionCall.name), input: part.functionCall.args ?? {} }));
      const callId = part.functionCall.id;
      const keep = kept !== undefined && !this.thinking;
      if (signature || callId || keep) {
        this.signatures.set(id, {
          family: this.family,
          ...(signature ? { signature } : {}),
          ...(callId ? { callId } : {}),
          ...(keep ? { thought: kept } : {}),
        });
      }
      this.toolCalls++;
      this.answered = true;
      this.lastKind = 'tool_use';
      return;
    }
    if (typeof part.text !== 'string') return; // inline images, code execution: nothing a client can replay
    if (part.thought) {
      this.thoughtText += part.text;
      if (signature) {
        this.pending = signature;
        this.thought = { signature, text: this.thoughtText };
      }
      if (this.thinking && part.text !== '') {
        out.push(...this.builder.thinking(part.text));
        this.lastKind = 'thinking';
      }
      return;
    }
    if (part.text === '') {
      if (signature) this.pending = signature; // the signature of what came before, sent on its own
      return;
    }
    const sig = signature ?? this.pending;
    this.pending = undefined;
    this.thought = undefined;
    this.thoughtText = '';
    // Only at the start of a text block: a signature on a later text chunk must not split the answer
    // (a text signature is not validated, so it may go).
    if (sig && this.thinking && this.lastKind !== 'text') out.push(...this.builder.signature(this.sign(sig, undefined)));
    out.push(...this.builder.text(part.text));
    this.answered = true;
    this.lastKind = 'text';
  }
}

/** A complete (non-streamed) Gemini response as one Anthropic Message, by the same rules as a stream. */
export function toAnthropicMessage(resp: GenerateContentResponse, opts: TranslatorOptions): Message {
  const translator = new GeminiStreamTranslator(opts);
  const acc = new MessageAccumulator();
  for (const event of translator.push(resp)) acc.apply(event);
  for (const event of translator.end()) acc.apply(event);
  return acc.result();
}
