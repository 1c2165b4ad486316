/**
 * @module The patient index's SQL. Rows only: policy, sealing and audit are `PatientIndex`'s. Keys
 * travel as hex (blind indexes), and every lookup answers with the patient a key resolves to NOW:
 * a retired patient's `merged_into` (always a live patient) instead of the retired one.
 */
import type { Sql } from '@steward/store';
import type { FoundPatient, SightingKey } from './linking.js';

/** What one link in a patient's history says (no identifier, no demographics). */
export interface LinkEntry {
  readonly kind: 'created' | 'key-added' | 'merged' | 'review-opened' | 'review-linked' | 'review-dismissed';
  readonly patientId: string;
  readonly otherPatientId?: string;
  readonly keyKind?: SightingKey['kind'];
  readonly source: 'ehr' | 'review' | 'api';
  readonly connectionId?: string;
  /** The event id (source `ehr`) or the review id (source `review`). */
  readonly sourceRef?: string;
  readonly actorId: string;
}

export interface PatientRow {
  id: string;
  site: string;
  demographics_enc: Uint8Array | null;
  merged_into: string | null;
  created_at: Date;
}

/** The live patient each known key finds, by key (hex). */
export async function findByKeys(tx: Sql, keys: readonly string[]): Promise<Map<string, FoundPatient>> {
  if (keys.length === 0) return new Map();
  const { rows } = await tx.query<{ key: string; patient_id: string; created_at: Date }>(
    `select encode(k.key, 'hex') as key, c.id::text as patient_id, c.created_at
       from clinic_patient_keys k
       join clinic_patients p on p.id = k.patient_id
       join clinic_patients c on c.id = coalesce(p.merged_into, p.id)
      where k.key = any(array(select decode(h, 'hex') from unnest($1::text[]) as h))`,
    [keys],
  );
  return new Map(rows.map((r) => [r.key, { patientId: r.patient_id, createdAt: new Date(r.created_at) }]));
}

/** The live patients a bare value (an MRN's value, an EHR id on any connection) finds. */
export async function findByValue(tx: Sql, valueKey: string): Promise<readonly string[]> {
  const { rows } = await tx.query<{ patient_id: string }>(
    `select distinct coalesce(p.merged_into, p.id)::text as patient_id
       from clinic_patient_keys k join clinic_patients p on p.id = k.patient_id
      where k.value_key = decode($1, 'hex')`,
    [valueKey],
  );
  return rows.map((r) => r.patient_id);
}

/** The live patients with this match key (same name and birth date), oldest first. */
export async function findByMatch(tx: Sql, matchKey: string, limit = 20): Promise<readonly string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `select id::text as id from clinic_patients
      where match_key = decode($1, 'hex') and merged_into is null order by created_at, id limit $2`,
    [matchKey, limit],
  );
  return rows.map((r) => r.id);
}

/** The live patients with any of these match keys, oldest first (one statement, however many keys). */
export async function findByAnyMatch(tx: Sql, matchKeys: readonly string[], limit = 20): Promise<readonly string[]> {
  if (matchKeys.length === 0) return [];
  const { rows } = await tx.query<{ id: string }>(
    `select id::text as id from clinic_patients
      where match_key = any(array(select decode(h, 'hex') from unnest($1::text[]) as h)) and merged_into is null
      order by created_at, id limit $2`,
    [matchKeys, limit],
  );
  return rows.map((r) => r.id);
}

/** The live patient a Steward id resolves to (itself, or its survivor), if it exists. */
export async function liveIdOf(tx: Sql, id: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    'select coalesce(merged_into, id)::text as id from clinic_patients where id = $1',
    [id],
  );
  return rows[0]?.id;
}

/** Live patients and every patient merged into them: the ids an audit entry may name them by. */
export async function withMerged(tx: Sql, live: readonly string[]): Promise<readonly string[]> {
  if (live.length === 0) return [];
  const { rows } = await tx.query<{ id: string }>(
    `select id::text as id from clinic_patients where id = any($1::uuid[]) or merged_into = any($1::uuid[])`,
    [live],
  );
  return rows.map((r) => r.id);
}

/**
 * The live patients a key (`key`) or bare value (`value_key`) finds, and every patient merged into
 * them, in one statement: what "who accessed this patient" by an MRN needs.
 */
export async function idsWithMergedByKey(
  tx: Sql,
  column: 'key' | 'value_key',
  key: string,
): Promise<readonly string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `with live as (
       select distinct coalesce(p.merged_into, p.id) as id
         from clinic_patient_keys k join clinic_patients p on p.id = k.patient_id
        where k.${column} = decode($1, 'hex'))
     select id::text as id from live
     union
     select m.id::text from clinic_patients m join live on m.merged_into = live.id`,
    [key],
  );
  return rows.map((r) => r.id);
}

export async function patientRows(tx: Sql, ids: readonly string[]): Promise<readonly PatientRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<PatientRow>(
    `select id::text as id, site, demographics_enc, merged_into::text as merged_into, created_at
       from clinic_patients where id = any($1::uuid[])`,
    [ids],
  );
  return rows;
}

/** What a resolution pass looked up: the live patient of each known key, the live patients of each match key. */
export interface LookedUp {
  readonly keys: Map<string, FoundPatient & { readonly hasDemographics: boolean }>;
  readonly matches: Map<string, string[]>;
}

/**
 * One statement for a whole batch: the live patient of every known key (with whether it has
 * demographics yet), and the live patients of every match key (look-alike candidates).
 */
export async function lookUp(tx: Sql, keys: readonly string[], matchKeys: readonly string[]): Promise<LookedUp> {
  const out: LookedUp = { keys: new Map(), matches: new Map() };
  if (keys.length === 0 && matchKeys.length === 0) return out;
  const { rows } = await tx.query<{
    kind: 'key' | 'match';
    key: string;
    patient_id: string;
    created_at: Date;
    demo: boolean;
  }>(
    `select 'key' as kind, encode(k.key, 'hex') as key, c.id::text as patient_id, c.created_at,
            c.demographics_enc is not null as demo
       from clinic_patient_keys k
       join clinic_patients p on p.id = k.patient_id
       join clinic_patients c on c.id = coalesce(p.merged_into, p.id)
      where k.key = any(array(select decode(h, 'hex') from unnest($1::text[]) as h))
     union all
     select 'match', encode(match_key, 'hex'), id::text, created_at, true
       from clinic_patients
      where match_key = any(array(select decode(h, 'hex') from unnest($2::text[]) as h)) and merged_into is null`,
    [keys, matchKeys],
  );
  for (const r of rows) {
    if (r.kind === 'key')
      out.keys.set(r.key, { patientId: r.patient_id, createdAt: new Date(r.created_at), hasDemographics: r.demo });
    else out.matches.set(r.key, [...(out.matches.get(r.key) ?? []), r.patient_id]);
  }
  return out;
}

export interface NewPatientRow {
  readonly id: string;
  readonly site: string;
  readonly demographics: Uint8Array | null;
  readonly matchKey: string | undefined;
}

export interface KeyRow {
  readonly patientId: string;
  readonly key: SightingKey;
  readonly connectionId: string;
}

export interface ReviewRow {
  readonly id: string;
  readonly patientId: string;
  readonly candidateId: string;
  readonly site: string;
  readonly reason: string;
}

const hexOf = (b: Uint8Array | null): string | null =>
  b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export async function insertPatients(tx: Sql, rows: readonly NewPatientRow[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `insert into clinic_patients (id, site, demographics_enc, match_key, created_at, updated_at)
     select id, site, decode(d, 'hex'), decode(m, 'hex'), $5, $5
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as t(id, site, d, m)`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.site),
      rows.map((r) => hexOf(r.demographics)),
      rows.map((r) => r.matchKey ?? null),
      at,
    ],
  );
}

/** Sets demographics on patients that have none yet (a later sighting never overwrites them). */
export async function fillDemographics(tx: Sql, rows: readonly NewPatientRow[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `update clinic_patients p set demographics_enc = decode(t.d, 'hex'), match_key = decode(t.m, 'hex'), updated_at = $4
       from unnest($1::uuid[], $2::text[], $3::text[]) as t(id, d, m)
      where p.id = t.id and p.demographics_enc is null`,
    [rows.map((r) => r.id), rows.map((r) => hexOf(r.demographics)), rows.map((r) => r.matchKey ?? null), at],
  );
}

/** Adds keys to patients; a key some patient already has is left with it. Returns the keys added (hex). */
export async function insertKeys(tx: Sql, rows: readonly KeyRow[], at: Date): Promise<ReadonlySet<string>> {
  if (rows.length === 0) return new Set();
  const { rows: added } = await tx.query<{ key: string }>(
    `insert into clinic_patient_keys (key, kind, value_key, patient_id, connection_id, created_at)
     select decode(k, 'hex'), kind, decode(v, 'hex'), p, c, $6
       from unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[]) as t(k, kind, v, p, c)
     on conflict (key) do nothing
     returning encode(key, 'hex') as key`,
    [
      rows.map((r) => r.key.key),
      rows.map((r) => r.key.kind),
      rows.map((r) => r.key.valueKey),
      rows.map((r) => r.patientId),
      rows.map((r) => r.connectionId),
      at,
    ],
  );
  return new Set(added.map((r) => r.key));
}

export async function insertReviews(tx: Sql, rows: readonly ReviewRow[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `insert into clinic_patient_reviews (id, patient_id, candidate_id, site, reason, status, created_at)
     select id, p, c, site, reason, 'open', $6
       from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[]) as t(id, p, c, site, reason)
     on conflict (patient_id, candidate_id) do nothing`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.patientId),
      rows.map((r) => r.candidateId),
      rows.map((r) => r.site),
      rows.map((r) => r.reason),
      at,
    ],
  );
}

/** Retires `retired` (and whatever was merged into it) into the live `survivor`. */
export async function mergeInto(tx: Sql, retired: string, survivor: string, at: Date): Promise<void> {
  await tx.query(
    `update clinic_patients set merged_into = $2, updated_at = $3 where (id = $1 or merged_into = $1) and id <> $2`,
    [retired, survivor, at],
  );
}

export async function appendLinks(tx: Sql, at: Date, entries: readonly LinkEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `insert into clinic_patient_links (at, kind, patient_id, other_patient_id, key_kind, source, connection_id, source_ref, actor_id)
     select $1, kind, patient_id, other_patient_id, key_kind, source, connection_id, source_ref, actor_id
       from unnest($2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::text[])
            with ordinality as t(kind, patient_id, other_patient_id, key_kind, source, connection_id, source_ref, actor_id, ord)
      order by ord`,
    [
      at,
      entries.map((e) => e.kind),
      entries.map((e) => e.patientId),
      entries.map((e) => e.otherPatientId ?? null),
      entries.map((e) => e.keyKind ?? null),
      entries.map((e) => e.source),
      entries.map((e) => e.connectionId ?? null),
      entries.map((e) => e.sourceRef ?? null),
      entries.map((e) => e.actorId),
    ],
  );
}
