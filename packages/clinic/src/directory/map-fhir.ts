/**
 * @module FHIR R4 Practitioner, PractitionerRole, Organization, Location and HealthcareService →
 * directory facts. Defensive: a resource is JSON from an EHR, so every element is checked before it
 * is read, and what is not the expected shape is skipped (the entry keeps what could be read; a
 * resource of another type, or without an id, is refused by the caller's `undefined`).
 */
import type { EhrIdentifier } from '@steward/core';
import { isDirectoryKind, type DirectoryFacts, type DirectoryLinks, type DirectoryTelecom } from './directory-model.js';

type Json = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const objs = (v: unknown): Json[] => arr(v).filter(isObj);

/** The facts of one directory resource, or undefined when it is not one (or has no id). */
export function directoryFactsFromFhir(resource: unknown): DirectoryFacts | undefined {
  if (!isObj(resource)) return undefined;
  const kind = str(resource['resourceType']);
  const ehrId = str(resource['id']);
  if (kind === undefined || ehrId === undefined || !isDirectoryKind(kind)) return undefined;
  const base = {
    kind,
    ehrId,
    identifiers: identifiers(resource['identifier']),
    ...(typeof resource['active'] === 'boolean' ? { active: resource['active'] } : {}),
    source: 'fhir' as const,
  };
  switch (kind) {
    case 'Practitioner':
      return withOptional(base, {
        name: humanName(resource['name']),
        specialties: concepts(objs(resource['qualification']).map((q) => q['code'])),
        telecom: telecom(resource['telecom']),
        address: address(objs(resource['address'])[0]),
      });
    case 'PractitionerRole': {
      const practitioner = ref(resource['practitioner']);
      const organization = ref(resource['organization']);
      const specialties = concepts([...arr(resource['specialty']), ...arr(resource['code'])]);
      // A role has no name of its own: the practitioner's display, with the organization's.
      const who = display(resource['practitioner']);
      const where = display(resource['organization']);
      return withOptional(base, {
        name: who !== undefined && where !== undefined ? `${who} (${where})` : (who ?? where),
        specialties,
        telecom: telecom(resource['telecom']),
        organizationName: where,
        links: links({
          practitioner,
          organization,
          locations: refs(resource['location']),
          services: refs(resource['healthcareService']),
        }),
      });
    }
    case 'Organization':
      return withOptional(base, {
        name: str(resource['name']) ?? str(arr(resource['alias'])[0]),
        specialties: concepts(arr(resource['type'])),
        telecom: telecom(resource['telecom']),
        address: address(objs(resource['address'])[0]),
        links: links({ partOf: ref(resource['partOf']) }),
      });
    case 'Location':
      return withOptional(base, {
        name: str(resource['name']) ?? str(arr(resource['alias'])[0]),
        specialties: concepts(arr(resource['type'])),
        telecom: telecom(resource['telecom']),
        address: address(resource['address']),
        organizationName: display(resource['managingOrganization']),
        links: links({ organization: ref(resource['managingOrganization']), partOf: ref(resource['partOf']) }),
      });
    case 'HealthcareService':
      return withOptional(base, {
        name: str(resource['name']),
        specialties: concepts([...arr(resource['specialty']), ...arr(resource['type'])]),
        telecom: telecom(resource['telecom']),
        organizationName: display(resource['providedBy']),
        links: links({ organization: ref(resource['providedBy']), locations: refs(resource['location']) }),
      });
  }
}

function withOptional<T extends object>(base: T, extra: Record<string, unknown>): T & Partial<DirectoryFacts> {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (isObj(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out as T & Partial<DirectoryFacts>;
}

function identifiers(v: unknown): EhrIdentifier[] {
  const out: EhrIdentifier[] = [];
  for (const i of objs(v)) {
    const system = str(i['system']);
    const value = str(i['value']);
    if (system !== undefined && value !== undefined) out.push({ system, value });
  }
  return out;
}

/** The first usable HumanName: its text, or prefix given family suffix. */
function humanName(v: unknown): string | undefined {
  const names = objs(v);
  const n = names.find((x) => x['use'] === 'official') ?? names.find((x) => x['use'] !== 'old') ?? names[0];
  if (n === undefined) return undefined;
  const text = str(n['text']);
  if (text !== undefined) return text;
  const parts = [
    ...arr(n['prefix']).map(str),
    ...arr(n['given']).map(str),
    str(n['family']),
    ...arr(n['suffix']).map(str),
  ].filter((s): s is string => s !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** A CodeableConcept's words: its text, or its codings' displays (or codes). */
function concepts(values: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const c of values) {
    if (!isObj(c)) continue;
    const text = str(c['text']);
    if (text !== undefined) {
      out.add(text);
      continue;
    }
    for (const coding of objs(c['coding'])) {
      const word = str(coding['display']) ?? str(coding['code']);
      if (word !== undefined) {
        out.add(word);
        break;
      }
    }
  }
  return [...out];
}

function telecom(v: unknown): DirectoryTelecom[] {
  const out: DirectoryTelecom[] = [];
  for (const t of objs(v)) {
    const value = str(t['value']);
    if (value === undefined) continue;
    const use = str(t['use']);
    out.push({ system: str(t['system']) ?? 'other', value, ...(use !== undefined ? { use } : {}) });
  }
  return out;
}

function address(v: unknown): string | undefined {
  if (!isObj(v)) return undefined;
  const text = str(v['text']);
  if (text !== undefined) return text;
  const parts = [
    ...arr(v['line']).map(str),
    str(v['city']),
    [str(v['state']), str(v['postalCode'])].filter((s) => s !== undefined).join(' ') || undefined,
    str(v['country']),
  ].filter((s): s is string => s !== undefined);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** A Reference's `Type/id`, when it is a relative (or absolute) reference to a directory kind. */
function ref(v: unknown): string | undefined {
  if (!isObj(v)) return undefined;
  const r = str(v['reference']);
  if (r === undefined) return undefined;
  const m = /(?:^|\/)([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(r);
  return m !== null && m[1] !== undefined && isDirectoryKind(m[1]) ? `${m[1]}/${m[2]}` : undefined;
}

function refs(v: unknown): string[] {
  return arr(v)
    .map(ref)
    .filter((r): r is string => r !== undefined);
}

function display(v: unknown): string | undefined {
  return isObj(v) ? str(v['display']) : undefined;
}

function links(l: {
  organization?: string | undefined;
  practitioner?: string | undefined;
  locations?: string[];
  services?: string[];
  partOf?: string | undefined;
}): DirectoryLinks {
  return {
    ...(l.organization !== undefined ? { organization: l.organization } : {}),
    ...(l.practitioner !== undefined ? { practitioner: l.practitioner } : {}),
    ...(l.locations !== undefined && l.locations.length > 0 ? { locations: l.locations } : {}),
    ...(l.services !== undefined && l.services.length > 0 ? { services: l.services } : {}),
    ...(l.partOf !== undefined ? { partOf: l.partOf } : {}),
  };
}

/** The references a resource's facts point at, for the learner to read next. */
export function linkedReferences(f: Pick<DirectoryFacts, 'links'>): string[] {
  const l = f.links ?? {};
  return [l.organization, l.practitioner, l.partOf, ...(l.locations ?? []), ...(l.services ?? [])].filter(
    (r): r is string => r !== undefined,
  );
}
