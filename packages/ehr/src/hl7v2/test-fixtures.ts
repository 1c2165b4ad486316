/**
 * @module Test-only: the third-party HL7 v2 fixture messages (read-only, never edited) and small
 * helpers to derive variants in test code. The fixtures live beside the repository
 * (`../shared/fixtures`), or wherever `STEWARD_FIXTURES` points.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { thirdPartyFixture } from '@steward/core/testing';
import type { Hl7MapContext } from './map-common.js';

export const hl7FixtureDir = thirdPartyFixture('hl7v2');

/** Every fixture as `[relative path, text]`, sorted. */
export function allHl7Fixtures(): [string, string][] {
  const out: [string, string][] = [];
  for (const dir of ['fhir-converter', 'hapi']) {
    for (const name of readdirSync(join(hl7FixtureDir, dir)).sort())
      out.push([`${dir}/${name}`, readFileSync(join(hl7FixtureDir, dir, name), 'utf8')]);
  }
  return out;
}

export function hl7Fixture(path: string): string {
  return readFileSync(join(hl7FixtureDir, path), 'utf8');
}

export const testContext: Hl7MapContext = { connectionId: 'conn-1', facilityTimeZone: 'America/New_York' };

/** The message's segments as lines (any separator), BOM removed. */
export function segmentsOf(message: string): string[] {
  return message
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .filter((l) => l.length > 0);
}

/** Replaces field `index` (HL7 numbering; MSH counts its separator as MSH-1) of the first `segment`. */
export function withField(message: string, segment: string, index: number, value: string): string {
  let done = false;
  return segmentsOf(message)
    .map((line) => {
      if (done || !line.startsWith(`${segment}|`)) return line;
      done = true;
      const fields = line.split('|');
      const i = segment === 'MSH' ? index - 1 : index;
      while (fields.length <= i) fields.push('');
      fields[i] = value;
      return fields.join('|');
    })
    .join('\r');
}

/** Drops every `segment` line. */
export function withoutSegment(message: string, segment: string): string {
  return segmentsOf(message)
    .filter((l) => !l.startsWith(`${segment}|`))
    .join('\r');
}
