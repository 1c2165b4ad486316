/**
 * @module The declared mapping from a practice's export to the graph: which column (CSV) or key
 * (JSON) holds each field, how source relationship type names map to the practice's type codes,
 * and where relationship and note rows live (files beside the mapping file). Validated once, all
 * problems at once, each named by its JSON path.
 */
import { ValidationError, type ErrorDetail } from '@steward/core';

export interface LinkMapping {
  /** A contact column holding another contact's source id. */
  readonly column: string;
  readonly type: string;
  /** Which end the linked contact is: `from` (default: it is the guarantor OF this row) or `to`. */
  readonly linkedIs?: 'from' | 'to';
}

export interface ContactsMapping {
  readonly id: string;
  /** A column whose value says person or organization (see `kindValues`); default: person. */
  readonly kind?: string;
  readonly kindValues?: Readonly<Record<string, 'person' | 'organization'>>;
  readonly family?: string;
  readonly given?: string | readonly string[];
  readonly organizationName?: string;
  readonly birthDate?: string;
  readonly phone?: string | readonly string[];
  readonly email?: string | readonly string[];
  readonly address?: string;
  readonly links?: readonly LinkMapping[];
}

export interface RelationshipsMapping {
  readonly file?: string;
  readonly id?: string;
  readonly from: string;
  readonly to: string;
  readonly type: string;
  /** Source type names → the practice's type codes; unmapped names are used as codes. */
  readonly typeValues?: Readonly<Record<string, string>>;
  readonly start?: string;
  readonly end?: string;
  /** A column listing the authority granted (`;` or `,` separated); default: the type's own. */
  readonly permissions?: string;
}

export interface NotesMapping {
  readonly file?: string;
  readonly id?: string;
  /** The contact the note is about (a contact source id)… */
  readonly contact?: string;
  /** …or the relationship (a relationship source id). */
  readonly relationship?: string;
  readonly author: string;
  readonly time: string;
  readonly text: string;
}

export interface ContactMapping {
  /** The source system's name, kept as provenance on everything imported. */
  readonly source: string;
  /** How dates with slashes are read: `us` is MM/DD/YYYY (default), `intl` is DD/MM/YYYY. */
  readonly dateOrder?: 'us' | 'intl';
  readonly contacts: ContactsMapping;
  readonly relationships?: RelationshipsMapping;
  readonly notes?: NotesMapping;
}

export function parseMapping(input: unknown, file = 'mapping'): ContactMapping {
  const problems: ErrorDetail[] = [];
  const p = (path: string, message: string): void => void problems.push({ path: `${file}#${path}`, message });
  const obj = (v: unknown, path: string): Record<string, unknown> | undefined => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    p(path, 'expected an object');
    return undefined;
  };
  const str = (o: Record<string, unknown>, key: string, path: string, required: boolean): void => {
    const v = o[key];
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || v.trim() === '')
      p(`${path}/${key}`, required ? 'required: a column name' : 'a column name');
  };
  const strs = (o: Record<string, unknown>, key: string, path: string): void => {
    const v = o[key];
    if (v === undefined) return;
    if (typeof v === 'string' && v !== '') return;
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '')) return;
    p(`${path}/${key}`, 'a column name or a list of them');
  };
  const strMap = (o: Record<string, unknown>, key: string, path: string, allowed?: readonly string[]): void => {
    const v = o[key];
    if (v === undefined) return;
    const m = obj(v, `${path}/${key}`);
    if (m === undefined) return;
    for (const [k, x] of Object.entries(m))
      if (typeof x !== 'string' || (allowed !== undefined && !allowed.includes(x)))
        p(`${path}/${key}/${k}`, allowed !== undefined ? `one of ${allowed.join(', ')}` : 'a string');
  };
  const root = obj(input, '');
  if (root === undefined) throw new ValidationError('invalid mapping file', problems);
  str(root, 'source', '', true);
  if (root['dateOrder'] !== undefined && root['dateOrder'] !== 'us' && root['dateOrder'] !== 'intl')
    p('/dateOrder', 'us or intl');
  const c = obj(root['contacts'], '/contacts');
  if (c !== undefined) {
    str(c, 'id', '/contacts', true);
    for (const k of ['kind', 'family', 'organizationName', 'birthDate', 'address']) str(c, k, '/contacts', false);
    for (const k of ['given', 'phone', 'email']) strs(c, k, '/contacts');
    strMap(c, 'kindValues', '/contacts', ['person', 'organization']);
    if (c['family'] === undefined && c['organizationName'] === undefined)
      p('/contacts', 'map `family` (people) or `organizationName` (organizations), or both');
    if (c['links'] !== undefined) {
      if (!Array.isArray(c['links'])) p('/contacts/links', 'a list');
      else
        c['links'].forEach((l: unknown, i) => {
          const lo = obj(l, `/contacts/links/${i}`);
          if (lo === undefined) return;
          str(lo, 'column', `/contacts/links/${i}`, true);
          str(lo, 'type', `/contacts/links/${i}`, true);
          if (lo['linkedIs'] !== undefined && lo['linkedIs'] !== 'from' && lo['linkedIs'] !== 'to')
            p(`/contacts/links/${i}/linkedIs`, 'from or to');
        });
    }
  }
  if (root['relationships'] !== undefined) {
    const r = obj(root['relationships'], '/relationships');
    if (r !== undefined) {
      for (const k of ['from', 'to', 'type']) str(r, k, '/relationships', true);
      for (const k of ['file', 'id', 'start', 'end', 'permissions']) str(r, k, '/relationships', false);
      strMap(r, 'typeValues', '/relationships');
    }
  }
  if (root['notes'] !== undefined) {
    const n = obj(root['notes'], '/notes');
    if (n !== undefined) {
      for (const k of ['author', 'time', 'text']) str(n, k, '/notes', true);
      for (const k of ['file', 'id', 'contact', 'relationship']) str(n, k, '/notes', false);
      if (n['contact'] === undefined && n['relationship'] === undefined)
        p('/notes', 'map `contact` or `relationship` (or both): what each note is about');
    }
  }
  if (problems.length > 0) throw new ValidationError('invalid mapping file', problems);
  return input as ContactMapping;
}
