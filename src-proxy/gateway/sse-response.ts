// Writes a stream of frames to a client: headers once, then frames as they come, honouring
// backpressure, with `event: ping` keep-alives while the upstream is silent.

import { encodeEvent } from '../anthropic/sse.js';
import { drained } from './http.js';
import type { HeaderMap, Reply } from './reply.js';

const PING = encodeEvent({ type: 'ping' });

export class SseResponse {
  private lastWrite = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly reply: Reply,
    private readonly pingIntervalMs: number,
    private readonly onFirstByte: () => void,
  ) {}

  commit(headers?: HeaderMap): void {
    this.reply.openStream(headers);
    this.lastWrite = Date.now();
    // Checking a timestamp from a coarse timer costs nothing per frame, unlike re-arming a timeout.
    const check = Math.max(10, Math.min(1000, Math.floor(this.pingIntervalMs / 2)));
    this.timer = setInterval(() => {
      if (Date.now() - this.lastWrite >= this.pingIntervalMs) this.writeRaw(PING);
    }, check);
    this.timer.unref();
  }

  /** Writes one batch of events; resolves once the client can take more (or has gone). */
  async write(bytes: Buffer | string): Promise<void> {
    if (!this.writeRaw(bytes)) await drained(this.reply.res);
  }

  writeRaw(chunk: string | Buffer): boolean {
    const res = this.reply.res;
    if (res.destroyed) return true;
    this.lastWrite = Date.now();
    this.onFirstByte();
    return res.write(chunk);
  }

  end(): void {
    this.stop();
    if (!this.reply.res.destroyed) this.reply.res.end();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
