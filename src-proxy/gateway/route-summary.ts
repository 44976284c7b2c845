// A route's links in a client's words: the `X-Route` header on every answer that did not come from the
// primary link, and the error message when no link could serve. The log keeps the same facts as codes.

import type { LinkRecord } from '../contract/index.js';
import type { RouteLink } from '../routing/model-mapping.js';

/** `provider/model`, with the accounts or groups it is narrowed to in brackets. */
export function linkName(link: Pick<RouteLink, 'provider' | 'model' | 'accounts'>): string {
  const accounts = link.accounts === null ? '' : ` [${link.accounts.join(', ')}]`;
  return `${link.provider}/${link.model}${accounts}`;
}

function at(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Why a link did not serve, in a few words. */
export function whyNot(l: LinkRecord): string {
  const until = l.until !== null && Number.isFinite(l.until) ? ` until ${at(l.until)}` : '';
  if (l.outcome === 'skipped') {
    switch (l.reason) {
      case 'no_accounts':
        return 'no enabled account';
      case 'quota':
        return `every account out of quota${until}`;
      case 'rate_limit':
        return `every account rate limited${until}`;
      case null:
      case 'exhausted':
        return 'no account left';
      default:
        return `every account resting after ${l.reason}${until}`;
    }
  }
  if (l.outcome === 'failed') return `every account tried failed (last: ${l.reason ?? 'unknown'})`;
  return l.outcome;
}

/** "antigravity/claude-opus-4-6: every account out of quota until … -> gemini/gemini-3-pro-high". */
export function routeTrace(passed: readonly LinkRecord[], served: RouteLink): string {
  let out = '';
  for (const l of passed) out += `${linkName(l)}: ${whyNot(l)} -> `;
  return out + linkName(served);
}

/** Every link that was tried or skipped, for an error after none could serve. */
export function failedLinks(links: readonly LinkRecord[]): string {
  return links
    .filter((l) => l.outcome === 'skipped' || l.outcome === 'failed')
    .map((l) => `${linkName(l)}: ${whyNot(l)}`)
    .join('; ');
}
