/** @module The review queue and, with an id, one proposal opened for review. */
import { useState, type ReactNode } from 'react';
import type { ScreenProps } from '../index.js';
import { ReviewQueue } from './review-queue.js';
import { ProposalReview } from './proposal-review.js';

export function ReviewScreen(props: ScreenProps): ReactNode {
  const id = props.params[0];
  // A decision that opens another revision (an edit, a conflict) says what happened on the revision it opens.
  const [handoff, setHandoff] = useState<{ readonly id: string; readonly message: string } | undefined>();
  if (id === undefined) return <ReviewQueue />;
  return (
    <ProposalReview
      id={id}
      key={id}
      notice={handoff?.id === id ? handoff.message : undefined}
      onOpenNext={(next, message) => setHandoff({ id: next, message })}
    />
  );
}
