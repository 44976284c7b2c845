// Gemini thought signatures, kept so a later turn can hand them back (protocols.md D.7, E.5).
//
// Two mechanisms, both used:
// - In the transcript: the signatures travel to the client inside the `signature` of a thinking
//   block, encoded as `gsig1.<base64url JSON {m: family, s: thought signature, c: call signature}>` so
//   the gateway recognises its own signatures, knows which model family produced them, and puts each
//   back on the kind of part it came on.
// - In this cache, keyed by the `tool_use` id the gateway generated: it covers clients that drop
//   thinking blocks and turns where thinking was off.
//
// The cache is a bounded LRU: at most `maxEntries`, and an entry not used for `maxAgeMs` is gone.
// Every turn of a conversation replays its history, so entries of a live conversation stay fresh.

export interface SignatureEntry {
  /** The functionCall part's own `thoughtSignature`; absent when the call had none (never a thought's). */
  signature?: string;
  /** The family of the model that produced it (geminiModelProfile().family, or the provider's own). */
  family: string;
  /** Gemini's own `functionCall.id`, when it sent one: sent back on the call and its response. */
  callId?: string;
  /**
   * The signed thought the call's turn started with, when the client was not shown it (it did not ask
   * for thinking): a model that always thinks wants it back at the start of that turn.
   */
  thought?: { signature: string; text: string };
}

export interface SignatureCacheOptions {
  maxEntries?: number;
  maxAgeMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export const DEFAULT_MAX_ENTRIES = 10_000;
export const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export class SignatureCache {
  private readonly entries = new Map<string, { entry: SignatureEntry; usedAt: number }>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: SignatureCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  set(toolUseId: string, entry: SignatureEntry): void {
    this.entries.delete(toolUseId);
    this.entries.set(toolUseId, { entry, usedAt: this.now() });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** The entry for a tool_use id, unless it expired; a hit counts as a use (recency and age). */
  get(toolUseId: string): SignatureEntry | undefined {
    const slot = this.entries.get(toolUseId);
    if (!slot) return undefined;
    this.entries.delete(toolUseId);
    const now = this.now();
    if (now - slot.usedAt > this.maxAgeMs) return undefined;
    slot.usedAt = now;
    this.entries.set(toolUseId, slot);
    return slot.entry;
  }

  delete(toolUseId: string): void {
    this.entries.delete(toolUseId);
  }

  clear(): void {
    this.entries.clear();
  }
}

const PREFIX = 'gsig1.';

/**
 * What a thinking block's `signature` carries from a Gemini-shaped upstream. Each signature stays with
 * the part it came on: `thought` is the thought part's own (it goes back on the thought, or the part
 * after it), `call` the signature of the functionCall that followed the thinking (it goes back on that
 * call, never on a thought). Either may be absent, not both.
 */
export interface DecodedSignature {
  family: string;
  /** The thought (or text) part's signature. */
  signature?: string;
  /** The signature of the functionCall right after the thinking. */
  call?: string;
}

/** Gemini signatures as they travel in an Anthropic thinking block's `signature`. */
export function encodeSignature(family: string, thought: string | undefined, call?: string): string {
  const payload: Record<string, string> = { m: family };
  if (thought) payload.s = thought;
  if (call) payload.c = call;
  return PREFIX + Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The family and Gemini signatures inside a `gsig1.` value; null for anything else (an Anthropic signature). */
export function decodeSignature(value: unknown): DecodedSignature | null {
  if (typeof value !== 'string' || !value.startsWith(PREFIX)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { m, s, c } = parsed as Record<string, unknown>;
    const thought = typeof s === 'string' && s !== '' ? s : undefined;
    const call = typeof c === 'string' && c !== '' ? c : undefined;
    if (typeof m !== 'string' || (thought === undefined && call === undefined)) return null;
    return { family: m, ...(thought ? { signature: thought } : {}), ...(call ? { call } : {}) };
  } catch {
    return null;
  }
}

/** True for a signature this gateway made (any family), which an Anthropic upstream would reject. */
export function isGeminiSignature(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(PREFIX);
}
