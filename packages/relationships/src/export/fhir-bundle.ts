/**
 * @module The graph as a FHIR R4 Bundle (type `collection`), each relationship in its FHIR home
 * (ADR 0008): every person is a Person (demographics once); people who are someone's patient are
 * also a Patient; RelatedPerson for family, guardians and proxies; Patient.contact for emergency
 * contacts, brokers and employers; Patient.generalPractitioner and managingOrganization; one
 * CareTeam per patient for caregivers, specialists, case managers and referrers (with a
 * PractitionerRole per referral); Account.guarantor for who pays. Notes are DocumentReferences.
 * Steward's own type code, period and authority ride on an extension so nothing is lost.
 */
import type { RelationshipTypeDefinition } from '../model/relationship-types.js';
import type { Note, Party, Relationship } from '../model/types.js';

export const STEWARD_RELATIONSHIP_EXTENSION = 'https://steward.health/fhir/StructureDefinition/relationship';

type Json = Record<string, unknown>;
interface Coding {
  readonly system?: string | undefined;
  readonly code: string;
  readonly display: string;
}

/** A FHIR R4 Bundle (typed loosely: this package does not depend on the FHIR type package). */
export interface FhirBundle {
  readonly resourceType: 'Bundle';
  readonly type: 'collection';
  readonly timestamp: string;
  readonly entry: ReadonlyArray<{ readonly fullUrl: string; readonly resource: Readonly<Record<string, unknown>> }>;
}

export function toFhirBundle(
  parties: readonly Party[],
  relationships: readonly Relationship[],
  notes: readonly Note[],
  types: ReadonlyMap<string, RelationshipTypeDefinition>,
  at: Date,
): FhirBundle {
  const byId = new Map(parties.map((p) => [p.id, p]));
  const resources = new Map<string, Json>();
  const put = (r: Json): Json => {
    const key = `${String(r['resourceType'])}/${String(r['id'])}`;
    const existing = resources.get(key);
    if (existing !== undefined) return existing;
    resources.set(key, r);
    return r;
  };
  const demographics = (p: Party): Json => ({
    ...(p.data.family !== undefined || p.data.given !== undefined
      ? {
          name: [
            {
              ...(p.data.family !== undefined ? { family: p.data.family } : {}),
              ...(p.data.given !== undefined ? { given: [...p.data.given] } : {}),
            },
          ],
        }
      : {}),
    ...(p.data.telecom.length > 0
      ? { telecom: p.data.telecom.map((t) => ({ system: t.system, value: t.value })) }
      : {}),
    ...(p.data.birthDate !== undefined ? { birthDate: p.data.birthDate } : {}),
    ...(p.data.address !== undefined ? { address: [{ text: p.data.address }] } : {}),
  });
  for (const p of parties) {
    if (p.kind === 'organization')
      put({
        resourceType: 'Organization',
        id: p.id,
        name: p.data.organizationName,
        ...(p.data.telecom.length > 0
          ? { telecom: p.data.telecom.map((t) => ({ system: t.system, value: t.value })) }
          : {}),
        ...(p.data.address !== undefined ? { address: [{ text: p.data.address }] } : {}),
      });
    else put({ resourceType: 'Person', id: p.id, ...demographics(p), link: [] });
  }
  const patient = (id: string): Json | undefined => {
    const p = byId.get(id);
    if (p === undefined || p.kind !== 'person') return undefined;
    const r = put({ resourceType: 'Patient', id, ...demographics(p) });
    const person = resources.get(`Person/${id}`);
    const links = person?.['link'] as Json[] | undefined;
    if (links !== undefined && !links.some((l) => (l['target'] as Json)['reference'] === `Patient/${id}`))
      links.push({ target: { reference: `Patient/${id}` } });
    return r;
  };
  /** A practitioner (person) or organization reference for a provider end. */
  const provider = (id: string): string => {
    const p = byId.get(id);
    if (p?.kind === 'organization') return `Organization/${id}`;
    if (p !== undefined) put({ resourceType: 'Practitioner', id, ...demographics(p) });
    return `Practitioner/${id}`;
  };
  const careTeam = (patientId: string): Json =>
    put({
      resourceType: 'CareTeam',
      id: `care-team-${patientId}`,
      status: 'active',
      subject: { reference: `Patient/${patientId}` },
      participant: [],
    });
  const push = (r: Json, key: string, v: unknown): void => {
    const list = (r[key] as unknown[] | undefined) ?? [];
    list.push(v);
    r[key] = list;
  };
  for (const rel of relationships) {
    const t = types.get(rel.type);
    const coding: Coding[] =
      t?.fhir.code !== undefined
        ? [{ ...(t.fhir.system !== undefined ? { system: t.fhir.system } : {}), code: t.fhir.code, display: t.display }]
        : [];
    const concept = { ...(coding.length > 0 ? { coding } : {}), text: t?.display ?? rel.type };
    const period = {
      ...(rel.validFrom !== undefined ? { start: rel.validFrom } : {}),
      ...(rel.validTo !== undefined ? { end: rel.validTo } : {}),
    };
    const hasPeriod = Object.keys(period).length > 0;
    const ext = {
      url: STEWARD_RELATIONSHIP_EXTENSION,
      extension: [
        { url: 'id', valueId: rel.id },
        { url: 'type', valueCode: rel.type },
        ...rel.permissions.map((p) => ({ url: 'permission', valueCode: p })),
      ],
    };
    const from = byId.get(rel.fromPartyId);
    const related = (): string => {
      const p = from;
      if (p?.kind === 'organization') return `Organization/${p.id}`;
      put({
        resourceType: 'RelatedPerson',
        id: rel.id,
        extension: [ext],
        patient: { reference: `Patient/${rel.toPartyId}` },
        relationship: [concept],
        ...(p !== undefined ? demographics(p) : {}),
        ...(hasPeriod ? { period } : {}),
      });
      const links = resources.get(`Person/${rel.fromPartyId}`)?.['link'] as Json[] | undefined;
      links?.push({ target: { reference: `RelatedPerson/${rel.id}` } });
      return `RelatedPerson/${rel.id}`;
    };
    switch (t?.fhir.home ?? 'RelatedPerson') {
      case 'RelatedPerson':
        patient(rel.toPartyId);
        related();
        break;
      case 'Patient.contact': {
        const pt = patient(rel.toPartyId);
        if (pt === undefined) break;
        push(pt, 'contact', {
          extension: [ext],
          relationship: [concept],
          ...(from?.kind === 'organization'
            ? { organization: { reference: `Organization/${from.id}` } }
            : from !== undefined
              ? {
                  ...(demographics(from)['name'] !== undefined
                    ? { name: (demographics(from)['name'] as Json[])[0] }
                    : {}),
                  ...(from.data.telecom.length > 0 ? { telecom: demographics(from)['telecom'] } : {}),
                }
              : {}),
          ...(hasPeriod ? { period } : {}),
        });
        break;
      }
      case 'Patient.generalPractitioner': {
        const pt = patient(rel.toPartyId);
        if (pt !== undefined)
          push(pt, 'generalPractitioner', { reference: provider(rel.fromPartyId), extension: [ext] });
        break;
      }
      case 'Patient.managingOrganization': {
        const org = byId.get(rel.toPartyId)?.kind === 'organization' ? rel.toPartyId : rel.fromPartyId;
        const person = org === rel.toPartyId ? rel.fromPartyId : rel.toPartyId;
        const pt = patient(person);
        if (pt !== undefined) pt['managingOrganization'] = { reference: `Organization/${org}`, extension: [ext] };
        break;
      }
      case 'CareTeam': {
        patient(rel.toPartyId);
        const member =
          t?.fromKind === 'person' && rel.type === 'family-caregiver' ? related() : provider(rel.fromPartyId);
        push(careTeam(rel.toPartyId), 'participant', {
          extension: [ext],
          role: [concept],
          member: { reference: member },
          ...(hasPeriod ? { period } : {}),
        });
        break;
      }
      case 'PractitionerRole': {
        patient(rel.toPartyId);
        const ref = provider(rel.fromPartyId);
        put({
          resourceType: 'PractitionerRole',
          id: rel.id,
          extension: [ext],
          ...(ref.startsWith('Organization/')
            ? { organization: { reference: ref } }
            : { practitioner: { reference: ref } }),
          code: [concept],
          ...(hasPeriod ? { period } : {}),
        });
        push(careTeam(rel.toPartyId), 'participant', {
          role: [concept],
          member: { reference: `PractitionerRole/${rel.id}` },
        });
        break;
      }
      case 'Account.guarantor': {
        patient(rel.toPartyId);
        put({
          resourceType: 'Account',
          id: rel.id,
          extension: [ext],
          status: rel.validTo !== undefined && rel.validTo <= at.toISOString().slice(0, 10) ? 'inactive' : 'active',
          subject: [{ reference: `Patient/${rel.toPartyId}` }],
          guarantor: [{ party: { reference: related() }, ...(hasPeriod ? { period } : {}) }],
        });
        break;
      }
    }
  }
  const relById = new Map(relationships.map((r) => [r.id, r]));
  for (const n of notes) {
    const rel = n.relationshipId !== undefined ? relById.get(n.relationshipId) : undefined;
    const about = n.partyId ?? rel?.toPartyId;
    const isPatient = about !== undefined && resources.has(`Patient/${about}`);
    put({
      resourceType: 'DocumentReference',
      id: n.id,
      status: 'current',
      ...(n.provenance.id !== undefined
        ? { identifier: [{ system: `urn:steward:source:${n.provenance.system}`, value: n.provenance.id }] }
        : {}),
      ...(isPatient ? { subject: { reference: `Patient/${about}` } } : {}),
      date: toInstant(n.authoredAt),
      ...(n.author !== '' ? { author: [{ display: n.author }] } : {}),
      content: [
        {
          attachment: {
            contentType: 'text/plain; charset=utf-8',
            data: Buffer.from(n.text, 'utf8').toString('base64'),
          },
        },
      ],
      context: {
        related: [
          ...(n.partyId !== undefined && !isPatient
            ? [
                {
                  reference: `${byId.get(n.partyId)?.kind === 'organization' ? 'Organization' : 'Person'}/${n.partyId}`,
                },
              ]
            : []),
          ...(rel !== undefined ? [{ identifier: { system: 'urn:steward:relationship', value: rel.id } }] : []),
        ],
      },
    });
  }
  for (const r of resources.values()) if (Array.isArray(r['link']) && r['link'].length === 0) delete r['link'];
  const entry = [...resources.values()].map((r) => ({
    fullUrl: `${String(r['resourceType'])}/${String(r['id'])}`,
    resource: r,
  }));
  return { resourceType: 'Bundle', type: 'collection', timestamp: at.toISOString(), entry };
}

/** FHIR instants need a time and zone; a source date alone becomes midnight UTC. */
function toInstant(s: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T00:00:00Z`;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}
