// The form fields of an account kind, read from the options schema the kind declares, so a kind or an
// option added to the contract shows up in the console without a change here.

import type { z } from 'zod';

export type OptionField =
  | { name: string; kind: 'text'; required: boolean; default: string | undefined }
  | { name: string; kind: 'boolean'; default: boolean }
  | { name: string; kind: 'choice'; choices: string[]; default: string | undefined };

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string>;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { def: Def }).def;
}

export function optionFields(schema: z.ZodObject): OptionField[] {
  return Object.entries(schema.shape).flatMap(([name, field]): OptionField[] => {
    let s = field as z.ZodType;
    let optional = false;
    let fallback: unknown = undefined;
    // Peel the wrappers (default, optional, transform pipes) down to the value the user types.
    for (let depth = 0; depth < 8; depth++) {
      const d = defOf(s);
      if (d.type === 'default') {
        fallback = d.defaultValue;
        optional = true;
        s = d.innerType!;
      } else if (d.type === 'optional' || d.type === 'nullable') {
        optional = true;
        s = d.innerType!;
      } else if (d.type === 'pipe') s = d.in!;
      else break;
    }
    const d = defOf(s);
    if (d.type === 'boolean') return [{ name, kind: 'boolean', default: fallback === true }];
    if (d.type === 'enum')
      return [{ name, kind: 'choice', choices: Object.values(d.entries ?? {}), default: typeof fallback === 'string' ? fallback : undefined }];
    if (d.type === 'string') return [{ name, kind: 'text', required: !optional, default: typeof fallback === 'string' ? fallback : undefined }];
    return [];
  });
}

/** The options object a form's values make: empty optional text left out, so the schema's default applies. */
export function optionValues(fields: OptionField[], values: Record<string, string | boolean>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'boolean') out[f.name] = v === true;
    else if (typeof v === 'string' && v.trim() !== '') out[f.name] = v.trim();
  }
  return out;
}

export function initialOptionValues(fields: OptionField[]): Record<string, string | boolean> {
  return Object.fromEntries(fields.map((f) => [f.name, f.kind === 'boolean' ? f.default : (f.default ?? '')]));
}
