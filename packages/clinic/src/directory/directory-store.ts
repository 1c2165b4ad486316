/**
 * @module The only code on the `directory_entries` and `directory_identifiers` tables. `record`
 * merges one source's facts into the entry they are about — found by the EHR id, else by any of
 * its identifiers (so an HL7 provider keyed by NPI and the FHIR Practitioner with that NPI are one
 * entry), else by name — and is harmless to repeat. A FHIR resource is the current truth of its
 * entry and replaces what it gives; an HL7 segment replaces what it gives unless the entry was read
 * from FHIR; a bare reference only fills what is missing.
 */
import { newId, type EhrIdentifier } from '@steward/core';
import type { Sql } from '@steward/store';
import {
  entryKey,
  referenceOf,
  type DirectoryEntry,
  type DirectoryFacts,
  type DirectoryKind,
  type DirectoryLinks,
  type DirectorySource,
  type DirectoryTelecom,
  type NetworkMark,
} from './directory-model.js';

interface Details {
  specialties: string[];
  telecom: DirectoryTelecom[];
  address: string | null;
  active: boolean | null;
  organizationName: string | null;
}

interface Row {
  id: string;
  connection_id: string;
  kind: DirectoryKind;
  key: string;
  ehr_id: string | null;
  status: 'resolved' | 'unresolved';
  display_name: string | null;
  details: Details;
  links: DirectoryLinks;
  sources: DirectorySource[];
  network: NetworkMark | null;
  last_error: string | null;
  first_seen: Date | string;
  updated_at: Date | string;
  identifiers?: EhrIdentifier[] | null;
}

const columns = `e.id, e.connection_id, e.kind, e.key, e.ehr_id, e.status, e.display_name, e.details, e.links,
  e.sources, e.network, e.last_error, e.first_seen, e.updated_at,
  (select coalesce(json_agg(json_build_object('system', i.system, 'value', i.value) order by i.system, i.value), '[]'::json)
     from directory_identifiers i where i.entry_id = e.id) as identifiers`;

const iso = (d: Date | string): string => new Date(d).toISOString();

function toEntry(r: Row): DirectoryEntry {
  return {
    id: r.id,
    connectionId: r.connection_id,
    kind: r.kind,
    reference: referenceOf(r.kind, r.key),
    ehrId: r.ehr_id,
    status: r.status,
    name: r.display_name,
    identifiers: r.identifiers ?? [],
    specialties: r.details.specialties,
    telecom: r.details.telecom,
    address: r.details.address,
    active: r.details.active,
    organizationName: r.details.organizationName,
    links: r.links,
    sources: r.sources,
    network: r.network,
    lastError: r.last_error,
    firstSeen: iso(r.first_seen),
    updatedAt: iso(r.updated_at),
  };
}

/** How to find one entry on a connection. */
export type EntryLookup =
  | { readonly kind: DirectoryKind; readonly ehrId: string }
  | { readonly kind: DirectoryKind; readonly identifier: EhrIdentifier };

export async function findEntry(
  sql: Sql,
  connectionId: string,
  lookup: EntryLookup,
): Promise<DirectoryEntry | undefined> {
  const r =
    'ehrId' in lookup
      ? await sql.query<Row>(
          `select ${columns} from directory_entries e where e.connection_id = $1 and e.kind = $2 and e.ehr_id = $3`,
          [connectionId, lookup.kind, lookup.ehrId],
        )
      : await sql.query<Row>(
          `select ${columns} from directory_entries e
            where e.connection_id = $1 and e.kind = $2
              and exists (select 1 from directory_identifiers i where i.entry_id = e.id and i.system = $3 and i.value = $4)
            order by e.first_seen limit 1`,
          [connectionId, lookup.kind, lookup.identifier.system, lookup.identifier.value],
        );
  return r.rows[0] !== undefined ? toEntry(r.rows[0]) : undefined;
}

export async function getEntry(sql: Sql, id: string): Promise<DirectoryEntry | undefined> {
  const r = await sql.query<Row>(`select ${columns} from directory_entries e where e.id = $1`, [id]);
  return r.rows[0] !== undefined ? toEntry(r.rows[0]) : undefined;
}

export interface DirectorySearch {
  /** Words of the name (case-insensitive, any part), or an identifier value, or an EHR id. */
  readonly q?: string;
  readonly kind?: DirectoryKind;
  readonly connectionId?: string;
  readonly status?: 'resolved' | 'unresolved';
  readonly network?: NetworkMark;
  readonly limit?: number;
}

export async function searchEntries(sql: Sql, s: DirectorySearch): Promise<DirectoryEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (s.q !== undefined && s.q.trim() !== '') {
    const q = s.q.trim();
    const like = p(`%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const exact = p(q);
    where.push(`(lower(e.display_name) like ${like} or e.ehr_id = ${exact}
      or exists (select 1 from directory_identifiers i where i.entry_id = e.id and i.value = ${exact}))`);
  }
  if (s.kind !== undefined) where.push(`e.kind = ${p(s.kind)}`);
  if (s.connectionId !== undefined) where.push(`e.connection_id = ${p(s.connectionId)}`);
  if (s.status !== undefined) where.push(`e.status = ${p(s.status)}`);
  if (s.network !== undefined) where.push(`e.network = ${p(s.network)}`);
  const limit = p(Math.min(Math.max(s.limit ?? 50, 1), 200));
  const r = await sql.query<Row>(
    `select ${columns} from directory_entries e ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
      order by e.display_name nulls last, e.kind, e.key limit ${limit}`,
    params,
  );
  return r.rows.map(toEntry);
}

/** Whether an administrator has marked any organization of this connection in network. */
export async function networkConfigured(sql: Sql, connectionId: string): Promise<boolean> {
  const r = await sql.query<{ n: number }>(
    `select count(*)::int as n from directory_entries where connection_id = $1 and network = 'in'`,
    [connectionId],
  );
  return (r.rows[0]?.n ?? 0) > 0;
}

export async function setNetwork(
  sql: Sql,
  id: string,
  mark: NetworkMark | null,
  by: string,
  at: Date,
): Promise<DirectoryEntry | undefined> {
  const r = await sql.query<{ id: string }>(
    `update directory_entries set network = $2, network_set_by = $3, network_set_at = $4, updated_at = $4
      where id = $1 returning id`,
    [id, mark, by, at],
  );
  return r.rows[0] !== undefined ? getEntry(sql, id) : undefined;
}

/** Notes that reading an entry from the EHR failed (kept unresolved, with the code). */
export async function noteReadFailure(
  sql: Sql,
  connectionId: string,
  kind: DirectoryKind,
  ehrId: string,
  code: string,
  at: Date,
): Promise<void> {
  await sql.query(
    `update directory_entries set last_error = $4, updated_at = $5
      where connection_id = $1 and kind = $2 and ehr_id = $3`,
    [connectionId, kind, ehrId, code, at],
  );
}

/** Merges one source's facts into their entry (created when new). Returns the entry id, or undefined when the facts name nothing. */
export async function recordFacts(
  sql: Sql,
  connectionId: string,
  f: DirectoryFacts,
  at: Date,
): Promise<string | undefined> {
  const key = entryKey(f);
  if (key === undefined) return undefined;
  let existing = await existingRow(sql, connectionId, f, key);
  if (existing === undefined) {
    const id = newId();
    const inserted = await sql.query<{ id: string }>(
      `insert into directory_entries (id, connection_id, kind, key, ehr_id, status, display_name, details, links,
         sources, first_seen, updated_at)
       values ($1, $2, $3, $4, $5, 'unresolved', null, $6, '{}', '{}', $7, $7)
       on conflict (connection_id, kind, key) do nothing returning id`,
      [id, connectionId, f.kind, key, f.ehrId ?? null, JSON.stringify(emptyDetails), at],
    );
    existing = await existingRow(sql, connectionId, f, key);
    if (existing === undefined) throw new Error(`directory entry ${inserted.rows[0]?.id ?? id} vanished`);
  }
  const merged = merge(existing, f);
  // Nothing new (the common case: the same practitioner named by the next event): no write.
  const known = new Set((existing.identifiers ?? []).map((i) => `${i.system}|${i.value}`));
  if (
    merged.key === existing.key &&
    merged.ehrId === existing.ehr_id &&
    merged.name === existing.display_name &&
    stable(merged.details) === stable(existing.details) &&
    stable(merged.links) === stable(existing.links) &&
    merged.sources.join() === existing.sources.join() &&
    (f.source !== 'fhir' || existing.last_error === null) &&
    f.identifiers.every((i) => known.has(`${i.system}|${i.value}`))
  )
    return existing.id;
  await sql.query(
    `update directory_entries set key = $2, ehr_id = $3, status = $4, display_name = $5, details = $6, links = $7,
       sources = $8, last_error = $9, updated_at = $10 where id = $1`,
    [
      existing.id,
      merged.key,
      merged.ehrId,
      merged.name !== null ? 'resolved' : 'unresolved',
      merged.name,
      JSON.stringify(merged.details),
      JSON.stringify(merged.links),
      merged.sources,
      f.source === 'fhir' ? null : existing.last_error,
      at,
    ],
  );
  for (const i of f.identifiers) {
    await sql.query(
      `insert into directory_identifiers (entry_id, system, value) values ($1, $2, $3) on conflict do nothing`,
      [existing.id, i.system, i.value],
    );
  }
  return existing.id;
}

const emptyDetails: Details = { specialties: [], telecom: [], address: null, active: null, organizationName: null };

async function existingRow(sql: Sql, connectionId: string, f: DirectoryFacts, key: string): Promise<Row | undefined> {
  if (f.ehrId !== undefined) {
    const r = await sql.query<Row>(
      `select ${columns} from directory_entries e where e.connection_id = $1 and e.kind = $2 and e.ehr_id = $3`,
      [connectionId, f.kind, f.ehrId],
    );
    if (r.rows[0] !== undefined) return r.rows[0];
  }
  for (const i of f.identifiers) {
    const r = await sql.query<Row>(
      `select ${columns} from directory_entries e
        where e.connection_id = $1 and e.kind = $2
          and exists (select 1 from directory_identifiers i where i.entry_id = e.id and i.system = $3 and i.value = $4)
          and ($5::text is null or e.ehr_id is null or e.ehr_id = $5)
        order by e.first_seen limit 1`,
      [connectionId, f.kind, i.system, i.value, f.ehrId ?? null],
    );
    if (r.rows[0] !== undefined) return r.rows[0];
  }
  const r = await sql.query<Row>(
    `select ${columns} from directory_entries e where e.connection_id = $1 and e.kind = $2 and e.key = $3`,
    [connectionId, f.kind, key],
  );
  return r.rows[0];
}

function merge(row: Row, f: DirectoryFacts) {
  const fromFhir = row.sources.includes('fhir');
  // What this source may set: all it gives (FHIR; HL7 unless FHIR said it), or only what is missing.
  const replaces = f.source === 'fhir' || (f.source === 'hl7v2' && !fromFhir);
  const pick = <T>(current: T | null, given: T | undefined, empty: (v: T | null) => boolean): T | null =>
    given === undefined ? current : replaces || empty(current) ? given : current;
  const none = (v: unknown): boolean => v === null || (Array.isArray(v) && v.length === 0);
  const d = row.details;
  const ehrId = row.ehr_id ?? f.ehrId ?? null;
  return {
    key: ehrId ?? row.key,
    ehrId,
    name: pick(row.display_name, f.name, none),
    details: {
      specialties: pick(d.specialties, f.specialties ? [...f.specialties] : undefined, none) ?? [],
      telecom: pick(d.telecom, f.telecom ? [...f.telecom] : undefined, none) ?? [],
      address: pick(d.address, f.address, none),
      active: pick(d.active, f.active, none),
      organizationName: pick(d.organizationName, f.organizationName, none),
    } satisfies Details,
    links: f.source === 'fhir' ? { ...(f.links ?? {}) } : { ...(f.links ?? {}), ...row.links },
    sources: [...new Set([...row.sources, f.source])].sort(),
  };
}

/** JSON with object keys sorted (jsonb does not keep the order they were written in). */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
