/**
 * @module The handoffs' workflow package: the escalation workflow and the effects that act through
 * the host's handoff service (as the workflows' account): escalate, expire, and any workflow's raise
 * and close (handoff-effects.ts). Registered in the built-in catalog; a host without handoffs (a test
 * catalog) runs the workflow with no effects to call.
 */
import type { EffectHandler, Json } from '../engine/index.js';
import { defineWorkflowPackage, type WorkflowPackage } from '../catalog/workflow-catalog.js';
import { escalateEffect, expireEffect, handoffWorkflow, type EscalateInput } from './handoff-workflow.js';
import { closeHandoff, raiseHandoff, type RaisedHandoff, type RaiseRequest } from './handoff-effects.js';

/**
 * What the handoff effects call: the handoff service's system path, bound to the workflows' account.
 * `raise` gets a `RaiseRequest` with its key set (the workflow's, else `effect:<effect key>`, so a
 * re-run after a crash returns the same handoff); the host resolves an `owner` to a person, pool or
 * role when `to` is absent. `close` closes, done, the handoff raised with a key (HANDOFF_PENDING,
 * retryable, while it is not raised yet). Callers outside a decide step (intake's services, the HTTP
 * API) call `HandoffService.create` directly and nothing is stored unsealed.
 */
export interface HandoffEscalations {
  escalate(input: EscalateInput, effectKey: string): Promise<Json>;
  expire(handoffId: string): Promise<Json>;
  raise(input: RaiseRequest & { readonly key: string }): Promise<RaisedHandoff>;
  close?(key: string, reason: string): Promise<{ closed: boolean; handoffId: string }>;
}

export function handoffEffects(escalations: HandoffEscalations): Readonly<Record<string, EffectHandler>> {
  const close = escalations.close?.bind(escalations);
  return {
    [escalateEffect]: (r) => escalations.escalate(r.input as unknown as EscalateInput, r.key),
    [expireEffect]: (r) => escalations.expire((r.input as { handoffId: string }).handoffId),
    [raiseHandoff.kind]: raiseHandoff.handler((input, r) =>
      escalations.raise({ ...input, key: input.key ?? `effect:${r.key}` }),
    ),
    ...(close !== undefined
      ? { [closeHandoff.kind]: closeHandoff.handler((input) => close(input.key, input.reason)) }
      : {}),
  };
}

export const handoffsPackage: WorkflowPackage = defineWorkflowPackage({
  name: 'handoffs',
  definitions: [handoffWorkflow],
  effects: (host) => (host.handoffs === undefined ? {} : handoffEffects(host.handoffs)),
});
