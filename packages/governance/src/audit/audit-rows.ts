/**
 * @module The audit writer's SQL: take the audit lock and read the chain head in one round trip,
 * and insert a batch's entries and checkpoints with one statement each.
 */
import type { Sql } from '@steward/store';
import type { AuditEntryInput } from './audit-entry.js';
import type { OneTripAudit } from './audit-log.js';
import { AUDIT_LOCK, GENESIS_HASH } from './audit-chain.js';

export interface PendingRow {
  seq: number;
  at: string;
  input: AuditEntryInput;
  entry: string;
  prev: Buffer;
  hash: Buffer;
}

export interface PendingCheckpoint {
  seq: number;
  hash: Buffer;
  at: string;
  signature: Buffer;
}

/**
 * Takes the audit lock, then reads the chain head and the last checkpoint: one round trip (the
 * `audit_lock_head` function reads after the lock is granted, with a fresh snapshot).
 */
export async function lockAndReadHead(
  tx: Sql,
): Promise<{ head: { seq: number; hash: Buffer }; last: { seq: number; at: number } }> {
  const { rows } = await tx.query<{
    head_seq: number | null;
    head_hash: Uint8Array | null;
    ckpt_seq: number | null;
    ckpt_at_ms: number | null;
  }>('select head_seq, head_hash, ckpt_seq, ckpt_at_ms from audit_lock_head($1)', [AUDIT_LOCK]);
  const row = rows[0];
  return {
    head:
      row?.head_seq == null || row.head_hash == null
        ? { seq: 0, hash: GENESIS_HASH }
        : { seq: Number(row.head_seq), hash: Buffer.from(row.head_hash) },
    last: row?.ckpt_seq == null ? { seq: 0, at: 0 } : { seq: Number(row.ckpt_seq), at: Number(row.ckpt_at_ms) },
  };
}

/** A text[] literal element, quoted so that any id survives. */
export function pgArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

export async function insertRows(tx: Sql, rows: readonly PendingRow[]): Promise<void> {
  await tx.query(
    `insert into audit_log (seq, at, actor_id, action, event, outcome, patient_ids, entry, prev_hash, hash)
     select seq, at::timestamptz, actor_id, action, event, outcome, patient_ids::text[], entry,
            decode(prev_hash, 'hex'), decode(hash, 'hex')
     from unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
       as t(seq, at, actor_id, action, event, outcome, patient_ids, entry, prev_hash, hash)`,
    [
      rows.map((r) => r.seq),
      rows.map((r) => r.at),
      rows.map((r) => r.input.actor.id),
      rows.map((r) => r.input.action),
      rows.map((r) => r.input.event),
      rows.map((r) => r.input.outcome),
      rows.map((r) => pgArrayLiteral(r.input.patientIds ?? [])),
      rows.map((r) => r.entry),
      rows.map((r) => r.prev.toString('hex')),
      rows.map((r) => r.hash.toString('hex')),
    ],
  );
}

export async function insertCheckpoints(
  tx: Sql,
  checkpoints: readonly PendingCheckpoint[],
  keyId: string,
): Promise<void> {
  await tx.query(
    `insert into audit_checkpoints (seq, hash, at, key_id, signature)
     select seq, decode(hash, 'hex'), at::timestamptz, $4, decode(signature, 'hex')
     from unnest($1::int8[], $2::text[], $3::text[], $5::text[]) as t(seq, hash, at, signature)`,
    [
      checkpoints.map((c) => c.seq),
      checkpoints.map((c) => c.hash.toString('hex')),
      checkpoints.map((c) => c.at),
      keyId,
      checkpoints.map((c) => c.signature.toString('hex')),
    ],
  );
}

/** The chain head a writer expects: the last entry and the last checkpoint. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: Buffer;
  readonly ckptSeq: number;
  /** When the last checkpoint was made, in ms since the epoch (0: none). */
  readonly ckptAt: number;
}

const oneTripTypes = [
  'int8',
  'int8',
  'bytea',
  'int8',
  'int8[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'bytea[]',
  'bytea[]',
  'int8[]',
  'bytea[]',
  'text[]',
  'bytea[]',
  'text',
];

/**
 * The audit arguments of a one-trip statement (migration 66): the lock, the head expected, then
 * the entries and checkpoints as arrays (hashes and signatures as bytea, not hex).
 */
export function oneTripAuditArgs(
  head: ChainHead,
  rows: readonly PendingRow[],
  checkpoints: readonly PendingCheckpoint[],
  keyId: string,
): OneTripAudit {
  return {
    placeholders: oneTripTypes.map((t, i) => `$${i + 1}::${t}`).join(', '),
    params: [
      AUDIT_LOCK,
      head.seq,
      head.hash,
      head.ckptSeq,
      rows.map((r) => r.seq),
      rows.map((r) => r.at),
      rows.map((r) => r.input.actor.id),
      rows.map((r) => r.input.action),
      rows.map((r) => r.input.event),
      rows.map((r) => r.input.outcome),
      rows.map((r) => pgArrayLiteral(r.input.patientIds ?? [])),
      rows.map((r) => r.entry),
      rows.map((r) => r.prev),
      rows.map((r) => r.hash),
      checkpoints.map((c) => c.seq),
      checkpoints.map((c) => c.hash),
      checkpoints.map((c) => c.at),
      checkpoints.map((c) => c.signature),
      keyId,
    ],
  };
}
