/** The contract schema's messages per field path ("label", "options.base_url"), the first one each. */
export function issuesByField(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    out[key] ??= sentence(issue.message);
  }
  return out;
}

function sentence(message: string): string {
  const m = message.replace(/^Invalid input: /, '');
  return m.charAt(0).toUpperCase() + m.slice(1);
}
