// Starting, stopping and reporting the gateway listener, with the rule that it never listens beyond
// loopback without authentication.

import { ControlError, type ControlEvents, type GatewayStatus, type Settings, type TeamStatus } from '../contract/index.js';
import type { EventBus } from '../lib/event-bus.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { startRefusal, type BindPlan } from './bind-policy.js';
import type { GatewayServer, ListenAddress } from './gateway-server.js';

export class GatewayControl {
  private lastError: GatewayStatus['last_error'] = null;

  constructor(
    private readonly server: GatewayServer,
    private readonly settings: SettingsStore,
    private readonly events: EventBus<ControlEvents>,
    /** This run's listen address (`serve --port/--host`), over the settings'. */
    private readonly override: Partial<ListenAddress> = {},
    /** The team this gateway belongs to, reported with its status. */
    private readonly team: (() => TeamStatus) | null = null,
  ) {}

  get listening(): boolean {
    return this.server.listening !== null;
  }

  /** Where the gateway listens with these settings: `serve --host/--port` win over them. */
  address(s: Settings): ListenAddress {
    return { host: this.override.host ?? s.host, port: this.override.port ?? s.port };
  }

  bindPlan(s: Settings): BindPlan {
    return { host: this.address(s).host, fromOverride: this.override.host !== undefined, auth_mode: s.auth_mode, api_key: s.api_key };
  }

  status(): GatewayStatus {
    const at = this.server.listening;
    const configured = this.address(this.settings.get());
    return {
      running: at !== null,
      host: at?.host ?? configured.host,
      port: at?.port ?? configured.port,
      url: at ? gatewayUrl(at.host, at.port) : null,
      started_at: this.server.since,
      last_error: this.lastError,
      ...(this.team ? { team: this.team() } : {}),
      ...(this.override.host !== undefined || this.override.port !== undefined ? { override: { ...this.override } } : {}),
    };
  }

  async start(): Promise<GatewayStatus> {
    const settings = this.settings.get();
    const refusal = startRefusal(this.bindPlan(settings));
    if (refusal !== null) {
      this.lastError = 'insecure_bind';
      throw new ControlError('insecure_bind', refusal);
    }
    try {
      await this.server.start(this.address(settings));
      this.lastError = null;
    } catch (err) {
      this.lastError = err instanceof ControlError ? err.code : 'listen_failed';
      this.events.emit('status', this.status());
      throw err;
    }
    this.events.emit('status', this.status());
    return this.status();
  }

  /**
   * Moves the listener to `to`. When it cannot listen there (a port in use, a host this machine does not
   * have), it goes back to where it was and the error is thrown: a refused change leaves the gateway
   * serving. Returns how to move it back (a change that fails after this, when it is saved).
   */
  async move(to: ListenAddress): Promise<() => Promise<void>> {
    const from = this.server.listening;
    if (!from) throw new Error('the gateway is not listening');
    await this.server.stop();
    try {
      await this.server.start(to);
    } catch (err) {
      await this.listenAgain(from);
      throw err;
    }
    this.events.emit('status', this.status());
    return async () => {
      await this.server.stop();
      await this.listenAgain(from);
    };
  }

  async stop(graceMs?: number): Promise<GatewayStatus> {
    await this.server.stop(graceMs);
    this.events.emit('status', this.status());
    return this.status();
  }

  /** Listens where it listened a moment ago; if even that fails, the status says why. */
  private async listenAgain(at: ListenAddress): Promise<void> {
    try {
      await this.server.start(at);
      this.lastError = null;
    } catch (err) {
      this.lastError = err instanceof ControlError ? err.code : 'listen_failed';
    }
    this.events.emit('status', this.status());
  }
}

/** The address a client on this machine uses for a listener on `host:port`. */
export function gatewayUrl(host: string, port: number): string {
  return `http://${urlHost(host)}:${port}`;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
