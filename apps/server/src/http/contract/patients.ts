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
