/**
 * @module PHI records, governed. The raw table is reached only through this class, and this class
 * asks the policy decision point before every read and write and audits every access: reads are
 * audited before data is returned, writes in the same transaction as the row, so an operation
 * whose audit cannot be written fails (closed). Records outside the caller's scope look exactly
 * like records that do not exist. Documents are sealed with the field cipher; exact-value lookup
 * fields get keyed blind indexes, never plaintext.
 */
import { ConflictError, ValidationError, newId, systemClock, type Clock, type RequestContext } from '@steward/core';
import type { Database, Sql } from '@steward/store';
import type { AuditEntryInput } from '../audit/audit-entry.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { PolicyDecisionPoint } from '../policy/decision-point.js';
import { sourceOf } from '../policy/decision-point.js';

/** The audit log's transactional side: a write and its audit entries commit together or not at all. */
export interface TransactionalAudit {
  append(entry: AuditEntryInput): Promise<{ readonly seq: number }>;
  transact<T>(write: (tx: Sql) => Promise<T>, entries: (result: T) => AuditEntryInput[]): Promise<T>;
}

export interface StoredRecord<T> {
  readonly id: string;
  readonly kind: string;
  readonly site: string;
  readonly patientId: string | undefined;
  readonly version: number;
  readonly data: T;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewRecord<T> {
  readonly kind: string;
  readonly site: string;
  /** The patient the record is about; a Patient record is its own patient. */
  readonly patientId?: string;
  readonly data: T;
  /** Values to find this record by exactly (for example `identifier` → `system|value`). */
  readonly lookup?: Readonly<Record<string, readonly string[]>>;
}

interface RecordRow {
  id: string;
  kind: string;
  site: string;
  patient_id: string | null;
  version: number;
  data_enc: Uint8Array;
  created_at: Date;
  updated_at: Date;
}

const kindName = /^[A-Z][A-Za-z]{1,63}$/;

export class RecordStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: TransactionalAudit,
    private readonly clock: Clock = systemClock,
  ) {}

  async create<T>(ctx: RequestContext, input: NewRecord<T>): Promise<StoredRecord<T>> {
    if (!kindName.test(input.kind))
      throw new ValidationError('invalid record kind', [
        { path: 'kind', message: 'must be a FHIR-style resource name' },
      ]);
    const id = newId();
    const patientId = input.kind === 'Patient' ? id : input.patientId;
    const decision = await this.policy.enforce(ctx, 'phi.write', {
      site: input.site,
      ...(patientId !== undefined ? { patientId } : {}),
    });
    const now = this.clock.now();
    const sealed = this.cipher.encrypt(JSON.stringify(input.data), `records:${id}`);
    return this.audit.transact(
      async (tx) => {
        await tx.query(
          `insert into records (id, kind, site, patient_id, version, data_enc, created_at, updated_at)
           values ($1, $2, $3, $4, 1, $5, $6, $6)`,
          [id, input.kind, input.site, patientId ?? null, sealed, now],
        );
        await this.writeLookup(tx, id, input.kind, input.lookup);
        return {
          id,
          kind: input.kind,
          site: input.site,
          patientId,
          version: 1,
          data: input.data,
          createdAt: now,
          updatedAt: now,
        };
      },
      (r) => [this.entry(ctx, 'phi.create', 'C', r, decision, Object.keys(input.data as object))],
    );
  }

  async read<T>(ctx: RequestContext, kind: string, id: string): Promise<StoredRecord<T>> {
    const { row, decision } = await this.policy.visible(
      ctx,
      'phi.read',
      kind,
      await this.row(this.db, kind, id),
      scopeOf,
    );
    const record = this.open<T>(row);
    await this.audit.append(this.entry(ctx, 'phi.read', 'R', record, decision));
    return record;
  }

  /** Updates a record if it is still at `expectedVersion`; a concurrent change is a VERSION_CONFLICT. */
  async update<T>(
    ctx: RequestContext,
    kind: string,
    id: string,
    expectedVersion: number,
    data: T,
    lookup?: Readonly<Record<string, readonly string[]>>,
  ): Promise<StoredRecord<T>> {
    const { row: current, decision } = await this.policy.visible(
      ctx,
      'phi.write',
      kind,
      await this.row(this.db, kind, id),
      scopeOf,
    );
    const now = this.clock.now();
    const sealed = this.cipher.encrypt(JSON.stringify(data), `records:${id}`);
    return this.audit.transact(
      async (tx) => {
        const { rowCount } = await tx.query(
          `update records set version = version + 1, data_enc = $3, updated_at = $4 where id = $1 and version = $2`,
          [id, expectedVersion, sealed, now],
        );
        if (rowCount === 0)
          throw new ConflictError('VERSION_CONFLICT', `${kind} was changed by someone else: read it again`);
        if (lookup !== undefined) {
          await tx.query('delete from record_index where record_id = $1', [id]);
          await this.writeLookup(tx, id, kind, lookup);
        }
        return {
          id,
          kind,
          site: current.site,
          patientId: current.patient_id ?? undefined,
          version: expectedVersion + 1,
          data,
          createdAt: current.created_at,
          updatedAt: now,
        };
      },
      (r) => [this.entry(ctx, 'phi.update', 'U', r, decision, Object.keys(data as object))],
    );
  }

  /**
   * Finds records of `kind` whose lookup `field` equals `value` exactly. Only records in the
   * caller's scope are returned; the search is audited with the patients it returned and its
   * parameters (which the audit stores encrypted).
   */
  async find<T>(ctx: RequestContext, kind: string, field: string, value: string): Promise<StoredRecord<T>[]> {
    const digest = this.cipher.blindIndex(`${kind}.${field}`, value);
    const { rows } = await this.db.query<RecordRow>(
      `select r.* from records r join record_index i on i.record_id = r.id
        where r.kind = $1 and i.field = $2 and i.digest = $3 order by r.created_at, r.id`,
      [kind, field, digest],
    );
    const visible: StoredRecord<T>[] = [];
    let purposeOfUse = ctx.purposeOfUse;
    let breakGlassId: string | undefined;
    for (const row of rows) {
      const d = await this.policy.decide(ctx, 'phi.search', scopeOf(row));
      if (!d.allowed) continue;
      purposeOfUse = d.purposeOfUse;
      breakGlassId = d.breakGlassId ?? breakGlassId;
      visible.push(this.open<T>(row));
    }
    await this.audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      patientIds: [...new Set(visible.flatMap((r) => (r.patientId !== undefined ? [r.patientId] : [])))],
      entity: { kind, id: '*' },
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      ...(purposeOfUse !== undefined ? { purposeOfUse } : {}),
      ...(breakGlassId !== undefined ? { breakGlassId } : {}),
      source: sourceOf(ctx),
      query: { [field]: value },
    });
    return visible;
  }

  private async row(sql: Sql, kind: string, id: string): Promise<RecordRow | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await sql.query<RecordRow>(`select * from records where id = $1 and kind = $2`, [id, kind]);
    return rows[0];
  }

  private open<T>(row: RecordRow): StoredRecord<T> {
    const data = JSON.parse(this.cipher.decrypt(row.data_enc, `records:${row.id}`).toString('utf8')) as T;
    return {
      id: row.id,
      kind: row.kind,
      site: row.site,
      patientId: row.patient_id ?? undefined,
      version: row.version,
      data,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private async writeLookup(
    tx: Sql,
    id: string,
    kind: string,
    lookup: Readonly<Record<string, readonly string[]>> | undefined,
  ): Promise<void> {
    if (lookup === undefined) return;
    for (const [field, values] of Object.entries(lookup)) {
      for (const value of new Set(values)) {
        await tx.query(
          'insert into record_index (record_id, field, digest) values ($1, $2, $3) on conflict do nothing',
          [id, field, this.cipher.blindIndex(`${kind}.${field}`, value)],
        );
      }
    }
  }

  private entry(
    ctx: RequestContext,
    event: 'phi.read' | 'phi.create' | 'phi.update',
    action: 'C' | 'R' | 'U',
    record: { id: string; kind: string; site: string; patientId: string | undefined; version: number },
    decision: { purposeOfUse: RequestContext['purposeOfUse']; breakGlassId?: string },
    fields?: string[],
  ): AuditEntryInput {
    return {
      actor: ctx.actor,
      event,
      action,
      outcome: 'success',
      ...(record.patientId !== undefined ? { patientIds: [record.patientId] } : {}),
      entity: { kind: record.kind, id: record.id, version: record.version },
      ...(fields !== undefined ? { fields } : {}),
      site: record.site,
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      ...(decision.purposeOfUse !== undefined ? { purposeOfUse: decision.purposeOfUse } : {}),
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
      source: sourceOf(ctx),
    };
  }
}

function scopeOf(row: RecordRow): { site: string; patientId?: string; entity: { kind: string; id: string } } {
  return {
    site: row.site,
    ...(row.patient_id !== null ? { patientId: row.patient_id } : {}),
    entity: { kind: row.kind, id: row.id },
  };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(s: string): boolean {
  return uuid.test(s);
}
