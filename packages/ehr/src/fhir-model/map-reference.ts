/**
 * @module FHIR References → Steward's `ParticipantRef` and `PatientRef`. A reference may be
 * relative (`Practitioner/1`), absolute (`https://ehr/fhir/Practitioner/1`), versioned
 * (`…/_history/2`), contained (`#a2`) or logical (only `identifier`). The kind comes from the
 * reference's type (explicit `type`, else the URL); the EHR id from the URL; identifiers from
 * `reference.identifier`; display as given (a participant's name, never a patient's).
 */
import { UserError, type EhrIdentifier, type ParticipantRef, type PatientRef } from '@steward/core';
import { fhirInvalid, isObject, opt, optObject, optString, readIdentifier, elementsOf } from './read-elements.js';
import type { JsonObject } from './read-elements.js';

export const participantKinds = [
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'HealthcareService',
] as const satisfies readonly ParticipantRef['kind'][];

export interface ParsedReference {
  readonly type?: string;
  readonly id?: string;
  readonly version?: string;
  /** `Type/id`, the form Steward stores and compares. */
  readonly relative?: string;
}

const referencePattern =
  /(?:^|\/)([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;

/** Parses a reference string. `#contained` and `urn:` references have no type or id. */
export function parseReferenceString(reference: string): ParsedReference {
  if (reference.length > 4096) return {};
  const m = referencePattern.exec(reference);
  if (!m || m[1] === undefined || m[2] === undefined) return {};
  return { type: m[1], id: m[2], relative: `${m[1]}/${m[2]}`, ...opt('version', m[3]) };
}

/** Reads a Reference element: its parsed target, identifier and display. */
export function readReference(
  ref: JsonObject,
  path: string,
): ParsedReference & { identifier?: EhrIdentifier; display?: string } {
  const reference = optString(ref, 'reference', path);
  const explicitType = optString(ref, 'type', path);
  const parsed = reference ? parseReferenceString(reference) : {};
  const idObj = optObject(ref, 'identifier', path);
  const identifier = idObj ? readIdentifier(idObj, `${path}.identifier`) : undefined;
  const display = optString(ref, 'display', path);
  const type = explicitType ?? parsed.type;
  return { ...parsed, ...opt('type', type), ...opt('identifier', identifier), ...opt('display', display) };
}

/** The relative reference (`Type/id`) of a Reference element, when it has one. */
export function referenceTarget(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw fhirInvalid(path, 'must be a Reference object');
  return readReference(value, path).relative;
}

/**
 * A participant, or undefined when the reference is not to one of Steward's participant kinds
 * (a Patient, a Device, a display-only actor such as "Phone Call").
 */
export function toParticipant(value: unknown, path: string): ParticipantRef | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw fhirInvalid(path, 'must be a Reference object');
  const r = readReference(value, path);
  const kind = participantKinds.find((k) => k === r.type);
  if (!kind) return undefined;
  return {
    kind,
    ...opt('ehrId', r.relative?.startsWith(`${kind}/`) ? r.id : undefined),
    identifiers: r.identifier ? [r.identifier] : [],
    ...opt('display', r.display),
  };
}

/**
 * The patient a reference points to. Throws FHIR_INVALID when the reference is absent, is to
 * something other than a Patient, or carries neither an id nor an identifier. The display is
 * dropped on purpose: it is the patient's name.
 */
export function toPatientRef(value: unknown, path: string): PatientRef {
  if (value === undefined || value === null) throw fhirInvalid(path, 'is required (the patient)');
  if (!isObject(value)) throw fhirInvalid(path, 'must be a Reference object');
  const r = readReference(value, path);
  if (r.type !== undefined && r.type !== 'Patient') throw fhirInvalid(path, 'must reference a Patient');
  const ehrId = r.type === 'Patient' ? r.id : undefined;
  if (ehrId === undefined && !r.identifier) throw fhirInvalid(path, 'must give a Patient id or identifier');
  return { ...opt('ehrId', ehrId), identifiers: r.identifier ? [r.identifier] : [] };
}

/** The relative references of a repeating Reference element (unresolvable ones are skipped). */
export function referenceTargets(items: readonly unknown[], path: string): string[] {
  const out: string[] = [];
  items.forEach((item, i) => {
    const t = referenceTarget(item, `${path}[${i}]`);
    if (t) out.push(t);
  });
  return out;
}

/**
 * Contained Patients made matchable: every reference `#id` to a contained Patient becomes a
 * logical reference `{ type: 'Patient', identifier }` with the contained Patient's first usable
 * identifier, so every mapper finds the patient the same way. A contained Patient is not a chart
 * (it has no EHR id): without an identifier (system and value) nothing could match it, so the
 * resource is refused (`FHIR_UNSUPPORTED`) naming the referencing element. Returns a copy when it
 * changed anything; references to other contained resources are left as they are.
 */
export function resolveContainedPatients<T extends object>(resource: T): T {
  const r = elementsOf(resource);
  const contained = Array.isArray(r['contained']) ? (r['contained'] as unknown[]) : [];
  const patients = new Map<string, JsonObject>();
  for (const c of contained)
    if (isObject(c) && c['resourceType'] === 'Patient' && typeof c['id'] === 'string') patients.set(c['id'], c);
  if (patients.size === 0) return resource;
  const type = typeof r['resourceType'] === 'string' ? r['resourceType'] : 'resource';
  const rewrite = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((n, i) => rewrite(n, `${path}[${i}]`));
    if (!isObject(node)) return node;
    const ref = node['reference'];
    if (typeof ref === 'string' && ref.startsWith('#') && patients.has(ref.slice(1))) {
      const patient = patients.get(ref.slice(1)) as JsonObject;
      const ids = Array.isArray(patient['identifier']) ? (patient['identifier'] as unknown[]) : [];
      const identifier = ids
        .map((id, i) => (isObject(id) ? readIdentifier(id, `${type}.contained.identifier[${i}]`) : undefined))
        .find((id) => id !== undefined);
      if (identifier === undefined)
        throw new UserError(
          'FHIR_UNSUPPORTED',
          `FHIR element ${path}: references contained Patient ${ref}, which has no identifier (system and value) to match a chart by`,
          [{ path, message: 'contained Patient without an identifier' }],
        );
      const rest: JsonObject = { ...node };
      delete rest['reference'];
      return { ...rest, type: 'Patient', identifier };
    }
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === 'contained' ? v : rewrite(v, `${path}.${k}`);
    return out;
  };
  return rewrite(resource, type) as T;
}

/**
 * What a repeating `basedOn` names: each relative reference (`ServiceRequest/1`), and for a
 * reference carrying an identifier (a logical reference, or one with both) its `system|value`
 * token, so a request that arrived with identifiers only (HL7 REF/ORM) is still found.
 */
export function basedOnTargets(items: readonly unknown[], path: string): string[] {
  const out: string[] = [];
  items.forEach((item, i) => {
    if (item === undefined || item === null) return;
    if (!isObject(item)) throw fhirInvalid(`${path}[${i}]`, 'must be a Reference object');
    const r = readReference(item, `${path}[${i}]`);
    if (r.relative !== undefined) out.push(r.relative);
    if (r.identifier !== undefined) out.push(`${r.identifier.system}|${r.identifier.value}`);
  });
  return out;
}
