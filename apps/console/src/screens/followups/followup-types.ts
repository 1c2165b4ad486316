/**
 * @module The follow-up screen's names for the API's codes. The shapes themselves are generated
 * from the server's OpenAPI document (api/types.ts), re-exported here for the screen's files.
 */
import type { QueryOf } from '../../api/types.js';

export type { FollowupItem, FollowupPage, FollowupStep, FollowupTimeline, TimelineMessage } from '../../api/types.js';
export type FollowupStage = NonNullable<QueryOf<'/followups', 'get'>['stage']>;

export const followupStages = [
  'awaiting-booking',
  'booked',
  'rebooking',
  'no-show',
  'fulfilled',
  'closed',
] as const satisfies readonly FollowupStage[];

export function isFollowupStage(value: string): value is FollowupStage {
  return (followupStages as readonly string[]).includes(value);
}

export const stageLabels: Readonly<Record<string, string>> = {
  new: 'New',
  'awaiting-booking': 'Awaiting booking',
  booked: 'Booked',
  rebooking: 'Rebooking',
  'no-show': 'No-show',
  fulfilled: 'Fulfilled',
  closed: 'Closed',
};
