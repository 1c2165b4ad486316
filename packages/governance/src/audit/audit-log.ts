/**
 * @module The audit writer: a group-committing, append-only, hash-chained log with signed
 * checkpoints, that fails closed.
 *
 * One in-process writer drains a queue. Each batch is ONE transaction that takes the audit
 * advisory lock and reads the chain head from the database in one round trip (so several
 * processes on one database stay correct and a restart continues the chain), writes all
 * `transactBatch` units that share a `UnitBatch` with ONE `writeAll` call, runs each `transact`
 * unit in a savepoint, inserts the batch's entries with one multi-row insert, and writes signed
 * checkpoints. A commit is the only durability point: callers' promises resolve after it, and
 * reject with AUDIT_UNAVAILABLE when it fails, so the PHI operation fails with the audit.
 *
 * One round trip (PostgreSQL, issue 20): the writer keeps the chain head it committed last in
 * memory. A batch of appends, or of units of ONE `UnitBatch` that offers `oneTrip` (the journal's
 * "every message is new"), is then hashed here from that head and written by ONE statement, its
 * own implicit transaction: a server-side function takes the lock, checks the stored head and
 * last checkpoint are the expected ones (SQLSTATE SA001 when another process appended) and
 * inserts the rows and entries (migrations 66-67). When that statement fails for any reason the
 * batch runs again the general way below, which re-reads the head under the lock. The first batch
 * after opening, `transact` units and the closing checkpoint always go the general way.
 *
 * Batched units have no savepoint each (that was 2 of ~5 round trips per unit). If a `writeAll`
 * call or one of its units' entries fails, the whole transaction is rolled back and the batch is
 * run again with every batched unit alone in its own savepoint, so a failing unit never takes
 * down the others; only it is rejected.
 *
 * Known limits: all audited writes (of every process) are serialized by the lock, so a slow
 * `transact` write delays the others; one failing batched unit makes its whole batch run twice;
 * and when COMMIT itself is lost on the wire the outcome is unknown to us (the caller sees a
 * failure for a write that may have committed together with its audit entries; never one without
 * the other).
 */
import { sign } from 'node:crypto';
import { OperationalError, UnexpectedError, systemClock, ConfigError, type Clock } from '@steward/core';
import type { Database, Sql } from '@steward/store';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { auditEvents, type AuditEntryInput, type AuditSink } from './audit-entry.js';
import { canonicalJson, chainHash, checkpointMessage, entryText, isoMillis } from './audit-chain.js';
import {
  insertCheckpoints,
  insertRows,
  lockAndReadHead,
  oneTripAuditArgs,
  type ChainHead,
  type PendingCheckpoint,
  type PendingRow,
} from './audit-rows.js';
import { loadOrCreateSigningKey, type SigningKey } from './signing-key.js';
import type { AuditWitness } from './witness.js';

export interface AuditLogOptions {
  readonly clock?: Clock;
  /** Most queued jobs taken into one batch transaction. Default 1,000. */
  readonly maxBatch?: number;
  /** A checkpoint at least every this many entries (1..1,000). Default 1,000. */
  readonly checkpointEvery?: number;
  /** A checkpoint at most this long after the oldest entry it does not yet cover. Default 1,000 ms. */
  readonly checkpointIntervalMs?: number;
  /** Appends waiting beyond this many are refused (AUDIT_UNAVAILABLE): overload fails closed. Default 100,000. */
  readonly maxQueue?: number;
  /**
   * Where each committed checkpoint is also written, outside the database (witness.ts). The
   * newest checkpoint of each batch is recorded after its commit, in order; `flush` and `close`
   * wait for it. A witness that fails does not fail the audit write (the entries are committed):
   * `onWitnessError` hears it, and the next checkpoint is recorded again.
   */
  readonly witnesses?: readonly AuditWitness[];
  /** Called when a witness cannot record a checkpoint. Default: remembered in `witnessFailures`. */
  readonly onWitnessError?: (witness: string, error: unknown) => void;
  /**
   * Write a batch in ONE round trip when it can (default: on PostgreSQL, off on PGlite): the chain
   * head is kept in memory and one statement checks it under the lock and inserts the batch
   * (`audit_append_checked`, or a `UnitBatch`'s `oneTrip` statement). Any failure, a moved head
   * included, runs the batch again the general way (lock, read the head, write).
   */
  readonly oneTrip?: boolean;
  /**
   * How long the writer waits, once a batch could start, for more work to join it, in ms (0..20).
   * Default 0: a batch is whatever arrived while the previous one was in flight (plus one
   * macrotask), so batches already grow with load; a window trades latency for fewer commits.
   */
  readonly gatherMs?: number;
  /**
   * With `oneTrip`: send the next batch's statement while the one before it commits (two in
   * flight at most; default false). The second waits on the audit lock in the database and then
   * finds the head it was sealed from; callers still hear only after their own batch committed.
   */
  readonly pipeline?: boolean;
}

/**
 * Writes the rows of several audited units at once (typically one multi-row statement), for
 * `AuditLog.transactBatch`. Units that name the same `UnitBatch` object and land in the same
 * writer transaction are written by one `writeAll` call.
 */
export interface UnitBatch<I, T> {
  /**
   * Writes every item's rows in `tx` and returns each item's result, in the items' order. It must
   * use `tx` only and not hold it after it resolves. It runs without a savepoint of its own: when
   * it throws, the writer rolls back and retries each unit alone (`writeAll(tx, [item])` in a
   * savepoint), so it must be safe to run again.
   */
  writeAll(tx: Sql, items: readonly I[]): Promise<readonly T[]>;
  /**
   * Optional: the items written with the batch's audit entries in ONE statement, when the items'
   * results can be known before the write (e.g. "every message is new"). Return undefined to take
   * the general path. The statement must write everything or fail: if the results would differ
   * from `expected` it must raise, and the writer then runs `writeAll` the general way. It may
   * read first (outside any transaction: e.g. the journal resolving known patients), as long as
   * the statement checks under the lock that what it read still holds.
   */
  oneTrip?(items: readonly I[]): OneTripWrite<T> | undefined | Promise<OneTripWrite<T> | undefined>;
}

/** The audit arguments of a one-trip statement: `$1`..`$n` in the order `audit_check_head` + `audit_insert` take them. */
export interface OneTripAudit {
  /** `$1, $2, …` for the audit arguments, to open the call's argument list. */
  readonly placeholders: string;
  readonly params: readonly unknown[];
}

/** A UnitBatch's one-statement write (see `UnitBatch.oneTrip`). */
export interface OneTripWrite<T> {
  /** Each item's result if the statement succeeds: its audit entries are made from these. */
  readonly expected: readonly T[];
  /** The statement: it calls `audit_check_head(…)` before its writes and `audit_insert(…)` with the audit arguments. */
  statement(audit: OneTripAudit): { readonly text: string; readonly params: readonly unknown[] };
  /** The results, completed from the statement's rows (values the database assigned), in the items' order. */
  results(rows: readonly (readonly unknown[])[]): readonly T[];
}

/** The batched form of `transact`, as stores that group their units see the audit log. */
export interface BatchingAudit {
  transactBatch<I, T>(batch: UnitBatch<I, T>, item: I, entries: (result: T) => readonly AuditEntryInput[]): Promise<T>;
}

/** Sends a prepared one-trip batch (behind the batch still in flight, if any): what became of it. */
type OneTripSend = (previous: Promise<boolean> | undefined) => Promise<'committed' | 'behind' | 'failed'>;

/** Settles one job of a one-trip batch: with the batch's results, or the failure to read them back. */
type Settler = (results: readonly unknown[] | undefined, failure?: unknown) => void;

type Settle<T> = { resolve: (v: T) => void; reject: (e: unknown) => void };

type Job =
  | ({ kind: 'append'; input: AuditEntryInput; at: string } & Settle<{ readonly seq: number }>)
  | ({
      kind: 'unit';
      write: (tx: Sql) => Promise<unknown>;
      entries: (r: unknown) => readonly AuditEntryInput[];
    } & Settle<unknown>)
  | ({
      kind: 'batched';
      batch: UnitBatch<unknown, unknown>;
      item: unknown;
      entries: (r: unknown) => readonly AuditEntryInput[];
    } & Settle<unknown>)
  | ({ kind: 'checkpoint' } & Settle<void>);

/** Thrown out of a batch transaction to roll it back and run its batched units one by one. */
class RetryAlone extends Error {}

const INSERT_CHUNK = 1_000;

export class AuditLog implements AuditSink, BatchingAudit {
  readonly #db: Database;
  readonly #cipher: FieldCipher;
  readonly #key: SigningKey;
  readonly #clock: Clock;
  readonly #maxBatch: number;
  readonly #every: number;
  readonly #intervalMs: number;
  readonly #maxQueue: number;
  #queue: Job[] = [];
  #running = false;
  #closed = false;
  #idle: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #witnesses: readonly AuditWitness[];
  readonly #onWitnessError: ((witness: string, error: unknown) => void) | undefined;
  /** Witness records in flight, chained so they land in seq order. */
  #witnessing: Promise<void> = Promise.resolve();
  #witnessFailures = 0;
  readonly #oneTrip: boolean;
  readonly #gatherMs: number;
  readonly #pipeline: boolean;
  /** Set while the writer waits for a batch in flight with nothing queued: wakes it for a new job. */
  #wake: (() => void) | undefined;
  /**
   * The chain head as of this writer's last batch (committed, or in flight: its tail); undefined
   * when unknown (then the general path reads it).
   */
  #head: ChainHead | undefined;
  /**
   * Batches written in one round trip, and those that fell back to the general path (for tests and
   * benchmarks): because another writer moved the head (`headMoved`), because what a unit batch read
   * before its statement changed (`readMoved`), or for any reason (`fellBack`, which counts both);
   * and pipelined batches sent again because they reached the lock before the batch ahead of them
   * (`resent`).
   */
  readonly stats = { oneTrip: 0, general: 0, headMoved: 0, readMoved: 0, fellBack: 0, resent: 0 };

  private constructor(db: Database, cipher: FieldCipher, key: SigningKey, options: AuditLogOptions) {
    this.#db = db;
    this.#cipher = cipher;
    this.#key = key;
    this.#clock = options.clock ?? systemClock;
    this.#maxBatch = options.maxBatch ?? 1_000;
    this.#every = options.checkpointEvery ?? 1_000;
    this.#intervalMs = options.checkpointIntervalMs ?? 1_000;
    this.#maxQueue = options.maxQueue ?? 100_000;
    this.#witnesses = options.witnesses ?? [];
    this.#onWitnessError = options.onWitnessError;
    this.#oneTrip = options.oneTrip ?? db.kind === 'postgres';
    this.#gatherMs = options.gatherMs ?? 0;
    this.#pipeline = options.pipeline ?? false;
  }

  /** The witnesses checkpoints are written to (what `verifyAuditLog` should be given). */
  get witnesses(): readonly AuditWitness[] {
    return this.#witnesses;
  }

  /** How many witness records have failed since the log was opened. */
  get witnessFailures(): number {
    return this.#witnessFailures;
  }

  /** Opens the log on a migrated store, loading (or creating on first use) the checkpoint signing key. */
  static async open(db: Database, cipher: FieldCipher, options: AuditLogOptions = {}): Promise<AuditLog> {
    const problems = [
      ...check('maxBatch', options.maxBatch, 1, 100_000),
      ...check('checkpointEvery', options.checkpointEvery, 1, 1_000),
      ...check('checkpointIntervalMs', options.checkpointIntervalMs, 1, 1_000),
      ...check('maxQueue', options.maxQueue, 1, 10_000_000),
      ...check('gatherMs', options.gatherMs, 0, 20),
    ];
    if (problems.length > 0) throw new ConfigError(problems);
    let key: SigningKey;
    try {
      key = await loadOrCreateSigningKey(db, cipher);
    } catch (e) {
      if (e instanceof OperationalError) throw e;
      throw new OperationalError('AUDIT_UNAVAILABLE', 'cannot open the audit log', [], { cause: e });
    }
    return new AuditLog(db, cipher, key, options);
  }

  /** The id and SHA-256 fingerprint of the key signing new checkpoints: print it, pin it. */
  get signingKey(): { readonly id: string; readonly fingerprint: string; readonly publicKeyPem: string } {
    return { id: this.#key.id, fingerprint: this.#key.fingerprint, publicKeyPem: this.#key.publicKeyPem };
  }

  /** Appends one entry; resolves with its sequence number once committed, rejects with AUDIT_UNAVAILABLE otherwise. */
  append(input: AuditEntryInput): Promise<{ readonly seq: number }> {
    return new Promise((resolve, reject) => {
      const refused = this.#refusal();
      if (refused !== undefined) return reject(refused);
      // A throw here rejects the promise with the validation error.
      validate(input);
      this.#enqueue({ kind: 'append', input, at: isoMillis(this.#clock.now()), resolve, reject });
    });
  }

  /**
   * Runs a PHI write and its audit entries in ONE transaction: both commit or neither does.
   * `write` runs inside the audit batch's transaction (in its own savepoint): it must use `tx`
   * only, and not hold it after it resolves. If `write` or `entries` throws, only this unit is
   * rolled back and its promise rejects with that error; if the batch cannot commit, it rejects
   * with AUDIT_UNAVAILABLE. `entries` must return at least one entry: no PHI write goes unaudited.
   */
  transact<T>(write: (tx: Sql) => Promise<T>, entries: (result: T) => readonly AuditEntryInput[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const refused = this.#refusal();
      if (refused !== undefined) return reject(refused);
      this.#enqueue({
        kind: 'unit',
        write,
        entries: entries as (r: unknown) => readonly AuditEntryInput[],
        resolve: resolve as (v: unknown) => void,
        reject,
      });
    });
  }

  /**
   * Like `transact`, for units whose rows are written together: every queued unit naming the same
   * `batch` that lands in one writer transaction is written by ONE `batch.writeAll` call, without a
   * savepoint per unit. Same guarantees as `transact`: the unit's rows and its entries commit
   * together or not at all, and a unit that fails (its rows or its `entries`) rejects alone, after
   * its batch is retried one unit at a time.
   */
  transactBatch<I, T>(batch: UnitBatch<I, T>, item: I, entries: (result: T) => readonly AuditEntryInput[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const refused = this.#refusal();
      if (refused !== undefined) return reject(refused);
      this.#enqueue({
        kind: 'batched',
        batch,
        item,
        entries: entries as (r: unknown) => readonly AuditEntryInput[],
        resolve: resolve as (v: unknown) => void,
        reject,
      });
    });
  }

  /** Resolves when everything queued so far is committed (or has failed). */
  flush(): Promise<void> {
    const drained =
      !this.#running && this.#queue.length === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => this.#idle.push(resolve));
    // The witnesses hold what was committed too, once flushed.
    return drained.then(() => this.#witnessing);
  }

  /** Refuses new entries, commits the queued ones, and writes a final checkpoint over the head. */
  async close(): Promise<void> {
    if (this.#closed) return this.flush();
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const done = new Promise<void>((resolve, reject) => this.#enqueue({ kind: 'checkpoint', resolve, reject }));
    await done;
    await this.flush();
    for (const w of this.#witnesses) await w.close?.().catch((e: unknown) => this.#witnessFailed(w, e));
  }

  #witnessFailed(w: AuditWitness, e: unknown): void {
    this.#witnessFailures += 1;
    this.#onWitnessError?.(w.name, e);
  }

  /** Records the newest committed checkpoint with every witness, after the ones before it. */
  #witness(cp: PendingCheckpoint): void {
    if (this.#witnesses.length === 0) return;
    const record = {
      seq: cp.seq,
      hash: cp.hash.toString('hex'),
      at: cp.at,
      keyId: this.#key.id,
      signature: cp.signature.toString('hex'),
    };
    this.#witnessing = this.#witnessing.then(() =>
      Promise.all(this.#witnesses.map((w) => w.record([record]).catch((e: unknown) => this.#witnessFailed(w, e)))).then(
        () => undefined,
      ),
    );
  }

  #refusal(): OperationalError | undefined {
    if (this.#closed) return new OperationalError('AUDIT_UNAVAILABLE', 'the audit log is closed');
    if (this.#queue.length >= this.#maxQueue) {
      return new OperationalError('AUDIT_UNAVAILABLE', `the audit queue is full (${this.#maxQueue} waiting)`);
    }
    return undefined;
  }

  #enqueue(job: Job): void {
    this.#queue.push(job);
    if (this.#running) {
      this.#wake?.();
      return;
    }
    this.#running = true;
    // One macrotask's grace lets concurrent callers join the first batch.
    setImmediate(() => void this.#drain());
  }

  async #drain(): Promise<void> {
    // The newest one-round-trip batch sent and not yet settled: true when it committed.
    let inFlight: Promise<boolean> | undefined;
    try {
      for (;;) {
        if (this.#queue.length === 0) {
          if (inFlight === undefined) break;
          // Nothing waiting: until the batch in flight settles, or (pipelined) work arrives to send
          // behind it, after one macrotask's grace for whatever arrives with it.
          const arrived = new Promise<boolean>((resolve) => {
            this.#wake = () => resolve(false);
          });
          const settled = await (this.#pipeline ? Promise.race([inFlight.then(() => true), arrived]) : inFlight);
          this.#wake = undefined;
          if (settled === false) await new Promise((resolve) => setImmediate(resolve));
          else inFlight = undefined;
          continue;
        }
        if (this.#gatherMs > 0 && this.#queue.length < this.#maxBatch)
          await new Promise((resolve) => setTimeout(resolve, this.#gatherMs));
        const jobs = this.#queue.splice(0, this.#maxBatch);
        const known = this.#head;
        const sent = this.#oneTrip && known !== undefined ? await this.#prepareOneTrip(jobs, known) : undefined;
        if (sent === undefined) {
          // The general path reads the head under the lock itself: never beside a statement in flight.
          if (inFlight !== undefined) await inFlight;
          inFlight = undefined;
          await this.#runBatch(jobs);
          continue;
        }
        const previous = inFlight;
        const current = this.#settleOneTrip(jobs, sent, previous);
        inFlight = current;
        // Pipelined: this batch is on the wire while the one before it commits; the next batch is
        // prepared once the one before has settled (two in flight at most). Not pipelined, or
        // after a failure (whose batches go the general way, in order): wait for this one too.
        const previousOk = previous === undefined ? true : await previous;
        if (!this.#pipeline || !previousOk) {
          await current;
          inFlight = undefined;
        }
      }
    } finally {
      this.#running = false;
      const idle = this.#idle;
      this.#idle = [];
      for (const f of idle) f();
    }
  }

  /**
   * Sends a prepared one-trip batch and settles its jobs when it commits. Sent while the batch
   * before it commits, it may reach the lock first and find the head behind (SQLSTATE SA001,
   * nothing written): it is sent again once that batch has committed. When the statement fails
   * otherwise, nothing of it was written (or, if only the reply was lost, the general path finds
   * its rows as duplicates): the head is forgotten and the batch goes the general way, after the
   * batch before it has settled (which, failing too, went the general way first: entries keep the
   * order the batches were sent in).
   */
  async #settleOneTrip(jobs: Job[], send: OneTripSend, previous: Promise<boolean> | undefined): Promise<boolean> {
    let outcome = await send(previous);
    if (outcome === 'behind' && previous !== undefined && (await previous)) {
      this.stats.resent += 1;
      outcome = await send(undefined);
    }
    if (outcome === 'committed') return true;
    this.#head = undefined;
    if (previous !== undefined) await previous;
    await this.#runBatch(jobs);
    return false;
  }

  /** One writer transaction. `alone`: batched units run one by one, each in its own savepoint (the retry path). */
  async #runBatch(jobs: Job[], alone = false): Promise<void> {
    this.stats.general += 1;
    this.#head = undefined;
    let committed: ChainHead | undefined;
    const settled: Array<() => void> = [];
    const forced = jobs.some((j) => j.kind === 'checkpoint');
    let pendingSince: { headSeq: number; checkpointAt: number } | undefined;
    let newest: PendingCheckpoint | undefined;
    try {
      await this.#db.transaction(async (tx) => {
        const { head, last } = await lockAndReadHead(tx);
        // Batched units first, one writeAll per UnitBatch: the batch's jobs are all concurrent
        // (a caller that awaited one has it committed already), so any order of writes is valid.
        const grouped = alone ? new Map<Job, GroupedResult>() : await writeGroups(tx, jobs);
        const chain = this.#sealer({ seq: head.seq, hash: head.hash, ckptSeq: last.seq });
        const { rows, checkpoints } = chain;
        const add = (input: AuditEntryInput, at: string): number => chain.add(input, at);
        for (const job of jobs) {
          if (job.kind === 'append') {
            const s = add(job.input, job.at);
            settled.push(() => job.resolve({ seq: s }));
          } else if (job.kind === 'batched' && !alone) {
            const done = grouped.get(job);
            if (done === undefined) throw new UnexpectedError('a batched unit was not written');
            const at = isoMillis(this.#clock.now());
            for (const input of done.inputs) add(input, at);
            settled.push(() => job.resolve(done.result));
          } else if (job.kind === 'unit' || job.kind === 'batched') {
            const write =
              job.kind === 'unit' ? job.write : (t: Sql) => job.batch.writeAll(t, [job.item]).then((r) => r[0]);
            const mark = chain.mark();
            await tx.query('savepoint audit_unit');
            try {
              const result = await write(tx);
              const inputs = job.entries(result);
              if (inputs.length === 0)
                throw new UnexpectedError('a transact unit must produce at least one audit entry');
              inputs.forEach(validate);
              const at = isoMillis(this.#clock.now());
              for (const input of inputs) add(input, at);
              await tx.query('release savepoint audit_unit');
              settled.push(() => job.resolve(result));
            } catch (e) {
              // Undo this unit only: its writes, and the chain positions it took.
              await tx.query('rollback to savepoint audit_unit');
              await tx.query('release savepoint audit_unit');
              chain.undoTo(mark);
              settled.push(() => job.reject(e));
            }
          } else {
            settled.push(() => job.resolve());
          }
        }
        const due = forced || this.#clock.now().getTime() - last.at >= this.#intervalMs;
        if (due) chain.checkpointNow();
        const { seq, hash, ckptSeq } = chain;
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insertRows(tx, rows.slice(i, i + INSERT_CHUNK));
        if (checkpoints.length > 0) await insertCheckpoints(tx, checkpoints, this.#key.id);
        newest = checkpoints.at(-1);
        const lastAt = checkpoints.at(-1)?.at;
        const ckptAt = lastAt !== undefined ? Date.parse(lastAt) : last.at;
        if (seq > ckptSeq) pendingSince = { headSeq: seq, checkpointAt: ckptAt };
        committed = { seq, hash, ckptSeq, ckptAt };
      });
      this.#head = committed;
    } catch (e) {
      if (e instanceof RetryAlone) return this.#runBatch(jobs, true);
      const failure = new OperationalError('AUDIT_UNAVAILABLE', 'the audit log cannot be written', [], { cause: e });
      for (const job of jobs) job.reject(failure);
      return;
    }
    if (newest !== undefined) this.#witness(newest);
    for (const f of settled) f();
    if (pendingSince !== undefined) this.#scheduleCheckpoint(pendingSince.checkpointAt);
  }

  /**
   * The batch in ONE round trip, from the head this writer expects (the one it committed last, or
   * the tail of the batch still in flight): entries and hashes are made here, and one statement
   * (its own implicit transaction) checks the head under the lock and writes the units' rows and
   * the entries. The lock is held to the commit, so a statement sent while the batch before it
   * commits waits for it and then finds the head it expects. Resolves undefined, having sent
   * nothing, when the batch cannot go this way (a `transact` unit, several unit batches, a close,
   * a head forgotten meanwhile); else with the send, which resolves false, having written
   * nothing, when the statement failed (another writer moved the head, a unit's row was not new,
   * the batch before failed, the store): the caller then runs the batch the general way, which
   * reads the head afresh. The expected head becomes this batch's tail at once.
   */
  async #prepareOneTrip(jobs: readonly Job[], head: ChainHead): Promise<OneTripSend | undefined> {
    const batched: Array<Extract<Job, { kind: 'batched' }>> = [];
    let forced = false;
    for (const job of jobs) {
      // A closing checkpoint must cover the stored head, which only the general path reads.
      if (job.kind === 'unit' || (job.kind === 'checkpoint' && this.#closed)) return undefined;
      if (job.kind === 'checkpoint') forced = true;
      if (job.kind === 'batched') batched.push(job);
    }
    const unitBatch = batched[0]?.batch;
    let write: OneTripWrite<unknown> | undefined;
    if (unitBatch !== undefined) {
      if (unitBatch.oneTrip === undefined || batched.some((j) => j.batch !== unitBatch)) return undefined;
      try {
        write = await unitBatch.oneTrip(batched.map((j) => j.item));
      } catch {
        return undefined;
      }
      if (write === undefined || write.expected.length !== batched.length) return undefined;
      // The batch in flight failed meanwhile: its fallback reads the head afresh, and so will this one.
      if (this.#head !== head) return undefined;
    }
    const chain = this.#sealer(head);
    const { rows, checkpoints } = chain;
    const add = (input: AuditEntryInput, at: string): number => chain.add(input, at);
    const settle: Settler[] = [];
    try {
      let k = 0;
      for (const job of jobs) {
        if (job.kind === 'append') {
          const s = add(job.input, job.at);
          settle.push(() => job.resolve({ seq: s }));
        } else if (job.kind === 'batched' && write !== undefined) {
          const i = k++;
          const inputs = job.entries(write.expected[i]);
          if (inputs.length === 0) return undefined;
          inputs.forEach(validate);
          const at = isoMillis(this.#clock.now());
          for (const input of inputs) add(input, at);
          settle.push((results, failure) => (results === undefined ? job.reject(failure) : job.resolve(results[i])));
        } else if (job.kind === 'checkpoint') {
          settle.push(() => job.resolve());
        }
      }
    } catch {
      return undefined; // a unit's entries failed: the general path rejects that unit alone
    }
    if (forced || this.#clock.now().getTime() - head.ckptAt >= this.#intervalMs) chain.checkpointNow();
    const { seq, hash, ckptSeq } = chain;
    if (rows.length === 0 && checkpoints.length === 0) {
      // A timer's checkpoint with nothing left to cover: nothing to write.
      return async (previous) => {
        if (previous !== undefined) await previous;
        for (const f of settle) f([]);
        return 'committed';
      };
    }
    const audit = oneTripAuditArgs(head, rows, checkpoints, this.#key.id);
    const statement =
      write === undefined
        ? { text: `select audit_append_checked(${audit.placeholders})`, params: audit.params }
        : write.statement(audit);
    const lastAt = checkpoints.at(-1)?.at;
    const ckptAt = lastAt !== undefined ? Date.parse(lastAt) : head.ckptAt;
    this.#head = { seq, hash, ckptSeq, ckptAt };
    return (previous) =>
      this.#sendOneTrip(statement, write, settle, previous, checkpoints.at(-1), seq > ckptSeq ? ckptAt : undefined);
  }

  /**
   * Sends a prepared one-trip statement; true when it committed. Its jobs are settled (and its
   * checkpoint witnessed) after the batch before it has settled, so callers hear in chain order.
   */
  async #sendOneTrip(
    statement: { readonly text: string; readonly params: readonly unknown[] },
    write: OneTripWrite<unknown> | undefined,
    settle: readonly Settler[],
    previous: Promise<boolean> | undefined,
    newest: PendingCheckpoint | undefined,
    uncoveredSince: number | undefined,
  ): Promise<'committed' | 'behind' | 'failed'> {
    let rowsBack: readonly (readonly unknown[])[];
    try {
      rowsBack =
        this.#db.queryArrays === undefined
          ? (await this.#db.query(statement.text, statement.params)).rows.map((r) => Object.values(r))
          : (await this.#db.queryArrays(statement.text, statement.params)).rows;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // Sent behind a batch still in flight: the caller sends it again once that one committed.
      if (code === 'SA001' && previous !== undefined) return 'behind';
      if (code === 'SA001') this.stats.headMoved += 1;
      // SA002: what the unit batch read before the statement (e.g. the patients it resolved) changed.
      if (code === 'SA002') this.stats.readMoved += 1;
      this.stats.fellBack += 1;
      return 'failed';
    }
    // Committed: the rows and their entries are durable together.
    this.stats.oneTrip += 1;
    if (previous !== undefined) await previous;
    if (newest !== undefined) this.#witness(newest);
    let results: readonly unknown[] | undefined;
    let failure: UnexpectedError | undefined;
    try {
      results = write === undefined ? [] : write.results(rowsBack);
    } catch (e) {
      // Cannot happen for a well-formed statement; the rows are committed, so the units are told
      // so (an unexpected error), not that nothing was stored.
      failure = new UnexpectedError('a unit was written with its audit entries but its result could not be read back', {
        cause: e,
      });
    }
    for (const f of settle) f(results, failure);
    if (uncoveredSince !== undefined) this.#scheduleCheckpoint(uncoveredSince);
    return 'committed';
  }

  /** A chain to seal entries onto from `head`, checkpointing every `every` entries (both writer paths). */
  #sealer(head: { seq: number; hash: Buffer; ckptSeq: number }): ChainSealer {
    return new ChainSealer(
      head,
      this.#every,
      (seq, hash) => this.#checkpoint(seq, hash),
      (query, seq) => this.#cipher.encrypt(canonicalJson(query), `audit.query:${seq}`).toString('base64'),
    );
  }

  #checkpoint(seq: number, hash: Buffer): PendingCheckpoint {
    const at = isoMillis(this.#clock.now());
    const signature = sign(null, checkpointMessage(seq, hash.toString('hex'), at), this.#key.privateKey);
    return { seq, hash, at, signature };
  }

  /** Entries are waiting for a checkpoint: make sure one comes within the interval even if no more arrive. */
  #scheduleCheckpoint(lastCheckpointAt: number): void {
    if (this.#timer !== undefined || this.#closed) return;
    const wait = Math.max(
      0,
      Math.min(this.#intervalMs, lastCheckpointAt + this.#intervalMs - this.#clock.now().getTime()),
    );
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#closed) return;
      // A failed checkpoint batch is retried by the next batch's time rule; nothing waits on it.
      this.#enqueue({ kind: 'checkpoint', resolve: () => undefined, reject: () => undefined });
    }, wait);
    this.#timer.unref();
  }
}

function check(path: string, value: number | undefined, min: number, max: number): { path: string; message: string }[] {
  if (value === undefined) return [];
  return Number.isInteger(value) && value >= min && value <= max
    ? []
    : [{ path, message: `must be an integer from ${min} to ${max}` }];
}

const knownEvents: ReadonlySet<string> = new Set(auditEvents);

/** A malformed entry is a caller's bug: refuse it rather than write something the verifier cannot read back. */
function validate(input: AuditEntryInput): void {
  const bad = (what: string): never => {
    throw new UnexpectedError(`invalid audit entry: ${what}`);
  };
  if (!knownEvents.has(input.event)) bad('unknown event');
  if (!['C', 'R', 'U', 'D', 'E'].includes(input.action)) bad('unknown action');
  if (!['success', 'denied', 'failure'].includes(input.outcome)) bad('unknown outcome');
  if (typeof input.actor?.id !== 'string' || input.actor.id === '') bad('actor.id is required');
  for (const [name, digest] of Object.entries(input.digests ?? {})) {
    if (!/^[a-z][a-z-]{0,31}$/.test(name) || !/^[0-9a-f]{64}$/.test(digest)) bad('digests hold SHA-256 hex by name');
  }
}

interface GroupedResult {
  readonly result: unknown;
  readonly inputs: readonly AuditEntryInput[];
}

/**
 * Runs each UnitBatch's `writeAll` once over its queued units and computes their entries. Any
 * failure (a write, a result count, an `entries` call, an invalid entry) cannot be undone for one
 * unit alone, so it throws RetryAlone: the caller rolls back and retries unit by unit.
 */
async function writeGroups(tx: Sql, jobs: readonly Job[]): Promise<Map<Job, GroupedResult>> {
  const groups = new Map<UnitBatch<unknown, unknown>, Array<Extract<Job, { kind: 'batched' }>>>();
  for (const job of jobs) {
    if (job.kind !== 'batched') continue;
    const group = groups.get(job.batch);
    if (group === undefined) groups.set(job.batch, [job]);
    else group.push(job);
  }
  const out = new Map<Job, GroupedResult>();
  for (const [batch, group] of groups) {
    try {
      const results = await batch.writeAll(
        tx,
        group.map((j) => j.item),
      );
      if (results.length !== group.length) throw new UnexpectedError('writeAll must return one result per item');
      group.forEach((job, i) => {
        const result = results[i];
        const inputs = job.entries(result);
        if (inputs.length === 0) throw new UnexpectedError('a transact unit must produce at least one audit entry');
        inputs.forEach(validate);
        out.set(job, { result, inputs });
      });
    } catch (e) {
      throw new RetryAlone('a batched write failed: retrying its units one by one', { cause: e });
    }
  }
  return out;
}

/**
 * Entries sealed onto the chain from a head, in order: each one's text, its hash over the one before,
 * and a checkpoint every `every` entries. A unit's entries can be taken back (`mark`, `undoTo`).
 */
class ChainSealer {
  seq: number;
  hash: Buffer;
  ckptSeq: number;
  readonly rows: PendingRow[] = [];
  readonly checkpoints: PendingCheckpoint[] = [];
  readonly #every: number;
  readonly #checkpoint: (seq: number, hash: Buffer) => PendingCheckpoint;
  readonly #sealQuery: (query: NonNullable<AuditEntryInput['query']>, seq: number) => string;

  constructor(
    head: { seq: number; hash: Buffer; ckptSeq: number },
    every: number,
    checkpoint: (seq: number, hash: Buffer) => PendingCheckpoint,
    sealQuery: (query: NonNullable<AuditEntryInput['query']>, seq: number) => string,
  ) {
    this.seq = head.seq;
    this.hash = head.hash;
    this.ckptSeq = head.ckptSeq;
    this.#every = every;
    this.#checkpoint = checkpoint;
    this.#sealQuery = sealQuery;
  }

  /** Seals one entry; returns its sequence number. */
  add(input: AuditEntryInput, at: string): number {
    const seq = (this.seq += 1);
    const queryEnc = input.query === undefined ? undefined : this.#sealQuery(input.query, seq);
    const entry = entryText(seq, at, input, queryEnc);
    const prev = this.hash;
    this.hash = chainHash(prev, entry);
    this.rows.push({ seq, at, input, entry, prev, hash: this.hash });
    if (seq - this.ckptSeq >= this.#every) this.checkpointNow();
    return seq;
  }

  /** A checkpoint over the newest entry, when one is not covered yet. */
  checkpointNow(): void {
    if (this.seq <= this.ckptSeq) return;
    this.checkpoints.push(this.#checkpoint(this.seq, this.hash));
    this.ckptSeq = this.seq;
  }

  mark(): { seq: number; hash: Buffer; ckptSeq: number; rows: number; checkpoints: number } {
    const { seq, hash, ckptSeq } = this;
    return { seq, hash, ckptSeq, rows: this.rows.length, checkpoints: this.checkpoints.length };
  }

  /** Takes back what was sealed since `mark` (a unit rolled back to its savepoint). */
  undoTo(mark: ReturnType<ChainSealer['mark']>): void {
    ({ seq: this.seq, hash: this.hash, ckptSeq: this.ckptSeq } = mark);
    this.rows.length = mark.rows;
    this.checkpoints.length = mark.checkpoints;
  }
}
