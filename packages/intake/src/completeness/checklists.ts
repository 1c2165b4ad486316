/**
 * @module What each document type must carry to be filed without a person (issue 19, item 4): its
 * required fields, signature and date, and all of its pages. `assessCompleteness` names each thing
 * missing in words a person at the front desk understands ("signature", "patient's date of birth",
 * "page 2 of 2"), which is what the handoff asking for it will say.
 */
import type { Completeness, DocumentType, ReadFields } from '../model/intake-model.js';

/** The things a checklist may require, beside the pages. */
export const checklistItems = {
  patientName: "patient's name",
  birthDate: "patient's date of birth",
  documentDate: 'date of the document',
  memberId: 'insurance member ID',
  fromName: 'who sent it',
  fromNpi: "sending provider's NPI",
  subject: 'reason for the request',
  signature: 'signature',
} as const;
export type ChecklistItem = keyof typeof checklistItems;

/** Each type's required items. `other` requires nothing but its pages: a person files it anyway by type. */
export const checklists: Readonly<Record<DocumentType, readonly ChecklistItem[]>> = {
  'referral-letter': ['patientName', 'birthDate', 'documentDate', 'fromNpi', 'subject', 'signature'],
  'intake-form': ['patientName', 'birthDate', 'documentDate', 'signature'],
  'insurance-card': ['patientName', 'memberId'],
  result: ['patientName', 'birthDate', 'documentDate'],
  'consult-note': ['patientName', 'birthDate', 'documentDate', 'signature'],
  'records-request': ['patientName', 'birthDate', 'documentDate', 'signature'],
  'prior-authorization': ['patientName', 'memberId', 'documentDate'],
  consent: ['patientName', 'documentDate', 'signature'],
  other: [],
};

/** A page's own "Page k of N" marker, as read. */
export interface PageMarker {
  readonly page: number;
  readonly of: number;
}

/**
 * What a page says about its number: its marker as read; `'unreadable'` when the page carries a
 * footer where a page number would be (ink at its foot) but no marker could be read from it; or
 * undefined when the page shows no numbering at all.
 */
export type PageNumbering = PageMarker | 'unreadable' | undefined;

/** The item named when a document's page count cannot be confirmed. */
export const unreadablePageCount = 'page count (page numbers unreadable)';

function present(fields: ReadFields, item: ChecklistItem): boolean {
  switch (item) {
    case 'patientName':
      return fields.patientFamily !== undefined && fields.patientGiven !== undefined;
    case 'signature':
      return fields.signed === true;
    case 'birthDate':
    case 'documentDate':
    case 'fromName':
    case 'fromNpi':
    case 'memberId':
    case 'subject':
      return fields[item] !== undefined;
  }
}

/**
 * Pages missing by the document's own numbering: every k in 1..N that no page's marker shows; the
 * largest N read wins, so a misread "of" cannot hide a page.
 *
 * A document whose pages carry no numbering at all (no marker, no footer) has none to check: its
 * pages are taken as whole. But a document that is numbered and whose numbers could not be read at
 * all is not: its page count cannot be confirmed. A fax that lost the foot of page 1 of 2 ("Page 1 of
 * 2" read as nothing) and dropped page 2 would otherwise look like a whole one-page document and be
 * filed without a person. So when no marker is read and any page shows a footer where its number
 * would be, the verdict is "page count unreadable" and a person looks (precision before coverage).
 */
export function missingPages(markers: readonly PageNumbering[]): string[] {
  const read = markers.filter((m): m is PageMarker => m !== undefined && m !== 'unreadable');
  if (read.length === 0) return markers.includes('unreadable') ? [unreadablePageCount] : [];
  const of = Math.max(...read.map((m) => m.of));
  const seen = new Set(read.map((m) => m.page));
  const missing: string[] = [];
  for (let k = 1; k <= of; k++) if (!seen.has(k)) missing.push(`page ${k} of ${of}`);
  return missing;
}

/**
 * The checklist's verdict for a document of `type`. `markers` are each page's numbering (see
 * `PageNumbering`); a page without a readable marker in a document whose other pages are numbered
 * is not counted as present, so a page that cannot be confirmed is named missing rather than assumed,
 * and a numbered document none of whose numbers can be read is "page count unreadable".
 */
export function assessCompleteness(
  type: DocumentType,
  fields: ReadFields,
  markers: readonly PageNumbering[],
): Completeness {
  const missing = [
    ...checklists[type].filter((item) => !present(fields, item)).map((item) => checklistItems[item]),
    ...missingPages(markers),
  ];
  return { complete: missing.length === 0, missing };
}
