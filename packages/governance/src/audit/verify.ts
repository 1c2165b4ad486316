/**
 * @module `verifyAuditLog`: streams the whole log from genesis in seq order (keyset pages, the
 * next page fetched while the current one is checked) through the ChainVerifier. Needs no
 * secret: hashes cover ciphertext, and checkpoints are checked with the stored public keys (or
 * only the pinned ones, when `trustedKeys` is given).
 *
 * Entries, checkpoints and keys are read in ONE repeatable-read, read-only snapshot: read
 * separately, a checkpoint committed after the last entry page was read points past the head
 * and looks like truncation (a false alarm while the server writes). Known limit: on the
 * embedded store the snapshot holds its single connection, so writers wait for the verification.
 */
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { Database, Sql } from '@steward/store';
import { checkpointMessage } from './audit-chain.js';
import { readWitnesses, type AuditWitness, type WitnessedCheckpoint } from './witness.js';
import {
  ChainVerifier,
  type ChainVerifierOptions,
  type StoredCheckpointRow,
  type StoredEntryTuple,
  type VerifyResult,
} from './chain-verifier.js';

export interface VerifyProgress {
  /** Entries checked so far. */
  readonly entries: number;
  /** The highest seq in the log when verification started (for a progress bar). */
  readonly total: number;
}

export interface VerifyOptions extends ChainVerifierOptions {
  readonly onProgress?: (progress: VerifyProgress) => void;
  /** Rows per page. Default 10,000. */
  readonly batchSize?: number;
  /**
   * Witnesses holding checkpoints outside the database (`AuditLog.witnesses`): the log must still
   * reach the highest one they hold, unchanged, or it was truncated (or rewritten).
   */
  readonly witnesses?: readonly AuditWitness[];
}

interface CheckpointSqlRow {
  seq: number;
  hash: string;
  at_us: number;
  key_id: string;
  signature: Uint8Array;
}

/** `StoredEntryTuple`: four columns, read in array row mode (no object per row). */
const ENTRY_PAGE = `
  select seq, entry, encode(prev_hash, 'hex') || ':' || encode(hash, 'hex') as hashes,
         json_build_array((extract(epoch from at) * 1000000)::int8, actor_id, action, event, outcome,
                          patient_ids)::text as columns
  from audit_log where seq > $1 order by seq limit $2`;

const CHECKPOINTS = `
  select seq, encode(hash, 'hex') as hash, (extract(epoch from at) * 1000000)::int8 as at_us, key_id, signature
  from audit_checkpoints where seq > $1 and seq <= $2 order by seq`;

/**
 * Checks the chain and every checkpoint from genesis. Stops at the first problem. Given a
 * `Database`, it reads in its own snapshot; given an `Sql` (a transaction the caller opened), it
 * reads there, and the caller's isolation level decides what it sees.
 */
export async function verifyAuditLog(db: Sql | Database, options: VerifyOptions = {}): Promise<VerifyResult> {
  // Witnesses first: they hold only committed checkpoints, so the snapshot taken after sees them.
  const witnessed = await readWitnesses(options.witnesses ?? []);
  if (witnessed.problem !== undefined) return witnessFailure(witnessed.latest?.seq ?? 0, witnessed.problem);
  const result = !isDatabase(db)
    ? await verifyIn(db, options, witnessed.latest)
    : await db.transaction(async (tx) => {
        await tx.query('set transaction isolation level repeatable read, read only');
        return verifyIn(tx, options, witnessed.latest);
      });
  const w = witnessed.latest;
  return result.ok && w !== undefined ? { ...result, witnessed: { seq: w.seq, witness: w.witness } } : result;
}

function witnessFailure(seq: number, message: string): VerifyResult {
  return { ok: false, firstBadSeq: seq, problem: 'witness-broken', message, entries: 0 };
}

function isDatabase(db: Sql | Database): db is Database {
  return typeof (db as Partial<Database>).transaction === 'function';
}

async function verifyIn(
  db: Sql,
  options: VerifyOptions,
  witnessed: (WitnessedCheckpoint & { witness: string }) | undefined,
): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 10_000;
  const keys = await db.query<{ id: string; public_key: string }>('select id, public_key from audit_signing_keys');
  let anchor = options.anchor;
  if (witnessed !== undefined) {
    const key = keys.rows.find((k) => k.id === witnessed.keyId);
    const message = checkpointMessage(witnessed.seq, witnessed.hash, witnessed.at);
    if (key === undefined) {
      return witnessFailure(
        witnessed.seq,
        `the checkpoint at seq ${witnessed.seq} witnessed in ${witnessed.witness} names signing key ${witnessed.keyId}, which the database no longer holds (was it removed?)`,
      );
    }
    if (!verifySignature(null, message, createPublicKey(key.public_key), Buffer.from(witnessed.signature, 'hex'))) {
      return witnessFailure(
        witnessed.seq,
        `the checkpoint at seq ${witnessed.seq} witnessed in ${witnessed.witness} has an invalid signature`,
      );
    }
    if (anchor === undefined || witnessed.seq >= anchor.seq)
      anchor = { seq: witnessed.seq, hash: witnessed.hash, source: witnessed.witness };
  }
  const verifier = new ChainVerifier(
    keys.rows.map((k) => ({ id: k.id, publicKeyPem: k.public_key })),
    { ...options, ...(anchor !== undefined ? { anchor } : {}) },
  );
  const total = (await db.query<{ n: number | null }>('select max(seq) as n from audit_log')).rows[0]?.n ?? 0;
  const fetchPage = (after: number): Promise<StoredEntryTuple[]> => entryPage(db, after, batchSize);
  const fetchCheckpoints = (after: number, upTo: number): Promise<StoredCheckpointRow[]> =>
    db.query<CheckpointSqlRow>(CHECKPOINTS, [after, upTo]).then((r) => r.rows.map(toCheckpointRow));

  let low = Number.MIN_SAFE_INTEGER;
  let after = 0;
  let page = await fetchPage(after);
  while (page.length > 0) {
    const last = (page.at(-1) as StoredEntryTuple)[0];
    const checkpoints = await fetchCheckpoints(low, last);
    // Fetch ahead: the database reads the next page while this one is hashed.
    const next = page.length === batchSize ? fetchPage(last) : Promise.resolve([]);
    const ok = verifier.pageOfTuples(page, checkpoints);
    options.onProgress?.({ entries: verifier.entries, total });
    if (!ok) {
      await next.catch(() => undefined);
      return verifier.failure as VerifyResult;
    }
    low = last;
    after = last;
    page = await next;
  }
  return verifier.finish(await fetchCheckpoints(low, Number.MAX_SAFE_INTEGER));
}

/** One page of entries as array rows; through `query` (and one array per row) where the port has no array mode. */
async function entryPage(db: Sql, after: number, limit: number): Promise<StoredEntryTuple[]> {
  if (db.queryArrays !== undefined) return (await db.queryArrays<StoredEntryTuple>(ENTRY_PAGE, [after, limit])).rows;
  const { rows } = await db.query(ENTRY_PAGE, [after, limit]);
  return rows.map((r) => Object.values(r) as unknown as StoredEntryTuple);
}

function toCheckpointRow(r: CheckpointSqlRow): StoredCheckpointRow {
  return { seq: r.seq, hash: r.hash, atUs: r.at_us, keyId: r.key_id, signature: Buffer.from(r.signature) };
}
