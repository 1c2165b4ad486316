/**
 * @module Leakage: referrals that left the loop (never scheduled, scheduled out of network,
 * cancelled), counted by reason from the figures, and listed (all reasons or one) by server paging.
 */
import { useId, useState, type ReactNode } from 'react';
import { compact } from '../../api/client.js';
import { ReferralCard } from './referral-card.js';
import { referralActionable, sortByNeedsAction } from '../../ui/work-queue.js';
import { useReferralPages } from './use-referral-pages.js';
import { leakLabels, leakReasons, type LeakReason, type ReferralFigures } from './referral-types.js';

const PAGE = 25;

const percent = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 1000) / 10} %`);

export function LeakageView(props: {
  readonly site: string | undefined;
  readonly figures: ReferralFigures | undefined;
}): ReactNode {
  const [reason, setReason] = useState<LeakReason | 'any'>('any');
  const reasonId = useId();
  const pages = useReferralPages(compact({ site: props.site, leaked: reason === 'any' ? 'true' : reason }), PAGE);
  const f = props.figures;
  return (
    <section aria-labelledby="leakage-heading">
      <h2 id="leakage-heading">Leakage</h2>
      {f === undefined ? (
        <p role="status" className="muted">
          Loading counts…
        </p>
      ) : (
        <table className="data leakage-table">
          <caption>
            Leaked referrals by reason: {f.leakage.count} of {f.total} ({percent(f.leakage.rate)})
          </caption>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Referrals</th>
              <th scope="col">Share of all referrals</th>
            </tr>
          </thead>
          <tbody>
            {leakReasons.map((l) => (
              <tr key={l}>
                <th scope="row">{leakLabels[l]}</th>
                <td>{f.leakage.byReason[l].count}</td>
                <td>{percent(f.leakage.byReason[l].rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="filters">
        <label htmlFor={reasonId}>
          Reason
          <select id={reasonId} value={reason} onChange={(e) => setReason(e.target.value as LeakReason | 'any')}>
            <option value="any">Any reason</option>
            {leakReasons.map((l) => (
              <option key={l} value={l}>
                {leakLabels[l]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {pages.error !== undefined && (
        <p role="alert" className="error">
          {pages.error}
        </p>
      )}
      {pages.items.length === 0 && !pages.loading && pages.error === undefined ? (
        <p className="empty">No leaked referrals{reason === 'any' ? '' : ` for this reason`}.</p>
      ) : (
        <ul className="referral-list" aria-label="Leaked referrals">
          {sortByNeedsAction(pages.items, referralActionable).map((r) => (
            <ReferralCard key={r.workflowId} item={r} showStage />
          ))}
        </ul>
      )}
      {pages.loading && (
        <p role="status" className="muted">
          Loading leaked referrals…
        </p>
      )}
      {pages.hasMore && !pages.loading && (
        <button type="button" onClick={pages.more}>
          More leaked referrals
        </button>
      )}
    </section>
  );
}
