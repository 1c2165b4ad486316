/**
 * @module Operations: the dashboards a practice manager looks at (referral closure and leakage by
 * week, time in stage, no-shows, review throughput by hour, queue age), for the site in view and
 * a date range, in the site's time zone (the viewer's until it is known). One request (`GET /reports/operations`); sections
 * the grants do not cover come back empty and are said so, not hidden silently.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useSite } from '../../app.js';
import { answer, compact, describeError } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { dayInZone, formatDateTime, getDisplayZone, startOfDayInZone } from '../../ui/format.js';
import type { OperationsReport } from './operations-types.js';
import {
  NoShowChart,
  QueueAgeChart,
  ReferralWeeksChart,
  ThroughputChart,
  TimeInStageChart,
} from './operations-charts.js';
import './dashboards.css';

const DAY = 86_400_000;

/** `YYYY-MM-DD` of a day at the site (its zone, set by the shell; else the viewer's). */
const dateInput = (d: Date): string => dayInZone(d);

/** Midnight at the site starting `date` (`YYYY-MM-DD`), plus `days`, as an ISO instant. */
const startOfDay = (date: string, days = 0): string => startOfDayInZone(date, days);

type Load =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'ready'; readonly report: OperationsReport };

export function DashboardsScreen(): ReactNode {
  const { api } = useSession();
  const site = useSite();
  const today = dateInput(new Date());
  const [from, setFrom] = useState(() => dateInput(new Date(Date.now() - 83 * DAY)));
  const [to, setTo] = useState(today);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [reloads, setReloads] = useState(0);
  // The site's zone (set by the shell), else the viewer's.
  const zone = getDisplayZone() ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const rangeError =
    from === '' || to === '' ? 'Choose both dates.' : from > to ? 'From must be on or before To.' : null;

  useEffect(() => {
    if (rangeError !== null) return;
    let live = true;
    setLoad({ kind: 'loading' });
    const query = compact({
      site,
      from: startOfDay(from),
      // The To day is included: the server's bound is exclusive.
      to: startOfDay(to, 1),
      zone,
    });
    answer(api.http.GET('/reports/operations', { params: { query } })).then(
      (report) => live && setLoad({ kind: 'ready', report }),
      (e: unknown) => live && setLoad({ kind: 'error', message: describeError(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, site, from, to, zone, rangeError, reloads]);

  return (
    <section aria-labelledby="operations-title">
      <h1 id="operations-title">Operations</h1>
      <p className="muted">
        {site === undefined ? 'All sites' : `Site ${site}`} · times in {zone}
      </p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setReloads((n) => n + 1);
        }}
      >
        <label>
          From
          <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          To
          <input type="date" value={to} min={from} max={today} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit">Refresh</button>
      </form>
      {rangeError !== null && (
        <p role="alert" className="error">
          {rangeError}
        </p>
      )}
      {load.kind === 'loading' && rangeError === null && (
        <p role="status" className="muted">
          Loading figures…
        </p>
      )}
      {load.kind === 'error' && (
        <p role="alert" className="error">
          Could not load the figures: {load.message}
        </p>
      )}
      {load.kind === 'ready' && <Report report={load.report} />}
    </section>
  );
}

function Report({ report }: { readonly report: OperationsReport }): ReactNode {
  return (
    <>
      <p role="status" className="muted">
        Figures as of {formatDateTime(report.generatedAt)}
        {/* Read from a replica: say how fresh (caught up, or the last change it has). */}
        {report.source.database === 'replica' && report.source.standby
          ? report.source.caughtUp
            ? ', from the reporting copy, which is up to date'
            : `, from the reporting copy, which has changes up to ${report.source.dataAsOf === null ? 'its start' : formatDateTime(report.source.dataAsOf)}`
          : ''}
        .
      </p>
      {report.withheld.includes('phi.search') && (
        <p className="notice">
          Referral and follow-up figures are not shown: your grants do not include searching patients' care at this
          site.
        </p>
      )}
      {report.withheld.includes('review.read') && (
        <p className="notice">Review queue figures are not shown: your grants do not include the review queue here.</p>
      )}
      <div className="grid-2">
        {report.referralWeeks !== null && <ReferralWeeksChart weeks={report.referralWeeks} />}
        {report.timeInStage !== null && <TimeInStageChart stages={report.timeInStage} />}
        {report.noShows !== null && <NoShowChart lines={report.noShows} />}
        {report.throughput !== null && <ThroughputChart hours={report.throughput} zone={report.zone} />}
        {report.queueAge !== null && <QueueAgeChart rows={report.queueAge} />}
      </div>
    </>
  );
}
