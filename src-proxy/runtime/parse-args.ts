// Arguments checked by the contract's schemas inside the services, with the ControlError the shells
// put into words: the issues as codes, and a summary of codes and places as the message.

import { ControlError, issuesSummary, validationIssues, type SchemaIssue } from '../contract/index.js';

export interface Parser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: SchemaIssue[] } };
}

export function parseOrThrow<T>(schema: Parser<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw invalidArgument(r.error.issues, value);
}

function invalidArgument(schemaIssues: readonly SchemaIssue[], value: unknown): ControlError {
  const issues = validationIssues(schemaIssues, value);
  return new ControlError('invalid_argument', issuesSummary(issues), issues);
}

/** A zod error from a store as invalid_argument; anything else as it is. */
export function rethrowInvalid(err: unknown): never {
  const issues = (err as { issues?: SchemaIssue[] }).issues;
  if (Array.isArray(issues)) throw invalidArgument(issues, undefined);
  throw err;
}
