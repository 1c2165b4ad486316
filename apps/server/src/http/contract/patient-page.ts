/** @module One patient's page: the patient as the reader may see them, and their work in one place. */
import { Type } from 'typebox';
import { List, Nullable, PatientLabel, Strict, Uuid } from './common.js';
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

/** One relationship of the patient's linked contact, from the patient's side. */
export const PatientContact = Type.Object({
  relationshipId: Type.String(),
  /** The related person or organization; `#/contacts/<id>` shows their graph. */
  party: Type.Object({
    id: Type.String(),
    kind: Type.Union([Type.Literal('person'), Type.Literal('organization')]),
    name: Type.String(),
  }),
  /** Their role in words ("family caregiver", "healthcare proxy", "legal guardian"). */
  role: Type.String(),
  type: Type.String(),
  validFrom: NullableString,
  validTo: NullableString,
  active: Type.Boolean(),
  /** The authority they hold over the patient, in words ("may give consent"); empty when none. */
  authority: List(Type.String()),
  /** Whether they may receive information about the patient (messages or records) today. */
  mayReceiveInformation: Type.Boolean(),
});

/** A person in the contact graph with the patient's exact family name, given names and birth date: to be confirmed. */
export const ContactLinkSuggestion = Type.Object({
  partyId: Type.String(),
  name: Type.String(),
  birthDate: Type.String(),
  reason: Type.Literal('same-name-and-birth-date'),
});

/** The confirmed link between the patient and a contact-graph person at the patient's site. */
export const PatientContactLink = Type.Object({
  partyId: Type.String(),
  linkedBy: Type.String(),
  linkedAt: Type.String(),
});

/** "Contacts and relationships": the linked contact's relationships, or the suggestions to confirm. */
export const PatientContacts = Type.Object({
  link: Nullable(Type.Object({ ...PatientContactLink.properties, name: Type.String() })),
  contacts: List(PatientContact),
  /** Null when linked; otherwise every exact match, none preferred (never the patient's contacts until confirmed). */
  suggestions: Nullable(List(ContactLinkSuggestion)),
  /** Whether the reader may link or unlink (the contacts write permission at the site). */
  mayLink: Type.Boolean(),
});

export const ContactLinkBody = Strict({ partyId: Uuid });

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
  contacts: PatientContacts,
  /** The server's time, to tell overdue from upcoming. */
  asOf: Type.String(),
});
