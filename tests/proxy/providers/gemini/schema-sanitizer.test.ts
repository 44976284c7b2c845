import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GEMINI_SCHEMA_KEYWORDS, sanitizeSchema, sanitizeToolParameters } from '../../../../src-proxy/providers/gemini/schema-sanitizer.js';
import type { GeminiSchema } from '../../../../src-proxy/providers/gemini/schema-sanitizer.js';

type Row = [rule: string, input: unknown, output: GeminiSchema];

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'object', properties, ...extra });
const str: GeminiSchema = { type: 'STRING' };

describe('sanitizeSchema: one rule per row', () => {
  const types: Row[] = [
    ['types are upper-case', { type: 'string' }, str],
    [
      'every JSON type maps',
      obj({ a: { type: 'number' }, b: { type: 'integer' }, c: { type: 'boolean' } }),
      { type: 'OBJECT', properties: { a: { type: 'NUMBER' }, b: { type: 'INTEGER' }, c: { type: 'BOOLEAN' } } },
    ],
    ['["string","null"] → STRING + nullable', { type: ['string', 'null'] }, { type: 'STRING', nullable: true }],
    [
      'two non-null types → the richer one, named in the description',
      { type: ['string', 'array'], items: { type: 'string' } },
      { type: 'ARRAY', description: 'Accepts: string | array.', items: str },
    ],
    ['OpenAPI nullable is kept', { type: 'string', nullable: true }, { type: 'STRING', nullable: true }],
    ['type "null" alone → nullable STRING', { type: 'null' }, { type: 'STRING', description: '(always null)', nullable: true }],
    ['properties without type → OBJECT', { properties: { a: { type: 'string' } } }, { type: 'OBJECT', properties: { a: str } }],
    ['items without type → ARRAY', { items: { type: 'integer' } }, { type: 'ARRAY', items: { type: 'INTEGER' } }],
    ['string enum without type → STRING', { enum: ['a', 'b'] }, { type: 'STRING', enum: ['a', 'b'] }],
    ['minLength without type → STRING', { minLength: 1 }, { type: 'STRING', minLength: 1 }],
    ['minimum without type → NUMBER', { minimum: 0 }, { type: 'NUMBER', minimum: 0 }],
    [
      'no type and no hint → STRING described as any value',
      { description: 'Anything' },
      { type: 'STRING', description: 'Anything Any JSON value (the schema fixes no type).' },
    ],
    [
      'ARRAY without items gets items',
      { type: 'array' },
      { type: 'ARRAY', items: { type: 'STRING', description: 'Any JSON value (the schema fixes no type).' } },
    ],
  ];

  const dropped: Row[] = [
    [
      'meta keywords are dropped',
      { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'x', $comment: 'c', $anchor: 'a', type: 'string', readOnly: true, writeOnly: false },
      str,
    ],
    ['additionalProperties is dropped', obj({ a: { type: 'string' } }, { additionalProperties: false }), { type: 'OBJECT', properties: { a: str } }],
    [
      'patternProperties, propertyNames, unevaluatedProperties, if/then/else, not, dependent* are dropped',
      obj(
        { a: { type: 'string' } },
        {
          patternProperties: { '^x-': { type: 'string' } },
          propertyNames: { pattern: '^[a-z]+$' },
          unevaluatedProperties: false,
          if: { properties: { a: { const: 'x' } } },
          then: { required: ['a'] },
          else: { not: { required: ['a'] } },
          not: { type: 'null' },
          dependentSchemas: { a: {} },
          dependentRequired: { a: [] },
          dependencies: { a: ['b'] },
        },
      ),
      { type: 'OBJECT', properties: { a: str } },
    ],
    ['title becomes the description when there is none', { type: 'string', title: 'Name' }, { type: 'STRING', description: 'Name' }],
    ['title is dropped beside a description', { type: 'string', title: 'Name', description: 'The name' }, { type: 'STRING', description: 'The name' }],
    ['examples are dropped', { type: 'string', examples: ['a', 'b'] }, str],
    ['a scalar default is noted', { type: 'integer', default: 5 }, { type: 'INTEGER', description: '(default: 5)' }],
    [
      'a default the description already mentions is not repeated',
      { type: 'boolean', default: false, description: 'Defaults to false' },
      { type: 'BOOLEAN', description: 'Defaults to false' },
    ],
    [
      'a null or object default is dropped',
      obj({ a: { type: 'string', default: null }, b: { type: 'array', items: { type: 'string' }, default: [] } }),
      { type: 'OBJECT', properties: { a: str, b: { type: 'ARRAY', items: str } } },
    ],
    ['deprecated is noted', { type: 'string', deprecated: true }, { type: 'STRING', description: '(deprecated)' }],
    ['contains/minContains are dropped', { type: 'array', items: { type: 'string' }, contains: { const: 'a' }, minContains: 1 }, { type: 'ARRAY', items: str }],
  ];

  const formats: Row[] = [
    ['date-time is kept on STRING', { type: 'string', format: 'date-time' }, { type: 'STRING', format: 'date-time' }],
    ['int32/int64 are kept on INTEGER', { type: 'integer', format: 'int64' }, { type: 'INTEGER', format: 'int64' }],
    ['float/double are kept on NUMBER', { type: 'number', format: 'double' }, { type: 'NUMBER', format: 'double' }],
    ['other formats move to the description', { type: 'string', format: 'uri', description: 'Link' }, { type: 'STRING', description: 'Link (format: uri)' }],
    ['a format of another type moves to the description', { type: 'string', format: 'int32' }, { type: 'STRING', description: '(format: int32)' }],
  ];

  const constraints: Row[] = [
    ['string lengths are kept', { type: 'string', minLength: 1, maxLength: 9 }, { type: 'STRING', minLength: 1, maxLength: 9 }],
    ['pattern moves to the description', { type: 'string', pattern: '^a+$' }, { type: 'STRING', description: '(pattern: ^a+$)' }],
    ['minimum/maximum are kept', { type: 'number', minimum: -1.5, maximum: 2 }, { type: 'NUMBER', minimum: -1.5, maximum: 2 }],
    ['exclusiveMinimum on INTEGER → minimum + 1', { type: 'integer', exclusiveMinimum: 0 }, { type: 'INTEGER', minimum: 1 }],
    ['exclusiveMaximum on INTEGER → maximum - 1', { type: 'integer', exclusiveMaximum: 10 }, { type: 'INTEGER', maximum: 9 }],
    ['exclusiveMinimum on NUMBER → minimum, strictness noted', { type: 'number', exclusiveMinimum: 0 }, { type: 'NUMBER', description: '(> 0)', minimum: 0 }],
    ['the tighter of minimum and exclusiveMinimum wins', { type: 'integer', minimum: 5, exclusiveMinimum: 0 }, { type: 'INTEGER', minimum: 5 }],
    ['draft-4 boolean exclusiveMinimum qualifies minimum', { type: 'integer', minimum: 0, exclusiveMinimum: true }, { type: 'INTEGER', minimum: 1 }],
    ['multipleOf moves to the description', { type: 'integer', multipleOf: 5 }, { type: 'INTEGER', description: '(a multiple of 5)' }],
    [
      'array bounds are kept, uniqueItems noted',
      { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3, uniqueItems: true },
      { type: 'ARRAY', description: '(items must be unique)', items: str, minItems: 1, maxItems: 3 },
    ],
    [
      'object bounds are kept',
      obj({ a: { type: 'string' } }, { minProperties: 1, maxProperties: 4 }),
      { type: 'OBJECT', properties: { a: str }, minProperties: 1, maxProperties: 4 },
    ],
    ['bounds of the wrong type are dropped', { type: 'string', minimum: 1, minItems: 2 }, str],
    ['non-numeric and negative counts are dropped', { type: 'string', minLength: '1', maxLength: -1 }, str],
  ];

  const enums: Row[] = [
    ['string enum is kept', { type: 'string', enum: ['a', 'b'] }, { type: 'STRING', enum: ['a', 'b'] }],
    ['null in an enum → nullable', { type: ['string', 'null'], enum: ['a', null] }, { type: 'STRING', nullable: true, enum: ['a'] }],
    [
      'the empty string leaves the enum, noted',
      { type: 'string', enum: ['a', ''] },
      { type: 'STRING', description: '(may also be the empty string)', enum: ['a'] },
    ],
    ['duplicates are removed', { type: 'string', enum: ['a', 'a'] }, { type: 'STRING', enum: ['a'] }],
    [
      'a numeric enum keeps its type; the values are described',
      { type: 'integer', enum: [1, 2, 3] },
      { type: 'INTEGER', description: 'Allowed values: 1, 2, 3.' },
    ],
    ['an untyped numeric enum infers its type', { enum: [0.5, 1] }, { type: 'NUMBER', description: 'Allowed values: 0.5, 1.' }],
    ['a mixed enum is described', { enum: ['a', 1, true] }, { type: 'STRING', description: 'Allowed values: "a", 1, true.' }],
    ['string const → one-value enum', { const: 'fixed' }, { type: 'STRING', enum: ['fixed'] }],
    ['numeric const → described', { type: 'integer', const: 2 }, { type: 'INTEGER', description: 'Must be 2.' }],
    ['boolean const → described', { const: true }, { type: 'BOOLEAN', description: 'Must be true.' }],
  ];

  const refs: Row[] = [
    [
      '$defs refs are inlined',
      { $defs: { P: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/$defs/P' } } },
      { type: 'OBJECT', properties: { a: str } },
    ],
    [
      'definitions refs are inlined',
      { definitions: { P: { type: 'integer' } }, type: 'object', properties: { a: { $ref: '#/definitions/P' } } },
      { type: 'OBJECT', properties: { a: { type: 'INTEGER' } } },
    ],
    [
      'pointer refs into properties are inlined',
      obj({ a: { type: 'boolean' }, b: { $ref: '#/properties/a' } }),
      { type: 'OBJECT', properties: { a: { type: 'BOOLEAN' }, b: { type: 'BOOLEAN' } } },
    ],
    [
      'escaped pointer segments resolve',
      { $defs: { 'a/b': { type: 'number' } }, properties: { x: { $ref: '#/$defs/a~1b' } } },
      { type: 'OBJECT', properties: { x: { type: 'NUMBER' } } },
    ],
    [
      'keywords beside a $ref win',
      { $defs: { P: { type: 'string', description: 'generic' } }, properties: { a: { $ref: '#/$defs/P', description: 'specific' } } },
      { type: 'OBJECT', properties: { a: { type: 'STRING', description: 'specific' } } },
    ],
    [
      'a ref chain resolves',
      { $defs: { A: { $ref: '#/$defs/B' }, B: { type: 'boolean' } }, properties: { a: { $ref: '#/$defs/A' } } },
      { type: 'OBJECT', properties: { a: { type: 'BOOLEAN' } } },
    ],
    [
      'a recursive ref becomes a permissive OBJECT saying so',
      { $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } }, properties: { head: { $ref: '#/$defs/Node' } } },
      {
        type: 'OBJECT',
        properties: {
          head: { type: 'OBJECT', properties: { next: { type: 'OBJECT', description: 'Recursive: the same shape as Node (not expanded further).' } } },
        },
      },
    ],
    [
      'a ref to itself is cut at once',
      { $defs: { L: { $ref: '#/$defs/L' } }, properties: { a: { $ref: '#/$defs/L' } } },
      { type: 'OBJECT', properties: { a: { type: 'OBJECT', description: 'Recursive: the same shape as L (not expanded further).' } } },
    ],
    [
      'a ref to the root expands once',
      { type: 'object', properties: { name: { type: 'string' }, parent: { $ref: '#' } } },
      {
        type: 'OBJECT',
        properties: {
          name: str,
          parent: {
            type: 'OBJECT',
            properties: { name: str, parent: { type: 'OBJECT', description: 'Recursive: the same shape as the whole schema (not expanded further).' } },
          },
        },
      },
    ],
    [
      'an unresolvable ref is described',
      obj({ a: { $ref: 'https://example.com/x.json' } }),
      { type: 'OBJECT', properties: { a: { type: 'OBJECT', description: '(Unresolved reference https://example.com/x.json.) Free-form object (any keys).' } } },
    ],
  ];

  const combinators: Row[] = [
    [
      'anyOf [T, null] → T + nullable',
      { anyOf: [{ type: 'string' }, { type: 'null' }], description: 'd' },
      { type: 'STRING', description: 'd', nullable: true },
    ],
    [
      'oneOf [null, $ref] → the ref + nullable',
      { $defs: { N: { type: 'integer' } }, properties: { a: { oneOf: [{ type: 'null' }, { $ref: '#/$defs/N' }] } } },
      { type: 'OBJECT', properties: { a: { type: 'INTEGER', nullable: true } } },
    ],
    [
      'string consts in anyOf → one enum, labels kept',
      { oneOf: [{ const: 'a', description: 'first' }, { const: 'b' }] },
      { type: 'STRING', description: 'Values: a: first.', enum: ['a', 'b'] },
    ],
    [
      'string enums in anyOf → one enum',
      {
        anyOf: [
          { type: 'string', enum: ['a'] },
          { type: 'string', enum: ['b', 'a'] },
        ],
      },
      { type: 'STRING', enum: ['a', 'b'] },
    ],
    [
      'object branches merge; only common fields stay required',
      {
        oneOf: [
          obj({ kind: { const: 'x' }, x: { type: 'number' } }, { required: ['kind', 'x'] }),
          obj({ kind: { const: 'y' }, y: { type: 'string' } }, { required: ['kind', 'y'] }),
        ],
      },
      {
        type: 'OBJECT',
        description: 'Accepts one of 2 shapes: object {kind, x} | object {kind, y}.',
        properties: { kind: { type: 'STRING', enum: ['x', 'y'] }, x: { type: 'NUMBER' }, y: str },
        required: ['kind'],
      },
    ],
    [
      'otherwise the richest branch wins, the rest named',
      { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      { type: 'ARRAY', description: 'Accepts: string | array of string.', items: str },
    ],
    [
      'scalars of several types → STRING, named',
      { anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }] },
      { type: 'STRING', description: 'Accepts: number | string | boolean.' },
    ],
    [
      'oneOf of required lists keeps the properties, requires none, names the options',
      obj({ id: { type: 'string' }, path: { type: 'string' } }, { oneOf: [{ required: ['id'] }, { required: ['path'] }] }),
      { type: 'OBJECT', description: 'Accepts one of 2 shapes: with id | with path.', properties: { id: str, path: str } },
    ],
    ['nested anyOf is flattened', { anyOf: [{ anyOf: [{ type: 'string' }, { type: 'null' }] }] }, { type: 'STRING', nullable: true }],
    [
      'allOf merges properties and required',
      { allOf: [obj({ a: { type: 'string' } }, { required: ['a'] }), obj({ b: { type: 'number' } }, { required: ['b'] })] },
      { type: 'OBJECT', properties: { a: str, b: { type: 'NUMBER' } }, required: ['a', 'b'] },
    ],
    [
      'allOf of refs merges their targets',
      { $defs: { A: obj({ a: { type: 'string' } }), B: obj({ b: { type: 'string' } }) }, allOf: [{ $ref: '#/$defs/A' }, { $ref: '#/$defs/B' }] },
      { type: 'OBJECT', properties: { a: str, b: str } },
    ],
    ['allOf of constraints keeps them all', { allOf: [{ type: 'string', minLength: 1 }, { maxLength: 5 }] }, { type: 'STRING', minLength: 1, maxLength: 5 }],
    [
      'allOf merges one property from two branches',
      { allOf: [obj({ a: { type: 'string' } }), obj({ a: { maxLength: 3 } })] },
      { type: 'OBJECT', properties: { a: { type: 'STRING', maxLength: 3 } } },
    ],
    [
      'allOf with two patterns describes both',
      { type: 'string', allOf: [{ pattern: '^a' }, { pattern: 'b$' }] },
      { type: 'STRING', description: '(pattern: b$) (pattern: ^a)' },
    ],
  ];

  const objects: Row[] = [
    [
      'required is filtered to existing properties',
      obj({ a: { type: 'string' } }, { required: ['a', 'ghost', 7, 'a'] }),
      { type: 'OBJECT', properties: { a: str }, required: ['a'] },
    ],
    ['an empty required list is omitted', obj({ a: { type: 'string' } }, { required: [] }), { type: 'OBJECT', properties: { a: str } }],
    [
      'a false property is dropped with its required entry',
      obj({ a: { type: 'string' }, b: false }, { required: ['a', 'b'] }),
      { type: 'OBJECT', properties: { a: str }, required: ['a'] },
    ],
    [
      'a true property accepts any value',
      obj({ a: true }),
      { type: 'OBJECT', properties: { a: { type: 'STRING', description: 'Any JSON value (the schema fixes no type).' } } },
    ],
    ['an object with no properties is declared without them', obj({}), { type: 'OBJECT', description: 'Free-form object (any keys).' }],
    [
      'a map keeps its value type in the description',
      { type: 'object', additionalProperties: { type: 'integer' }, description: 'Counts' },
      { type: 'OBJECT', description: 'Counts Free-form object (any keys; values: integer).' },
    ],
    [
      'a property called like a keyword is a property',
      obj({ type: { type: 'string' }, properties: { type: 'string' } }),
      { type: 'OBJECT', properties: { type: str, properties: str } },
    ],
    [
      'a tuple becomes one item shape',
      { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }] },
      { type: 'ARRAY', description: '(a tuple of 2 positions)', items: str },
    ],
    [
      'draft-4 array items become one item shape',
      { type: 'array', items: [{ type: 'number' }, { type: 'string' }] },
      { type: 'ARRAY', description: '(a tuple of 2 positions)', items: { type: 'STRING', description: 'Accepts: number | string.' } },
    ],
  ];

  const garbage: Row[] = [
    ['null → permissive OBJECT', null, { type: 'OBJECT' }],
    ['a string → permissive OBJECT', 'object', { type: 'OBJECT' }],
    ['an array → permissive OBJECT', [{ type: 'string' }], { type: 'OBJECT' }],
    ['true → permissive OBJECT', true, { type: 'OBJECT' }],
    ['an unknown type name is ignored', { type: 'strnig', properties: { a: { type: 'string' } } }, { type: 'OBJECT', properties: { a: str } }],
    [
      'non-object property schemas accept any value',
      obj({ a: 42, b: null }),
      {
        type: 'OBJECT',
        properties: {
          a: { type: 'STRING', description: 'Any JSON value (the schema fixes no type).' },
          b: { type: 'STRING', description: 'Any JSON value (the schema fixes no type).' },
        },
      },
    ],
    ['a non-string $ref is ignored', { $ref: 5, type: 'string' }, str],
    ['anyOf that is not an array is ignored', { anyOf: 'x', type: 'string' }, str],
  ];

  const all = { types, dropped, formats, constraints, enums, refs, combinators, objects, garbage };
  for (const [group, rows] of Object.entries(all)) {
    describe(group, () => {
      it.each(rows)('%s', (_rule, input, output) => {
        expect(sanitizeSchema(input)).toEqual(output);
      });
    });
  }
});

describe('sanitizeToolParameters', () => {
  it('omits parameters for a tool without arguments', () => {
    expect(sanitizeToolParameters({ type: 'object', properties: {} })).toBeUndefined();
    expect(sanitizeToolParameters({ type: 'object' })).toBeUndefined();
    expect(sanitizeToolParameters({ type: 'object', properties: { gone: false } })).toBeUndefined();
    expect(sanitizeToolParameters(undefined)).toBeUndefined();
  });

  it('omits parameters when the root is not an object', () => {
    expect(sanitizeToolParameters({ type: 'string' })).toBeUndefined();
  });

  it('returns the sanitized OBJECT otherwise, never nullable at the root', () => {
    expect(sanitizeToolParameters({ type: ['object', 'null'], properties: { a: { type: 'string' } } })).toEqual({ type: 'OBJECT', properties: { a: str } });
  });
});

// ---------------------------------------------------------------------------------------------------
// The realistic corpus: Claude Code's own tool list, captured from the CLI, and typical MCP schemas.

interface Tool {
  name: string;
  input_schema: unknown;
}

const fixture = (file: string): Tool[] => (JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as { tools: Tool[] }).tools;
const corpus: Array<[string, Tool]> = [...fixture('claude-code-tools.json'), ...fixture('mcp-tools.json')].map((t) => [t.name, t]);

const FORMATS: Record<string, string[]> = { STRING: ['date-time'], INTEGER: ['int32', 'int64'], NUMBER: ['float', 'double'] };
const TYPES = ['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT'];

/** Every problem Gemini would answer with a 400, as paths into the schema. */
function violations(node: unknown, path = '$'): string[] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [`${path}: not a schema object`];
  const s = node as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(s)) if (!GEMINI_SCHEMA_KEYWORDS.has(key)) out.push(`${path}.${key}: keyword not accepted`);
  if (!TYPES.includes(s.type as string)) out.push(`${path}.type: ${String(s.type)}`);
  if (s.format !== undefined && !(FORMATS[s.type as string] ?? []).includes(s.format as string))
    out.push(`${path}.format: ${String(s.format)} on ${String(s.type)}`);
  if (s.enum !== undefined && (s.type !== 'STRING' || !(s.enum as unknown[]).every((v) => typeof v === 'string' && v !== ''))) out.push(`${path}.enum`);
  if (s.type === 'ARRAY' && s.items === undefined) out.push(`${path}: ARRAY without items`);
  if (s.items !== undefined) out.push(...(s.type === 'ARRAY' ? violations(s.items, `${path}.items`) : [`${path}.items on ${String(s.type)}`]));
  if (s.properties !== undefined) {
    const props = s.properties as Record<string, unknown>;
    if (s.type !== 'OBJECT') out.push(`${path}.properties on ${String(s.type)}`);
    if (Object.keys(props).length === 0) out.push(`${path}.properties: empty`);
    for (const [name, child] of Object.entries(props)) out.push(...violations(child, `${path}.properties.${name}`));
  }
  if (s.required !== undefined) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    for (const r of s.required as string[]) if (!Object.hasOwn(props, r)) out.push(`${path}.required: ${r} is not a property`);
  }
  return out;
}

/** Property names at every path of a JSON Schema, following $ref, allOf/anyOf/oneOf and items, stopping at a repeated $ref. */
function propertyPaths(schema: unknown, root: unknown, path = '$', seen: string[] = []): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') {
    if (seen.includes(s.$ref) || !s.$ref.startsWith('#')) return [];
    const target = s.$ref
      .slice(2)
      .split('/')
      .filter(Boolean)
      .reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], root);
    return propertyPaths(target, root, path, [...seen, s.$ref]);
  }
  const out: string[] = [];
  for (const [name, child] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) {
    if (child === false) continue;
    out.push(`${path}.${name}`, ...propertyPaths(child, root, `${path}.${name}`, seen));
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const branch of (s[key] ?? []) as unknown[]) out.push(...propertyPaths(branch, root, path, seen));
  if (typeof s.items === 'object' && !Array.isArray(s.items)) out.push(...propertyPaths(s.items, root, path, seen));
  return out;
}

function outputPaths(schema: GeminiSchema, path = '$'): string[] {
  const out: string[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) out.push(`${path}.${name}`, ...outputPaths(child, `${path}.${name}`));
  if (schema.items) out.push(...outputPaths(schema.items, path));
  return out;
}

describe('the corpus of real tool schemas', () => {
  it('holds the tools Claude Code sends and the MCP shapes', () => {
    const names = corpus.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining(['Bash', 'Read', 'Edit', 'Write', 'WebFetch', 'WebSearch', 'NotebookEdit', 'Agent', 'mcp__pydantic_server__create_event']),
    );
  });

  it.each(corpus)('%s: only keywords Gemini accepts, in valid combinations', (_name, tool) => {
    const params = sanitizeToolParameters(tool.input_schema);
    if (params !== undefined) expect(violations(params)).toEqual([]);
  });

  it.each(corpus)('%s: every property name is kept', (_name, tool) => {
    const params = sanitizeToolParameters(tool.input_schema);
    const expected = [...new Set(propertyPaths(tool.input_schema, tool.input_schema))];
    const actual = params === undefined ? [] : outputPaths(params);
    expect(actual).toEqual(expect.arrayContaining(expected));
  });

  it.each(corpus)('%s: the input is not mutated', (_name, tool) => {
    const before = structuredClone(tool.input_schema);
    sanitizeToolParameters(deepFreeze(structuredClone(tool.input_schema)));
    sanitizeToolParameters(tool.input_schema);
    expect(tool.input_schema).toEqual(before);
  });

  it('omits parameters only for the tools without arguments', () => {
    const without = corpus.filter(([, t]) => sanitizeToolParameters(t.input_schema) === undefined).map(([name]) => name);
    expect(without).toEqual(['CronList', 'mcp__memory__read_graph']);
  });
});

describe('bounded work', () => {
  it('stops an exponential $ref fan-out', () => {
    const $defs: Record<string, unknown> = { D30: { type: 'string' } };
    for (let i = 0; i < 30; i++) $defs[`D${i}`] = obj({ left: { $ref: `#/$defs/D${i + 1}` }, right: { $ref: `#/$defs/D${i + 1}` } });
    const out = sanitizeSchema({ $defs, ...obj({ root: { $ref: '#/$defs/D0' } }) });
    expect(JSON.stringify(out).length).toBeLessThan(2_000_000);
    expect(violations(out)).toEqual([]);
  });

  it('stops at a bounded depth on deeply nested input', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 10_000; i++) deep = obj({ child: deep });
    const out = sanitizeSchema(deep);
    expect(violations(out)).toEqual([]);
  });

  it('survives a cyclic object graph', () => {
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic.properties = { self: cyclic };
    expect(violations(sanitizeSchema(cyclic))).toEqual([]);
  });

  it('keeps a property named __proto__ as a plain property', () => {
    const input = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}') as unknown;
    const out = sanitizeSchema(input);
    expect(Object.keys(out.properties ?? {})).toEqual(['__proto__']);
    expect(out.required).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype);
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
