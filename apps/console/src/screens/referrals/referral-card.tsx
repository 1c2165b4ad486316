/**
 * @module One referral as a list item: its ServiceRequest reference (a link that opens it), owner,
 * due time, and flags said in words (overdue, escalated, leaked), never by colour alone.
 */
import type { ReactNode } from 'react';
import { href } from '../../router.js';
import { formatDateTime, formatDue } from '../../ui/format.js';
import { leakLabels, stageLabels, type ReferralItem } from './referral-types.js';

export function ReferralCard(props: { readonly item: ReferralItem; readonly showStage?: boolean }): ReactNode {
  const r = props.item;
  const title = r.serviceRequest ?? `Referral ${r.workflowId.slice(0, 8)}`;
  return (
    <li className={r.overdue !== null ? 'referral-card overdue' : 'referral-card'}>
      <a href={href('referrals', r.workflowId)} className="referral-card__title">
        {title}
      </a>
      <div className="referral-card__flags">
        {r.overdue !== null && <span className="badge overdue">Overdue: {stageLabels[r.overdue].toLowerCase()}</span>}
        {r.escalated && <span className="badge p1">Escalated</span>}
        {r.leaked !== null && <span className="badge p2">Leaked: {leakLabels[r.leaked].toLowerCase()}</span>}
        {r.status !== 'running' && <span className="badge">{r.status === 'completed' ? 'Ended' : 'Failed'}</span>}
      </div>
      <dl className="facts referral-card__facts">
        {props.showStage === true && (
          <>
            <dt>Stage</dt>
            <dd>{stageLabels[r.stage]}</dd>
          </>
        )}
        <dt>Owner</dt>
        <dd>{r.owner ?? 'none recorded'}</dd>
        <dt>Next</dt>
        <dd>
          {r.awaiting !== null ? (
            <>
              {stageLabels[r.awaiting]}{' '}
              <span title={formatDateTime(r.dueAt ?? undefined)}>{formatDue(r.dueAt ?? undefined)}</span>
            </>
          ) : (
            'nothing awaited'
          )}
        </dd>
        {r.site !== null && (
          <>
            <dt>Site</dt>
            <dd>{r.site}</dd>
          </>
        )}
      </dl>
    </li>
  );
}
