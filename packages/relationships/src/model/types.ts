/**
 * @module The graph's vocabulary: parties (people and organizations), typed time-bounded
 * relationships between them, and notes on either. Everything in `PartyData`, `NoteData` and a
 * relationship's provenance is PHI and is stored sealed; a relationship's type, ends, period and
 * permissions are stored in the clear because policy and the authority check query them.
 */

export type PartyKind = 'person' | 'organization';

/** Where a record came from: the source system, its id there and the row it was read from. */
export interface Provenance {
  readonly system: string;
  readonly id?: string;
  /** `file:row` of the source row (1-based data rows), for reports. */
  readonly location?: string;
  readonly importRunId?: string;
}

export interface ContactPoint {
  readonly system: 'phone' | 'email';
  readonly value: string;
}

export interface PartyData {
  /** A person's family name; unset for organizations. */
  readonly family?: string;
  readonly given?: readonly string[];
  /** An organization's name. */
  readonly organizationName?: string;
  /** ISO date YYYY-MM-DD. */
  readonly birthDate?: string;
  readonly telecom: readonly ContactPoint[];
  readonly address?: string;
  readonly provenance: readonly Provenance[];
}

export interface Party {
  readonly id: string;
  readonly site: string;
  readonly kind: PartyKind;
  readonly version: number;
  readonly data: PartyData;
  readonly createdAt: Date;
}

export interface Relationship {
  readonly id: string;
  readonly site: string;
  /** A code from the site's relationship type list. */
  readonly type: string;
  /** Read as: `from` is the <type display> of `to` (a guardian → the patient). */
  readonly fromPartyId: string;
  readonly toPartyId: string;
  /** ISO dates; the relationship holds from `validFrom` (inclusive) until `validTo` (exclusive). */
  readonly validFrom: string | undefined;
  readonly validTo: string | undefined;
  /** The authority it carries for `from` over `to` (see authority/). */
  readonly permissions: readonly string[];
  readonly provenance: Provenance | undefined;
}

export interface NoteData {
  readonly text: string;
  /** The author as the source system named them (free text). */
  readonly author: string;
  /** ISO date-time the note was written, as the source recorded it. */
  readonly authoredAt: string;
  readonly provenance: Provenance;
}

export interface Note extends NoteData {
  readonly id: string;
  readonly partyId: string | undefined;
  readonly relationshipId: string | undefined;
}

/** A one-line name for screens and exports. */
export function displayName(data: PartyData): string {
  if (data.organizationName !== undefined) return data.organizationName;
  return [...(data.given ?? []), data.family ?? ''].join(' ').trim();
}
