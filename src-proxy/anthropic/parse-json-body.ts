// Turns request body bytes into a JSON value, refusing what the gateway must not forward: bytes that are
// not UTF-8 (decoding would silently replace them while the raw bytes go upstream unchanged) and strings
// holding a lone UTF-16 surrogate (an escape such as "\ud800" parses into one; it is not Unicode, and
// upstreams either reject it or mangle it).
//
// This runs on every request, and conversations run to megabytes, so the walk is skipped when it cannot
// find anything: valid UTF-8 cannot encode a surrogate, so a lone one can only come from a `\uD800`-`\uDFFF`
// escape, and a body without such an escape needs no walk. Claude Code's bodies never hold one (JSON.stringify
// writes surrogate pairs as they are); clients that escape all non-ASCII (Python's json.dumps) do, and pay
// for one walk that allocates nothing until it finds something. A path is spelled out only for the error.

import { isUtf8 } from 'node:buffer';
import { GatewayError } from './errors.js';

// ES2024's String.prototype.isWellFormed (V8 11.3, so Node 20) is not in the ES2023 lib the project compiles
// against. It answers at once for one-byte strings, which most strings are.
const isWellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;

/** `\uD800`-`\uDFFF` as a JSON escape, hex digits in any case. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Parses a request body; throws a 400 GatewayError for bad UTF-8, bad JSON or a lone surrogate. */
export function parseJsonBody(raw: Buffer): unknown {
  if (!isUtf8(raw)) {
    throw new GatewayError(400, 'Request body is not valid UTF-8; JSON must be encoded as UTF-8.');
  }
  const text = raw.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof SyntaxError ? `: ${err.message}` : '';
    throw new GatewayError(400, `Request body is not valid JSON${detail}`);
  }
  if (hasSurrogateEscape(text)) checkWellFormed(json);
  return json;
}

/**
 * True when JSON source text holds a surrogate escape, the only way JSON in valid UTF-8 can express a
 * surrogate. An escaped backslash before one (`\\ud800`, literal text) also counts: that costs a walk,
 * never a miss. A regular expression, because V8 runs it several times faster here than indexOf: JSON text
 * is full of backslashes (every `\n` and `\"`).
 */
export function hasSurrogateEscape(text: string): boolean {
  return SURROGATE_ESCAPE.test(text);
}

/** Throws a 400 naming the first string or key found holding a lone surrogate. Iterative: any depth. */
export function checkWellFormed(json: unknown): void {
  if (!isAllWellFormed(json)) throw describeLoneSurrogate(json);
}

/** The fast walk: every string value and key, no allocation beyond the stack of containers. */
function isAllWellFormed(json: unknown): boolean {
  if (typeof json === 'string') return isWellFormed.call(json);
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string') {
          if (!isWellFormed.call(item)) return false;
        } else if (typeof item === 'object' && item !== null) {
          stack.push(item);
        }
      }
    } else {
      const obj = value as Record<string, unknown>;
      for (const key in obj) {
        if (!isWellFormed.call(key)) return false;
        const item = obj[key];
        if (typeof item === 'string') {
          if (!isWellFormed.call(item)) return false;
        } else if (typeof item === 'object' && item !== null) {
          stack.push(item);
        }
      }
    }
  }
  return true;
}

/** A container on the way down, linked to its parent so a path can be spelled out. */
interface Frame {
  value: object;
  key: string | number | null;
  parent: Frame | null;
}

function pathOf(frame: Frame, last?: string | number): string {
  const parts: Array<string | number> = last === undefined ? [] : [last];
  for (let f: Frame | null = frame; f !== null && f.key !== null; f = f.parent) parts.push(f.key);
  return parts.reverse().join('.');
}

/** The slow walk, run only once the fast one found something: the same order, with paths. */
function describeLoneSurrogate(json: unknown): GatewayError {
  if (typeof json === 'string') return surrogateError('', 'String', json);
  const stack: Frame[] = [{ value: json as object, key: null, parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const value = frame.value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'string') {
          if (!isWellFormed.call(item)) return surrogateError(pathOf(frame, i), 'String', item);
        } else if (typeof item === 'object' && item !== null) {
          stack.push({ value: item, key: i, parent: frame });
        }
      }
    } else {
      const obj = value as Record<string, unknown>;
      for (const key in obj) {
        if (!isWellFormed.call(key)) return surrogateError(pathOf(frame), 'Key', key);
        const item = obj[key];
        if (typeof item === 'string') {
          if (!isWellFormed.call(item)) return surrogateError(pathOf(frame, key), 'String', item);
        } else if (typeof item === 'object' && item !== null) {
          stack.push({ value: item, key, parent: frame });
        }
      }
    }
  }
  return surrogateError('', 'String', ''); // unreachable: the fast walk found one
}

/** The first lone surrogate in `s`, as the escape that wrote it (`\ud800`). */
function firstLoneSurrogate(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `\\u${c.toString(16)}`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `\\u${c.toString(16)}`;
  }
  return '';
}

function surrogateError(path: string, what: 'String' | 'Key', s: string): GatewayError {
  const where = path === '' ? 'Request body' : path;
  return new GatewayError(400, `${where}: ${what} contains a lone surrogate (${firstLoneSurrogate(s)}), which is not valid Unicode`);
}
