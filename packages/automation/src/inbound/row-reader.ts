/**
 * @module What turns one row of a screen read into an event, per kind of row (`ReadSpec.rows`):
 * the row read into a state (or refused, naming the column), the change key of a state, and the
 * event a state amounts to after the one last read. Shared helpers read what every kind needs the
 * same way: a column's header, a vocabulary lookup, the EHR id in a link to a screen of the map.
 */
import type { EhrEventFacts, EhrEventType, PatientRef } from '@steward/core';
import type { ReadSpec, ScreenMap } from '../model/screen-map.js';
import type { ReadRow } from '../executor/read-rows.js';
import { normaliseName } from '../executor/names.js';
import { URLPattern } from '../model/url-pattern.js';

export type RowReading<S> =
  | { readonly ok: true; readonly id: string; readonly patient: PatientRef; readonly state: S }
  | { readonly ok: false; readonly id: string | undefined; readonly reason: string };

export interface RowReader<S> {
  readonly resourceType: 'Appointment' | 'Task';
  read(map: ScreenMap, read: ReadSpec, row: ReadRow, day: string, zone: string): RowReading<S>;
  /** Unique per record and state: a re-read of the same state is the same change. */
  changeKey(id: string, state: S): string;
  /** The event this state amounts to after `before` (undefined: none read by this process). */
  event(
    id: string,
    state: S,
    before: S | undefined,
  ): { readonly type: EhrEventType; readonly facts: EhrEventFacts } | undefined;
}

/** The header a column key is shown under (for reasons: a column is named, never its value). */
export function headerOf(read: ReadSpec, key: string): string {
  return read.columns.find((c) => c.key === key)?.header ?? key;
}

/** The code the read's vocabulary gives a cell's text (matched normalised), or undefined. */
export function codeOf(read: ReadSpec, key: string, text: string | undefined): string | undefined {
  const wanted = normaliseName(text ?? '');
  return Object.entries(read.values?.[key] ?? {}).find(([t]) => normaliseName(t) === wanted)?.[1];
}

/** Identifiers the row shows in `identifier:<system>` columns. */
export function rowIdentifiers(read: ReadSpec, row: ReadRow): { system: string; value: string }[] {
  return read.columns
    .filter((c) => c.key.startsWith('identifier:') && (row[c.key] ?? '').trim() !== '')
    .map((c) => ({ system: c.key.slice('identifier:'.length), value: (row[c.key] ?? '').trim() }));
}

/** The EHR id in a link to one of the map's screens (its contract's one path parameter, or `:id`). */
export function linkedId(map: ScreenMap, screenId: string | undefined, href: string | undefined): string | undefined {
  const contract = map.screens.find((s) => s.id === screenId);
  if (href === undefined || contract === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(map.origin).origin) return undefined;
  const groups = new URLPattern({ pathname: contract.path }).exec({ pathname: url.pathname })?.pathname.groups ?? {};
  // Its one parameter, or the one named `id` (`/patients/:patient/tasks/:id`).
  const values = Object.values(groups).filter((v): v is string => v !== undefined && v !== '');
  const id = groups['id'] ?? (values.length === 1 ? values[0] : undefined);
  return id === undefined || id === '' ? undefined : decodeURIComponent(id);
}

/** The patient a row is about: the EHR id in its `patient` cell's chart link, and identifier columns. */
export function rowPatient(map: ScreenMap, read: ReadSpec, row: ReadRow): PatientRef | undefined {
  const identifiers = rowIdentifiers(read, row);
  const ehrId = linkedId(map, map.patientSearch.chart, row['@href:patient']);
  if (ehrId === undefined && identifiers.length === 0) return undefined;
  return { ...(ehrId !== undefined ? { ehrId } : {}), identifiers };
}

export const noPatient = (read: ReadSpec): string =>
  `the ${headerOf(read, 'patient')} column has no link to a chart the map knows, and no identifier column`;
