// Cuts the secrets the gateway holds out of text that came from outside (an upstream's error message, a
// token endpoint's answer) before that text is relayed, logged or shown. Every secret held is cut, as
// sent and as JSON or a form would escape it, and so is anything shaped like a credential (a bearer
// value, a Google token, an Anthropic or Gemini key), whoever's it is. Upstream text reaches this only
// when something failed, so it is not on the path of a request that succeeds.

export type Redact = (text: string) => string;

export const REDACTED = '[redacted]';

/** Shorter than this, a "secret" would cut ordinary words out of messages. */
const MIN_SECRET_LENGTH = 8;

/** Credentials known by their shape. */
const SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  [/\bya29\.[A-Za-z0-9._-]+/g, REDACTED],
  [/\b1\/\/[A-Za-z0-9._-]{10,}/g, REDACTED],
  [/\bsk-ant-[A-Za-z0-9_-]{10,}/g, REDACTED],
  [/\bAIza[A-Za-z0-9_-]{20,}/g, REDACTED],
  [/\bGOCSPX-[A-Za-z0-9_-]{8,}/g, REDACTED],
];

/** A redactor over the secrets `held` lists when it runs (accounts come and go; tokens are renewed). */
export function createRedactor(held: () => Iterable<string>): Redact {
  return (text) => {
    if (text === '') return text;
    let out = text;
    for (const secret of held()) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      out = cut(out, secret);
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret) out = cut(out, escaped);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = cut(out, encoded);
    }
    for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
    return out;
  };
}

/**
 * A JSON value with every string in it redacted (through its JSON text, so keys are too); undefined when
 * it cannot be written as JSON (a body nested past what JSON.stringify can take).
 */
export function redactJson(value: unknown, redact: Redact): unknown {
  if (value === undefined) return undefined;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return undefined;
  }
  const clean = redact(text);
  return clean === text ? value : (JSON.parse(clean) as unknown);
}

function cut(text: string, secret: string): string {
  return text.includes(secret) ? text.split(secret).join(REDACTED) : text;
}
