/**
 * Lists and figures of follow-ups, read from the workflows' own state (`workflow_instances`, no
 * PHI: references, codes and times). Callers check `phi.search` at the site first (the HTTP route
 * and the CLI do): order and appointment references still point at one patient's chart.
 *
 * Figures: counts by stage (running and finished), mean and longest time in the current stage of
 * those still open, overdue (open and flagged), the no-show rate (no-shows per booked
 * appointment) and the fulfilled rate (finished follow-ups that ended fulfilled).
 */
import type { Sql } from '@steward/store';
import type { ParticipantNote } from '../referrals/referral-model.js';
import { FOLLOWUP, followupStages, type FollowupStage, type FollowupState } from './followup-workflow.js';

export interface FollowupFilter {
  readonly site?: string;
  readonly stage?: FollowupStage;
  readonly overdue?: boolean;
  readonly status?: 'running' | 'completed' | 'failed';
  readonly connectionId?: string;
  readonly limit?: number;
  /** Rows after this workflow id (from the previous page's last). */
  readonly after?: string;
  /** Only this follow-up (a detail read by workflow id). */
  readonly id?: string;
  /** Only these follow-ups (a patient's, for the patient page). */
  readonly ids?: readonly string[];
}

export interface FollowupItem {
  readonly id: string;
  readonly correlationKey: string;
  readonly status: string;
  readonly site: string | null;
  readonly connectionId: string;
  readonly orderRef: string;
  /** What the order asks for, as it named it (`Cardiology recheck`); null when it named nothing. */
  readonly service: string | null;
  /** Who ordered the recheck (its owner), as the order named it; null when not recorded. */
  readonly requester: ParticipantNote | null;
  readonly stage: string;
  readonly stageAt: string | null;
  readonly window: { readonly start: string; readonly end: string } | null;
  readonly appointmentRef: string | null;
  readonly appointmentStart: string | null;
  readonly nextReminderAt: string | null;
  readonly confirmation: string | null;
  readonly overdue: boolean;
  readonly optedOut: boolean;
  readonly counts: FollowupState['counts'];
  readonly proposals: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface Row {
  id: string;
  correlation_key: string;
  status: string;
  state: FollowupState;
  created_at: Date;
  updated_at: Date;
}

/**
 * The work-queue order, as SQL over the row alias `w`: what needs action first — open and overdue,
 * then by when the next step is due (the appointment once booked, else the booking window's end),
 * ended ones last — then by id, so a page's last id says where the next page starts.
 */
const lateKey = (w: string): string =>
  `(case when ${w}.status = 'running' and (${w}.state->>'overdue')::boolean then 0 else 1 end)`;
const dueKey = (w: string): string =>
  `(case when ${w}.status <> 'running' then 'infinity'::timestamptz
         when ${w}.state->>'stage' = 'booked' and ${w}.state->'appointment'->>'start' is not null
           then (${w}.state->'appointment'->>'start')::timestamptz
         else coalesce((${w}.state->'window'->>'end')::timestamptz, 'infinity'::timestamptz) end)`;

/** Follow-ups in the work-queue order (overdue first, then the soonest due), paged by the last id. */
export async function listFollowups(sql: Sql, filter: FollowupFilter = {}): Promise<FollowupItem[]> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const r = await sql.query<Row>(
    `select id, correlation_key, status, state, created_at, updated_at from workflow_instances w
     where type = $1
       and ($2::text is null or state->>'site' = $2)
       and ($3::text is null or state->>'stage' = $3)
       and ($4::boolean is null or (state->>'overdue')::boolean = $4)
       and ($5::text is null or status = $5)
       and ($6::text is null or state->>'connectionId' = $6)
       and ($7::uuid is null or (${lateKey('w')}, ${dueKey('w')}, w.id) >
            (select ${lateKey('a')}, ${dueKey('a')}, a.id from workflow_instances a where a.id = $7))
       and ($9::uuid is null or id = $9)
       and ($10::uuid[] is null or id = any($10::uuid[]))
     order by ${lateKey('w')}, ${dueKey('w')}, w.id limit $8`,
    [
      FOLLOWUP,
      filter.site ?? null,
      filter.stage ?? null,
      filter.overdue ?? null,
      filter.status ?? null,
      filter.connectionId ?? null,
      filter.after ?? null,
      limit,
      filter.id ?? null,
      filter.ids ?? null,
    ],
  );
  return r.rows.map(toItem);
}

function toItem(row: Row): FollowupItem {
  const s = row.state;
  const next = s.reminders
    .filter((x) => x.status === 'scheduled')
    .map((x) => x.dueAt)
    .sort()[0];
  return {
    id: row.id,
    correlationKey: row.correlation_key,
    status: row.status,
    site: s.site,
    connectionId: s.connectionId,
    orderRef: s.orderRef,
    service: s.service ?? null,
    requester: s.requester ?? null,
    stage: s.stage,
    stageAt: s.stageAt,
    window: s.window,
    appointmentRef: s.appointment?.ref ?? null,
    appointmentStart: s.appointment?.start ?? null,
    nextReminderAt: next ?? null,
    confirmation: s.confirmation?.intent ?? null,
    overdue: s.overdue,
    optedOut: s.optedOut,
    counts: s.counts,
    proposals: s.proposals.length,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export interface StageFigure {
  readonly stage: string;
  readonly open: number;
  readonly finished: number;
  /** Of the open ones: mean and longest time in this stage so far, in hours. */
  readonly meanHoursInStage: number | null;
  readonly maxHoursInStage: number | null;
}

export interface FollowupFigures {
  readonly site: string | null;
  readonly since: string | null;
  readonly total: number;
  readonly open: number;
  readonly byStage: readonly StageFigure[];
  readonly overdue: number;
  readonly booked: number;
  readonly noShows: number;
  readonly cancellations: number;
  /** No-shows per booked appointment (null with none booked). */
  readonly noShowRate: number | null;
  /** Of finished follow-ups, the share fulfilled (null with none finished). */
  readonly fulfilledRate: number | null;
  readonly remindersProposed: number;
  readonly optedOut: number;
}

/** Figures over follow-ups started at or after `since` (all when absent), at `site` (all when absent). */
export async function followupFigures(
  sql: Sql,
  options: { readonly site?: string; readonly since?: Date; readonly now: Date },
): Promise<FollowupFigures> {
  const r = await sql.query<{
    stage: string;
    status: string;
    n: number | string;
    mean_h: number | string | null;
    max_h: number | string | null;
    overdue: number | string;
    booked: number | string;
    no_shows: number | string;
    cancelled: number | string;
    reminders: number | string;
    opted_out: number | string;
  }>(
    `select state->>'stage' as stage, status, count(*) as n,
       avg(extract(epoch from ($4::timestamptz - (state->>'stageAt')::timestamptz)) / 3600)
         filter (where status = 'running') as mean_h,
       max(extract(epoch from ($4::timestamptz - (state->>'stageAt')::timestamptz)) / 3600)
         filter (where status = 'running') as max_h,
       count(*) filter (where status = 'running' and (state->>'overdue')::boolean) as overdue,
       coalesce(sum((state->'counts'->>'booked')::int), 0) as booked,
       coalesce(sum((state->'counts'->>'noShows')::int), 0) as no_shows,
       coalesce(sum((state->'counts'->>'cancelled')::int), 0) as cancelled,
       coalesce(sum((state->'counts'->>'reminders')::int), 0) as reminders,
       count(*) filter (where (state->>'optedOut')::boolean) as opted_out
     from workflow_instances
     where type = $1 and ($2::text is null or state->>'site' = $2) and ($3::timestamptz is null or created_at >= $3)
     group by 1, 2`,
    [FOLLOWUP, options.site ?? null, options.since ?? null, options.now],
  );
  const num = (v: number | string | null): number => (v === null ? 0 : Number(v));
  const stages = new Map<string, { open: number; finished: number; mean: number | null; max: number | null }>();
  for (const stage of followupStages) stages.set(stage, { open: 0, finished: 0, mean: null, max: null });
  let total = 0;
  let open = 0;
  let overdue = 0;
  let booked = 0;
  let noShows = 0;
  let cancellations = 0;
  let reminders = 0;
  let optedOut = 0;
  let fulfilled = 0;
  let finished = 0;
  for (const row of r.rows) {
    const n = num(row.n);
    const entry = stages.get(row.stage) ?? { open: 0, finished: 0, mean: null, max: null };
    if (row.status === 'running') {
      entry.open += n;
      open += n;
      entry.mean = row.mean_h === null ? null : round(Number(row.mean_h));
      entry.max = row.max_h === null ? null : round(Number(row.max_h));
    } else {
      entry.finished += n;
      finished += n;
      if (row.stage === 'fulfilled') fulfilled += n;
    }
    stages.set(row.stage, entry);
    total += n;
    overdue += num(row.overdue);
    booked += num(row.booked);
    noShows += num(row.no_shows);
    cancellations += num(row.cancelled);
    reminders += num(row.reminders);
    optedOut += num(row.opted_out);
  }
  return {
    site: options.site ?? null,
    since: options.since?.toISOString() ?? null,
    total,
    open,
    byStage: [...stages].map(([stage, e]) => ({
      stage,
      open: e.open,
      finished: e.finished,
      meanHoursInStage: e.mean,
      maxHoursInStage: e.max,
    })),
    overdue,
    booked,
    noShows,
    cancellations,
    noShowRate: booked > 0 ? round(noShows / booked) : null,
    fulfilledRate: finished > 0 ? round(fulfilled / finished) : null,
    remindersProposed: reminders,
    optedOut,
  };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
