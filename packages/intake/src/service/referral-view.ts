/**
 * @module A document's referral as the intake screen shows it: the referral it answers (in words:
 * "referral to Lakeside Cardiology (Cardiology consult), attended"), and, while none is linked, the
 * patient's referrals a person may link it to (those awaiting a report first).
 */
import type { RequestContext } from '@steward/core';
import { answeringTypes, awaitingReport, referralWords, type ReferralCandidate } from '../filing/referral-links.js';
import type { DocumentRow } from '../store/intake-rows.js';
import type { IntakeDeps } from './intake-deps.js';

export interface DocumentReferral {
  /** The referral workflow's id (the console's referral screen). */
  readonly id: string;
  /** In words: "referral to <practice> (<service>), <stage>". */
  readonly words: string;
  readonly stage: string;
  readonly ended: boolean;
  readonly service: string | null;
  readonly destination: string | null;
}

export interface DocumentReferrals {
  readonly referral?: DocumentReferral;
  /** While none is linked: the patient's referrals a person may link it to, those awaiting a report first. */
  readonly referralChoices?: readonly DocumentReferral[];
}

const view = (c: ReferralCandidate): DocumentReferral => ({
  id: c.id,
  words: referralWords(c),
  stage: c.stage,
  ended: c.ended,
  service: c.service,
  destination: c.destination?.organization ?? c.destination?.name ?? c.destination?.service ?? null,
});

/** The referral of a document and, for an answering type with none linked, the choices. */
export async function documentReferrals(
  deps: Pick<IntakeDeps, 'referrals'>,
  ctx: RequestContext,
  row: DocumentRow,
): Promise<DocumentReferrals> {
  const links = deps.referrals;
  if (links === undefined || row.patient_id === null) return {};
  if (row.referral_id !== null) {
    const linked = await links.byId(ctx, row.site, row.referral_id);
    return linked !== undefined ? { referral: view(linked) } : {};
  }
  const linkable = row.doc_type !== null && answeringTypes.includes(row.doc_type);
  if (!linkable || row.referral_reason === 'not-for-a-referral' || row.state === 'filed' || row.state === 'rejected')
    return {};
  const all = await links.ofPatient(ctx, row.site, row.patient_id);
  const rank = (c: ReferralCandidate): number => (!c.ended && awaitingReport.includes(c.stage) ? 0 : c.ended ? 2 : 1);
  return {
    referralChoices: [...all]
      .sort((a, b) => rank(a) - rank(b))
      .slice(0, 20)
      .map(view),
  };
}
