/**
 * @module A small counting semaphore: the cap on concurrent runs (browser contexts) per
 * connection. Waiters are served in arrival order.
 */
export class Semaphore {
  running = 0;
  /** The most held at once since it was made. */
  peak = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  /** Resolves with a release function once a place is free. */
  async acquire(): Promise<() => void> {
    if (this.running >= this.capacity) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    this.peak = Math.max(this.peak, this.running);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // A waiter takes the place over: `running` stays the same.
      if (next !== undefined) next();
      else this.running--;
    };
  }
}
