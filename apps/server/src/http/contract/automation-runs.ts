/**
 * @module Screen automation's run record (issue 17): the list's filters, a run with its people
 * named and its patients labelled, its steps (no screenshot, no value: those are replayed one step
 * at a time as PNG), and what verifying a run against the audit chain found.
 */
import { Type } from 'typebox';
import { haltReasons, stepActions, type RunStatus, type SealedState, type StepProblem } from '@steward/automation';
import { List, Maybe, PatientLabel, SiteCode, Strict, Uuid } from './common.js';

const isoDate = Type.String({ maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$' });
// Checked against the service's types: one added there fails to compile here until listed.
const statuses: Readonly<Record<RunStatus, true>> = { running: true, done: true, halted: true };
const sealedStates: Readonly<Record<SealedState, true>> = { sealed: true, purged: true, none: true };
const problems: Readonly<Record<StepProblem, true>> = {
  'audit-missing': true,
  'step-missing': true,
  'sealed-altered': true,
  'digest-mismatch': true,
  'content-missing': true,
};

export const RunsQuery = Strict({
  patient: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 701,
      description: 'the patient: Steward id, MRN as system|value or bare value, EHR id, or "Family, Given YYYY-MM-DD"',
    }),
  ),
  identity: Type.Optional(Uuid),
  proposal: Type.Optional(Uuid),
  outcome: Type.Optional(
    Type.Enum([...(Object.keys(statuses) as RunStatus[]), ...haltReasons], {
      description: 'running, done, halted, or why a run halted',
    }),
  ),
  site: Type.Optional(SiteCode),
  from: Type.Optional(isoDate),
  to: Type.Optional(isoDate),
  limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
});

export const RunParams = Strict({ id: Uuid });
export const StepParams = Strict({ id: Uuid, index: Type.String({ pattern: '^\\d{1,5}$' }) });

const Person = Type.Object({ id: Type.String(), name: Maybe(Type.String()) });

const summary = {
  id: Type.String(),
  connectionId: Type.String(),
  site: Type.String(),
  kind: Type.Enum(['write', 'read', 'record']),
  purpose: Type.String(),
  /** The automation account acting, by name. */
  account: Person,
  /** The person who approved what the run does, by name. */
  approver: Maybe(Person),
  /** Who started the run (its steps are audited as this actor). */
  startedBy: Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String() }),
  patients: List(Type.String()),
  /** The patients as the reader may see them (the clinic's display rule). */
  patientLabels: List(PatientLabel),
  proposalId: Maybe(Type.String()),
  mapVersion: Type.Integer(),
  startedAt: Type.String(),
  finishedAt: Maybe(Type.String()),
  status: Type.Enum(Object.keys(statuses) as RunStatus[]),
  halt: Maybe(
    Type.Object({
      reason: Type.Enum([...haltReasons]),
      detail: Type.String({ description: 'the screen, field or element concerned (no PHI)' }),
      submitted: Type.Boolean({ description: 'a submit was sent before the halt: the write may have landed' }),
    }),
  ),
  stepCount: Type.Integer(),
  reportedSteps: Maybe(Type.Integer()),
  purged: Maybe(Type.Object({ screenshots: Maybe(Type.String()), values: Maybe(Type.String()) })),
};
export const RunSummary = Type.Object(summary);

export const RunPage = Type.Object({
  items: List(RunSummary),
  next: Maybe(Type.String()),
  patientsMatched: Maybe(Type.Integer()),
});

const sealedState = Type.Enum(Object.keys(sealedStates) as SealedState[]);
export const RunStep = Type.Object({
  index: Type.Integer(),
  action: Type.Enum([...stepActions]),
  screen: Maybe(Type.String()),
  target: Maybe(Type.String()),
  inputEvents: Type.Integer(),
  startedAt: Type.String(),
  durationMs: Type.Integer(),
  outcome: Type.Enum(['ok', 'halted', 'failed']),
  detail: Maybe(Type.String()),
  screenshot: sealedState,
  value: sealedState,
});

export const RunDetail = Type.Object({ ...summary, steps: List(RunStep) });

export const RunVerifyReport = Type.Object({
  runId: Type.String(),
  ok: Type.Boolean(),
  steps: Type.Integer(),
  verified: Type.Integer(),
  purged: Type.Integer(),
  problems: List(
    Type.Object({
      index: Type.Integer(),
      problem: Type.Enum(Object.keys(problems) as StepProblem[]),
      part: Maybe(Type.String()),
    }),
  ),
});

/** A screen read started by a person (`steward automation run`): which connection, which read, which day. */
export const ScreenReadBody = Strict({
  connection: Type.String({ minLength: 1, maxLength: 64 }),
  read: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }),
  day: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
});

/** What a screen read filed: counts only (the rows are PHI, in the journal and the run's record). */
export const ScreenReadOutcome = Type.Object({
  runId: Type.String(),
  rows: Type.Integer(),
  events: Type.Integer(),
  duplicates: Type.Integer(),
  refused: Type.Integer(),
});
