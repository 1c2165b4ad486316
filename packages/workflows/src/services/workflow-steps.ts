/**
 * @module What the referral and follow-up detail reads share: a workflow's state and history read
 * back (capped: a workflow has tens of steps, a runaway one is cut, oldest kept), the fields every
 * step has whatever its workflow, and the audit entry of the detail read.
 */
import type { RequestContext } from '@steward/core';
import { sourceOf, type AuditEntryInput, type Decision } from '@steward/governance';
import type { Sql } from '@steward/store';
import type { WorkflowInput } from '../engine/index.js';

/** Steps shown at most. */
export const HISTORY_LIMIT = 500;

export interface StoredStep {
  readonly step: number;
  readonly input: WorkflowInput;
  readonly decided_at: Date | string;
}

/** The state of workflow `id` of `type`, or undefined when there is none. */
export async function workflowState<S>(db: Sql, id: string, type: string): Promise<S | undefined> {
  const { rows } = await db.query<{ state: S }>('select state from workflow_instances where id = $1 and type = $2', [
    id,
    type,
  ]);
  return rows[0]?.state;
}

export async function workflowSteps(db: Sql, workflowId: string): Promise<StoredStep[]> {
  const { rows } = await db.query<StoredStep>(
    'select step, input, decided_at from workflow_history where workflow_id = $1 order by step limit $2',
    [workflowId, HISTORY_LIMIT],
  );
  return rows;
}

/** The fields of any step: its number, when it was decided, its kind and name. */
export function stepBase(s: StoredStep): {
  step: number;
  at: string;
  input: WorkflowInput['kind'];
  name: string;
} {
  return { step: s.step, at: new Date(s.decided_at).toISOString(), input: s.input.kind, name: s.input.name };
}

/** An effect step's outcome: its tag, the status it reported, the proposal it drafted. */
export function effectOutcome(input: Extract<WorkflowInput, { kind: 'effect' }>): {
  tag: string | null;
  status: string | null;
  proposalId: string | null;
} {
  const r = input.payload.result;
  const value = r.ok ? ((r.value ?? {}) as Record<string, unknown>) : {};
  return {
    tag: input.payload.tag,
    status: r.ok ? str(value['status']) : 'failed',
    proposalId: r.ok ? str(value['proposalId']) : null,
  };
}

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The audit entry of a detail read: who opened which workflow, which parts, under what decision. */
export function detailRead(
  ctx: RequestContext,
  decision: Extract<Decision, { allowed: true }>,
  read: { kind: string; id: string; site: string | null; fields: string[] },
): AuditEntryInput {
  return {
    actor: ctx.actor,
    event: 'phi.read',
    action: 'R',
    outcome: 'success',
    entity: { kind: read.kind, id: read.id },
    fields: read.fields,
    ...(read.site !== null ? { site: read.site } : {}),
    purposeOfUse: decision.purposeOfUse,
    ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
    source: sourceOf(ctx),
  };
}
