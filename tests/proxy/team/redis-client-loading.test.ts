// The Redis client's code is loaded by a gateway that joins a team and by no other: the CLI's whole
// module graph, serve included, leaves it out until a team is joined.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const run = promisify(execFile);

/** Loads the CLI's modules in a fresh process, then maybe the team's client; says whether ioredis's code was loaded. */
async function ioredisLoaded(joinTeam: boolean): Promise<boolean> {
  const script = `
    import { createRequire } from 'node:module';
    await import('./src-proxy/cli/main.ts');
    if (${joinTeam}) await (await import('./src-proxy/team/team-connection.ts')).loadRedisClient();
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/ioredis/'));
    console.log(JSON.stringify(loaded));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as boolean;
}

describe('the Redis client', () => {
  it('is not loaded by the CLI and serve of a gateway that runs alone', async () => {
    expect(await ioredisLoaded(false)).toBe(false);
  });

  it('is loaded once a team is joined', async () => {
    expect(await ioredisLoaded(true)).toBe(true);
  });
});
