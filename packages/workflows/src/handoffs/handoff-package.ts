/**
 * @module The handoffs' workflow package: the escalation workflow and its two effects, which act
 * through the host's handoff service (as the workflows' account). Registered in the built-in
 * catalog; a host without handoffs (a test catalog) runs the workflow with no effects to call.
 */
import type { EffectHandler, Json } from '../engine/index.js';
import { defineWorkflowPackage, type WorkflowPackage } from '../catalog/workflow-catalog.js';
import { escalateEffect, expireEffect, handoffWorkflow, type EscalateInput } from './handoff-workflow.js';

/** What the escalation effects call: the handoff service's system path, bound to the workflows' account. */
export interface HandoffEscalations {
  escalate(input: EscalateInput, effectKey: string): Promise<Json>;
  expire(handoffId: string): Promise<Json>;
}

export function handoffEffects(escalations: HandoffEscalations): Readonly<Record<string, EffectHandler>> {
  return {
    [escalateEffect]: (r) => escalations.escalate(r.input as unknown as EscalateInput, r.key),
    [expireEffect]: (r) => escalations.expire((r.input as { handoffId: string }).handoffId),
  };
}

export const handoffsPackage: WorkflowPackage = defineWorkflowPackage({
  name: 'handoffs',
  definitions: [handoffWorkflow],
  effects: (host) => (host.handoffs === undefined ? {} : handoffEffects(host.handoffs)),
});
