// The Code Assist `v1internal` envelope around a Gemini request and response (protocols.md D.11.2,
// antigravity-manager.md 4.2), built from the Gemini mapper's output; pure apart from the request id.

import { randomUUID } from 'node:crypto';
import type { CountTokensRequest, MessagesRequest } from '../../anthropic/types.js';
import type { NoteCode } from '../../contract/index.js';
import type { Content, GenerateContentRequest, GenerationConfig, Part } from '../gemini/gemini-types.js';
import type { StreamChunk } from '../gemini/event-reader.js';
import { toGeminiRequest } from '../gemini/request-mapper.js';
import type { SignatureCache } from '../gemini/signature-cache.js';
import type { ToolParametersCache } from '../gemini/tool-parameters.js';
import { clientWantsThinking } from '../gemini/thinking.js';
import type { ToolNameMap } from '../gemini/tool-names.js';
import { claudeThinkingConfig, isClaudeModel, isThinkingVariant, signatureFamily } from './code-assist-models.js';

export interface CodeAssistRequest {
  model: string;
  project: string;
  requestId: string;
  userAgent: 'antigravity';
  requestType: 'agent';
  request: GenerateContentRequest & { sessionId?: string };
}

export interface EnvelopeContext {
  /** The upstream model, bare (no `models/`). */
  model: string;
  project: string;
  names: ToolNameMap;
  signatures: SignatureCache;
  toolParameters?: ToolParametersCache;
  requestId?: string;
  /** Where the mapper notes what it changed about the history. */
  notes?: Set<NoteCode>;
}

/** The envelope for generateContent and streamGenerateContent. Throws GeminiRequestError like the mapper. */
export function toCodeAssistRequest(body: MessagesRequest | CountTokensRequest, ctx: EnvelopeContext): CodeAssistRequest {
  const claude = isClaudeModel(ctx.model);
  const request: CodeAssistRequest['request'] = toGeminiRequest(body, {
    model: ctx.model,
    names: ctx.names,
    signatures: ctx.signatures,
    family: signatureFamily(ctx.model),
    // A thinking variant thinks whatever the client asked: its tool turns start with their thoughts.
    replayThoughts: claude && (clientWantsThinking(body) || isThinkingVariant(ctx.model)),
    notes: ctx.notes,
    toolParameters: ctx.toolParameters,
  });
  if (claude) shapeForClaude(request, body, ctx.model);
  const sessionId = body.metadata?.user_id;
  if (typeof sessionId === 'string' && sessionId !== '') request.sessionId = sessionId;
  return {
    model: ctx.model,
    project: ctx.project,
    requestId: ctx.requestId ?? `agent-${randomUUID()}`,
    userAgent: 'antigravity',
    requestType: 'agent',
    request,
  };
}

/**
 * Claude behind Code Assist thinks only in its `-thinking` variant, with a budget; and checks a tool
 * call against its declaration when asked to (`VALIDATED`), which is what Claude Code expects of Claude.
 */
function shapeForClaude(request: GenerateContentRequest, body: MessagesRequest | CountTokensRequest, model: string): void {
  const config: GenerationConfig = { ...request.generationConfig };
  delete config.thinkingConfig;
  const thinkingConfig = claudeThinkingConfig(body, model);
  if (thinkingConfig) {
    config.thinkingConfig = thinkingConfig;
    // The thinking a variant does unasked comes on top of the answer's room, which must exceed it.
    const budget = thinkingConfig.thinkingBudget ?? 0;
    if (config.maxOutputTokens !== undefined && config.maxOutputTokens <= budget) config.maxOutputTokens += budget;
  }
  if (Object.keys(config).length > 0) request.generationConfig = config;
  else delete request.generationConfig;
  const hasFunctions = (request.tools ?? []).some((t) => (t.functionDeclarations ?? []).length > 0);
  if (hasFunctions && !request.toolConfig) request.toolConfig = { functionCallingConfig: { mode: 'VALIDATED' } };
}

/** The countTokens body: contents only (Code Assist counts no system or tools), thoughts as plain text. */
export function toCodeAssistCount(request: GenerateContentRequest, model: string): { request: { model: string; contents: Content[] } } {
  const contents = request.contents.map((c) => ({ role: c.role, parts: c.parts.map(plainPart) }));
  return { request: { model: `models/${model}`, contents } };
}

function plainPart(part: Part): Part {
  if (part.thought !== true && part.thoughtSignature === undefined) return part;
  const { thought: _thought, thoughtSignature: _signature, ...rest } = part;
  return rest;
}

/** One Code Assist answer (an SSE event or the whole body) as the Gemini chunk it wraps; errors pass as they are. */
export function unwrapResponse(parsed: unknown): StreamChunk {
  if (typeof parsed !== 'object' || parsed === null) return {};
  const envelope = parsed as { response?: unknown; error?: unknown };
  if (envelope.error !== undefined) return { error: envelope.error } as StreamChunk;
  // No `response` means no candidates (Gemini CLI reads it the same way).
  return typeof envelope.response === 'object' && envelope.response !== null ? (envelope.response as StreamChunk) : {};
}
