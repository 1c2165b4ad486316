/**
 * @module The operations dashboards' review-queue figures, aggregated in SQL over the proposals
 * tables: decisions and commits by hour of day, and the age of what is pending by priority. Only
 * codes, statuses, priorities and times are read (never a sealed column), and only counts leave
 * the database: a queue of 100,000 pending proposals is counted, not loaded. Callers enforce
 * `review.read` first (see operations-report.ts).
 *
 * Known limits: `proposal_history` has no index on `at`, so the hourly figure scans the history
 * (fine for months of a clinic's decisions; an index on `(at)` is the fix past that). Queue age is
 * counted from when the proposal row was created: a rebased revision is a new row, so its age
 * restarts when it comes back to review.
 *
 * Placement: the proposals tables are listed as PHI tables in scripts/check-boundaries.mjs, whose
 * owner is packages/proposals/src/store. This file reads none of their sealed columns and depends
 * on nothing but `Sql`, so it can move there as it is (or this folder be named an owner).
 */
import type { Sql } from '@steward/store';

/** A site (all when absent), a window [from, to) and an IANA zone for hours of day. */
export interface QueueWindow {
  readonly site?: string;
  readonly from: Date;
  readonly to: Date;
  readonly zone: string;
}

export interface HourThroughput {
  /** 0–23 in the zone asked for. */
  readonly hour: number;
  /** Approved or rejected by a person (a reviewer). */
  readonly reviewed: number;
  /** Approved by an auto-approval policy, no person involved. */
  readonly autoApproved: number;
  /** Written to the EHR by the applier. */
  readonly committed: number;
}

export const queueAgeBuckets = ['under1h', 'from1to4h', 'from4to24h', 'from1to3d', 'over3d'] as const;
export type QueueAgeBucket = (typeof queueAgeBuckets)[number];

export interface QueueAgeRow extends Readonly<Record<QueueAgeBucket, number>> {
  /** 1 (most urgent) to 5. */
  readonly priority: number;
  readonly total: number;
}

const n = (v: number | string | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));

/** Every hour 0–23, with how many decisions and commits happened in it over the window. */
export async function throughputByHour(db: Sql, w: QueueWindow): Promise<HourThroughput[]> {
  const r = await db.query<{
    hour: number | string;
    reviewed: number | string;
    auto: number | string;
    committed: number | string;
  }>(
    `select extract(hour from h.at at time zone $4)::int as hour,
            count(*) filter (where h.to_status in ('approved', 'rejected') and h.actor_kind <> 'policy') as reviewed,
            count(*) filter (where h.to_status = 'approved' and h.actor_kind = 'policy') as auto,
            count(*) filter (where h.to_status = 'committed') as committed
     from proposal_history h join proposals p on p.id = h.proposal_id
     where h.at >= $2 and h.at < $3 and h.to_status in ('approved', 'rejected', 'committed')
       and ($1::text is null or p.site = $1)
     group by 1`,
    [w.site ?? null, w.from, w.to, w.zone],
  );
  const byHour = new Map(r.rows.map((row) => [n(row.hour), row]));
  return Array.from({ length: 24 }, (_, hour) => {
    const row = byHour.get(hour);
    return { hour, reviewed: n(row?.reviewed), autoApproved: n(row?.auto), committed: n(row?.committed) };
  });
}

/**
 * Pending proposals by priority (every priority 1–5 present) and age at `now`: under 1 h, 1–4 h,
 * 4–24 h, 1–3 days, over 3 days (lower bounds inclusive).
 */
export async function queueAge(
  db: Sql,
  options: { readonly site?: string; readonly now: Date },
): Promise<QueueAgeRow[]> {
  const r = await db.query<Record<QueueAgeBucket | 'priority' | 'total', number | string>>(
    `select priority, count(*) as total,
            count(*) filter (where created_at > $2::timestamptz - interval '1 hour') as under1h,
            count(*) filter (where created_at <= $2::timestamptz - interval '1 hour'
                               and created_at > $2::timestamptz - interval '4 hours') as from1to4h,
            count(*) filter (where created_at <= $2::timestamptz - interval '4 hours'
                               and created_at > $2::timestamptz - interval '24 hours') as from4to24h,
            count(*) filter (where created_at <= $2::timestamptz - interval '24 hours'
                               and created_at > $2::timestamptz - interval '72 hours') as from1to3d,
            count(*) filter (where created_at <= $2::timestamptz - interval '72 hours') as over3d
     from proposals
     where status = 'pending_review' and ($1::text is null or site = $1)
     group by priority`,
    [options.site ?? null, options.now],
  );
  const byPriority = new Map(r.rows.map((row) => [n(row.priority), row]));
  return [1, 2, 3, 4, 5].map((priority) => {
    const row = byPriority.get(priority);
    return {
      priority,
      total: n(row?.total),
      under1h: n(row?.under1h),
      from1to4h: n(row?.from1to4h),
      from4to24h: n(row?.from4to24h),
      from1to3d: n(row?.from1to3d),
      over3d: n(row?.over3d),
    };
  });
}
