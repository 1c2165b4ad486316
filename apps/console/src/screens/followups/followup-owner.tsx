/**
 * @module A follow-up's owner: who ordered the recheck, by name with their service and practice from
 * the clinic directory (as a referral's requester is shown); a requester the directory cannot name
 * yet shows its reference, marked; a follow-up whose order named nobody says so, never a blank.
 */
import type { ReactNode } from 'react';
import { Participant } from '../referrals/referral-card.js';
import type { FollowupItem } from './followup-types.js';

export function FollowupOwner(props: { readonly owner: FollowupItem['owner'] }): ReactNode {
  return props.owner === null ? (
    <span className="muted">not recorded by the EHR</span>
  ) : (
    <>
      <Participant p={props.owner} /> <span className="muted">(ordered the recheck)</span>
    </>
  );
}
