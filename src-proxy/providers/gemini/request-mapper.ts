// Anthropic Messages request → Gemini `generateContent` request (protocols.md E.1–E.7).
//
// The output is built from scratch, field by field: whatever the mapper does not know (metadata,
// context_management, container, service_tier, cache_control anywhere, tool-search fields, betas
// carried in the body) is never forwarded, because Gemini rejects unknown fields with a 400.

import { mergeConsecutiveSameRole } from '../../anthropic/cleanup.js';
import type { ContentBlock, CountTokensRequest, InputMessage, MessagesRequest } from '../../anthropic/types.js';
import type { NoteCode } from '../../contract/index.js';
import type { Content, FunctionDeclaration, GenerateContentRequest, GenerationConfig, Part, Tool, ToolConfig } from './gemini-types.js';
import { sanitizeToolParameters } from './schema-sanitizer.js';
import { decodeSignature, type SignatureCache, type SignatureEntry } from './signature-cache.js';
import { geminiModelProfile, thinkingConfigFor, type GeminiModelProfile } from './thinking.js';
import type { ToolParametersCache } from './tool-parameters.js';
import type { ToolNameMap } from './tool-names.js';

/** Gemini CLI's documented value for a functionCall whose real signature is not known. */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';
/** Gemini accepts at most five stop sequences. */
export const MAX_STOP_SEQUENCES = 5;
/** What a tool call without a result is answered with, so every call keeps its response. */
export const MISSING_RESULT = 'Tool result missing (interrupted).';
/** Image types Gemini reads; anything else (GIF) becomes a short note instead of a 400. */
export const GEMINI_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);

const BILLING_HEADER_PREFIX = 'x-anthropic-billing-header:';

/** The request cannot be expressed for Gemini; the caller answers 400 `invalid_request_error` with the message. */
export class GeminiRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeminiRequestError';
  }
}

export interface RequestMapperContext {
  /** The upstream Gemini model id. */
  model: string;
  names: ToolNameMap;
  signatures: SignatureCache;
  /** The signature family (see SignatureEntry.family); geminiModelProfile(model).family by default. */
  family?: string;
  /**
   * Send signed thinking back as thought parts (text and signature) instead of dropping the text: Claude
   * models behind Code Assist check a tool turn's thinking the way Anthropic does. Default false.
   */
  replayThoughts?: boolean;
  /** Where the mapper notes what it changed about the history (thinking it could not replay). */
  notes?: Set<NoteCode>;
  /** Tool parameters made for earlier requests from the same schemas; without it, every request makes its own. */
  toolParameters?: ToolParametersCache;
}

type Block = ContentBlock;
type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function blocksOf(content: InputMessage['content'] | unknown): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content.filter(isObject) as Block[]) : [];
}

/** What the mapper needs to know about every tool_use in the history before it maps any turn. */
interface KnownCall {
  clientName: string;
  /** The id sent as `functionCall.id` and `functionResponse.id`: Gemini's own when it gave one. */
  callId: string;
  cached: SignatureEntry | undefined;
}

interface State {
  ctx: RequestMapperContext;
  profile: GeminiModelProfile;
  family: string;
  calls: Map<string, KnownCall>;
  /** Parts that came out of a tool_result but are not function responses (images for pre-3 models). */
  resultSiblings: WeakSet<Part>;
  /** A thinking block of the history was dropped: another family's, or Anthropic's own. */
  droppedThinking: boolean;
}

export function toGeminiRequest(req: MessagesRequest | CountTokensRequest, ctx: RequestMapperContext): GenerateContentRequest {
  const profile = geminiModelProfile(ctx.model);
  const state: State = {
    ctx,
    profile,
    family: ctx.family ?? profile.family,
    calls: scanCalls(req.messages, ctx.signatures),
    resultSiblings: new WeakSet(),
    droppedThinking: false,
  };

  const systemTexts = systemTextsOf(req.system);
  // Mid-conversation system messages join the system instruction, after the top-level system.
  for (const message of req.messages) if (message.role === 'system') systemTexts.push(...systemTextsOf(message.content));
  // Merged first, so a thinking block's signature reaches the call that follows it in the next message.
  const { messages } = mergeConsecutiveSameRole({ messages: req.messages.filter((m) => m.role !== 'system') });
  const raw: Content[] = [];
  for (const message of messages) {
    const content = message.role === 'assistant' ? modelContent(message, state) : userContent(message, state);
    if (content.parts.length > 0) raw.push(content);
  }
  const contents = attachSkipSignatures(pairCallsWithResponses(mergeSameRole(raw), state), profile);
  if (state.droppedThinking) ctx.notes?.add('thinking_dropped');
  if (contents.length === 0) throw new GeminiRequestError('messages: at least one message with content is required');

  const out: GenerateContentRequest = { contents };
  const { tools, toolConfig, systemHints } = mapTools(req, ctx.names, ctx.toolParameters);
  systemTexts.push(...systemHints);
  if (systemTexts.length > 0) out.systemInstruction = { parts: systemTexts.map((text) => ({ text })) };
  if (tools) out.tools = tools;
  if (toolConfig) out.toolConfig = toolConfig;
  const generationConfig = generationConfigFor(req, ctx.model, profile);
  if (generationConfig) out.generationConfig = generationConfig;
  return out;
}

// ---- system ----

function systemTextsOf(system: MessagesRequest['system'] | InputMessage['content']): string[] {
  const texts: string[] = [];
  for (const block of blocksOf(system)) {
    const text = block.type === 'text' ? str(block.text) : undefined;
    // Claude Code's billing header is for Anthropic's servers, not part of the prompt.
    if (text && !text.startsWith(BILLING_HEADER_PREFIX)) texts.push(text);
  }
  return texts;
}

// ---- history scan ----

function scanCalls(messages: InputMessage[], signatures: SignatureCache): Map<string, KnownCall> {
  const calls = new Map<string, KnownCall>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const block of blocksOf(message.content)) {
      const id = str(block.id);
      const name = str(block.name);
      if (block.type !== 'tool_use' || !id || !name || calls.has(id)) continue;
      const cached = signatures.get(id);
      calls.set(id, { clientName: name, callId: cached?.callId ?? id, cached });
    }
  }
  return calls;
}

// ---- content blocks shared by both roles ----

const note = (text: string): Part => ({ text });

function imagePart(block: Block): Part {
  const source = isObject(block.source) ? block.source : {};
  if (source.type === 'base64') {
    const mimeType = str(source.media_type) ?? '';
    if (!GEMINI_IMAGE_TYPES.has(mimeType)) return note(`[image omitted: ${mimeType || 'this image type'} is not supported by the upstream model]`);
    return { inlineData: { mimeType, data: str(source.data) ?? '' } };
  }
  if (source.type === 'url' && str(source.url)) {
    const mimeType = mimeFromUrl(source.url as string);
    return { fileData: { ...(mimeType ? { mimeType } : {}), fileUri: source.url as string } };
  }
  throw new GeminiRequestError(`image source type "${String(source.type)}" cannot be sent to a Gemini upstream`);
}

function mimeFromUrl(url: string): string | undefined {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  const types: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    webp: 'image/webp',
    heic: 'image/heic',
    heif: 'image/heif',
    gif: 'image/gif',
    pdf: 'application/pdf',
  };
  return ext ? types[ext] : undefined;
}

function documentParts(block: Block): Part[] {
  const source = isObject(block.source) ? block.source : {};
  const header = [str(block.title), str(block.context)].filter((s): s is string => !!s);
  switch (source.type) {
    case 'base64':
      return [{ inlineData: { mimeType: str(source.media_type) ?? 'application/pdf', data: str(source.data) ?? '' } }];
    case 'url':
      return [{ fileData: { mimeType: mimeFromUrl(str(source.url) ?? '') ?? 'application/pdf', fileUri: str(source.url) ?? '' } }];
    case 'text': {
      const text = [...header, str(source.data) ?? ''].filter((s) => s !== '').join('\n');
      return text ? [{ text }] : [];
    }
    case 'content': {
      const inner = blocksOf(source.content).flatMap((b) => commonParts(b) ?? []);
      return header.length > 0 ? [{ text: header.join('\n') }, ...inner] : inner;
    }
    default:
      throw new GeminiRequestError(`document source type "${String(source.type)}" cannot be sent to a Gemini upstream`);
  }
}

function searchResultText(block: Block): string {
  const body = blocksOf(block.content)
    .map((b) => str(b.text) ?? '')
    .filter((t) => t !== '')
    .join('\n');
  return `[search result: ${str(block.title) ?? ''} — ${str(block.source) ?? ''}]${body ? `\n${body}` : ''}`;
}

/** Blocks that mean the same in a user and a model turn; undefined for blocks this does not handle. */
function commonParts(block: Block): Part[] | undefined {
  switch (block.type) {
    case 'text': {
      const text = str(block.text);
      return text ? [{ text }] : [];
    }
    case 'image':
      return [imagePart(block)];
    case 'document':
      return documentParts(block);
    case 'search_result':
      return [{ text: searchResultText(block) }];
    default:
      return undefined;
  }
}

// ---- user turns ----

function userContent(message: InputMessage, state: State): Content {
  const parts: Part[] = [];
  for (const block of blocksOf(message.content)) {
    if (block.type === 'tool_result') parts.push(...toolResultParts(block, state));
    else parts.push(...(commonParts(block) ?? [])); // anything else in a user turn has no Gemini meaning
  }
  return { role: 'user', parts };
}

/** A tool_result's text and media: text blocks joined by newlines, images and documents as parts. */
function toolResultPayload(block: Block): { text: string; media: Part[] } {
  if (typeof block.content === 'string') return { text: block.content, media: [] };
  const texts: string[] = [];
  const media: Part[] = [];
  for (const inner of blocksOf(block.content)) {
    for (const part of commonParts(inner) ?? []) {
      if (part.text !== undefined) texts.push(part.text);
      else media.push(part);
    }
  }
  return { text: texts.join('\n'), media };
}

function toolResultParts(block: Block, state: State): Part[] {
  const id = str(block.tool_use_id) ?? '';
  const { text, media } = toolResultPayload(block);
  const call = state.calls.get(id);
  if (!call) return [note(`[tool_result for ${id}]\n${text}`), ...media]; // no call anywhere: plain text (E.2 step 5)
  const output = text === '' && media.length > 0 ? `Binary content provided (${media.length} item(s)).` : text;
  const response = block.is_error === true ? { error: output } : { output };
  const name = state.ctx.names.toUpstream(call.clientName);
  if (state.profile.multimodalFunctionResponses && media.length > 0) {
    return [{ functionResponse: { id: call.callId, name, response, parts: media } }];
  }
  for (const part of media) state.resultSiblings.add(part);
  return [{ functionResponse: { id: call.callId, name, response } }, ...media];
}

// ---- model turns ----

function modelContent(message: InputMessage, state: State): Content {
  const parts: Part[] = [];
  // Each signature goes back on its own kind of part (D.7: same position). A thought's signature goes on
  // the thought (replayed for Claude, which checks it) or, the thought text not being replayed to
  // Gemini (Gemini CLI strips thought parts), on the text part after it; never on a call. A call's
  // signature goes on that call only: its cache entry, else the one the thinking block before it carried.
  let pending: string | undefined;
  let pendingCall: string | undefined;
  let thoughtReplayed = false;
  let firstCall = true;
  for (const block of blocksOf(message.content)) {
    switch (block.type) {
      case 'thinking': {
        const decoded = decodeSignature(block.signature);
        // Another family's signature, or Anthropic's own: invalid here, dropped with its block (E.5).
        if (!decoded || decoded.family !== state.family) {
          state.droppedThinking = true;
          break;
        }
        pendingCall = decoded.call;
        if (!decoded.signature) break;
        if (state.ctx.replayThoughts) {
          parts.push({ text: str(block.thinking) ?? '', thought: true, thoughtSignature: decoded.signature });
          thoughtReplayed = true;
        } else pending = decoded.signature;
        break;
      }
      case 'redacted_thinking':
        state.droppedThinking = true;
        break;
      case 'tool_use': {
        const id = str(block.id) ?? '';
        const call = state.calls.get(id);
        const own = call?.cached && call.cached.family === state.family ? call.cached : undefined;
        const signature = own?.signature ?? pendingCall;
        pending = undefined;
        pendingCall = undefined;
        // The turn's thought, kept by the gateway for a client that was not shown it, starts the turn again.
        if (state.ctx.replayThoughts && firstCall && !thoughtReplayed && own?.thought) {
          parts.unshift({ text: own.thought.text, thought: true, thoughtSignature: own.thought.signature });
          thoughtReplayed = true;
        }
        firstCall = false;
        const args = isObject(block.input) ? block.input : {};
        const name = state.ctx.names.toUpstream(str(block.name) ?? '');
        parts.push({ functionCall: { id: call?.callId ?? id, name, args }, ...(signature ? { thoughtSignature: signature } : {}) });
        break;
      }
      case 'server_tool_use': {
        // Gemini's grounding cannot be replayed; a web search stays visible as text, other server tools go.
        const query = isObject(block.input) ? str(block.input.query) : undefined;
        if (block.name === 'web_search' && query !== undefined) parts.push(note(`[web search: ${query}]`));
        break;
      }
      case 'web_search_tool_result':
        parts.push(note(webSearchResultText(block)));
        break;
      default: {
        const mapped = commonParts(block);
        if (!mapped) break; // other server-tool results and unknown blocks are never forwarded
        for (const part of mapped) {
          if (pending && part.text !== undefined) {
            part.thoughtSignature = pending;
            pending = undefined;
          }
          parts.push(part);
        }
      }
    }
  }
  return { role: 'model', parts };
}

function webSearchResultText(block: Block): string {
  if (isObject(block.content)) return `[web search error: ${str(block.content.error_code) ?? 'unknown'}]`;
  const lines = blocksOf(block.content)
    .filter((r) => r.type === 'web_search_result')
    .map((r) => `- ${str(r.title) ?? ''} — ${str(r.url) ?? ''}`);
  return ['[web search results]', ...lines].join('\n');
}

// ---- turn structure ----

function mergeSameRole(contents: Content[]): Content[] {
  const out: Content[] = [];
  for (const content of contents) {
    const last = out[out.length - 1];
    if (last && last.role === content.role) out[out.length - 1] = { role: last.role, parts: [...last.parts, ...content.parts] };
    else out.push(content);
  }
  return out;
}

/** A function response that cannot stand as one (no call right before it) as a text part, its media kept. */
function orphanParts(part: Part, state: State): Part[] {
  const fr = part.functionResponse!;
  const call = [...state.calls.entries()].find(([, c]) => c.callId === fr.id);
  const label = call ? `${call[1].clientName} (${call[0]})` : String(fr.id);
  const body = str(fr.response.output) ?? str(fr.response.error) ?? '';
  return [note(`[tool_result for ${label}]\n${body}`), ...(fr.parts ?? [])];
}

/**
 * Every model turn's calls are answered, in call order, at the start of the next user turn (E.2 step 5):
 * a missing response gets a sentinel; a response without a call right before it becomes text.
 */
function pairCallsWithResponses(contents: Content[], state: State): Content[] {
  // Roles alternate here (merged), so a model turn's answer can only be the user turn right after it.
  const callsOf = (content: Content | undefined) => (content?.role === 'model' ? content.parts.filter((p) => p.functionCall).map((p) => p.functionCall!) : []);
  const out = contents.map((content, i) =>
    content.role === 'user' ? { role: content.role, parts: answer(callsOf(contents[i - 1]), content.parts, state) } : content,
  );
  const trailing = callsOf(out[out.length - 1]);
  if (trailing.length > 0) out.push({ role: 'user', parts: answer(trailing, [], state) });
  return out;
}

function answer(calls: Array<NonNullable<Part['functionCall']>>, parts: Part[], state: State): Part[] {
  const responses = parts.filter((p) => p.functionResponse);
  const siblings = parts.filter((p) => state.resultSiblings.has(p));
  const others = parts.filter((p) => !p.functionResponse && !state.resultSiblings.has(p));
  const used = new Set<Part>();
  const ordered: Part[] = calls.map((call) => {
    const match = responses.find((r) => !used.has(r) && r.functionResponse!.id === call.id);
    if (match) {
      used.add(match);
      return match;
    }
    return { functionResponse: { id: call.id, name: call.name, response: { error: MISSING_RESULT } } };
  });
  const orphans = responses.filter((r) => !used.has(r)).flatMap((r) => orphanParts(r, state));
  return [...ordered, ...siblings, ...orphans, ...others];
}

/** Gemini 3 rejects a model step whose first call has no signature; the skip value stands in (D.7). */
function attachSkipSignatures(contents: Content[], profile: GeminiModelProfile): Content[] {
  if (!profile.requiresSignatures) return contents;
  for (const content of contents) {
    if (content.role !== 'model') continue;
    const first = content.parts.find((p) => p.functionCall);
    if (first && !first.thoughtSignature) first.thoughtSignature = SKIP_SIGNATURE;
  }
  return contents;
}

// ---- tools ----

interface MappedTools {
  tools: Tool[] | undefined;
  toolConfig: ToolConfig | undefined;
  systemHints: string[];
}

function mapTools(req: MessagesRequest | CountTokensRequest, names: ToolNameMap, cache: ToolParametersCache | undefined): MappedTools {
  const declarations: FunctionDeclaration[] = [];
  let webSearch: Obj | undefined;
  for (const tool of req.tools ?? []) {
    if (!isObject(tool)) continue;
    const type = str(tool.type);
    if (type?.startsWith('web_search_')) {
      webSearch = tool;
    } else if ((type === undefined || type === 'custom') && str(tool.name)) {
      // No parameters at all for a tool without arguments: Gemini refuses an OBJECT with no properties.
      const schema = tool.input_schema ?? { type: 'object' };
      const parameters = cache ? cache.get(schema, () => sanitizeToolParameters(schema)) : sanitizeToolParameters(schema);
      declarations.push({
        name: names.toUpstream(tool.name as string),
        description: str(tool.description) ?? '',
        ...(parameters ? { parameters } : {}),
      });
    }
    // Other typed tools (advisor, web_fetch, code_execution, bash, text_editor, memory, tool search …)
    // are Anthropic's to run; a Gemini upstream never sees them.
  }

  if (declarations.length > 0) {
    // Google Search and function declarations are rejected together: the client's own tools win.
    return { tools: [{ functionDeclarations: declarations }], toolConfig: toolConfigFor(req.tool_choice, declarations, names), systemHints: [] };
  }
  if (webSearch) return { tools: [{ googleSearch: {} }], toolConfig: undefined, systemHints: domainHints(webSearch) };
  return { tools: undefined, toolConfig: undefined, systemHints: [] };
}

function domainHints(tool: Obj): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((d): d is string => typeof d === 'string' && d !== '') : []);
  const hints: string[] = [];
  const allowed = list(tool.allowed_domains);
  const blocked = list(tool.blocked_domains);
  if (allowed.length > 0) hints.push(`When searching the web, only use results from: ${allowed.join(', ')}.`);
  if (blocked.length > 0) hints.push(`When searching the web, never use results from: ${blocked.join(', ')}.`);
  return hints;
}

function toolConfigFor(choice: unknown, declarations: FunctionDeclaration[], names: ToolNameMap): ToolConfig | undefined {
  if (!isObject(choice)) return undefined;
  switch (choice.type) {
    case 'auto':
      return { functionCallingConfig: { mode: 'AUTO' } };
    case 'any':
      return { functionCallingConfig: { mode: 'ANY' } };
    case 'none':
      return { functionCallingConfig: { mode: 'NONE' } };
    case 'tool': {
      const name = str(choice.name);
      const upstream = name === undefined ? undefined : names.toUpstream(name);
      // Forcing a tool Gemini was not given would be a 400; let the model choose instead.
      if (!upstream || !declarations.some((d) => d.name === upstream)) return { functionCallingConfig: { mode: 'AUTO' } };
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [upstream] } };
    }
    default:
      return undefined;
  }
}

// ---- generation config ----

function generationConfigFor(req: MessagesRequest | CountTokensRequest, model: string, profile: GeminiModelProfile): GenerationConfig | undefined {
  const config: GenerationConfig = {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const maxTokens = num(req.max_tokens);
  if (maxTokens !== undefined) config.maxOutputTokens = Math.min(maxTokens, profile.maxOutputTokens ?? Infinity);
  const temperature = num(req.temperature);
  if (temperature !== undefined) config.temperature = temperature;
  const topP = num(req.top_p);
  if (topP !== undefined) config.topP = topP;
  const topK = num(req.top_k);
  if (topK !== undefined) config.topK = topK;
  if (Array.isArray(req.stop_sequences)) {
    const stops = req.stop_sequences.filter((s): s is string => typeof s === 'string' && s !== '').slice(0, MAX_STOP_SEQUENCES);
    if (stops.length > 0) config.stopSequences = stops;
  }
  const format = isObject(req.output_config) ? req.output_config.format : undefined;
  if (isObject(format) && format.type === 'json_schema' && isObject(format.schema)) {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = format.schema;
  }
  const thinkingConfig = thinkingConfigFor(req, model);
  if (thinkingConfig) config.thinkingConfig = thinkingConfig;
  return Object.keys(config).length > 0 ? config : undefined;
}
