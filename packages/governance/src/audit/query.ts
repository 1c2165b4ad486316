/**
 * @module Reading the audit log back: "who accessed this patient", "what did this actor access on
 * that day". Filters use the indexed query columns; what is returned is decoded from the hashed
 * entry text (the columns are only a lookup aid, and `verifyAuditLog` checks they agree).
 */
import type { Sql } from '@steward/store';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { AuditAction, AuditEntryInput, AuditEvent, AuditOutcome } from './audit-entry.js';
import type { CanonicalEntry } from './audit-chain.js';

export interface AuditFilter {
  readonly patientId?: string;
  /** Entries naming any of these patients (one person's Steward ids, merges included). */
  readonly patientIds?: readonly string[];
  readonly actorId?: string;
  readonly events?: readonly AuditEvent[];
  /** Inclusive lower bound on `at`. */
  readonly from?: Date | string;
  /** Exclusive upper bound on `at` (so a day is `from: D, to: D+1`). */
  readonly to?: Date | string;
  /** Entries of accesses a break-glass episode allowed (no column: read from the entry itself). */
  readonly breakGlassId?: string;
  /** Entries about this entity id (no column: read from the entry; pair it with `from`/`to`). */
  readonly entityId?: string;
}

export interface AuditQuery extends AuditFilter {
  /** Most entries returned. Default 1,000, at most 10,000. */
  readonly limit?: number;
  /** Keyset paging: only entries with seq greater than this. */
  readonly after?: number;
}

/** A stored entry, decoded. */
export interface AuditRecord extends Omit<AuditEntryInput, 'patientIds' | 'query'> {
  readonly seq: number;
  /** ISO-8601 UTC with milliseconds. */
  readonly at: string;
  readonly patientIds: readonly string[];
  /** The decrypted query parameters, when the entry had some and the key is available. */
  readonly query?: Readonly<Record<string, string>>;
  /** The entry has query parameters that could not be decrypted (key unavailable). */
  readonly queryUnreadable?: true;
  /** Hex SHA-256 of the entry (its chain hash). */
  readonly hash: string;
}

export interface AuditPage {
  readonly entries: readonly AuditRecord[];
  /** Pass as `after` for the next page; undefined when this was the last. */
  readonly next: number | undefined;
}

/** Entries matching `q`, ordered by seq. */
export async function queryAudit(db: Sql, cipher: FieldCipher, q: AuditQuery = {}): Promise<AuditPage> {
  const limit = Math.min(Math.max(1, q.limit ?? 1_000), 10_000);
  const where: string[] = ['seq > $1'];
  const params: unknown[] = [q.after ?? 0];
  const add = (clause: (p: string) => string, value: unknown): void => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (q.patientId !== undefined) add((p) => `patient_ids @> array[${p}::text]`, q.patientId);
  if (q.patientIds !== undefined) add((p) => `patient_ids && ${p}::text[]`, [...q.patientIds]);
  if (q.actorId !== undefined) add((p) => `actor_id = ${p}`, q.actorId);
  if (q.events !== undefined) add((p) => `event = any(${p}::text[])`, [...q.events]);
  if (q.from !== undefined) add((p) => `at >= ${p}::timestamptz`, new Date(q.from).toISOString());
  if (q.to !== undefined) add((p) => `at < ${p}::timestamptz`, new Date(q.to).toISOString());
  if (q.breakGlassId !== undefined) add((p) => `(entry::jsonb ->> 'breakGlassId') = ${p}`, q.breakGlassId);
  if (q.entityId !== undefined) add((p) => `(entry::jsonb -> 'entity' ->> 'id') = ${p}`, q.entityId);
  params.push(limit);
  const { rows } = await db.query<{ seq: number; entry: string; hash: string }>(
    `select seq, entry, encode(hash, 'hex') as hash from audit_log where ${where.join(' and ')} order by seq limit $${params.length}`,
    params,
  );
  const entries = rows.map((r) => decodeEntry(r.entry, r.hash, cipher));
  return { entries, next: rows.length === limit ? rows.at(-1)?.seq : undefined };
}

/** Every matching entry, page by page (for exports and long reports). */
export async function* iterateAudit(
  db: Sql,
  cipher: FieldCipher,
  filter: AuditFilter = {},
  pageSize = 1_000,
): AsyncGenerator<AuditRecord> {
  let after = 0;
  for (;;) {
    const page = await queryAudit(db, cipher, { ...filter, after, limit: pageSize });
    yield* page.entries;
    if (page.next === undefined) return;
    after = page.next;
  }
}

/** Decodes one entry's canonical text, opening its sealed query parameters. */
export function decodeEntry(text: string, hash: string, cipher: FieldCipher): AuditRecord {
  const { queryEnc, patientIds, ...rest } = JSON.parse(text) as CanonicalEntry;
  let query: Record<string, string> | undefined;
  let unreadable = false;
  if (queryEnc !== undefined) {
    try {
      query = JSON.parse(
        cipher.decrypt(Buffer.from(queryEnc, 'base64'), `audit.query:${rest.seq}`).toString('utf8'),
      ) as Record<string, string>;
    } catch {
      unreadable = true;
    }
  }
  return {
    ...(rest as Omit<CanonicalEntry, 'queryEnc' | 'patientIds'> & {
      actor: AuditRecord['actor'];
      event: AuditEvent;
      action: AuditAction;
      outcome: AuditOutcome;
    }),
    patientIds: patientIds ?? [],
    ...(query !== undefined ? { query } : {}),
    ...(unreadable ? { queryUnreadable: true as const } : {}),
    hash,
  } as AuditRecord;
}
