/**
 * @module Where the executor reports its steps (the `RunRecorder` port): each step is checked,
 * its screenshot and value sealed, and the row written in the same transaction as its
 * `automation.step` audit entry, which carries the SHA-256 of what was sealed (never the content).
 * Steps are taken in order: the next index of a running run, once; anything else is refused.
 */
import { ConflictError, NotFoundError, ValidationError, purposesOfUse, type PurposeOfUse } from '@steward/core';
import type { AuditEntryInput } from '@steward/governance';
import { screenshotTypes, type RunRecorder, type StepAction, type StepRecord } from '../model/run.js';
import type { RunDeps } from './run-deps.js';
import { actorOf, claimStep, insertStep, runRow, type RunRow } from './run-rows.js';
import { sealScreenshot, sealValue } from './run-sealing.js';

export const stepActions: readonly StepAction[] = [
  'identify',
  'navigate',
  'relogin',
  'open-patient',
  'check-banner',
  'fill',
  'read-back',
  'submit',
  'read',
  'halt',
];
const outcomes: readonly StepRecord['outcome'][] = ['ok', 'halted', 'failed'];
/** What a step does to the EHR, as the audit log's action code says it. */
const actionCodes: Readonly<Record<StepAction, AuditEntryInput['action']>> = {
  identify: 'R',
  'check-banner': 'R',
  'read-back': 'R',
  read: 'R',
  fill: 'U',
  submit: 'U',
  navigate: 'E',
  relogin: 'E',
  'open-patient': 'E',
  halt: 'E',
};
/** Names, not content: a target or detail longer than this is refused rather than cut. */
const MAX_TEXT = 500;

export class StoreRunRecorder implements RunRecorder {
  #run: RunRow | undefined;

  constructor(
    private readonly deps: RunDeps,
    readonly runId: string,
  ) {}

  async step(step: StepRecord): Promise<void> {
    checkStep(step);
    const run = (this.#run ??= await runRow(this.deps.db, this.runId));
    if (run === undefined) throw new NotFoundError('automation run');
    const { cipher } = this.deps;
    const shot =
      step.screenshot !== undefined ? sealScreenshot(cipher, run.id, step.index, step.screenshot) : undefined;
    const value = step.value !== undefined ? sealValue(cipher, run.id, step.index, step.value) : undefined;
    await this.deps.audit.transact(
      async (tx) => {
        if (!(await claimStep(tx, run.id, step.index)))
          throw new ConflictError(
            'VERSION_CONFLICT',
            `step ${step.index} is not the next step of run ${run.id}: it finished, or a step was repeated or skipped`,
          );
        await insertStep(tx, run.id, step, shot?.sealed, value?.sealed);
      },
      () => [stepEntry(run, step, shot?.digest, value?.digest)],
    );
  }
}

function stepEntry(
  run: RunRow,
  step: StepRecord,
  screenshot: string | undefined,
  value: string | undefined,
): AuditEntryInput {
  const purpose = purposeOf(run.purpose);
  return {
    actor: actorOf(run),
    event: 'automation.step',
    action: actionCodes[step.action],
    outcome: step.outcome === 'ok' ? 'success' : 'failure',
    patientIds: run.patient_ids,
    entity: { kind: 'AutomationRun', id: run.id },
    ...(screenshot !== undefined || value !== undefined
      ? { fields: [...(screenshot !== undefined ? ['screenshot'] : []), ...(value !== undefined ? ['value'] : [])] }
      : {}),
    site: run.site,
    ...(purpose !== undefined ? { purposeOfUse: purpose } : {}),
    reason: `step:${step.index}:${step.action}:${step.outcome}`,
    digests: {
      ...(screenshot !== undefined ? { screenshot } : {}),
      ...(value !== undefined ? { value } : {}),
    },
  };
}

/** The step index an `automation.step` entry's reason names (`step:<index>:…`). */
export function stepIndexOf(reason: string | undefined): number | undefined {
  const m = /^step:(\d+):/.exec(reason ?? '');
  return m === null ? undefined : Number(m[1]);
}

export function purposeOf(purpose: string): PurposeOfUse | undefined {
  return (purposesOfUse as readonly string[]).includes(purpose) ? (purpose as PurposeOfUse) : undefined;
}

function checkStep(step: StepRecord): void {
  const problems: { path: string; message: string }[] = [];
  const bad = (path: string, message: string): void => void problems.push({ path, message });
  if (!Number.isInteger(step.index) || step.index < 0) bad('index', 'a whole number from 0');
  if (!stepActions.includes(step.action)) bad('action', `one of ${stepActions.join(', ')}`);
  if (!outcomes.includes(step.outcome)) bad('outcome', 'ok, halted or failed');
  if (!Number.isInteger(step.inputEvents) || step.inputEvents < 0) bad('inputEvents', 'a whole number from 0');
  if (!Number.isFinite(step.durationMs) || step.durationMs < 0) bad('durationMs', 'milliseconds, from 0');
  if (Number.isNaN(Date.parse(step.startedAt))) bad('startedAt', 'an ISO date-time');
  if (step.screenshotType !== undefined && !screenshotTypes.includes(step.screenshotType))
    bad('screenshotType', `one of ${screenshotTypes.join(', ')}`);
  for (const [path, text] of [
    ['screen', step.screen],
    ['target', step.target],
    ['detail', step.detail],
  ] as const) {
    if (text !== undefined && text.length > MAX_TEXT) bad(path, `at most ${MAX_TEXT} characters`);
  }
  if (problems.length > 0) throw new ValidationError('invalid step', problems);
}
