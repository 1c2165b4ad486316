/**
 * @module The handoffs' workflow package: the escalation workflow and its two effects, which act
 * through the host's handoff service (as the workflows' account). Registered in the built-in
 * catalog; a host without handoffs (a test catalog) runs the workflow with no effects to call.
 */
import type { EffectHandler, Json } from '../engine/index.js';
import { defineWorkflowPackage, type WorkflowPackage } from '../catalog/workflow-catalog.js';
import { escalateEffect, expireEffect, handoffWorkflow, raiseEffect, type EscalateInput } from './handoff-workflow.js';
import type { HandoffInput } from './handoff-service.js';

/**
 * What the handoff effects call: the handoff service's system path, bound to the workflows' account.
 * `raise` is how any workflow raises a handoff: `effect('handoff.raise', input)` with a
 * `HandoffInput` (no `key`: the effect's own key makes a re-run after a crash return the same handoff).
 * Known limit: an effect's input is stored unsealed in `workflow_effects` like every workflow input,
 * so a workflow's `ask` must be reference-level (a document type and what is missing, never a name or
 * clinical text); the handoff service seals it once raised. Callers outside a decide step (intake's
 * services, the HTTP API) call `HandoffService.create` directly and nothing is stored unsealed.
 */
export interface HandoffEscalations {
  escalate(input: EscalateInput, effectKey: string): Promise<Json>;
  expire(handoffId: string): Promise<Json>;
  raise(input: HandoffInput): Promise<Json>;
}

export function handoffEffects(escalations: HandoffEscalations): Readonly<Record<string, EffectHandler>> {
  return {
    [escalateEffect]: (r) => escalations.escalate(r.input as unknown as EscalateInput, r.key),
    [expireEffect]: (r) => escalations.expire((r.input as { handoffId: string }).handoffId),
    [raiseEffect]: (r) => escalations.raise({ ...(r.input as unknown as HandoffInput), key: `effect:${r.key}` }),
  };
}

export const handoffsPackage: WorkflowPackage = defineWorkflowPackage({
  name: 'handoffs',
  definitions: [handoffWorkflow],
  effects: (host) => (host.handoffs === undefined ? {} : handoffEffects(host.handoffs)),
});
