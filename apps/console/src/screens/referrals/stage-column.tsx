/** @module One stage of the board: its count, its first page of referrals, and "more" by server paging. */
import { useId, type ReactNode } from 'react';
import { compact } from '../../api/client.js';
import { ReferralCard } from './referral-card.js';
import { referralActionable, sortByNeedsAction } from '../../ui/work-queue.js';
import { useReferralPages } from './use-referral-pages.js';
import { stageLabels, type ReferralStage } from './referral-types.js';

export const COLUMN_PAGE = 25;

export function StageColumn(props: {
  readonly stage: ReferralStage;
  readonly site: string | undefined;
  readonly overdueOnly: boolean;
  /** From the figures: how many are in this stage (undefined while they load). */
  readonly total: number | undefined;
}): ReactNode {
  const headingId = useId();
  const label = stageLabels[props.stage];
  const pages = useReferralPages(
    compact({ site: props.site, stage: props.stage, overdue: props.overdueOnly ? 'true' : undefined }),
    COLUMN_PAGE,
  );
  return (
    <section className="stage-column" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {label}
        {props.total !== undefined && !props.overdueOnly && <span className="muted"> ({props.total})</span>}
      </h2>
      {pages.error !== undefined && (
        <p role="alert" className="error">
          {label}: {pages.error}
        </p>
      )}
      {pages.items.length === 0 && !pages.loading && pages.error === undefined ? (
        <p className="muted">{props.overdueOnly ? 'None overdue.' : 'None.'}</p>
      ) : (
        <ul className="referral-list" aria-label={`${label} referrals`}>
          {sortByNeedsAction(pages.items, referralActionable).map((r) => (
            <ReferralCard key={r.workflowId} item={r} />
          ))}
        </ul>
      )}
      {pages.loading && (
        <p role="status" className="muted">
          Loading {label.toLowerCase()} referrals…
        </p>
      )}
      {pages.hasMore && !pages.loading && (
        <button type="button" onClick={pages.more}>
          More {label.toLowerCase()}
        </button>
      )}
    </section>
  );
}
