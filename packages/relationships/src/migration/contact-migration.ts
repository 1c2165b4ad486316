/**
 * @module `steward contacts import`: migrates a practice's contacts, relationships and notes into
 * the graph, governed and audited, and ends with a reconciliation report.
 *
 * - Needs `phi.write` at the site. Each landed record is one `transact` unit of the audit log: the
 *   party (or relationship), all its notes (one multi-row insert), its source record (status +
 *   content hash + sealed provenance snapshot) and one `phi.create`/`phi.update` audit entry commit
 *   together or not at all; units are pipelined so the audit log group-commits many per
 *   transaction. A record that cannot land is listed with its notes, never half-imported.
 * - Idempotent and resumable: a source record already filed with the same content hash is not
 *   written again; a run that stopped (crash, kill -9) is found again by the export's digest and
 *   continued, and counts what it landed before the crash as its own.
 * - De-duplication by blind indexes only: same name + birth date AND a shared phone or email is
 *   the same person (merged: the duplicate's notes and provenance join the first); same name +
 *   birth date alone, or a shared email alone, lands a separate person and files a review item.
 *
 * - Fix-and-rerun converges: notes that became valid since an earlier run (a fixed notes file) join
 *   the contact or relationship that landed before (rerun.ts), and the record is then unchanged.
 * - `dryRun` plans everything the same way and writes nothing: the report a commit would give.
 *
 * Known limits: a source record whose own fields changed since an earlier import is listed, not
 * updated; a merged duplicate's demographics are kept as its provenance snapshot, not folded into
 * the person; the whole source is held in memory.
 */
import { newId, systemClock, toStewardError, type Clock, type RequestContext } from '@steward/core';
import type { Database } from '@steward/store';
import type { FieldCipher, PolicyDecisionPoint, TransactionalAudit } from '@steward/governance';
import {
  entityKind,
  GraphRows,
  matchDigests,
  sourceKeyDigest,
  type NewNote,
  type NewParty,
  type SourceRecordRow,
} from '../graph/index.js';
import { AlreadyFiled, BatchWriter, PreviewWriter, type RecordWriter } from './batch-writer.js';
import type { RelationshipTypeCatalog } from '../model/type-catalog.js';
import type { Note, PartyKind, Provenance } from '../model/types.js';
import {
  contactSnapshot,
  contentHash,
  noteContent,
  relationshipSnapshot,
  storedNoteContent,
  type Snapshot,
} from './content.js';
import { notesDelta, sameRecord } from './rerun.js';
import {
  normalizeSource,
  type Listed,
  type SourceContact,
  type SourceNote,
  type SourceRelationship,
} from './normalize.js';
import { balanced, type KindCounts, type ReconciliationReport, type ReviewItem } from './report.js';
import type { ContactSource } from './source-reader.js';
import { HashCheck } from './verify.js';

export interface ImportProgress {
  readonly phase: 'contacts' | 'relationships' | 'verify';
  readonly done: number;
  readonly total: number;
}

export interface ImportOptions {
  readonly site: string;
  readonly onProgress?: (p: ImportProgress) => void;
  /** Records per write batch. Default: up to 500 records, closed early at 2,000 notes. */
  readonly batchSize?: number;
  /** Plan and report, write nothing (the report says `preview`). */
  readonly dryRun?: boolean;
}

interface Tally {
  created: number;
  merged: number;
  updated: number;
  unchanged: number;
  notImported: number;
}

const tally = (): Tally => ({ created: 0, merged: 0, updated: 0, unchanged: 0, notImported: 0 });

export class ContactMigration {
  private readonly rows: GraphRows;

  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: TransactionalAudit,
    private readonly types: RelationshipTypeCatalog,
    private readonly clock: Clock = systemClock,
  ) {
    this.rows = new GraphRows(cipher);
  }

  async run(ctx: RequestContext, source: ContactSource, options: ImportOptions): Promise<ReconciliationReport> {
    const { site } = options;
    const preview = options.dryRun === true;
    const system = source.mapping.source;
    const decision = await this.policy.enforce(ctx, 'phi.write', { site, entity: { kind: 'ContactImport', id: site } });
    const types = await this.types.forSite(site);
    const normalized = normalizeSource(source, types);
    const listed: Listed[] = [...normalized.listed];
    const run = preview
      ? { id: newId(), resumed: false }
      : await this.rows.openRun(
          this.db,
          site,
          this.cipher.blindIndex('rel.import-source', source.digest),
          this.clock.now(),
        );
    const index = await this.rows.matchIndex(this.db, site);
    const filed = await this.rows.sourceRecords(this.db, site);
    const kinds = await this.rows.partyKinds(this.db, site);
    const counts = { contacts: tally(), relationships: tally(), notes: tally() };
    // Every record this run landed or found filed, re-checked against the store (verify.ts).
    const touched = new HashCheck(this.db, this.cipher, site, !preview && this.db.kind === 'postgres');
    /** Source contact key → the party it landed as (or joined). */
    const partyOf = new Map<string, string>();
    const previewer = preview ? new PreviewWriter() : undefined;
    const writer: RecordWriter =
      previewer ??
      new BatchWriter(
        this.rows,
        this.audit,
        site,
        run.id,
        () => this.clock.now(),
        options.batchSize ?? 500,
        4,
        // By default a batch is ~2,000 notes (100 contacts of 20) or 500 records without many notes
        // (relationships): a transaction's fixed costs are paid per batch, not per 100 records.
        options.batchSize !== undefined ? Number.POSITIVE_INFINITY : 2_000,
      );
    // Each record's key and snapshot, and its hash: made here for records filed before (to find
    // those filed with another hash, whose stored side is read now: rerun.ts), and for the others
    // when the record is planned, so hashing overlaps the writes of the batches before it.
    const keyed = <R extends SourceContact | SourceRelationship>(kind: 'contact' | 'relationship', r: R) => {
      const snapshot =
        kind === 'contact' ? contactSnapshot(r as SourceContact) : relationshipSnapshot(r as SourceRelationship);
      const key = sourceKeyDigest(this.cipher, system, kind, r.key);
      let hash: Buffer | undefined;
      return { r, key, snapshot, hash: () => (hash ??= contentHash(this.cipher, snapshot, r.notes.map(noteContent))) };
    };
    const plannedContacts = normalized.contacts.map((c) => keyed('contact', c));
    const plannedRelationships = normalized.relationships.map((r) => keyed('relationship', r));
    const stale = [...plannedContacts, ...plannedRelationships].flatMap((p) => {
      const existing = filed.get(p.key.toString('hex'));
      return existing !== undefined && !existing.contentHash.equals(p.hash()) ? [p.key] : [];
    });
    const stored = await this.storedSide(site, stale);
    const keyedByRow = source.mapping.notes?.id === undefined;
    const base = { actor: ctx.actor, outcome: 'success' as const, site, purposeOfUse: decision.purposeOfUse };
    const provenance = (key: string, file: string, row: number): Provenance => ({
      system,
      id: key,
      location: `${file}:${row}`,
      importRunId: run.id,
    });
    const noteRows = (
      notes: readonly SourceNote[],
      target: { partyId: string } | { relationshipId: string },
      origin: Buffer,
    ): NewNote[] =>
      notes.map((n) => ({
        site,
        ...target,
        sourceKey: sourceKeyDigest(this.cipher, system, 'note', n.key),
        originKey: origin,
        data: {
          text: n.text,
          author: n.author,
          authoredAt: n.authoredAt,
          provenance: provenance(n.key, n.file, n.row),
        },
      }));
    const listWithNotes = (
      kind: 'contact' | 'relationship',
      r: SourceContact | SourceRelationship,
      reason: string,
    ): void => {
      listed.push({ kind, file: r.file, row: r.row, reason });
      for (const n of r.notes)
        listed.push({ kind: 'note', file: n.file, row: n.row, reason: `its ${kind} was not imported` });
      counts[kind === 'contact' ? 'contacts' : 'relationships'].notImported++;
      counts.notes.notImported += r.notes.length;
    };
    /**
     * True when the record is already filed: then it is counted, and not written again, except for
     * notes that joined it since (landed on its party or relationship, with the record's hash updated).
     */
    const alreadyFiled = async (
      kind: 'contact' | 'relationship',
      r: SourceContact | SourceRelationship,
      key: Buffer,
      hash: Buffer,
      snapshot: Snapshot,
    ): Promise<boolean> => {
      const existing = filed.get(key.toString('hex'));
      if (existing === undefined) return false;
      if (kind === 'contact' && existing.partyId !== undefined) partyOf.set(r.key, existing.partyId);
      const bucket = counts[kind === 'contact' ? 'contacts' : 'relationships'];
      if (existing.contentHash.equals(hash)) {
        touched.add(existing);
        const how = existing.runId !== run.id ? 'unchanged' : existing.status === 'merged' ? 'merged' : 'created';
        bucket[how]++;
        counts.notes[how] += r.notes.length;
        return true;
      }
      const was = stored.get(key.toString('hex'));
      const storedNotes = (was?.notes ?? []).map(storedNoteContent);
      const same = sameRecord(snapshot, was?.snapshot);
      const delta = notesDelta(r.notes, storedNotes, keyedByRow);
      if (!same) {
        listed.push({
          kind,
          file: r.file,
          row: r.row,
          reason: 'changed since an earlier import: review it in the source (re-import does not update)',
        });
        bucket.notImported++;
      }
      for (const n of delta.changed)
        listed.push({
          kind: 'note',
          file: n.file,
          row: n.row,
          reason: 'changed since an earlier import: review it in the source (re-import does not update a note)',
        });
      counts.notes.notImported += delta.changed.length;
      counts.notes.unchanged += delta.unchanged.length;
      const target =
        existing.partyId !== undefined
          ? { partyId: existing.partyId }
          : existing.relationshipId !== undefined
            ? { relationshipId: existing.relationshipId }
            : undefined;
      if (delta.added.length === 0 || was?.snapshot === undefined || target === undefined) {
        if (same) bucket.unchanged++;
        for (const n of delta.added)
          listed.push({
            kind: 'note',
            file: n.file,
            row: n.row,
            reason: 'its record was filed without a snapshot to add it to',
          });
        counts.notes.notImported += delta.added.length;
        touched.add(existing);
        return true;
      }
      const notes = [...storedNotes, ...delta.added.map(noteContent)];
      const record: SourceRecordRow = {
        ...existing,
        contentHash: contentHash(this.cipher, was.snapshot, notes),
        noteCount: notes.length,
      };
      const id = existing.partyId ?? existing.relationshipId ?? '';
      await writer.add({
        notes: noteRows(delta.added, target, key),
        record,
        replaces: existing.contentHash,
        snapshot: was.snapshot,
        reviews: [],
        audit: {
          ...base,
          event: 'phi.update',
          action: 'U',
          entity: { kind: kind === 'relationship' ? 'Relationship' : entityKind(kinds.get(id) ?? 'person'), id },
          patientIds: [id],
          fields: ['notes'],
          reason: `import:notes-added:${delta.added.length}`,
        },
        landed: () => {
          touched.add(record);
          if (same) bucket.updated++;
          counts.notes.created += delta.added.length;
        },
        failed: (e) => {
          touched.add(existing);
          if (same) bucket.unchanged++;
          for (const n of delta.added)
            listed.push({ kind: 'note', file: n.file, row: n.row, reason: failureReason(e) });
          counts.notes.notImported += delta.added.length;
        },
      });
      return true;
    };
    let done = 0;
    const progress = (phase: ImportProgress['phase'], total: number, n = 1): void => {
      done += n;
      options.onProgress?.({ phase, done, total });
    };
    const landedAs =
      (kind: 'contact' | 'relationship', record: SourceRecordRow, noteCount: number, total: number) => () => {
        touched.add(record);
        const how = record.status === 'merged' ? 'merged' : 'created';
        counts[kind === 'contact' ? 'contacts' : 'relationships'][how]++;
        counts.notes[how] += noteCount;
        progress(kind === 'contact' ? 'contacts' : 'relationships', total);
      };

    // Phase 1: people and organizations, each with its notes.
    const contactTotal = normalized.contacts.length;
    for (const planned of plannedContacts) {
      if (writer.fatal !== undefined) break;
      const { r: c, key, snapshot } = planned;
      const hash = planned.hash();
      if (await alreadyFiled('contact', c, key, hash, snapshot)) {
        progress('contacts', contactTotal);
        continue;
      }
      const match = matchDigests(this.cipher, c.kind, { ...c.data, provenance: [] });
      const hits = (field: string): string[] =>
        match
          .filter((m) => m.field === field)
          .flatMap((m) => index.get(`${m.field}:${m.digest.toString('hex')}`) ?? []);
      const byName = [...hits('name_dob'), ...hits('org_name')];
      const byContact = new Set([...hits('phone'), ...hits('email')]);
      const same = byName.find((id) => byContact.has(id));
      const partyId = same ?? newId();
      const record: SourceRecordRow = {
        sourceKey: key,
        kind: 'contact',
        status: same !== undefined ? 'merged' : 'landed',
        contentHash: hash,
        partyId,
        relationshipId: undefined,
        runId: run.id,
        noteCount: c.notes.length,
      };
      const reviews: ReviewItem[] = [];
      let party: NewParty | undefined;
      if (same === undefined) {
        for (const m of match) {
          const k = `${m.field}:${m.digest.toString('hex')}`;
          for (const other of index.get(k) ?? []) {
            if (m.field === 'name_dob' || m.field === 'org_name')
              reviews.push({
                partyId,
                candidateId: other,
                reason: 'same name and birth date, different contact details',
              });
            else if (m.field === 'email' && !byName.includes(other))
              reviews.push({ partyId, candidateId: other, reason: 'same email, different name or birth date' });
          }
          index.set(k, [...(index.get(k) ?? []), partyId]);
        }
        kinds.set(partyId, c.kind);
        party = {
          id: partyId,
          site,
          kind: c.kind,
          data: { ...c.data, provenance: [provenance(c.key, c.file, c.row)] },
          match,
        };
      }
      partyOf.set(c.key, partyId);
      const fields =
        same !== undefined ? ['notes', 'provenance'] : Object.keys(c.data).concat(c.notes.length > 0 ? ['notes'] : []);
      await writer.add({
        ...(party !== undefined ? { party } : {}),
        notes: noteRows(c.notes, { partyId }, key),
        record,
        snapshot,
        reviews,
        audit: {
          ...base,
          event: same !== undefined ? 'phi.update' : 'phi.create',
          action: same !== undefined ? 'U' : 'C',
          entity: { kind: entityKind(c.kind), id: partyId },
          patientIds: [partyId],
          fields,
          reason: `import:${same !== undefined ? 'merged:' : ''}notes:${c.notes.length}`,
        },
        landed: landedAs('contact', record, c.notes.length, contactTotal),
        failed: (e) => {
          partyOf.delete(c.key);
          listWithNotes('contact', c, failureReason(e));
          progress('contacts', contactTotal);
        },
      });
    }
    await writer.drain();
    writer.throwIfFatal();

    // Phase 2: relationships, resolved across rows (and across earlier imports), each with its notes.
    done = 0;
    const resolve = (contactKey: string): string | undefined =>
      partyOf.get(contactKey) ??
      filed.get(sourceKeyDigest(this.cipher, system, 'contact', contactKey).toString('hex'))?.partyId;
    const relTotal = normalized.relationships.length;
    for (const planned of plannedRelationships) {
      if (writer.fatal !== undefined) break;
      const { r, key, snapshot } = planned;
      const hash = planned.hash();
      if (await alreadyFiled('relationship', r, key, hash, snapshot)) {
        progress('relationships', relTotal);
        continue;
      }
      const from = resolve(r.from);
      const to = resolve(r.to);
      const t = types.get(r.type);
      const problem =
        from === undefined
          ? 'broken reference: the `from` contact is unknown or was not imported'
          : to === undefined
            ? 'broken reference: the `to` contact is unknown or was not imported'
            : from === to
              ? 'both ends are the same person (after de-duplication)'
              : t !== undefined && !kindFits(t.fromKind, kinds.get(from))
                ? `the type expects a ${t.fromKind} at \`from\``
                : t !== undefined && !kindFits(t.toKind, kinds.get(to))
                  ? `the type expects a ${t.toKind} at \`to\``
                  : undefined;
      if (problem !== undefined || from === undefined || to === undefined) {
        listWithNotes('relationship', r, problem ?? 'broken reference');
        progress('relationships', relTotal);
        continue;
      }
      const id = newId();
      const record: SourceRecordRow = {
        sourceKey: key,
        kind: 'relationship',
        status: 'landed',
        contentHash: hash,
        partyId: undefined,
        relationshipId: id,
        runId: run.id,
        noteCount: r.notes.length,
      };
      await writer.add({
        relationship: {
          id,
          site,
          type: r.type,
          fromPartyId: from,
          toPartyId: to,
          ...(r.validFrom !== undefined ? { validFrom: r.validFrom } : {}),
          ...(r.validTo !== undefined ? { validTo: r.validTo } : {}),
          permissions: r.permissions,
          provenance: provenance(r.key, r.file, r.row),
        },
        notes: noteRows(r.notes, { relationshipId: id }, key),
        record,
        snapshot,
        reviews: [],
        audit: {
          ...base,
          event: 'phi.create',
          action: 'C',
          entity: { kind: 'Relationship', id },
          patientIds: [from, to],
          fields: ['type', 'period', 'permissions', ...(r.notes.length > 0 ? ['notes'] : [])],
          reason: `import:notes:${r.notes.length}`,
        },
        landed: landedAs('relationship', record, r.notes.length, relTotal),
        failed: (e) => {
          listWithNotes('relationship', r, failureReason(e));
          progress('relationships', relTotal);
        },
      });
    }
    await writer.drain();
    writer.throwIfFatal();

    // Phase 3: recompute every record's content hash from what is stored (nothing was, in a preview).
    const hashCheck = preview
      ? { checked: 0, mismatched: [] }
      : await touched.finish((d, total) => options.onProgress?.({ phase: 'verify', done: d, total }));
    for (const l of normalized.listed)
      counts[l.kind === 'contact' ? 'contacts' : l.kind === 'relationship' ? 'relationships' : 'notes'].notImported++;
    const kc = (k: keyof typeof counts, n: number): KindCounts => ({ in: n, ...counts[k] });
    const contacts = kc('contacts', normalized.counts.contacts);
    const relationships = kc('relationships', normalized.counts.relationships);
    const notes = kc('notes', normalized.counts.notes);
    const reviews = previewer !== undefined ? previewer.reviews : await this.rows.reviewsOfRun(this.db, run.id);
    const report: ReconciliationReport = {
      runId: run.id,
      site,
      sourceSystem: system,
      preview,
      resumed: run.resumed,
      contacts,
      relationships,
      notes,
      notImported: listed.sort((a, b) => a.file.localeCompare(b.file) || a.row - b.row),
      reviews,
      hashCheck,
      reconciled: balanced(contacts) && balanced(relationships) && balanced(notes) && hashCheck.mismatched.length === 0,
    };
    const summary = `created:${contacts.created}/${relationships.created}/${notes.created} merged:${contacts.merged} updated:${contacts.updated}/${relationships.updated} unchanged:${contacts.unchanged}/${relationships.unchanged}/${notes.unchanged} not_imported:${listed.length} reviews:${reviews.length}`;
    if (preview) {
      // A preview read the site's match digests and the notes of records filed before: audited as a read.
      await this.audit.append({
        ...base,
        event: 'phi.read',
        action: 'R',
        entity: { kind: 'ContactImport', id: site },
        reason: `import-preview:${summary}`.slice(0, 200),
      });
      return report;
    }
    await this.audit.transact(
      (tx) => this.rows.finishRun(tx, run.id, { ...report, notImported: report.notImported.length }, this.clock.now()),
      () => [
        {
          ...base,
          event: 'contacts.imported',
          action: 'C',
          entity: { kind: 'ContactImport', id: run.id },
          reason: summary.slice(0, 200),
        },
      ],
    );
    return report;
  }

  /** The stored snapshots and notes of filed records, by source key (hex), a batch at a time. */
  private async storedSide(
    site: string,
    keys: readonly Buffer[],
  ): Promise<Map<string, { snapshot: Snapshot | undefined; notes: Note[] }>> {
    const out = new Map<string, { snapshot: Snapshot | undefined; notes: Note[] }>();
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500);
      const snapshots = await this.rows.snapshots(this.db, site, batch);
      const notes = await this.rows.notesByOrigin(this.db, batch, site);
      for (const k of batch) {
        const hex = k.toString('hex');
        out.set(hex, { snapshot: snapshots.get(hex) as Snapshot | undefined, notes: notes.get(hex) ?? [] });
      }
    }
    return out;
  }
}

function failureReason(e: unknown): string {
  if (e instanceof AlreadyFiled) return 'imported concurrently by another run';
  const pg = (e as { code?: unknown }).code;
  if (typeof pg === 'string' && /^[0-9A-Z]{5}$/.test(pg)) {
    if (pg === '23503') return 'a record it depends on was not imported';
    return `the store refused it (SQLSTATE ${pg})`;
  }
  // Never the message: a store error can quote values.
  return `not written (${toStewardError(e).code})`;
}

function kindFits(expected: PartyKind | 'any', actual: PartyKind | undefined): boolean {
  return expected === 'any' || actual === undefined || expected === actual;
}
