/**
 * @module The referral board's names for the API's codes. The shapes themselves are generated
 * from the server's OpenAPI document (api/types.ts), re-exported here for the board's files.
 */
import type { LeakReason, ReferralDetail, ReferralItem, ReferralStage } from '../../api/types.js';

export type {
  LeakReason,
  ReferralDetail,
  ReferralFigures,
  ReferralItem,
  ReferralPage,
  ReferralQuery,
  ReferralStage,
} from '../../api/types.js';
export type ReferralHistoryEntry = ReferralDetail['history'][number];

/** The stages in the order a referral moves through them (columns of the board). */
export const referralStages = [
  'sent',
  'received',
  'accepted',
  'scheduled',
  'attended',
  'reported',
  'closed',
] as const satisfies readonly ReferralStage[];

export const leakReasons = ['never-scheduled', 'out-of-network', 'cancelled'] as const satisfies readonly LeakReason[];

export const leakLabels: Readonly<Record<LeakReason, string>> = {
  'never-scheduled': 'Never scheduled',
  'out-of-network': 'Scheduled out of network',
  cancelled: 'Cancelled',
};

export const stageLabels: Readonly<Record<ReferralStage, string>> = {
  sent: 'Sent',
  received: 'Received',
  accepted: 'Accepted',
  scheduled: 'Scheduled',
  attended: 'Attended',
  reported: 'Reported',
  closed: 'Closed',
};

/** A referral's requester or destination as the clinic directory names it (or its raw reference, unresolved). */
export type ReferralParticipant = NonNullable<ReferralItem['destination']>;

/**
 * What a person reads for a participant: the name, then the service and organization when they
 * add something; a participant nobody has named yet shows its raw reference and says so.
 */
export function participantLabel(p: ReferralParticipant | null): {
  text: string;
  detail: string | null;
  unresolved: boolean;
} {
  if (p === null) return { text: 'none recorded', detail: null, unresolved: false };
  if (p.name === null) return { text: p.reference ?? p.kind, detail: 'not in the directory yet', unresolved: true };
  const more = [p.service, p.organization].filter((x): x is string => x !== null && x !== p.name);
  return { text: p.name, detail: more.length > 0 ? more.join(', ') : null, unresolved: false };
}

/** The directory's word on the network, in words. */
export function networkLabel(network: ReferralParticipant['network']): string {
  return network === 'in' ? 'in network' : network === 'out' ? 'out of network' : 'network not known';
}
