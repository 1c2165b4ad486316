/**
 * @module The patient index's linking rules, pure: which keys a sighting carries, and what a
 * sighting means given which Steward patients those keys already find. Deterministic only: a
 * shared identifier (system|value) or the same EHR id on the same connection is the same patient;
 * a look-alike (same name and birth date, nothing shared) is never linked here, it goes to review.
 */
import type { PatientIdentifier } from '@steward/core';
import type { FieldCipher, PatientSighting, SightingDemographics } from '@steward/governance';

/** The blind-index fields (the HMAC domain of each kind of key): never plaintext in the store. */
export const indexFields = {
  identifier: 'clinic_patient_keys.identifier',
  ehrId: 'clinic_patient_keys.ehr-id',
  value: 'clinic_patient_keys.value',
  match: 'clinic_patients.match',
} as const;

/** One key that finds a patient: its blind index (hex), kind, and the index of its bare value. */
export interface SightingKey {
  readonly key: string;
  readonly kind: 'identifier' | 'ehr-id';
  readonly valueKey: string;
}

/** A patient a key found: the Steward patient it resolves to now (merges followed) and its age. */
export interface FoundPatient {
  readonly patientId: string;
  readonly createdAt: Date;
}

export type Linking =
  /** No key is known: a new patient with all the keys. */
  | { readonly kind: 'new'; readonly keys: readonly SightingKey[] }
  /**
   * One patient (the oldest of those found, when the keys found several: the sighting says they
   * are one person) gets the keys it lacks; the others are merged into it.
   */
  | {
      readonly kind: 'known';
      readonly patientId: string;
      readonly addKeys: readonly SightingKey[];
      readonly mergeIn: readonly string[];
    }
  /** Nothing to go by (no identifier, no EHR id). */
  | { readonly kind: 'none' };

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** A value as keyed: NFC, trimmed (the cipher's normalization), and `Patient/` stripped from EHR ids. */
function bareEhrId(id: string): string {
  return id.trim().replace(/^Patient\//, '');
}

/** The keys of a sighting, each once: every identifier with a value, and the EHR id on its connection. */
export function sightingKeys(cipher: FieldCipher, sighting: PatientSighting): readonly SightingKey[] {
  const out = new Map<string, SightingKey>();
  for (const id of sighting.identifiers) {
    const key = identifierKeyOf(cipher, id);
    if (key !== undefined) out.set(key.key, key);
  }
  if (sighting.ehrId !== undefined && bareEhrId(sighting.ehrId) !== '') {
    const ehrId = bareEhrId(sighting.ehrId);
    const key = hex(cipher.blindIndex(indexFields.ehrId, `${sighting.connectionId}|${ehrId}`));
    out.set(
      key,
      lazyValueKey(key, 'ehr-id', () => hex(cipher.blindIndex(indexFields.value, ehrId))),
    );
  }
  return [...out.values()];
}

export function identifierKeyOf(cipher: FieldCipher, id: PatientIdentifier): SightingKey | undefined {
  const system = id.system.trim();
  const value = id.value.trim();
  if (system === '' || value === '') return undefined;
  return lazyValueKey(hex(cipher.blindIndex(indexFields.identifier, `${system}|${value}`)), 'identifier', () =>
    hex(cipher.blindIndex(indexFields.value, value)),
  );
}

/** The bare value's index is needed only when a key is stored: made then, once (an HMAC per key saved on every lookup). */
function lazyValueKey(key: string, kind: SightingKey['kind'], valueKeyOf: () => string): SightingKey {
  let valueKey: string | undefined;
  return {
    key,
    kind,
    get valueKey() {
      valueKey ??= valueKeyOf();
      return valueKey;
    },
  };
}

/** The lookup keys of a search term with no system: its bare value (an MRN's value or an EHR id). */
export function bareValueKey(cipher: FieldCipher, value: string): string {
  return hex(cipher.blindIndex(indexFields.value, bareEhrId(value)));
}

/**
 * The match key of demographics: family name, first given name (case and accents folded, spaces
 * collapsed) and birth date. Equal match keys make candidates for review, never a link.
 */
export function matchKeyOf(cipher: FieldCipher, d: SightingDemographics): string | undefined {
  const family = fold(d.name.family);
  const given = fold(d.name.given[0] ?? '');
  if (family === '' || !/^\d{4}-\d{2}-\d{2}$/.test(d.birthDate)) return undefined;
  return hex(cipher.blindIndex(indexFields.match, `${family}|${given}|${d.birthDate}`));
}

const letters = 'abcdefghijklmnopqrstuvwxyz';

/** Every spelling one letter away from a folded name: a letter dropped, changed or added. */
function oneLetterOff(name: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= name.length; i++) {
    if (i < name.length) out.add(name.slice(0, i) + name.slice(i + 1));
    for (const c of letters) {
      if (i < name.length) out.add(name.slice(0, i) + c + name.slice(i + 1));
      out.add(name.slice(0, i) + c + name.slice(i));
    }
  }
  out.delete(name);
  return out;
}

/**
 * The match keys of every name one letter away from the one read, with the same birth date: the
 * family name one letter off with the given name as read, or the given name one letter off with the
 * family name as read, or the two in each other's place. A fax's OCR misreads a letter ("Underhiil", "Zalinski", "Lindgqvi'st"); a space
 * OCR made of a speck inside a name is dropped first. Names of under four letters get none (too many
 * other names are one letter from them). Keys only: what they find is still decided by the caller.
 */
export function nearMatchKeysOf(cipher: FieldCipher, d: SightingDemographics): readonly string[] {
  const family = fold(d.name.family);
  const given = fold(d.name.given[0] ?? '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.birthDate) || family.replace(/ /g, '').length < 4) return [];
  const pairs = new Set<string>();
  for (const f of new Set([family, family.replace(/ /g, '')])) {
    if (f !== family) pairs.add(`${f}|${given}`);
    for (const v of oneLetterOff(f)) pairs.add(`${v}|${given}`);
  }
  if (given.length >= 4) for (const v of oneLetterOff(given)) pairs.add(`${family}|${v}`);
  // The two names in each other's place ("Re: Emerson, Abernathy" for Abernathy, Emerson).
  if (given !== '') pairs.add(`${given}|${family}`);
  pairs.delete(`${family}|${given}`);
  return [...pairs].map((p) => hex(cipher.blindIndex(indexFields.match, `${p}|${d.birthDate}`)));
}

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** What a sighting with `keys` means, given the patients the known keys find (`found`, by key). */
export function decideLinking(keys: readonly SightingKey[], found: ReadonlyMap<string, FoundPatient>): Linking {
  if (keys.length === 0) return { kind: 'none' };
  const patients = new Map<string, FoundPatient>();
  for (const k of keys) {
    const p = found.get(k.key);
    if (p !== undefined) patients.set(p.patientId, p);
  }
  if (patients.size === 0) return { kind: 'new', keys };
  const [survivor, ...others] = [...patients.values()].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.patientId.localeCompare(b.patientId),
  );
  if (survivor === undefined) return { kind: 'new', keys };
  return {
    kind: 'known',
    patientId: survivor.patientId,
    addKeys: keys.filter((k) => !found.has(k.key)),
    mergeIn: others.map((o) => o.patientId),
  };
}

/**
 * A patient search term as typed: `Family, Given YYYY-MM-DD` (name and birth date), a Steward id
 * (a UUID), `system|value`, or a bare value (an MRN's value, an EHR id, `Patient/<id>`).
 */
export type SearchTerm =
  | { readonly kind: 'name'; readonly demographics: SightingDemographics }
  | { readonly kind: 'steward-id'; readonly id: string }
  | { readonly kind: 'identifier'; readonly identifier: PatientIdentifier }
  | { readonly kind: 'value'; readonly value: string };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const nameAndBirthDate = /^([^,|]+),\s*([^|]*?)\s+(\d{4}-\d{2}-\d{2})$/;

export function parseSearchTerm(term: string): SearchTerm {
  const t = term.trim();
  if (uuid.test(t)) return { kind: 'steward-id', id: t.toLowerCase() };
  const named = nameAndBirthDate.exec(t);
  if (named !== null) {
    const [, family = '', given = '', birthDate = ''] = named;
    return {
      kind: 'name',
      demographics: { name: { family: family.trim(), given: given.trim() === '' ? [] : [given.trim()] }, birthDate },
    };
  }
  const bar = t.lastIndexOf('|');
  if (bar > 0 && bar < t.length - 1)
    return { kind: 'identifier', identifier: { system: t.slice(0, bar), value: t.slice(bar + 1) } };
  return { kind: 'value', value: t };
}
