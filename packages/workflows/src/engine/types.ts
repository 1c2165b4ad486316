/**
 * @module The vocabulary of a workflow: its definition (a pure `decide`), the inputs it receives,
 * the commands it returns, and the context the engine gives it (time and ids).
 *
 * Workflow state, inputs and effect inputs are JSON and hold references (ids, correlation keys),
 * never PHI: they are stored unsealed in `workflow_*` tables.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The result of an outside effect, as the workflow receives it. */
export type EffectResult =
  { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly code: string; readonly message: string };

export type WorkflowInput =
  | { readonly kind: 'start'; readonly name: 'start'; readonly payload: Json }
  | { readonly kind: 'signal'; readonly name: string; readonly payload: Json }
  | { readonly kind: 'timer'; readonly name: string; readonly payload: { readonly dueAt: string } }
  | {
      readonly kind: 'effect';
      /** The effect's kind. */
      readonly name: string;
      readonly payload: { readonly key: string; readonly tag: string | null; readonly result: EffectResult };
    };

/** A wall-clock time in a named IANA zone: stays at that wall-clock time across DST changes. */
// A type, not an interface, so a command holding one is JSON as the compiler sees it (no cast to store it).
export type LocalTime = {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** `HH:mm` or `HH:mm:ss`. */
  readonly time: string;
  readonly zone: string;
};

/**
 * When a timer fires. `at`: an instant (ISO 8601 with offset). `local`: a wall-clock time in a zone
 * (see resolveTimer for the DST gap/overlap rule). `after`: a span from the step's `now`; with a
 * `zone`, days are calendar days in that zone (09:00 stays 09:00 across a DST change), without it
 * a day is 24 hours.
 */
export type TimerSpec =
  | { readonly at: string }
  | { readonly local: LocalTime }
  | {
      readonly after: {
        readonly days?: number;
        readonly hours?: number;
        readonly minutes?: number;
        readonly seconds?: number;
        readonly milliseconds?: number;
      };
      readonly zone?: string;
    };

export type Command =
  | ({ readonly type: 'setTimer'; readonly name: string } & TimerSpec)
  | { readonly type: 'cancelTimer'; readonly name: string }
  | { readonly type: 'effect'; readonly kind: string; readonly input: Json; readonly tag?: string }
  | { readonly type: 'complete'; readonly outcome: Json }
  | { readonly type: 'fail'; readonly reason: string };

/** What the engine gives `decide`: the only sources of time and ids a workflow may use. */
export interface DecideContext {
  readonly workflowId: string;
  readonly correlationKey: string;
  /** This step's number (1 for the start). */
  readonly step: number;
  /** This step's time, chosen by the engine and recorded in the history. */
  readonly now: Date;
  /** A fresh id, derived from (workflow id, step, n): the same on replay. */
  newId(): string;
}

export interface Decision<S> {
  readonly state: S;
  readonly commands?: readonly Command[];
}

export interface WorkflowDefinition<S extends Json = Json> {
  readonly type: string;
  readonly version: number;
  readonly initialState: S;
  /** Pure: no I/O, no Date.now(), no Math.random(). The same inputs give the same decisions. */
  decide(state: S, input: WorkflowInput, ctx: DecideContext): Decision<S>;
}

/** Runs one outside effect. Must be idempotent by `key`: it may run again after a crash. */
export type EffectHandler = (request: EffectRequest) => Promise<Json>;

export interface EffectRequest {
  /** The idempotency key, `<workflow id>/<step>/<n>`: stable across retries and crashes. */
  readonly key: string;
  readonly kind: string;
  readonly workflowId: string;
  readonly input: Json;
  /** 1 on the first run, higher on retries and after crashes. */
  readonly attempt: number;
}

export const setTimer = (name: string, spec: TimerSpec): Command => ({ type: 'setTimer', name, ...spec });
export const cancelTimer = (name: string): Command => ({ type: 'cancelTimer', name });
export const effect = (kind: string, input: Json, tag?: string): Command =>
  tag === undefined ? { type: 'effect', kind, input } : { type: 'effect', kind, input, tag };
export const complete = (outcome: Json = null): Command => ({ type: 'complete', outcome });
export const fail = (reason: string): Command => ({ type: 'fail', reason });
