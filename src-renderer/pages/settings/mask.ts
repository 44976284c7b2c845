/** A secret shown without giving it away: its prefix kind and length only. */
export function maskSecret(secret: string): string {
  if (secret === '') return '';
  const prefix = /^sk-[a-z]+-/.exec(secret)?.[0] ?? '';
  return `${prefix}${'•'.repeat(Math.min(24, Math.max(8, secret.length - prefix.length)))}`;
}
