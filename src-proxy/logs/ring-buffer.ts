// A fixed-capacity buffer that forgets its oldest item when full. Pushing is O(1) and never allocates once
// the buffer is full, which is what a per-request log on the hot path needs.

export class RingBuffer<T> {
  private items: T[] = [];
  /** Index of the oldest item once the buffer has wrapped. */
  private start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`Bad ring buffer capacity ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }

  /** A copy, oldest first. */
  oldestFirst(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  /** A copy, newest first. */
  newestFirst(): T[] {
    return this.oldestFirst().reverse();
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }
}
