/** @module The review queue and, with an id, one proposal opened for review. */
import type { ReactNode } from 'react';
import type { ScreenProps } from '../index.js';
import { ReviewQueue } from './review-queue.js';
import { ProposalReview } from './proposal-review.js';

export function ReviewScreen(props: ScreenProps): ReactNode {
  const id = props.params[0];
  return id === undefined ? <ReviewQueue /> : <ProposalReview id={id} key={id} />;
}
