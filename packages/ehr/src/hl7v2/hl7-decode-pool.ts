/**
 * @module HL7 v2 decoding (parse, route, map: `decodeHl7`) on worker threads, so that a listener's
 * per-message CPU does not hold up the thread that writes the journal and sends the ACKs (issue
 * 20). Messages go to the workers in turn; each result is plain data. A worker that fails
 * rejects what it had in flight (the intake then decodes those inline) and is replaced; after
 * `maxRestarts` failures the pool gives up (no restart loop) and refuses, so every message is
 * decoded inline.
 */
import { Worker } from 'node:worker_threads';
import { ConfigError, UnexpectedError } from '@steward/core';
import type { Hl7DecodeOptions, Hl7Decoded } from './hl7-decode.js';

interface Pending {
  readonly resolve: (d: Hl7Decoded) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  readonly pending: Map<number, Pending>;
}

export class Hl7DecodePool {
  readonly #slots: Slot[] = [];
  readonly #options: Hl7DecodeOptions;
  readonly #workerUrl: URL;
  #next = 0;
  #id = 0;
  #closed = false;
  #failures = 0;
  /** Worker failures after which the pool stops restarting them and refuses. */
  static readonly maxRestarts = 5;

  /**
   * `threads` workers (1..16), each decoding with `options` (plain data: it is copied to them).
   * `workerUrl` is for tests (a worker that cannot start).
   */
  constructor(
    threads: number,
    options: Hl7DecodeOptions,
    workerUrl = new URL('./hl7-decode-worker.js', import.meta.url),
  ) {
    if (!Number.isInteger(threads) || threads < 1 || threads > 16)
      throw new ConfigError([{ path: 'decodeThreads', message: 'must be an integer from 1 to 16' }]);
    this.#options = options;
    this.#workerUrl = workerUrl;
    for (let i = 0; i < threads; i++) this.#slots.push(this.#start({ worker: undefined as never, pending: new Map() }));
  }

  #start(slot: Slot): Slot {
    const worker = new Worker(this.#workerUrl, { workerData: this.#options });
    worker.unref();
    worker.on('message', (m: { id: number; ok: boolean; decoded?: Hl7Decoded }) => {
      const p = slot.pending.get(m.id);
      if (p === undefined) return;
      slot.pending.delete(m.id);
      if (m.ok && m.decoded !== undefined) p.resolve(m.decoded);
      else p.reject(new UnexpectedError('the HL7 decoder thread could not decode a message'));
    });
    let failed = false;
    const fail = (): void => {
      if (failed) return; // 'error' and then 'exit' for one failure
      failed = true;
      const stopped = new UnexpectedError('the HL7 decoder thread stopped');
      for (const p of slot.pending.values()) p.reject(stopped);
      slot.pending.clear();
      if (this.#closed || slot.worker !== worker) return;
      this.#failures += 1;
      if (this.#failures <= Hl7DecodePool.maxRestarts) this.#start(slot);
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    slot.worker = worker;
    return slot;
  }

  decode(raw: string): Promise<Hl7Decoded> {
    if (this.#closed) return Promise.reject(new UnexpectedError('the HL7 decoder pool is closed'));
    if (this.#failures > Hl7DecodePool.maxRestarts)
      return Promise.reject(new UnexpectedError('the HL7 decoder threads keep failing; decoding inline'));
    const slot = this.#slots[this.#next++ % this.#slots.length] as Slot;
    const id = this.#id++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, raw });
    });
  }

  /** Stops the workers; what they had in flight is rejected (and decoded inline by the intake). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
