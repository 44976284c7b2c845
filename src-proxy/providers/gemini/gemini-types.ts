// The Gemini `generateContent` wire types, as far as the mappers use them (public API `v1beta`; the
// Code Assist `v1internal` envelope wraps the same request and response). Fields the gateway never
// sends or reads are left out; a response may always carry more than is typed here.

import type { GeminiSchema } from './schema-sanitizer.js';

export interface InlineData {
  mimeType: string;
  /** Base64. */
  data: string;
}

export interface FileData {
  mimeType?: string;
  fileUri: string;
}

export interface FunctionCall {
  id?: string;
  name: string;
  args?: Record<string, unknown>;
}

export interface FunctionResponse {
  id?: string;
  name: string;
  response: Record<string, unknown>;
  /** Multimodal function responses (Gemini 3): images and documents the tool returned. */
  parts?: Part[];
}

/** One part carries exactly one data field, plus the optional `thought` flag and signature. */
export interface Part {
  text?: string;
  inlineData?: InlineData;
  fileData?: FileData;
  functionCall?: FunctionCall;
  functionResponse?: FunctionResponse;
  executableCode?: { language?: string; code?: string };
  codeExecutionResult?: { outcome?: string; output?: string };
  thought?: boolean;
  thoughtSignature?: string;
}

export type GeminiRole = 'user' | 'model';

export interface Content {
  role: GeminiRole;
  parts: Part[];
}

export interface FunctionDeclaration {
  name: string;
  description: string;
  parameters?: GeminiSchema;
}

export interface Tool {
  functionDeclarations?: FunctionDeclaration[];
  googleSearch?: Record<string, never>;
}

export type FunctionCallingMode = 'AUTO' | 'ANY' | 'NONE' | 'VALIDATED';

export interface ToolConfig {
  functionCallingConfig: { mode: FunctionCallingMode; allowedFunctionNames?: string[] };
}

export type ThinkingLevel = 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH';

/** `thinkingBudget` (2.5 family) and `thinkingLevel` (3 family) are never sent together. */
export interface ThinkingConfig {
  includeThoughts?: boolean;
  thinkingBudget?: number;
  thinkingLevel?: ThinkingLevel;
}

export interface GenerationConfig {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  responseMimeType?: string;
  responseJsonSchema?: unknown;
  thinkingConfig?: ThinkingConfig;
}

export interface GenerateContentRequest {
  contents: Content[];
  /** The role of the system content is ignored by Gemini; none is sent. */
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Tool[];
  toolConfig?: ToolConfig;
  generationConfig?: GenerationConfig;
}

export type FinishReason =
  | 'FINISH_REASON_UNSPECIFIED'
  | 'STOP'
  | 'MAX_TOKENS'
  | 'SAFETY'
  | 'RECITATION'
  | 'LANGUAGE'
  | 'OTHER'
  | 'BLOCKLIST'
  | 'PROHIBITED_CONTENT'
  | 'SPII'
  | 'MALFORMED_FUNCTION_CALL'
  | 'IMAGE_SAFETY'
  | 'IMAGE_PROHIBITED_CONTENT'
  | 'IMAGE_OTHER'
  | 'NO_IMAGE'
  | 'IMAGE_RECITATION'
  | 'UNEXPECTED_TOOL_CALL'
  | 'TOO_MANY_TOOL_CALLS';

export interface Candidate {
  content?: { role?: string; parts?: Part[] };
  /** Typed loosely on purpose: Google adds values; unknown ones are treated as `OTHER`. */
  finishReason?: FinishReason | (string & {});
  index?: number;
  safetyRatings?: unknown[];
  citationMetadata?: unknown;
  groundingMetadata?: unknown;
}

export interface UsageMetadata {
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

/** The error object Google returns, also as a chunk in the middle of a stream. */
export interface GeminiErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: unknown[];
}

export interface GenerateContentResponse {
  candidates?: Candidate[];
  promptFeedback?: { blockReason?: string; safetyRatings?: unknown[] };
  usageMetadata?: UsageMetadata;
  modelVersion?: string;
  responseId?: string;
  error?: GeminiErrorBody;
}
