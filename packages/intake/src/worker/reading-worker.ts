/**
 * @module Intake's reading worker: reads received files off the arrival's call. `receive` seals and
 * records a file `received` and returns; a worker in a server process claims received files with a
 * lease (`FOR UPDATE SKIP LOCKED`, so two processes never read the same file; a file whose reader
 * died is read again once its lease has passed), reads each through the `DocumentReader` port, and
 * records the outcome through the service (what was read and each document routed, or `unreadable`
 * with the reason). A transient failure (an `OperationalError`: a reading program past its time
 * limit) puts the file back to be read again after a back-off, `maxAttempts` times at most, then it
 * ends `unreadable` naming the cause and the attempts; nothing ends silently. At most `concurrency`
 * files are read at once (the reader itself runs two programs at a time). The worker is woken at
 * once by an arrival in this process and, on PostgreSQL, in any other (a NOTIFY on commit, through
 * the store's listening connection); it polls every `pollMs` for due retries and for arrivals whose
 * wake-up was lost (the listening connection down, or the embedded store's other processes: none).
 * Its lease is renewed while a file is read, so a long file is not taken by another worker.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { isStewardError, systemClock, type Clock } from '@steward/core';
import type { Database } from '@steward/store';
import type { DocumentReader, ReadResult } from '../model/intake-model.js';
import type { ClaimedFile, IntakeRows } from '../store/intake-rows.js';

export interface ReadingWorkerOptions {
  /** This worker's name on its leases. Default: host, process id and a random part. */
  readonly owner?: string;
  /** Files read at once at most. Default 2. */
  readonly concurrency?: number;
  /** How long a claimed file is this worker's (ms), renewed every third of it while it is read. Default 10 minutes. */
  readonly leaseMs?: number;
  /** How often an idle worker looks for other processes' arrivals and due retries (ms). Default 2,000. */
  readonly pollMs?: number;
  /** Claims of one file before it ends `unreadable` (transient failures and readers that died). Default 3. */
  readonly maxAttempts?: number;
  /** The first retry's delay after a transient failure (ms); each next one doubles. Default 30,000. */
  readonly backoffMs?: number;
  /** How long `stop` waits for the files being read (ms); the rest are given back for another worker. Default 10,000. */
  readonly stopGraceMs?: number;
  readonly clock?: Clock;
  /** Told of a round or a recording that failed (the file is read again after its lease). */
  readonly onError?: (error: unknown) => void;
}

/** What the worker records through (the intake service: documents, routing, arrivals). */
export interface ReadingRecorder {
  /** Records what was read and routes each document; false when `owner` no longer holds the lease. */
  read(file: ClaimedFile, result: ReadResult, owner: string): Promise<boolean>;
  /** Ends the file `unreadable` with the reason; false when `owner` no longer holds the lease. */
  unreadable(fileId: string, reason: string, owner: string): Promise<boolean>;
}

export interface ReadingWorkerDeps {
  readonly db: Database;
  readonly rows: IntakeRows;
  readonly reader: DocumentReader;
  readonly recorder: ReadingRecorder;
  /** Subscribes to arrivals (this process's, and on PostgreSQL every process's); returns the unsubscribe. */
  readonly onReceived: (listener: () => void) => () => void;
}

/** One read's outcome, for tests and logs (no content). */
export type ReadOutcome = 'read' | 'unreadable' | 'retry' | 'lost' | 'released';

export class ReadingWorker {
  readonly owner: string;
  readonly #deps: ReadingWorkerDeps;
  readonly #o: Required<Omit<ReadingWorkerOptions, 'owner' | 'clock' | 'onError'>>;
  readonly #clock: Clock;
  readonly #onError: (error: unknown) => void;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #abandoned = new Set<string>();
  #wake: (() => void) | undefined;
  #nudged = false;
  #running: Promise<void> | undefined;
  #stopped = false;
  #unlisten: (() => void) | undefined;
  /** Outcomes recorded by this worker, in order (tests). */
  readonly outcomes: { readonly fileId: string; readonly outcome: ReadOutcome }[] = [];

  constructor(deps: ReadingWorkerDeps, options: ReadingWorkerOptions = {}) {
    this.#deps = deps;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#clock = options.clock ?? systemClock;
    this.#onError = options.onError ?? (() => undefined);
    this.#o = {
      concurrency: options.concurrency ?? 2,
      leaseMs: options.leaseMs ?? 600_000,
      pollMs: options.pollMs ?? 2_000,
      maxAttempts: options.maxAttempts ?? 3,
      backoffMs: options.backoffMs ?? 30_000,
      stopGraceMs: options.stopGraceMs ?? 10_000,
    };
    if (!Number.isInteger(this.#o.concurrency) || this.#o.concurrency < 1)
      throw new RangeError('concurrency must be a positive integer');
    if (!Number.isInteger(this.#o.maxAttempts) || this.#o.maxAttempts < 1)
      throw new RangeError('maxAttempts must be a positive integer');
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  /** Reads in the background until `stop`: what is received already (a restart) first. */
  start(): void {
    if (this.#running !== undefined) return;
    this.#stopped = false;
    this.#unlisten = this.#deps.onReceived(() => this.#nudge());
    this.#running = this.#loop();
  }

  /**
   * Stops claiming and waits up to `stopGraceMs` for the files being read; any still being read
   * then are given back (due at once, the claim not counted) and what their reads give is dropped.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = undefined;
    this.#nudge();
    await this.#running;
    this.#running = undefined;
  }

  /** Claims as many due files as there is room for and starts reading them. Returns how many. */
  async round(): Promise<number> {
    const room = this.#o.concurrency - this.#inFlight.size;
    if (room <= 0 || this.#stopped) return 0;
    const now = this.#clock.now();
    const claimed = await this.#deps.rows.claimToRead(this.#deps.db, {
      owner: this.owner,
      now,
      until: new Date(now.getTime() + this.#o.leaseMs),
      limit: room,
      reading: [...this.#inFlight.keys()],
    });
    for (const file of claimed) {
      const reading = this.#readOne(file)
        .catch((e: unknown) => this.#onError(e))
        .finally(() => {
          this.#inFlight.delete(file.id);
          this.#nudge();
        });
      this.#inFlight.set(file.id, reading);
    }
    return claimed.length;
  }

  /** Rounds until nothing is due now and nothing is being read (tests; the loop need not run). */
  async drain(): Promise<void> {
    for (;;) {
      const claimed = await this.round();
      if (claimed === 0 && this.#inFlight.size === 0) return;
      if (claimed === 0) await Promise.race(this.#inFlight.values());
    }
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let claimed = 0;
      try {
        claimed = await this.round();
      } catch (e) {
        this.#onError(e);
      }
      if (this.#stopped) break;
      if (claimed === 0 || this.#inFlight.size >= this.#o.concurrency) await this.#sleep(this.#o.pollMs);
    }
    if (this.#inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#o.stopGraceMs);
    });
    await Promise.race([Promise.all(this.#inFlight.values()), grace]);
    clearTimeout(timer);
    for (const id of [...this.#inFlight.keys()]) {
      this.#abandoned.add(id);
      this.outcomes.push({ fileId: id, outcome: 'released' });
      await this.#deps.rows.releaseClaim(this.#deps.db, id, this.owner).catch(this.#onError);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#nudged) {
      this.#nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#nudge(), ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        this.#nudged = false;
        resolve();
      };
    });
  }

  #nudge(): void {
    this.#nudged = true;
    this.#wake?.();
  }

  async #readOne(file: ClaimedFile): Promise<void> {
    const { rows, db } = this.#deps;
    const max = this.#o.maxAttempts;
    const done = (outcome: ReadOutcome): void => {
      this.outcomes.push({ fileId: file.id, outcome });
    };
    if (file.read_attempts > max) {
      const ended = await this.#deps.recorder.unreadable(
        file.id,
        `reading did not finish in ${max} attempts (the reader stopped or ran past its lease each time)`,
        this.owner,
      );
      done(ended ? 'unreadable' : 'lost');
      return;
    }
    const bytes = rows.openContent(file);
    if (bytes === undefined) {
      const ended = await this.#deps.recorder.unreadable(
        file.id,
        'the content was cleared by retention before it was read',
        this.owner,
      );
      done(ended ? 'unreadable' : 'lost');
      return;
    }
    // The lease moves on while the file is read (OCR of a long fax takes minutes).
    const renew = setInterval(
      () => {
        rows
          .renewLease(db, file.id, this.owner, new Date(this.#clock.now().getTime() + this.#o.leaseMs))
          .catch(this.#onError);
      },
      Math.max(1, Math.floor(this.#o.leaseMs / 3)),
    );
    renew.unref();
    let result: ReadResult;
    try {
      result = await this.#deps.reader.read({ bytes, mediaType: file.media_type });
    } catch (e) {
      clearInterval(renew);
      if (this.#abandoned.has(file.id)) return;
      const reason = reasonOf(e);
      if (transient(e) && file.read_attempts < max) {
        const next = new Date(this.#clock.now().getTime() + this.#o.backoffMs * 2 ** (file.read_attempts - 1));
        const back = await rows.retryLater(
          db,
          file.id,
          this.owner,
          next,
          `${reason} (attempt ${file.read_attempts} of ${max})`,
        );
        done(back ? 'retry' : 'lost');
        return;
      }
      const ended = await this.#deps.recorder.unreadable(
        file.id,
        transient(e) ? `${reason} (after ${file.read_attempts} attempts)` : reason,
        this.owner,
      );
      done(ended ? 'unreadable' : 'lost');
      return;
    }
    clearInterval(renew);
    if (this.#abandoned.has(file.id)) return;
    const recorded = await this.#deps.recorder.read(file, result, this.owner);
    done(recorded ? (result.documents.length === 0 ? 'unreadable' : 'read') : 'lost');
  }
}

/** A failure trying again may cure: a Steward error whose code says so (a program past its time limit, the store). */
function transient(e: unknown): boolean {
  return isStewardError(e) && e.retryable;
}

/** A reader's error as a reason to keep: its code and message (the reader names the problem, never PHI). */
export function reasonOf(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  return `${typeof code === 'string' ? `${code}: ` : ''}${message}`.slice(0, 500);
}
