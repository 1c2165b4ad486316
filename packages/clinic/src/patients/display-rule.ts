/**
 * @module The minimum-necessary rule for showing a patient on a list item (review queue, referrals,
 * follow-ups, audit): per role and purpose of use, which of the display fields an item may carry.
 * The one place this is decided; the HTTP items and the console only show what it lets through.
 *
 * Only three fields exist to show: a display name, the birth date and a masked MRN (its last four
 * characters). Anything else a chart holds (SSN, licence, address, phone, email) is never a display
 * field, whatever the role. A role that reads no PHI (admin, compliance officer, integration) sees
 * none of them, and neither does the automation account (it reads records, never a screen).
 */
import type { PurposeOfUse, Role } from '@steward/core';
import { roleAllows } from '@steward/governance';

export const patientDisplayFields = ['name', 'birthDate', 'mrn'] as const;
export type PatientDisplayField = (typeof patientDisplayFields)[number];

/** Who is looking: the role of the grant that allowed the read, or a break-glass episode (no grant). */
export type DisplayViewer = Role | 'break-glass';

// People who work the items at the desk or in review recognise a patient by all three.
const people: ReadonlySet<DisplayViewer> = new Set(['coordinator', 'front_desk', 'clinician_reviewer', 'break-glass']);

/** Purposes a patient is worked for; payment staff recognise a patient by name and MRN, not birth date. */
const byPurpose: Readonly<Record<PurposeOfUse, readonly PatientDisplayField[]>> = {
  TREAT: patientDisplayFields,
  ETREAT: patientDisplayFields,
  HOPERAT: patientDisplayFields,
  HPAYMT: ['name', 'mrn'],
  HSYSADMIN: [],
  HCOMPL: [],
};

/** The display fields a list item may carry for this viewer reading for this purpose (none when not allowed). */
export function displayFieldsFor(viewer: DisplayViewer, purpose: PurposeOfUse): readonly PatientDisplayField[] {
  if (!people.has(viewer)) return [];
  if (viewer !== 'break-glass' && !roleAllows(viewer, 'phi.read')) return [];
  return byPurpose[purpose];
}

/**
 * The one exception to "compliance sees no demographics" (ADR 0021): reviewing a break-glass
 * episode, the compliance officer must be able to tell which patients were accessed under it (the
 * accounting of access of HIPAA §164.528, and the review itself), so the accesses on that review
 * show each patient's name and birth date — not the MRN, and on no other compliance view. Shown
 * through `PatientLabels.forBreakGlassReview`, which needs `break_glass.review` and audits the
 * display as a PHI read under the reviewer's purpose (compliance).
 */
export const breakGlassReviewFields: readonly PatientDisplayField[] = ['name', 'birthDate'];

/** The MRN as a list shows it: its last four characters after a mask (shorter ones are masked whole). */
export function maskMrn(value: string): string {
  const v = value.trim();
  return v.length <= 4 ? '••••' : `••••${v.slice(-4)}`;
}
