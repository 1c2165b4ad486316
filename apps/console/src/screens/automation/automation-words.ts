/**
 * @module A run's codes in words: what each step did, how a run ended. Plain functions (no React),
 * so the console's unit tests can hold them to every code the API may send; the records are typed by
 * the API's own unions, so a code added there fails to compile here until it has words.
 */
import type { Answer } from '../../api/types.js';

type RunDetail = Answer<'/automation/runs/{id}', 'get'>;
type StepAction = RunDetail['steps'][number]['action'];
type HaltReason = NonNullable<RunDetail['halt']>['reason'];

export const actionWords: Readonly<Record<StepAction, string>> = {
  identify: 'Identified the screen',
  navigate: 'Went to a screen',
  relogin: 'Signed in again',
  'open-patient': 'Opened the patient',
  'check-banner': 'Checked the patient banner',
  fill: 'Entered a value',
  'read-back': 'Read the value back',
  submit: 'Submitted',
  read: 'Read the screen',
  halt: 'Stopped',
};

export const haltWords: Readonly<Record<HaltReason, string>> = {
  'unexpected-screen': 'an unexpected screen was open',
  'missing-element': 'a field or element was missing',
  'wrong-patient': 'the wrong patient was open',
  'value-too-long': "a value was over the field's limit",
  'option-not-exact': 'no list option matched exactly',
  'read-back-mismatch': 'a value read back differed from what was entered',
  'login-failed': 'signing in failed',
  'timed-out': 'it took too long',
  'browser-crashed': 'the browser crashed',
  'origin-refused': 'a page outside the EHR was refused',
};

export const kindWords: Readonly<Record<RunDetail['kind'], string>> = {
  write: 'Write to the EHR',
  read: 'Screen read',
  record: 'Demonstration',
};

export function outcomeWords(run: {
  readonly status: string;
  readonly halt?: { readonly reason: string; readonly detail: string; readonly submitted: boolean } | undefined;
}): string {
  if (run.status === 'running') return 'Running';
  if (run.status === 'done') return 'Completed';
  if (run.halt === undefined) return 'Stopped';
  const why = Object.hasOwn(haltWords, run.halt.reason) ? haltWords[run.halt.reason as HaltReason] : run.halt.reason;
  return `Stopped: ${why}${run.halt.detail !== '' ? ` (${run.halt.detail})` : ''}${
    run.halt.submitted ? '. A submit was sent before it stopped: check the EHR.' : ''
  }`;
}

export function durationWords(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
