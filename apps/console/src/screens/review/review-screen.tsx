/** @module Review queue (being built). */
import type { ReactNode } from 'react';
import type { ScreenProps } from '../index.js';

export function ReviewScreen(props: ScreenProps): ReactNode {
  return <h1 data-params={props.params.join("/")}>Review queue</h1>;
}
