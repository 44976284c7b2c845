// Tool names on the way to Gemini and back. Claude Code matches a tool call to a tool by its exact name,
// so a name must come back byte for byte as the client sent it: case kept, never lower-cased, never
// fuzzy-matched (the modelled product and its peers broke MCP tools exactly that way).
//
// Gemini's rule for FunctionDeclaration.name (protocols.md §D.2, §E.3; the Gemini API reference for
// v1beta FunctionDeclaration: "Must be a-z, A-Z, 0-9, or contain underscores, colons, dots, and
// dashes, with a maximum length of 64"; the Vertex AI reference adds "Must start with a letter or an
// underscore"). We apply both: /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/. Anthropic allows 128 characters
// of [A-Za-z0-9_-] (§A.4), so long MCP names (`mcp__server__tool`) and names starting with a digit or a
// dash need an alias; other clients may send anything.
//
// A valid name goes up unchanged. Any other name gets an alias that depends on the name alone (a
// readable stem plus a hash of the exact name), so the same tool maps the same way in every request
// and history replayed in a later turn lines up. Aliases use only [A-Za-z0-9_-], the characters every
// Gemini surface accepts.

import { createHash } from 'node:crypto';

export const GEMINI_NAME_MAX = 64;
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
const HASH_LENGTH = 8;
const STEM_MAX = GEMINI_NAME_MAX - HASH_LENGTH - 1;
const STEM_HEAD = 20; // a long stem keeps its start (the `mcp__server` part) and its end (the tool)

export function isValidGeminiName(name: string): boolean {
  return VALID_NAME.test(name);
}

/**
 * The deterministic alias of a name: `<stem>_<8 hex of sha256(name)>`, at most 64 characters. `attempt`
 * salts the hash; it is only above 0 when an earlier alias was already taken in the same request.
 */
export function geminiAlias(name: string, attempt = 0): string {
  const hash = createHash('sha256')
    .update(attempt === 0 ? name : `${name}\u0000${attempt}`)
    .digest('hex')
    .slice(0, HASH_LENGTH);
  let stem = name.replace(/[^A-Za-z0-9_-]+/g, '_');
  if (!/^[A-Za-z_]/.test(stem)) stem = `_${stem}`;
  if (stem.length > STEM_MAX) stem = `${stem.slice(0, STEM_HEAD)}_${stem.slice(stem.length - (STEM_MAX - STEM_HEAD - 1))}`;
  return `${stem}_${hash}`;
}

/**
 * The name mapping of one request. Built from the request's tool names; names met later (a tool_use in
 * history whose tool is no longer offered) are mapped on first use with the same rule.
 */
export class ToolNameMap {
  private readonly up = new Map<string, string>();
  private readonly down = new Map<string, string>();

  constructor(names: Iterable<string>) {
    const unique = [...new Set(names)];
    // Valid names claim themselves first, so an alias can never shadow a real tool. The rest are
    // assigned in sorted order, so the (rare) salted retry does not depend on the order of the tools.
    for (const name of unique) if (isValidGeminiName(name)) this.assign(name);
    for (const name of unique.filter((n) => !isValidGeminiName(n)).sort()) this.assign(name);
  }

  /** The name to send to Gemini for a client tool name. */
  toUpstream(name: string): string {
    return this.up.get(name) ?? this.assign(name);
  }

  /** The client's own name for a name Gemini used; a name this map never issued is returned unchanged. */
  toClient(upstreamName: string): string {
    return this.down.get(upstreamName) ?? upstreamName;
  }

  private assign(name: string): string {
    const existing = this.up.get(name);
    if (existing !== undefined) return existing;
    let candidate = isValidGeminiName(name) ? name : geminiAlias(name);
    for (let attempt = 1; this.down.has(candidate); attempt++) candidate = geminiAlias(name, attempt);
    this.up.set(name, candidate);
    this.down.set(candidate, name);
    return candidate;
  }
}
