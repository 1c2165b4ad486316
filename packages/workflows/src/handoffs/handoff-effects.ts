/**
 * @module How a workflow raises and closes handoffs (issue 19): the `handoff.raise` and
 * `handoff.close` effects, declared with their shapes, and the `handoff.moved` signal a raising
 * workflow hears when a person moves its handoff.
 *
 * A workflow may leave `to` to the host and name the work's owner instead (`owner`: the EHR's
 * practitioner reference and identifier): the host offers the handoff to the staff member who is that
 * practitioner at the site, else to the site's owner pool (when it has members), else to
 * `fallbackRole` at the site. `patientEventId` names the event whose patient the work is about (the
 * host finds the Steward patient, so the audit names them). Known limit: an effect's input is stored
 * unsealed in `workflow_effects`, so `ask` must be reference-level (codes and stage names, never a
 * name or clinical text); the service seals it once raised.
 */
import { s, type Infer } from '@steward/core';
import { defineEffect, defineSignal } from '../engine/index.js';
import { raiseEffect } from './handoff-workflow.js';

const target = s.object({ kind: s.literal('user', 'pool', 'role'), ref: s.string() });

/** What `handoff.raise` takes: a handoff, with `to` or an owner to resolve, and its own key. */
export const raiseRequest = s.object({
  site: s.string(),
  kind: s.string(),
  subject: s.object({ kind: s.literal('patient', 'referral', 'document', 'proposal', 'followup'), id: s.string() }),
  to: target.optional(),
  owner: s
    .object({ connectionId: s.nullable(s.string()), ref: s.nullable(s.string()), identifier: s.nullable(s.string()) })
    .optional(),
  fallbackRole: s.string().optional(),
  ask: s.string(),
  due: s.object({ at: s.string() }).optional(),
  patientId: s.string().optional(),
  patientEventId: s.string().optional(),
  /** Deterministic in the workflow (its correlation key and a tag): what `handoff.close` names. Default: the effect's key. */
  key: s.string().optional(),
  notify: s.object({ type: s.string(), key: s.string() }).optional(),
});
export type RaiseRequest = Infer<typeof raiseRequest>;

/** The handoff raised (or raised before for the same key), whom it went to, and whether that is the owner named. */
const raised = s.object({ handoffId: s.string(), to: target.optional(), owner: s.boolean().optional() });
export type RaisedHandoff = Infer<typeof raised>;

export const raiseHandoff = defineEffect(raiseEffect, { input: raiseRequest, output: raised });

export const closeEffect = 'handoff.close';
/** Closes (done) the handoff raised with `key`; `reason` a code (`stage-reached`, `referral-ended`). */
export const closeHandoff = defineEffect(closeEffect, {
  input: s.object({ key: s.string(), reason: s.string() }),
  output: s.object({ closed: s.boolean(), handoffId: s.string() }),
});

/** A person accepted, declined or finished a handoff the workflow raised with `notify`, or it was escalated. */
export const handoffMoved = defineSignal(
  'handoff.moved',
  s.object({
    handoffId: s.string(),
    key: s.nullable(s.string()),
    event: s.literal('accepted', 'declined', 'done', 'escalated'),
    status: s.string(),
    assignee: s.nullable(s.object({ id: s.string(), name: s.string() })),
  }),
);
export type HandoffMovedSignal = Infer<typeof handoffMoved.payload>;
