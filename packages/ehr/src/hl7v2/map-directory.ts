/**
 * @module The people and places an HL7 v2 message names, as participants the directory learns:
 * AIP-3 personnel with AIP-4 resource type as specialty; PV1-7 attending, PV1-8 referring, PV1-9 consulting and PV1-17 admitting doctors (XCN, each
 * repetition); ROL role persons (ROL-4) with their provider type (ROL-9), office address (ROL-11),
 * phone (ROL-12) and organization (ROL-14, v2.7+); PRD providers with their address (PRD-3),
 * communication (PRD-5), organization (PRD-10) and its contact points (PRD-11, PRD-13). Names,
 * specialties and a practice's contact points only: the patient's segments are never read here.
 */
import type { Hl7Segment } from '@medplum/core';
import type { ParticipantRef } from '@steward/core';
import { component, repetitions, subcomponent, type ParsedHl7 } from './parse.js';
import { xcnParticipant, type Hl7MapContext } from './map-common.js';

type Telecom = NonNullable<ParticipantRef['telecom']>[number];

/** XTN → contact points: email (XTN-4), the unformatted number (XTN-12), the number (XTN-1), or area + local (XTN-6, -7). */
export function xtnTelecom(segment: Hl7Segment | undefined, field: number): Telecom[] {
  const out: Telecom[] = [];
  for (let rep = 0; rep < repetitions(segment, field); rep++) {
    const c = (n: number): string => component(segment, field, n, rep).trim();
    const equipment = c(3).toUpperCase();
    const email = c(4);
    const local =
      c(7) !== ''
        ? [c(5) !== '' ? `+${c(5)}` : '', c(6) !== '' ? `(${c(6)})` : '', c(7)].filter(Boolean).join(' ')
        : '';
    const number = c(12) || c(1) || local;
    const useCode = c(2).toUpperCase();
    const use = useCode === 'WPN' ? 'work' : useCode === 'PRN' ? 'home' : undefined;
    if (email !== '' && (equipment === 'INTERNET' || equipment === 'X.400' || number === ''))
      out.push({ system: 'email', value: email, ...(use !== undefined ? { use } : {}) });
    else if (number !== '')
      out.push({
        system: equipment === 'FX' ? 'fax' : 'phone',
        value: c(8) !== '' ? `${number} x${c(8)}` : number,
        ...(use !== undefined ? { use } : {}),
      });
  }
  return out;
}

/** XAD (street^other^city^state^zip^country) → one line, the first repetition. */
export function xadAddress(segment: Hl7Segment | undefined, field: number): string | undefined {
  const street = [subcomponent(segment, field, 1, 1), component(segment, field, 2)]
    .map((s) => s.trim())
    .filter(Boolean);
  const city = component(segment, field, 3).trim();
  const stateZip = [component(segment, field, 4), component(segment, field, 5)].map((s) => s.trim()).filter(Boolean);
  const parts = [...street, city, stateZip.join(' '), component(segment, field, 6).trim()].filter((s) => s !== '');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** A CE/CWE's words: its text (component 2), else its code. */
function conceptText(segment: Hl7Segment | undefined, field: number): string | undefined {
  const text = component(segment, field, 2).trim() || component(segment, field, 1).trim();
  return text !== '' ? text : undefined;
}

function withDetails(
  p: ParticipantRef,
  d: { specialties?: string[]; telecom?: Telecom[]; address?: string | undefined; organization?: string | undefined },
): ParticipantRef {
  return {
    ...p,
    ...(d.specialties !== undefined && d.specialties.length > 0 ? { specialties: d.specialties } : {}),
    ...(d.telecom !== undefined && d.telecom.length > 0 ? { telecom: d.telecom } : {}),
    ...(d.address !== undefined ? { address: d.address } : {}),
    ...(d.organization !== undefined ? { organization: d.organization } : {}),
  };
}

/** PV1-7, -8, -9 and -17: every repetition that names a doctor. */
export function pv1Participants(ctx: Hl7MapContext, pv1: Hl7Segment | undefined): ParticipantRef[] {
  const out: ParticipantRef[] = [];
  for (const field of [7, 8, 9, 17])
    for (let rep = 0; rep < repetitions(pv1, field); rep++) {
      const p = xcnParticipant(ctx, pv1, field, 'Practitioner', rep);
      if (p !== undefined) out.push(p);
    }
  return out;
}

/** Every ROL segment's role persons, with the provider type, office address, phone and organization. */
export function rolParticipants(ctx: Hl7MapContext, parsed: ParsedHl7): ParticipantRef[] {
  const out: ParticipantRef[] = [];
  for (const rol of parsed.message.getAllSegments('ROL')) {
    const specialty = conceptText(rol, 9);
    const details = {
      ...(specialty !== undefined ? { specialties: [specialty] } : {}),
      telecom: xtnTelecom(rol, 12),
      address: xadAddress(rol, 11),
      organization: component(rol, 14, 1).trim() || undefined,
    };
    for (let rep = 0; rep < repetitions(rol, 4); rep++) {
      const p = xcnParticipant(ctx, rol, 4, 'Practitioner', rep);
      if (p !== undefined) out.push(withDetails(p, details));
    }
  }
  return out;
}

/** A PRD provider's contact points and organization (PRD-3, -5, -10, -11, -13), added to the participant. */
export function prdDetails(prd: Hl7Segment, p: ParticipantRef): ParticipantRef {
  const telecom = xtnTelecom(prd, 5);
  return withDetails(p, {
    telecom: telecom.length > 0 ? telecom : xtnTelecom(prd, 13),
    address: xadAddress(prd, 3) ?? xadAddress(prd, 11),
    organization: component(prd, 10, 1).trim() || undefined,
  });
}

/** AIP-4 resource type (e.g. `010^Gastroenterologist^L`) as the practitioner's specialty. */
export function withResourceType(aip: Hl7Segment, p: ParticipantRef): ParticipantRef {
  const type = conceptText(aip, 4);
  return type !== undefined ? withDetails(p, { specialties: [type] }) : p;
}
