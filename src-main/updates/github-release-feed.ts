// The project's releases as published on GitHub: the newest non-draft, non-prerelease release of the
// repository package.json names. The core decides when to ask (only with the user's consent or on a
// click); this only asks and reads the answer, and never downloads anything.

import { z } from 'zod';
import type { PublishedRelease, ReleaseFeed } from '../../src-proxy/runtime/updates-service.js';

export const GITHUB_API = 'https://api.github.com';

/** A release answer is small; anything past this is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

const LatestReleaseSchema = z.object({
  tag_name: z.string().min(1),
  html_url: z.url({ protocol: /^https?$/ }),
});

/**
 * `owner/name` from package.json's `repository`, in any of the forms npm accepts for GitHub
 * (`github:owner/name`, `owner/name`, a github.com URL, or `{ url }`); null for anything else.
 */
export function githubRepository(repository: unknown): string | null {
  const text = typeof repository === 'object' && repository !== null ? (repository as { url?: unknown }).url : repository;
  if (typeof text !== 'string') return null;
  const name = '[A-Za-z0-9][A-Za-z0-9_.-]*';
  const m =
    new RegExp(`^(?:github:)?(${name})/(${name})$`).exec(text) ??
    new RegExp(`^(?:git\\+)?(?:https?|git|ssh)://(?:git@)?github\\.com/(${name})/(${name})/?$`).exec(text);
  if (!m) return null;
  return `${m[1]}/${m[2]!.replace(/\.git$/, '')}`;
}

export function latestReleaseUrl(repo: string, apiBase = GITHUB_API): string {
  return `${apiBase.replace(/\/+$/, '')}/repos/${repo}/releases/latest`;
}

export class GithubReleaseFeed implements ReleaseFeed {
  constructor(
    private readonly url: string,
    private readonly userAgent: string,
  ) {}

  async latest(signal: AbortSignal): Promise<PublishedRelease> {
    const res = await fetch(this.url, {
      signal,
      redirect: 'follow',
      headers: { accept: 'application/vnd.github+json', 'user-agent': this.userAgent, 'x-github-api-version': '2022-11-28' },
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`release feed answered ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) {
      await res.body?.cancel();
      throw new Error('release feed answer too large');
    }
    const text = await res.text();
    if (text.length > MAX_BODY_BYTES) throw new Error('release feed answer too large');
    // The body is not quoted in errors: it comes from the network.
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error('release feed answer is not JSON');
    }
    const parsed = LatestReleaseSchema.safeParse(raw);
    if (!parsed.success) throw new Error('release feed answer has no release');
    return { version: parsed.data.tag_name, url: parsed.data.html_url };
  }
}

/** The desktop's feed: only in a packaged app whose package.json names a GitHub repository. */
export function desktopReleaseFeed(opts: { isPackaged: boolean; repository: unknown; version: string; apiBase?: string }): ReleaseFeed | null {
  if (!opts.isPackaged) return null;
  const repo = githubRepository(opts.repository);
  if (!repo) return null;
  return new GithubReleaseFeed(latestReleaseUrl(repo, opts.apiBase), `Switchyard/${opts.version}`);
}
