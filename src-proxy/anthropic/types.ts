// The inbound protocol, typed as far as the gateway needs it. Anything else a client sends is kept
// untouched: clients add fields faster than gateways learn them.

export type Role = 'user' | 'assistant' | 'system';

export interface CacheControl {
  type: string;
  ttl?: string;
}

export interface ContentBlock {
  type: string;
  cache_control?: CacheControl;
  [key: string]: unknown;
}

export interface TextBlock extends ContentBlock {
  type: 'text';
  text: string;
}

export interface InputMessage {
  role: Role;
  content: string | ContentBlock[];
  [key: string]: unknown;
}

/** What `/v1/messages` and `/v1/messages/count_tokens` bodies share. */
export interface RequestBase {
  model: string;
  messages: InputMessage[];
  system?: string | ContentBlock[];
  metadata?: { user_id?: string | null; [key: string]: unknown };
  tools?: Array<{ name?: string; type?: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface MessagesRequest extends RequestBase {
  max_tokens: number;
  stream?: boolean;
}

/** The body of `POST /v1/messages/count_tokens`: a messages request without the generation knobs. */
export type CountTokensRequest = RequestBase;

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  [key: string]: unknown;
}

export interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: Usage;
  [key: string]: unknown;
}

export type StreamEvent =
  | { type: 'message_start'; message: Message }
  | { type: 'content_block_start'; index: number; content_block: ContentBlock }
  | { type: 'content_block_delta'; index: number; delta: { type: string; [key: string]: unknown } }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: string | null; stop_sequence?: string | null; [key: string]: unknown };
      usage: Partial<Usage> & { output_tokens: number };
    }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error'; error: { type: string; message: string } };

export type StreamEventType = StreamEvent['type'];
