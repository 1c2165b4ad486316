/**
 * @module Follow-ups: the recheck follow-ups at a site (server-paged, filtered by stage and
 * overdue), and one chosen to see its sequence on a timeline. Routes: `#/followups`,
 * `#/followups/<workflow id>`. Each row: the service, the patient (a link to their page), the stage,
 * the owner (who ordered the recheck) and what is next by when; overdue first, then the soonest due.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { answer, compact, describeError } from '../../api/client.js';
import { useSite } from '../../app.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatDateTime } from '../../ui/format.js';
import { Pager, usePageTrail } from '../../ui/pager.js';
import { PatientLink } from '../../ui/patient-link.js';
import { followupActionable, followupTitle, sortByNeedsAction } from '../../ui/work-queue.js';
import type { ScreenProps } from '../index.js';
import { FollowupOwner } from './followup-owner.js';
import { FollowupTimelineView } from './followup-timeline.js';
import { followupStages, isFollowupStage, type FollowupPage, type FollowupStage } from './followup-types.js';
import { stageLabel } from './timeline-entries.js';
import './followups.css';

const PAGE = 25;

export function FollowupsScreen(props: ScreenProps): ReactNode {
  const { api, sitesFor } = useSession();
  const siteInView = useSite();
  const ids = { site: useId(), stage: useId(), overdue: useId() };
  const named = sitesFor('phi.search').filter((s) => s !== '*');
  // The list needs one site: the header's, else the first granted, else one typed in (a `*` grant).
  const [typedSite, setTypedSite] = useState(named[0] ?? '');
  const site = siteInView ?? typedSite.trim();
  const [stage, setStage] = useState<FollowupStage | ''>('');
  const [overdue, setOverdue] = useState(false);
  const pages = usePageTrail();
  const [page, setPage] = useState<FollowupPage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const selected = props.params[0];
  const after = pages.cursor;
  const { reset } = pages;

  // Another site in the header starts again from the first page.
  useEffect(() => reset(), [siteInView, reset]);

  /** A filter change starts again from the first page. */
  const refilter =
    <T,>(set: (v: T) => void) =>
    (v: T): void => {
      set(v);
      reset();
    };

  useEffect(() => {
    if (site === '') return;
    let live = true;
    setError(undefined);
    setPage(undefined);
    const query = { site, ...compact({ stage, overdue: overdue ? 'true' : undefined, after, limit: String(PAGE) }) };
    answer(api.http.GET('/followups', { params: { query } }))
      .then((p) => live && setPage(p))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, site, stage, overdue, after]);

  return (
    <div className="followups">
      <h1>Follow-ups{site !== '' ? ` at ${site}` : ''}</h1>
      <div className="filters">
        {siteInView === undefined && (
          <label htmlFor={ids.site}>
            Site
            <input id={ids.site} value={typedSite} onChange={(e) => refilter(setTypedSite)(e.target.value)} />
          </label>
        )}
        <label htmlFor={ids.stage}>
          Stage
          <select
            id={ids.stage}
            value={stage}
            onChange={(e) => refilter(setStage)(isFollowupStage(e.target.value) ? e.target.value : '')}
          >
            <option value="">Any stage</option>
            {followupStages.map((s) => (
              <option key={s} value={s}>
                {stageLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.overdue} className="checkbox">
          <input
            id={ids.overdue}
            type="checkbox"
            checked={overdue}
            onChange={(e) => refilter(setOverdue)(e.target.checked)}
          />
          Only overdue
        </label>
      </div>
      <div className="followups__layout">
        <section aria-labelledby="followup-list-heading" className="followups__list">
          <h2 id="followup-list-heading">Follow-ups</h2>
          {site === '' && <p className="empty">Choose a site to see its follow-ups.</p>}
          {error !== undefined && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          {site !== '' && page === undefined && error === undefined && (
            <p role="status" className="muted">
              Loading follow-ups…
            </p>
          )}
          {page !== undefined && page.items.length === 0 && <p className="empty">No follow-ups match.</p>}
          {page !== undefined && page.items.length > 0 && (
            <ul className="followup-list" aria-label="Follow-ups">
              {sortByNeedsAction(page.items, followupActionable).map((f) => (
                <li key={f.id} className={f.overdue ? 'overdue' : undefined}>
                  <a href={href('followups', f.id)} aria-current={f.id === selected ? 'true' : undefined}>
                    {followupTitle(f)}
                  </a>
                  <span className="followup-list__patient">
                    {' '}
                    · <PatientLink label={f.patientLabel} />
                  </span>
                  <span>
                    {' '}
                    · {stageLabel(f.stage)}
                    {f.overdue && <span className="badge overdue">Overdue</span>}
                    {f.optedOut && <span className="badge">Opted out</span>}
                  </span>
                  <span className="followup-list__owner">
                    Owner: <FollowupOwner owner={f.owner} />
                  </span>
                  <span className="muted followup-list__next">
                    {f.status !== 'running'
                      ? 'Nothing next: the follow-up ended'
                      : f.stage === 'booked' && f.appointmentStart !== null
                        ? `Next: the appointment, ${formatDateTime(f.appointmentStart)}`
                        : f.window !== null
                          ? `Next: book the recheck by ${formatDateTime(f.window.end)}`
                          : ''}
                    {f.nextReminderAt !== null && `; next reminder ${formatDateTime(f.nextReminderAt)}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <Pager pages={pages} next={page?.next} />
        </section>
        <div className="followups__detail">
          {selected !== undefined ? (
            <FollowupTimelineView id={selected} />
          ) : (
            <p className="empty">Choose a follow-up to see its timeline.</p>
          )}
        </div>
      </div>
    </div>
  );
}
