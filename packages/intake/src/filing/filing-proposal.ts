/**
 * @module The proposal that files a document in the EHR: a `document-reference.draft` whose payload
 * is a DocumentReference with the LOINC type of the document's type, the patient's chart, the
 * encounter when known, the referral's request it answers (`context.related`), and the file as an inline attachment (with its SHA-1 per FHIR's
 * `Attachment.hash`). Drafted once per document (its draft key); approved by a person in the
 * review queue, or at once when the site's intake policy names the type and the classifier's
 * confidence reaches the policy's floor (`intake-policy:<site>:<version>` is then the approver).
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from '@steward/core';
import type { DocumentType } from '../model/intake-model.js';
import { documentCodes, LOINC } from './document-codes.js';

/** The part of the review desk intake drafts on (`ProposalDesk.draftFiled`). */
export interface FilingDesk {
  draftFiled(
    ctx: RequestContext,
    draft: {
      readonly action: string;
      readonly connectionId?: string;
      readonly site: string;
      readonly workflow?: string;
      readonly draftKey?: string;
      readonly patient: {
        readonly stewardId?: string;
        readonly ehrId: string;
        readonly identifiers: readonly { system: string; value: string }[];
      };
      readonly target: { readonly resourceType: string; readonly id?: string };
      readonly baseVersion?: string;
      readonly payload: Readonly<Record<string, unknown>>;
      readonly evidence: {
        readonly eventIds: readonly string[];
        readonly resources: readonly string[];
        readonly reasonCode: string;
      };
      readonly priority?: number;
    },
    options?: { readonly approvedByPolicy?: string },
  ): Promise<{ readonly proposal: { readonly id: string; readonly status: string }; readonly created: boolean }>;
  /** What became of filing proposals, by id (ids and codes only): how intake follows its filings. */
  filingOutcomes?(ids: readonly string[]): Promise<ReadonlyMap<string, FilingOutcome>>;
}

/** A filing proposal as intake follows it. */
export interface FilingOutcome {
  readonly status: string;
  /** The resource written in the EHR (`DocumentReference/<id>`), once committed. */
  readonly written?: string;
  /** Why the write failed or conflicted (a stable code). */
  readonly errorCode?: string;
  /** The applier will try the write again by itself. */
  readonly retrying: boolean;
  /** The revision that replaced this one (a reviewer's edit). */
  readonly supersededBy?: string;
}

export interface FilingInput {
  readonly documentId: string;
  readonly site: string;
  readonly type: DocumentType;
  readonly patientId: string;
  readonly chart: { connectionId: string; ehrId: string; identifiers: readonly { system: string; value: string }[] };
  readonly encounterId?: string;
  /** The referral's request it answers (`ServiceRequest/<id>`): `context.related`, which the referral workflow follows. */
  readonly related?: string;
  readonly documentDate?: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
  readonly pageCount: number;
  readonly receivedAt: Date;
}

export function filingDraft(input: FilingInput) {
  const code = documentCodes[input.type];
  const description = `${code.label} received (${input.pageCount} page${input.pageCount === 1 ? '' : 's'})`;
  const payload = {
    resourceType: 'DocumentReference',
    status: 'current',
    // A received document is filed for a clinician to finalise in the EHR (the action's rule).
    docStatus: 'preliminary',
    type: { coding: [{ system: LOINC, code: code.code, display: code.display }], text: code.label },
    category: [{ text: 'intake' }],
    subject: { reference: `Patient/${input.chart.ehrId}` },
    date: input.receivedAt.toISOString(),
    description,
    ...(input.encounterId !== undefined || input.related !== undefined
      ? {
          context: {
            ...(input.encounterId !== undefined
              ? { encounter: [{ reference: `Encounter/${input.encounterId}` }] }
              : {}),
            ...(input.related !== undefined ? { related: [{ reference: input.related }] } : {}),
          },
        }
      : {}),
    content: [
      {
        attachment: {
          contentType: input.mediaType,
          data: Buffer.from(input.bytes).toString('base64'),
          size: input.bytes.length,
          hash: createHash('sha1').update(input.bytes).digest('base64'),
          title: description,
          ...(input.documentDate !== undefined ? { creation: input.documentDate } : {}),
        },
      },
    ],
  };
  return {
    action: 'document-reference.draft',
    connectionId: input.chart.connectionId,
    site: input.site,
    workflow: 'intake',
    draftKey: `intake:${input.documentId}`,
    patient: { stewardId: input.patientId, ehrId: input.chart.ehrId, identifiers: input.chart.identifiers },
    target: { resourceType: 'DocumentReference' },
    payload,
    evidence: { eventIds: [], resources: [], reasonCode: `intake-${input.type}` },
  } as const;
}
