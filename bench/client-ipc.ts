// The client processes' side of their talk with the bench. A client (load generator, streaming
// client) gets its job in its first message (a job may carry request bodies too large for argv), may stop at one checkpoint — after its warm-up — until the
// bench has read the servers' counters, then reports one result and exits. It also exits as soon as
// the bench goes away, so a client never outlives it.

/** Client -> bench. */
export type FromClient = { type: 'checkpoint' } | { type: 'result'; result: unknown } | { type: 'failed'; error: string };

/** Bench -> client. */
export type ToClient = { type: 'job'; job: unknown } | { type: 'continue' };

/** Waits until the bench has taken its readings and lets the client go on. */
export type Checkpoint = () => Promise<void>;

export function runClient<Job, Result>(name: string, work: (job: Job, checkpoint: Checkpoint) => Promise<Result>): void {
  const send = process.send?.bind(process);
  if (!send) {
    console.error(`${name}: must be started by the bench (forked with an IPC channel)`);
    process.exit(2);
  }
  process.on('disconnect', () => process.exit(0));
  let resume: (() => void) | null = null;
  process.on('message', (msg: ToClient) => {
    if (msg.type === 'continue') resume?.();
    else start(msg.job as Job);
  });
  const checkpoint: Checkpoint = () =>
    new Promise<void>((resolve) => {
      resume = resolve;
      send({ type: 'checkpoint' } satisfies FromClient);
    });

  const start = (job: Job) =>
    work(job, checkpoint).then(
      (result) => send({ type: 'result', result } satisfies FromClient, () => process.exit(0)),
      (err: unknown) =>
        send({ type: 'failed', error: `${name}: ${err instanceof Error ? err.message : String(err)}` } satisfies FromClient, () => process.exit(1)),
    );
}
