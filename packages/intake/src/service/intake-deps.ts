/** @module What the intake service is built over: the store, the key ring, policy, audit, and its ports. */
import type { Clock, PatientIdentifier, RequestContext } from '@steward/core';
import type { FieldCipher, PolicyDecisionPoint, TransactionalAudit } from '@steward/governance';
import type { Database } from '@steward/store';
import type { Completeness, DocumentReader, DocumentType, ReadDocument } from '../model/intake-model.js';
import type { PatientCandidates } from '../matching/patient-match.js';
import type { HandoffSink } from '../filing/handoff-sink.js';
import type { FilingDesk } from '../filing/filing-proposal.js';
import type { ReferralLinks } from '../filing/referral-links.js';

/** A Steward patient's chart in the EHR at a site: what a filing proposal writes against. */
export interface PatientChart {
  readonly connectionId: string;
  readonly ehrId: string;
  readonly identifiers: readonly PatientIdentifier[];
}

export interface IntakeDeps {
  readonly db: Database;
  readonly cipher: FieldCipher;
  readonly policy: PolicyDecisionPoint;
  readonly audit: TransactionalAudit;
  readonly clock?: Clock;
  /** Reads a file locally (OCR, classifier, checklist): the reading side's port. */
  readonly reader: DocumentReader;
  readonly patients: PatientCandidates;
  readonly handoffs: HandoffSink;
  /** The review desk filing proposals are drafted on (`ProposalDesk`). */
  readonly proposals: FilingDesk;
  /**
   * The context the pipeline acts as after a file arrives (searching the patient index, drafting
   * the filing proposal, raising handoffs): intake's own service account, whoever brought the file.
   */
  readonly pipeline: () => Promise<RequestContext>;
  /** The patient's chart at the site (connection, EHR id, identifiers); undefined when none is known. */
  readonly chartOf: (ctx: RequestContext, site: string, patientId: string) => Promise<PatientChart | undefined>;
  /**
   * The patient's encounter on the document's date (YYYY-MM-DD) when the EHR has exactly one that
   * day: the filing proposal's `context.encounter`. Undefined when none or several (a person may
   * add it in the EHR); without this port documents are filed without one.
   */
  readonly encounterOf?: (ctx: RequestContext, chart: PatientChart, date: string) => Promise<string | undefined>;
  /** Patients' names for the queue (the clinic's `PatientLabels`); without it, ids only. */
  readonly labels?: {
    label(
      ctx: RequestContext,
      requests: readonly { patientId: string; site: string }[],
    ): Promise<readonly { id: string; name?: string; birthDate?: string }[]>;
  };
  /**
   * The checklist for a type a person set (differs from what the reader judged by): the reading
   * side's `completeness/`. Without it the reader's verdict stands, noted on the trail.
   */
  readonly judge?: (type: DocumentType, document: ReadDocument) => Completeness;
  /**
   * The patient's referrals (the referral service) and their requests in the EHR: a consult note or
   * result is linked to the referral it answers and filed against it. Without it, none is linked.
   */
  readonly referrals?: ReferralLinks;
  /** The egress registry's destinations: a webhook source names a registered one. */
  readonly egress?: { list(): Promise<readonly { name: string; enabled?: boolean }[]> };
}
