/**
 * @module How a list item's patient and actors read on screen. The server already applied the
 * minimum-necessary rule (a reader who may not see demographics gets the Steward id alone); this
 * only words what came: "Quill, Ada · born 1970-04-05 · MRN ••••7123", or "Patient 1a2b3c4d".
 */
import { shortId } from './format.js';

/** The patient fields an item may carry (the API's PatientLabel). */
export interface PatientLabel {
  readonly id: string;
  readonly name?: string;
  readonly birthDate?: string;
  readonly mrn?: string;
}

/** One line to recognise the patient by; `undefined` when the item names none. */
export function patientLine(label: PatientLabel | undefined): string | undefined {
  if (label === undefined) return undefined;
  const parts = [
    ...(label.name !== undefined ? [label.name] : []),
    ...(label.birthDate !== undefined ? [`born ${label.birthDate}`] : []),
    ...(label.mrn !== undefined ? [`MRN ${label.mrn}`] : []),
  ];
  return parts.length > 0 ? parts.join(' · ') : `Patient ${shortId(label.id)}`;
}

/** An actor by name ("me" for the reader), else its kind and short id. */
export function actorName(
  actor: { readonly kind: string; readonly id: string; readonly name?: string },
  meId?: string,
): string {
  if (meId !== undefined && actor.id === meId) return 'me';
  return actor.name ?? `${actor.kind} ${shortId(actor.id)}`;
}
