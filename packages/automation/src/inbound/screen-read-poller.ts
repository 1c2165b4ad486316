/**
 * @module The fallback for EHRs that push nothing: every few minutes, each screens connection's
 * day's schedule is read (`ScreenReads`) into the inbound journal. One read per connection at a
 * time (a slow run is not overlapped by the next tick); a read that fails is reported, never
 * swallowed, and tried again at the next tick. Wired into the kernel by the composition root.
 */
import type { ScreenReadResult, ScreenReads } from './screen-reads.js';

export interface ScreenReadPollerOptions {
  readonly reads: Pick<ScreenReads, 'read'>;
  /** The connections to read, asked at every tick (those with an approved map that has the read). */
  readonly connections: () => Promise<readonly string[]>;
  /** The read to run (default `schedule`), for today in each connection's zone. */
  readonly readId?: string;
  /** Minutes between reads (default 5). */
  readonly everyMinutes?: number;
  /** Each read's outcome: its counts, or the error it ended in (a halted run, an unreachable EHR). */
  readonly report: (connectionId: string, outcome: ScreenReadResult | { readonly error: unknown }) => void;
}

export class ScreenReadPoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<string>();
  private tick: Promise<void> = Promise.resolve();

  constructor(private readonly o: ScreenReadPollerOptions) {}

  start(): void {
    if (this.timer !== undefined) return;
    const ms = (this.o.everyMinutes ?? 5) * 60_000;
    this.timer = setInterval(() => void this.pollOnce(), ms);
    this.timer.unref();
    void this.pollOnce();
  }

  /** One round: every connection not already being read, in parallel (the executor caps runs per EHR). */
  pollOnce(): Promise<void> {
    this.tick = (async () => {
      let ids: readonly string[];
      try {
        ids = await this.o.connections();
      } catch (error) {
        this.o.report('*', { error });
        return;
      }
      await Promise.all(
        ids
          .filter((id) => !this.running.has(id))
          .map(async (id) => {
            this.running.add(id);
            try {
              this.o.report(id, await this.o.reads.read(id, this.o.readId ?? 'schedule'));
            } catch (error) {
              this.o.report(id, { error });
            } finally {
              this.running.delete(id);
            }
          }),
      );
    })();
    return this.tick;
  }

  /** Stops the timer and waits for the round in progress. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.tick;
  }
}
