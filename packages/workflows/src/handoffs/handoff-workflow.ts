/**
 * @module The escalation workflow of one handoff (correlation key `handoff:<id>`): a durable timer
 * per escalation step at the instant the service computed in the site's calendar when the handoff
 * was offered (fixed in the start payload, so decide stays pure and a later policy change does not
 * move a running handoff's steps), and one for its deadline. A step whose condition still holds when
 * its timer fires asks for the `handoff.escalate` effect once (the engine applies each timer input
 * once; the effect's own table keeps the outside write once across re-runs). Acceptance cancels the
 * not-accepted steps; a decline re-arms those not fired yet; done ends the workflow.
 */
import { cancelTimer, complete, effect, setTimer, type Command, type Decision, type Json } from '../engine/index.js';
import type { WorkflowDefinition, WorkflowInput } from '../engine/index.js';
import type { EscalationCondition, EscalationTarget } from './handoff-model.js';

export const HANDOFF = 'handoff';
export const handoffKey = (id: string): string => `handoff:${id}`;

export const handoffSignals = { accepted: 'handoff.accepted', declined: 'handoff.declined', done: 'handoff.done' };
export const escalateEffect = 'handoff.escalate';
export const expireEffect = 'handoff.expire';
/** Any workflow's way to raise a handoff (input: a HandoffInput), through the handoff service as steward-workflows. */
export const raiseEffect = 'handoff.raise';

export interface PlannedStep {
  readonly condition: EscalationCondition;
  /** ISO instant: when the policy says this step fires. */
  readonly at: string;
  readonly target: EscalationTarget;
}

export interface HandoffStart {
  readonly handoffId: string;
  readonly site: string;
  readonly steps: readonly PlannedStep[];
  readonly dueAt: string | null;
}

export type HandoffWorkflowState = {
  handoffId: string;
  site: string;
  steps: { condition: EscalationCondition; at: string; target: Json }[];
  dueAt: string | null;
  accepted: boolean;
  done: boolean;
  expired: boolean;
  /** Steps asked to escalate (each once). */
  fired: number[];
  failures: number;
};

/** The escalate effect's input: the step and when the policy put it. */
export interface EscalateInput {
  readonly handoffId: string;
  readonly step: number;
  readonly condition: EscalationCondition;
  readonly policyAt: string;
  readonly target: EscalationTarget;
}

const initial: HandoffWorkflowState = {
  handoffId: '',
  site: '',
  steps: [],
  dueAt: null,
  accepted: false,
  done: false,
  expired: false,
  fired: [],
  failures: 0,
};

const timerOf = (i: number): string => `step-${i}`;

/**
 * Every step fired and the deadline passed (or none): nothing left to watch. An accepted handoff's
 * unfired not-accepted steps still count, since a decline re-arms them.
 */
function finished(s: HandoffWorkflowState): boolean {
  return s.steps.every((_, i) => s.fired.includes(i)) && (s.dueAt === null || s.expired);
}

function decide(state: HandoffWorkflowState, input: WorkflowInput): Decision<HandoffWorkflowState> {
  if (input.kind === 'start') {
    const p = input.payload as unknown as HandoffStart;
    const s: HandoffWorkflowState = {
      ...initial,
      handoffId: p.handoffId,
      site: p.site,
      steps: p.steps.map((x) => ({ condition: x.condition, at: x.at, target: x.target })),
      dueAt: p.dueAt,
    };
    const commands: Command[] = s.steps.map((x, i) => setTimer(timerOf(i), { at: x.at }));
    if (s.dueAt !== null) commands.push(setTimer('due', { at: s.dueAt }));
    if (commands.length === 0) commands.push(complete({ escalations: 0 }));
    return { state: s, commands };
  }
  if (input.kind === 'signal') {
    if (input.name === handoffSignals.done) {
      const commands: Command[] = state.steps.map((_, i) => cancelTimer(timerOf(i)));
      commands.push(cancelTimer('due'), complete({ escalations: state.fired.length }));
      return { state: { ...state, done: true }, commands };
    }
    if (input.name === handoffSignals.accepted) {
      const commands = state.steps.flatMap((x, i) =>
        x.condition === 'not-accepted' && !state.fired.includes(i) ? [cancelTimer(timerOf(i))] : [],
      );
      return { state: { ...state, accepted: true }, commands };
    }
    if (input.name === handoffSignals.declined) {
      const commands = state.accepted
        ? state.steps.flatMap((x, i) =>
            x.condition === 'not-accepted' && !state.fired.includes(i) ? [setTimer(timerOf(i), { at: x.at })] : [],
          )
        : [];
      return { state: { ...state, accepted: false }, commands };
    }
    return { state };
  }
  if (input.kind === 'timer') {
    if (input.name === 'due') {
      const next = { ...state, expired: true };
      const commands: Command[] = [effect(expireEffect, { handoffId: state.handoffId })];
      return { state: next, commands };
    }
    const i = Number(input.name.slice('step-'.length));
    const step = state.steps[i];
    if (step === undefined || state.fired.includes(i) || state.done) return { state };
    if (step.condition === 'not-accepted' && state.accepted) return { state };
    const request: EscalateInput = {
      handoffId: state.handoffId,
      step: i,
      condition: step.condition,
      policyAt: step.at,
      target: step.target as unknown as EscalationTarget,
    };
    return {
      state: { ...state, fired: [...state.fired, i].sort((a, b) => a - b) },
      commands: [effect(escalateEffect, request as unknown as Json, `step-${i}`)],
    };
  }
  // An effect's result: a failure is counted (the effect runner already retried it); the history keeps it.
  const result = (input.payload as { result: { ok: boolean } }).result;
  const next = result.ok ? state : { ...state, failures: state.failures + 1 };
  return finished(next) ? { state: next, commands: [complete({ escalations: next.fired.length })] } : { state: next };
}

export const handoffWorkflow: WorkflowDefinition<HandoffWorkflowState> = {
  type: HANDOFF,
  version: 1,
  initialState: initial,
  decide: (state, input) => decide(state, input),
};
