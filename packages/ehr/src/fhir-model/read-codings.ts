/**
 * @module CodeableConcepts as codes (`EhrCoding`: system and code, never display or text), for
 * rules that decide by code system and code, such as which ServiceRequests are referrals.
 */
import type { EhrCoding } from '@steward/core';
import { objectsOf, optString, type JsonObject } from './read-elements.js';

/** The codings of one CodeableConcept that carry a code (a coding with only a display is skipped). */
export function conceptCodings(concept: JsonObject | undefined, path: string): EhrCoding[] {
  if (concept === undefined) return [];
  const out: EhrCoding[] = [];
  for (const [i, coding] of objectsOf(concept, 'coding', path).entries()) {
    const code = optString(coding, 'code', `${path}.coding[${i}]`);
    const system = optString(coding, 'system', `${path}.coding[${i}]`);
    if (code !== undefined && code !== '') out.push(system !== undefined ? { system, code } : { code });
  }
  return out;
}

/** The codings of a repeating CodeableConcept element, in order. */
export function conceptsCodings(obj: JsonObject, key: string, path: string): EhrCoding[] {
  return objectsOf(obj, key, path).flatMap((c, i) => conceptCodings(c, `${path}.${key}[${i}]`));
}
