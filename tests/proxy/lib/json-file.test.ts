import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../../../src-proxy/lib/json-file.js';
import { useTempDir } from '../settings/temp-dir.js';

const Schema = z.object({ n: z.number() });

describe('writeFileAtomic', () => {
  const dir = useTempDir();

  it('creates missing directories and leaves no temp file behind', async () => {
    const path = join(dir(), 'a', 'b', 'file.json');
    await writeFileAtomic(path, '{"n":1}');
    expect(await readFile(path, 'utf8')).toBe('{"n":1}');
    expect(await readdir(join(dir(), 'a', 'b'))).toEqual(['file.json']);
  });

  it('replaces an existing file', async () => {
    const path = join(dir(), 'file.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, Buffer.from('new'));
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('ends concurrent writes with the last value and no temp files', async () => {
    const path = join(dir(), 'file.json');
    await Promise.all(Array.from({ length: 25 }, (_, i) => writeFileAtomic(path, JSON.stringify({ n: i }))));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ n: 24 });
    expect(await readdir(dir())).toEqual(['file.json']);
  });

  it('removes its temp file when the final rename fails', async () => {
    const path = join(dir(), 'target');
    await mkdir(join(path, 'occupied'), { recursive: true });
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow();
    expect(await readdir(dir())).toEqual(['target']);
  });

  it.skipIf(process.platform === 'win32')('applies the requested mode', async () => {
    const path = join(dir(), 'secret.json');
    await writeFileAtomic(path, '{}', 0o600);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('readJsonFile', () => {
  const dir = useTempDir();

  it('reports a missing file', async () => {
    expect(await readJsonFile(join(dir(), 'none.json'), Schema)).toEqual({ kind: 'missing' });
  });

  it('returns the validated value', async () => {
    const path = join(dir(), 'ok.json');
    await writeFile(path, '{"n":3,"extra":true}');
    expect(await readJsonFile(path, Schema)).toEqual({ kind: 'ok', value: { n: 3 } });
  });

  it.each([
    ['does not parse', '{"n":'],
    ['does not validate', '{"n":"three"}'],
    ['is empty', ''],
  ])('moves a file that %s aside and keeps its content', async (_why, content) => {
    const path = join(dir(), 'bad.json');
    await writeFile(path, content);
    const result = await readJsonFile(path, Schema);
    expect(result.kind).toBe('corrupt');
    const backup = result.kind === 'corrupt' ? result.backup : '';
    expect(backup.startsWith(`${path}.corrupt-`)).toBe(true);
    expect(await readFile(backup, 'utf8')).toBe(content);
    expect(await readdir(dir())).not.toContain('bad.json');
  });

  it('gives two corrupt files in a row distinct backups', async () => {
    const path = join(dir(), 'bad.json');
    const backups: string[] = [];
    for (const content of ['one', 'two']) {
      await writeFile(path, content);
      const result = await readJsonFile(path, Schema);
      if (result.kind === 'corrupt') backups.push(result.backup);
    }
    expect(new Set(backups).size).toBe(2);
    expect(await readFile(backups[1]!, 'utf8')).toBe('two');
  });

  it('reads after a write queued before it', async () => {
    const path = join(dir(), 'file.json');
    const write = writeFileAtomic(path, '{"n":7}');
    const read = readJsonFile(path, Schema);
    await write;
    expect(await read).toEqual({ kind: 'ok', value: { n: 7 } });
  });
});
