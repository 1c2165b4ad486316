/**
 * @module A filed referral letter (intake, issue 19) and the referral workflow. When intake files a
 * `referral-letter` matched to a patient, it raises `referral.next-step`; here, before that handoff is
 * raised, the patient's open referrals at the site are looked up:
 * - one waiting to be received or accepted (stage `sent` or `received`) on version 2 gets the `letter`
 *   signal: the letter is recorded as its evidence and a sent referral becomes received. The handoff
 *   says so, and is for its next step;
 * - none: the referral workflow tracks a referral from the EHR's order (a ServiceRequest, the
 *   requester its owner, the performer the practice that must answer), so an inbound letter with no
 *   order in the EHR cannot start one (no order to correlate, no owner, no event whose patient
 *   proposals are for). The handoff says so: register the referral in the EHR and tracking starts.
 * The ask stays reference-level (no patient, no clinical text).
 */
import type { RequestContext } from '@steward/core';
import { REFERRAL_WORKFLOW, referralLetter, type ReferralService, type WorkflowEngine } from '@steward/workflows';

export interface ReferralLetterOutcome {
  /** The referral workflows signalled (their ids). */
  readonly advanced: readonly string[];
  /** What the `referral.next-step` handoff asks, given what was found. */
  readonly ask: string;
}

export function referralLetters(deps: {
  readonly referrals: Pick<ReferralService, 'list'>;
  readonly engine: Pick<WorkflowEngine, 'get' | 'signal'>;
  readonly clock: { now(): Date };
}): (ctx: RequestContext, site: string, patientId: string, documentId: string) => Promise<ReferralLetterOutcome> {
  return async (ctx, site, patientId, documentId) => {
    const page = await deps.referrals.list(ctx, { site, patientIds: [patientId], limit: 50 });
    const waiting = page.items.filter((r) => r.status === 'running' && (r.stage === 'sent' || r.stage === 'received'));
    const advanced: string[] = [];
    for (const r of waiting) {
      // Version 1 referrals do not know the letter signal: they are left as they are.
      if ((await deps.engine.get(r.workflowId)).version < 2) continue;
      await deps.engine.signal(
        r.correlationKey,
        referralLetter,
        { documentId, occurredAt: deps.clock.now().toISOString() },
        { type: REFERRAL_WORKFLOW, dedupKey: `letter:${documentId}` },
      );
      advanced.push(r.workflowId);
    }
    return {
      advanced,
      ask:
        advanced.length > 0
          ? 'A referral letter was filed for a referral being tracked (now received): take the referral to its next step (accept and schedule, or ask for what it needs).'
          : 'A referral letter was filed and no open referral is tracked for this patient: register the referral in the EHR (an order) so it is tracked, then take it to its next step.',
    };
  };
}
