/**
 * @module Turns source rows into contacts, relationships and notes by the mapping, checking each
 * row field by field. A row that fails a check is listed (file, row, field, reason; never the
 * value) instead of imported; notes are gathered under the contact or relationship they are
 * about, so each lands with it or is listed with it.
 */
import { authorityPermissions, type RelationshipTypeDefinition } from '../model/relationship-types.js';
import type { ContactPoint, PartyData, PartyKind } from '../model/types.js';
import type { ContactMapping } from './mapping.js';
import type { ContactSource, SourceRow } from './source-reader.js';

export type RecordKind = 'contact' | 'relationship' | 'note';

/** Something not imported, and why. Names the place and the field, never a value. */
export interface Listed {
  readonly kind: RecordKind;
  readonly file: string;
  readonly row: number;
  readonly field?: string;
  readonly reason: string;
}

export interface SourceNote {
  readonly key: string;
  readonly file: string;
  readonly row: number;
  readonly text: string;
  readonly author: string;
  readonly authoredAt: string;
}

export interface SourceContact {
  readonly key: string;
  readonly file: string;
  readonly row: number;
  readonly kind: PartyKind;
  readonly data: Omit<PartyData, 'provenance'>;
  readonly notes: SourceNote[];
}

export interface SourceRelationship {
  readonly key: string;
  readonly file: string;
  readonly row: number;
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly permissions: readonly string[];
  readonly notes: SourceNote[];
}

export interface NormalizedSource {
  readonly contacts: SourceContact[];
  readonly relationships: SourceRelationship[];
  readonly listed: Listed[];
  readonly counts: { readonly contacts: number; readonly relationships: number; readonly notes: number };
}

class RowProblem extends Error {
  constructor(
    readonly field: string | undefined,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function normalizeSource(
  source: ContactSource,
  types: ReadonlyMap<string, RelationshipTypeDefinition>,
): NormalizedSource {
  const m = source.mapping;
  const listed: Listed[] = [];
  const contacts = new Map<string, SourceContact>();
  const relationships = new Map<string, SourceRelationship>();
  let linkCount = 0;

  for (const row of source.contacts) {
    if (row.values === undefined) {
      listed.push({ kind: 'contact', file: row.file, row: row.row, reason: `malformed row: ${row.problem ?? ''}` });
      continue;
    }
    try {
      const c = contactOf(row, m);
      const first = contacts.get(c.key);
      if (first !== undefined) throw new RowProblem(m.contacts.id, `duplicate source id (first at row ${first.row})`);
      contacts.set(c.key, c);
    } catch (e) {
      listed.push(problemOf('contact', row, e));
    }
  }
  // Links are relationships named in a contact's own row (a guarantor column): resolved across rows below.
  for (const row of source.contacts) {
    if (row.values === undefined) continue;
    const self = text(row.values[m.contacts.id]);
    for (const link of m.contacts.links ?? []) {
      const other = text(row.values[link.column]);
      if (other === undefined) continue;
      linkCount++;
      const key = `link:${self ?? ''}:${link.column}`;
      try {
        if (self === undefined || contacts.get(self)?.row !== row.row)
          throw new RowProblem(m.contacts.id, 'the contact of this row was not imported');
        const type = typeOf(link.type, undefined, types, link.column);
        const linkedIsFrom = (link.linkedIs ?? 'from') === 'from';
        relationships.set(key, {
          key,
          file: row.file,
          row: row.row,
          type: type.code,
          from: linkedIsFrom ? other : self,
          to: linkedIsFrom ? self : other,
          permissions: type.permissions,
          notes: [],
        });
      } catch (e) {
        listed.push(problemOf('relationship', row, e));
      }
    }
  }
  const rm = m.relationships;
  for (const row of source.relationships) {
    if (row.values === undefined || rm === undefined) {
      listed.push({
        kind: 'relationship',
        file: row.file,
        row: row.row,
        reason: `malformed row: ${row.problem ?? 'no relationships mapping'}`,
      });
      continue;
    }
    try {
      const v = row.values;
      const from = required(v, rm.from);
      const to = required(v, rm.to);
      const type = typeOf(required(v, rm.type), rm.typeValues, types, rm.type);
      const validFrom = rm.start !== undefined ? dateOf(v, rm.start, m.dateOrder) : undefined;
      const validTo = rm.end !== undefined ? dateOf(v, rm.end, m.dateOrder) : undefined;
      if (validFrom !== undefined && validTo !== undefined && validTo <= validFrom)
        throw new RowProblem(rm.end, 'ends on or before it starts');
      const permissions = rm.permissions !== undefined ? permissionsOf(v, rm.permissions) : undefined;
      const key = (rm.id !== undefined ? text(v[rm.id]) : undefined) ?? `${from}>${type.code}>${to}>${validFrom ?? ''}`;
      const first = relationships.get(key);
      if (first !== undefined) throw new RowProblem(rm.id, `duplicate relationship (first at row ${first.row})`);
      relationships.set(key, {
        key,
        file: row.file,
        row: row.row,
        type: type.code,
        from,
        to,
        ...(validFrom !== undefined ? { validFrom } : {}),
        ...(validTo !== undefined ? { validTo } : {}),
        permissions: permissions ?? type.permissions,
        notes: [],
      });
    } catch (e) {
      listed.push(problemOf('relationship', row, e));
    }
  }
  const nm = m.notes;
  const noteKeys = new Set<string>();
  for (const row of source.notes) {
    if (row.values === undefined || nm === undefined) {
      listed.push({
        kind: 'note',
        file: row.file,
        row: row.row,
        reason: `malformed row: ${row.problem ?? 'no notes mapping'}`,
      });
      continue;
    }
    try {
      const v = row.values;
      const body = v[nm.text];
      if (typeof body !== 'string' || body.trim() === '') throw new RowProblem(nm.text, 'missing note text');
      const authoredAt = dateTimeOf(v, nm.time, m.dateOrder);
      const author = text(v[nm.author]) ?? '';
      const key = (nm.id !== undefined ? text(v[nm.id]) : undefined) ?? `${row.file}:${row.row}`;
      if (noteKeys.has(key)) throw new RowProblem(nm.id, 'duplicate note id');
      const note: SourceNote = { key, file: row.file, row: row.row, text: body, author, authoredAt };
      const relKey = nm.relationship !== undefined ? text(v[nm.relationship]) : undefined;
      const contactKey = nm.contact !== undefined ? text(v[nm.contact]) : undefined;
      if (relKey !== undefined) {
        const r = relationships.get(relKey);
        if (r === undefined)
          throw new RowProblem(nm.relationship, 'broken reference: no such relationship (or it was not imported)');
        r.notes.push(note);
      } else if (contactKey !== undefined) {
        const c = contacts.get(contactKey);
        if (c === undefined)
          throw new RowProblem(nm.contact, 'broken reference: no such contact (or it was not imported)');
        c.notes.push(note);
      } else throw new RowProblem(nm.contact ?? nm.relationship, 'the note names no contact or relationship');
      noteKeys.add(key);
    } catch (e) {
      listed.push(problemOf('note', row, e));
    }
  }
  return {
    contacts: [...contacts.values()],
    relationships: [...relationships.values()],
    listed,
    counts: {
      contacts: source.contacts.length,
      relationships: source.relationships.length + linkCount,
      notes: source.notes.length,
    },
  };
}

function contactOf(row: SourceRow, m: ContactMapping): SourceContact {
  const v = row.values ?? {};
  const c = m.contacts;
  const key = required(v, c.id);
  let kind: PartyKind = 'person';
  if (c.kind !== undefined) {
    const raw = text(v[c.kind]);
    const mapped = raw !== undefined ? (c.kindValues?.[raw] ?? raw.toLowerCase()) : 'person';
    if (mapped !== 'person' && mapped !== 'organization') throw new RowProblem(c.kind, 'not a known contact kind');
    kind = mapped;
  }
  const telecom: ContactPoint[] = [];
  for (const col of list(c.phone)) {
    const s = text(v[col]);
    if (s === undefined) continue;
    if (s.replace(/\D+/g, '').length < 7) throw new RowProblem(col, 'not a phone number');
    telecom.push({ system: 'phone', value: s });
  }
  for (const col of list(c.email)) {
    const s = text(v[col]);
    if (s === undefined) continue;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)) throw new RowProblem(col, 'not an email address');
    telecom.push({ system: 'email', value: s });
  }
  const given = list(c.given).flatMap((col) => {
    const g = v[col];
    if (Array.isArray(g)) return g.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
    const s = text(g);
    return s !== undefined ? [s] : [];
  });
  const family = c.family !== undefined ? text(v[c.family]) : undefined;
  const organizationName = c.organizationName !== undefined ? text(v[c.organizationName]) : undefined;
  if (kind === 'person' && family === undefined && given.length === 0)
    throw new RowProblem(c.family ?? c.id, 'a person needs a name');
  if (kind === 'organization' && organizationName === undefined)
    throw new RowProblem(c.organizationName ?? c.id, 'an organization needs a name');
  const birthDate = c.birthDate !== undefined && kind === 'person' ? dateOf(v, c.birthDate, m.dateOrder) : undefined;
  const address = c.address !== undefined ? text(v[c.address]) : undefined;
  const data: Omit<PartyData, 'provenance'> = {
    ...(kind === 'person' && family !== undefined ? { family } : {}),
    ...(kind === 'person' && given.length > 0 ? { given } : {}),
    ...(kind === 'organization' && organizationName !== undefined ? { organizationName } : {}),
    ...(birthDate !== undefined ? { birthDate } : {}),
    telecom,
    ...(address !== undefined ? { address } : {}),
  };
  return { key, file: row.file, row: row.row, kind, data, notes: [] };
}

function typeOf(
  raw: string,
  values: Readonly<Record<string, string>> | undefined,
  types: ReadonlyMap<string, RelationshipTypeDefinition>,
  field: string,
): RelationshipTypeDefinition {
  const code = values?.[raw] ?? raw.trim().toLowerCase();
  const t = types.get(code);
  if (t === undefined)
    throw new RowProblem(field, 'not a relationship type of this practice (map it in typeValues, or define the type)');
  return t;
}

function permissionsOf(v: Readonly<Record<string, unknown>>, col: string): string[] | undefined {
  const s = text(v[col]);
  if (s === undefined) return undefined;
  const perms = s
    .split(/[;,|]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
  for (const p of perms)
    if (!(authorityPermissions as readonly string[]).includes(p))
      throw new RowProblem(col, `not a known permission (${authorityPermissions.join(', ')})`);
  return perms;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s === '' ? undefined : s;
}

function required(v: Readonly<Record<string, unknown>>, col: string): string {
  const s = text(v[col]);
  if (s === undefined) throw new RowProblem(col, 'missing');
  return s;
}

function list(x: string | readonly string[] | undefined): readonly string[] {
  return x === undefined ? [] : typeof x === 'string' ? [x] : x;
}

/** A calendar date as YYYY-MM-DD: ISO, or with slashes in the mapping's order. */
export function dateOf(
  v: Readonly<Record<string, unknown>>,
  col: string,
  order: 'us' | 'intl' = 'us',
): string | undefined {
  const s = text(v[col]);
  if (s === undefined) return undefined;
  const date = calendarDate(s, order);
  if (date === undefined) throw new RowProblem(col, `not a date (YYYY-MM-DD or ${slashPattern(order)})`);
  if (date === false) throw new RowProblem(col, 'not a calendar date');
  return date;
}

const slashPattern = (order: 'us' | 'intl'): string => (order === 'us' ? 'MM/DD/YYYY' : 'DD/MM/YYYY');

/** `YYYY-MM-DD` from ISO or slashed text; undefined when it is neither, false for a day that does not exist. */
function calendarDate(s: string, order: 'us' | 'intl'): string | false | undefined {
  let y: number, mo: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const slash = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (iso !== null) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (slash !== null)
    [y, mo, d] =
      order === 'us'
        ? [Number(slash[3]), Number(slash[1]), Number(slash[2])]
        : [Number(slash[3]), Number(slash[2]), Number(slash[1])];
  else return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return false;
  return date.toISOString().slice(0, 10);
}

/**
 * A note's date or date-time. ISO 8601 is kept as the source wrote it (trimmed); a slashed date in
 * the mapping's `dateOrder`, with an optional time (`14:05`, `2:05 PM`, seconds allowed), becomes
 * ISO (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`), in the same zone-less local time the source meant.
 */
export function dateTimeOf(v: Readonly<Record<string, unknown>>, col: string, order: 'us' | 'intl' = 'us'): string {
  const s = text(v[col]);
  if (s === undefined) throw new RowProblem(col, 'missing');
  if (
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) &&
    !Number.isNaN(Date.parse(s)) &&
    calendarDate(s.slice(0, 10), order) !== false
  )
    return s;
  const slashed = /^(\d{1,2}\/\d{1,2}\/\d{4})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(s);
  const date = slashed?.[1] !== undefined ? calendarDate(slashed[1], order) : undefined;
  if (slashed === null || date === undefined)
    throw new RowProblem(col, `not a date-time (ISO 8601, or ${slashPattern(order)} with an optional time)`);
  if (date === false) throw new RowProblem(col, 'not a calendar date');
  if (slashed[2] === undefined) return date;
  let hour = Number(slashed[2]);
  const minute = Number(slashed[3]);
  const second = Number(slashed[4] ?? '0');
  const meridiem = slashed[5]?.toUpperCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) throw new RowProblem(col, 'not a time of day');
    hour = (hour % 12) + (meridiem === 'PM' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) throw new RowProblem(col, 'not a time of day');
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date}T${two(hour)}:${two(minute)}:${two(second)}`;
}

function problemOf(kind: RecordKind, row: SourceRow, e: unknown): Listed {
  if (e instanceof RowProblem)
    return {
      kind,
      file: row.file,
      row: row.row,
      ...(e.field !== undefined ? { field: e.field } : {}),
      reason: e.reason,
    };
  throw e;
}
