/**
 * @module The referral board's names for the API's codes. The shapes themselves are generated
 * from the server's OpenAPI document (api/types.ts), re-exported here for the board's files.
 */
import type { LeakReason, ReferralDetail, ReferralStage } from '../../api/types.js';

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
