/** @module Steward's patient records over HTTP: demographics in, the stored record out. */
import { Type, type Static } from 'typebox';
import { DateTime, List, Maybe, SiteCode, Strict } from './common.js';

const Gender = Type.Enum(['female', 'male', 'other', 'unknown']);
const demographics = {
  name: Strict({
    family: Type.String({ minLength: 1, maxLength: 200 }),
    given: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 10 }),
  }),
  birthDate: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' }),
  gender: Type.Optional(Gender),
  identifiers: Type.Array(
    Strict({
      system: Type.String({ minLength: 1, maxLength: 500 }),
      value: Type.String({ minLength: 1, maxLength: 200 }),
    }),
    { maxItems: 20 },
  ),
};
export const Demographics = Strict(demographics);
export const NewPatient = Strict({ ...demographics, site: SiteCode });

export const Patient = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  site: Type.String(),
  name: Type.Object({ family: Type.String(), given: List(Type.String()) }),
  birthDate: Type.String(),
  gender: Maybe(Gender),
  identifiers: List(Type.Object({ system: Type.String(), value: Type.String() })),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Patient = Static<typeof Patient>;
export const PatientList = Type.Object({ items: List(Patient) });

export const IfMatchHeaders = Type.Object({ 'if-match': Type.String({ pattern: '^(W/)?"\\d{1,9}"$' }) });
export const PatientSearchQuery = Strict({
  identifier: Type.String({ minLength: 3, maxLength: 701, pattern: '^[^|]+\\|.+$' }),
});

/** A patient as the patient index shows it: Steward id, where first seen, minimum demographics. */
export const IndexedPatient = Type.Object({
  id: Type.String(),
  site: Type.String(),
  name: Type.Optional(Type.Object({ family: Type.String(), given: List(Type.String()) })),
  birthDate: Type.Optional(Type.String()),
  gender: Type.Optional(Gender),
  mergedIds: List(Type.String()),
});

/** An uncertain candidate: a patient created beside a look-alike, waiting for a person. */
export const PatientReview = Type.Object({
  id: Type.String(),
  site: Type.String(),
  reason: Type.String({ description: 'why it is on the list, e.g. same-name-and-birth-date' }),
  status: Type.Enum(['open', 'linked', 'dismissed']),
  createdAt: DateTime,
  patient: IndexedPatient,
  candidate: IndexedPatient,
});
export const PatientReviewList = Type.Object({ items: List(PatientReview) });
export const PatientReviewQuery = Strict({ limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$' })) });
