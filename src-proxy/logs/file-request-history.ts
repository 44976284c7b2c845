// Request history as a JSON-lines file. Appends are cheap (one write per batch) and the file is bounded:
// once it holds more than twice the limit it is rewritten, atomically, with the newest `limit` entries,
// which keeps rewrites rare (amortised O(1) per entry) and the file at most ~2x the limit.

import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RequestLogEntry, Warning } from '../contract/index.js';
import { moveAside, writeFileAtomic } from '../settings/json-file.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { isUnusable, parseHistory, serializeEntries } from './history-lines.js';
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
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly opts: FileRequestHistoryOptions,
  ) {}

  static async open(path: string, opts: FileRequestHistoryOptions): Promise<FileRequestHistory> {
    const history = new FileRequestHistory(path, opts);
    await history.queue.run(() => history.recover());
    return history;
  }

  load(limit: number): Promise<RequestLogEntry[]> {
    return this.queue.run(async () => {
      if (limit <= 0) return [];
      const text = await this.readText();
      return parseHistory(text).entries.slice(-limit);
    });
  }

  append(entries: RequestLogEntry[]): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) throw new Error('Request history is closed');
      const limit = this.currentLimit();
      const kept = limit === 0 ? [] : entries.slice(-limit);
      if (kept.length > 0) {
        await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
        await appendFile(this.path, serializeEntries(kept), { mode: HISTORY_FILE_MODE });
        this.lines += kept.length;
      }
      if (this.lines > 2 * limit) await this.compact(limit);
    });
  }

  clear(): Promise<void> {
    return this.queue.run(async () => {
      await writeFileAtomic(this.path, '', HISTORY_FILE_MODE);
      this.lines = 0;
    });
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

  private async readText(): Promise<string> {
    return (await this.readBytes()).toString('utf8');
  }

  private async readBytes(): Promise<Buffer> {
    try {
      return await readFile(this.path);
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
    const limit = this.currentLimit();
    if (this.lines > 2 * limit) await this.compact(limit);
  }

  private async compact(limit: number): Promise<void> {
    // The lines are ours and were checked when the file was opened: keeping the newest is a text cut,
    // not a parse of thousands of entries on the request path's thread.
    const lines = limit === 0 ? [] : (await this.readText()).split('\n').filter((l) => l !== '');
    const kept = lines.slice(-limit);
    await writeFileAtomic(this.path, kept.length ? `${kept.join('\n')}\n` : '', HISTORY_FILE_MODE);
    this.lines = kept.length;
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
