/**
 * @module What the run record shows its readers: a run without its sealed content, a step with
 * whether its screenshot and value are kept, the filter the list takes, and what verification found.
 */
import type { HaltReason, RunStart, ScreenshotType, StepAction, StepRecord } from '../model/run.js';

export type RunStatus = 'running' | 'done' | 'halted';

/** Where a step's sealed content stands: kept (sealed), cleared by retention, or never taken. */
export type SealedState = 'sealed' | 'purged' | 'none';

export interface RunSummary {
  readonly id: string;
  readonly connectionId: string;
  readonly site: string;
  readonly kind: RunStart['kind'];
  readonly purpose: string;
  /** The automation account acting, and the person who approved what it does. */
  readonly identity: RunStart['identity'];
  readonly patients: readonly string[];
  readonly proposalId?: string;
  readonly mapVersion: number;
  /** Who started the run (its steps are audited as this actor). */
  readonly startedBy: { readonly kind: string; readonly id: string; readonly name: string };
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly status: RunStatus;
  /** Why a halted run stopped: a stable code and the element or screen concerned (no PHI). */
  readonly halt?: { readonly reason: HaltReason; readonly detail: string; readonly submitted: boolean };
  /** Steps recorded. */
  readonly stepCount: number;
  /** The count the executor reported when it finished, when it differs from the steps recorded. */
  readonly reportedSteps?: number;
  /** When retention cleared the run's screenshots and values. */
  readonly purged?: { readonly screenshots?: string; readonly values?: string };
}

export interface StepView {
  readonly index: number;
  readonly action: StepAction;
  readonly screen?: string;
  readonly target?: string;
  readonly inputEvents: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcome: StepRecord['outcome'];
  readonly detail?: string;
  readonly screenshot: SealedState;
  readonly value: SealedState;
}

export interface RunDetail extends RunSummary {
  readonly steps: readonly StepView[];
}

export interface RunFilter {
  /** A patient: an MRN, an EHR id, a Steward id or `Family, Given YYYY-MM-DD` (as the audit search). */
  readonly patient?: string;
  /** An actor id: the automation account, the approver, or who started the run. */
  readonly identity?: string;
  readonly proposal?: string;
  /** `running`, `done`, `halted`, or a halt reason (`wrong-patient`, …). */
  readonly outcome?: RunStatus | HaltReason;
  readonly site?: string;
  /** ISO date or date-time, inclusive, on the run's start. */
  readonly from?: string;
  /** ISO date or date-time, exclusive. */
  readonly to?: string;
  /** Default 50, at most 200. */
  readonly limit?: number;
  /** From the previous page's `next`. */
  readonly cursor?: string;
}

export interface RunPage {
  readonly runs: readonly RunSummary[];
  readonly next?: string;
  /** With a `patient` term: how many Steward patients it stands for (0: it names nobody). */
  readonly patientsMatched?: number;
}

/** One step opened for replay: its record, the screenshot and the value, decrypted. */
export interface StepReplay {
  readonly run: RunSummary;
  readonly step: StepView;
  readonly screenshot?: Buffer;
  /** The screenshot's media type (rows recorded before types were kept are PNGs). */
  readonly screenshotType?: ScreenshotType;
  readonly value?: string;
}

export type StepProblem =
  /** A step row with no `automation.step` entry in the audit log. */
  | 'audit-missing'
  /** An `automation.step` entry whose step row is gone. */
  | 'step-missing'
  /** The sealed screenshot or value no longer opens (altered, truncated, moved from another row). */
  | 'sealed-altered'
  /** It opens, but its SHA-256 differs from the digest in the audit entry. */
  | 'digest-mismatch'
  /** Content the audit entry vouches for is gone, not by retention. */
  | 'content-missing';

export interface VerifyReport {
  readonly runId: string;
  readonly ok: boolean;
  readonly steps: number;
  /** Steps whose sealed content opened and hashed to the audit entry's digests. */
  readonly verified: number;
  /** Steps whose content retention cleared (their audit entries remain). */
  readonly purged: number;
  readonly problems: readonly { readonly index: number; readonly problem: StepProblem; readonly part?: string }[];
}
