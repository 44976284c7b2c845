// How deep a parsed JSON value nests, measured without recursion: a body nested thousands of levels
// deep must get a clear refusal, not a stack overflow in whatever walks it next (a schema check,
// JSON.stringify, a translator). It runs on every request, so it allocates nothing per node.

/** Whether `value` has arrays or objects nested more than `limit` levels deep (the value itself is level 1). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const child: unknown = v[i];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      const obj = v as Record<string, unknown>;
      for (const key in obj) {
        const child = obj[key];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}
