/**
 * @module Bench-only: the issue's proof on the sandbox's web screens (see automation.bench.ts):
 * the writes as the applier makes them, spread over the three variants, then checked through the
 * EHR's FHIR API and the runs' own steps; and the adverse cases.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { EhrIdentifier } from '@steward/core';
import { isStewardError } from '@steward/core';
import type { GovernedEhr, WriteOutcome, WriteRequest } from '@steward/ehr';
import type { StepRecord } from '@steward/automation';
import {
  externalReference,
  guardOf,
  variantIds,
  writeTags,
  type BenchEhr,
  type SeededPatient,
  type TrackedRun,
  type VariantId,
  type WriteTag,
} from './automation-kit.js';

const priorities = ['routine', 'urgent', 'asap', 'stat'] as const;

export interface Limits {
  readonly description: number;
  readonly note: number;
}

export interface Job {
  readonly i: number;
  readonly variant: VariantId;
  readonly patient: SeededPatient;
  readonly key: string;
  readonly description: string;
  readonly priority: (typeof priorities)[number];
  readonly due: string | undefined;
  readonly note: string | undefined;
  /** The guard's identifiers (default: the patient's MRN and Synthea id). */
  readonly guard?: readonly EhrIdentifier[];
  readonly onStep?: WriteTag['onStep'];
}

/** Text of exactly `length` characters made of `unit` (ending on a letter, never a space). */
function textOf(unit: string, length: number): string {
  let s = '';
  while (s.length < length) s += unit;
  s = s.slice(0, length);
  return s.endsWith(' ') ? `${s.slice(0, -1)}x` : s;
}

/** The i-th write of the proof: variant, patient, priority and the kind of text rotate independently. */
export function jobOf(i: number, patients: readonly SeededPatient[], limits: Record<string, Limits>): Job {
  const variant = variantIds[i % 3] as VariantId;
  const round = Math.floor(i / 3);
  const patient = patients[round % patients.length] as SeededPatient;
  const limit = limits[variant] as Limits;
  const tag = `#${i}`;
  const descriptions = [
    `Call about the lab results ${tag}`,
    `Rappel — résultats à revoir (*urgent*) ${tag}`,
    textOf(`Near the limit ${tag} `, limit.description - (i % 2)),
    `Book follow-up: HbA1c < 7% & BP "check" ${tag}`,
  ];
  const notes = [
    `**Fasting** bloods\n- before *9am*\n- bring the medication list ${tag}`,
    textOf(`Patient prefers *mornings* ${tag}. `, limit.note - (i % 3)),
    undefined,
    `_Emphasis_ and *stars* only ${tag}`,
  ];
  const day = new Date(Date.UTC(2027, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  return {
    i,
    variant,
    patient,
    key: `bench-w${String(i).padStart(4, '0')}`,
    description: descriptions[i % 4] as string,
    priority: priorities[round % 4] as (typeof priorities)[number],
    due: i % 7 === 6 ? undefined : day,
    note: notes[round % 4],
  };
}

export function taskOf(job: Job): Record<string, unknown> {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    for: { reference: `Patient/${job.patient.id}` },
    description: job.description,
    priority: job.priority,
    ...(job.due !== undefined ? { restriction: { period: { end: job.due } } } : {}),
    ...(job.note !== undefined ? { note: [{ text: job.note }] } : {}),
  };
}

export interface Written {
  readonly job: Job;
  readonly tag: WriteTag;
  readonly outcome?: WriteOutcome;
  readonly error?: unknown;
}

/** One write as the applier makes it: a create with the patient guard, the key and the proposal. */
export async function writeJob(
  governed: GovernedEhr,
  iface: Parameters<GovernedEhr['writer']['write']>[2],
  job: Job,
): Promise<Written> {
  const tag: WriteTag = { key: job.key, runs: [], ...(job.onStep !== undefined ? { onStep: job.onStep } : {}) };
  const request: WriteRequest = {
    kind: 'create',
    resource: taskOf(job) as unknown as Resource,
    patient: { ehrId: job.patient.id, identifiers: job.guard ?? guardOf(job.patient) },
    idempotencyKey: job.key,
    proposal: { id: `proposal-${job.key}`, approvedBy: 'user-bench-reviewer' },
  };
  try {
    const outcome = await writeTags.run(tag, () => governed.writer.write(`screens-${job.variant}`, request, iface));
    return { job, tag, outcome };
  } catch (error) {
    return { job, tag, error };
  }
}

/** Runs jobs with `perConnection` writes at a time on each variant's connection. */
export async function writeAll(
  governed: GovernedEhr,
  iface: Parameters<GovernedEhr['writer']['write']>[2],
  jobs: readonly Job[],
  perConnection: number,
): Promise<Written[]> {
  const out: Written[] = [];
  const lanes = variantIds.flatMap((v) => {
    const queue = jobs.filter((j) => j.variant === v);
    return Array.from({ length: perConnection }, async () => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift())
        out.push(await writeJob(governed, iface, job));
    });
  });
  await Promise.all(lanes);
  return out.sort((a, b) => a.job.i - b.job.i);
}

/** A step hook that expires every web session once, inside the run, when `when` first holds. */
export function expireWhen(ehr: BenchEhr, when: (s: StepRecord, run: TrackedRun) => boolean): WriteTag['onStep'] {
  let fired = false;
  return async (s, run) => {
    if (fired || !when(s, run)) return;
    fired = true;
    await ehr.control('POST', 'expire');
  };
}

const crlf = (s: string | undefined): string | undefined => s?.replace(/\r\n/g, '\n');

export interface FieldCheck {
  unequal: number;
  truncated: number;
  /** Notes stored with CRLF line breaks (a browser's form encoding), equal once normalised. */
  crlf: number;
}

/** Compares one stored Task with what its job sent: every field, the patient, the key. */
export function compareTask(task: Record<string, unknown>, job: Job, check: FieldCheck): boolean {
  const note = (task['note'] as { text?: string }[] | undefined)?.[0]?.text;
  const due = (task['restriction'] as { period?: { end?: string } } | undefined)?.period?.end;
  const pairs: [string | undefined, string | undefined][] = [
    [task['description'] as string | undefined, job.description],
    [task['priority'] as string | undefined, job.priority],
    [due, job.due],
    [crlf(note), job.note],
  ];
  if (note !== undefined && note.includes('\r\n')) check.crlf++;
  let ok = true;
  for (const [got, sent] of pairs) {
    if (got === sent) continue;
    ok = false;
    check.unequal++;
    if (got !== undefined && sent !== undefined && got.length < sent.length && sent.startsWith(got)) check.truncated++;
  }
  return ok;
}

export function keyOf(task: Record<string, unknown>): string | undefined {
  return (task['identifier'] as { system?: string; value?: string }[] | undefined)?.find(
    (i) => i.system === externalReference,
  )?.value;
}

/** A halted write's reason, from the Steward error's details. */
export function haltOf(w: Written): { code: string; reason: string; detail: string } | undefined {
  const e = w.error;
  if (!isStewardError(e)) return undefined;
  const d = (path: string): string => e.details?.find((x) => x.path === path)?.message ?? '';
  return { code: e.code, reason: d('halt'), detail: d('detail') };
}

/** Input events the page saw on a path ending with `suffix`, over a write's runs. */
export function pageEventsOn(w: Written, suffix: string): number {
  let n = 0;
  for (const r of w.tag.runs) for (const [path, c] of r.pageEvents) if (path.endsWith(suffix)) n += c;
  return n;
}

/** Login-screen input events outside a re-login step: as the page saw them, and as the executor reported them. */
export function loginViolations(runs: readonly TrackedRun[]): { page: number; executor: number } {
  let page = 0;
  let executor = 0;
  for (const r of runs) {
    page += r.loginOutside;
    for (const s of r.steps)
      if ((s.screen === 'login' || s.screen === 'session-expired') && s.action !== 'relogin') executor += s.inputEvents;
  }
  return { page, executor };
}
