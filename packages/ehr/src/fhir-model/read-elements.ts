/**
 * @module Defensive readers for FHIR JSON elements. FHIR arriving from an EHR is untrusted: a
 * typed `Appointment` may still hold a number where a string belongs. Every mapper reads through
 * these helpers, so a wrongly typed element becomes `FHIR_INVALID` naming the element (never its
 * value, which may be PHI) instead of a TypeError deep inside a mapper.
 */
import { UserError } from '@steward/core';
import type { EhrIdentifier } from '@steward/core';

export type JsonObject = Record<string, unknown>;

/**
 * A typed FHIR resource read as untrusted JSON: every element `unknown` until a reader checks it.
 * A widening, not a promise: the resource came from JSON, and the readers below check each element.
 */
export function elementsOf(resource: object): JsonObject {
  return resource as JsonObject;
}

/** The one way this folder reports bad FHIR: the element path and the rule, never the value. */
export function fhirInvalid(path: string, rule: string): UserError {
  return new UserError('FHIR_INVALID', `FHIR element ${path}: ${rule}`, [{ path, message: rule }]);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional string element: absent → undefined; present and not a string → FHIR_INVALID. */
export function optString(obj: JsonObject, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw fhirInvalid(`${path}.${key}`, 'must be a string');
  return v;
}

export function reqString(obj: JsonObject, key: string, path: string): string {
  const v = optString(obj, key, path);
  if (v === undefined || v === '') throw fhirInvalid(`${path}.${key}`, 'is required');
  return v;
}

export function optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw fhirInvalid(`${path}.${key}`, 'must be an object');
  return v;
}

/** An optional repeating element: absent → []; present and not an array → FHIR_INVALID. */
export function optArray(obj: JsonObject, key: string, path: string): readonly unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw fhirInvalid(`${path}.${key}`, 'must be an array');
  return v;
}

/** The objects of a repeating element, each checked. */
export function objectsOf(obj: JsonObject, key: string, path: string): JsonObject[] {
  return optArray(obj, key, path).map((item, i) => {
    if (!isObject(item)) throw fhirInvalid(`${path}.${key}[${i}]`, 'must be an object');
    return item;
  });
}

/** A code from a fixed value set; absent → undefined (or FHIR_INVALID when required). */
export function optCode<T extends string>(
  obj: JsonObject,
  key: string,
  path: string,
  allowed: readonly T[],
): T | undefined {
  const v = optString(obj, key, path);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw fhirInvalid(`${path}.${key}`, 'is not a known code');
  return v as T;
}

export function reqCode<T extends string>(obj: JsonObject, key: string, path: string, allowed: readonly T[]): T {
  const v = optCode(obj, key, path, allowed);
  if (v === undefined) throw fhirInvalid(`${path}.${key}`, 'is required');
  return v;
}

/**
 * Identifiers Steward can match on: both `system` and `value` present. Identifiers without a
 * system cannot be matched exactly across systems, so they are left out (a known limit).
 */
export function readIdentifiers(obj: JsonObject, key: string, path: string): EhrIdentifier[] {
  const out: EhrIdentifier[] = [];
  objectsOf(obj, key, path).forEach((id, i) => {
    const one = readIdentifier(id, `${path}.${key}[${i}]`);
    if (one) out.push(one);
  });
  return out;
}

export function readIdentifier(id: JsonObject, path: string): EhrIdentifier | undefined {
  const system = optString(id, 'system', path);
  const value = optString(id, 'value', path);
  return system && value ? { system, value } : undefined;
}

/**
 * A short label for a CodeableConcept: the first coding's code (stable, not free text), else its
 * display, else the concept's text. Used only for operational labels such as a service type.
 */
export function conceptLabel(concept: JsonObject | undefined, path: string): string | undefined {
  if (!concept) return undefined;
  for (const [i, coding] of objectsOf(concept, 'coding', path).entries()) {
    const code = optString(coding, 'code', `${path}.coding[${i}]`);
    const display = optString(coding, 'display', `${path}.coding[${i}]`);
    if (code || display) return code || display;
  }
  return optString(concept, 'text', path) || undefined;
}

/** The first element of a repeating CodeableConcept, as a label. */
export function firstConceptLabel(obj: JsonObject, key: string, path: string): string | undefined {
  for (const [i, c] of objectsOf(obj, key, path).entries()) {
    const label = conceptLabel(c, `${path}.${key}[${i}]`);
    if (label) return label;
  }
  return undefined;
}

/** `{ key: value }` when the value is defined, else `{}`: for optional fields under exactOptionalPropertyTypes. */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
