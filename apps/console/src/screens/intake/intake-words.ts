/**
 * @module How intake documents read on screen (pure: tested under Node, apps/console/test): a
 * document's type and state in words, the calibrated confidence as a percentage with what it
 * meant (sorted by the classifier, or left to a person), what is missing in words, how it arrived,
 * the queue's views and their filters, and which actions a document's state allows.
 */

export type IntakeType =
  | 'referral-letter'
  | 'intake-form'
  | 'insurance-card'
  | 'result'
  | 'consult-note'
  | 'records-request'
  | 'prior-authorization'
  | 'consent'
  | 'other';

const typeWords: Readonly<Record<IntakeType, string>> = {
  'referral-letter': 'Referral letter',
  'intake-form': 'Intake form',
  'insurance-card': 'Insurance card',
  result: 'Lab or imaging result',
  'consult-note': 'Consult note',
  'records-request': 'Records request',
  'prior-authorization': 'Prior-authorization letter',
  consent: 'Consent',
  other: 'Other document',
};
/** The types, in the order people choose from. */
export const intakeTypes = Object.keys(typeWords) as readonly IntakeType[];

export function typeLabel(type: string): string {
  return (typeWords as Readonly<Record<string, string>>)[type] ?? type.replace(/-/g, ' ');
}

export function isIntakeType(value: string): value is IntakeType {
  return Object.hasOwn(typeWords, value);
}

const stateWords: Readonly<Record<string, string>> = {
  'needs-sorting': 'Needs sorting',
  'needs-match': 'Needs a patient match',
  'needs-referral': 'Needs its referral',
  'proposed-for-filing': 'Proposed for filing',
  filed: 'Filed in the EHR',
  'handed-off': 'Handed off',
  rejected: 'Rejected',
};

export function stateLabel(state: string): string {
  return stateWords[state] ?? state.replace(/-/g, ' ');
}

/**
 * Where a document is, in words: its state, except a document whose patient was found but whose
 * filing stopped on an error (it still reads `needs-match` on the server).
 */
export function whereLabel(d: {
  readonly state: string;
  readonly outcomeDetail: string | null;
  readonly patient?: { readonly id: string } | undefined;
}): string {
  if (d.state === 'needs-match' && d.patient !== undefined)
    return d.outcomeDetail !== null ? 'Patient found; filing stopped on an error' : 'Patient found; being filed';
  if (d.state === 'needs-sorting' && d.outcomeDetail !== null) return 'Needs sorting (routing stopped on an error)';
  return stateLabel(d.state);
}

/** The queue's views: each a state (or the incomplete ones, across states) and what it asks of a person. */
export interface QueueView {
  readonly key: string;
  readonly label: string;
  /** The `state` query (comma-separated) or undefined for any state. */
  readonly state?: string;
  /** `complete=false`: the incomplete ones. */
  readonly incomplete?: boolean;
  readonly hint: string;
}

export const queueViews: readonly QueueView[] = [
  {
    key: 'to-do',
    label: 'To do',
    state: 'needs-sorting,needs-match,needs-referral',
    hint: 'Documents waiting for a person: set the type, or say whose (or which referral) they are.',
  },
  {
    key: 'needs-sorting',
    label: 'Needs sorting',
    state: 'needs-sorting',
    hint: 'The classifier was not sure enough of the type: a person sorts these.',
  },
  {
    key: 'needs-match',
    label: 'Needs a patient',
    state: 'needs-match',
    hint: 'The patient could not be found for certain from the page: a person names them.',
  },
  {
    key: 'incomplete',
    label: 'Incomplete',
    incomplete: true,
    hint: 'Something the checklist asks for is missing; these are never filed until it arrives.',
  },
  {
    key: 'proposed-for-filing',
    label: 'Proposed for filing',
    state: 'proposed-for-filing',
    hint: 'Complete and matched: waiting for approval to file in the EHR.',
  },
  { key: 'filed', label: 'Filed', state: 'filed', hint: 'Filed in the EHR.' },
  {
    key: 'handed-off',
    label: 'Handed off',
    state: 'handed-off',
    hint: 'Passed to a person or pool to act on (an incomplete one lists what to ask for).',
  },
  { key: 'rejected', label: 'Rejected', state: 'rejected', hint: 'Ended by a person, with the reason.' },
  { key: 'all', label: 'All', hint: 'Every document, newest change first.' },
];

/** The confidence bands the queue filters by: calibrated probabilities, as the server's query takes them. */
export const confidenceBands: readonly { key: string; label: string; min?: string; max?: string }[] = [
  { key: '', label: 'Any confidence' },
  { key: 'high', label: '95 % or more', min: '0.95' },
  { key: 'medium', label: '80 – 95 %', min: '0.8', max: '0.949' },
  { key: 'low', label: 'Below 80 %', max: '0.799' },
];

/** A calibrated probability as people read it: "97 %" ("under 1 %", "over 99 %" at the ends). */
export function percent(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p > 0 && p < 0.01) return 'under 1 %';
  if (p < 1 && p > 0.99) return 'over 99 %';
  return `${Math.round(p * 100)} %`;
}

/** The type line: the type and who set it, or the best guess when the classifier abstained. */
export function typeLine(d: {
  readonly type: string | null;
  readonly bestType: string;
  readonly confidence: number;
  readonly typeSetBy: 'classifier' | 'person' | null;
}): string {
  if (d.type === null)
    return `Not sorted: best guess ${typeLabel(d.bestType).toLowerCase()} (${percent(d.confidence)}), not sure enough`;
  if (d.typeSetBy === 'person') return `${typeLabel(d.type)} (sorted by a person)`;
  return `${typeLabel(d.type)} (${percent(d.confidence)} sure)`;
}

/** One missing item in words: `signature` → "the signature", `page 2 of 2` → "page 2 of 2". */
export function missingItem(code: string): string {
  const words: Readonly<Record<string, string>> = {
    signature: 'the signature',
    date: 'the date',
    documentDate: "the document's date",
    birthDate: "the patient's birth date",
    patientName: "the patient's name",
    patientFamily: "the patient's family name",
    patientGiven: "the patient's given name",
    mrn: 'the medical record number',
    memberId: 'the insurance member id',
    fromName: 'who sent it',
    fromNpi: "the sender's NPI",
    toName: 'who it is for',
    subject: 'the reason or subject',
  };
  return words[code] ?? code.replace(/[_-]/g, ' ');
}

/** What is missing, in a sentence: "Missing: the signature and page 2 of 2." or "Complete." */
export function missingLine(d: { readonly complete: boolean; readonly missing: readonly string[] }): string {
  if (d.complete) return 'Complete';
  if (d.missing.length === 0) return 'Incomplete (the checklist named nothing)';
  const items = d.missing.map(missingItem);
  const list = items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
  return `Missing ${list}`;
}

const sourceWords: Readonly<Record<string, string>> = {
  folder: 'Fax or scanner folder',
  'hl7-mdm': 'EHR (HL7 document message)',
  fhir: 'EHR (FHIR DocumentReference)',
  upload: 'Uploaded in the console',
  webhook: 'Fax or e-mail provider',
};

export function sourceLabel(source: string): string {
  return sourceWords[source] ?? source;
}

/** How the patient was found: the matcher's reason code in words. */
export function matchWords(reason: string | null): string {
  if (reason === null) return 'not matched yet';
  const words: Readonly<Record<string, string>> = {
    person: 'named by a person',
    'mrn-and-demographics': 'found by the MRN on the page, with name and birth date agreeing',
    'name-and-birth-date': 'found by the name and birth date on the page',
    'near-name-and-birth-date': 'found by birth date, the only name one letter off the page',
    'mrn-unknown': 'not found: no patient has the MRN on the page',
    'mrn-several': 'uncertain: several patients have the MRN on the page',
    'mrn-without-name-or-birth-date': 'uncertain: the MRN matches, but no name or birth date confirms it',
    'mrn-disagrees': 'uncertain: the MRN matches a patient with another name or birth date',
    'member-id-conflict': 'uncertain: the insurance member id points to another patient',
    'no-identifiers': 'not found: no MRN, name or birth date could be read from the page',
    none: 'not found: no patient has the name and birth date on the page',
    several: 'uncertain: several patients have the name and birth date on the page',
    'near-several':
      'uncertain: nobody has the name as read, and several patients born that day have a name one letter off',
  };
  return words[reason] ?? reason.replace(/[_-]/g, ' ').replace(/\+/g, ' and ');
}

export const rejectReasonWords: Readonly<Record<string, string>> = {
  duplicate: 'A duplicate of one already received',
  'not-for-this-clinic': 'Not for this clinic',
  illegible: 'Illegible: ask the sender again',
  'wrong-recipient': 'Sent to the wrong recipient',
  test: 'A test document',
  other: 'Another reason',
};

/** What a person may do with a document in this state (the server decides again). */
export function actionsFor(d: {
  readonly state: string;
  readonly outcomeDetail: string | null;
  readonly patient?: { readonly id: string } | undefined;
  readonly referralId?: string | null;
  readonly referralChoices?: readonly unknown[] | undefined;
}): {
  readonly sort: boolean;
  readonly match: boolean;
  readonly reject: boolean;
  readonly resume: boolean;
  readonly link: boolean;
} {
  const open = d.state !== 'filed' && d.state !== 'rejected' && d.state !== 'proposed-for-filing';
  return {
    sort: d.state === 'needs-sorting' || d.state === 'needs-match',
    // A patient already found (routing stopped after it) is not chosen again: "try again" takes it on.
    match: d.state === 'needs-match' && d.patient === undefined,
    reject: open,
    // Only routing that stopped on an error is tried again (an incomplete one waits for its sender).
    resume: open && /^routing stopped/.test(d.outcomeDetail ?? ''),
    // Which referral it answers: while it waits for one, or handed off (incomplete) with none linked.
    link: (d.state === 'needs-referral' || d.state === 'handed-off') && !d.referralId && !!d.referralChoices?.length,
  };
}

const handoffWords: Readonly<Record<string, string>> = {
  'intake.sort': 'handed to the intake pool to set the type',
  'intake.match': 'handed to the intake pool to find the patient',
  'intake.incomplete': 'handed off to ask the sender for what is missing',
  'referral.next-step': "handed to the referral's owner for its next step",
  'intake.follow-up': 'handed off to act on it',
};

const uuidIn = /\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A trail step in words: "Sorted: referral letter", "Rejected: illegible"; never a raw id. */
export function trailLine(step: { readonly state: string; readonly note?: string }): string {
  const name = stateWords[step.state] ?? step.state.charAt(0).toUpperCase() + step.state.slice(1).replace(/-/g, ' ');
  const handoff = /^handoff (\S+)/.exec(step.note ?? '');
  if (handoff !== null) return `${name}: ${handoffWords[handoff[1] ?? ''] ?? 'handed off'}`;
  if (/^proposal /.test(step.note ?? '')) return `${name}: a filing proposal was drafted`;
  if (step.note === undefined || step.note === '') return name;
  if (step.state === 'rejected') return `${name}: ${(rejectReasonWords[step.note] ?? step.note).toLowerCase()}`;
  if (step.state === 'needs-match' || step.state === 'matched') return `${name}: ${matchWords(step.note)}`;
  const note = step.note.replace(/\b([a-z]+(?:-[a-z]+)+)\b/g, (m) =>
    isIntakeType(m) ? typeLabel(m).toLowerCase() : m,
  );
  return `${name}: ${note.replace(uuidIn, '')}`;
}

type UploadType = 'application/pdf' | 'image/tiff' | 'image/png' | 'image/jpeg';
const uploadTypes: Readonly<Record<string, UploadType>> = {
  pdf: 'application/pdf',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

/** What the file chooser offers: the extensions and media types intake reads. */
export const uploadAccept = [
  ...Object.keys(uploadTypes).map((e) => `.${e}`),
  ...new Set(Object.values(uploadTypes)),
].join();

/** A file name's media type, as the upload takes it; undefined for one intake does not read. */
export function uploadMediaType(fileType: string, fileName: string): UploadType | undefined {
  if (Object.values(uploadTypes).includes(fileType as UploadType)) return fileType as UploadType;
  return uploadTypes[/\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? ''];
}

/** Why a patient is offered for a document, in words. */
export function candidateWords(foundBy: string): string {
  const words: Readonly<Record<string, string>> = {
    typed: 'has the MRN or member id you searched',
    mrn: 'has the MRN on the page',
    'member-id': 'has the member id on the page',
    'name-and-birth-date': 'same name and birth date as the page',
    'near-name-and-birth-date': 'same birth date, a name one letter off the page',
  };
  return words[foundBy] ?? foundBy;
}

/** Who the page names, in one line: "Rivera, Ana · born 1984-03-09 · MRN MR-4471", or that it names nobody. */
export function pageSays(fields: {
  readonly patientFamily?: string;
  readonly patientGiven?: string;
  readonly birthDate?: string;
  readonly mrn?: string;
  readonly memberId?: string;
}): string {
  const name = [fields.patientFamily, fields.patientGiven].filter((x) => x !== undefined && x !== '').join(', ');
  const parts = [
    ...(name !== '' ? [name] : []),
    ...(fields.birthDate !== undefined ? [`born ${fields.birthDate}`] : []),
    ...(fields.mrn !== undefined ? [`MRN ${fields.mrn}`] : []),
    ...(fields.memberId !== undefined ? [`member id ${fields.memberId}`] : []),
  ];
  return parts.length > 0 ? parts.join(' · ') : 'no patient name, birth date or identifier could be read';
}

export type RejectReason = 'duplicate' | 'not-for-this-clinic' | 'illegible' | 'wrong-recipient' | 'test' | 'other';
export function isRejectReason(value: string): value is RejectReason {
  return Object.hasOwn(rejectReasonWords, value);
}

/** A document's outcome detail in words: a rejection's reason code as the reason. */
export function outcomeWords(detail: string | null): string | null {
  if (detail === null) return null;
  const rejected = /^rejected: (\S+)$/.exec(detail);
  if (rejected !== null)
    return `Rejected: ${(rejectReasonWords[rejected[1] ?? ''] ?? rejected[1] ?? '').toLowerCase()}`;
  return detail;
}
