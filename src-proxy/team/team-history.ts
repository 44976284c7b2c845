// The request log of a team: a capped Redis stream every gateway appends its entries to, and reads the
// others' from as they come, so any gateway's console shows the whole team's traffic. After the store
// was away the reader picks up where it stopped.

import { RequestLogEntrySchema, type RequestLogEntry } from '../contract/index.js';
import { EventBus } from '../lib/event-bus.js';
import type { LoggedEntry } from '../logs/logged-entry.js';
import type { RequestHistory } from '../logs/request-history.js';
import type { Outbox } from './outbox.js';
import { KEYS } from './team-keys.js';
import type { TeamConnection } from './team-connection.js';

const READ_BLOCK_MS = 1000;
const READ_COUNT = 500;
const PAUSE_AFTER_FAILURE_MS = 500;

type StreamEntries = Array<[id: string, fields: string[]]>;

export class TeamRequestHistory implements RequestHistory {
  private readonly feed = new EventBus<{ entry: RequestLogEntry }>();
  /** The newest stream id this gateway has seen; the reader continues after it. */
  private lastId = '$';
  private reading = false;
  private closed = false;

  constructor(
    private readonly conn: TeamConnection,
    private readonly outbox: Outbox,
    private readonly instance: string,
    /** Entries the stream keeps; read on every append, like the file history's limit. */
    private readonly limit: () => number,
  ) {}

  async load(limit: number): Promise<RequestLogEntry[]> {
    if (limit <= 0) return [];
    let raw: StreamEntries;
    try {
      raw = (await this.conn.cmd.xrevrange(KEYS.log, '+', '-', 'COUNT', limit)) as StreamEntries;
    } catch {
      return [];
    }
    if (raw.length > 0) this.lastId = raw[0]![0];
    else if (this.lastId === '$') this.lastId = '0-0';
    return raw
      .map(([, fields]) => parseEntry(fields))
      .filter((e): e is RequestLogEntry => e !== null)
      .reverse();
  }

  append(entries: readonly LoggedEntry[]): Promise<void> {
    const max = Math.max(1, this.limit());
    for (const e of entries) this.outbox.push({ k: 'log', e: e.json, max });
    return Promise.resolve();
  }

  async clear(): Promise<void> {
    await this.outbox.applied(this.outbox.push({ k: 'log-clear' }));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Entries other gateways of the team record, as they come; starts reading on the first listener. */
  onRemoteEntry(listener: (e: RequestLogEntry) => void): () => void {
    const off = this.feed.on('entry', listener);
    if (!this.reading) {
      this.reading = true;
      void this.readLoop();
    }
    return off;
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      let result: Array<[string, StreamEntries]> | null;
      try {
        result = (await this.conn.reader.xread('COUNT', READ_COUNT, 'BLOCK', READ_BLOCK_MS, 'STREAMS', KEYS.log, this.lastId)) as Array<
          [string, StreamEntries]
        > | null;
      } catch {
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, PAUSE_AFTER_FAILURE_MS));
        continue;
      }
      for (const [, entries] of result ?? []) {
        for (const [id, fields] of entries) {
          this.lastId = id;
          const entry = parseEntry(fields);
          if (entry && entry.instance !== this.instance) this.feed.emit('entry', entry);
        }
      }
    }
  }
}

function parseEntry(fields: string[]): RequestLogEntry | null {
  const i = fields.indexOf('e');
  if (i < 0 || i + 1 >= fields.length) return null;
  try {
    const parsed = RequestLogEntrySchema.safeParse(JSON.parse(fields[i + 1]!));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
