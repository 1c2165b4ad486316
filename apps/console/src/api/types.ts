/**
 * @module Names for the API's shapes, all taken from the generated schema (`schema.d.ts`, from the
 * server's OpenAPI document): none is written by hand, so none can drift from what the server sends.
 */
import type { paths } from './schema.js';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON a route answers with on success (200 or 201). */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: infer Ok }
    ? Json<Ok>
    : R extends { 201: infer Created }
      ? Json<Created>
      : never
  : never;
/** The query parameters a route accepts. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

export type Me = Answer<'/me', 'get'>;
export type BreakGlassEpisode = Answer<'/break-glass', 'get'>['items'][number];
export type LoginResult = Answer<'/auth/login', 'post'>;

export type ProposalPage = Answer<'/review', 'get'>;
export type ProposalSummary = ProposalPage['items'][number];
export type ProposalDetail = Answer<'/review/{id}', 'get'>;
export type DecisionOutcome = Answer<'/review/{id}/approve', 'post'>;
export type EhrState = Answer<'/review/{id}/ehr-state', 'get'>;
export type EhrStateEntry = EhrState['evidence'][number];

export type ReferralPage = Answer<'/referrals', 'get'>;
export type ReferralItem = ReferralPage['items'][number];
export type ReferralDetail = Answer<'/referrals/{workflowId}', 'get'>;
export type ReferralFigures = Answer<'/reports/referrals', 'get'>;
export type ReferralStage = ReferralItem['stage'];
export type LeakReason = NonNullable<ReferralItem['leaked']>;
export type ReferralQuery = QueryOf<'/referrals', 'get'>;

export type FollowupPage = Answer<'/followups', 'get'>;
export type FollowupItem = FollowupPage['items'][number];
export type FollowupTimeline = Answer<'/followups/{id}/timeline', 'get'>;
export type FollowupStep = FollowupTimeline['history'][number];
export type TimelineMessage = FollowupTimeline['messages'][number];

export type PatientPage = Answer<'/patients/{id}/overview', 'get'>;
export type PatientProposal = NonNullable<PatientPage['proposals']>[number];
export type PatientEvent = PatientPage['events'][number];

export type AuditPage = Answer<'/audit/events', 'get'>;
export type AuditEntry = AuditPage['items'][number];
export type AuditQuery = QueryOf<'/audit/events', 'get'>;
export type VerifyAnswer = Answer<'/audit/verify', 'get'>;

export type OperationsReport = Answer<'/reports/operations', 'get'>;
export type ReferralWeek = NonNullable<OperationsReport['referralWeeks']>[number];
export type StageDuration = NonNullable<OperationsReport['timeInStage']>[number];
export type NoShowLine = NonNullable<OperationsReport['noShows']>[number];
export type HourThroughput = NonNullable<OperationsReport['throughput']>[number];
export type QueueAgeRow = NonNullable<OperationsReport['queueAge']>[number];

export type IntakePage = Answer<'/intake/documents', 'get'>;
export type IntakeItem = IntakePage['items'][number];
export type IntakeDocument = Answer<'/intake/documents/{id}', 'get'>;
export type IntakeArrival = Answer<'/intake/arrivals/{id}', 'get'>;
export type IntakeQuery = QueryOf<'/intake/documents', 'get'>;
export type IndexedPatient = Answer<'/patients', 'get'>['items'][number];

export type HandoffList = Answer<'/handoffs/mine', 'get'>;
export type Handoff = HandoffList['items'][number];
export type HandoffDetail = Answer<'/handoffs/{id}', 'get'>;
export type StaffMember = Answer<'/staff/{user}', 'get'>;
