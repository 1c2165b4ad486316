/**
 * @module Proposals from outside (issue 18, ADR 0017): an agent or automation service drafts over
 * the API, follows what it drafted, and is told the outcome. Drafting is the desk's own
 * (`ProposalDesk.draftFiled`): the same checks, the same review, the same hash-bound approval and
 * the same applier as Steward's workflows. What is added here: only service accounts draft this
 * way; the request's workflow is the draft's; the drafter's idempotency key is its own
 * (`agent:<account id>:<key>`); the evidence must cite something; the payload may name no other
 * patient; and the drafter reads its proposals back as ids, codes and an outcome in platform
 * words — nothing a reviewer sees of the patient.
 */
import { ForbiddenError, ValidationError, type PurposeOfUse, type RequestContext } from '@steward/core';
import { sourceOf } from '@steward/governance';
import {
  proposalOutcome,
  type DrafterView,
  type OutsideDraft,
  type ProposalStatus,
  type ProposalSummary,
} from '../model/index.js';
import { ProposalStore, toSummary, type ProposalRow } from '../store/index.js';
import type { ProposalDesk } from './proposal-desk.js';
import { patientIdsOf, type ProposalDeps, type SealedBody } from './review-context.js';

/** The drafter's own key: what it sends (the stored key adds `agent:<account id>:`). */
export const outsideKeyPattern = /^[A-Za-z0-9._:-]{1,150}$/;
/** The reason code of an outside draft that names none. */
export const OUTSIDE_REASON_CODE = 'outside-draft';

export interface DrafterQuery {
  /** Only these statuses (default: all). */
  readonly statuses?: readonly ProposalStatus[];
  /** Changed at or after this time. */
  readonly since?: Date;
  /** The `next` of the previous page. */
  readonly cursor?: string;
  /** 1–200, default 50. */
  readonly limit?: number;
}

export interface DrafterPage {
  readonly items: readonly DrafterView[];
  readonly next: string | undefined;
}

/** The stored key and correlation id of an outside draft. */
export function outsideKeyOf(accountId: string, draftKey: string): string {
  return `agent:${accountId}:${draftKey}`;
}

export class OutsideDrafts {
  private readonly store: ProposalStore;

  constructor(
    private readonly deps: ProposalDeps,
    private readonly desk: Pick<ProposalDesk, 'draftFiled'>,
  ) {
    this.store = new ProposalStore(deps.db, deps.cipher);
  }

  /**
   * Drafts for review as the calling service account, in the draft's workflow. `created` is false
   * for a retry with the same key and the same content (the proposal drafted the first time); the
   * same key with anything else is refused (ALREADY_EXISTS). Never auto-approved.
   */
  async draft(ctx: RequestContext, input: OutsideDraft): Promise<{ proposal: DrafterView; created: boolean }> {
    if (ctx.actor.kind !== 'service') {
      await this.deps.audit.append({
        actor: ctx.actor,
        event: 'access.denied',
        action: 'C',
        outcome: 'denied',
        site: input.site,
        ...(typeof input.workflow === 'string' ? { workflow: input.workflow } : {}),
        source: sourceOf(ctx),
        reason: 'not_service:proposal.create',
      });
      throw new ForbiddenError('drafting over the API is for service accounts (the agent or automation role)');
    }
    const problems: { path: string; message: string }[] = [];
    if (ctx.workflow !== undefined && ctx.workflow !== input.workflow)
      problems.push({ path: 'header/x-steward-workflow', message: "the draft's workflow, or leave it out" });
    if (typeof input.draftKey !== 'string' || !outsideKeyPattern.test(input.draftKey))
      problems.push({ path: 'draftKey', message: '1–150 of A-Z a-z 0-9 . _ : -' });
    if (typeof input.workflow !== 'string') problems.push({ path: 'workflow', message: 'required' });
    if (typeof input.rationale !== 'string') problems.push({ path: 'rationale', message: 'required' });
    if (input.evidence.eventIds.length + input.evidence.resources.length === 0)
      problems.push({ path: 'evidence', message: 'at least one EHR event id or resource reference' });
    if (
      patientReferences(input.payload).some(
        (ref) => ref.slice(ref.lastIndexOf('Patient/') + 'Patient/'.length) !== input.patient.ehrId,
      )
    )
      problems.push({ path: 'payload', message: "no reference to a patient other than the draft's patient" });
    if (problems.length === 0) problems.push(...(await this.evidenceProblems(input)));
    if (problems.length > 0) throw new ValidationError('the proposal is not valid', problems);
    const key = outsideKeyOf(ctx.actor.id, input.draftKey);
    const { proposal, created } = await this.desk.draftFiled(
      { ...ctx, workflow: input.workflow },
      { ...input, draftKey: key, correlationId: key },
      { outside: true },
    );
    return { proposal: viewOf(proposal), created };
  }

  /**
   * One proposal as its drafter follows it: for the account that drafted its lineage (while its
   * grant still lets it draft that action type there) or anyone who may read the review queue at
   * its site; for anyone else NOT_FOUND, as for a missing id. A rejection's or a rollback's reason
   * (a person's free text) is opened, so the read is audited with the patient.
   */
  async get(ctx: RequestContext, id: string): Promise<DrafterView> {
    const row = await this.store.row(id);
    if (row !== undefined && row.outside_drafter_id === ctx.actor.id) {
      const decision = await this.drafterDecision(ctx, row);
      if (decision.allowed) return this.opened(ctx, row, decision.purposeOfUse);
    }
    const visible = await this.deps.policy.visible(ctx, 'review.read', 'proposal', row, (r) => ({
      site: r.site,
      entity: { kind: 'Proposal', id },
    }));
    return this.opened(ctx, visible.row, visible.decision.purposeOfUse);
  }

  /**
   * The calling account's own proposals (every revision of what it drafted), by last change, oldest
   * first: a poller passes the last `next` (or `since`) and sees each revision again whenever it
   * moves. Those its grants no longer cover are left out. Audited as a search.
   */
  async list(ctx: RequestContext, query: DrafterQuery = {}): Promise<DrafterPage> {
    const limit = Math.max(1, Math.min(query.limit ?? 50, 200));
    const rows = await this.store.drafted({
      drafterId: ctx.actor.id,
      ...(query.statuses !== undefined ? { statuses: query.statuses } : {}),
      ...(query.since !== undefined ? { since: query.since } : {}),
      ...(query.cursor !== undefined ? { after: DrafterCursor.decode(query.cursor) } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const allowed = new Map<string, { allowed: boolean; purposeOfUse?: PurposeOfUse }>();
    const items: DrafterView[] = [];
    const shown: ProposalRow[] = [];
    for (const row of page) {
      const key = `${row.site} ${row.workflow ?? ''} ${row.action_type}`;
      let d = allowed.get(key);
      if (d === undefined) {
        const decision = await this.drafterDecision(ctx, row);
        d = decision.allowed ? { allowed: true, purposeOfUse: decision.purposeOfUse } : { allowed: false };
        allowed.set(key, d);
      }
      if (!d.allowed) continue;
      items.push(viewOf(toSummary(row)));
      shown.push(row);
    }
    const purpose = [...allowed.values()].find((d) => d.purposeOfUse !== undefined)?.purposeOfUse;
    await this.deps.audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      patientIds: [...new Set(shown.flatMap((r) => (r.patient_id !== null ? [r.patient_id] : [])))],
      entity: { kind: 'Proposal', id: '*' },
      ...(purpose !== undefined ? { purposeOfUse: purpose } : {}),
      source: sourceOf(ctx),
      reason: `outside-proposals:${items.length}`,
    });
    const last = page.at(-1);
    return { items, next: rows.length > limit && last !== undefined ? DrafterCursor.encode(last) : undefined };
  }

  /**
   * Each cited event must be filed (in the EHR journal, or events out made from it), at the draft's
   * site, and of the draft's patient when both are known. A draft's patient Steward cannot place
   * (a connection whose EHR ids the index has not seen, as a screens connection over the same EHR
   * as the FHIR one the event came by) is checked by site alone: the reviewer sees the evidence. One problem per index, the same words
   * whether the event is missing or another site's or patient's (nothing learnt about others' events,
   * and nothing of the event echoed).
   */
  private async evidenceProblems(input: OutsideDraft): Promise<{ path: string; message: string }[]> {
    const ids = input.evidence.eventIds;
    if (ids.length === 0 || this.deps.evidence === undefined) return [];
    const origins = await this.deps.evidence.origins(ids);
    const patient =
      input.patient.stewardId ??
      (await this.deps.patients?.patientIdOf({
        connectionId: input.connectionId ?? '',
        site: input.site,
        ...(input.connectionId !== undefined ? { ehrId: input.patient.ehrId } : {}),
        identifiers: input.patient.identifiers,
      }));
    return ids.flatMap((id, i) => {
      const o = origins.get(id);
      const fits =
        o !== undefined &&
        o.site === input.site &&
        (o.patientId === undefined || patient === undefined || o.patientId === patient);
      return fits
        ? []
        : [{ path: `evidence/eventIds/${i}`, message: "not a filed event of this draft's site and patient" }];
    });
  }

  /** Whether the drafting account may still draft this proposal's action type at its site, in its workflow. */
  private drafterDecision(ctx: RequestContext, row: ProposalRow) {
    const scoped = row.workflow !== null ? { ...ctx, workflow: row.workflow } : ctx;
    return this.deps.policy.decide(scoped, 'proposal.create', {
      site: row.site,
      actionType: row.action_type,
    });
  }

  private async opened(ctx: RequestContext, row: ProposalRow, purposeOfUse: PurposeOfUse): Promise<DrafterView> {
    const rejection =
      row.rejection_enc === null ? undefined : this.store.open<string>('rejection', row.id, row.rejection_enc);
    const rollbackReason =
      row.rollback_reason_enc === null
        ? undefined
        : this.store.open<string>('rollback', row.id, row.rollback_reason_enc);
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    await this.deps.audit.append({
      actor: ctx.actor,
      event: 'phi.read',
      action: 'R',
      outcome: 'success',
      patientIds: await patientIdsOf(this.deps, row, body.patient),
      entity: { kind: 'Proposal', id: row.id, version: row.revision },
      fields: [
        'status',
        ...(rejection !== undefined ? ['rejection'] : []),
        ...(rollbackReason !== undefined ? ['rollbackReason'] : []),
      ],
      site: row.site,
      ...(row.workflow !== null ? { workflow: row.workflow } : {}),
      purposeOfUse,
      source: sourceOf(ctx),
    });
    return viewOf(toSummary(row), { rejection, rollbackReason });
  }
}

/** A proposal as its outside drafter sees it: no patient, no payload; the outcome with what was opened. */
export function viewOf(
  p: ProposalSummary,
  opened: { readonly rejection?: string | undefined; readonly rollbackReason?: string | undefined } = {},
): DrafterView {
  return {
    id: p.id,
    lineageId: p.lineageId,
    revision: p.revision,
    status: p.status,
    outcome: proposalOutcome(p, opened),
    action: p.action,
    connectionId: p.connectionId,
    site: p.site,
    workflow: p.workflow,
    draftKey: p.correlationId?.replace(/^agent:[0-9a-f-]{36}:/i, ''),
    target: p.target,
    baseVersion: p.baseVersion,
    contentHash: p.contentHash,
    reasonCode: p.reasonCode,
    supersedes: p.supersedes,
    supersededBy: p.supersededBy,
    approvedAt: p.approvedAt,
    committed: p.committed,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** The drafter list's keyset cursor: the (updated_at, id) of a page's last row, opaque to callers. */
export const DrafterCursor = {
  encode(row: Pick<ProposalRow, 'updated_at' | 'id'>): string {
    return Buffer.from(JSON.stringify([row.updated_at.toISOString(), row.id]), 'utf8').toString('base64url');
  },
  decode(cursor: string): { updatedAt: Date; id: string } {
    try {
      const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
      if (
        typeof at === 'string' &&
        typeof id === 'string' &&
        /^[0-9a-f-]{36}$/i.test(id) &&
        !Number.isNaN(Date.parse(at))
      )
        return { updatedAt: new Date(at), id };
    } catch {
      // the one error below
    }
    throw new ValidationError('invalid cursor', [{ path: 'cursor', message: 'the next of a previous page' }]);
  },
};

/** Every reference to a Patient in a payload (relative, or absolute ending in Patient/<id>). */
function patientReferences(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (/^Patient\/[^/]+$/.test(value) || /\/Patient\/[^/]+$/.test(value)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) patientReferences(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) patientReferences(v, out);
  }
  return out;
}
