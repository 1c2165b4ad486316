/**
 * @module Intake documents (issue 19): an upload (base64 JSON), documents from the EHR (an HL7 v2
 * MDM^T02, a FHIR DocumentReference or Binary), the queue and its filters, a document beside what
 * was read from it, the sort / match / reject actions, the per-site intake policy, and the webhook
 * sources of fax and e-mail providers.
 */
import { Type } from 'typebox';
import { documentStates, documentTypes, intakeMediaTypes, maxIntakeBytes, rejectReasons } from '@steward/intake';
import { DateTime, JsonBody, List, Maybe, Nullable, QueryFlag, SiteCode, Strict, Uuid } from './common.js';

const DocType = Type.Enum([...documentTypes]);
const DocState = Type.Enum([...documentStates]);
const Source = Type.Enum(['folder', 'hl7-mdm', 'fhir', 'upload', 'webhook']);
const Outcome = Type.Enum(['accepted', 'duplicate', 'unreadable']);
/** Base64 of a file up to the intake limit (4 characters per 3 bytes, whitespace allowed). */
const Base64File = Type.String({ minLength: 4, maxLength: Math.ceil((maxIntakeBytes * 4) / 3) + 4096 });

export const IntakeUploadBody = Strict({
  site: SiteCode,
  mediaType: Type.Optional(Type.Enum([...intakeMediaTypes])),
  fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  data: Base64File,
});

export const IntakeHl7Body = Strict({
  site: SiteCode,
  message: Type.String({
    minLength: 8,
    maxLength: Math.ceil((maxIntakeBytes * 4) / 3) + 65536,
    description: 'an HL7 v2 MDM^T02 (ER7), the document in OBX-5 (ED, Base64)',
  }),
});

export const IntakeFhirBody = Strict({
  site: SiteCode,
  resource: JsonBody,
  connection: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "the EHR connection (name or id) at the site to read an attachment's Binary from, when the DocumentReference's attachment is by url",
    }),
  ),
});

export const ArrivalView = Type.Object({
  arrivalId: Uuid,
  site: Type.String(),
  source: Source,
  fileId: Uuid,
  outcome: Outcome,
  detail: Maybe(Type.String({ description: 'already received as file <id> on <date>; why a file could not be read' })),
  reading: Type.Enum(['received', 'reading', 'read', 'unreadable'], {
    description:
      'where the file is in its reading: received (waiting for a reading worker), reading (being read, or its documents being routed), read (its documents listed), unreadable (detail says why)',
  }),
  readingNote: Type.String({
    description: 'the same in words: "received, waiting to be read", the reason it could not be read',
  }),
  documents: List(Type.Object({ id: Uuid, state: DocState }), {
    description: 'the documents found, once the file is read',
  }),
});

export const IntakeArrivalParams = Strict({ id: Uuid });

export const IntakeQueueQuery = Strict({
  site: Type.Optional(SiteCode),
  state: Type.Optional(Type.String({ pattern: '^[a-z-]+(,[a-z-]+)*$', description: 'states, comma-separated' })),
  type: Type.Optional(DocType),
  minConfidence: Type.Optional(Type.String({ pattern: '^(0(\\.\\d{1,3})?|1(\\.0{1,3})?)$' })),
  maxConfidence: Type.Optional(Type.String({ pattern: '^(0(\\.\\d{1,3})?|1(\\.0{1,3})?)$' })),
  complete: Type.Optional(QueryFlag),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$' })),
});

const DocumentSummaryProps = {
  id: Uuid,
  fileId: Uuid,
  site: Type.String(),
  state: DocState,
  type: Nullable(DocType),
  bestType: DocType,
  confidence: Type.Number(),
  typeSetBy: Nullable(Type.Enum(['classifier', 'person'])),
  complete: Type.Boolean(),
  missing: List(Type.String()),
  pageCount: Type.Integer(),
  patient: Maybe(
    Type.Object(
      { id: Uuid, name: Maybe(Type.String()), birthDate: Maybe(Type.String()) },
      { description: 'named where the reader may see names' },
    ),
  ),
  matchReason: Nullable(Type.String()),
  referralId: Nullable(Type.String({ description: 'the referral it answers (a referral id), when linked' })),
  referralReason: Nullable(
    Type.String({
      description:
        'why it was linked or not: only-open-referral, sender-named-destination, several-open-referrals, no-open-referral, person, not-for-a-referral',
    }),
  ),
  proposalId: Nullable(Type.String()),
  handoffIds: List(Type.String()),
  outcomeDetail: Nullable(Type.String()),
  source: Maybe(Source),
  receivedAt: DateTime,
  updatedAt: DateTime,
};
export const IntakeDocumentSummary = Type.Object(DocumentSummaryProps);

export const IntakeQueuePage = Type.Object({
  items: List(IntakeDocumentSummary),
  next: Maybe(Type.String()),
  reading: Type.Integer({
    minimum: 0,
    description: "files at the caller's sites (the filter's site) received and not read yet: no documents so far",
  }),
});

const ReadFieldsView = Type.Object(
  {
    patientFamily: Maybe(Type.String()),
    patientGiven: Maybe(Type.String()),
    birthDate: Maybe(Type.String()),
    mrn: Maybe(Type.String()),
    memberId: Maybe(Type.String()),
    documentDate: Maybe(Type.String()),
    fromName: Maybe(Type.String()),
    fromNpi: Maybe(Type.String()),
    fromOrganization: Maybe(Type.String()),
    toName: Maybe(Type.String()),
    subject: Maybe(Type.String()),
    signed: Maybe(Type.Boolean()),
  },
  { description: 'what was read from the page, as written (PHI)' },
);

const DocumentReferralView = Type.Object(
  {
    id: Uuid,
    words: Type.String({ description: 'referral to <practice> (<service>), <stage>' }),
    stage: Type.String(),
    ended: Type.Boolean(),
    service: Nullable(Type.String()),
    destination: Nullable(Type.String()),
  },
  { description: 'a referral the document answers (or may answer), in words' },
);

export const IntakeDocumentDetail = Type.Object({
  ...DocumentSummaryProps,
  fields: ReadFieldsView,
  pages: List(
    Type.Object({
      index: Type.Integer(),
      source: Type.Enum(['text-layer', 'ocr']),
      textConfidence: Type.Number(),
      text: Maybe(Type.String()),
    }),
  ),
  trail: List(Type.Object({ state: Type.String(), at: Type.String(), by: Type.String(), note: Maybe(Type.String()) })),
  arrivals: List(
    Type.Object({
      id: Uuid,
      source: Source,
      by: Type.String(),
      reference: Maybe(Type.String()),
      outcome: Outcome,
      detail: Maybe(Type.String()),
      receivedAt: Type.String(),
    }),
  ),
  modelVersion: Nullable(Type.String()),
  referral: Maybe(DocumentReferralView),
  referralChoices: Maybe(List(DocumentReferralView)),
});

export const IntakePageParams = Strict({ id: Uuid, page: Type.String({ pattern: '^\\d{1,4}$' }) });
export const IntakeSortBody = Strict({ type: DocType });
export const IntakeMatchBody = Strict({ patientId: Uuid });
export const IntakeReferralBody = Strict({
  referral: Type.Union([Uuid, Type.Null()], {
    description: "the referral the document answers (one of its patient's at its site), or null: it answers none",
  }),
});
export const IntakeCandidatesQuery = Strict({
  value: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'an MRN or member id as written, to search too' }),
  ),
});
export const IntakeCandidates = Type.Object({
  items: List(
    Type.Object({
      id: Uuid,
      name: Maybe(Type.String()),
      birthDate: Maybe(Type.String()),
      foundBy: Type.Enum(['typed', 'mrn', 'member-id', 'name-and-birth-date', 'near-name-and-birth-date']),
    }),
  ),
});
export const IntakeRejectBody = Strict({ reason: Type.Enum([...rejectReasons]) });

export const IntakeSiteParams = Strict({ site: SiteCode });
export const IntakePolicyBody = Strict({
  autoFileTypes: Type.Array(DocType, { maxItems: documentTypes.length, description: 'types filed without a person' }),
  confidenceFloor: Type.Number({
    minimum: 0.5,
    maximum: 1,
    description: "the classifier's calibrated confidence at or above which they are",
  }),
  intakePool: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
      description: 'the staff pool sort, match and incomplete handoffs go to',
    }),
  ),
});
export const IntakePolicyView = Type.Object({
  site: Type.String(),
  version: Type.Integer({ description: '0: none set (nothing is filed without a person)' }),
  autoFileTypes: List(DocType),
  confidenceFloor: Type.Number(),
  intakePool: Type.String(),
  setBy: Maybe(Type.String()),
  setAt: Maybe(Type.String()),
});

export const IntakeWebhookSourceBody = Strict({
  name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
  site: SiteCode,
  destination: Type.String({
    minLength: 1,
    maxLength: 100,
    description: "the provider's destination in the egress registry",
  }),
});
export const IntakeWebhookSourceView = Type.Object({
  name: Type.String(),
  site: Type.String(),
  destination: Type.String(),
  secret: Type.String({
    description: 'the shared secret (whsec_…), shown once: the provider signs with it (Standard Webhooks)',
  }),
});
export const IntakeWebhookParams = Strict({ name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) });
