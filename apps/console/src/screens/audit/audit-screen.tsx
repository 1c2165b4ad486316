/** @module Audit (being built). */
import type { ReactNode } from 'react';
import type { ScreenProps } from '../index.js';

export function AuditScreen(props: ScreenProps): ReactNode {
  return <h1 data-params={props.params.join('/')}>Audit</h1>;
}
