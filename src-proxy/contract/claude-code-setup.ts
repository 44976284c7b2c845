/** What Claude Code needs to use the gateway: its base URL and, when auth is on, the key. */
export interface ClaudeCodeSetupInput {
  /** The gateway's base URL, without `/v1` (Claude Code adds `/v1/messages` itself). */
  url: string;
  /** The gateway's key when authentication is on; null when it is off. */
  apiKey: string | null;
  shell: 'posix' | 'powershell';
}

/** The environment lines to paste into a shell before running `claude`. */
export function claudeCodeSetup({ url, apiKey, shell }: ClaudeCodeSetupInput): string {
  const vars: Array<[string, string]> = [['ANTHROPIC_BASE_URL', url.replace(/\/+$/, '').replace(/\/v1$/, '')]];
  if (apiKey) vars.push(['ANTHROPIC_API_KEY', apiKey]);
  return vars.map(([k, v]) => (shell === 'powershell' ? `$env:${k}="${v.replace(/[`"$]/g, '`$&')}"` : `export ${k}=${posixWord(v)}`)).join('\n');
}

/** A value the shell reads back exactly: bare when it is plain, single-quoted otherwise. */
function posixWord(v: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}
