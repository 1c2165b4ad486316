/**
 * @module The referral board: referrals by stage (sent → … → closed), each stage loading its own
 * first page from the server with "more" paging; overdue, escalated and leaked said in words;
 * a leakage view (counts by reason and the list); and one referral opened with its history.
 * Routes: `#/referrals`, `#/referrals/leakage`, `#/referrals/<workflow id>`.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { answer, compact, describeError } from '../../api/client.js';
import { useSite } from '../../app.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import type { ScreenProps } from '../index.js';
import { LeakageView } from './leakage-view.js';
import { ReferralDetailView } from './referral-detail.js';
import { referralStages, type ReferralFigures } from './referral-types.js';
import { StageColumn } from './stage-column.js';
import './referrals.css';

export function ReferralBoard(props: ScreenProps): ReactNode {
  const { api } = useSession();
  const site = useSite();
  const overdueId = useId();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [figures, setFigures] = useState<ReferralFigures | undefined>();
  const [error, setError] = useState<string | undefined>();
  const view = props.params[0];
  const leakage = view === 'leakage';
  const opened = view !== undefined && !leakage ? view : undefined;

  useEffect(() => {
    let live = true;
    setFigures(undefined);
    setError(undefined);
    answer(api.http.GET('/reports/referrals', { params: { query: compact({ site }) } }))
      .then((f) => live && setFigures(f))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, site]);

  return (
    <div className="referral-board">
      <h1>Referrals{site !== undefined ? ` at ${site}` : ', all sites'}</h1>
      <nav aria-label="Referral views" className="view-tabs">
        <a href={href('referrals')} aria-current={!leakage && opened === undefined ? 'page' : undefined}>
          Board
        </a>
        <a href={href('referrals', 'leakage')} aria-current={leakage ? 'page' : undefined}>
          Leakage
        </a>
      </nav>
      {error !== undefined && (
        <p role="alert" className="error">
          Figures: {error}
        </p>
      )}
      {figures !== undefined && (
        <p className="summary">
          {figures.total} referrals; {figures.overdue} overdue, {figures.escalated} escalated, {figures.leakage.count}{' '}
          leaked.
        </p>
      )}
      {opened !== undefined ? (
        <ReferralDetailView workflowId={opened} />
      ) : leakage ? (
        <LeakageView site={site} figures={figures} />
      ) : (
        <>
          <div className="filters">
            <label htmlFor={overdueId} className="checkbox">
              <input
                id={overdueId}
                type="checkbox"
                checked={overdueOnly}
                onChange={(e) => setOverdueOnly(e.target.checked)}
              />
              Only overdue
            </label>
          </div>
          {/* Scrolls sideways: focusable so a keyboard can scroll it too. */}
          <div className="stage-columns" tabIndex={0} role="region" aria-label="Referral stages">
            {referralStages.map((s) => (
              <StageColumn key={s} stage={s} site={site} overdueOnly={overdueOnly} total={figures?.byStage[s]} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
