/** @module Referrals (being built). */
import type { ReactNode } from 'react';
import type { ScreenProps } from '../index.js';

export function ReferralBoard(props: ScreenProps): ReactNode {
  return <h1 data-params={props.params.join('/')}>Referrals</h1>;
}
