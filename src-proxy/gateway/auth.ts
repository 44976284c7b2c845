// The gateway's own client authentication. The key may come in any of the headers clients use
// (Claude Code sends x-api-key or Authorization: Bearer; Google SDKs send x-goog-api-key). Comparison
// is constant-time. Auth turned on with no key configured denies everything rather than allowing it.

import type { IncomingHttpHeaders } from 'node:http';
import type { AuthMode } from '../contract/index.js';
import { SecretMatcher } from '../lib/secret-compare.js';

export function presentedKey(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.trim() !== '') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return m ? m[1]!.trim() : auth.trim();
  }
  for (const name of ['x-api-key', 'x-goog-api-key'] as const) {
    const v = headers[name];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return null;
}

export type AuthVerdict = 'allow' | 'missing_key' | 'wrong_key' | 'no_key_configured';

const configured = new SecretMatcher();

export function checkAuth(mode: AuthMode, configuredKey: string, path: string, headers: IncomingHttpHeaders): AuthVerdict {
  if (mode === 'off') return 'allow';
  if (mode === 'all-except-health' && path === '/healthz') return 'allow';
  if (configuredKey === '') return 'no_key_configured';
  const key = presentedKey(headers);
  if (key === null) return 'missing_key';
  return configured.matches(key, configuredKey) ? 'allow' : 'wrong_key';
}

export const AUTH_MESSAGES: Record<Exclude<AuthVerdict, 'allow'>, string> = {
  missing_key: 'Missing API key: send the gateway key in x-api-key or Authorization: Bearer.',
  wrong_key: 'Invalid API key for this gateway.',
  no_key_configured: 'Gateway authentication is on but no api_key is configured; set one (switchyard config set api_key ...).',
};
