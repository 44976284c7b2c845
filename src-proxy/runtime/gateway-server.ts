// The listener: start, stop and status of the gateway's HTTP server. Stopping lets in-flight requests
// finish for a grace period, then cuts what is left, so a tray toggle never hangs.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlError } from '../contract/index.js';
import type { GatewayHttp } from '../gateway/app.js';

export interface ListenAddress {
  host: string;
  port: number;
}

const STOP_GRACE_MS = 5000;
const IDLE_SWEEP_MS = 50;

export class GatewayServer {
  private server: Server | null = null;
  private address: ListenAddress | null = null;
  private startedAt: number | null = null;

  constructor(private readonly http: GatewayHttp) {}

  get listening(): ListenAddress | null {
    return this.address;
  }

  get since(): number | null {
    return this.startedAt;
  }

  async start(at: ListenAddress): Promise<ListenAddress> {
    if (this.server) return this.address!;
    const server = createServer({ keepAliveTimeout: 65_000, ...this.http.classes }, this.http.listener);
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        reject(
          err.code === 'EADDRINUSE'
            ? new ControlError('port_in_use', `Port ${at.port} on ${at.host} is already in use.`)
            : new ControlError('listen_failed', `Cannot listen on ${at.host}:${at.port} (${err.code ?? err.message}).`),
        );
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(at.port, at.host);
    });
    const bound = server.address() as AddressInfo;
    this.server = server;
    this.address = { host: at.host, port: bound.port };
    this.startedAt = Date.now();
    return this.address;
  }

  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.address = null;
    this.startedAt = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // A stream that finishes leaves its keep-alive connection idle, and an idle connection would hold the
    // close open until the grace period ends; they are closed as they become idle.
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    await closed;
    clearInterval(sweep);
    clearTimeout(timer);
  }
}
