/**
 * @module Which proposal outcomes are published as events (`proposal.<outcome>`), in the words the
 * proposals package gives every status (`@steward/proposals` `outcomeOfStatus`, the one mapping the
 * drafter's API answers with too). `drafted` and `superseded` are no events: a draft is pending
 * review at once, and an edit's new revision says pending-review itself.
 */
import {
  outcomeOfStatus,
  proposalOutcomes as allOutcomes,
  type ProposalOutcomeName,
  type ProposalStatus,
} from '@steward/proposals';

export type ProposalOutcome = Exclude<ProposalOutcomeName, 'superseded'>;

export const proposalOutcomes: readonly ProposalOutcome[] = allOutcomes.filter(
  (o): o is ProposalOutcome => o !== 'superseded',
);

/** The outcome word of a status, or undefined for a status that is no event. */
export function proposalOutcomeOf(status: ProposalStatus): ProposalOutcome | undefined {
  if (status === 'drafted' || status === 'superseded') return undefined;
  const outcome = outcomeOfStatus(status);
  return outcome === 'superseded' ? undefined : outcome;
}
