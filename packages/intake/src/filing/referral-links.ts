/**
 * @module Which referral a consult note or result answers (issue 19's closed loop): the `ReferralLinks`
 * port intake asks (the server wires the referral service and the EHR reader behind it), the rule
 * that chooses, and the proposal that completes the referral's request once its report is filed.
 *
 * The rule: of the patient's referrals at the document's site that await their report (stage
 * accepted, scheduled or attended, not ended), exactly one is the one; several, the one whose
 * destination (its practice, performer or service, as the directory names it) the sender read on
 * the page names; else none is chosen and a person links it (`needs-referral`). Known limit: a
 * referral still `sent` or `received` when its consult note arrives (the EHR was not told of the
 * booking) is not offered by the rule; a person can still link it.
 */
import type { RequestContext } from '@steward/core';
import type { DocumentType, ReadFields } from '../model/intake-model.js';
import type { PatientChart } from '../service/intake-deps.js';

/** A referral as intake needs it: where it stands and whom it went to, in the directory's words. */
export interface ReferralCandidate {
  /** The referral workflow's id (the console's referral screen). */
  readonly id: string;
  readonly site: string | null;
  readonly connectionId: string | null;
  /** `ServiceRequest/<EHR id>`; null for a referral known by identifiers only (HL7). */
  readonly serviceRequest: string | null;
  readonly stage: string;
  /** Closed, cancelled or otherwise ended. */
  readonly ended: boolean;
  /** What is asked for, as the order names it (`Cardiology consult`). */
  readonly service: string | null;
  /** Whom it went to, as the directory names them (null when it cannot). */
  readonly destination: {
    readonly name: string | null;
    readonly organization: string | null;
    readonly service: string | null;
  } | null;
  /** The staff member (user id) the referral's owner is, when the owner maps to one. */
  readonly ownerStaff?: string | null;
}

export interface ReferralLinks {
  /** The patient's referrals at the site (ended ones too), as the caller may read them. */
  ofPatient(ctx: RequestContext, site: string, patientId: string): Promise<readonly ReferralCandidate[]>;
  /** One referral at the site by its workflow id; undefined when unknown there or not visible to the caller. */
  byId(ctx: RequestContext, site: string, id: string): Promise<ReferralCandidate | undefined>;
  /** The request as the EHR holds it now (what a completion is based on); undefined when it is gone. */
  currentRequest(
    ctx: RequestContext,
    connectionId: string,
    serviceRequest: string,
  ): Promise<{ readonly resource: Readonly<Record<string, unknown>>; readonly versionId: string } | undefined>;
}

/** The document types that answer a referral (a consult note, a lab or imaging result). */
export const answeringTypes: readonly DocumentType[] = ['consult-note', 'result'];

/** The stages in which a referral awaits its report. */
export const awaitingReport: readonly string[] = ['accepted', 'scheduled', 'attended'];

/** Why a document was linked to a referral or not (reference-level, no PHI). */
export const referralReasons = [
  'only-open-referral',
  'sender-named-destination',
  'several-open-referrals',
  'no-open-referral',
  'person',
  'not-for-a-referral',
] as const;
export type ReferralReason = (typeof referralReasons)[number];

const stopWords = new Set(['dr', 'md', 'do', 'the', 'of', 'and', 'for', 'at', 'llc', 'pc', 'inc']);
const words = (s: string | null | undefined): string[] =>
  (s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !stopWords.has(w));

/** Whether the sender read on the page names this destination: every word of one of its names is on it. */
function namesDestination(sender: ReadonlySet<string>, c: ReferralCandidate): boolean {
  const names = [c.destination?.organization, c.destination?.name].map(words).filter((w) => w.length > 0);
  return names.some((name) => name.every((w) => sender.has(w)));
}

/** The referral a document answers, or why none was chosen. */
export function chooseReferral(
  candidates: readonly ReferralCandidate[],
  fields: Pick<ReadFields, 'fromName' | 'fromOrganization'>,
): { readonly referral?: ReferralCandidate; readonly reason: ReferralReason } {
  const open = candidates.filter((c) => !c.ended && awaitingReport.includes(c.stage));
  if (open.length === 0) return { reason: 'no-open-referral' };
  if (open.length === 1) return { referral: open[0] as ReferralCandidate, reason: 'only-open-referral' };
  const sender = new Set([...words(fields.fromOrganization), ...words(fields.fromName)]);
  const named = sender.size === 0 ? [] : open.filter((c) => namesDestination(sender, c));
  return named.length === 1
    ? { referral: named[0] as ReferralCandidate, reason: 'sender-named-destination' }
    : { reason: 'several-open-referrals' };
}

/**
 * A referral in a person's words: "referral to Lakeside Cardiology (Cardiology consult), attended"
 * (without the stage when `stage` is false: a handoff's ask outlives the stage it was raised in).
 */
export function referralWords(c: ReferralCandidate, stage = true): string {
  const to = c.destination?.organization ?? c.destination?.name ?? c.destination?.service ?? null;
  const what = c.service ?? c.destination?.service ?? null;
  const target = to !== null ? `${to}${what !== null && what !== to ? ` (${what})` : ''}` : (what ?? 'a specialist');
  return `referral to ${target}${stage ? `, ${c.stage}` : ''}`;
}

/** Why a document was linked to a referral or not, in words (its trail's note). */
export const referralReasonWords: Readonly<Record<ReferralReason, string>> = {
  'only-open-referral': "the patient's only referral waiting for a report",
  'sender-named-destination': 'the sender on the page is the practice the referral went to',
  'several-open-referrals': 'the patient has several referrals waiting for a report: a person chooses',
  'no-open-referral': 'the patient has no referral waiting for a report',
  person: 'chosen by a person',
  'not-for-a-referral': 'a person said it answers no referral',
};

/**
 * The proposal that completes the referral's request: `service-request.status` → `completed` on the
 * EHR's current version, drafted for review beside the filing (the loop closes when a person
 * approves it: intake never approves it by its own policy).
 */
export function completionDraft(input: {
  readonly documentId: string;
  readonly site: string;
  readonly type: DocumentType;
  readonly patientId: string;
  readonly chart: PatientChart;
  readonly serviceRequest: string;
  readonly current: { readonly resource: Readonly<Record<string, unknown>>; readonly versionId: string };
}) {
  const id = input.serviceRequest.slice('ServiceRequest/'.length);
  const what = input.type === 'result' ? 'result received' : 'consult note received';
  return {
    action: 'service-request.status',
    connectionId: input.chart.connectionId,
    site: input.site,
    workflow: 'intake',
    draftKey: `intake:${input.documentId}:complete-referral`,
    patient: { stewardId: input.patientId, ehrId: input.chart.ehrId, identifiers: input.chart.identifiers },
    target: { resourceType: 'ServiceRequest', id },
    baseVersion: input.current.versionId,
    payload: {
      ...input.current.resource,
      resourceType: 'ServiceRequest',
      id,
      status: 'completed',
      note: [
        ...(Array.isArray(input.current.resource['note']) ? (input.current.resource['note'] as unknown[]) : []),
        { text: `Close the referral: ${what}` },
      ],
    },
    evidence: { eventIds: [], resources: [input.serviceRequest], reasonCode: `intake-${input.type}-received` },
  } as const;
}
