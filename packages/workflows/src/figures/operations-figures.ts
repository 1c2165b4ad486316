/**
 * @module The operations dashboards' workflow figures, aggregated in SQL over `workflow_instances`
 * (no PHI: references, codes and times): referral closure and leakage per week, time in each
 * referral stage (median and 90th percentile), and the follow-ups' no-show rate by service line.
 * Every figure is a `count`, `sum` or `percentile_disc` in the database: no instance row is read
 * into the process. Callers enforce `phi.search` first (the server's reports/operations-report.ts).
 *
 * Weeks start on Monday in the zone asked for (PostgreSQL's `date_trunc('week', …)`), so a week's
 * bucket is the clinic's week, not UTC's.
 */
import { FOLLOWUP } from '../followups/index.js';
import { REFERRAL_WORKFLOW, referralStages, type ReferralStage } from '../referrals/index.js';
import type { Sql } from '@steward/store';

export interface FigureWindow {
  /** Only instances whose state names this site; all sites when absent. */
  readonly site?: string;
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  /** IANA zone for weeks and hours (checked by the caller). */
  readonly zone: string;
}

export interface ReferralWeek {
  /** The Monday the week starts on, `YYYY-MM-DD` in the zone. */
  readonly week: string;
  /** Referrals started (sent) that week. */
  readonly started: number;
  /** Of those, closed (report back and request completed) by now. */
  readonly closed: number;
  /** Of those, leaked (never scheduled, out of network, or cancelled). */
  readonly leaked: number;
  readonly closureRate: number | null;
  readonly leakageRate: number | null;
}

export interface StageDuration {
  readonly stage: ReferralStage;
  /** Completed stays in the stage (the referral moved on from it). */
  readonly count: number;
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
}

export interface NoShowLine {
  /**
   * The service line. Follow-up state keeps no order code or appointment service type, so the
   * line is derived from the one thing recorded about the order: its resource type (a recheck
   * ordered as a `ServiceRequest`, or as a `Task`). See `noShowsByServiceLine`.
   */
  readonly serviceLine: string;
  readonly followups: number;
  /** Appointments booked (a rebooking counts again). */
  readonly booked: number;
  readonly noShows: number;
  /** noShows / booked (null with none booked). */
  readonly rate: number | null;
}

const n = (v: number | string | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
const hours = (v: number | string | null): number | null => (v === null ? null : Math.round(Number(v) * 100) / 100);

/**
 * Referrals started in each week of the window (every week present, empty ones with zeros): how
 * many, and how many of them are closed or leaked now. A cohort view: a week's closure rate rises
 * as its referrals close, so recent weeks read low until their loops have had time to close.
 */
export async function referralWeeks(db: Sql, w: FigureWindow): Promise<ReferralWeek[]> {
  const r = await db.query<{
    week: string;
    started: string | number;
    closed: string | number;
    leaked: string | number;
  }>(
    `with weeks as (
       select generate_series(
         date_trunc('week', $3::timestamptz at time zone $5),
         date_trunc('week', ($4::timestamptz - interval '1 millisecond') at time zone $5),
         interval '1 week') as week
     ), started as (
       select date_trunc('week', created_at at time zone $5) as week,
              count(*) as started,
              count(*) filter (where state->>'stage' = 'closed') as closed,
              count(*) filter (where state->>'leaked' is not null) as leaked
       from workflow_instances
       where type = $1 and ($2::text is null or state->>'site' = $2)
         and created_at >= $3 and created_at < $4
       group by 1
     )
     select to_char(weeks.week, 'YYYY-MM-DD') as week, coalesce(started.started, 0) as started,
            coalesce(started.closed, 0) as closed, coalesce(started.leaked, 0) as leaked
     from weeks left join started using (week) order by weeks.week`,
    [REFERRAL_WORKFLOW, w.site ?? null, w.from, w.to, w.zone],
  );
  return r.rows.map((row) => {
    const started = n(row.started);
    return {
      week: row.week,
      started,
      closed: n(row.closed),
      leaked: n(row.leaked),
      closureRate: ratio(n(row.closed), started),
      leakageRate: ratio(n(row.leaked), started),
    };
  });
}

/**
 * Hours spent in each stage before moving on, over referrals started in the window: the stage
 * history is unnested in SQL, a stay starts where the stage changes and ends at the next change
 * (a stay still open is not counted). Quantiles are nearest-rank (`percentile_disc`), as in
 * `/reports/referrals`.
 */
export async function referralTimeInStage(db: Sql, w: FigureWindow): Promise<StageDuration[]> {
  const r = await db.query<{
    stage: string;
    count: string | number;
    median: number | string | null;
    p90: number | string | null;
  }>(
    `with entries as (
       select i.id, h.e->>'stage' as stage, (h.e->>'at')::timestamptz as at, h.ord
       from workflow_instances i
       cross join lateral jsonb_array_elements(i.state->'history') with ordinality as h(e, ord)
       where i.type = $1 and ($2::text is null or i.state->>'site' = $2)
         and i.created_at >= $3 and i.created_at < $4
     ), marked as (
       select id, stage, at, ord, lag(stage) over (partition by id order by ord) as prev from entries
     ), stays as (
       select stage, extract(epoch from (lead(at) over (partition by id order by ord) - at)) / 3600 as h
       from marked where prev is null or prev <> stage
     )
     select stage, count(h) as count,
            percentile_disc(0.5) within group (order by h) as median,
            percentile_disc(0.9) within group (order by h) as p90
     from stays where h is not null group by stage`,
    [REFERRAL_WORKFLOW, w.site ?? null, w.from, w.to],
  );
  const byStage = new Map(r.rows.map((row) => [row.stage, row]));
  return referralStages.map((stage) => {
    const row = byStage.get(stage);
    return {
      stage,
      count: n(row?.count),
      medianHours: row === undefined ? null : hours(row.median),
      p90Hours: row === undefined ? null : hours(row.p90),
    };
  });
}

/**
 * No-shows per booked appointment, by service line, over follow-ups started in the window.
 *
 * "Service line" is derived, not recorded: the follow-up workflow's state keeps the order's
 * reference (`ServiceRequest/…` or `Task/…`), its appointment's reference and counts, but neither
 * the order's code nor the appointment's service type. The only property of the order it holds is
 * the resource type it was ordered as, so that is the line (`ServiceRequest`, `Task`). Once the
 * follow-up state keeps the order's code, group by it here instead.
 */
export async function noShowsByServiceLine(db: Sql, w: FigureWindow): Promise<NoShowLine[]> {
  const r = await db.query<{
    line: string;
    followups: string | number;
    booked: string | number;
    no_shows: string | number;
  }>(
    `select coalesce(nullif(split_part(state->>'orderRef', '/', 1), ''), 'unknown') as line,
            count(*) as followups,
            coalesce(sum((state->'counts'->>'booked')::int), 0) as booked,
            coalesce(sum((state->'counts'->>'noShows')::int), 0) as no_shows
     from workflow_instances
     where type = $1 and ($2::text is null or state->>'site' = $2)
       and created_at >= $3 and created_at < $4
     group by 1 order by 1`,
    [FOLLOWUP, w.site ?? null, w.from, w.to],
  );
  return r.rows.map((row) => ({
    serviceLine: row.line,
    followups: n(row.followups),
    booked: n(row.booked),
    noShows: n(row.no_shows),
    rate: ratio(n(row.no_shows), n(row.booked)),
  }));
}
