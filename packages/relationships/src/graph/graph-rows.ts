/**
 * @module The one place that speaks SQL to the graph's tables (scripts/check-boundaries.mjs lists
 * them as PHI tables owned by this folder). It seals on the way in and opens on the way out with
 * row-bound contexts; it decides nothing: policy and audit are the callers' job (ContactGraph,
 * ContactMigration, Authority, GraphExport), which wrap every use of it.
 */
import { newId } from '@steward/core';
import type { Sql } from '@steward/store';
import type { FieldCipher } from '@steward/governance';
import type { Note, NoteData, Party, PartyData, PartyKind, Provenance, Relationship } from '../model/types.js';
import { sealContext, type MatchField } from './codec.js';

export interface NewParty {
  readonly id: string;
  readonly site: string;
  readonly kind: PartyKind;
  readonly data: PartyData;
  readonly match: ReadonlyArray<{ field: MatchField; digest: Buffer }>;
}

export interface NewNote {
  readonly site: string;
  readonly partyId?: string;
  readonly relationshipId?: string;
  readonly sourceKey?: Buffer;
  readonly originKey?: Buffer;
  readonly data: NoteData;
}

export interface NewRelationship {
  readonly id: string;
  readonly site: string;
  readonly type: string;
  readonly fromPartyId: string;
  readonly toPartyId: string;
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly permissions: readonly string[];
  readonly provenance?: Provenance;
}

export interface SourceRecordRow {
  readonly sourceKey: Buffer;
  readonly kind: 'contact' | 'relationship';
  readonly status: 'landed' | 'merged';
  readonly contentHash: Buffer;
  readonly partyId: string | undefined;
  readonly relationshipId: string | undefined;
  readonly runId: string;
  readonly noteCount: number;
}

interface PartyRow {
  id: string;
  site: string;
  kind: PartyKind;
  version: number;
  data_enc: Uint8Array;
  created_at: Date;
}

interface RelationshipRow {
  id: string;
  site: string;
  type: string;
  from_party: string;
  to_party: string;
  valid_from: string | Date | null;
  valid_to: string | Date | null;
  permissions: string[];
  data_enc: Uint8Array;
}

interface NoteRow {
  id: string;
  party_id: string | null;
  relationship_id: string | null;
  data_enc: Uint8Array;
}

/** Rows per multi-row insert: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 1_000;
/** Notes per array insert (a parameter per column): bounds one statement's size. */
const NOTE_CHUNK = 10_000;

/** What one import batch writes (ContactMigration's BatchWriter). */
export interface ImportRows {
  readonly parties: readonly NewParty[];
  readonly relationships: readonly NewRelationship[];
  readonly notes: readonly NewNote[];
  readonly records: ReadonlyArray<{ site: string; row: SourceRecordRow; snapshot: unknown }>;
}

/** Import rows with every sealed column sealed: column values, ready for `insertSealed`. */
export interface SealedRows {
  readonly parties: unknown[][];
  readonly index: unknown[][];
  readonly relationships: unknown[][];
  /** Column arrays (bytes as base64) for one `unnest` insert. */
  readonly notes: {
    id: string[];
    site: string[];
    party: Array<string | null>;
    relationship: Array<string | null>;
    sourceKey: Array<string | null>;
    originKey: Array<string | null>;
    data: string[];
    at: Date | undefined;
  };
  readonly records: unknown[][];
}

function emptySealed(): SealedRows {
  return {
    parties: [],
    index: [],
    relationships: [],
    notes: { id: [], site: [], party: [], relationship: [], sourceKey: [], originKey: [], data: [], at: undefined },
    records: [],
  };
}

/** Several sealed batches as one (their rows in order). */
export function joinSealed(parts: readonly SealedRows[]): SealedRows {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = emptySealed();
  const n = out.notes;
  for (const p of parts) {
    for (const r of p.parties) out.parties.push(r);
    for (const r of p.index) out.index.push(r);
    for (const r of p.relationships) out.relationships.push(r);
    for (const r of p.records) out.records.push(r);
    const m = p.notes;
    for (let i = 0; i < m.id.length; i++) {
      n.id.push(m.id[i] as string);
      n.site.push(m.site[i] as string);
      n.party.push(m.party[i] ?? null);
      n.relationship.push(m.relationship[i] ?? null);
      n.sourceKey.push(m.sourceKey[i] ?? null);
      n.originKey.push(m.originKey[i] ?? null);
      n.data.push(m.data[i] as string);
    }
    n.at ??= m.at;
  }
  return out;
}

const relationshipColumns = `id, site, type, from_party, to_party, to_char(valid_from, 'YYYY-MM-DD') as valid_from,
  to_char(valid_to, 'YYYY-MM-DD') as valid_to, permissions, data_enc`;

export class GraphRows {
  constructor(private readonly cipher: FieldCipher) {}

  async insertParty(tx: Sql, p: NewParty, at: Date): Promise<void> {
    await tx.query(
      `insert into rel_parties (id, site, kind, version, data_enc, created_at, updated_at) values ($1, $2, $3, 1, $4, $5, $5)`,
      [p.id, p.site, p.kind, this.cipher.encrypt(JSON.stringify(p.data), sealContext.party(p.id)), at],
    );
    await this.insertMatch(tx, p.id, p.match);
  }

  /**
   * Seals import rows ahead of their transaction (encryption is the costly part of a write): the
   * caller seals the next batch while the store commits the one before. Several sealed batches
   * can be joined (`joinSealed`) and written by `insertSealed` with one statement per table.
   */
  seal(rows: ImportRows, at: Date): SealedRows {
    const out = emptySealed();
    for (const p of rows.parties) {
      out.parties.push([
        p.id,
        p.site,
        p.kind,
        1,
        this.cipher.encrypt(JSON.stringify(p.data), sealContext.party(p.id)),
        at,
        at,
      ]);
      for (const m of p.match) out.index.push([p.id, m.field, m.digest]);
    }
    for (const r of rows.relationships)
      out.relationships.push([
        r.id,
        r.site,
        r.type,
        r.fromPartyId,
        r.toPartyId,
        r.validFrom ?? null,
        r.validTo ?? null,
        [...r.permissions],
        this.cipher.encrypt(JSON.stringify({ provenance: r.provenance ?? null }), sealContext.relationship(r.id)),
        at,
        at,
      ]);
    const n = out.notes;
    for (const note of rows.notes) {
      const id = newId();
      n.id.push(id);
      n.site.push(note.site);
      n.party.push(note.partyId ?? null);
      n.relationship.push(note.relationshipId ?? null);
      n.sourceKey.push(note.sourceKey !== undefined ? note.sourceKey.toString('base64') : null);
      n.originKey.push(note.originKey !== undefined ? note.originKey.toString('base64') : null);
      n.data.push(this.cipher.encrypt(JSON.stringify(note.data), sealContext.note(id)).toString('base64'));
    }
    n.at = at;
    for (const { site, row: r, snapshot } of rows.records)
      out.records.push([
        site,
        r.sourceKey,
        r.kind,
        r.status,
        r.contentHash,
        r.partyId ?? null,
        r.relationshipId ?? null,
        r.runId,
        this.cipher.encrypt(JSON.stringify(snapshot), sealContext.sourceRecord(r.sourceKey)),
        r.noteCount,
        at,
      ]);
    return out;
  }

  /**
   * Writes sealed rows: parties, their match digests, relationships, notes (one statement over
   * typed arrays, however many), source records. Returns how many source records were new (fewer:
   * another run filed some first).
   */
  async insertSealed(tx: Sql, s: SealedRows): Promise<number> {
    await insertMany(tx, 'rel_parties (id, site, kind, version, data_enc, created_at, updated_at)', s.parties);
    await insertMany(tx, 'rel_party_index (party_id, field, digest)', s.index, 'on conflict do nothing');
    await insertMany(
      tx,
      'rel_relationships (id, site, type, from_party, to_party, valid_from, valid_to, permissions, data_enc, created_at, updated_at)',
      s.relationships,
    );
    const n = s.notes;
    for (let i = 0; i < n.id.length; i += NOTE_CHUNK) {
      const part = <T>(xs: T[]): T[] => (n.id.length <= NOTE_CHUNK ? xs : xs.slice(i, i + NOTE_CHUNK));
      // One parameter per column, not per value: the statement is parsed once for thousands of rows.
      await tx.query(
        `insert into rel_notes (id, site, party_id, relationship_id, source_key, origin_key, data_enc, created_at)
         select id, site, party_id, relationship_id, decode(source_key, 'base64'), decode(origin_key, 'base64'),
                decode(data_enc, 'base64'), $8
           from unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[])
             as t (id, site, party_id, relationship_id, source_key, origin_key, data_enc)`,
        [
          part(n.id),
          part(n.site),
          part(n.party),
          part(n.relationship),
          part(n.sourceKey),
          part(n.originKey),
          part(n.data),
          n.at ?? new Date(),
        ],
      );
    }
    return insertMany(
      tx,
      'rel_source_records (site, source_key, kind, status, content_hash, party_id, relationship_id, run_id, data_enc, note_count, landed_at)',
      s.records,
      'on conflict do nothing',
    );
  }

  async insertNotes(tx: Sql, notes: readonly NewNote[], at: Date): Promise<string[]> {
    const sealed = this.seal({ parties: [], relationships: [], notes, records: [] }, at);
    await this.insertSealed(tx, sealed);
    return sealed.notes.id;
  }

  async insertMatch(tx: Sql, partyId: string, match: NewParty['match']): Promise<void> {
    await insertMany(
      tx,
      'rel_party_index (party_id, field, digest)',
      match.map((m) => [partyId, m.field, m.digest]),
      'on conflict do nothing',
    );
  }

  async insertRelationship(tx: Sql, r: NewRelationship, at: Date): Promise<void> {
    const sealed = this.cipher.encrypt(
      JSON.stringify({ provenance: r.provenance ?? null }),
      sealContext.relationship(r.id),
    );
    await tx.query(
      `insert into rel_relationships (id, site, type, from_party, to_party, valid_from, valid_to, permissions, data_enc, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [
        r.id,
        r.site,
        r.type,
        r.fromPartyId,
        r.toPartyId,
        r.validFrom ?? null,
        r.validTo ?? null,
        [...r.permissions],
        sealed,
        at,
      ],
    );
  }

  /** Files a landed source record; false when it was already filed (another run got there first). */
  async insertSourceRecord(tx: Sql, site: string, r: SourceRecordRow, snapshot: unknown, at: Date): Promise<boolean> {
    const { rowCount } = await tx.query(
      `insert into rel_source_records (site, source_key, kind, status, content_hash, party_id, relationship_id, run_id, data_enc, note_count, landed_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict do nothing`,
      [
        site,
        r.sourceKey,
        r.kind,
        r.status,
        r.contentHash,
        r.partyId ?? null,
        r.relationshipId ?? null,
        r.runId,
        this.cipher.encrypt(JSON.stringify(snapshot), sealContext.sourceRecord(r.sourceKey)),
        r.noteCount,
        at,
      ],
    );
    return rowCount !== 0;
  }

  /** Brings a filed record's hash and note count up to date after notes joined it; false when another run changed it first. */
  async updateSourceRecord(tx: Sql, site: string, r: SourceRecordRow, previousHash: Buffer): Promise<boolean> {
    const { rowCount } = await tx.query(
      `update rel_source_records set content_hash = decode($3, 'base64'), note_count = $4
        where site = $1 and source_key = decode($2, 'base64') and content_hash = decode($5, 'base64')`,
      [
        site,
        r.sourceKey.toString('base64'),
        r.contentHash.toString('base64'),
        r.noteCount,
        previousHash.toString('base64'),
      ],
    );
    return rowCount !== 0;
  }

  async insertReviews(
    tx: Sql,
    site: string,
    runId: string,
    reviews: ReadonlyArray<{ partyId: string; candidateId: string; reason: string }>,
    at: Date,
  ): Promise<void> {
    await insertMany(
      tx,
      'rel_merge_reviews (id, site, party_id, candidate_id, reason, run_id, created_at)',
      reviews.map((r) => [newId(), site, r.partyId, r.candidateId, r.reason, runId, at]),
      'on conflict do nothing',
    );
  }

  // --- reads -------------------------------------------------------------------------------

  async party(sql: Sql, id: string): Promise<Party | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await sql.query<PartyRow>('select * from rel_parties where id = $1', [id]);
    return rows[0] !== undefined ? this.openParty(rows[0]) : undefined;
  }

  async parties(sql: Sql, ids: readonly string[]): Promise<Party[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql.query<PartyRow>('select * from rel_parties where id = any($1::uuid[])', [[...ids]]);
    return rows.map((r) => this.openParty(r));
  }

  /** The parties of a site whose blind index holds this digest for this field (exact matches only). */
  async partiesByMatch(sql: Sql, site: string, field: MatchField, digest: Buffer): Promise<Party[]> {
    const { rows } = await sql.query<PartyRow>(
      `select p.* from rel_parties p join rel_party_index i on i.party_id = p.id
        where p.site = $1 and i.field = $2 and i.digest = $3 order by p.id`,
      [site, field, digest],
    );
    return rows.map((r) => this.openParty(r));
  }

  /** A site's parties in a stable order, a page at a time (export). */
  async partiesOfSite(sql: Sql, site: string, after: string | undefined, limit: number): Promise<Party[]> {
    const { rows } = await sql.query<PartyRow>(
      `select * from rel_parties where site = $1 and ($2::uuid is null or id > $2::uuid) order by id limit $3`,
      [site, after ?? null, limit],
    );
    return rows.map((r) => this.openParty(r));
  }

  async relationshipsOf(sql: Sql, partyId: string): Promise<Relationship[]> {
    const { rows } = await sql.query<RelationshipRow>(
      `select ${relationshipColumns} from rel_relationships where from_party = $1 or to_party = $1 order by created_at, id`,
      [partyId],
    );
    return rows.map((r) => this.openRelationship(r));
  }

  async relationshipsOfSite(sql: Sql, site: string): Promise<Relationship[]> {
    const { rows } = await sql.query<RelationshipRow>(
      `select ${relationshipColumns} from rel_relationships where site = $1 order by id`,
      [site],
    );
    return rows.map((r) => this.openRelationship(r));
  }

  /** Relationships from `fromPartyId` to `toPartyId` that carry `permission` and hold on `onDate`. */
  async carrying(
    sql: Sql,
    fromPartyId: string,
    toPartyId: string,
    permission: string,
    onDate: string,
  ): Promise<Relationship[]> {
    if (!isUuid(fromPartyId) || !isUuid(toPartyId)) return [];
    const { rows } = await sql.query<RelationshipRow>(
      `select ${relationshipColumns} from rel_relationships
        where from_party = $1 and to_party = $2 and $3 = any(permissions)
          and (valid_from is null or valid_from <= $4::date) and (valid_to is null or valid_to > $4::date)`,
      [fromPartyId, toPartyId, permission, onDate],
    );
    return rows.map((r) => this.openRelationship(r));
  }

  async notesOf(sql: Sql, partyIds: readonly string[], relationshipIds: readonly string[]): Promise<Note[]> {
    const { rows } = await sql.query<NoteB64Row>(
      `select id, party_id, relationship_id, encode(data_enc, 'base64') as data_b64 from rel_notes
        where party_id = any($1::uuid[]) or relationship_id = any($2::uuid[])`,
      [[...partyIds], [...relationshipIds]],
    );
    return rows.map((r) => this.openNote(fromB64(r)));
  }

  async notesOfSite(sql: Sql, site: string, after: string | undefined, limit: number): Promise<Note[]> {
    const { rows } = await sql.query<NoteB64Row>(
      `select id, party_id, relationship_id, encode(data_enc, 'base64') as data_b64 from rel_notes
        where site = $1 and ($2::uuid is null or id > $2::uuid) order by id limit $3`,
      [site, after ?? null, limit],
    );
    return rows.map((r) => this.openNote(fromB64(r)));
  }

  /** Notes that landed with the given source records, grouped by origin key (hex). */
  async notesByOrigin(sql: Sql, originKeys: readonly Buffer[], site?: string): Promise<Map<string, Note[]>> {
    const out = new Map<string, Note[]>();
    if (originKeys.length === 0) return out;
    // Source keys do not name the site: the same export imported at two sites has the same keys.
    const { rows } = await sql.query<NoteB64Row & { origin: string }>(
      `select id, party_id, relationship_id, encode(origin_key, 'hex') as origin, encode(data_enc, 'base64') as data_b64
         from rel_notes where origin_key = any($1::bytea[]) and ($2::text is null or site = $2)`,
      [[...originKeys], site ?? null],
    );
    for (const r of rows) {
      const k = r.origin;
      const list = out.get(k) ?? [];
      list.push(this.openNote(fromB64(r)));
      out.set(k, list);
    }
    return out;
  }

  // --- import bookkeeping --------------------------------------------------------------------

  /** Every match digest of a site, as `field:hex` → party ids (de-duplication starts from it). */
  async matchIndex(sql: Sql, site: string): Promise<Map<string, string[]>> {
    const { rows } = await sql.query<{ party_id: string; field: string; digest: Uint8Array }>(
      `select i.party_id, i.field, i.digest from rel_party_index i join rel_parties p on p.id = i.party_id where p.site = $1`,
      [site],
    );
    const out = new Map<string, string[]>();
    for (const r of rows) {
      const k = `${r.field}:${Buffer.from(r.digest).toString('hex')}`;
      const list = out.get(k) ?? [];
      list.push(r.party_id);
      out.set(k, list);
    }
    return out;
  }

  async partyKinds(sql: Sql, site: string): Promise<Map<string, PartyKind>> {
    const { rows } = await sql.query<{ id: string; kind: PartyKind }>(
      'select id, kind from rel_parties where site = $1',
      [site],
    );
    return new Map(rows.map((r) => [r.id, r.kind]));
  }

  async relationshipsById(sql: Sql, ids: readonly string[]): Promise<Map<string, Relationship>> {
    if (ids.length === 0) return new Map();
    const { rows } = await sql.query<RelationshipRow>(
      `select ${relationshipColumns} from rel_relationships where id = any($1::uuid[])`,
      [[...ids]],
    );
    return new Map(rows.map((r) => [r.id, this.openRelationship(r)]));
  }

  async sourceRecords(sql: Sql, site: string): Promise<Map<string, SourceRecordRow>> {
    const { rows } = await sql.query<{
      source_key: Uint8Array;
      kind: 'contact' | 'relationship';
      status: 'landed' | 'merged';
      content_hash: Uint8Array;
      party_id: string | null;
      relationship_id: string | null;
      run_id: string;
      note_count: number;
    }>(
      'select source_key, kind, status, content_hash, party_id, relationship_id, run_id, note_count from rel_source_records where site = $1',
      [site],
    );
    return new Map(
      rows.map((r) => [
        Buffer.from(r.source_key).toString('hex'),
        {
          sourceKey: Buffer.from(r.source_key),
          kind: r.kind,
          status: r.status,
          contentHash: Buffer.from(r.content_hash),
          partyId: r.party_id ?? undefined,
          relationshipId: r.relationship_id ?? undefined,
          runId: r.run_id,
          noteCount: r.note_count,
        },
      ]),
    );
  }

  /** The provenance snapshots of source records, by source key (hex). */
  async snapshots(sql: Sql, site: string, keys: readonly Buffer[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    if (keys.length === 0) return out;
    const { rows } = await sql.query<{ source_key: Uint8Array; data_enc: Uint8Array }>(
      'select source_key, data_enc from rel_source_records where site = $1 and source_key = any($2::bytea[])',
      [site, [...keys]],
    );
    for (const r of rows) {
      const key = Buffer.from(r.source_key);
      out.set(
        key.toString('hex'),
        JSON.parse(this.cipher.decrypt(r.data_enc, sealContext.sourceRecord(key)).toString('utf8')),
      );
    }
    return out;
  }

  async openRun(sql: Sql, site: string, sourceDigest: Buffer, at: Date): Promise<{ id: string; resumed: boolean }> {
    const { rows } = await sql.query<{ id: string }>(
      `select id from rel_import_runs where site = $1 and source_digest = $2 and status = 'running' order by started_at limit 1`,
      [site, sourceDigest],
    );
    if (rows[0] !== undefined) return { id: rows[0].id, resumed: true };
    const id = newId();
    await sql.query(
      `insert into rel_import_runs (id, site, source_digest, status, started_at) values ($1, $2, $3, 'running', $4)`,
      [id, site, sourceDigest, at],
    );
    return { id, resumed: false };
  }

  async finishRun(tx: Sql, runId: string, report: unknown, at: Date): Promise<void> {
    await tx.query(`update rel_import_runs set status = 'finished', report = $2, finished_at = $3 where id = $1`, [
      runId,
      JSON.stringify(report),
      at,
    ]);
  }

  /** Review items of a run whose both parties exist (a candidate whose own import failed drops out). */
  async reviewsOfRun(
    sql: Sql,
    runId: string,
  ): Promise<Array<{ partyId: string; candidateId: string; reason: string }>> {
    const { rows } = await sql.query<{ party_id: string; candidate_id: string; reason: string }>(
      `select r.party_id, r.candidate_id, r.reason from rel_merge_reviews r
         join rel_parties a on a.id = r.party_id join rel_parties b on b.id = r.candidate_id
        where r.run_id = $1 and r.status = 'open' order by r.created_at, r.id`,
      [runId],
    );
    return rows.map((r) => ({ partyId: r.party_id, candidateId: r.candidate_id, reason: r.reason }));
  }

  // --- codecs --------------------------------------------------------------------------------

  private openParty(r: PartyRow): Party {
    return {
      id: r.id,
      site: r.site,
      kind: r.kind,
      version: r.version,
      data: JSON.parse(this.cipher.decrypt(r.data_enc, sealContext.party(r.id)).toString('utf8')) as PartyData,
      createdAt: r.created_at,
    };
  }

  private openRelationship(r: RelationshipRow): Relationship {
    const sealed = JSON.parse(this.cipher.decrypt(r.data_enc, sealContext.relationship(r.id)).toString('utf8')) as {
      provenance: Provenance | null;
    };
    return {
      id: r.id,
      site: r.site,
      type: r.type,
      fromPartyId: r.from_party,
      toPartyId: r.to_party,
      validFrom: isoDate(r.valid_from),
      validTo: isoDate(r.valid_to),
      permissions: r.permissions,
      provenance: sealed.provenance ?? undefined,
    };
  }

  private openNote(r: NoteRow): Note {
    const data = JSON.parse(this.cipher.decrypt(r.data_enc, sealContext.note(r.id)).toString('utf8')) as NoteData;
    return { ...data, id: r.id, partyId: r.party_id ?? undefined, relationshipId: r.relationship_id ?? undefined };
  }
}

/** Sealed bytes read as base64 text: the embedded store's bytea decoding is slow for many rows. */
interface NoteB64Row extends Omit<NoteRow, 'data_enc'> {
  data_b64: string;
}

function fromB64(r: NoteB64Row): NoteRow {
  return {
    id: r.id,
    party_id: r.party_id,
    relationship_id: r.relationship_id,
    data_enc: Buffer.from(r.data_b64, 'base64'),
  };
}

function isoDate(v: string | Date | null): string | undefined {
  if (v === null) return undefined;
  return typeof v === 'string' ? v : v.toISOString().slice(0, 10);
}

/** Multi-row inserts, CHUNK rows at a time; returns the rows inserted. */
async function insertMany(
  tx: Sql,
  target: string,
  rows: ReadonlyArray<readonly unknown[]>,
  suffix = '',
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const ps = row.map((v) => {
        // Bytes travel as base64 text: the embedded store's parameter encoding of bytea is slow.
        if (v instanceof Uint8Array) {
          params.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'));
          return `decode($${params.length}, 'base64')`;
        }
        params.push(v);
        return `$${params.length}`;
      });
      return `(${ps.join(', ')})`;
    });
    inserted += (await tx.query(`insert into ${target} values ${tuples.join(', ')} ${suffix}`, params)).rowCount;
  }
  return inserted;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: string): boolean {
  return uuid.test(s);
}
