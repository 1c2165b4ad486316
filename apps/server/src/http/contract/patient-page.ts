/** @module One patient's page: the patient as the reader may see them, and their work in one place. */
import { Type } from 'typebox';
import { List, Nullable, PatientLabel } from './common.js';
import { FollowupItem } from './followups.js';
import { ReferralListItem } from './referrals.js';

const NullableString = Nullable(Type.String());

/** One of the patient's proposals, by codes (what it would do, where it stands, when due). */
export const PatientProposal = Type.Object({
  id: Type.String(),
  action: Type.String(),
  status: Type.String(),
  reasonCode: Type.String(),
  workflow: NullableString,
  priority: Type.Integer(),
  dueAt: NullableString,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** One normalised EHR event about the patient (the inbound journal), by type, kind and status. */
export const PatientEvent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  kind: Type.String(),
  status: NullableString,
  occurredAt: Type.String(),
  recordedAt: Type.String(),
  sourceRef: Type.String(),
  connectionId: Type.String(),
});

export const PatientPage = Type.Object({
  patient: PatientLabel,
  /** The site the patient was first seen at: what the page's reads were decided at. */
  site: Type.String(),
  /** Steward ids merged into this patient (their work is shown too). */
  mergedIds: List(Type.String()),
  referrals: List(ReferralListItem),
  followups: List(FollowupItem),
  /** Null when the reader may not see the review queue at the patient's site. */
  proposals: Nullable(List(PatientProposal)),
  events: List(PatientEvent),
  /** The server's time, to tell overdue from upcoming. */
  asOf: Type.String(),
});
