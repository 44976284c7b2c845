// What was wrong with a value, as typed codes the shells put into words. The schema library's own
// messages ("Too small: expected string to have >=1 characters", "Invalid URL") are written for
// programmers; they are turned into these codes here, in one place, and never shown.

/** Why a value was refused; each shell has a sentence for every code. */
export const VALIDATION_CODES = [
  /** Nothing was given where something is needed. */
  'required',
  /** Text that is empty (or only spaces). */
  'empty',
  'too_short',
  'too_long',
  'too_small',
  'too_big',
  /** A list with more entries than it may have. */
  'too_many',
  'not_url',
  /** A URL, but not one starting with http:// or https://. */
  'not_http_url',
  'not_integer',
  'not_number',
  'not_text',
  'not_yes_no',
  'not_list',
  /** A value outside the choices (`choices` lists them). */
  'not_one_of',
  /** A field the schema does not know (`field` names it). */
  'unknown_field',
  /** An account or group named twice in one list. */
  'duplicate_name',
  /** Two prices for one model. */
  'duplicate_price',
  'invalid',
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];

export interface ValidationIssue {
  /** Where in the value, e.g. ["options", "base_url"]; empty for the value itself. */
  path: Array<string | number>;
  code: ValidationCode;
  /** The bound that was crossed, for the size codes. */
  limit?: number;
  /** The allowed values, for `not_one_of`. */
  choices?: string[];
  /** The unknown field's name, for `unknown_field`. */
  field?: string;
}

/** A schema issue as the library reports it; only the fields read here. */
export interface SchemaIssue {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  expected?: string;
  format?: string;
  values?: readonly unknown[];
  keys?: readonly string[];
  options?: readonly unknown[];
  params?: Record<string, unknown>;
}

const CUSTOM_CODES: ReadonlySet<string> = new Set(['not_http_url', 'duplicate_name', 'duplicate_price']);

/** The codes of the schema issues; `input` (what was checked) tells a missing value from a wrong one. */
export function validationIssues(issues: readonly SchemaIssue[], input?: unknown): ValidationIssue[] {
  return issues.flatMap((i) => toIssues(i, input));
}

function toIssues(i: SchemaIssue, input: unknown): ValidationIssue[] {
  const path = i.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const at = (code: ValidationCode, more: Partial<ValidationIssue> = {}): ValidationIssue[] => [{ path, code, ...more }];
  switch (i.code) {
    case 'too_small': {
      const limit = Number(i.minimum);
      if (i.origin === 'string') return limit <= 1 ? at('empty') : at('too_short', { limit });
      if (i.origin === 'array') return at(limit <= 1 ? 'required' : 'too_small', { limit });
      return at('too_small', { limit });
    }
    case 'too_big': {
      const limit = Number(i.maximum);
      if (i.origin === 'string') return at('too_long', { limit });
      if (i.origin === 'array') return at('too_many', { limit });
      return at('too_big', { limit });
    }
    case 'invalid_format':
      return at(i.format === 'url' ? 'not_url' : 'invalid');
    case 'invalid_type':
      if (input !== undefined && valueAt(input, path) === undefined) return at('required');
      return at(TYPE_CODES[i.expected ?? ''] ?? 'invalid');
    case 'invalid_value':
      return at('not_one_of', { choices: (i.values ?? []).map(String) });
    case 'invalid_union':
      return i.options ? at('not_one_of', { choices: i.options.map(String) }) : at('invalid');
    case 'unrecognized_keys':
      return (i.keys ?? []).map((field) => ({ path: [...path, field], code: 'unknown_field' as const, field }));
    case 'custom': {
      const code = i.params?.code;
      return at(typeof code === 'string' && CUSTOM_CODES.has(code) ? (code as ValidationCode) : 'invalid');
    }
    default:
      return at('invalid');
  }
}

const TYPE_CODES: Readonly<Record<string, ValidationCode>> = {
  int: 'not_integer',
  number: 'not_number',
  string: 'not_text',
  boolean: 'not_yes_no',
  array: 'not_list',
};

function valueAt(input: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** The issues in one line for logs and errors of last resort, codes and places only (never shown as wording). */
export function issuesSummary(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : 'value'}: ${i.code}${i.limit !== undefined ? ` (${i.limit})` : ''}`).join('; ');
}
