/**
 * @module A run as a governed object. `start`, `recorder` and `finish` are the executor's side: a
 * run starts under `automation.run` at its site with an authenticated actor, its steps are recorded
 * through the `RunRecorder` port, and its end is recorded once; each is audited in the transaction
 * that writes it. The readers' side decides, reads and audits: `list` and `show` under
 * `automation.runs.read`, `replay` (decrypted screenshots and values: PHI) under `automation.replay`
 * and `phi.read` at the run's site, audited as a `phi.read` naming the run's patients, and
 * `verifyRun`, which opens every step, hashes it and compares with its audit entry. A run outside
 * the reader's scope is NOT_FOUND, like an unknown one.
 */
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  newId,
  purposesOfUse,
  systemClock,
  type Clock,
  type RequestContext,
} from '@steward/core';
import { sourceOf, type AuditEntryInput } from '@steward/governance';
import type { HaltReason, RunOutcome, RunRecorder, RunStart } from '../model/run.js';
import type { RunDeps } from './run-deps.js';
import { StoreRunRecorder, purposeOf } from './run-recorder.js';
import {
  actorOf,
  finishRun,
  insertRun,
  isUuid,
  queryRuns,
  runRow,
  stepRow,
  stepRows,
  toStepView,
  toSummary,
  type RunRow,
} from './run-rows.js';
import { openPart } from './run-sealing.js';
import { verifySteps } from './run-verify.js';
import type { RunDetail, RunFilter, RunPage, RunStatus, RunSummary, StepReplay, VerifyReport } from './run-views.js';

const statuses: readonly RunStatus[] = ['running', 'done', 'halted'];
export const haltReasons: readonly HaltReason[] = [
  'unexpected-screen',
  'missing-element',
  'wrong-patient',
  'value-too-long',
  'option-not-exact',
  'read-back-mismatch',
  'login-failed',
  'timed-out',
  'browser-crashed',
  'origin-refused',
];
const RUN = 'automation run';

/** An open run as the screens channel holds it: its id, where its steps go, and how it ends. */
export interface OpenRun extends RunRecorder {
  readonly runId: string;
  finish(outcome: RunOutcome): Promise<void>;
}

export class RunService {
  readonly #clock: Clock;

  constructor(private readonly deps: RunDeps) {
    this.#clock = deps.clock ?? systemClock;
  }

  /** Starts a run as `ctx` (the automation account acting): `automation.run` at the run's site. */
  async start(ctx: RequestContext, start: RunStart): Promise<RunSummary> {
    checkStart(start);
    const decision = await this.deps.policy.enforce(ctx, 'automation.run', { site: start.site });
    const id = newId();
    const at = this.#clock.now();
    await this.deps.audit.transact(
      (tx) => insertRun(tx, id, start, ctx.actor, at),
      () => [
        {
          actor: ctx.actor,
          event: 'automation.run',
          action: 'C',
          outcome: 'success',
          patientIds: [...new Set(start.patients)],
          entity: { kind: 'AutomationRun', id },
          site: start.site,
          ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
          purposeOfUse: decision.purposeOfUse,
          source: sourceOf(ctx),
          reason: `started:${start.kind}${start.proposalId !== undefined ? `:proposal:${start.proposalId}` : ''}`,
        },
      ],
    );
    const row = await runRow(this.deps.db, id);
    if (row === undefined) throw new NotFoundError(RUN);
    return toSummary(row);
  }

  /** The port the executor records a started run's steps through (the run's own actor is audited). */
  recorder(runId: string): RunRecorder {
    return new StoreRunRecorder(this.deps, runId);
  }

  /**
   * The port the screens channel opens its runs through (its `RunJournal`): each run is started as
   * the context `contextFor` gives for it (the connection's own account), under `automation.run`
   * like `start`; the handle records its steps in order and its end once.
   */
  journal(contextFor: (start: RunStart) => RequestContext | Promise<RequestContext>): {
    begin(start: RunStart): Promise<OpenRun>;
  } {
    return {
      begin: async (start) => {
        const run = await this.start(await contextFor(start), start);
        const recorder = this.recorder(run.id);
        return {
          runId: run.id,
          step: (step) => recorder.step(step),
          finish: async (outcome) => {
            await this.finish(run.id, outcome);
          },
        };
      },
    };
  }

  /** Records how a running run ended, once; a finished or unknown run is refused. */
  async finish(runId: string, outcome: RunOutcome): Promise<RunSummary> {
    const row = await runRow(this.deps.db, runId);
    if (row === undefined) throw new NotFoundError(RUN);
    if (!Number.isInteger(outcome.steps) || outcome.steps < 0)
      throw new ValidationError('invalid outcome', [{ path: 'steps', message: 'a whole number from 0' }]);
    if (outcome.status === 'halted' && !haltReasons.includes(outcome.reason))
      throw new ValidationError('invalid outcome', [{ path: 'reason', message: `one of ${haltReasons.join(', ')}` }]);
    const done = await this.deps.audit.transact(
      async (tx) => {
        const finished = await finishRun(tx, runId, this.#clock.now(), {
          status: outcome.status,
          reported: outcome.steps,
          ...(outcome.status === 'halted'
            ? { reason: outcome.reason, detail: clip(outcome.detail), submitted: outcome.submitted }
            : {}),
        });
        if (finished === undefined) throw new ConflictError('VERSION_CONFLICT', `run ${runId} has already finished`);
        return finished;
      },
      (r) => [
        this.runEntry(r, 'U', outcome.status === 'done' ? 'success' : 'failure', endReason(r, outcome), actorOf(r)),
      ],
    );
    return toSummary(done);
  }

  /**
   * Runs matching the filter, newest first. With `site`, `automation.runs.read` is needed at that
   * site; without, at every site (a `*` grant). Audited as a search naming the runs' patients.
   */
  async list(ctx: RequestContext, filter: RunFilter = {}): Promise<RunPage> {
    const decision = await this.deps.policy.enforce(
      ctx,
      'automation.runs.read',
      filter.site !== undefined ? { site: filter.site } : {},
    );
    const limit = Math.max(1, Math.min(filter.limit ?? 50, 200));
    const patientIds =
      filter.patient === undefined
        ? undefined
        : this.deps.patients !== undefined
          ? await this.deps.patients.patientIdsFor(ctx, filter.patient)
          : [filter.patient.trim()];
    const outcome = filter.outcome;
    if (
      outcome !== undefined &&
      !statuses.includes(outcome as RunStatus) &&
      !haltReasons.includes(outcome as HaltReason)
    )
      throw new ValidationError('invalid filter', [
        { path: 'outcome', message: `running, done, halted or a halt reason (${haltReasons.join(', ')})` },
      ]);
    const rows =
      patientIds !== undefined && patientIds.length === 0
        ? []
        : await queryRuns(this.deps.db, {
            ...(filter.site !== undefined ? { sites: [filter.site] } : {}),
            ...(patientIds !== undefined ? { patientIds } : {}),
            ...(filter.identity !== undefined ? { identity: filter.identity } : {}),
            ...(filter.proposal !== undefined ? { proposal: filter.proposal } : {}),
            ...(outcome !== undefined
              ? statuses.includes(outcome as RunStatus)
                ? { status: outcome as RunStatus }
                : { status: 'halted' as const, haltReason: outcome }
              : {}),
            ...(filter.from !== undefined ? { from: dateOf('from', filter.from) } : {}),
            ...(filter.to !== undefined ? { to: dateOf('to', filter.to) } : {}),
            ...(filter.cursor !== undefined ? { before: decodeCursor(filter.cursor) } : {}),
            limit: limit + 1,
          });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    await this.deps.audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      patientIds: [...new Set(page.flatMap((r) => r.patient_ids))],
      entity: { kind: 'AutomationRun', id: '*' },
      ...(filter.site !== undefined ? { site: filter.site } : {}),
      purposeOfUse: decision.purposeOfUse,
      source: sourceOf(ctx),
      ...(filter.patient !== undefined ? { query: { patient: filter.patient } } : {}),
      reason: `runs:${page.length}`,
    });
    return {
      runs: page.map(toSummary),
      ...(rows.length > limit && last !== undefined ? { next: encodeCursor(last) } : {}),
      ...(patientIds !== undefined ? { patientsMatched: patientIds.length } : {}),
    };
  }

  /** One run and its steps, without screenshots or values. Audited as a read of the run. */
  async show(ctx: RequestContext, runId: string): Promise<RunDetail> {
    const { row, decision } = await this.visible(ctx, runId);
    const steps = await stepRows(this.deps.db, row.id, false);
    await this.deps.audit.append({
      ...this.runEntry(row, 'R', 'success', 'shown', ctx.actor, ctx),
      purposeOfUse: decision.purposeOfUse,
    });
    return { ...toSummary(row), steps: steps.map(toStepView) };
  }

  /**
   * One step opened: its screenshot and value decrypted (PHI). Needs `automation.replay` and
   * `phi.read` at the run's site (refused FORBIDDEN, audited); each view is audited as a `phi.read`
   * naming the run's patients and the parts shown.
   */
  async replay(
    ctx: RequestContext,
    runId: string,
    index: number,
    parts: readonly ('screenshot' | 'value')[] = ['screenshot', 'value'],
  ): Promise<StepReplay> {
    const { row } = await this.visible(ctx, runId);
    const scope = { site: row.site, entity: { kind: 'AutomationRun', id: row.id } };
    await this.deps.policy.enforce(ctx, 'automation.replay', scope);
    const decision = await this.deps.policy.enforce(ctx, 'phi.read', scope);
    const step = Number.isInteger(index) && index >= 0 ? await stepRow(this.deps.db, row.id, index) : undefined;
    if (step === undefined) throw new NotFoundError('step');
    const { cipher } = this.deps;
    const shot =
      parts.includes('screenshot') && step.screenshot_enc !== null
        ? openPart(cipher, 'screenshot', row.id, step.idx, step.screenshot_enc).content
        : undefined;
    const value =
      parts.includes('value') && step.value_enc !== null
        ? openPart(cipher, 'value', row.id, step.idx, step.value_enc).content.toString('utf8')
        : undefined;
    const fields = [...(shot !== undefined ? ['screenshot'] : []), ...(value !== undefined ? ['value'] : [])];
    // A step with nothing to show (none taken, or cleared by retention) discloses nothing: no PHI read.
    if (fields.length > 0)
      await this.deps.audit.append({
        actor: ctx.actor,
        event: 'phi.read',
        action: 'R',
        outcome: 'success',
        patientIds: row.patient_ids,
        entity: { kind: 'AutomationRun', id: row.id },
        fields,
        site: row.site,
        ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
        purposeOfUse: decision.purposeOfUse,
        ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
        source: sourceOf(ctx),
        reason: `replay:step:${step.idx}`,
      });
    return {
      run: toSummary(row),
      step: toStepView(step),
      ...(shot !== undefined ? { screenshot: shot, screenshotType: step.screenshot_type ?? 'image/png' } : {}),
      ...(value !== undefined ? { value } : {}),
    };
  }

  /**
   * Opens every step's sealed screenshot and value, hashes them and compares with the digests in
   * the steps' audit entries; reports steps without an entry, entries without a step, content that
   * no longer opens or no longer matches. Shows no content; audited as `audit.verified`. That the
   * audit chain itself is intact is `steward audit verify`'s job.
   */
  async verifyRun(ctx: RequestContext, runId: string): Promise<VerifyReport> {
    const { row, decision } = await this.visible(ctx, runId);
    const report = await verifySteps(this.deps, row, this.#clock.now());
    await this.deps.audit.append({
      ...this.runEntry(row, 'E', report.ok ? 'success' : 'failure', '', ctx.actor, ctx),
      event: 'audit.verified',
      purposeOfUse: decision.purposeOfUse,
      reason: report.ok ? `run:verified:${report.verified}` : `run:problems:${report.problems.length}`,
    });
    return report;
  }

  private async visible(ctx: RequestContext, runId: string) {
    return this.deps.policy.visible(
      ctx,
      'automation.runs.read',
      RUN,
      isUuid(runId) ? await runRow(this.deps.db, runId) : undefined,
      (r: RunRow) => ({ site: r.site, entity: { kind: 'AutomationRun', id: r.id } }),
    );
  }

  private runEntry(
    row: RunRow,
    action: AuditEntryInput['action'],
    outcome: AuditEntryInput['outcome'],
    reason: string,
    actor: AuditEntryInput['actor'],
    ctx?: RequestContext,
  ): AuditEntryInput {
    const purpose = purposeOf(row.purpose);
    return {
      actor,
      event: 'automation.run',
      action,
      outcome,
      patientIds: row.patient_ids,
      entity: { kind: 'AutomationRun', id: row.id },
      site: row.site,
      ...(ctx === undefined && purpose !== undefined ? { purposeOfUse: purpose } : {}),
      ...(ctx?.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      ...(ctx !== undefined ? { source: sourceOf(ctx) } : {}),
      reason,
    };
  }
}

/** A halt's detail names an element or screen; one past 500 characters is cut, visibly. */
function clip(detail: string): string {
  return detail.length <= 500 ? detail : `${detail.slice(0, 499)}…`;
}

function endReason(row: RunRow, outcome: RunOutcome): string {
  const recorded = outcome.steps !== row.step_count ? `:recorded:${row.step_count}` : '';
  return outcome.status === 'done'
    ? `done:steps:${outcome.steps}${recorded}`
    : `halted:${outcome.reason}:submitted:${outcome.submitted}:steps:${outcome.steps}${recorded}`;
}

function checkStart(start: RunStart): void {
  const problems: { path: string; message: string }[] = [];
  const bad = (path: string, message: string): void => void problems.push({ path, message });
  if (!['write', 'read', 'record'].includes(start.kind)) bad('kind', 'write, read or record');
  if (start.site.trim() === '') bad('site', 'required');
  if (start.connectionId.trim() === '') bad('connectionId', 'required');
  if (!(purposesOfUse as readonly string[]).includes(start.purpose)) bad('purpose', 'an HL7 purpose of use');
  if (start.identity.accountId.trim() === '') bad('identity.accountId', 'required');
  if (!Number.isInteger(start.mapVersion) || start.mapVersion < 0) bad('mapVersion', 'a whole number from 0');
  if (start.patients.some((p) => !isUuid(p))) bad('patients', 'Steward patient ids');
  // A write through screens carries out an approved proposal: which one, and who approved it.
  if (start.kind === 'write' && start.proposalId === undefined) bad('proposalId', 'required for a write');
  if (start.kind === 'write' && start.identity.approvedBy === undefined)
    bad('identity.approvedBy', 'required for a write');
  if (problems.length > 0) throw new ValidationError('invalid run', problems);
}

function dateOf(path: string, text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new ValidationError('invalid filter', [{ path, message: 'an ISO date' }]);
  return d;
}

function encodeCursor(row: RunRow): string {
  return Buffer.from(`${row.started_at.toISOString()}|${row.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const d = new Date(at ?? '');
  if (id === undefined || !isUuid(id) || Number.isNaN(d.getTime()))
    throw new ValidationError('invalid cursor', [{ path: 'cursor', message: 'from a previous page' }]);
  return { at: d, id };
}
