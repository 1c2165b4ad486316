/**
 * @module What the referral and follow-up detail reads share: the governed read itself (decide on
 * the workflow's site, read its state and history, audit the read), a workflow's state and history
 * read back (capped: a workflow has tens of steps, a runaway one is cut, oldest kept), the fields
 * every step has whatever its workflow, and the audit entry of the detail read.
 */
import { NotFoundError, type RequestContext } from '@steward/core';
import {
  sourceOf,
  type AuditEntryInput,
  type AuditLog,
  type Decision,
  type PolicyDecisionPoint,
} from '@steward/governance';
import type { Sql } from '@steward/store';
import { proposalStates } from '@steward/proposals';
import type { WorkflowInput } from '../engine/index.js';
import { patientsOf } from './workflow-patients.js';

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
  read: { kind: string; id: string; site: string | null; fields: string[]; patientIds?: readonly string[] },
): AuditEntryInput {
  return {
    actor: ctx.actor,
    event: 'phi.read',
    action: 'R',
    outcome: 'success',
    ...(read.patientIds !== undefined && read.patientIds.length > 0 ? { patientIds: read.patientIds } : {}),
    entity: { kind: read.kind, id: read.id },
    fields: read.fields,
    ...(read.site !== null ? { site: read.site } : {}),
    purposeOfUse: decision.purposeOfUse,
    ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
    source: sourceOf(ctx),
  };
}

export interface DetailReadDeps {
  readonly db: Sql;
  readonly policy: Pick<PolicyDecisionPoint, 'visible'>;
  readonly audit: Pick<AuditLog, 'append'>;
}

/** One workflow's detail read: which workflow, found how, decided under which permission, audited as what. */
export interface DetailRead<I extends { readonly site: string | null }> {
  /** The permission decided at the workflow's site. */
  readonly action: 'phi.search' | 'phi.read';
  /** What a not-found answer names (`referral`, `follow-up`). */
  readonly label: string;
  /** The audited entity kind (`Referral`, `Followup`) and the workflow's id and type. */
  readonly kind: string;
  readonly id: string;
  readonly type: string;
  /** The workflow's list row, undefined when there is none. */
  readonly find: () => Promise<I | undefined>;
  /** The parts of the detail the read is audited as having shown. */
  readonly fields: string[];
}

/**
 * Decides on the workflow's site (out of scope answers not-found, so ids are not probed; a denial
 * is audited), reads its state and history, runs `more` (further governed reads that belong to the
 * answer), then audits the read. Nothing is audited as read when any step fails.
 */
export async function readDetail<I extends { readonly site: string | null }, S, X = undefined>(
  deps: DetailReadDeps,
  ctx: RequestContext,
  read: DetailRead<I>,
  more?: (item: I) => Promise<X>,
): Promise<{ readonly item: I; readonly state: S; readonly steps: StoredStep[]; readonly more: X }> {
  const { row: item, decision } = await deps.policy.visible(ctx, read.action, read.label, await read.find(), (r) => ({
    ...(r.site !== null ? { site: r.site } : {}),
    entity: { kind: read.kind, id: read.id },
  }));
  const state = await workflowState<S>(deps.db, read.id, read.type);
  if (state === undefined) throw new NotFoundError(read.label);
  const steps = await workflowSteps(deps.db, read.id);
  const extra = (more !== undefined ? await more(item) : undefined) as X;
  const patientIds = await patientsOf(deps.db, [read.id]);
  await deps.audit.append(
    detailRead(ctx, decision, { kind: read.kind, id: read.id, site: item.site, fields: read.fields, patientIds }),
  );
  return { item, state, steps, more: extra };
}

/**
 * A workflow's record of its proposals is what they were when drafted ("pending_review" forever);
 * these are brought to where each stands now (written, rejected, failed), an edited one to its
 * latest revision's state, with that revision's id in `revisedTo`.
 */
export async function currentProposals<
  P extends { readonly proposalId: string | null; readonly status: string | null },
>(db: Sql, items: readonly P[]): Promise<(P & { revisedTo: string | null })[]> {
  const states = await proposalStates(
    db,
    items.flatMap((p) => (p.proposalId !== null ? [p.proposalId] : [])),
  );
  return items.map((p) => {
    const now = p.proposalId !== null ? states.get(p.proposalId) : undefined;
    if (now === undefined) return { ...p, revisedTo: null };
    return { ...p, status: now.status, revisedTo: now.latestId !== p.proposalId ? now.latestId : null };
  });
}
