// Runs async tasks one after another. Stores and files use it so that two writers never interleave and
// the order of calls is the order on disk.

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(() => task());
    // A failed task must not poison the ones queued after it; its caller sees the rejection.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
