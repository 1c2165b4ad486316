/**
 * @module Where FHIR is strict, Steward is too. Two rules every inbound resource passes before it
 * becomes events:
 *
 * - **Modifier extensions.** A `modifierExtension` changes the meaning of the element it sits on
 *   (e.g. "this appointment did NOT happen"); FHIR forbids processing a resource as if an unknown
 *   one were absent. Any `modifierExtension` anywhere in the resource (contained resources and
 *   backbone elements included) whose url is not on the allow-list is `FHIR_UNSUPPORTED`, naming
 *   the element and the url (a definition's address, never data).
 * - **Zone-less date-times.** A `dateTime` with a time and no offset is never taken as UTC: it is
 *   read in the connection's declared zone (the same DST rules as HL7 times) and the event is
 *   flagged `zone-inferred`, or refused as `FHIR_UNSUPPORTED` when the connection says so.
 */
import { UserError, type EhrEventFlag } from '@steward/core';
import { hl7TimeToIso } from '../hl7v2/hl7-time.js';
import { isObject } from './read-elements.js';

function unsupported(path: string, rule: string): UserError {
  return new UserError('FHIR_UNSUPPORTED', `FHIR element ${path}: ${rule}`, [{ path, message: rule }]);
}

/**
 * Throws `FHIR_UNSUPPORTED` for the first modifier extension not in `known`, and for
 * `implicitRules` (which FHIR says a system must refuse when it does not know the rules) unless
 * its url is in `known` too. Iterative (no stack depth).
 */
export function checkModifierExtensions(resource: object, known: readonly string[] = []): void {
  const root = (resource as { resourceType?: unknown }).resourceType;
  const rules = (resource as { implicitRules?: unknown }).implicitRules;
  const name = typeof root === 'string' ? root : 'resource';
  if (rules !== undefined && (typeof rules !== 'string' || !known.includes(rules)))
    throw unsupported(
      `${name}.implicitRules`,
      'names rules Steward does not know; FHIR requires refusing the resource',
    );
  const stack: [unknown, string][] = [[resource, name]];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${path}[${i}]`]);
      continue;
    }
    if (!isObject(node)) continue;
    const modifiers = node['modifierExtension'];
    if (modifiers !== undefined) {
      if (!Array.isArray(modifiers)) throw unsupported(`${path}.modifierExtension`, 'must be an array');
      modifiers.forEach((m, i) => {
        const url = isObject(m) ? m['url'] : undefined;
        const at = `${path}.modifierExtension[${i}]`;
        if (typeof url !== 'string' || url === '') throw unsupported(at, 'is a modifier extension without a url');
        if (!known.includes(url))
          throw unsupported(
            at,
            `is a modifier extension Steward does not understand (${url.slice(0, 200)}); ` +
              'FHIR forbids processing the resource as if it were absent',
          );
      });
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'modifierExtension') continue;
      if (typeof child === 'object' && child !== null) {
        const label = key === 'contained' ? `${path}.contained` : `${path}.${key}`;
        stack.push([child, label]);
      }
    }
  }
}

/** How a connection reads date-times without an offset. */
export interface ZoneRule {
  /** The connection's declared IANA zone; without one, a zone-less time is refused. */
  readonly timeZone?: string;
  readonly zoneless?: 'infer' | 'refuse';
}

const zoneless = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/**
 * `value` with an explicit offset: unchanged when it has one (or is a date without a time);
 * read in the declared zone when it has a time and no offset (recorded in `inferred`); refused
 * (`FHIR_UNSUPPORTED` naming `path`) when the connection refuses such times or declares no zone.
 */
export function settleZone(value: string, path: string, rule: ZoneRule, inferred: Set<string>): string {
  const m = zoneless.exec(value);
  if (m === null) return value;
  if (rule.zoneless === 'refuse')
    throw unsupported(path, 'has a time without a UTC offset, and this connection refuses zone-less times');
  if (rule.timeZone === undefined)
    throw unsupported(path, 'has a time without a UTC offset, and the connection declares no time zone');
  const [, y, mo, d, h, mi, s, frac] = m;
  // HL7 DTM digits carry at most 4 fraction digits; more precision than that is not kept.
  const digits = `${y}${mo}${d}${h}${mi}${s ?? ''}${s !== undefined && frac !== undefined ? `.${frac.slice(0, 4)}` : ''}`;
  let iso: string | undefined;
  try {
    iso = hl7TimeToIso(digits, { zone: rule.timeZone, field: path });
  } catch {
    throw unsupported(path, 'is not a valid dateTime');
  }
  if (iso === undefined) throw unsupported(path, 'is not a valid dateTime');
  inferred.add(path);
  return iso;
}

/** The `zone-inferred` flag for the elements read in the declared zone (none: undefined). */
export function zoneFlag(inferred: ReadonlySet<string>, rule: ZoneRule): EhrEventFlag | undefined {
  if (inferred.size === 0) return undefined;
  return {
    code: 'zone-inferred',
    detail: `${[...inferred].join(', ')} had no UTC offset: read in ${rule.timeZone ?? '(no zone)'}`,
  };
}
