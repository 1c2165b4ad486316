/**
 * @module The reconciliation's per-record check: for every source record an import landed (or
 * found already landed), read back what is stored (its provenance snapshot, its party or
 * relationship, and every note that came with it), recompute the content hash and compare it with
 * the hash computed from the source before writing.
 *
 * `HashCheck` does this while the import still writes (PostgreSQL): a record is checked once it is
 * committed, 500 at a time on another connection, so the read-back overlaps the writes of later
 * batches instead of following them all. Records an import lands are not written again later in
 * the same run (a merge lands the duplicate's own record), so checking early checks what is
 * stored at the end. On the embedded store (one connection, one thread) the check runs at the end.
 */
import { canonicalJson, type FieldCipher } from '@steward/governance';
import type { Database } from '@steward/store';
import { GraphRows, type SourceRecordRow } from '../graph/index.js';
import { contentHash, storedNoteContent, type Snapshot } from './content.js';
import type { HashMismatch } from './report.js';

const BATCH = 500;

export interface HashCheckResult {
  readonly checked: number;
  readonly mismatched: HashMismatch[];
}

export class HashCheck {
  #pending: SourceRecordRow[] = [];
  #queue: SourceRecordRow[][] = [];
  #chain: Promise<void> = Promise.resolve();
  #checked = 0;
  readonly #mismatched: HashMismatch[] = [];
  #failure: { error: unknown } | undefined;
  #total = 0;

  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
    private readonly site: string,
    /** Check while the import writes (PostgreSQL), or only in `finish`. */
    private readonly background: boolean,
  ) {}

  /** A record that is stored (committed, or filed by an earlier run). */
  add(r: SourceRecordRow): void {
    this.#total++;
    this.#pending.push(r);
    if (this.#pending.length < BATCH) return;
    this.#queue.push(this.#pending);
    this.#pending = [];
    if (this.background) this.#next();
  }

  #next(): void {
    const batch = this.#queue.shift();
    if (batch === undefined) return;
    this.#chain = this.#chain
      .then(() => this.#check(batch))
      .catch((error: unknown) => {
        this.#failure ??= { error };
      });
  }

  /** Checks what is left; throws the first store failure of a background check. */
  async finish(onProgress?: (done: number, total: number) => void): Promise<HashCheckResult> {
    if (this.#pending.length > 0) this.#queue.push(this.#pending);
    this.#pending = [];
    await this.#chain;
    onProgress?.(this.#checked, this.#total);
    for (let batch = this.#queue.shift(); batch !== undefined; batch = this.#queue.shift()) {
      if (this.#failure !== undefined) break;
      await this.#check(batch);
      onProgress?.(this.#checked, this.#total);
    }
    if (this.#failure !== undefined) throw this.#failure.error;
    return { checked: this.#checked, mismatched: this.#mismatched };
  }

  async #check(batch: readonly SourceRecordRow[]): Promise<void> {
    if (this.#failure !== undefined) return;
    const r = await verifyHashes(this.db, this.cipher, this.site, batch);
    this.#checked += r.checked;
    this.#mismatched.push(...r.mismatched);
  }
}

export async function verifyHashes(
  db: Database,
  cipher: FieldCipher,
  site: string,
  records: readonly SourceRecordRow[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ checked: number; mismatched: HashMismatch[] }> {
  const rows = new GraphRows(cipher);
  const mismatched: HashMismatch[] = [];
  let checked = 0;
  for (let i = 0; i < records.length; i += BATCH) {
    const batch = records.slice(i, i + BATCH);
    const keys = batch.map((r) => r.sourceKey);
    const snapshots = await rows.snapshots(db, site, keys);
    const notes = await rows.notesByOrigin(db, keys, site);
    const parties = new Map(
      (
        await rows.parties(
          db,
          batch
            .filter((r) => r.kind === 'contact' && r.status === 'landed')
            .flatMap((r) => (r.partyId !== undefined ? [r.partyId] : [])),
        )
      ).map((p) => [p.id, p]),
    );
    const relationships = await rows.relationshipsById(
      db,
      batch.flatMap((r) => (r.relationshipId !== undefined ? [r.relationshipId] : [])),
    );
    for (const r of batch) {
      checked++;
      const hex = r.sourceKey.toString('hex');
      const snapshot = snapshots.get(hex) as Snapshot | undefined;
      const targetId = r.partyId ?? r.relationshipId ?? '';
      const bad = (): void =>
        void mismatched.push({ kind: r.kind, location: snapshot?.location ?? '(no snapshot)', targetId });
      if (snapshot === undefined) {
        bad();
        continue;
      }
      const stored = (notes.get(hex) ?? []).map(storedNoteContent);
      if (stored.length !== r.noteCount || !contentHash(cipher, snapshot, stored).equals(r.contentHash)) {
        bad();
        continue;
      }
      if (snapshot.kind === 'contact' && r.status === 'landed') {
        const party = r.partyId !== undefined ? parties.get(r.partyId) : undefined;
        const data: Record<string, unknown> = { ...(party?.data ?? {}) };
        delete data['provenance'];
        if (
          party === undefined ||
          party.kind !== snapshot.partyKind ||
          canonicalJson(data) !== canonicalJson(snapshot.data)
        )
          bad();
      } else if (snapshot.kind === 'relationship') {
        const rel = r.relationshipId !== undefined ? relationships.get(r.relationshipId) : undefined;
        if (
          rel === undefined ||
          rel.type !== snapshot.type ||
          (rel.validFrom ?? null) !== snapshot.validFrom ||
          (rel.validTo ?? null) !== snapshot.validTo ||
          canonicalJson(rel.permissions) !== canonicalJson(snapshot.permissions)
        )
          bad();
      }
    }
    onProgress?.(checked, records.length);
  }
  return { checked, mismatched };
}
