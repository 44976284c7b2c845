// Request history as JSON-lines files. Appends are cheap (one write per batch) and the history is bounded
// without ever rewriting it: once the current file holds `limit` entries it is renamed to the previous
// file (replacing the one before) and a new one starts. Loading reads both and keeps the newest `limit`;
// the disk holds at most about twice the limit, and the request path's process never copies the history.

import { appendFile, mkdir, readFile, rename, rm, truncate } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { RequestLogEntry, Warning } from '../contract/index.js';
import { moveAside, writeFileAtomic } from '../lib/json-file.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { isUnusable, parseHistory, serializeEntries } from './history-lines.js';
import type { LoggedEntry } from './logged-entry.js';
import type { RequestHistory } from './request-history.js';

// Entries name accounts (often e-mail addresses) and upstream error messages: private to the user.
const HISTORY_FILE_MODE = 0o600;

export interface FileRequestHistoryOptions {
  /** Entries to keep; read on every append so a settings change applies at once. 0 disables history. */
  limit: () => number;
  onWarning: (w: Warning) => void;
}

export class FileRequestHistory implements RequestHistory {
  // Appends, compactions and clears touch the same file; one at a time.
  private readonly queue = new SerialQueue();
  /** Newline-terminated lines in the file, valid or not. */
  private lines = 0;
  /** Until the previous file is known to be gone (it may be left from an earlier run). */
  private mayHavePrevious = true;
  private closed = false;

  /** The file before the current one, e.g. `request-history.1.jsonl`. */
  private readonly previousPath: string;

  private constructor(
    private readonly path: string,
    private readonly opts: FileRequestHistoryOptions,
  ) {
    const ext = extname(path);
    this.previousPath = `${path.slice(0, path.length - ext.length)}.1${ext}`;
  }

  static async open(path: string, opts: FileRequestHistoryOptions): Promise<FileRequestHistory> {
    const history = new FileRequestHistory(path, opts);
    await history.queue.run(() => history.recover());
    return history;
  }

  load(limit: number): Promise<RequestLogEntry[]> {
    return this.queue.run(async () => {
      if (limit <= 0) return [];
      const current = parseHistory(await this.readText(this.path)).entries;
      if (current.length >= limit) return current.slice(-limit);
      // The previous file is only read: a problem in it costs its entries, never the current file.
      const previous = parseHistory(await this.readText(this.previousPath).catch(() => '')).entries;
      return previous.concat(current).slice(-limit);
    });
  }

  append(entries: readonly LoggedEntry[]): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) throw new Error('Request history is closed');
      const limit = this.currentLimit();
      const kept = limit === 0 ? [] : entries.slice(-limit);
      if (kept.length > 0) {
        await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
        await appendFile(this.path, serializeEntries(kept), { mode: HISTORY_FILE_MODE });
        this.lines += kept.length;
      }
      await this.bound(limit);
    });
  }

  clear(): Promise<void> {
    return this.queue.run(() => this.empty());
  }

  close(): Promise<void> {
    return this.queue.run(() => {
      this.closed = true;
    });
  }

  private currentLimit(): number {
    const limit = this.opts.limit();
    return Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : 0;
  }

  private async readText(path: string): Promise<string> {
    return (await this.readBytes(path)).toString('utf8');
  }

  private async readBytes(path = this.path): Promise<Buffer> {
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
      throw err;
    }
  }

  private async recover(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await this.readBytes();
    } catch {
      // Not a file we can read (a directory, bad permissions): keep it for the user and start afresh.
      await this.setAside();
      return;
    }
    const text = bytes.toString('utf8');
    const parsed = parseHistory(text);
    if (isUnusable(parsed)) {
      await this.setAside();
      return;
    }
    this.lines = text.split('\n').length - 1;
    if (parsed.tail !== '') {
      if (parsed.tailValid) {
        await appendFile(this.path, '\n');
        this.lines++;
      } else {
        // Cut the torn line off, or the next append would glue a good entry onto it.
        await truncate(this.path, bytes.lastIndexOf(0x0a) + 1);
      }
    }
    await this.bound(this.currentLimit());
  }

  /** Starts a new current file once this one holds `limit` entries; with no history wanted, keeps none. */
  private async bound(limit: number): Promise<void> {
    if (limit === 0) {
      if (this.lines > 0 || this.mayHavePrevious) await this.empty();
      return;
    }
    if (this.lines < limit) return;
    await rename(this.path, this.previousPath);
    this.mayHavePrevious = true;
    this.lines = 0;
  }

  private async empty(): Promise<void> {
    await writeFileAtomic(this.path, '', HISTORY_FILE_MODE);
    await rm(this.previousPath, { force: true });
    this.mayHavePrevious = false;
    this.lines = 0;
  }

  private async setAside(): Promise<void> {
    let backup: string | null = null;
    try {
      backup = await moveAside(this.path);
    } catch {
      // Could not even rename it; the warning still tells the user which file is wrong.
    }
    this.lines = 0;
    this.opts.onWarning({ code: 'history_corrupt', file: this.path, backup, time: Date.now() });
  }
}
