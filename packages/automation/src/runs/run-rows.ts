/**
 * @module The run record's SQL: runs and steps in, runs and steps out, the list's filters. Only the
 * runs folder names these tables (scripts/table-ownership.mjs).
 */
import type { Actor } from '@steward/core';
import type { Sql } from '@steward/store';
import type { HaltReason, RunStart, ScreenshotType, StepAction, StepRecord } from '../model/run.js';
import type { RunStatus, RunSummary, SealedState, StepView } from './run-views.js';

export interface RunRow {
  id: string;
  connection_id: string;
  site: string;
  kind: RunStart['kind'];
  purpose: string;
  account_id: string;
  approved_by: string | null;
  patient_ids: string[];
  proposal_id: string | null;
  map_version: number;
  actor: Pick<Actor, 'kind' | 'id' | 'name' | 'authMethod'> | string;
  started_at: Date;
  finished_at: Date | null;
  status: RunStatus;
  halt_reason: HaltReason | null;
  halt_detail: string | null;
  submitted: boolean | null;
  step_count: number;
  reported_steps: number | null;
  screenshots_purged_at: Date | null;
  values_purged_at: Date | null;
}

export interface StepRow {
  run_id: string;
  idx: number;
  action: StepAction;
  screen: string | null;
  target: string | null;
  input_events: number;
  started_at: Date;
  duration_ms: number;
  outcome: StepRecord['outcome'];
  detail: string | null;
  screenshot_enc: Uint8Array | null;
  /** Null on rows written before screenshots had a type: PNGs. */
  screenshot_type: ScreenshotType | null;
  value_enc: Uint8Array | null;
  has_screenshot: boolean;
  has_value: boolean;
}

export function actorOf(row: RunRow): Pick<Actor, 'kind' | 'id' | 'name' | 'authMethod'> {
  // PGlite and node-postgres both parse jsonb; a text driver would not.
  return typeof row.actor === 'string' ? (JSON.parse(row.actor) as RunRow['actor'] & object) : row.actor;
}

export async function insertRun(
  tx: Sql,
  id: string,
  start: RunStart,
  actor: Pick<Actor, 'kind' | 'id' | 'name' | 'authMethod'>,
  at: Date,
): Promise<void> {
  await tx.query(
    `insert into automation_runs (id, connection_id, site, kind, purpose, account_id, approved_by, patient_ids,
       proposal_id, map_version, actor, started_at, status, step_count)
     values ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11::jsonb, $12, 'running', 0)`,
    [
      id,
      start.connectionId,
      start.site,
      start.kind,
      start.purpose,
      start.identity.accountId,
      start.identity.approvedBy ?? null,
      [...new Set(start.patients)],
      start.proposalId ?? null,
      start.mapVersion,
      JSON.stringify({ kind: actor.kind, id: actor.id, name: actor.name, authMethod: actor.authMethod }),
      at,
    ],
  );
}

export async function runRow(sql: Sql, id: string): Promise<RunRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await sql.query<RunRow>('select * from automation_runs where id = $1', [id]);
  return rows[0];
}

/**
 * Takes the next step number of a running run: 1 row when `index` is the next one, 0 otherwise
 * (a finished run, a repeated or skipped index). The update's row lock orders concurrent steps.
 */
export async function claimStep(tx: Sql, runId: string, index: number): Promise<boolean> {
  const { rowCount } = await tx.query(
    `update automation_runs set step_count = step_count + 1 where id = $1 and status = 'running' and step_count = $2`,
    [runId, index],
  );
  return rowCount === 1;
}

export async function insertStep(
  tx: Sql,
  runId: string,
  step: StepRecord,
  screenshot: Buffer | undefined,
  value: Buffer | undefined,
): Promise<void> {
  await tx.query(
    `insert into automation_steps (run_id, idx, action, screen, target, input_events, started_at, duration_ms,
       outcome, detail, screenshot_enc, value_enc, has_screenshot, has_value, screenshot_type)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      runId,
      step.index,
      step.action,
      step.screen ?? null,
      step.target ?? null,
      step.inputEvents,
      new Date(step.startedAt),
      Math.round(step.durationMs),
      step.outcome,
      step.detail ?? null,
      screenshot ?? null,
      value ?? null,
      screenshot !== undefined,
      value !== undefined,
      screenshot !== undefined ? (step.screenshotType ?? 'image/png') : null,
    ],
  );
}

export async function finishRun(
  tx: Sql,
  runId: string,
  at: Date,
  fields: { status: 'done' | 'halted'; reason?: string; detail?: string; submitted?: boolean; reported: number },
): Promise<RunRow | undefined> {
  const { rows } = await tx.query<RunRow>(
    `update automation_runs set status = $2, finished_at = $3, halt_reason = $4, halt_detail = $5, submitted = $6,
       reported_steps = $7
     where id = $1 and status = 'running' returning *`,
    [runId, fields.status, at, fields.reason ?? null, fields.detail ?? null, fields.submitted ?? null, fields.reported],
  );
  return rows[0];
}

export async function stepRows(sql: Sql, runId: string, withSealed: boolean): Promise<StepRow[]> {
  const cols = withSealed
    ? '*'
    : `run_id, idx, action, screen, target, input_events, started_at, duration_ms, outcome, detail,
       null as screenshot_enc, screenshot_type, null as value_enc, has_screenshot, has_value,
       screenshot_enc is not null as screenshot_kept, value_enc is not null as value_kept`;
  const { rows } = await sql.query<StepRow & { screenshot_kept?: boolean; value_kept?: boolean }>(
    `select ${cols} from automation_steps where run_id = $1 order by idx`,
    [runId],
  );
  return rows.map((r) =>
    withSealed
      ? r
      : {
          ...r,
          // Stand-ins that say whether the sealed column is set, without reading it.
          screenshot_enc: r.screenshot_kept === true ? new Uint8Array(0) : null,
          value_enc: r.value_kept === true ? new Uint8Array(0) : null,
        },
  );
}

export async function stepRow(sql: Sql, runId: string, index: number): Promise<StepRow | undefined> {
  const { rows } = await sql.query<StepRow>('select * from automation_steps where run_id = $1 and idx = $2', [
    runId,
    index,
  ]);
  return rows[0];
}

export interface RunQuery {
  readonly sites?: readonly string[];
  readonly patientIds?: readonly string[];
  readonly identity?: string;
  readonly proposal?: string;
  readonly status?: RunStatus;
  readonly haltReason?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Keyset: runs started before this (or at it with a smaller id). */
  readonly before?: { readonly at: Date; readonly id: string };
  readonly limit: number;
}

/** Runs matching `q`, newest first. */
export async function queryRuns(sql: Sql, q: RunQuery): Promise<RunRow[]> {
  const where: string[] = ['true'];
  const params: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown): void => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (q.sites !== undefined) add((p) => `site = any(${p}::text[])`, [...q.sites]);
  if (q.patientIds !== undefined) add((p) => `patient_ids && ${p}::text[]`, [...q.patientIds]);
  if (q.identity !== undefined)
    add((p) => `(account_id = ${p} or approved_by = ${p} or actor ->> 'id' = ${p})`, q.identity);
  if (q.proposal !== undefined) add((p) => `proposal_id = ${p}`, q.proposal);
  if (q.status !== undefined) add((p) => `status = ${p}`, q.status);
  if (q.haltReason !== undefined) add((p) => `halt_reason = ${p}`, q.haltReason);
  if (q.from !== undefined) add((p) => `started_at >= ${p}`, q.from);
  if (q.to !== undefined) add((p) => `started_at < ${p}`, q.to);
  if (q.before !== undefined) {
    params.push(q.before.at, q.before.id);
    where.push(`(started_at, id) < ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(q.limit);
  const { rows } = await sql.query<RunRow>(
    `select * from automation_runs where ${where.join(' and ')} order by started_at desc, id desc limit $${params.length}`,
    params,
  );
  return rows;
}

export function toSummary(row: RunRow): RunSummary {
  const actor = actorOf(row);
  const purged =
    row.screenshots_purged_at !== null || row.values_purged_at !== null
      ? {
          ...(row.screenshots_purged_at !== null ? { screenshots: row.screenshots_purged_at.toISOString() } : {}),
          ...(row.values_purged_at !== null ? { values: row.values_purged_at.toISOString() } : {}),
        }
      : undefined;
  return {
    id: row.id,
    connectionId: row.connection_id,
    site: row.site,
    kind: row.kind,
    purpose: row.purpose,
    identity: { accountId: row.account_id, ...(row.approved_by !== null ? { approvedBy: row.approved_by } : {}) },
    patients: row.patient_ids,
    ...(row.proposal_id !== null ? { proposalId: row.proposal_id } : {}),
    mapVersion: row.map_version,
    startedBy: { kind: actor.kind, id: actor.id, name: actor.name },
    startedAt: row.started_at.toISOString(),
    ...(row.finished_at !== null ? { finishedAt: row.finished_at.toISOString() } : {}),
    status: row.status,
    ...(row.status === 'halted' && row.halt_reason !== null
      ? { halt: { reason: row.halt_reason, detail: row.halt_detail ?? '', submitted: row.submitted === true } }
      : {}),
    stepCount: row.step_count,
    ...(row.reported_steps !== null && row.reported_steps !== row.step_count
      ? { reportedSteps: row.reported_steps }
      : {}),
    ...(purged !== undefined ? { purged } : {}),
  };
}

function stateOf(had: boolean, kept: boolean): SealedState {
  return !had ? 'none' : kept ? 'sealed' : 'purged';
}

export function toStepView(row: StepRow): StepView {
  return {
    index: row.idx,
    action: row.action,
    ...(row.screen !== null ? { screen: row.screen } : {}),
    ...(row.target !== null ? { target: row.target } : {}),
    inputEvents: row.input_events,
    startedAt: row.started_at.toISOString(),
    durationMs: row.duration_ms,
    outcome: row.outcome,
    ...(row.detail !== null ? { detail: row.detail } : {}),
    screenshot: stateOf(row.has_screenshot, row.screenshot_enc !== null),
    value: stateOf(row.has_value, row.value_enc !== null),
  };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: string): boolean {
  return uuid.test(s);
}
