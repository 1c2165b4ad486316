/** @module Operations (being built). */
import type { ReactNode } from 'react';
import type { ScreenProps } from '../index.js';

export function DashboardsScreen(props: ScreenProps): ReactNode {
  return <h1 data-params={props.params.join('/')}>Operations</h1>;
}
