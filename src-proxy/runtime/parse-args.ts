// Arguments checked by the contract's schemas inside the services, with the ControlError the shells
// put into words.

import { ControlError } from '../contract/index.js';

export interface Parser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
}

export function parseOrThrow<T>(schema: Parser<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ControlError('invalid_argument', describeIssues(r.error.issues));
}

function describeIssues(issues: Array<{ path: PropertyKey[]; message: string }>): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

/** A zod error from a store as invalid_argument; anything else as it is. */
export function rethrowInvalid(err: unknown): never {
  const issues = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
  if (Array.isArray(issues)) throw new ControlError('invalid_argument', describeIssues(issues));
  throw err;
}
