// Prices on the command line, as a user sets and reads them.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src-proxy/cli/main.js';
import { recordingIo } from './cli-io.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-prices-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function config(...args: string[]) {
  const io = recordingIo();
  const code = await main(['config', ...args, '--data-dir', dir], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('switchyard config and prices', () => {
  it('shows the shipped price of a model, replaces it, and goes back to it', async () => {
    expect((await config('get', 'price.claude-sonnet-4-6')).out).toBe(
      'claude-sonnet-4* = 3,15,3.75,0.3 (input, output, cache write, cache read; US$ per million tokens; shipped)',
    );
    const set = await config('set', 'price.claude-sonnet-4*', '2.5,12,3,0.25');
    expect(set.out).toBe('claude-sonnet-4* = 2.5,12,3,0.25 (input, output, cache write, cache read; US$ per million tokens; set here)');
    expect(JSON.parse((await config('get', 'model_prices')).out)).toEqual([
      { model: 'claude-sonnet-4*', input: 2.5, output: 12, cache_write: 3, cache_read: 0.25 },
    ]);
    expect((await config('set', 'price.claude-sonnet-4*', 'default')).out).toContain('= 3,15,3.75,0.3');
    expect(JSON.parse((await config('get', 'model_prices')).out)).toEqual([]);
  });

  it('prices a model nobody ships, and says when one has no price', async () => {
    expect((await config('get', 'price.house-model')).out).toContain('house-model has no price: requests it serves show "no price"');
    await config('set', 'price.house-model', '1,2,0,0');
    expect((await config('get', 'prices')).out).toContain('house-model = 1,2,0,0');
  });

  it('refuses a price that is not four amounts, saying how to write one', async () => {
    const bad = await config('set', 'price.glm-4.6', '0.6,2.2');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('A price is four numbers of 0 or more, in US dollars per million tokens: INPUT,OUTPUT,CACHE_WRITE,CACHE_READ');
    expect((await config('set', 'price.glm-4.6', '-1,2,3,4')).code).toBe(2);
  });

  it('takes the whole list as JSON, checked like the console checks it', async () => {
    const ok = await config('set', 'model_prices', '[{"model":"m1","input":1,"output":2,"cache_write":3,"cache_read":4}]');
    expect(ok.code).toBe(0);
    const twice = await config(
      'set',
      'model_prices',
      '[{"model":"m1","input":1,"output":2,"cache_write":3,"cache_read":4},{"model":"M1","input":1,"output":2,"cache_write":3,"cache_read":4}]',
    );
    expect(twice.code).toBe(2);
    expect(twice.err).toBe('switchyard: model_prices gives one model two prices.');
  });
});
