/**
 * @module LOINC document type codes per intake document type, for the filed DocumentReference's
 * `type`. Where LOINC has no code for the type itself (a records request, a prior authorization)
 * the closest document-ontology code is used (`Administrative note`), with the type in `text`.
 */
import type { DocumentType } from '../model/intake-model.js';

export interface DocumentCode {
  readonly code: string;
  readonly display: string;
  /** How a person reads the type (the console, a handoff's ask). */
  readonly label: string;
}

export const LOINC = 'http://loinc.org';

export const documentCodes: Readonly<Record<DocumentType, DocumentCode>> = {
  'referral-letter': { code: '57133-1', display: 'Referral note', label: 'Referral letter' },
  'intake-form': { code: '74465-6', display: 'Questionnaire response Document', label: 'Intake form' },
  'insurance-card': { code: '64290-0', display: 'Insurance card', label: 'Insurance card' },
  result: { code: '11502-2', display: 'Laboratory report', label: 'Result' },
  'consult-note': { code: '11488-4', display: 'Consult note', label: 'Consult note' },
  'records-request': { code: '51851-4', display: 'Administrative note', label: 'Records request' },
  'prior-authorization': { code: '51851-4', display: 'Administrative note', label: 'Prior authorization' },
  consent: { code: '59284-0', display: 'Consent Document', label: 'Consent' },
  other: { code: '34109-9', display: 'Note', label: 'Other document' },
};
