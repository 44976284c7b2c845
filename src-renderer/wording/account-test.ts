// The console's words for the outcome of an account's Test: what worked or what failed, and what to do.

import type { Account, AccountTest, FailureKind } from '../../src-proxy/contract/index.js';

const FAILURE_WORDS: Readonly<Record<FailureKind, (t: AccountTest, upstream: string) => string>> = {
  auth: () => "Key refused: the upstream does not accept this account's key. Replace the key.",
  forbidden: () => 'Access forbidden: the upstream knows the key but refuses it this model or service.',
  rate_limit: () => 'The key works, but the account is rate limited right now; it serves again when the limit resets.',
  quota: () => 'The key works, but its quota is used up.',
  not_found: (t, upstream) => `${upstream} does not know model ${t.model} or the endpoint: check the base URL.`,
  invalid: (t) => `The upstream refused the test request for ${t.model}.`,
  overloaded: () => 'The upstream is overloaded; try again in a moment.',
  server: () => 'The upstream failed with a server error; try again in a moment.',
  network: (_t, upstream) => `Could not connect to ${upstream}: check the base URL and the network.`,
  timeout: () => 'The upstream did not answer in time.',
  stream: () => 'The answer broke off before it was complete.',
};

/** Where the account sends its requests, for the sentences above. */
function upstreamOf(a: Account): string {
  return 'base_url' in a.options && a.options.base_url ? a.options.base_url : 'The upstream';
}

/** "Works: a token count for claude-haiku-4-5 answered in 230 ms." or the failure and what to do. */
export function describeAccountTest(a: Account, t: AccountTest): string {
  if (t.failure === null) {
    const what = t.method === 'count_tokens' ? 'a token count' : 'a one-token message';
    return `Works: ${what} for ${t.model} answered in ${Math.round(t.latency_ms)} ms.`;
  }
  const words = FAILURE_WORDS[t.failure](t, upstreamOf(a));
  const said = t.message ? ` The upstream said${t.status !== null ? ` (${t.status})` : ''}: "${t.message}"` : '';
  return `${words}${said}`;
}
