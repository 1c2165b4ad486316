/**
 * @module Referral lists and figures, read from `workflow_instances` (type `referral`): the state
 * holds site, stage, due times and flags, and no PHI, so these reads need no unsealing. Callers
 * enforce `phi.search` at the site first (an operational list still reveals who is referred where).
 *
 * Known limit: figures are computed in the process from the instances started in the window
 * (one row each); past some hundred thousand referrals per window this belongs in SQL.
 */
import { ValidationError } from '@steward/core';
import type { Sql } from '@steward/store';
import {
  leakReasons,
  REFERRAL_WORKFLOW,
  referralStages,
  type LeakReason,
  type Recognition,
  type ParticipantNote,
  type ReferralEnding,
  type ReferralStage,
  type ReferralState,
} from './referral-model.js';

export interface ReferralListFilter {
  readonly site?: string;
  readonly stage?: ReferralStage;
  /** true: only overdue ones; false: only those not overdue. */
  readonly overdue?: boolean;
  /** true: only leaked ones (any reason); false: only those not leaked; a reason: leaked for it. */
  readonly leaked?: boolean | LeakReason;
  /** Only this referral (a detail read by workflow id). */
  readonly workflowId?: string;
  /** Only these referrals (a patient's, for the patient page). */
  readonly workflowIds?: readonly string[];
  /** 1–200, default 50. */
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ReferralListItem {
  readonly workflowId: string;
  readonly correlationKey: string;
  readonly status: 'running' | 'completed' | 'failed';
  readonly site: string | null;
  readonly connectionId: string | null;
  readonly serviceRequest: string | null;
  /** What is asked for, as the order named it (`Cardiology consult`); null when it named nothing. */
  readonly service: string | null;
  readonly stage: ReferralStage;
  readonly stageEnteredAt: string | null;
  readonly awaiting: ReferralStage | null;
  readonly dueAt: string | null;
  readonly overdue: ReferralStage | null;
  readonly escalated: boolean;
  readonly leaked: LeakReason | null;
  readonly owner: string | null;
  /** Who asked (the requester as a participant) and where to (the first performer), as the EHR named them. */
  readonly requester: ParticipantNote | null;
  readonly destination: ParticipantNote | null;
  readonly appointment: string | null;
  readonly proposalIds: readonly string[];
  /** The referral rule that started it (null for workflows from before rules were recorded). */
  readonly recognisedBy: Recognition | null;
  /** How it ended: closed by a Task output or report and completion, or ended early and why. */
  readonly ending: ReferralEnding | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ReferralPage {
  readonly items: readonly ReferralListItem[];
  /** The cursor of the next page, when there may be one. */
  readonly next?: string;
}

interface Row {
  id: string;
  correlation_key: string;
  status: ReferralListItem['status'];
  state: ReferralState;
  created_at: Date | string;
  updated_at: Date | string;
  /** The row's place in the work-queue order (see `rankKey`, `dueMicros`), read back for the cursor. */
  rank: number | string;
  due: string | null;
  created_us: string | number;
}

const iso = (d: Date | string): string => new Date(d).toISOString();

/**
 * The work-queue order, as SQL over the row alias `w` (the approach of the follow-ups' list): what
 * needs action first — open and overdue (the most overdue first: the earliest due), then open by
 * when the awaited stage is due (nothing due last), then ended ones (closed or cancelled) — and
 * within each, the newest first, then by id, so every row has one place and a page's last row
 * says exactly where the next page starts.
 */
/** A time in whole microseconds since the epoch (exact, unlike a millisecond ISO string). */
const micros = (t: string): string => `(extract(epoch from ${t}) * 1000000)::bigint`;
const createdKey = (w: string): string => micros(`${w}.created_at`);
const rankKey = (w: string): string =>
  `(case when ${w}.status <> 'running' or ${w}.state->>'endedAt' is not null then 2
         when ${w}.state->>'overdue' is not null then 0 else 1 end)`;
/** Nothing due (an ended referral, or no stage awaited): after every due time. */
const NEVER = '9223372036854775807::bigint';
const dueMicros = (w: string): string =>
  `(case when ${w}.status <> 'running' or ${w}.state->>'endedAt' is not null or ${w}.state->>'dueAt' is null
           then ${NEVER}
         else ${micros(`(${w}.state->>'dueAt')::timestamptz`)} end)`;

/** Where a page ended: the last row's keys (rank, due time in µs or null for none, creation in µs, id). */
interface Cursor {
  readonly rank: number;
  readonly due: string | null;
  readonly createdUs: string;
  readonly id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.rank, c.due, c.createdUs, c.id]), 'utf8').toString('base64url');
}

const MICROS = /^-?\d{1,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(cursor: string): Cursor {
  try {
    const [rank, due, createdUs, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      (rank === 0 || rank === 1 || rank === 2) &&
      (due === null || (typeof due === 'string' && MICROS.test(due))) &&
      typeof createdUs === 'string' &&
      MICROS.test(createdUs) &&
      typeof id === 'string' &&
      UUID.test(id)
    )
      return { rank, due, createdUs, id };
  } catch {
    // falls through to the error below
  }
  throw new ValidationError('bad cursor', [{ path: 'cursor', message: 'not a cursor this list gave' }]);
}

/**
 * Referrals in the work-queue order (overdue first, the most overdue first; then the soonest due;
 * ended last; newest first within each, then by id), paged by a keyset cursor over that order.
 */
export async function listReferrals(db: Sql, filter: ReferralListFilter = {}): Promise<ReferralPage> {
  const limit = filter.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new ValidationError('bad limit', [{ path: 'limit', message: '1 to 200' }]);
  const where = ['w.type = $1'];
  const params: unknown[] = [REFERRAL_WORKFLOW];
  if (filter.site !== undefined) {
    params.push(filter.site);
    where.push(`w.state->>'site' = $${params.length}`);
  }
  if (filter.stage !== undefined) {
    params.push(filter.stage);
    where.push(`w.state->>'stage' = $${params.length}`);
  }
  if (filter.overdue === true) where.push(`w.state->>'overdue' is not null`);
  if (filter.overdue === false) where.push(`w.state->>'overdue' is null`);
  if (filter.leaked === true) where.push(`w.state->>'leaked' is not null`);
  else if (filter.leaked === false) where.push(`w.state->>'leaked' is null`);
  else if (filter.leaked !== undefined) {
    params.push(filter.leaked);
    where.push(`w.state->>'leaked' = $${params.length}`);
  }
  if (filter.workflowId !== undefined) {
    params.push(filter.workflowId);
    where.push(`w.id = $${params.length}::uuid`);
  }
  if (filter.workflowIds !== undefined) {
    params.push(filter.workflowIds);
    where.push(`w.id = any($${params.length}::uuid[])`);
  }
  if (filter.cursor !== undefined) {
    const c = decodeCursor(filter.cursor);
    params.push(c.rank, c.due, c.createdUs, c.id);
    const n = params.length;
    // The due key as the cursor holds it: microseconds, or none (the end of time) as the largest bigint.
    where.push(
      `(${rankKey('w')}, ${dueMicros('w')}, -${createdKey('w')}, w.id) >
       ($${n - 3}::int, coalesce($${n - 2}::bigint, ${NEVER}), -($${n - 1}::bigint), $${n}::uuid)`,
    );
  }
  params.push(limit + 1);
  const r = await db.query<Row>(
    `select w.id, w.correlation_key, w.status, w.state, w.created_at, w.updated_at,
            ${rankKey('w')} as rank,
            nullif(${dueMicros('w')}, ${NEVER})::text as due,
            ${createdKey('w')}::text as created_us
     from workflow_instances w
     where ${where.join(' and ')}
     order by ${rankKey('w')}, ${dueMicros('w')}, ${createdKey('w')} desc, w.id limit $${params.length}`,
    params,
  );
  const rows = r.rows.slice(0, limit);
  const last = rows.at(-1);
  return {
    items: rows.map(toItem),
    ...(r.rows.length > limit && last !== undefined
      ? {
          next: encodeCursor({
            rank: Number(last.rank),
            due: last.due,
            createdUs: String(last.created_us),
            id: last.id,
          }),
        }
      : {}),
  };
}

function toItem(row: Row): ReferralListItem {
  const s = row.state;
  return {
    workflowId: row.id,
    correlationKey: row.correlation_key,
    status: row.status,
    site: s.site,
    connectionId: s.connectionId,
    serviceRequest: s.serviceRequest,
    service: s.service ?? null,
    stage: s.stage,
    stageEnteredAt: s.stageEnteredAt,
    awaiting: s.awaiting,
    dueAt: s.dueAt,
    overdue: s.overdue,
    escalated: s.escalated,
    leaked: s.leaked,
    owner: s.owner,
    requester: s.requester ?? ownerNote(s.owner),
    destination: s.performers[0] ?? null,
    appointment: s.appointment,
    proposalIds: s.proposals.flatMap((p) => (p.proposalId !== null ? [p.proposalId] : [])),
    recognisedBy: s.recognisedBy ?? null,
    ending: s.ending ?? null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The requester of a workflow started before the requester was kept as a participant: its reference. */
function ownerNote(owner: string | null): ParticipantNote | null {
  return owner === null ? null : { kind: owner.split('/')[0] ?? 'Practitioner', ref: owner, systems: [] };
}

export interface ReferralFigureFilter {
  readonly site?: string;
  /** Referrals started at or after this instant (default: all). */
  readonly since?: Date;
}

export interface StageTime {
  /** Completed stays in this stage (the referral moved on). */
  readonly count: number;
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
}

export interface ReferralFigures {
  readonly site: string | null;
  readonly since: string | null;
  /** Referrals started in the window. */
  readonly total: number;
  /** Where each referral is now (a cancelled one stays at the stage it was cancelled in). */
  readonly byStage: Readonly<Record<ReferralStage, number>>;
  /** Time spent in each stage before moving on, in hours. */
  readonly timeInStage: Readonly<Record<ReferralStage, StageTime>>;
  /** Running referrals whose awaited stage is overdue (and of those, escalated). */
  readonly overdue: number;
  readonly escalated: number;
  readonly closed: number;
  /** closed / total (null when there are none). */
  readonly closureRate: number | null;
  readonly leakage: {
    readonly count: number;
    readonly rate: number | null;
    readonly byReason: Readonly<Record<LeakReason, { readonly count: number; readonly rate: number | null }>>;
  };
}

/** Counts by stage, time in stage, overdue, closure rate and leakage of the referrals started in the window. */
export async function referralFigures(db: Sql, filter: ReferralFigureFilter = {}): Promise<ReferralFigures> {
  const where = ['type = $1'];
  const params: unknown[] = [REFERRAL_WORKFLOW];
  if (filter.site !== undefined) {
    params.push(filter.site);
    where.push(`state->>'site' = $${params.length}`);
  }
  if (filter.since !== undefined) {
    params.push(filter.since);
    where.push(`created_at >= $${params.length}`);
  }
  const r = await db.query<Pick<Row, 'status' | 'state'>>(
    `select status, state from workflow_instances where ${where.join(' and ')}`,
    params,
  );
  const byStage = Object.fromEntries(referralStages.map((s) => [s, 0])) as Record<ReferralStage, number>;
  const spans = Object.fromEntries(referralStages.map((s) => [s, [] as number[]])) as Record<ReferralStage, number[]>;
  const leaks = Object.fromEntries(leakReasons.map((l) => [l, 0])) as Record<LeakReason, number>;
  let overdue = 0;
  let escalated = 0;
  let leaked = 0;
  for (const { status, state: s } of r.rows) {
    byStage[s.stage]++;
    if (status === 'running' && s.overdue !== null) {
      overdue++;
      if (s.escalated) escalated++;
    }
    if (s.leaked !== null) {
      leaked++;
      leaks[s.leaked]++;
    }
    const entered = s.history.filter((h, i) => i === 0 || h.stage !== s.history[i - 1]?.stage);
    entered.forEach((h, i) => {
      const next = entered[i + 1];
      if (next !== undefined) spans[h.stage].push((Date.parse(next.at) - Date.parse(h.at)) / 3_600_000);
    });
  }
  const total = r.rows.length;
  const rate = (n: number): number | null => (total === 0 ? null : n / total);
  const closed = byStage.closed;
  return {
    site: filter.site ?? null,
    since: filter.since?.toISOString() ?? null,
    total,
    byStage,
    timeInStage: Object.fromEntries(
      referralStages.map((s) => [
        s,
        { count: spans[s].length, medianHours: quantile(spans[s], 0.5), p90Hours: quantile(spans[s], 0.9) },
      ]),
    ) as Record<ReferralStage, StageTime>,
    overdue,
    escalated,
    closed,
    closureRate: rate(closed),
    leakage: {
      count: leaked,
      rate: rate(leaked),
      byReason: Object.fromEntries(leakReasons.map((l) => [l, { count: leaks[l], rate: rate(leaks[l]) }])) as Record<
        LeakReason,
        { count: number; rate: number | null }
      >,
    },
  };
}

/** Nearest-rank quantile, rounded to 0.01 h. */
function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return Math.round(v * 100) / 100;
}
