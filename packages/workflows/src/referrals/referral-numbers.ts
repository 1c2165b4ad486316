/**
 * @module One referral, whichever channel brings it: the same order arrives from an EHR's FHIR API
 * (a ServiceRequest whose identifier has the EHR's URI system) and from its HL7 interface (a REF
 * RF1-6/RF1-11 or ORM placer number, whose EI names only a local namespace such as `SANDBOX`, or
 * nothing). Steward spells the HL7 one `urn:steward:hl7v2:…` (`@steward/ehr` hl7v2 map-common),
 * so the two systems never meet and an exact identifier match finds nothing. The rule (deliberately
 * narrow, so two referrals are never made one by accident):
 *
 * The same referral when ALL hold:
 * 1. the same number (identifier value, exactly);
 * 2. for the same Steward patient (the patient index's, merges followed: the ids of one person);
 * 3. one number under a system Steward spelled for an HL7 feed (`urn:steward:hl7v2:`: the feed gave
 *    no universal id, only a local namespace or none) and the other under any other system (a URI
 *    the EHR gave, an OID, a UUID): the cross-channel case. Two different explicit systems are two
 *    number spaces and never match; nor do two HL7 namespaces. A connection that maps its HL7
 *    namespace to the FHIR system (`identifierSystems`) needs none of this: the exact match finds it;
 * 4. within one site (the connections of the event's site: an EHR's FHIR API and its HL7 interface
 *    may be two connections);
 * 5. unambiguous: when another referral of this patient already has this number under the arriving
 *    one's own kind of system (a different spelling of the same kind), it matches nothing.
 * An event without a resolved Steward patient never matches this way.
 *
 * Links are `ReferralNumber/<hl7|uri>/<sha-256 prefix of patient|value>`: no value is stored.
 */
import { createHash } from 'node:crypto';
import type { LinkLookup } from '../routing/index.js';

/** The systems Steward spells for HL7 v2 identifiers with no universal id (a namespace, or the connection). */
const hl7LocalSystem = 'urn:steward:hl7v2:';

export type NumberClass = 'hl7' | 'uri';

/** A referral number of one event: its value and which kind of system it came under. */
export interface ReferralNumber {
  readonly cls: NumberClass;
  readonly value: string;
}

/** The numbers of `system|value` tokens, one per kind of system and value. */
export function referralNumbers(tokens: readonly string[]): ReferralNumber[] {
  const out = new Map<string, ReferralNumber>();
  for (const t of tokens) {
    const bar = t.lastIndexOf('|');
    const value = t.slice(bar + 1);
    if (bar < 0 || value === '') continue;
    const cls: NumberClass = t.startsWith(hl7LocalSystem) ? 'hl7' : 'uri';
    out.set(`${cls}|${value}`, { cls, value });
  }
  return [...out.values()];
}

/** The link of a number for one Steward patient. */
export function numberLink(cls: NumberClass, patientId: string, value: string): string {
  return `ReferralNumber/${cls}/${createHash('sha256').update(`${patientId}|${value}`).digest('hex').slice(0, 40)}`;
}

/** At most this many Steward ids of one person are tried (a live patient and those merged into it). */
const maxIds = 10;

/**
 * The referral another channel brought with one of these numbers for this person (rule above), or
 * undefined. `patientIds`: the person's Steward ids, the live one first; `across`: the site's connections.
 */
export async function crossChannelReferral(
  numbers: readonly ReferralNumber[],
  patientIds: readonly string[],
  links: LinkLookup,
  across: readonly string[],
): Promise<string | undefined> {
  const ids = patientIds.slice(0, maxIds);
  const find = async (cls: NumberClass, value: string): Promise<string | undefined> => {
    for (const id of ids) {
      const key = await links(numberLink(cls, id, value), across);
      if (key !== undefined) return key;
    }
    return undefined;
  };
  for (const n of numbers) {
    // Its own kind already taken by another referral of this person: ambiguous, so no match.
    if ((await find(n.cls, n.value)) !== undefined) continue;
    const other = await find(n.cls === 'hl7' ? 'uri' : 'hl7', n.value);
    if (other !== undefined) return other;
  }
  return undefined;
}

/**
 * The number links of a referral for this person that no referral holds yet: the first holder
 * keeps a number (a later, ambiguous one under another spelling never takes it over).
 */
export async function freeNumberLinks(
  numbers: readonly ReferralNumber[],
  patientId: string,
  links: LinkLookup,
  across: readonly string[],
): Promise<string[]> {
  const out: string[] = [];
  for (const n of numbers) {
    const ref = numberLink(n.cls, patientId, n.value);
    if ((await links(ref, across)) === undefined) out.push(ref);
  }
  return out;
}
