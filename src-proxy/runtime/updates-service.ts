// Whether a newer release exists. The shell hands in where releases are published; the core asks only
// when the user agreed (`update_check`) or clicked "check now", and it never downloads anything.

import type { ControlEvents, Settings, UpdateStatus } from '../contract/index.js';
import type { EventBus } from '../lib/event-bus.js';
import { isNewerRelease } from '../lib/release-version.js';
import type { SettingsStore } from '../settings/settings-store.js';

export interface PublishedRelease {
  version: string;
  url: string;
}

/** The project's release feed, as the desktop shell reaches it. */
export interface ReleaseFeed {
  /** The newest published release; throws when the feed cannot be reached or read. */
  latest(signal: AbortSignal): Promise<PublishedRelease>;
}

export interface UpdatesServiceDeps {
  currentVersion: string;
  /** Null where the shell does not check (headless, development builds). */
  feed: ReleaseFeed | null;
  settings: SettingsStore;
  events: EventBus<ControlEvents>;
  /** Between automatic checks while `update_check` is on. */
  intervalMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

const DAY_MS = 24 * 3_600_000;

export class UpdatesService {
  private current: UpdateStatus;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<UpdateStatus> | null = null;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: UpdatesServiceDeps) {
    this.intervalMs = deps.intervalMs ?? DAY_MS;
    this.now = deps.now ?? Date.now;
    this.current = {
      supported: deps.feed !== null,
      current_version: deps.currentVersion,
      latest_version: null,
      release_url: null,
      checked_at: null,
      error: null,
    };
    this.unsubscribe = deps.settings.onChange((s) => this.schedule(s));
    this.schedule(deps.settings.get());
  }

  async status(): Promise<UpdateStatus> {
    return this.current;
  }

  /** One check at a time: a click while the timer's check runs gets that check's answer. */
  check(): Promise<UpdateStatus> {
    if (!this.deps.feed) return Promise.resolve(this.current);
    this.inFlight ??= this.runCheck(this.deps.feed).finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  close(): void {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private schedule(settings: Settings): void {
    const wanted = settings.update_check && this.deps.feed !== null;
    if (wanted && !this.timer) {
      this.timer = setInterval(() => void this.check(), this.intervalMs);
      this.timer.unref();
      void this.check();
    } else if (!wanted && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private async runCheck(feed: ReleaseFeed): Promise<UpdateStatus> {
    let next: UpdateStatus;
    try {
      const release = await feed.latest(AbortSignal.timeout(this.deps.timeoutMs ?? 15_000));
      const newer = isNewerRelease(release.version, this.deps.currentVersion);
      next = {
        ...this.current,
        latest_version: newer ? release.version.replace(/^v/, '') : null,
        release_url: newer ? release.url : null,
        checked_at: this.now(),
        error: null,
      };
    } catch {
      // What was learned before stays; the console says the last check failed.
      next = { ...this.current, checked_at: this.now(), error: 'upstream_unreachable' };
    }
    this.current = next;
    this.deps.events.emit('update', next);
    return next;
  }
}
