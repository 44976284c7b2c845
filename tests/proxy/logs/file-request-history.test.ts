import { mkdir, readdir, readFile, stat, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry, Warning } from '../../../src-proxy/contract/index.js';
import { FileRequestHistory, RequestLog } from '../../../src-proxy/logs/request-log.js';
import { useTempDir } from '../settings/temp-dir.js';
import { makeEntries, makeEntry } from './entry-fixture.js';
import { loggedAll } from '../../../src-proxy/logs/logged-entry.js';

const ids = (entries: RequestLogEntry[]) => entries.map((e) => e.id);
const lineOf = (e: RequestLogEntry) => `${JSON.stringify(e)}\n`;

describe('FileRequestHistory', () => {
  const dir = useTempDir();
  const historyPath = () => join(dir(), 'logs', 'requests.jsonl');

  async function open(limit = 100): Promise<{ history: FileRequestHistory; warnings: Warning[] }> {
    const warnings: Warning[] = [];
    const history = await FileRequestHistory.open(historyPath(), { limit: () => limit, onWarning: (w) => warnings.push(w) });
    return { history, warnings };
  }

  const previousPath = () => join(dir(), 'logs', 'requests.1.jsonl');

  async function linesOf(path: string): Promise<string[]> {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
  }

  const fileLines = () => linesOf(historyPath());

  it('survives a restart: record, close, reopen, load, list', async () => {
    const first = await open();
    const log = new RequestLog({ memoryLimit: 50, history: first.history });
    await log.load();
    for (const e of makeEntries(5)) log.record(e);
    await log.close();

    const second = await open();
    const reloaded = new RequestLog({ memoryLimit: 3, history: second.history });
    await reloaded.load();
    expect(ids(reloaded.list({}))).toEqual(['e4', 'e3', 'e2']);
    expect(reloaded.list({})[0]).toEqual(makeEntries(5)[4]);
    expect(second.warnings).toEqual([]);
    await reloaded.close();
  });

  it('appends one JSON line per entry and loads the newest, oldest first', async () => {
    const { history } = await open();
    await history.append(loggedAll(makeEntries(3)));
    await history.append(loggedAll(makeEntries(2, 3)));
    expect(await fileLines()).toHaveLength(5);
    expect(ids(await history.load(2))).toEqual(['e3', 'e4']);
    expect(await history.load(0)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('creates the file with mode 0600', async () => {
    const { history } = await open();
    await history.append(loggedAll(makeEntries(1)));
    expect((await stat(historyPath())).mode & 0o777).toBe(0o600);
  });

  it('starts a new file once the current one holds `limit` entries, keeping one previous file, never rewriting', async () => {
    const { history } = await open(5);
    await history.append(loggedAll(makeEntries(3)));
    expect(await fileLines()).toHaveLength(3);
    await history.append(loggedAll(makeEntries(3, 3)));
    // Six lines reached the limit: the file became the previous one, and a new one starts empty.
    expect(await linesOf(previousPath())).toHaveLength(6);
    await history.append(loggedAll(makeEntries(2, 6)));
    expect(ids((await fileLines()).map((l) => JSON.parse(l)))).toEqual(['e6', 'e7']);
    expect(ids(await history.load(5))).toEqual(['e3', 'e4', 'e5', 'e6', 'e7']);
    await history.append(loggedAll(makeEntries(4, 8)));
    // The next turn replaces the previous file: at most about twice the limit is ever on disk.
    expect(ids((await linesOf(previousPath())).map((l) => JSON.parse(l)))).toEqual(['e6', 'e7', 'e8', 'e9', 'e10', 'e11']);
    // The new current file appears with its first entry.
    expect(await readdir(join(dir(), 'logs'))).toEqual(['requests.1.jsonl']);
    expect(ids(await history.load(100))).toEqual(['e6', 'e7', 'e8', 'e9', 'e10', 'e11']);
  });

  it('loads the newest entries across both files, whatever their count', async () => {
    const { history } = await open(4);
    await history.append(loggedAll(makeEntries(4)));
    await history.append(loggedAll(makeEntries(1, 4)));
    expect(ids(await history.load(2))).toEqual(['e3', 'e4']);
    expect(ids(await history.load(4))).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('writes at most `limit` entries of an oversized batch', async () => {
    const { history } = await open(3);
    await history.append(loggedAll(makeEntries(50)));
    expect(ids(await history.load(100))).toEqual(['e47', 'e48', 'e49']);
  });

  it('starts a new file on open when the limit shrank below what the current one holds', async () => {
    const big = await open(100);
    await big.history.append(loggedAll(makeEntries(30)));
    await big.history.close();
    const small = await open(10);
    expect(await linesOf(previousPath())).toHaveLength(30);
    expect(ids(await small.history.load(10))).toEqual(makeEntries(10, 20).map((e) => e.id));
  });

  it('reads the limit on every append and writes nothing when it is 0', async () => {
    let limit = 100;
    const history = await FileRequestHistory.open(historyPath(), { limit: () => limit, onWarning: () => undefined });
    await history.append(loggedAll(makeEntries(3)));
    limit = 0;
    await history.append(loggedAll(makeEntries(2, 3)));
    expect(await history.load(100)).toEqual([]);
    expect(await readFile(historyPath(), 'utf8')).toBe('');
    expect(await readdir(join(dir(), 'logs'))).toEqual(['requests.jsonl']);
  });

  it('skips a torn last line and cuts it off, so later appends stay readable', async () => {
    await mkdir(join(dir(), 'logs'));
    const torn = lineOf(makeEntry('torn', 3)).slice(0, 40);
    await writeFile(historyPath(), lineOf(makeEntry('a', 1)) + lineOf(makeEntry('b', 2)) + torn);
    const { history, warnings } = await open();
    expect(warnings).toEqual([]);
    expect(ids(await history.load(10))).toEqual(['a', 'b']);
    await history.append(loggedAll([makeEntry('c', 4)]));
    expect(ids(await history.load(10))).toEqual(['a', 'b', 'c']);
    expect(await fileLines()).toHaveLength(3);
  });

  it('tolerates NUL padding left by a crash', async () => {
    await mkdir(join(dir(), 'logs'));
    await writeFile(historyPath(), lineOf(makeEntry('a', 1)) + '\0'.repeat(64));
    const { history, warnings } = await open();
    expect(warnings).toEqual([]);
    await history.append(loggedAll([makeEntry('b', 2)]));
    expect(ids(await history.load(10))).toEqual(['a', 'b']);
  });

  it('keeps a complete last line that only lacks its newline', async () => {
    await mkdir(join(dir(), 'logs'));
    await writeFile(historyPath(), lineOf(makeEntry('a', 1)) + JSON.stringify(makeEntry('b', 2)));
    const { history } = await open();
    await history.append(loggedAll([makeEntry('c', 3)]));
    expect(ids(await history.load(10))).toEqual(['a', 'b', 'c']);
  });

  it('treats a file holding only a torn first write as empty', async () => {
    await mkdir(join(dir(), 'logs'));
    await writeFile(historyPath(), '{"id":"x","ti');
    const { history, warnings } = await open();
    expect(warnings).toEqual([]);
    expect(await history.load(10)).toEqual([]);
    expect(await readFile(historyPath(), 'utf8')).toBe('');
  });

  it('skips a bad line in the middle', async () => {
    await mkdir(join(dir(), 'logs'));
    await writeFile(historyPath(), lineOf(makeEntry('a', 1)) + 'garbage\n' + lineOf(makeEntry('b', 2)));
    const { history, warnings } = await open();
    expect(warnings).toEqual([]);
    expect(ids(await history.load(10))).toEqual(['a', 'b']);
  });

  it.each([
    ['holds no entry at all', 'not json\nat all\n'],
    ['is binary', '\u0001\u0002\u0003 binary'],
  ])('moves a file that %s aside with a warning and starts empty', async (_why, content) => {
    await mkdir(join(dir(), 'logs'));
    await writeFile(historyPath(), content);
    const { history, warnings } = await open();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'history_corrupt', file: historyPath() });
    expect(await readFile(warnings[0]!.backup!, 'utf8')).toBe(content);
    expect(await history.load(10)).toEqual([]);
    await history.append(loggedAll([makeEntry('a', 1)]));
    expect(ids(await history.load(10))).toEqual(['a']);
  });

  it('moves an unreadable path aside with a warning', async () => {
    await mkdir(historyPath(), { recursive: true });
    const { history, warnings } = await open();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('history_corrupt');
    expect((await stat(warnings[0]!.backup!)).isDirectory()).toBe(true);
    await history.append(loggedAll([makeEntry('a', 1)]));
    expect(ids(await history.load(10))).toEqual(['a']);
  });

  it('clear() empties the file and close() refuses later appends', async () => {
    const { history } = await open();
    await history.append(loggedAll(makeEntries(3)));
    await history.clear();
    expect(await history.load(10)).toEqual([]);
    await history.append(loggedAll(makeEntries(1, 3)));
    expect(ids(await history.load(10))).toEqual(['e3']);
    await history.close();
    await expect(history.append(loggedAll(makeEntries(1, 4)))).rejects.toThrow(/closed/);
  });

  it('RequestLog.clear() clears the file too', async () => {
    const { history } = await open();
    const log = new RequestLog({ memoryLimit: 10, history });
    for (const e of makeEntries(3)) log.record(e);
    await log.flush();
    await log.clear();
    log.record(makeEntry('after', 5000));
    await log.close();
    const reopened = await open();
    expect(ids(await reopened.history.load(10))).toEqual(['after']);
  });

  it('appends after a concurrent external append without losing lines', async () => {
    const { history } = await open();
    await history.append(loggedAll([makeEntry('a', 1)]));
    await appendFile(historyPath(), lineOf(makeEntry('outside', 2)));
    await history.append(loggedAll([makeEntry('b', 3)]));
    expect(ids(await history.load(10))).toEqual(['a', 'outside', 'b']);
  });
});
