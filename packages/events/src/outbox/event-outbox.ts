/**
 * @module The events outbox: the only SQL on `events_outbox` and `events_capture_cursors`.
 *
 * No event is ever skipped by a reader tailing `position`: every insert runs in a transaction that
 * first takes the events advisory lock (held to its commit), so positions are handed out in commit
 * order and a row committed late never lands below a position a reader has already passed. The
 * capture moves its source cursor in the same transaction (`append`), so a crash between reading a
 * source and filing its events files them again, and `source_key` makes that harmless.
 * The PHI part is sealed under the row's event id (`events_outbox:<id>`).
 */
import { newId, UnexpectedError } from '@steward/core';
import type { FieldCipher } from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import type { EventPhi, EventReferences, NewEvent, StewardEvent } from '../model/event-record.js';

/** The advisory lock every outbox insert holds to its commit ("events" in ASCII, plus 47). */
const OUTBOX_LOCK = 0x6576656e7473 + 47;

/** An outbox row as read (the delivery claim reads it joined to its deliveries). */
export interface OutboxRow {
  position: string | number;
  id: string;
  type: string;
  site: string;
  patient_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
  source_key: string;
  refs: EventReferences;
  data_enc: Uint8Array | null;
}

/** What a reader may filter on without opening the sealed part. */
export interface OutboxFilter {
  readonly sites?: readonly string[];
  readonly types?: readonly string[];
}

export class EventOutbox {
  readonly #listeners = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
  ) {}

  /** Called after each commit that added events (the delivery worker and open streams wake up). */
  onAppend(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Where a source's capture stands (0 before its first). */
  async cursor(source: string): Promise<number> {
    const { rows } = await this.db.query<{ position: string }>(
      'select position from events_capture_cursors where source = $1',
      [source],
    );
    return Number(rows[0]?.position ?? 0);
  }

  /**
   * Files `events` and moves `source`'s cursor from `from` to `to` in one transaction, unless
   * another capture moved it first (then nothing is filed: false). Events already filed (same
   * source key) are skipped.
   */
  async append(source: string, from: number, to: number, events: readonly NewEvent[], now: Date): Promise<boolean> {
    await this.db.query(
      'insert into events_capture_cursors (source, position) values ($1, 0) on conflict (source) do nothing',
      [source],
    );
    const filed = await this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [OUTBOX_LOCK]);
      const locked = await tx.query<{ position: string }>(
        'select position from events_capture_cursors where source = $1 for update',
        [source],
      );
      if (Number(locked.rows[0]?.position ?? 0) !== from) return false;
      await this.insert(tx, events, now);
      await tx.query('update events_capture_cursors set position = $2 where source = $1', [source, to]);
      return true;
    });
    if (filed && events.length > 0) this.#notify();
    return filed;
  }

  /** Files events without a source cursor (tests, benchmarks, a publisher of its own). Returns their ids. */
  async publish(events: readonly NewEvent[], now: Date): Promise<string[]> {
    const ids = await this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [OUTBOX_LOCK]);
      return this.insert(tx, events, now);
    });
    if (events.length > 0) this.#notify();
    return ids;
  }

  private async insert(tx: Sql, events: readonly NewEvent[], now: Date): Promise<string[]> {
    if (events.length === 0) return [];
    const ids = events.map(() => newId());
    await tx.query(
      `insert into events_outbox (id, type, site, patient_id, occurred_at, recorded_at, source_key, refs, data_enc)
       select u.id, u.type, u.site, u.patient_id, u.occurred_at, $1, u.source_key, u.refs::jsonb, u.data_enc
         from unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::timestamptz[], $7::text[], $8::text[], $9::bytea[])
              with ordinality as u(id, type, site, patient_id, occurred_at, source_key, refs, data_enc, n)
        order by u.n
       on conflict (source_key) do nothing`,
      [
        now,
        ids,
        events.map((e) => e.type),
        events.map((e) => e.site),
        events.map((e) => e.patientId ?? null),
        events.map((e) => e.occurredAt),
        events.map((e) => e.sourceKey),
        events.map((e) => JSON.stringify(e.references)),
        events.map((e, i) => this.cipher.encrypt(JSON.stringify(e.phi), `events_outbox:${ids[i] as string}`)),
      ],
    );
    return ids;
  }

  /** The last position filed (0 when empty). */
  async head(): Promise<number> {
    const { rows } = await this.db.query<{ position: string | null }>(
      'select max(position) as position from events_outbox',
    );
    return Number(rows[0]?.position ?? 0);
  }

  /** The position just before the first event recorded at or after `at` (0: from the oldest). */
  async positionBefore(at: Date): Promise<number> {
    const { rows } = await this.db.query<{ position: string | null }>(
      'select max(position) as position from events_outbox where recorded_at < $1',
      [at],
    );
    return Number(rows[0]?.position ?? 0);
  }

  /** The position of an event, or undefined when no such event is (still) in the outbox. */
  async positionOf(eventId: string): Promise<number | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) return undefined;
    const { rows } = await this.db.query<{ position: string }>('select position from events_outbox where id = $1', [
      eventId,
    ]);
    return rows[0] === undefined ? undefined : Number(rows[0].position);
  }

  /**
   * The site and Steward patient of each event made from an EHR journal event (`ehr:` source), by
   * event id; other and unknown ids are left out. Ids and codes only, nothing opened.
   */
  async origins(ids: readonly string[]): Promise<ReadonlyMap<string, { site: string; patientId?: string }>> {
    const wanted = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
    if (wanted.length === 0) return new Map();
    const { rows } = await this.db.query<{ id: string; site: string; patient_id: string | null }>(
      `select id::text as id, site, patient_id::text as patient_id from events_outbox
        where id = any($1::uuid[]) and source_key like 'ehr:%'`,
      [wanted],
    );
    return new Map(
      rows.map((r) => [r.id, { site: r.site, ...(r.patient_id !== null ? { patientId: r.patient_id } : {}) }]),
    );
  }

  /** Events after `afterPosition` up to `through`, oldest first, with their sealed part opened. */
  async read(
    afterPosition: number,
    limit: number,
    filter: OutboxFilter = {},
    through?: number,
  ): Promise<StewardEvent[]> {
    const params: unknown[] = [afterPosition, Math.max(1, Math.min(limit, 10_000))];
    const where = ['position > $1'];
    if (through !== undefined) {
      params.push(through);
      where.push(`position <= $${params.length}`);
    }
    if (filter.sites !== undefined) {
      params.push(filter.sites);
      where.push(`site = any($${params.length}::text[])`);
    }
    if (filter.types !== undefined) {
      params.push(filter.types);
      where.push(`type = any($${params.length}::text[])`);
    }
    const { rows } = await this.db.query<OutboxRow>(
      `select * from events_outbox where ${where.join(' and ')} order by position limit $2`,
      params,
    );
    return rows.map((r) => this.toEvent(r));
  }

  /** The events at these positions (any order), opened. */
  async at(positions: readonly number[]): Promise<Map<number, StewardEvent>> {
    if (positions.length === 0) return new Map();
    const { rows } = await this.db.query<OutboxRow>('select * from events_outbox where position = any($1::bigint[])', [
      positions,
    ]);
    return new Map(rows.map((r) => [Number(r.position), this.toEvent(r)]));
  }

  /** Just what fan-out needs: position, type, site, patient, id. */
  async heads(
    afterPosition: number,
    limit: number,
    sql: Sql = this.db,
  ): Promise<{ position: number; id: string; type: string; site: string; patientId: string | null }[]> {
    const { rows } = await sql.query<{
      position: string;
      id: string;
      type: string;
      site: string;
      patient_id: string | null;
    }>(
      'select position, id, type, site, patient_id from events_outbox where position > $1 order by position limit $2',
      [afterPosition, limit],
    );
    return rows.map((r) => ({
      position: Number(r.position),
      id: r.id,
      type: r.type,
      site: r.site,
      patientId: r.patient_id,
    }));
  }

  /**
   * A row read elsewhere, as an event. `open: false` leaves the sealed part shut (a references-only
   * delivery has no use for it): the event's `phi` is then empty, and must not be sent.
   */
  toEvent(r: OutboxRow, open = true): StewardEvent {
    if (r.data_enc === null) throw new UnexpectedError('an outbox row has no sealed part');
    const phi = open
      ? (JSON.parse(this.cipher.decrypt(r.data_enc, `events_outbox:${r.id}`).toString('utf8')) as EventPhi)
      : { patient: { id: null, identifiers: [] } };
    return {
      id: r.id,
      position: Number(r.position),
      type: r.type,
      site: r.site,
      patientId: r.patient_id ?? undefined,
      occurredAt: r.occurred_at,
      recordedAt: r.recorded_at,
      sourceKey: r.source_key,
      references: r.refs,
      phi,
    };
  }

  #notify(): void {
    for (const l of this.#listeners) l();
  }
}
