/**
 * @module A worker: runs step batches and effect batches until stopped. Any number of workers, in
 * one process or many, on one or many machines, share one database safely (SKIP LOCKED claims).
 *
 * Idle workers poll (`idleMs`); a worker in the same process as the engine that enqueued work is
 * woken at once, and on PostgreSQL so is every worker of every process when a start or signal
 * commits (the engine's NOTIFY on `steward_workflows`, heard on the store's listening connection).
 * Polling stays: it is how timers fire (within about `idleMs` of their due time), how work is found
 * while the listening connection is down, and the only way on the embedded store.
 */
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { WorkflowEngine } from './workflow-engine.js';

/** The longest pause after failed batches in a row. */
const maxErrorPauseMs = 5_000;

export interface WorkflowWorkerOptions {
  readonly id?: string;
  /** Inputs per step transaction. */
  readonly batchSize?: number;
  /** Effects claimed per batch (they run concurrently). */
  readonly effectBatchSize?: number;
  /** Wait between polls when there is nothing to do. */
  readonly idleMs?: number;
  /**
   * Called with a batch's error (the worker keeps going after a pause that doubles with each
   * failure in a row, up to 5 s, so a batch that keeps failing does not flood the log).
   */
  readonly onError?: (error: unknown) => void;
}

export class WorkflowWorker {
  readonly id: string;
  readonly #engine: WorkflowEngine;
  readonly #batchSize: number;
  readonly #effectBatchSize: number;
  readonly #idleMs: number;
  readonly #onError: (error: unknown) => void;
  #running: Promise<void> | undefined;
  /** The started loop's batch in progress, if any: the work it claimed is invisible to others. */
  #batch: Promise<number> | undefined;
  #stopping = false;
  #wakeUp: AbortController | undefined;
  #woken = false;

  constructor(engine: WorkflowEngine, options: WorkflowWorkerOptions = {}) {
    this.#engine = engine;
    this.id = options.id ?? WorkflowEngine.workerId();
    this.#batchSize = options.batchSize ?? 64;
    this.#effectBatchSize = options.effectBatchSize ?? 32;
    this.#idleMs = options.idleMs ?? 100;
    this.#onError = options.onError ?? (() => undefined);
  }

  /**
   * Runs one step batch, then one effect batch: the effects that step batch asked for are leased
   * to this worker as it commits (no claim of their own to commit), and the transaction recording
   * their results takes the next step batch. Returns how much work was done (0: idle).
   */
  async runOnce(): Promise<number> {
    const steps = await this.#engine.runSteps(this.id, this.#batchSize, { leaseEffects: true });
    const effects = await this.#engine.runEffects(this.id, this.#effectBatchSize, { stepLimit: this.#batchSize });
    return steps.length + effects.claimed + effects.steps;
  }

  /**
   * Runs batches until nothing is due now (tests drive time with a manual clock, then drain). When
   * this worker's own loop is started, its batch in progress holds claims this call cannot see:
   * "nothing due" counts only once that batch has ended too (else a caller reads the state before
   * the loop's steps have landed — seen on a loaded CI machine).
   */
  async drain(maxRounds = 10_000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.runOnce();
      total += n;
      if (n > 0) continue;
      const inLoop = this.#batch;
      if (inLoop === undefined) return total;
      await inLoop.catch(() => 0); // the loop reports its own errors
    }
    return total;
  }

  start(): void {
    if (this.#running !== undefined) return;
    this.#stopping = false;
    const unsubscribe = this.#engine.onWork(() => {
      this.#woken = true;
      this.#wakeUp?.abort();
    });
    this.#running = this.#loop().finally(unsubscribe);
  }

  /** Graceful: the batch in progress finishes (its effects are recorded), then the loop ends. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wakeUp?.abort();
    await this.#running;
    this.#running = undefined;
    // Effects its last step batch leased to it and it did not run: for another worker now.
    await this.#engine.releaseEffects(this.id);
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      let done = 0;
      try {
        this.#batch = this.runOnce();
        done = await this.#batch;
        failures = 0;
      } catch (e) {
        failures++;
        this.#onError(e);
      } finally {
        this.#batch = undefined;
      }
      if (done > 0 || this.#stopping) {
        // On the embedded store a batch is all promise callbacks (PGlite answers in-process), so a
        // worker with work would hold the event loop: timers, sockets and HTTP requests wait until
        // it runs dry (14 s in the busy benchmark). One turn of the loop between batches lets them in.
        await yieldToEventLoop();
        continue;
      }
      if (this.#woken) {
        this.#woken = false; // work arrived while this batch ran
        continue;
      }
      this.#wakeUp = new AbortController();
      const pause = failures === 0 ? this.#idleMs : Math.min(this.#idleMs * 2 ** failures, maxErrorPauseMs);
      await sleep(pause, undefined, { signal: this.#wakeUp.signal }).catch(() => undefined);
    }
  }
}
