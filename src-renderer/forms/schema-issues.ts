// A form's own check with the contract's schemas, put into the console's sentences per field.

import { validationIssues, type SchemaIssue } from '../../src-proxy/contract/index.js';
import { describeIssue } from '../wording/validation.js';

/** One sentence per field path ("label", "options.base_url"), for the first issue of each; `input` is what was checked. */
export function issuesByField(issues: readonly SchemaIssue[], input?: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of validationIssues(issues, input)) {
    const key = issue.path.map(String).join('.');
    out[key] ??= describeIssue(issue);
  }
  return out;
}
