/**
 * @module The review desk: drafting proposals, approving or rejecting them, editing (a new
 * revision), assigning, and the queue. Every move is checked against the state machine in SQL
 * and audited in the same transaction. Approval binds to the content hash the reviewer saw; the
 * drafter of a revision never approves it; the role an approval policy names is required.
 */
import { canonicalJson } from '@steward/governance';
import {
  ConflictError,
  ForbiddenError,
  UnexpectedError,
  ValidationError,
  newId,
  type PurposeOfUse,
  type RequestContext,
} from '@steward/core';
import {
  contentHash,
  type ActionType,
  type ConflictDiff,
  type ProposalDetail,
  type ProposalDraft,
  type ProposalStatus,
  type ProposalSummary,
} from '../model/index.js';
import { NO_DUE_TIME, ProposalStore, toSummary, type NewProposalRow, type ProposalRow } from '../store/index.js';
import { checkDraft, checkEdit, checkPayload } from './draft-check.js';
import {
  actionsOf,
  actorOf,
  clockOf,
  patientIdsOf,
  proposalEntry,
  type ProposalDeps,
  type SealedBody,
} from './review-context.js';
import { QueueCursor } from './queue-cursor.js';
import { allowedActionsOf, refusalOf, viewerRights } from './allowed-actions.js';

export interface ApproveInput {
  /** The content hash the reviewer saw; the approval binds to it. */
  readonly contentHash: string;
}

export interface QueueQuery {
  /** Default `pending_review`. */
  readonly status?: ProposalStatus | readonly ProposalStatus[];
  readonly site?: string;
  readonly workflow?: string;
  readonly patientId?: string;
  /** Found by keyed blind index, never stored in the clear. */
  readonly patientIdentifier?: { readonly system: string; readonly value: string };
  readonly actionType?: ActionType;
  readonly assignee?: string;
  /** The `next` of the previous page. */
  readonly cursor?: string;
  /** 1–200, default 50. */
  readonly limit?: number;
}

export interface QueuePage {
  readonly items: readonly ProposalSummary[];
  /** Pass as `cursor` for the next page; undefined on the last page. */
  readonly next: string | undefined;
}

export class ProposalDesk {
  private readonly store: ProposalStore;

  constructor(private readonly deps: ProposalDeps) {
    this.store = new ProposalStore(deps.db, deps.cipher);
  }

  /**
   * Files a proposal for review. If the approval policy for exactly this action type says
   * `auto`, it is approved at once by `policy:<version>`, recorded on the proposal (never a
   * proposal drafted from outside: see `draftFiled`).
   * The same `draftKey` drafts once: a retry returns the proposal drafted the first time.
   */
  async draft(ctx: RequestContext, input: ProposalDraft): Promise<ProposalSummary> {
    return (await this.draftFiled(ctx, input)).proposal;
  }

  /**
   * `draft`, saying whether this call filed it (`created`) or found it filed under its draft key.
   * `outside`: an outside service drafts it over the API (ADR 0017): the lineage records the
   * drafting account, which may follow it and may never approve any revision of it, and no approval
   * policy approves it. A draft by a grant of the `agent` role is outside however it arrives.
   * Drafting needs `proposal.create` at the site, in the request's workflow, for the action type.
   */
  async draftFiled(
    ctx: RequestContext,
    input: ProposalDraft,
    options: {
      readonly outside?: boolean;
      /**
       * A drafter's own policy that approves this draft (intake's per-site policy naming a document
       * type: `intake-policy:<site>:<version>`), used when no approval policy of the action type does.
       * Never for an outside draft. Recorded as the approver, like `policy:<version>`.
       */
      readonly approvedByPolicy?: string;
    } = {},
  ): Promise<{ readonly proposal: ProposalSummary; readonly created: boolean }> {
    const action = checkDraft(input, actionsOf(this.deps));
    const decision = await this.deps.policy.enforce(ctx, 'proposal.create', {
      site: input.site,
      actionType: input.action,
    });
    const outsideDrafter = options.outside === true || decision.grant?.role === 'agent' ? ctx.actor.id : undefined;
    if (input.draftKey !== undefined) {
      const existing = await this.store.byDraftKey(input.draftKey);
      if (existing !== undefined) return { proposal: this.sameDraft(existing, input), created: false };
    }
    const id = newId();
    const now = clockOf(this.deps).now();
    const body: SealedBody = { payload: input.payload, patient: input.patient, evidence: input.evidence };
    const hash = contentHash({
      action: input.action,
      connectionId: input.connectionId,
      target: input.target,
      baseVersion: input.baseVersion,
      payload: input.payload,
      patient: input.patient,
    });
    const firstId = input.patient.identifiers[0];
    const patientId = input.patient.stewardId ?? (await this.patientOf(input));
    const row: NewProposalRow = {
      ...emptyOutcome,
      id,
      lineage_id: id,
      revision: 1,
      supersedes: null,
      superseded_by: null,
      status: 'drafted',
      action_type: input.action,
      connection_id: input.connectionId ?? null,
      site: input.site,
      workflow: input.workflow ?? null,
      correlation_id: input.correlationId ?? null,
      draft_key: input.draftKey ?? null,
      patient_id: patientId ?? null,
      patient_key: firstId !== undefined ? this.store.patientKey(firstId) : null,
      target_type: input.target.resourceType,
      target_id: input.target.id ?? null,
      base_version: input.baseVersion ?? null,
      content_hash: hash,
      body_enc: this.store.seal('body', id, body),
      reason_code: input.evidence.reasonCode,
      drafted_by_kind: ctx.actor.kind,
      drafted_by_id: ctx.actor.id,
      priority: input.priority ?? 3,
      due_at: input.dueAt ?? NO_DUE_TIME,
      assignee_id: null,
      // An action that cannot be undone is never reversible, whatever the draft says; its reason shows before approval.
      reversible: action.reversible ? (input.reversible ?? true) : false,
      irreversible_reason: input.irreversibleReason ?? (action.reversible ? null : (action.irreversibleReason ?? null)),
      outside_drafter_id: outsideDrafter ?? null,
      rationale_enc: input.rationale !== undefined ? this.store.seal('rationale', id, input.rationale) : null,
      created_at: now,
    };
    if (!row.reversible && row.irreversible_reason === null) throw new UnexpectedError('irreversible without a reason');
    const actor = actorOf(ctx);
    const result = await this.deps.audit.transact(
      async (tx) => {
        const policy = await this.store.currentPolicy(input.action, tx);
        // An outside drafter's proposal always waits for a person, whatever the policy says (ADR 0017).
        const auto = policy?.mode === 'auto' && outsideDrafter === undefined ? Number(policy.version) : undefined;
        const own = auto === undefined && outsideDrafter === undefined ? options.approvedByPolicy : undefined;
        if (!(await this.store.insert(tx, { ...row, policy_version: auto ?? null }, actor, now))) {
          return { inserted: false as const, auto, own };
        }
        if (auto === undefined && own === undefined) {
          await this.store.move(tx, row, 'drafted', 'pending_review', actor, now);
        } else {
          const by = { kind: 'policy' as const, id: own ?? `policy:${String(auto)}` };
          await this.store.move(tx, row, 'drafted', 'approved', by, now, {
            reasonCode: 'auto-approved',
            changes: { approved_by_kind: by.kind, approved_by_id: by.id, approved_hash: hash, approved_at: now },
          });
        }
        return { inserted: true as const, auto, own };
      },
      (r) =>
        r.inserted
          ? [
              proposalEntry(ctx, 'proposal.drafted', row, {
                purposeOfUse: decision.purposeOfUse,
                ...(outsideDrafter !== undefined ? { reason: 'outside' } : {}),
              }),
              ...(r.auto !== undefined
                ? [proposalEntry(ctx, 'proposal.approved', row, { reason: `policy:${r.auto}` })]
                : r.own !== undefined
                  ? [proposalEntry(ctx, 'proposal.approved', row, { reason: r.own })]
                  : []),
            ]
          : [proposalEntry(ctx, 'proposal.drafted', row, { outcome: 'failure', reason: 'duplicate-draft-key' })],
    );
    if (!result.inserted && input.draftKey !== undefined) {
      const existing = await this.store.byDraftKey(input.draftKey);
      if (existing !== undefined) return { proposal: this.sameDraft(existing, input), created: false };
    }
    return { proposal: await this.summary(id), created: true };
  }

  /** Approves exactly the content with `contentHash`. Refuses the drafter, a changed payload, and a missing role. */
  async approve(ctx: RequestContext, id: string, input: ApproveInput): Promise<ProposalSummary> {
    const { row, decision } = await this.visible(ctx, id, 'review.decide');
    const refuse = async (reason: string, error: Error): Promise<never> => {
      await this.deps.audit.append(proposalEntry(ctx, 'proposal.approved', row, { outcome: 'denied', reason }));
      throw error;
    };
    const rights = await viewerRights(this.deps, this.store, ctx, row, true);
    const refusal = refusalOf('approve', row, rights, actionsOf(this.deps));
    // The same rule the API answers as `allowedActions`: what the console offers is what is accepted.
    if (refusal?.kind === 'state') throw new ConflictError('VERSION_CONFLICT', refusal.reason);
    if (refusal !== undefined)
      await refuse(refusal.kind === 'self' ? 'self-approval' : 'role-required', new ForbiddenError(refusal.reason));
    if (input.contentHash !== row.content_hash)
      await refuse(
        'hash-mismatch',
        new ConflictError('VERSION_CONFLICT', 'the proposal is not the content that was reviewed: review it again'),
      );
    this.checkIntegrity(row);
    const policy = rights.policy;
    const now = clockOf(this.deps).now();
    const by = actorOf(ctx);
    await this.deps.audit.transact(
      (tx) =>
        this.store.move(tx, row, 'pending_review', 'approved', by, now, {
          hash: input.contentHash,
          reasonCode: policy === undefined ? 'reviewed' : `reviewed:policy:${String(policy.version)}`,
          changes: {
            approved_by_kind: by.kind,
            approved_by_id: by.id,
            approved_hash: input.contentHash,
            approved_at: now,
          },
        }),
      () => [proposalEntry(ctx, 'proposal.approved', row, { purposeOfUse: decision.purposeOfUse })],
    );
    return this.summary(id);
  }

  /** Rejects a pending proposal. The note is sealed (it may mention the patient). */
  async reject(ctx: RequestContext, id: string, reason: string): Promise<ProposalSummary> {
    const { row, decision } = await this.visible(ctx, id, 'review.decide');
    if (reason.trim() === '' || reason.length > 2000)
      throw new ValidationError('a rejection needs a reason', [{ path: 'reason', message: '1–2000 characters' }]);
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      (tx) =>
        this.store.move(tx, row, row.status, 'rejected', actorOf(ctx), now, {
          reasonCode: 'rejected',
          changes: { rejection_enc: this.store.seal('rejection', id, reason) },
        }),
      () => [proposalEntry(ctx, 'proposal.rejected', row, { purposeOfUse: decision.purposeOfUse })],
    );
    return this.summary(id);
  }

  /**
   * Replaces the payload: a new revision drafted by the editor (who therefore cannot approve it),
   * superseding this one, pending review. Same target, base version, patient and evidence.
   */
  async edit(ctx: RequestContext, id: string, payload: Readonly<Record<string, unknown>>): Promise<ProposalSummary> {
    const { row, decision } = await this.visible(ctx, id, 'review.decide');
    if (!['pending_review', 'approved', 'failed'].includes(row.status))
      throw new ConflictError('VERSION_CONFLICT', `a ${row.status} proposal cannot be edited`);
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    const problems: { path: string; message: string }[] = [];
    const bad = (path: string, message: string): void => void problems.push({ path, message });
    checkPayload(actionsOf(this.deps).get(row.action_type), row.target_id ?? undefined, payload, bad);
    checkEdit(body.payload, payload, bad);
    if (problems.length > 0) throw new ValidationError('the edited payload is not valid', problems);
    const now = clockOf(this.deps).now();
    const next = reviseRow(this.store, row, { ...body, payload }, actorOf(ctx), now, {});
    await this.deps.audit.transact(
      async (tx) => {
        await this.store.insert(tx, next, actorOf(ctx), now);
        await this.store.move(tx, next, 'drafted', 'pending_review', actorOf(ctx), now);
        await this.store.move(tx, row, row.status, 'superseded', actorOf(ctx), now, {
          reasonCode: 'edited',
          changes: { superseded_by: next.id },
        });
      },
      () => [proposalEntry(ctx, 'proposal.drafted', next, { purposeOfUse: decision.purposeOfUse, reason: 'edited' })],
    );
    return this.summary(next.id);
  }

  /** Assigns a proposal to a reviewer (or unassigns with null). Not a state move: audited, no history row. */
  async assign(ctx: RequestContext, id: string, assigneeId: string | null): Promise<ProposalSummary> {
    const { row, decision } = await this.visible(ctx, id, 'review.decide');
    if (assigneeId !== null && !/^[0-9a-f-]{36}$/i.test(assigneeId))
      throw new ValidationError('invalid assignee', [{ path: 'assigneeId', message: 'a user id' }]);
    await this.deps.audit.transact(
      async (tx) => {
        const ok = await this.store.setAssignee(tx, id, assigneeId, clockOf(this.deps).now());
        if (!ok) throw new ConflictError('VERSION_CONFLICT', `a ${row.status} proposal cannot be assigned`);
      },
      () => [
        proposalEntry(ctx, 'proposal.assigned', row, {
          purposeOfUse: decision.purposeOfUse,
          reason: assigneeId === null ? 'unassigned' : 'assigned',
        }),
      ],
    );
    return this.summary(id);
  }

  /**
   * One page of the queue, ordered by priority (1 first), then due time, then id, by keyset. With
   * `site`, `review.read` is needed at that site; without, at every site (a `*` grant).
   */
  async list(ctx: RequestContext, query: QueueQuery = {}): Promise<QueuePage> {
    const decision = await this.deps.policy.enforce(
      ctx,
      'review.read',
      query.site !== undefined ? { site: query.site } : {},
    );
    const limit = Math.max(1, Math.min(query.limit ?? 50, 200));
    const statuses =
      query.status === undefined
        ? ['pending_review' as const]
        : typeof query.status === 'string'
          ? [query.status]
          : query.status;
    const rows = await this.store.queue({
      statuses,
      ...(query.site !== undefined ? { sites: [query.site] } : {}),
      ...(query.workflow !== undefined ? { workflow: query.workflow } : {}),
      ...(query.patientId !== undefined ? { patientId: query.patientId } : {}),
      ...(query.patientIdentifier !== undefined ? { patientKey: this.store.patientKey(query.patientIdentifier) } : {}),
      ...(query.actionType !== undefined ? { actionType: query.actionType } : {}),
      ...(query.assignee !== undefined ? { assigneeId: query.assignee } : {}),
      ...(query.cursor !== undefined ? { after: QueueCursor.decode(query.cursor) } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    await this.deps.audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      patientIds: [...new Set(page.flatMap((r) => (r.patient_id !== null ? [r.patient_id] : [])))],
      entity: { kind: 'Proposal', id: '*' },
      ...(query.site !== undefined ? { site: query.site } : {}),
      purposeOfUse: decision.purposeOfUse,
      reason: `proposals:${page.length}`,
    });
    return {
      items: await this.withRights(ctx, page, (row) => ({ ...toSummary(row), change: this.changeOf(row) })),
      next: rows.length > limit && last !== undefined ? QueueCursor.encode(last) : undefined,
    };
  }

  /**
   * Each row's summary with what the reader may do with it, by the rule the decisions enforce;
   * the reader's rights are read once per site and action type, not per row.
   */
  private async withRights(
    ctx: RequestContext,
    rows: readonly ProposalRow[],
    summarise: (row: ProposalRow) => ProposalSummary,
  ): Promise<ProposalSummary[]> {
    const rights = new Map<string, Awaited<ReturnType<typeof viewerRights>>>();
    const out: ProposalSummary[] = [];
    for (const row of rows) {
      const key = `${row.site} ${row.action_type}`;
      let r = rights.get(key);
      if (r === undefined) rights.set(key, (r = await viewerRights(this.deps, this.store, ctx, row)));
      out.push({ ...summarise(row), allowedActions: allowedActionsOf(row, r, actionsOf(this.deps)) });
    }
    return out;
  }

  /** The change in the words of its action's `render` (from the sealed body), for the queue's one line. */
  private changeOf(row: ProposalRow): { title: string; lines: readonly string[] } {
    const actions = actionsOf(this.deps);
    if (!actions.has(row.action_type)) return { title: row.action_type, lines: [] };
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    return actions.render(row.action_type, body.payload);
  }

  /** The Steward patient of a draft that names only its EHR patient, looked up in the patient index. */
  private async patientOf(input: ProposalDraft): Promise<string | undefined> {
    if (this.deps.patients === undefined) return undefined;
    return this.deps.patients.patientIdOf({
      connectionId: input.connectionId ?? '',
      site: input.site,
      ...(input.connectionId !== undefined ? { ehrId: input.patient.ehrId } : {}),
      identifiers: input.patient.identifiers,
    });
  }

  /** A proposal opened for review: payload, patient, evidence, conflict diff, history. Audited as a read. */
  async get(ctx: RequestContext, id: string): Promise<ProposalDetail> {
    const { row, decision } = await this.visible(ctx, id, 'review.read');
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    const [summary] = await this.withRights(ctx, [row], toSummary);
    const detail: ProposalDetail = {
      ...summary!,
      payload: body.payload,
      patient: body.patient,
      evidence: body.evidence,
      diff: row.diff_enc === null ? undefined : this.store.open<ConflictDiff>('diff', row.id, row.diff_enc),
      rejection:
        row.rejection_enc === null ? undefined : this.store.open<string>('rejection', row.id, row.rejection_enc),
      ...(row.rollback_reason_enc !== null
        ? { rollbackReason: this.store.open<string>('rollback', row.id, row.rollback_reason_enc) }
        : {}),
      ...(row.rationale_enc !== null
        ? { rationale: this.store.open<string>('rationale', row.id, row.rationale_enc) }
        : {}),
      history: await this.store.historyOf(row.id),
    };
    await this.deps.audit.append({
      actor: ctx.actor,
      event: 'phi.read',
      action: 'R',
      outcome: 'success',
      patientIds: await patientIdsOf(this.deps, row, body.patient),
      entity: { kind: 'Proposal', id: row.id, version: row.revision },
      fields: [
        'payload',
        'evidence',
        ...(detail.diff !== undefined ? ['diff'] : []),
        ...(detail.rationale !== undefined ? ['rationale'] : []),
      ],
      site: row.site,
      purposeOfUse: decision.purposeOfUse,
    });
    return detail;
  }

  /**
   * What became of proposals a drafter inside Steward made and follows (intake's filings): status,
   * the resource written, the error's code, the revision that replaced an edited one. Ids and codes
   * only, no PHI, for the host's own services: no route reaches it (a caller outside follows its
   * drafts through `OutsideDrafts`, decided and audited).
   */
  async filingOutcomes(
    ids: readonly string[],
  ): Promise<
    ReadonlyMap<
      string,
      { status: string; written?: string; errorCode?: string; retrying: boolean; supersededBy?: string }
    >
  > {
    const out = new Map<
      string,
      { status: string; written?: string; errorCode?: string; retrying: boolean; supersededBy?: string }
    >();
    for (const id of new Set(ids)) {
      const row = await this.store.row(id);
      if (row === undefined) continue;
      const s = toSummary(row);
      out.set(id, {
        status: s.status,
        ...(s.committed?.id !== undefined ? { written: `${s.target.resourceType}/${s.committed.id}` } : {}),
        ...(s.error !== undefined ? { errorCode: s.error.code } : {}),
        retrying: s.error?.nextAttemptAt !== undefined,
        ...(s.supersededBy !== undefined ? { supersededBy: s.supersededBy } : {}),
      });
    }
    return out;
  }

  /** A proposal's summary (ids and codes, no PHI), for whoever may decide it at its site; not-found otherwise. */
  async summaryFor(ctx: RequestContext, id: string): Promise<ProposalSummary> {
    const { row } = await this.visible(ctx, id, 'review.decide');
    return toSummary(row);
  }

  private async summary(id: string): Promise<ProposalSummary> {
    const row = await this.store.row(id);
    if (row === undefined) throw new UnexpectedError('a proposal vanished after it was written');
    return toSummary(row);
  }

  /** The proposal, or NOT_FOUND (also when the caller may not act at its site: scope is not probed). */
  private async visible(
    ctx: RequestContext,
    id: string,
    action: 'review.read' | 'review.decide',
  ): Promise<{ row: ProposalRow; decision: { purposeOfUse: PurposeOfUse } }> {
    return this.deps.policy.visible(ctx, action, 'proposal', await this.store.row(id), (r) => ({
      site: r.site,
      entity: { kind: 'Proposal', id },
    }));
  }

  /** A retried draft with the same key must be the same content; else the key was reused by mistake. */
  private sameDraft(existing: ProposalRow, input: ProposalDraft): ProposalSummary {
    const hash = contentHash({
      action: input.action,
      connectionId: input.connectionId,
      target: input.target,
      baseVersion: input.baseVersion,
      payload: input.payload,
      patient: input.patient,
    });
    if (existing.revision === 1 && existing.content_hash !== hash)
      throw new ConflictError('ALREADY_EXISTS', 'this draft key was used for a different proposal');
    // An outside drafter's retry is the same request throughout: where, why and with what evidence too.
    if (existing.outside_drafter_id !== null && !this.sameRequest(existing, input))
      throw new ConflictError('ALREADY_EXISTS', 'this draft key was used for a different proposal');
    return toSummary(existing);
  }

  private sameRequest(existing: ProposalRow, input: ProposalDraft): boolean {
    const body = this.store.open<SealedBody>('body', existing.id, existing.body_enc);
    const rationale =
      existing.rationale_enc === null
        ? undefined
        : this.store.open<string>('rationale', existing.id, existing.rationale_enc);
    return (
      existing.site === input.site &&
      existing.workflow === (input.workflow ?? null) &&
      existing.priority === (input.priority ?? 3) &&
      existing.due_at.getTime() === (input.dueAt ?? NO_DUE_TIME).getTime() &&
      rationale === input.rationale &&
      canonicalJson(body.evidence) === canonicalJson(input.evidence)
    );
  }

  /** The stored hash must still be the hash of the sealed content (a row altered in the database is refused). */
  private checkIntegrity(row: ProposalRow): void {
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    const target =
      row.target_id === null ? { resourceType: row.target_type } : { resourceType: row.target_type, id: row.target_id };
    const hash = contentHash({
      action: row.action_type,
      connectionId: row.connection_id ?? undefined,
      target,
      baseVersion: row.base_version ?? undefined,
      payload: body.payload,
      patient: body.patient,
    });
    if (hash !== row.content_hash) throw new UnexpectedError('a proposal does not match its content hash');
  }
}

const emptyOutcome = {
  policy_version: null,
  approved_by_kind: null,
  approved_by_id: null,
  approved_hash: null,
  approved_at: null,
  rejection_enc: null,
  rollback_reason_enc: null,
  diff_enc: null,
  prior_enc: null,
  prior_version: null,
  committed_id: null,
  committed_version: null,
  rolled_back_version: null,
  error_code: null,
  error_retryable: null,
  attempts: 0,
  next_attempt_at: null,
} as const;

/**
 * The next revision of `row` with `body`: same lineage, target, patient, queue position and
 * reversibility; a fresh content hash; optionally another base version and a conflict diff.
 */
export function reviseRow(
  store: ProposalStore,
  row: ProposalRow,
  body: SealedBody,
  drafter: { kind: ProposalRow['drafted_by_kind']; id: string },
  now: Date,
  change: { readonly baseVersion?: string; readonly diff?: ConflictDiff },
): NewProposalRow {
  const id = newId();
  const baseVersion = change.baseVersion ?? row.base_version ?? undefined;
  const target =
    row.target_id === null ? { resourceType: row.target_type } : { resourceType: row.target_type, id: row.target_id };
  return {
    ...emptyOutcome,
    id,
    lineage_id: row.lineage_id,
    revision: row.revision + 1,
    supersedes: row.id,
    superseded_by: null,
    status: 'drafted',
    action_type: row.action_type,
    connection_id: row.connection_id,
    site: row.site,
    workflow: row.workflow,
    correlation_id: row.correlation_id,
    draft_key: null,
    patient_id: row.patient_id,
    patient_key: row.patient_key,
    target_type: row.target_type,
    target_id: row.target_id,
    base_version: baseVersion ?? null,
    content_hash: contentHash({
      action: row.action_type,
      connectionId: row.connection_id ?? undefined,
      target,
      baseVersion,
      payload: body.payload,
      patient: body.patient,
    }),
    body_enc: store.seal('body', id, body),
    reason_code: row.reason_code,
    drafted_by_kind: drafter.kind,
    drafted_by_id: drafter.id,
    priority: row.priority,
    due_at: row.due_at,
    assignee_id: row.assignee_id,
    reversible: row.reversible,
    irreversible_reason: row.irreversible_reason,
    diff_enc: change.diff !== undefined ? store.seal('diff', id, change.diff) : null,
    // Still the outside drafter's lineage, with its reasoning (sealed again, bound to the new row).
    outside_drafter_id: row.outside_drafter_id,
    rationale_enc:
      row.rationale_enc === null
        ? null
        : store.seal('rationale', id, store.open<string>('rationale', row.id, row.rationale_enc)),
    created_at: now,
  };
}
