/**
 * @module How graph rows are sealed and found: the row-bound contexts of every sealed column, and
 * the normalized values behind the blind indexes used for de-duplication (name + birth date,
 * organization name, phone, email) and for source keys. Normalization is deliberately simple
 * (case, spacing, punctuation, phone digits); fuzzy matching is out of scope (ADR 0008).
 */
import type { FieldCipher } from '@steward/governance';
import type { PartyData, PartyKind } from '../model/types.js';

export const sealContext = {
  party: (id: string) => `rel_parties:${id}`,
  relationship: (id: string) => `rel_relationships:${id}`,
  note: (id: string) => `rel_notes:${id}`,
  sourceRecord: (sourceKey: Uint8Array) => `rel_source_records:${Buffer.from(sourceKey).toString('hex')}`,
} as const;

export type MatchField = 'name_dob' | 'org_name' | 'phone' | 'email';

export function normalizeName(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function normalizePhone(s: string): string {
  const digits = s.replace(/\D+/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

export function normalizeEmail(s: string): string {
  return s.trim().toLowerCase();
}

/** The values a party is matched by, per field (plaintext: only ever passed to the blind index). */
export function matchValues(kind: PartyKind, data: PartyData): Array<[MatchField, string]> {
  const out: Array<[MatchField, string]> = [];
  if (kind === 'person' && data.family !== undefined && data.birthDate !== undefined) {
    out.push([
      'name_dob',
      `${normalizeName(data.family)}|${normalizeName((data.given ?? []).join(' '))}|${data.birthDate}`,
    ]);
  }
  if (kind === 'organization' && data.organizationName !== undefined)
    out.push(['org_name', normalizeName(data.organizationName)]);
  for (const t of data.telecom) {
    if (t.system === 'phone') {
      const p = normalizePhone(t.value);
      if (p.length >= 7) out.push(['phone', p]);
    } else out.push(['email', normalizeEmail(t.value)]);
  }
  return out;
}

/** Keyed digests of a party's match values, hex-keyed by `field:digest` for in-memory maps. */
export function matchDigests(
  cipher: FieldCipher,
  kind: PartyKind,
  data: PartyData,
): Array<{ field: MatchField; digest: Buffer }> {
  const seen = new Set<string>();
  const out: Array<{ field: MatchField; digest: Buffer }> = [];
  for (const [field, value] of matchValues(kind, data)) {
    const digest = cipher.blindIndex(`rel.${field}`, value);
    const k = `${field}:${digest.toString('hex')}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ field, digest });
  }
  return out;
}

export function sourceKeyDigest(cipher: FieldCipher, system: string, kind: string, key: string): Buffer {
  return cipher.blindIndex('rel.source', `${system}|${kind}|${key}`);
}
