// Turns the JSON Schema of a tool's `input_schema` (Claude Code's own tools, or whatever an MCP server
// wrote) into the Schema object Gemini accepts in `functionDeclarations[].parameters`: the OpenAPI 3.0
// subset of protocols.md §D.3. Gemini answers anything else with 400 `Unknown name "<kw>" … Cannot
// find field`, so the output holds only the keywords in GEMINI_SCHEMA_KEYWORDS, with upper-case types.
//
// What cannot be expressed is folded into the description when it is cheap and useful to the model
// (formats, patterns, defaults, exclusive bounds, alternative types), never silently turned into a
// different meaning: a typed enum of numbers stays a number with its values described, rather than
// becoming strings the client would reject. Unlike the modelled product's whitelist cleaner, the
// constraints Gemini does accept (nullable, minimum, maxItems, date-time …) are kept.
//
// Pure: the input is never mutated, garbage never throws, and work is bounded (nesting depth, a node
// budget, and a guard that cuts recursive `$ref`s).

export type GeminiType = 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT';

export interface GeminiSchema {
  type: GeminiType;
  format?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  items?: GeminiSchema;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

/** Every keyword a sanitized schema node may carry; anything else is a sanitizer bug. */
export const GEMINI_SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'format',
  'description',
  'nullable',
  'enum',
  'properties',
  'required',
  'items',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
]);

/** Formats Gemini documents per type; any other format is dropped and named in the description. */
const FORMATS: Partial<Record<GeminiType, readonly string[]>> = {
  STRING: ['date-time'],
  INTEGER: ['int32', 'int64'],
  NUMBER: ['float', 'double'],
};

const MAX_DEPTH = 24; // schema nesting, counting the levels a $ref expands into
const MAX_NODES = 5000; // sanitized nodes per call: an exponential $ref fan-out stops here
const MAX_STEPS = 32; // $ref / allOf / anyOf rewrites of one node
const MAX_LISTED = 20; // values or types named in a description hint
const MAX_HINT_VALUE = 60;

type Json = Record<string, unknown>;

interface Context {
  root: unknown;
  nodes: number;
  /** $refs being expanded on the current path: meeting one again means the schema recurses. */
  refs: string[];
}

export function sanitizeSchema(schema: unknown): GeminiSchema {
  const ctx: Context = { root: schema, nodes: 0, refs: [] };
  if (!isRecord(schema)) return { type: 'OBJECT' };
  return convert(schema, ctx, 0);
}

/**
 * The `parameters` of a function declaration, or undefined when the tool takes no arguments: Gemini
 * rejects an OBJECT whose properties are empty ("should be non-empty for OBJECT type"), so a zero-arg
 * tool is declared without `parameters` (protocols.md §D.3, §E.3).
 */
export function sanitizeToolParameters(inputSchema: unknown): GeminiSchema | undefined {
  const schema = sanitizeSchema(inputSchema);
  if (schema.type !== 'OBJECT' || schema.properties === undefined) return undefined;
  const { nullable: _nullable, ...rest } = schema;
  return rest;
}

// ---------------------------------------------------------------------------------------------------
// Flattening: $ref, allOf, anyOf/oneOf and type arrays become one plain node plus notes.

interface Flat {
  node: Json;
  nullable: boolean;
  notes: string[];
  /** $refs expanded into this node; they stay on the recursion guard while its children convert. */
  refs: string[];
  /** Set when the node is a $ref back into one of its own ancestors. */
  recursive?: string;
}

function flatten(input: Json, ctx: Context): Flat {
  const flat: Flat = { node: input, nullable: false, notes: [], refs: [] };
  for (let step = 0; step < MAX_STEPS; step++) {
    const node = flat.node;
    const ref = own(node, '$ref');
    if (typeof ref === 'string') {
      if (ctx.refs.includes(ref) || flat.refs.includes(ref)) {
        flat.recursive = ref;
        return flat;
      }
      const target = resolvePointer(ctx.root, ref);
      const siblings = without(node, ['$ref']);
      if (!isRecord(target)) {
        flat.notes.push(`(Unresolved reference ${clip(ref)}.)`);
        flat.node = Object.keys(siblings).length > 0 ? siblings : { type: 'object' };
        continue;
      }
      flat.refs.push(ref);
      // Keywords written beside a $ref refine the target (2019-09 and later), so they win.
      flat.node = { ...target, ...siblings };
      continue;
    }
    if (ref !== undefined) {
      flat.node = without(node, ['$ref']);
      continue;
    }
    const allOf = own(node, 'allOf');
    if (allOf !== undefined) {
      const branches = (Array.isArray(allOf) ? allOf.filter(isRecord) : []).map((b) => expandRefs(b, ctx, flat));
      flat.node = mergeAll([without(node, ['allOf']), ...branches.map((b) => b.node)]);
      for (const b of branches) flat.refs.push(...b.refs);
      continue;
    }
    const anyKey = own(node, 'anyOf') !== undefined ? 'anyOf' : own(node, 'oneOf') !== undefined ? 'oneOf' : undefined;
    if (anyKey !== undefined) {
      const raw = own(node, anyKey);
      const siblings = without(node, [anyKey]);
      const branches = alternatives(raw).map((b) => expandRefs(b, ctx, flat));
      const chosen = chooseBranch(
        siblings,
        branches.map((b) => b.node),
        flat,
      );
      // Only the refs of a branch taken whole guard its children; merged shapes re-expand theirs.
      const taken = branches.find((b) => chosen.from === b.node);
      if (taken !== undefined) flat.refs.push(...taken.refs);
      flat.node = chosen.node;
      continue;
    }
    return flat;
  }
  return flat;
}

/** A branch of allOf/anyOf with its own $ref chain resolved, so its shape can be judged. */
function expandRefs(branch: Json, ctx: Context, flat: Flat): { node: Json; refs: string[] } {
  let node = branch;
  const refs: string[] = [];
  for (let i = 0; i < MAX_STEPS; i++) {
    const ref = own(node, '$ref');
    if (typeof ref !== 'string' || ctx.refs.includes(ref) || flat.refs.includes(ref) || refs.includes(ref)) break;
    const target = resolvePointer(ctx.root, ref);
    if (!isRecord(target)) break;
    refs.push(ref);
    node = { ...target, ...without(node, ['$ref']) };
  }
  return { node, refs };
}

/** The branches of an anyOf/oneOf, with nested anyOf/oneOf-only branches spliced in (bounded). */
function alternatives(raw: unknown, depth = 0): Json[] {
  const out: Json[] = [];
  for (const b of Array.isArray(raw) ? raw : []) {
    if (b === false) continue;
    if (!isRecord(b)) {
      out.push({});
      continue;
    }
    const keys = Object.keys(b);
    const inner = keys.length === 1 && (keys[0] === 'anyOf' || keys[0] === 'oneOf') ? b[keys[0]] : undefined;
    if (inner !== undefined && depth < 4) out.push(...alternatives(inner, depth + 1));
    else out.push(b);
  }
  return out;
}

/** allOf: every branch applies, so properties and required lists add up; for other keywords the first wins. */
function mergeAll(parts: Json[]): Json {
  const out: Json = {};
  const props = new Map<string, unknown[]>();
  const required: string[] = [];
  const descriptions: string[] = [];
  const nested: Json[] = [];
  for (const part of parts) {
    for (const key of Object.keys(part)) {
      const value = part[key];
      if (key === 'properties' && isRecord(value)) {
        for (const name of Object.keys(value)) props.set(name, [...(props.get(name) ?? []), value[name]]);
      } else if (key === 'required' && Array.isArray(value)) {
        for (const r of value) if (typeof r === 'string' && !required.includes(r)) required.push(r);
      } else if (key === 'description' && typeof value === 'string') {
        if (!descriptions.includes(value)) descriptions.push(value);
      } else if (key === 'allOf' && Array.isArray(value)) {
        nested.push(...value.filter(isRecord));
      } else if (key === 'pattern' && typeof value === 'string' && typeof out.pattern === 'string' && out.pattern !== value) {
        descriptions.push(`(pattern: ${clip(value, 200)})`);
      } else if (!Object.hasOwn(out, key)) {
        setOwn(out, key, value);
      }
    }
  }
  if (props.size > 0) {
    const merged: Json = {};
    for (const [name, schemas] of props) setOwn(merged, name, schemas.length === 1 ? schemas[0] : { allOf: schemas.filter(isRecord) });
    out.properties = merged;
  }
  if (required.length > 0) out.required = required;
  if (descriptions.length > 0) out.description = descriptions.join(' ');
  if (nested.length > 0) out.allOf = nested;
  return out;
}

/** anyOf/oneOf: Gemini gets one shape. Null branches become `nullable`; the rest merge or the richest wins. */
function chooseBranch(siblings: Json, branches: Json[], flat: Flat): { node: Json; from?: Json } {
  const isNull = (b: Json): boolean => {
    const t = own(b, 'type');
    return t === 'null' || (Array.isArray(t) && t.length > 0 && t.every((x) => x === 'null')) || (Object.hasOwn(b, 'const') && b.const === null);
  };
  if (branches.some(isNull)) flat.nullable = true;
  const rest = branches.filter((b) => !isNull(b));
  if (rest.length === 0) return { node: siblings };
  if (rest.length === 1) return { node: mergeInto(siblings, rest[0]!), from: rest[0]! };

  const constant = (b: Json): unknown[] | undefined =>
    Object.hasOwn(b, 'const') ? [b.const] : Array.isArray(b.enum) && !hasShape(b) ? (b.enum as unknown[]) : undefined;
  const values = rest.map(constant);
  if (values.every((v) => v !== undefined && v.every((x) => typeof x === 'string'))) {
    const all = [...new Set(values.flat() as string[])];
    const labels = rest.map((b) => (typeof b.description === 'string' ? `${String(constant(b)![0])}: ${b.description}` : undefined)).filter(Boolean);
    if (labels.length > 0) flat.notes.push(`Values: ${clipList(labels as string[], '; ')}.`);
    return { node: mergeInto(siblings, { type: 'string', enum: all }) };
  }

  if (rest.every(isObjectLike)) {
    // One object shape per branch (often a tagged union): list every field, require only the common ones.
    const props: Json = {};
    for (const b of rest) {
      const p = own(b, 'properties');
      if (!isRecord(p)) continue;
      for (const name of Object.keys(p)) {
        const prev = own(props, name);
        setOwn(props, name, prev === undefined ? p[name] : { anyOf: [prev, p[name]] });
      }
    }
    const requiredSets = rest.map((b) => new Set((Array.isArray(b.required) ? b.required : []).filter((r): r is string => typeof r === 'string')));
    const required = [...requiredSets[0]!].filter((r) => requiredSets.every((s) => s.has(r)));
    flat.notes.push(`Accepts one of ${rest.length} shapes: ${clipList(rest.map(shapeLabel), ' | ')}.`);
    const merged: Json = { type: 'object', properties: props };
    if (required.length > 0) merged.required = required;
    return { node: mergeInto(siblings, merged) };
  }

  const ranked = rest.map((b, i) => ({ b, i, rank: TYPE_RANK[inferType(b) ?? 'STRING'] })).sort((x, y) => y.rank - x.rank || x.i - y.i);
  const labels = [...new Set(rest.map(shapeLabel))];
  if (labels.length > 1) flat.notes.push(`Accepts: ${clipList(labels, ' | ')}.`);
  return { node: mergeInto(siblings, ranked[0]!.b), from: ranked[0]!.b };
}

/** The outer node's own keywords refine the chosen branch; descriptions of both are kept. */
function mergeInto(outer: Json, branch: Json): Json {
  const merged: Json = { ...branch, ...outer };
  const a = typeof outer.description === 'string' ? outer.description : undefined;
  const b = typeof branch.description === 'string' ? branch.description : undefined;
  if (a !== undefined && b !== undefined && a !== b) merged.description = `${a} ${b}`;
  if (isRecord(outer.properties) && isRecord(branch.properties)) merged.properties = { ...branch.properties, ...outer.properties };
  return merged;
}

// ---------------------------------------------------------------------------------------------------
// Conversion of one flattened node.

const TYPE_RANK: Record<GeminiType, number> = { OBJECT: 5, ARRAY: 4, STRING: 3, NUMBER: 2, INTEGER: 1, BOOLEAN: 0 };
const TYPE_NAMES: Record<string, GeminiType> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
};

function convert(input: Json, ctx: Context, depth: number): GeminiSchema {
  ctx.nodes++;
  if (depth > MAX_DEPTH || ctx.nodes > MAX_NODES)
    return { type: 'OBJECT', description: 'Nested too deeply to describe here; any value of the documented shape.' };
  const flat = flatten(input, ctx);
  if (flat.recursive !== undefined) {
    const d = describe(flat.node, [`Recursive: the same shape as ${refName(flat.recursive)} (not expanded further).`]);
    return d === undefined ? { type: 'OBJECT' } : { type: 'OBJECT', description: d };
  }
  const node = flat.node;
  const notes = flat.notes;
  let nullable = flat.nullable;

  // Types: a type array becomes one type plus `nullable`; a missing type is inferred from the keywords.
  const declared = typeList(own(node, 'type'));
  if (declared.includes('null') || own(node, 'nullable') === true) nullable = true;
  const candidates = [...new Set(declared.map((t) => TYPE_NAMES[t]).filter((t): t is GeminiType => t !== undefined))];
  let type: GeminiType;
  if (candidates.length === 0 && declared.length > 0 && declared.every((t) => t === 'null')) {
    notes.push('(always null)');
    type = 'STRING';
  } else if (candidates.length === 0) {
    const inferred = inferType(node);
    if (inferred === undefined) notes.push('Any JSON value (the schema fixes no type).');
    type = inferred ?? 'STRING';
  } else {
    type = candidates.reduce((best, t) => (TYPE_RANK[t] > TYPE_RANK[best] ? t : best));
    if (candidates.length > 1) notes.push(`Accepts: ${candidates.map((t) => t.toLowerCase()).join(' | ')}.`);
  }

  const out: GeminiSchema = { type };
  const format = own(node, 'format');
  if (typeof format === 'string') {
    if (FORMATS[type]?.includes(format)) out.format = format;
    else notes.push(`(format: ${clip(format)})`);
  }
  const enumValues = enumOf(node, type, notes);
  if (enumValues.nullable) nullable = true;

  ctx.refs.push(...flat.refs);
  try {
    switch (type) {
      case 'OBJECT':
        objectKeywords(node, out, notes, ctx, depth);
        break;
      case 'ARRAY':
        arrayKeywords(node, out, notes, ctx, depth);
        break;
      case 'STRING':
        stringKeywords(node, out, notes);
        break;
      case 'NUMBER':
      case 'INTEGER':
        numberKeywords(node, out, notes, type);
        break;
      case 'BOOLEAN':
        break;
    }
  } finally {
    ctx.refs.length -= flat.refs.length;
  }

  if (enumValues.values !== undefined) out.enum = enumValues.values;
  const dflt = own(node, 'default');
  const said = own(node, 'description');
  const mentionsDefault = typeof said === 'string' && /default/i.test(said);
  if (dflt !== undefined && dflt !== null && typeof dflt !== 'object' && !mentionsDefault) notes.push(`(default: ${clip(JSON.stringify(dflt))})`);
  if (own(node, 'deprecated') === true) notes.push('(deprecated)');
  const description = describe(node, notes);
  return order({ ...out, ...(description !== undefined ? { description } : {}), ...(nullable ? { nullable: true } : {}) });
}

function objectKeywords(node: Json, out: GeminiSchema, notes: string[], ctx: Context, depth: number): void {
  const props = own(node, 'properties');
  const properties: Record<string, GeminiSchema> = {};
  if (isRecord(props)) {
    for (const name of Object.keys(props)) {
      const value = props[name];
      if (value === false) continue; // a property that may never appear is not offered at all
      setOwn(properties, name, convert(isRecord(value) ? value : {}, ctx, depth + 1));
    }
  }
  const names = Object.keys(properties);
  if (names.length > 0) {
    out.properties = properties;
    const required = own(node, 'required');
    if (Array.isArray(required)) {
      const kept = [...new Set(required.filter((r): r is string => typeof r === 'string' && Object.hasOwn(properties, r)))];
      if (kept.length > 0) out.required = kept;
    }
  } else {
    // Gemini rejects an OBJECT with empty `properties`; a free-form object is declared without them.
    const extra = own(node, 'additionalProperties');
    const valueType = isRecord(extra) ? typeList(own(extra, 'type'))[0] : undefined;
    notes.push(valueType !== undefined ? `Free-form object (any keys; values: ${clip(valueType)}).` : 'Free-form object (any keys).');
  }
  count(node, 'minProperties', (n) => (out.minProperties = n));
  count(node, 'maxProperties', (n) => (out.maxProperties = n));
}

function arrayKeywords(node: Json, out: GeminiSchema, notes: string[], ctx: Context, depth: number): void {
  const items = own(node, 'items');
  const prefix = own(node, 'prefixItems');
  // Gemini needs `items` on every ARRAY; a tuple becomes one item shape accepting each position's schema.
  const tuple = Array.isArray(prefix) ? prefix : Array.isArray(items) ? items : undefined;
  let itemSchema: Json;
  if (tuple !== undefined) {
    itemSchema = { anyOf: tuple.filter(isRecord) };
    if (tuple.length > 0) notes.push(`(a tuple of ${tuple.length} positions)`);
  } else {
    itemSchema = isRecord(items) ? items : {};
  }
  out.items = convert(itemSchema, ctx, depth + 1);
  count(node, 'minItems', (n) => (out.minItems = n));
  count(node, 'maxItems', (n) => (out.maxItems = n));
  if (own(node, 'uniqueItems') === true) notes.push('(items must be unique)');
}

function stringKeywords(node: Json, out: GeminiSchema, notes: string[]): void {
  count(node, 'minLength', (n) => (out.minLength = n));
  count(node, 'maxLength', (n) => (out.maxLength = n));
  // Kept out of the schema: Gemini would compile the pattern in its own regex dialect and reject the request on a mismatch.
  const pattern = own(node, 'pattern');
  if (typeof pattern === 'string') notes.push(`(pattern: ${clip(pattern, 200)})`);
}

function numberKeywords(node: Json, out: GeminiSchema, notes: string[], type: 'NUMBER' | 'INTEGER'): void {
  const bound = (key: 'minimum' | 'maximum', exclusiveKey: string, dir: 1 | -1): void => {
    const inclusive = finite(own(node, key));
    const exclusive = own(node, exclusiveKey);
    // Draft 6+: exclusiveMinimum is a number. Draft 4: a boolean qualifying `minimum`.
    const strict = typeof exclusive === 'number' && Number.isFinite(exclusive) ? exclusive : exclusive === true ? inclusive : undefined;
    let value = exclusive === true ? undefined : inclusive;
    if (strict !== undefined) {
      let fromStrict: number | undefined = strict;
      if (type === 'INTEGER') fromStrict = Number.isInteger(strict) ? strict + dir : dir === 1 ? Math.ceil(strict) : Math.floor(strict);
      else notes.push(`(${dir === 1 ? '>' : '<'} ${strict})`);
      if (value === undefined || (dir === 1 ? fromStrict > value : fromStrict < value)) value = fromStrict;
    }
    if (value !== undefined) out[key] = value;
  };
  bound('minimum', 'exclusiveMinimum', 1);
  bound('maximum', 'exclusiveMaximum', -1);
  const multipleOf = finite(own(node, 'multipleOf'));
  if (multipleOf !== undefined) notes.push(`(a multiple of ${multipleOf})`);
}

/** `enum`/`const`: Gemini takes non-empty strings on STRING only; other values are described instead. */
function enumOf(node: Json, type: GeminiType, notes: string[]): { values?: string[]; nullable: boolean } {
  const hasConst = Object.hasOwn(node, 'const');
  const raw = hasConst ? [node.const] : own(node, 'enum');
  if (!Array.isArray(raw)) return { nullable: false };
  const nullable = raw.includes(null);
  const values = raw.filter((v) => v !== null);
  if (values.length === 0) return { nullable };
  if (type === 'STRING' && values.every((v) => typeof v === 'string')) {
    const kept = [...new Set(values.filter((v) => v !== ''))] as string[];
    if (kept.length < values.length && values.includes('')) notes.push(kept.length === 0 ? '(must be the empty string)' : '(may also be the empty string)');
    return kept.length > 0 ? { values: kept, nullable } : { nullable };
  }
  const shown = clipList(
    values.map((v) => JSON.stringify(v) ?? 'null'),
    ', ',
  );
  notes.push(hasConst ? `Must be ${shown}.` : `Allowed values: ${shown}.`);
  return { nullable };
}

// ---------------------------------------------------------------------------------------------------
// Helpers.

function inferType(node: Json): GeminiType | undefined {
  const declared = typeList(own(node, 'type'))
    .map((t) => TYPE_NAMES[t])
    .find((t) => t !== undefined);
  if (declared !== undefined) return declared;
  if (isObjectLike(node)) return 'OBJECT';
  if (['items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains'].some((k) => Object.hasOwn(node, k))) return 'ARRAY';
  const values = Object.hasOwn(node, 'const') ? [node.const] : Array.isArray(node.enum) ? (node.enum as unknown[]).filter((v) => v !== null) : undefined;
  if (values !== undefined && values.length > 0) {
    if (values.every((v) => typeof v === 'string')) return 'STRING';
    if (values.every((v) => Number.isInteger(v))) return 'INTEGER';
    if (values.every((v) => typeof v === 'number')) return 'NUMBER';
    if (values.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
    return 'STRING';
  }
  if (['minLength', 'maxLength', 'pattern', 'format'].some((k) => Object.hasOwn(node, k))) {
    const format = own(node, 'format');
    if (format === 'int32' || format === 'int64') return 'INTEGER';
    if (format === 'float' || format === 'double') return 'NUMBER';
    return 'STRING';
  }
  if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'].some((k) => Object.hasOwn(node, k))) return 'NUMBER';
  return undefined;
}

function isObjectLike(node: Json): boolean {
  const t = typeList(own(node, 'type'));
  if (t.includes('object')) return true;
  if (t.length > 0) return false;
  return ['properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties', 'propertyNames'].some((k) =>
    Object.hasOwn(node, k),
  );
}

function hasShape(node: Json): boolean {
  return isObjectLike(node) || Object.hasOwn(node, 'items');
}

function shapeLabel(node: Json): string {
  const title = own(node, 'title');
  if (typeof title === 'string') return clip(title);
  if (Object.hasOwn(node, 'const')) return clip(JSON.stringify(node.const) ?? 'null');
  if (Array.isArray(node.enum)) return `one of ${clip(node.enum.map((v) => JSON.stringify(v) ?? 'null').join(', '))}`;
  const type = inferType(node);
  if (type === 'ARRAY' && isRecord(node.items)) return `array of ${(inferType(node.items) ?? 'any').toLowerCase()}`;
  if (type === 'OBJECT' && isRecord(node.properties)) return `object {${clip(Object.keys(node.properties).join(', '))}}`;
  if (type === 'OBJECT' && Array.isArray(node.required)) return `with ${clip(node.required.filter((r) => typeof r === 'string').join(', '))}`;
  return (type ?? 'any').toLowerCase();
}

/** The JSON type names of a `type` keyword, lower-cased; unknown names are ignored as if absent. */
function typeList(type: unknown): string[] {
  const names = typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
  return names.map((t) => t.toLowerCase()).filter((t) => t === 'null' || Object.hasOwn(TYPE_NAMES, t));
}

function describe(node: Json, notes: string[]): string | undefined {
  const description = own(node, 'description');
  const title = own(node, 'title');
  const base =
    typeof description === 'string' && description.trim() !== '' ? description : typeof title === 'string' && title.trim() !== '' ? title : undefined;
  const parts = [...(base !== undefined ? [base] : []), ...notes.filter((n) => base === undefined || !base.includes(n))];
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** Resolves a local JSON pointer (`#/$defs/X`, `#/definitions/X`, `#/properties/a`, `#`) in the root document. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
    else if (isRecord(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

function refName(ref: string): string {
  const last = ref.split('/').pop() ?? ref;
  return clip(last === '#' || last === '' ? 'the whole schema' : last);
}

function order(s: GeminiSchema): GeminiSchema {
  const out: Record<string, unknown> = {};
  for (const key of GEMINI_SCHEMA_KEYWORDS) {
    const value = (s as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as unknown as GeminiSchema;
}

function count(node: Json, key: string, set: (n: number) => void): void {
  const v = own(node, key);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) set(v);
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function without(node: Json, keys: string[]): Json {
  const out: Json = {};
  for (const key of Object.keys(node)) if (!keys.includes(key)) setOwn(out, key, node[key]);
  return out;
}

function own(node: Json, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

/** Assigns an own property even for names like `__proto__`, which an MCP schema may legitimately use. */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clip(s: string, max = MAX_HINT_VALUE): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function clipList(items: string[], sep: string): string {
  const shown = items.slice(0, MAX_LISTED).map((s) => clip(s));
  return items.length > MAX_LISTED ? `${shown.join(sep)}${sep}…` : shown.join(sep);
}
