// Quitting: stop taking new requests, let streams in flight finish for a few seconds, then close. Electron
// quits as soon as `before-quit` returns, so the first one is held back (preventDefault) while the core
// shuts down, and the app exits when that is done, or when the hard limit passes if something hangs.
// Windows ends a session without `before-quit`; the session-end handlers begin the same quit directly.

export interface QuitPolicyDeps {
  /** Stops the gateway (with `graceMs` for requests in flight) and closes the stores. */
  shutdown(graceMs: number): Promise<void>;
  /** Leaves for good (Electron's app.exit). */
  exit(code: number): void;
  onError?(err: unknown): void;
  graceMs?: number;
  /** Past this, the app exits even if shutdown has not finished. */
  hardLimitMs?: number;
}

export const QUIT_GRACE_MS = 5000;
const HARD_LIMIT_MS = 10_000;

export class QuitPolicy {
  private quitting = false;
  private done = false;

  constructor(private readonly deps: QuitPolicyDeps) {}

  /** True once a quit has begun: windows then close for real instead of hiding. */
  get isQuitting(): boolean {
    return this.quitting;
  }

  /** True once the core has shut down (or the hard limit passed) and the app is leaving. */
  get isDone(): boolean {
    return this.done;
  }

  /** The `before-quit` handler. */
  onBeforeQuit(event: { preventDefault(): void }): void {
    event.preventDefault();
    this.begin();
  }

  /** Starts the quit; later calls change nothing. */
  begin(): void {
    if (this.quitting) return;
    this.quitting = true;
    const { shutdown, onError } = this.deps;
    const exit = (code: number) => {
      this.done = true;
      this.deps.exit(code);
    };
    const graceMs = this.deps.graceMs ?? QUIT_GRACE_MS;
    const hardLimit = setTimeout(() => exit(1), this.deps.hardLimitMs ?? HARD_LIMIT_MS);
    shutdown(graceMs).then(
      () => {
        clearTimeout(hardLimit);
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(hardLimit);
        onError?.(err);
        exit(1);
      },
    );
  }
}
