// Claude Code sends the same tools on every turn of a session (its own and its MCP servers'), and
// turning each tool's JSON Schema into the Schema Gemini accepts (the sanitizer) is work whose result
// only depends on that schema. The result is kept, keyed on the schema's exact JSON, so a turn that
// sends a tool seen before reuses it. Names and descriptions go up as they are (a name through the
// request's ToolNameMap), so they are taken from each request. The most recently used schemas are
// kept, enough for many MCP servers' tools; what is kept is frozen, since every request reusing it
// shares it.

import type { GeminiSchema } from './schema-sanitizer.js';

const DEFAULT_CAPACITY = 512;

export class ToolParametersCache {
  private readonly entries = new Map<string, GeminiSchema | undefined>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The parameters made for `schema`: the kept ones when this exact schema was seen before, else `make()`'s. */
  get(schema: unknown, make: () => GeminiSchema | undefined): GeminiSchema | undefined {
    const key = JSON.stringify(schema) ?? '';
    if (this.entries.has(key)) {
      const kept = this.entries.get(key);
      // Most recently used last, so the first key is always the one to drop.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept;
    }
    const made = deepFreeze(make());
    this.entries.set(key, made);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return made;
  }

  get size(): number {
    return this.entries.size;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
