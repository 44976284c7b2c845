import { z } from 'zod';

/** A group of settings (an object, not a list) is patched field by field like the top level. */
type PatchOf<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? PatchOf<T[K]> : T[K] };

/**
 * The schema of a partial update to `schema`: every field optional and no default filled in, so a
 * patch changes exactly the fields it names. (zod's own `.partial()` keeps the defaults, and a patch
 * that names one field would reset all the others.) Nested objects get the same treatment, so a patch
 * of `google.client_id` leaves `google.client_secret` alone.
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodType<PatchOf<z.output<z.ZodObject<S>>>, PatchOf<z.input<z.ZodObject<S>>>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
    shape[key] = (inner instanceof z.ZodObject ? (patchOf(inner) as z.ZodType) : inner).optional();
  }
  return z.object(shape) as unknown as z.ZodType<PatchOf<z.output<z.ZodObject<S>>>, PatchOf<z.input<z.ZodObject<S>>>>;
}
