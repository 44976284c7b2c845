// How long an upstream asks to be left alone, from the HTTP headers every API uses. Providers add their
// own hints on top (Anthropic's rate-limit reset headers, Google's RetryInfo in the error body).

type HeaderValue = string | string[] | undefined;
export type Headers = Record<string, HeaderValue>;

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `retry-after-ms`, then `retry-after` (seconds or an HTTP date), in ms; null when neither says anything usable. */
export function retryAfterHeaderMs(headers: Headers, now: number): number | null {
  const msText = header(headers, 'retry-after-ms');
  const ms = Number(msText);
  if (msText !== undefined && msText.trim() !== '' && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const ra = header(headers, 'retry-after');
  if (ra !== undefined && ra.trim() !== '') {
    const seconds = Number(ra);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const date = Date.parse(ra);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return null;
}

/** A protobuf-JSON duration (`"12s"`, `"0.5s"`, `"1.250s"`) in ms; null when it is not one. */
export function durationMs(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return m ? Math.ceil(Number(m[1]) * 1000) : null;
}
