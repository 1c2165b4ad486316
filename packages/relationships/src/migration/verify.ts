/**
 * @module The reconciliation's per-record check: for every source record an import landed (or
 * found already landed), read back what is stored (its provenance snapshot, its party or
 * relationship, and every note that came with it), recompute the content hash and compare it with
 * the hash computed from the source before writing.
 */
import { canonicalJson, type FieldCipher } from '@steward/governance';
import type { Database } from '@steward/store';
import { GraphRows, type SourceRecordRow } from '../graph/index.js';
import { contentHash, storedNoteContent, type Snapshot } from './content.js';
import type { HashMismatch } from './report.js';

const BATCH = 500;

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
