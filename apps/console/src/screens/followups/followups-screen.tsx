/** @module Follow-ups (being built). */
import type { ReactNode } from 'react';
import type { ScreenProps } from '../index.js';

export function FollowupsScreen(props: ScreenProps): ReactNode {
  return <h1 data-params={props.params.join('/')}>Follow-ups</h1>;
}
