// Quitting: stop taking new requests, let streams in flight finish for a few seconds, then close. Electron
// quits as soon as `before-quit` returns, so the first one is held back (preventDefault) while the core
// shuts down, and the app exits when that is done, or when the hard limit passes if something hangs.

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

  constructor(private readonly deps: QuitPolicyDeps) {}

  /** True once a quit has begun: windows then close for real instead of hiding. */
  get isQuitting(): boolean {
    return this.quitting;
  }

  /** The `before-quit` handler. */
  onBeforeQuit(event: { preventDefault(): void }): void {
    event.preventDefault();
    if (this.quitting) return;
    this.quitting = true;
    const { shutdown, exit, onError } = this.deps;
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
