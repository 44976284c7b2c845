import type { Account, RateLimitWindow } from '../../../src-proxy/contract/index.js';
import { formatCount, formatUntil } from '../../format/format.js';

const WINDOW_WORDS: Readonly<Record<RateLimitWindow, string>> = {
  requests: 'requests',
  tokens: 'tokens',
  'input-tokens': 'input tokens',
  'output-tokens': 'output tokens',
};

/** The rate-limit windows an API-key upstream last reported: what is left of each, and when it fills again. */
export function RateLimitBars({ account: a, now }: { account: Account; now: number }) {
  const windows = a.learned.rate_limits.filter((w) => w.limit !== null && w.limit > 0 && w.remaining !== null);
  if (windows.length === 0) return null;
  return (
    <ul className="quota" aria-label={`Rate limits of ${a.label}`}>
      {windows.map((w) => {
        // A window whose reset has passed is full again, whatever the last answer said.
        const remaining = w.resets_at !== null && w.resets_at <= now ? w.limit! : Math.min(w.remaining!, w.limit!);
        const share = remaining / w.limit!;
        const words = WINDOW_WORDS[w.window];
        return (
          <li key={w.window}>
            <span className="quota-model">{words}</span>
            <span className="bar" role="meter" aria-label={`${words} left`} aria-valuemin={0} aria-valuemax={w.limit!} aria-valuenow={remaining}>
              <span className={`bar-fill ${share < 0.2 ? 'low' : ''}`} style={{ width: `${Math.round(share * 100)}%` }} />
            </span>
            <span className="muted">
              {formatCount(remaining)} of {formatCount(w.limit!)} left
              {w.resets_at !== null && w.resets_at > now ? `, resets ${formatUntil(w.resets_at, now)}` : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
