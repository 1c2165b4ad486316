/**
 * @module A run: one governed session of the executor on an EHR's screens. It has an identity (the
 * automation account acting, and the person who approved what it does), a purpose, a site, the
 * patients it touches and the proposal it carries out; every step is recorded (sealed screenshot,
 * sealed values, timing) and hashed into the audit chain. These are the shapes the executor, the
 * run store and the screens channel share.
 */
import type { EhrIdentifier } from '@steward/core';

export interface RunIdentity {
  /** The automation account the browser acts as (an actor id). */
  readonly accountId: string;
  /** The person who approved what the run does (a user id), when it carries out a proposal. */
  readonly approvedBy?: string;
}

export interface RunStart {
  readonly connectionId: string;
  readonly site: string;
  /** An HL7 purpose of use (`TREAT`, `HOPERAT`, …). */
  readonly purpose: string;
  /** `write` carries out a proposal; `read` reads screens into the journal; `record` is a demonstration. */
  readonly kind: 'write' | 'read' | 'record';
  readonly identity: RunIdentity;
  /** Steward patient ids the run touches (may grow as it runs). */
  readonly patients: readonly string[];
  readonly proposalId?: string;
  /** The screen map version the run follows. */
  readonly mapVersion: number;
}

export type StepAction =
  | 'identify'
  | 'navigate'
  | 'relogin'
  | 'open-patient'
  | 'check-banner'
  | 'fill'
  | 'read-back'
  | 'submit'
  | 'read'
  | 'halt';

/** The media types a step's screenshot is recorded in. */
export type ScreenshotType = 'image/png' | 'image/jpeg';
export const screenshotTypes: readonly ScreenshotType[] = ['image/png', 'image/jpeg'];

/** One step as the executor reports it; the recorder seals what is PHI. */
export interface StepRecord {
  /** 0, 1, 2, … in the order taken. */
  readonly index: number;
  readonly action: StepAction;
  /** The screen contract identified before the step (undefined: none matched). */
  readonly screen: string | undefined;
  /** What the step acted on, by name (a field's key, a link's name): never PHI. */
  readonly target?: string;
  /** The value entered or read (PHI: sealed by the recorder, never logged). */
  readonly value?: string;
  /** An image of the page after the step (PHI: sealed by the recorder). */
  readonly screenshot?: Uint8Array;
  /** The screenshot's media type (default `image/png`, what runs recorded before JPEGs). */
  readonly screenshotType?: ScreenshotType;
  /** Input events (key presses, clicks, selections) the step dispatched to the page. */
  readonly inputEvents: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'halted' | 'failed';
  /** Why, without PHI (`unexpected screen: login`, `field not on screen: Reason for visit`). */
  readonly detail?: string;
}

/** Where the executor reports each step (the run store seals and audits it). */
export interface RunRecorder {
  step(step: StepRecord): Promise<void>;
}

/** Why a run stopped without finishing. Stable codes; the detail names the element or screen. */
export type HaltReason =
  | 'unexpected-screen'
  | 'missing-element'
  | 'wrong-patient'
  | 'value-too-long'
  | 'option-not-exact'
  | 'read-back-mismatch'
  | 'login-failed'
  | 'timed-out'
  | 'browser-crashed'
  | 'origin-refused';

export type RunOutcome =
  | { readonly status: 'done'; readonly steps: number }
  | {
      readonly status: 'halted';
      readonly reason: HaltReason;
      /** Without PHI: the screen, field or element concerned. */
      readonly detail: string;
      readonly steps: number;
      /** Whether the write may have landed (a submit was sent before the halt). */
      readonly submitted: boolean;
    };

/** The patient a write is for, as the proposal knows them. */
export interface RunPatient {
  readonly ehrId: string;
  /** At least two; the banner must show two of them. */
  readonly identifiers: readonly EhrIdentifier[];
}

/** The automation account's credentials for one connection, sealed at rest, opened for one run. */
export interface ScreenCredentials {
  readonly username: string;
  readonly password: string;
  /** Base32 TOTP secret, when the EHR asks for a one-time code. */
  readonly totpSecret?: string;
}

export interface CredentialSource {
  /**
   * The credentials for this run's connection, opened for this run (audited by the source). `site`
   * (optional, added with the credential store) names which of the connection's sites' accounts to
   * open; without it, the account at the connection's own site (its only one, if that is unknown).
   */
  forRun(runId: string, connectionId: string, site?: string): Promise<ScreenCredentials>;
}
