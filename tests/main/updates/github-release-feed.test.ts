// The desktop's release feed against a loopback stand-in for the releases API: what it asks, what it
// reads from a good answer, and that every bad answer is an error (the core then reports the check as
// failed), never a crash or a hang.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlEvents } from '../../../src-proxy/contract/index.js';
import { EventBus } from '../../../src-proxy/lib/event-bus.js';
import { UpdatesService } from '../../../src-proxy/runtime/updates-service.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';
import { desktopReleaseFeed, githubRepository, GithubReleaseFeed, latestReleaseUrl } from '../../../src-main/updates/github-release-feed.js';

let server: Server | undefined;
const seen: IncomingMessage[] = [];
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
  seen.length = 0;
});

async function releasesApi(answer: (res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    seen.push(req);
    answer(res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (status: number, body: unknown) => (res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

const feedAt = (base: string) => new GithubReleaseFeed(latestReleaseUrl('switchyard-dev/switchyard', base), 'Switchyard/1.2.3');

describe('GithubReleaseFeed', () => {
  it('asks for the latest release of the repository and reads its tag and page', async () => {
    const base = await releasesApi(
      json(200, { tag_name: 'v1.3.0', html_url: 'https://github.com/switchyard-dev/switchyard/releases/tag/v1.3.0', name: 'Switchyard 1.3', assets: [] }),
    );
    const release = await feedAt(base).latest(AbortSignal.timeout(2000));
    expect(release).toEqual({ version: 'v1.3.0', url: 'https://github.com/switchyard-dev/switchyard/releases/tag/v1.3.0' });
    expect(seen[0]!.url).toBe('/repos/switchyard-dev/switchyard/releases/latest');
    expect(seen[0]!.headers['user-agent']).toBe('Switchyard/1.2.3');
    expect(seen[0]!.headers.accept).toBe('application/vnd.github+json');
  });

  it.each([
    ['no release yet (404)', json(404, { message: 'Not Found' })],
    ['rate limited (403)', json(403, { message: 'API rate limit exceeded' })],
    ['a server error', json(502, 'bad gateway')],
    ['not JSON', json(200, '<html>captive portal</html>')],
    ['no tag', json(200, { html_url: 'https://github.com/x/y/releases/tag/v1' })],
    ['an empty tag', json(200, { tag_name: '', html_url: 'https://github.com/x/y/releases/tag/v1' })],
    ['a page that is not a web address', json(200, { tag_name: 'v2.0.0', html_url: 'javascript:alert(1)' })],
    ['an array', json(200, [])],
    ['too large an answer', json(200, { tag_name: 'v2.0.0', html_url: 'https://github.com/x', padding: 'x'.repeat(2 * 1024 * 1024) })],
  ])('throws on %s', async (_name, answer) => {
    const base = await releasesApi(answer);
    await expect(feedAt(base).latest(AbortSignal.timeout(2000))).rejects.toThrow();
  });

  it('throws when nothing listens', async () => {
    const base = await releasesApi(json(200, {}));
    await new Promise((r) => server!.close(r));
    server = undefined;
    await expect(feedAt(base).latest(AbortSignal.timeout(2000))).rejects.toThrow();
  });

  it('gives up when the signal fires on an answer that never comes', async () => {
    const base = await releasesApi(() => undefined);
    await expect(feedAt(base).latest(AbortSignal.timeout(100))).rejects.toThrow();
  });

  it('keeps the answer out of its errors', async () => {
    const base = await releasesApi(json(200, '{"tag_name": "v1", "token": "ghp_secretish"'));
    await expect(feedAt(base).latest(AbortSignal.timeout(2000))).rejects.toThrow(/^release feed answer is not JSON$/);
  });
});

describe('githubRepository', () => {
  it.each([
    ['github:switchyard-dev/switchyard', 'switchyard-dev/switchyard'],
    ['switchyard-dev/switchyard', 'switchyard-dev/switchyard'],
    ['https://github.com/switchyard-dev/switchyard', 'switchyard-dev/switchyard'],
    ['https://github.com/switchyard-dev/switchyard.git', 'switchyard-dev/switchyard'],
    ['git+https://github.com/switchyard-dev/switchyard.git', 'switchyard-dev/switchyard'],
    ['git+ssh://git@github.com/switchyard-dev/switchyard.git', 'switchyard-dev/switchyard'],
    [{ type: 'git', url: 'https://github.com/switchyard-dev/switchyard.git' }, 'switchyard-dev/switchyard'],
    ['gitlab:switchyard-dev/switchyard', null],
    ['https://gitlab.com/switchyard-dev/switchyard', null],
    ['https://github.com/switchyard-dev', null],
    ['github:../../etc/passwd', null],
    [undefined, null],
    [42, null],
  ])('%j -> %s', (repository, expected) => {
    expect(githubRepository(repository)).toBe(expected);
  });
});

describe('desktopReleaseFeed', () => {
  it('exists only in a packaged app whose package names a GitHub repository', () => {
    const repository = 'github:switchyard-dev/switchyard';
    expect(desktopReleaseFeed({ isPackaged: false, repository, version: '1.0.0' })).toBeNull();
    expect(desktopReleaseFeed({ isPackaged: true, repository: undefined, version: '1.0.0' })).toBeNull();
    expect(desktopReleaseFeed({ isPackaged: true, repository, version: '1.0.0' })).toBeInstanceOf(GithubReleaseFeed);
  });

  it('is what the core checks: a newer release shows in the update status, a failed check as unreachable', async () => {
    let tag = 'v1.0.1';
    const base = await releasesApi((res) =>
      tag ? json(200, { tag_name: tag, html_url: `https://github.com/switchyard-dev/switchyard/releases/tag/${tag}` })(res) : json(500, {})(res),
    );
    const feed = desktopReleaseFeed({ isPackaged: true, repository: 'github:switchyard-dev/switchyard', version: '1.0.0', apiBase: base });
    const updates = new UpdatesService({ currentVersion: '1.0.0', feed, settings: new MemorySettingsStore(), events: new EventBus<ControlEvents>() });
    expect(await updates.check()).toMatchObject({
      supported: true,
      latest_version: '1.0.1',
      release_url: 'https://github.com/switchyard-dev/switchyard/releases/tag/v1.0.1',
      error: null,
    });
    tag = '';
    expect(await updates.check()).toMatchObject({ latest_version: '1.0.1', error: 'upstream_unreachable' });
    updates.close();
  });
});
