/**
 * @module The handoffs' rows as stored: the columns read, the row lock, a history row, the audit
 * entry of a move, and the small reads every part of the service shares.
 */
import { NotFoundError, type RequestContext } from '@steward/core';
import { sourceOf, type AuditEntryInput } from '@steward/governance';
import type { Sql } from '@steward/store';
import type { HandoffStatus, HandoffSubject, HandoffTarget } from './handoff-model.js';
import type { HandoffHistoryEntry } from './handoff-types.js';
import type { Json } from '../engine/index.js';

export interface Row {
  id: string;
  site: string;
  kind: string;
  subject_kind: HandoffSubject['kind'];
  subject_id: string;
  patient_id: string | null;
  from_kind: 'user' | 'service';
  from_id: string;
  from_name: string;
  to_kind: HandoffTarget['kind'];
  to_ref: string;
  assignee: string | null;
  status: HandoffStatus;
  ask_enc: Uint8Array;
  due_at: Date | null;
  escalated_to: { kind: 'user' | 'pool'; ref: string }[] | string;
  source_key: string | null;
  notify_type: string | null;
  notify_key: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const columns = `id::text as id, site, kind, subject_kind, subject_id, patient_id::text as patient_id, from_kind,
  from_id, from_name, to_kind, to_ref, assignee::text as assignee, status, ask_enc, due_at, escalated_to, version,
  created_at, updated_at, source_key, notify_type, notify_key`;
/** Overdue first (the earliest deadline first), then by deadline, then the oldest. */
export const order = `order by (due_at is not null and due_at < $1 and status <> 'done') desc, due_at asc nulls last, created_at, id`;
export const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const maxList = 200;

export async function lockRow(tx: Sql, id: string): Promise<Row> {
  const { rows } = await tx.query<Row>(`select ${columns} from handoffs where id = $1 for update`, [id]);
  const row = rows[0];
  if (row === undefined) throw new NotFoundError('handoff');
  return row;
}

/** Appends one row to a handoff's history (its next seq). */
export async function history(
  tx: Sql,
  id: string,
  at: Date,
  event: HandoffHistoryEntry['event'],
  ctx: RequestContext,
  from: HandoffStatus | null,
  to: HandoffStatus,
  detail: Record<string, Json>,
  reason?: Buffer,
): Promise<void> {
  await tx.query(
    `insert into handoff_history (handoff_id, seq, at, event, actor_kind, actor_id, actor_name, from_status, to_status,
       detail, reason_enc)
     select $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10 from handoff_history where handoff_id = $1`,
    [id, at, event, ctx.actor.kind, ctx.actor.id, ctx.actor.name, from, to, JSON.stringify(detail), reason ?? null],
  );
}

/** jsonb comes back parsed from PostgreSQL and PGlite; a string is parsed for safety. */
export function json<T>(v: T | string): T {
  return typeof v === 'string' ? (JSON.parse(v) as T) : v;
}

export async function rowById(db: Sql, id: string): Promise<Row | undefined> {
  if (!uuid.test(id)) return undefined;
  const { rows } = await db.query<Row>(`select ${columns} from handoffs where id = $1`, [id]);
  return rows[0];
}

export async function idByKey(db: Sql, key: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('select id::text as id from handoffs where source_key = $1', [key]);
  return rows[0]?.id;
}

/** Whether an escalation put the handoff in this user's (or one of their pools') queue. */
export function escalatedTo(row: Row, me: string, pools: readonly string[]): boolean {
  return json(row.escalated_to).some(
    (e) => (e.kind === 'user' && e.ref === me) || (e.kind === 'pool' && pools.includes(e.ref)),
  );
}

/** The audit entry of a handoff read or move (entity Handoff at its version, its patient named). */
export function auditEntry(
  ctx: RequestContext,
  event: 'phi.create' | 'phi.update' | 'phi.read',
  action: 'C' | 'U' | 'R',
  id: string,
  version: number,
  site: string,
  patientId: string | null,
  reason: string,
  fields: string[],
): AuditEntryInput {
  return {
    actor: ctx.actor,
    event,
    action,
    outcome: 'success',
    entity: { kind: 'Handoff', id, version },
    fields,
    site,
    ...(patientId !== null ? { patientIds: [patientId] } : {}),
    ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
    source: sourceOf(ctx),
    reason,
  };
}
