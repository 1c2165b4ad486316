/**
 * @module The directory's vocabulary: who and what a referral, an appointment or an encounter names
 * (practitioners, their roles, organizations, locations, healthcare services), as Steward keeps them
 * per EHR connection. Names, specialties and a practice's contact points: operational data, not PHI.
 */
import type { EhrIdentifier, ParticipantRef } from '@steward/core';

export const directoryKinds = [
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'HealthcareService',
] as const satisfies readonly ParticipantRef['kind'][];
export type DirectoryKind = (typeof directoryKinds)[number];

export function isDirectoryKind(v: string): v is DirectoryKind {
  return (directoryKinds as readonly string[]).includes(v);
}

/** Where an entry's facts came from: the resource itself (FHIR), an HL7 v2 segment, or only a reference to it. */
export type DirectorySource = 'fhir' | 'hl7v2' | 'reference';

/** A contact point (FHIR ContactPoint; HL7 XTN): phone, fax, email, url, of a practice or a person at work. */
export interface DirectoryTelecom {
  readonly system: string;
  readonly value: string;
  readonly use?: string;
}

/** What a directory entry points at, as `Kind/id` references on the same connection. */
export interface DirectoryLinks {
  readonly organization?: string;
  readonly practitioner?: string;
  readonly locations?: readonly string[];
  readonly services?: readonly string[];
  readonly partOf?: string;
}

/** The facts one source gives about one entry. */
export interface DirectoryFacts {
  readonly kind: DirectoryKind;
  /** The EHR's logical id, when the source gives one. */
  readonly ehrId?: string;
  readonly identifiers: readonly EhrIdentifier[];
  readonly name?: string;
  readonly specialties?: readonly string[];
  readonly telecom?: readonly DirectoryTelecom[];
  /** One line: street, city, state, postal code. */
  readonly address?: string;
  readonly active?: boolean;
  /** The organization's name when the source gives only that (HL7 PRD-10, ROL-13). */
  readonly organizationName?: string;
  readonly links?: DirectoryLinks;
  readonly source: DirectorySource;
}

export type DirectoryStatus = 'resolved' | 'unresolved';
export type NetworkMark = 'in' | 'out';

export interface DirectoryEntry {
  readonly id: string;
  readonly connectionId: string;
  readonly kind: DirectoryKind;
  /** The raw reference (`Practitioner/123`) or identifier (`system|value`) it is known by. */
  readonly reference: string;
  readonly ehrId: string | null;
  /** Resolved: a source named it. Unresolved: only a reference without a name is known (yet). */
  readonly status: DirectoryStatus;
  readonly name: string | null;
  readonly identifiers: readonly EhrIdentifier[];
  readonly specialties: readonly string[];
  readonly telecom: readonly DirectoryTelecom[];
  readonly address: string | null;
  readonly active: boolean | null;
  readonly organizationName: string | null;
  readonly links: DirectoryLinks;
  readonly sources: readonly DirectorySource[];
  /** Set by an administrator on an organization (or any entry): in or out of the clinic's network. */
  readonly network: NetworkMark | null;
  /** Why the last attempt to read it from the EHR failed (an error code), when it did. */
  readonly lastError: string | null;
  readonly firstSeen: string;
  readonly updatedAt: string;
}

/**
 * How an entry is keyed on its connection: the EHR id when there is one, else its first
 * identifier, else its name (an HL7 location named only by its point of care). Undefined when the
 * source names nothing at all.
 */
export function entryKey(f: Pick<DirectoryFacts, 'ehrId' | 'identifiers' | 'name'>): string | undefined {
  if (f.ehrId !== undefined && f.ehrId !== '') return f.ehrId;
  const id = f.identifiers[0];
  if (id !== undefined) return `${id.system}|${id.value}`;
  if (f.name !== undefined && f.name.trim() !== '') return `name:${f.name.trim().toLowerCase()}`;
  return undefined;
}

/** The reference a person sees for an entry: `Kind/ehrId`, or `Kind?identifier=system|value`. */
export function referenceOf(kind: DirectoryKind, key: string): string {
  if (key.startsWith('name:')) return `${kind}?name=${key.slice(5)}`;
  return key.includes('|') ? `${kind}?identifier=${key}` : `${kind}/${key}`;
}

/** A participant as events carry it → the facts it gives. A name makes it an HL7 (or FHIR display) fact. */
export function participantFacts(p: ParticipantRef, source: DirectorySource): DirectoryFacts {
  return {
    kind: p.kind,
    ...(p.ehrId !== undefined ? { ehrId: p.ehrId } : {}),
    identifiers: p.identifiers,
    ...(p.display !== undefined && p.display.trim() !== '' ? { name: p.display.trim() } : {}),
    ...(p.specialties !== undefined && p.specialties.length > 0 ? { specialties: p.specialties } : {}),
    ...(p.telecom !== undefined && p.telecom.length > 0 ? { telecom: p.telecom } : {}),
    ...(p.address !== undefined ? { address: p.address } : {}),
    ...(p.organization !== undefined ? { organizationName: p.organization } : {}),
    source,
  };
}
