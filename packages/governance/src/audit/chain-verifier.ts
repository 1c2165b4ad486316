/**
 * @module The audit chain's checker, without I/O: fed stored rows in seq order (and the
 * checkpoints up to each page's last seq), it finds the first entry that was altered, deleted,
 * inserted or moved, and checkpoints that are forged, point past the end (truncation), or are
 * missing. It trusts nothing it is given: query columns are compared with the hashed entry text.
 */
import { createPublicKey, hash as oneShotHash, verify as verifySignature, type KeyObject } from 'node:crypto';
import { checkpointMessage, GENESIS_HASH } from './audit-chain.js';
import { keyFingerprint } from './signing-key.js';

/** One audit_log row as read for verification. Hashes as lowercase hex. */
export interface StoredEntryRow {
  readonly seq: number;
  /** The `at` column in microseconds since the epoch (exact, so a sub-millisecond edit shows). */
  readonly atUs: number;
  readonly actorId: string;
  readonly action: string;
  readonly event: string;
  readonly outcome: string;
  readonly patientIds: readonly string[];
  readonly entry: string;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * The same row as `verifyAuditLog` reads it: in array row mode (no object per row), and packed
 * into four columns, since a driver's cost is mostly per column:
 * - `hashes`: the hex prev_hash and hash, joined by ':';
 * - `columns`: the query columns as PostgreSQL's `json_build_array(at_us, actor_id, action, event,
 *   outcome, patient_ids)` writes them, e.g. `[1767225600000000, "u1", "R", "phi.read", "success", ["p1"]]`.
 */
export type StoredEntryTuple = readonly [seq: number, entry: string, hashes: string, columns: string];

const SEQ = 0;
const ENTRY = 1;
const HASHES = 2;
const COLUMNS = 3;

/** A row object as an array row (for callers holding objects: tests, the in-memory benchmark). */
export function entryTuple(row: StoredEntryRow): StoredEntryTuple {
  const text = (v: string): string => JSON.stringify(v);
  return [
    row.seq,
    row.entry,
    `${row.prevHash}:${row.hash}`,
    `[${row.atUs}, ${text(row.actorId)}, ${text(row.action)}, ${text(row.event)}, ${text(row.outcome)}, ${JSON.stringify(row.patientIds)}]`,
  ];
}

export interface StoredCheckpointRow {
  readonly seq: number;
  readonly hash: string;
  readonly atUs: number;
  readonly keyId: string;
  readonly signature: Uint8Array;
}

export interface StoredSigningKey {
  readonly id: string;
  readonly publicKeyPem: string;
}

export type VerifyProblem =
  | 'altered'
  | 'deleted'
  | 'inserted'
  | 'reordered'
  | 'truncated'
  | 'bad-signature'
  | 'untrusted-key'
  | 'checkpoint-missing'
  /** A witness's own record was edited, or holds a checkpoint no known key signed. */
  | 'witness-broken';

export interface VerifyFailure {
  readonly ok: false;
  /** The first entry (by seq) that is wrong or missing. */
  readonly firstBadSeq: number;
  readonly problem: VerifyProblem;
  /** Names seqs and columns only, never entry content. */
  readonly message: string;
  /** Entries checked before the failure. */
  readonly entries: number;
}

export interface VerifySuccess {
  readonly ok: true;
  readonly entries: number;
  readonly checkpoints: number;
  readonly headSeq: number;
  /** Hex SHA-256 of the last entry (32 zero bytes for an empty log). */
  readonly headHash: string;
  readonly lastCheckpointSeq: number;
  /**
   * Entries after the last checkpoint. They are protected by the chain only: a writer that could
   * forge rows could append here undetected until the next checkpoint (at most ~1 s or 1,000 entries).
   */
  readonly unsealedEntries: number;
  /** The keys that signed checkpoints, to compare with the fingerprints pinned out of band. */
  readonly keys: readonly { readonly id: string; readonly fingerprint: string }[];
  /** The highest checkpoint the witnesses hold, which the log was checked against (none given: absent). */
  readonly witnessed?: { readonly seq: number; readonly witness: string };
}

export type VerifyResult = VerifySuccess | VerifyFailure;

export interface ChainVerifierOptions {
  /** More entries than this between checkpoints (or after the last one) means a checkpoint was removed. Default 1,000. */
  readonly maxCheckpointGap?: number;
  /** Fingerprints (hex SHA-256 of the SPKI) of the keys allowed to sign checkpoints. Unset: any stored key. */
  readonly trustedKeys?: readonly string[];
  /**
   * A checkpoint recorded earlier out of band (seq and hex hash; `source` names where, for the
   * message): the log must still reach it, unchanged.
   */
  readonly anchor?: { readonly seq: number; readonly hash: string; readonly source?: string };
}

class Failed extends Error {
  constructor(readonly failure: Omit<VerifyFailure, 'ok' | 'entries'>) {
    super(failure.message);
  }
}

const RECENT = 4_096;

export class ChainVerifier {
  readonly #keys = new Map<string, { key: KeyObject; fingerprint: string }>();
  readonly #usedKeys = new Set<string>();
  readonly #maxGap: number;
  readonly #trusted: ReadonlySet<string> | undefined;
  readonly #anchor: { readonly seq: number; readonly hash: string; readonly source?: string } | undefined;
  #expected = 1;
  #prevHex = GENESIS_HASH.toString('hex');
  /** Scratch space for prev_hash || entry, hashed in one call (the hot path). */
  #scratch = Buffer.alloc(64 * 1024);
  #lastCheckpoint = 0;
  #checkpoints = 0;
  /** Recent hashes by seq (a ring), to tell an insertion from other breaks. */
  readonly #recentHash: string[] = new Array<string>(RECENT).fill('');
  readonly #recentSeq: number[] = new Array<number>(RECENT).fill(0);
  #failure: VerifyFailure | undefined;
  /** A validly signed checkpoint the entries no longer hash to; the next row tells where the change is. */
  #suspect: { seq: number; hash: string; from: number } | undefined;

  constructor(keys: readonly StoredSigningKey[], options: ChainVerifierOptions = {}) {
    for (const k of keys) {
      const key = createPublicKey(k.publicKeyPem);
      this.#keys.set(k.id, { key, fingerprint: keyFingerprint(key) });
    }
    this.#maxGap = options.maxCheckpointGap ?? 1_000;
    this.#trusted =
      options.trustedKeys === undefined ? undefined : new Set(options.trustedKeys.map((f) => f.toLowerCase()));
    this.#anchor = options.anchor;
  }

  /** Entries verified so far. */
  get entries(): number {
    return this.#expected - 1;
  }

  get failure(): VerifyFailure | undefined {
    return this.#failure;
  }

  /**
   * Checks one page of rows (ascending seq, continuing the previous page) and the checkpoints
   * with seq up to the page's last row. Returns false once a problem is found.
   */
  page(rows: readonly StoredEntryRow[], checkpoints: readonly StoredCheckpointRow[]): boolean {
    return this.pageOfTuples(rows.map(entryTuple), checkpoints);
  }

  /** `page` for rows read in array row mode: what `verifyAuditLog` streams. */
  pageOfTuples(rows: readonly StoredEntryTuple[], checkpoints: readonly StoredCheckpointRow[]): boolean {
    if (this.#failure !== undefined) return false;
    try {
      let c = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as StoredEntryTuple;
        const seq = row[SEQ];
        // Checkpoints below this row's seq that no row matched point into a hole.
        while (c < checkpoints.length && (checkpoints[c] as StoredCheckpointRow).seq < seq) {
          const cp = checkpoints[c] as StoredCheckpointRow;
          if (cp.seq < this.#expected)
            this.#fail(cp.seq, 'altered', `checkpoint at seq ${cp.seq} does not match the entries`);
          c++;
        }
        this.#row(row, rows, i);
        while (c < checkpoints.length && (checkpoints[c] as StoredCheckpointRow).seq === seq) {
          this.#checkpoint(checkpoints[c] as StoredCheckpointRow);
          c++;
        }
        if (seq - this.#lastCheckpoint > this.#maxGap) {
          this.#fail(
            seq,
            'checkpoint-missing',
            `no checkpoint covers entries ${this.#lastCheckpoint + 1} to ${seq}: a checkpoint was removed`,
          );
        }
      }
      return true;
    } catch (e) {
      if (!(e instanceof Failed)) throw e;
      this.#failure = { ok: false, entries: this.entries, ...e.failure };
      return false;
    }
  }

  /** After the last page: checkpoints past the end mean the tail was cut off. */
  finish(remainingCheckpoints: readonly StoredCheckpointRow[]): VerifyResult {
    if (this.#failure !== undefined) return this.#failure;
    if (this.#suspect !== undefined) {
      const { seq, from } = this.#suspect;
      return this.#finalFailure(from, 'altered', rewrittenMessage(from, seq));
    }
    const headSeq = this.#expected - 1;
    const beyond = remainingCheckpoints.find((cp) => cp.seq > headSeq);
    if (beyond !== undefined) {
      return this.#finalFailure(
        headSeq + 1,
        'truncated',
        `the log ends at seq ${headSeq} but a checkpoint covers seq ${beyond.seq}: entries ${headSeq + 1} to ${beyond.seq} were removed`,
      );
    }
    if (this.#anchor !== undefined) {
      if (this.#anchor.seq > headSeq) {
        const from = this.#anchor.source !== undefined ? ` (witnessed in ${this.#anchor.source})` : '';
        return this.#finalFailure(
          headSeq + 1,
          'truncated',
          `entries ${headSeq + 1} to ${this.#anchor.seq} (at least) were removed: the log ends at seq ${headSeq}, before the anchor at seq ${this.#anchor.seq}${from}`,
        );
      }
      const h = this.#recentOrUndefined(this.#anchor.seq);
      if (h !== undefined && h !== this.#anchor.hash.toLowerCase()) {
        return this.#finalFailure(
          this.#anchor.seq,
          'altered',
          `entry ${this.#anchor.seq} differs from the anchor recorded for it`,
        );
      }
    }
    return {
      ok: true,
      entries: headSeq,
      checkpoints: this.#checkpoints,
      headSeq,
      headHash: this.#prevHex,
      lastCheckpointSeq: this.#lastCheckpoint,
      unsealedEntries: headSeq - this.#lastCheckpoint,
      keys: [...this.#usedKeys].map((id) => ({ id, fingerprint: this.#keys.get(id)?.fingerprint ?? '' })),
    };
  }

  #finalFailure(firstBadSeq: number, problem: VerifyProblem, message: string): VerifyFailure {
    this.#failure = { ok: false, entries: this.entries, firstBadSeq, problem, message };
    return this.#failure;
  }

  #fail(firstBadSeq: number, problem: VerifyProblem, message: string): never {
    throw new Failed({ firstBadSeq, problem, message });
  }

  #recentOrUndefined(seq: number): string | undefined {
    const i = seq % RECENT;
    return this.#recentSeq[i] === seq ? this.#recentHash[i] : undefined;
  }

  /** Hex SHA-256(prev_hash || entry), without intermediate objects. */
  #hash(prevHex: string, entry: string): string {
    const need = 32 + entry.length * 3;
    if (need > this.#scratch.length) this.#scratch = Buffer.alloc(need * 2);
    if (this.#scratch.write(prevHex, 0, 'hex') !== 32) return '';
    const n = this.#scratch.write(entry, 32, 'utf8');
    return oneShotHash('sha256', this.#scratch.subarray(0, 32 + n), 'hex');
  }

  #row(row: StoredEntryTuple, page: readonly StoredEntryTuple[], index: number): void {
    const s = row[SEQ];
    if (this.#suspect !== undefined) this.#locateRewrite(this.#rowObject(row), this.#suspect);
    if (s !== this.#expected) {
      this.#fail(
        this.#expected,
        'deleted',
        `entry ${this.#expected} is missing (the log goes from ${this.#expected - 1} to ${s})`,
      );
    }
    const hashes = row[HASHES];
    const colon = hashes.indexOf(':');
    const prevHash = colon < 0 ? hashes : hashes.slice(0, colon);
    const hex = this.#hash(prevHash, row[ENTRY]);
    if (colon < 0 || hex !== hashes.slice(colon + 1)) this.#fail(s, 'altered', `entry ${s} does not match its hash`);
    if (this.#anchor !== undefined && s === this.#anchor.seq && hex !== this.#anchor.hash.toLowerCase())
      this.#fail(s, 'altered', `entry ${s} differs from the anchor recorded for it`);
    // Fast path for the common case; the slow one parses the entry to say exactly what is wrong.
    if (prevHash !== this.#prevHex || !columnsMatch(s, row[ENTRY], row[COLUMNS]))
      this.#slowChecks(this.#rowObject(row), page, index);
    this.#prevHex = hex;
    const r = s % RECENT;
    this.#recentSeq[r] = s;
    this.#recentHash[r] = hex;
    this.#expected = s + 1;
  }

  /** An array row as an object, for the slow checks that explain a failure. */
  #rowObject(t: StoredEntryTuple): StoredEntryRow {
    const seq = t[SEQ];
    let c: unknown;
    try {
      c = JSON.parse(t[COLUMNS]);
    } catch {
      c = undefined;
    }
    const isText = (v: unknown): v is string => typeof v === 'string';
    if (
      !Array.isArray(c) ||
      c.length !== 6 ||
      typeof c[0] !== 'number' ||
      !c.slice(1, 5).every(isText) ||
      !Array.isArray(c[5]) ||
      !(c[5] as unknown[]).every(isText)
    ) {
      this.#fail(seq, 'altered', `entry ${seq}: its query columns cannot be read`);
    }
    const hashes = t[HASHES];
    const colon = hashes.indexOf(':');
    return {
      seq,
      atUs: c[0],
      actorId: c[1] as string,
      action: c[2] as string,
      event: c[3] as string,
      outcome: c[4] as string,
      patientIds: c[5] as string[],
      entry: t[ENTRY],
      prevHash: colon < 0 ? hashes : hashes.slice(0, colon),
      hash: colon < 0 ? '' : hashes.slice(colon + 1),
    };
  }

  #slowChecks(row: StoredEntryRow, page: readonly StoredEntryTuple[], index: number): void {
    const s = row.seq;
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(row.entry) as Record<string, unknown>;
    } catch {
      this.#fail(s, 'altered', `entry ${s} is not valid JSON`);
    }
    const claimed = doc['seq'];
    if (claimed !== s) this.#misplaced(row, typeof claimed === 'number' ? claimed : NaN, page, index);
    if (row.prevHash !== this.#prevHex) {
      // Self-consistent and in its place, but its predecessor is not the one it was chained to:
      // the previous entry was rewritten (and rehashed) after this one was written.
      this.#fail(s - 1, 'altered', `entry ${s} does not link to entry ${s - 1}: entry ${s - 1} was rewritten`);
    }
    this.#columns(row, doc);
  }

  /** The row after a checkpoint that no longer matches. */
  #locateRewrite(row: StoredEntryRow, suspect: { seq: number; hash: string; from: number }): never {
    const claimed = entrySeq(row.entry);
    if (claimed !== undefined && claimed <= suspect.seq && claimed >= 1) {
      const before = claimed === 1 ? GENESIS_HASH.toString('hex') : this.#recentOrUndefined(claimed - 1);
      if (before === row.prevHash) {
        this.#fail(
          claimed,
          'inserted',
          `entries from seq ${claimed} were inserted (entry ${row.seq} was written as ${claimed})`,
        );
      }
    }
    if (row.prevHash === suspect.hash) {
      // The next entry still chains to what the checkpoint signed: exactly that entry changed.
      this.#fail(suspect.seq, 'altered', `entry ${suspect.seq} was rewritten (it no longer matches its checkpoint)`);
    }
    this.#fail(suspect.from, 'altered', rewrittenMessage(suspect.from, suspect.seq));
  }

  /** A row whose hashed text names another seq: classify how it got here. */
  #misplaced(row: StoredEntryRow, claimed: number, page: readonly StoredEntryTuple[], index: number): never {
    const s = row.seq;
    if (Number.isInteger(claimed) && claimed < s && claimed >= 1) {
      // Entries were pushed down: if it still links to the entry before its original seq,
      // the ones from `claimed` on are the inserted ones.
      const before = claimed === 1 ? GENESIS_HASH.toString('hex') : this.#recentOrUndefined(claimed - 1);
      const from = before === row.prevHash ? claimed : s;
      this.#fail(from, 'inserted', `entries from seq ${from} were inserted (entry ${s} was written as ${claimed})`);
    }
    if (Number.isInteger(claimed) && claimed > s) {
      // The original entry for this seq further on means a swap; its absence, a deletion with renumbering.
      for (let j = index + 1; j < page.length && j <= index + 64; j++) {
        if (entrySeq((page[j] as StoredEntryTuple)[ENTRY]) === s) {
          this.#fail(s, 'reordered', `entry ${s} was moved (entries ${s} and ${claimed} are out of order)`);
        }
      }
      this.#fail(s, 'deleted', `entries from seq ${s} were removed and the rest renumbered`);
    }
    this.#fail(s, 'altered', `entry ${s} names another seq`);
  }

  #columns(row: StoredEntryRow, doc: Record<string, unknown>): void {
    const actor = doc['actor'] as Record<string, unknown> | undefined;
    const ids = (doc['patientIds'] as unknown[] | undefined) ?? [];
    const wrong =
      Date.parse(doc['at'] as string) * 1000 !== row.atUs
        ? 'at'
        : actor?.['id'] !== row.actorId
          ? 'actor_id'
          : doc['action'] !== row.action
            ? 'action'
            : doc['event'] !== row.event
              ? 'event'
              : doc['outcome'] !== row.outcome
                ? 'outcome'
                : ids.length !== row.patientIds.length || ids.some((id, i) => id !== row.patientIds[i])
                  ? 'patient_ids'
                  : undefined;
    if (wrong !== undefined)
      this.#fail(row.seq, 'altered', `entry ${row.seq}: the ${wrong} column disagrees with the hashed entry`);
  }

  #checkpoint(cp: StoredCheckpointRow): void {
    const key = this.#keys.get(cp.keyId);
    if (key === undefined)
      this.#fail(cp.seq, 'bad-signature', `checkpoint at seq ${cp.seq} names an unknown signing key`);
    if (this.#trusted !== undefined && !this.#trusted.has(key.fingerprint)) {
      this.#fail(
        cp.seq,
        'untrusted-key',
        `checkpoint at seq ${cp.seq} is signed by key ${cp.keyId}, which is not pinned`,
      );
    }
    const atIso = cp.atUs % 1000 === 0 ? new Date(cp.atUs / 1000).toISOString() : `${cp.atUs}us`;
    if (!verifySignature(null, checkpointMessage(cp.seq, cp.hash, atIso), key.key, cp.signature)) {
      this.#fail(cp.seq, 'bad-signature', `checkpoint at seq ${cp.seq} has an invalid signature`);
    }
    if (cp.hash !== this.#prevHex) {
      // Validly signed, but the entries no longer hash to it: some entry after the previous
      // checkpoint was rewritten (or inserted). The next row says which, if anything can.
      this.#suspect = { seq: cp.seq, hash: cp.hash, from: Math.min(cp.seq, this.#lastCheckpoint + 1) };
    }
    this.#usedKeys.add(cp.keyId);
    this.#lastCheckpoint = cp.seq;
    this.#checkpoints++;
  }
}

/**
 * Whether the query columns agree with the canonical entry text, by matching the fragments the
 * writer's canonical JSON puts in a fixed order (keys sorted). Every fragment holds raw quotes,
 * which cannot occur inside a JSON string, so a match is a real key and value. A false "no"
 * (for text this writer would never produce) only sends the row to the exact, parsing check.
 * The hot path of verification: it compares the columns' JSON text (`columns`, see
 * `StoredEntryTuple`) with the entry's in place, building no strings. Equal JSON texts are equal
 * values; a value the two encoders escape differently only takes the slow path.
 */
function columnsMatch(seq: number, e: string, c: string): boolean {
  // [atUs, "actorId", "action", "event", "outcome", [patientIds]]
  if (c.charCodeAt(0) !== 91 || c.charCodeAt(c.length - 1) !== 93) return false;
  let i = 1;
  let atUs = 0;
  for (let ch = c.charCodeAt(i); ch >= 48 && ch <= 57 && i < 17; ch = c.charCodeAt(++i)) atUs = atUs * 10 + (ch - 48);
  if (i === 1 || !c.startsWith(', ', i)) return false;
  const actor = i + 2;
  const actorEnd = jsonStringEnd(c, actor);
  const action = actorEnd + 2;
  const actionEnd = jsonStringEnd(c, action);
  const event = actionEnd + 2;
  const eventEnd = jsonStringEnd(c, event);
  const outcome = eventEnd + 2;
  const outcomeEnd = jsonStringEnd(c, outcome);
  if (actorEnd < 0 || actionEnd < 0 || eventEnd < 0 || outcomeEnd < 0 || !c.startsWith(', [', outcomeEnd)) return false;
  const ids = outcomeEnd + 2;
  const idsEnd = c.length - 1;

  // {"action":"…","actor":{"authMethod":"…","id":"…","kind":"…
  if (!e.startsWith('{"action":', 0)) return false;
  let p = sameAt(e, 10, c, action, actionEnd);
  if (p < 0 || !e.startsWith(',"actor":{"authMethod":"', p)) return false;
  p = e.indexOf('"', p + 24);
  if (p < 0 || !e.startsWith(',"id":', p + 1)) return false;
  p = sameAt(e, p + 7, c, actor, actorEnd);
  if (p < 0 || !e.startsWith(',"kind":"', p)) return false;
  p = e.indexOf('},"at":"', p + 9);
  if (p < 0 || e.charCodeAt(p + 32) !== 34 || isoMillisAt(e, p + 8) * 1000 !== atUs) return false;
  p = e.indexOf(',"event":', p + 33);
  if (p < 0) return false;
  p = sameAt(e, p + 9, c, event, eventEnd);
  if (p < 0 || e.charCodeAt(p) !== 44) return false;
  p = e.indexOf(',"outcome":', p);
  if (p < 0) return false;
  p = sameAt(e, p + 11, c, outcome, outcomeEnd);
  if (p < 0 || e.charCodeAt(p) !== 44) return false;
  if (idsEnd - ids === 2) {
    // "[]": the writer leaves patientIds out.
    if (c.charCodeAt(ids + 1) !== 93 || e.includes(',"patientIds":', p)) return false;
  } else {
    if (!e.startsWith(',"patientIds":', p)) return false;
    p = sameAt(e, p + 14, c, ids, idsEnd);
    if (p < 0 || e.charCodeAt(p) !== 44) return false;
  }
  p = e.indexOf(',"seq":', p);
  if (p < 0) return false;
  // The digits in place, then ',' or '}' after them.
  let n = 0;
  let q = p + 7;
  for (let ch = e.charCodeAt(q); ch >= 48 && ch <= 57 && q < p + 23; ch = e.charCodeAt(++q)) n = n * 10 + (ch - 48);
  if (q === p + 7 || (e.charCodeAt(p + 7) === 48 && q > p + 8) || n !== seq) return false;
  const after = e.charCodeAt(q);
  return after === 44 || after === 125; // ',' or '}'
}

/** The index after the JSON string literal that starts at `i` in `c` (escapes skipped); -1 if none does. */
function jsonStringEnd(c: string, i: number): number {
  if (i < 0 || c.charCodeAt(i) !== 34) return -1;
  for (let j = i + 1; j < c.length; j++) {
    const ch = c.charCodeAt(j);
    if (ch === 92) j++;
    else if (ch === 34) return j + 1;
  }
  return -1;
}

/** Whether `e` holds `c[from, to)` at `p`: the index after it if so, -1 if not. */
function sameAt(e: string, p: number, c: string, from: number, to: number): number {
  if (p + to - from > e.length) return -1;
  for (let i = from, j = p; i < to; i++, j++) if (e.charCodeAt(j) !== c.charCodeAt(i)) return -1;
  return p + to - from;
}

/** The last timestamp parsed, reused for the next entries of the same millisecond (most of a busy log). */
let lastAt = '';
let lastAtMs = NaN;

/** Date.parse of the 24 characters at `p` (an ISO-8601 time with milliseconds). */
function isoMillisAt(e: string, p: number): number {
  if (lastAt !== '' && e.startsWith(lastAt, p)) return lastAtMs;
  lastAt = e.slice(p, p + 24);
  lastAtMs = Date.parse(lastAt);
  return lastAtMs;
}

function rewrittenMessage(from: number, to: number): string {
  return `entries ${from} to ${to} were rewritten (they no longer match the checkpoint at seq ${to})`;
}

function entrySeq(entry: string): number | undefined {
  try {
    const v = (JSON.parse(entry) as Record<string, unknown>)['seq'];
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}
