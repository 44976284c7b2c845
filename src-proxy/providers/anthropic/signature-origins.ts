// Which Anthropic-compatible upstream signed a thinking block. Anthropic, z.ai, Kimi, DeepSeek and
// MiniMax all speak the same protocol, and a conversation can move from one to another along a chain;
// each signs thinking its own way and Anthropic refuses a signature it did not make ("Invalid signature
// in thinking block"). The gateway relays their answers byte for byte, so it cannot mark the signatures
// as it does Gemini's; it remembers instead which upstream (base URL) each signature came from.
//
// Bounded: at most `maxEntries` signatures, the least recently seen forgotten first. A signature the
// gateway does not know (older than the cache, or from before the client used the gateway) is trusted:
// the client had it from somewhere that verifies it.

/** A signature is known by its tail: signatures are long, and the tail alone tells them apart. */
const KEY_CHARS = 64;

export class SignatureOrigins {
  private readonly origins = new Map<string, string>();

  constructor(private readonly maxEntries = 20_000) {}

  remember(signature: string, origin: string): void {
    if (signature === '') return;
    const key = signature.slice(-KEY_CHARS);
    this.origins.delete(key);
    this.origins.set(key, origin);
    if (this.origins.size > this.maxEntries) this.origins.delete(this.origins.keys().next().value!);
  }

  /** The upstream that signed it, or undefined when the gateway never saw it. */
  originOf(signature: string): string | undefined {
    return this.origins.get(signature.slice(-KEY_CHARS));
  }

  /** True when another upstream than `origin` made the signature, which `origin` then cannot verify. */
  foreignTo(signature: string, origin: string): boolean {
    const from = this.originOf(signature);
    return from !== undefined && from !== origin;
  }
}
