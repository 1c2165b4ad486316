/**
 * @module The workflows section. Messaging has no settings of its own yet (its channels and quiet
 * hours are per clinic, in the store); it runs with the workflows.
 */
import { parseSection, type EnvReader } from './env-reader.js';

export interface WorkflowsConfig {
  /** STEWARD_WORKFLOWS: on (default) runs workflows (router, worker, applier) here; off for API-only nodes. */
  readonly enabled: boolean;
  /**
   * STEWARD_EVENTS: on (default) runs events out here (the capture filling the outbox and the webhook
   * delivery worker, ADR 0019); off for API-only nodes. The stream and the subscription API answer either way.
   */
  readonly events: boolean;
}

export function readWorkflowsConfig(r: EnvReader): WorkflowsConfig {
  return { enabled: r.onOff('STEWARD_WORKFLOWS', true), events: r.onOff('STEWARD_EVENTS', true) };
}

export const parseWorkflowsConfig = (env?: NodeJS.ProcessEnv): WorkflowsConfig =>
  parseSection(readWorkflowsConfig, env);
