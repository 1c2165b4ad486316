/**
 * @module Lands planned records in batches: each batch is one `transact` unit of the audit log
 * (multi-row inserts for parties, relationships, source records and review items, one array
 * insert for its notes, plus one audit entry per record), so throughput does not pay a round trip
 * per note. A batch is sealed (every note encrypted) when it is submitted, before its transaction:
 * the thread seals the next batches while the store commits this one, and the writer's transaction
 * holds no encryption. A batch the store refuses is retried record by record (with the rows
 * already sealed), so one bad record is listed alone and never takes its neighbours with it: every
 * record still lands whole with its notes, or not at all.
 */
import { OperationalError } from '@steward/core';
import type { Sql } from '@steward/store';
import type { AuditEntryInput, TransactionalAudit } from '@steward/governance';
import {
  joinSealed,
  type GraphRows,
  type NewNote,
  type NewParty,
  type NewRelationship,
  type SealedRows,
  type SourceRecordRow,
} from '../graph/index.js';
import type { Snapshot } from './content.js';
import type { ReviewItem } from './report.js';

export interface PlannedWrite {
  readonly party?: NewParty;
  readonly relationship?: NewRelationship;
  readonly notes: readonly NewNote[];
  readonly record: SourceRecordRow;
  /** The content hash the record was filed with, when this write adds notes to a filed record. */
  readonly replaces?: Buffer;
  readonly snapshot: Snapshot;
  readonly reviews: readonly ReviewItem[];
  readonly audit: AuditEntryInput;
  landed(): void;
  failed(e: unknown): void;
}

/** Another run filed one of these source records between our read and our write. */
export class AlreadyFiled extends Error {}

/** Where an import's planned records go: the store (BatchWriter) or nowhere (PreviewWriter). */
export interface RecordWriter {
  readonly fatal: OperationalError | undefined;
  add(w: PlannedWrite): Promise<void>;
  drain(): Promise<void>;
  throwIfFatal(): void;
}

/** A preview: every planned record "lands" at once and nothing is written; the review items are kept for the report. */
export class PreviewWriter implements RecordWriter {
  readonly fatal = undefined;
  readonly reviews: ReviewItem[] = [];

  add(w: PlannedWrite): Promise<void> {
    this.reviews.push(...w.reviews);
    w.landed();
    return Promise.resolve();
  }

  drain(): Promise<void> {
    return Promise.resolve();
  }

  throwIfFatal(): void {}
}

export class BatchWriter implements RecordWriter {
  private pending: PlannedWrite[] = [];
  private pendingNotes = 0;
  private readonly inflight = new Set<Promise<void>>();
  /** The first operational failure (audit or store unavailable): it stops the run. */
  fatal: OperationalError | undefined;

  constructor(
    private readonly rows: GraphRows,
    private readonly audit: TransactionalAudit,
    private readonly site: string,
    private readonly runId: string,
    private readonly now: () => Date,
    /** Most records in one batch. */
    private readonly batchSize: number,
    private readonly maxInflight: number,
    /** A batch also closes once it holds this many notes. */
    private readonly maxNotes = Number.POSITIVE_INFINITY,
  ) {}

  async add(w: PlannedWrite): Promise<void> {
    this.pending.push(w);
    this.pendingNotes += w.notes.length;
    if (this.pending.length >= this.batchSize || this.pendingNotes >= this.maxNotes) await this.flush();
  }

  /** Submits what is pending; waits only when too many batches are in flight. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const at = this.now();
    const batch = this.pending.map((w) => ({ w, sealed: this.seal(w, at) }));
    this.pending = [];
    this.pendingNotes = 0;
    const p = this.submit(batch);
    const tracked = p.finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
    if (this.inflight.size >= this.maxInflight) await Promise.race(this.inflight);
  }

  throwIfFatal(): void {
    if (this.fatal !== undefined) throw this.fatal;
  }

  /** Everything submitted has landed or failed. */
  async drain(): Promise<void> {
    await this.flush();
    while (this.inflight.size > 0) await Promise.all(this.inflight);
  }

  /** One record's rows, sealed (a record with no party is a merge, or notes joining a filed record). */
  private seal(w: PlannedWrite, at: Date): SealedRows {
    return this.rows.seal(
      {
        parties: w.party !== undefined ? [w.party] : [],
        relationships: w.relationship !== undefined ? [w.relationship] : [],
        notes: w.notes,
        records: w.replaces === undefined ? [{ site: this.site, row: w.record, snapshot: w.snapshot }] : [],
      },
      at,
    );
  }

  private async submit(batch: readonly Sealed[]): Promise<void> {
    try {
      await this.audit.transact(
        (tx) => this.write(tx, batch),
        () => batch.map(({ w }) => w.audit),
      );
      for (const { w } of batch) w.landed();
    } catch (e) {
      if (e instanceof OperationalError) {
        this.fatal ??= e;
        return;
      }
      if (batch.length === 1) {
        batch[0]?.w.failed(e);
        return;
      }
      // Find the bad record(s): each alone, in order (a merge still follows the person it joins).
      await Promise.all(batch.map((s) => this.submit([s])));
    }
  }

  private async write(tx: Sql, batch: readonly Sealed[]): Promise<void> {
    const at = this.now();
    const filed = await this.rows.insertSealed(tx, joinSealed(batch.map((s) => s.sealed)));
    if (filed !== batch.filter(({ w }) => w.replaces === undefined).length) throw new AlreadyFiled();
    for (const { w } of batch)
      if (w.replaces !== undefined && !(await this.rows.updateSourceRecord(tx, this.site, w.record, w.replaces)))
        throw new AlreadyFiled();
    await this.rows.insertReviews(
      tx,
      this.site,
      this.runId,
      batch.flatMap(({ w }) => w.reviews),
      at,
    );
  }
}

interface Sealed {
  readonly w: PlannedWrite;
  readonly sealed: SealedRows;
}
