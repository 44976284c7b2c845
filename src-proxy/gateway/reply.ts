// How every gateway answer leaves: the request's own headers (request id, mapped model, account) are
// collected as the pipeline learns them and written with the status in one writeHead, never piecemeal.

import type { ServerResponse } from 'node:http';
import { headerValue } from './header-value.js';

export type HeaderMap = Record<string, string>;

export class Reply {
  private readonly headers: HeaderMap;

  constructor(
    readonly res: ServerResponse,
    readonly requestId: string,
  ) {
    this.headers = { 'request-id': requestId };
  }

  /** A header for whatever answer follows; the value is made safe for a header first. */
  set(name: string, value: string): void {
    this.headers[name] = headerValue(value);
  }

  get sent(): boolean {
    return this.res.headersSent;
  }

  json(status: number, body: unknown, extra?: HeaderMap): void {
    this.raw(status, JSON.stringify(body), extra);
  }

  /** A JSON body already in bytes. A second answer to one request cuts the connection instead. */
  raw(status: number, body: string | Buffer, extra?: HeaderMap): void {
    const res = this.res;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const headers: HeaderMap = extra ? Object.assign({}, this.headers, extra) : Object.assign({}, this.headers);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(status, headers);
    res.end(body);
  }

  /** Commits a 200 event stream with `extra` (upstream rate-limit headers and the like) added. */
  openStream(extra?: HeaderMap): void {
    const headers: HeaderMap = extra ? Object.assign({}, this.headers, extra) : Object.assign({}, this.headers);
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    headers['x-accel-buffering'] = 'no';
    this.res.writeHead(200, headers);
  }
}
