/**
 * @module The applier: commits approved proposals, and only those, exactly as approved. EHR
 * actions go through the one EHR writer (If-Match on the base version; creates keyed by proposal
 * id and revision, so a retry never duplicates) and are then verified by reading back; channel
 * actions (messages) go through the committer registered for their action type. Before an update,
 * the version it replaces is kept (sealed) so a rollback can restore it through the same path.
 * A conflict (the EHR changed since drafting) records the diff and files a new revision, rebased
 * on the current version, back in review. Every move is audited with it, in one transaction.
 */
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  OperationalError,
  UnexpectedError,
  UserError,
  isStewardError,
  type RequestContext,
} from '@steward/core';
import type { WriteOutcome, WriteProvenance, WriteRequest } from '@steward/ehr';
import type { ActionDefinition, ActionRegistry } from '../actions/index.js';
import { contentHash, diffResources, rebase, type ConflictDiff } from '../model/index.js';
import { ProposalStore, toSummary, type ProposalRow } from '../store/index.js';
import {
  actionsOf,
  actorOf,
  clockOf,
  proposalEntry,
  refusalOf,
  reviseRow,
  type ProposalDeps,
  type SealedBody,
} from '../review/index.js';
import type { EhrPort } from './ehr-port.js';
import { holds } from './in-memory-ehr.js';
import { defaultRetryPolicy, inParallel, retryDelay, type RetryPolicy } from './retry-policy.js';
import type { ApplierOptions, CommitResult, ProposalCommitter } from './applier-types.js';

/** How long a writer's claim on an approved proposal lasts unless the options say (ApplierOptions.writeClaimMs). */
const defaultWriteClaimMs = 2 * 60_000;

export class ProposalApplier {
  private readonly store: ProposalStore;
  private readonly retryPolicy: Required<RetryPolicy>;
  private readonly actions: ActionRegistry;

  /**
   * `committers`: the committer of each channel action type (messaging). Each action's definition
   * (`deps.actions`, default the built-in ones) says how it is committed and undone.
   */
  constructor(
    private readonly deps: ProposalDeps,
    private readonly ehr: EhrPort,
    private readonly committers: Readonly<Record<string, ProposalCommitter>> = {},
    private readonly options: ApplierOptions = {},
  ) {
    this.store = new ProposalStore(deps.db, deps.cipher);
    this.retryPolicy = { ...defaultRetryPolicy, ...options.retry };
    this.actions = actionsOf(deps);
  }

  /**
   * Commits every approved proposal waiting (up to `limit`), e.g. those an approval policy approved
   * at draft time, after putting back the passing failures whose next try is due. Each is committed
   * as `ctx` (which needs `ehr.write` or `review.decide` at the proposal's site), `concurrency` at a
   * time; one that fails is retried later or waits for review, and the rest go on.
   */
  async commitApproved(
    ctx: RequestContext,
    limit = 50,
    options: { readonly concurrency?: number } = {},
  ): Promise<CommitResult[]> {
    const now = clockOf(this.deps).now();
    for (const id of await this.store.retryDueIds(now, limit)) {
      await this.skipRefused(() => this.requeue(ctx, id));
    }
    const ids = await this.store.approvedIds(limit);
    const results: CommitResult[] = [];
    await inParallel(ids, options.concurrency ?? 1, async (id) => {
      const r = await this.skipRefused(() => this.commit(ctx, id));
      if (r !== undefined) results.push(r);
    });
    return results;
  }

  /**
   * Reads back EHR writes recorded as committed and not verified for at least `settledForMs`: the
   * process that wrote them died (or the EHR was unreachable) before it could verify. Each ends
   * verified, or, when the EHR does not hold it, failed for a passing reason and retried through
   * the same idempotent path (a create keyed by the proposal, an update with If-Match), so nothing
   * is written twice. Run on the applier's start (`settledForMs` 0) and then now and again.
   */
  async reverifyCommitted(
    ctx: RequestContext,
    options: { readonly settledForMs?: number; readonly limit?: number } = {},
  ): Promise<CommitResult[]> {
    const before = new Date(clockOf(this.deps).now().getTime() - (options.settledForMs ?? 0));
    const results: CommitResult[] = [];
    for (const id of await this.store.committedIds(before, options.limit ?? 100, this.actions.channelTypes())) {
      const r = await this.skipRefused(() => this.verify(ctx, id));
      if (r !== undefined) results.push(r);
    }
    return results;
  }

  /** What write-back work is still open (approved, waiting for a retry, committed unverified). */
  openWork(): Promise<{ approved: number; retrying: number; committed: number }> {
    return this.store.openWork(this.actions.channelTypes());
  }

  /**
   * Commits an approved proposal. The caller needs `review.decide` or `ehr.write` at its site (a
   * reviewer's "apply now", or the applier service); the EHR write itself is made by the
   * connection's interface actor. Committing a proposal already committed returns it unchanged.
   */
  async commit(ctx: RequestContext, id: string): Promise<CommitResult> {
    const row = await this.load(id);
    await this.authorizeCommit(ctx, row);
    if (row.status === 'committed' || row.status === 'verified')
      return { status: row.status, proposal: toSummary(row) };
    if (row.status !== 'approved')
      throw new ConflictError('VERSION_CONFLICT', `the proposal is ${row.status}, not approved`);
    const action = this.actions.get(row.action_type);
    const body = this.approvedBody(row, action);
    // One writer at a time (migration 054): another holds the claim, so it is being written now.
    const claimedAt = clockOf(this.deps).now();
    const claimUntil = new Date(claimedAt.getTime() + (this.options.writeClaimMs ?? defaultWriteClaimMs));
    if (!(await this.store.claimWrite(row.id, claimedAt, claimUntil)))
      return { status: row.status, proposal: toSummary(row) };
    try {
      return await this.commitClaimed(ctx, row, action, body);
    } catch (e) {
      // Refused before any write (no committer for it, say): the claim ends, so the next try is not
      // held back for the claim's whole time. Every outcome that moved the proposal ended it already.
      await this.store.releaseWrite(row.id, claimUntil);
      throw e;
    }
  }

  private async commitClaimed(
    ctx: RequestContext,
    row: ProposalRow,
    action: ActionDefinition,
    body: SealedBody,
  ): Promise<CommitResult> {
    if (action.commit.via === 'channel') return this.commitChannel(ctx, row, action, body);
    const spec = action.commit;
    const connectionId = this.connectionOf(row);
    let prior: Readonly<Record<string, unknown>> | undefined;
    let outcome: WriteOutcome;
    try {
      let request: WriteRequest;
      const patient = { ehrId: body.patient.ehrId, identifiers: body.patient.identifiers };
      if (spec.write === 'update') {
        const targetId = row.target_id ?? '';
        const baseVersion = row.base_version ?? '';
        prior = await this.ehr.readVersion(connectionId, row.target_type, targetId, baseVersion);
        request = {
          kind: 'update',
          resource: { ...body.payload, id: targetId } as unknown as Extract<
            WriteRequest,
            { kind: 'update' }
          >['resource'],
          baseVersion,
          patient,
          idempotencyKey: keyOf(row),
          proposal: provenanceOf(row),
        };
      } else {
        request = {
          kind: 'create',
          resource: body.payload as unknown as WriteRequest['resource'],
          patient,
          idempotencyKey: keyOf(row),
          proposal: provenanceOf(row),
        };
      }
      outcome = await this.ehr.write(connectionId, request, ctx);
    } catch (e) {
      if (isStewardError(e) && e.code === 'EHR_CONFLICT') return this.conflict(ctx, row, body);
      return this.fail(ctx, row, 'approved', e);
    }
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      (tx) =>
        this.store.move(tx, row, 'approved', 'committed', actorOf(ctx), now, {
          reasonCode: outcome.status,
          changes: {
            committed_id: outcome.id,
            committed_version: outcome.versionId ?? null,
            ...(spec.write === 'create' ? { target_id: outcome.id } : {}),
            ...(prior !== undefined
              ? { prior_enc: this.store.seal('prior', row.id, prior), prior_version: row.base_version }
              : {}),
          },
        }),
      () => [proposalEntry(ctx, 'proposal.committed', row, { reason: `${spec.write}:${outcome.status}` })],
    );
    return this.verify(ctx, row.id);
  }

  /** Reads a committed EHR change back and marks it verified when the EHR holds what was written. */
  async verify(ctx: RequestContext, id: string): Promise<CommitResult> {
    const row = await this.load(id);
    await this.authorizeCommit(ctx, row);
    if (row.status !== 'committed' || this.actions.isChannel(row.action_type) || row.committed_id === null)
      return { status: row.status, proposal: toSummary(row) };
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    let current;
    try {
      current = await this.ehr.read(this.connectionOf(row), row.target_type, row.committed_id);
    } catch (e) {
      // Gone from the EHR: it did not stay, so it is written again through the idempotent path.
      if (isStewardError(e) && (e.code === 'EHR_REJECTED' || e.code === 'NOT_FOUND'))
        return this.fail(
          ctx,
          row,
          'committed',
          new OperationalError('EHR_OUTCOME_UNKNOWN', 'the EHR does not hold what was committed'),
        );
      // Unreachable now: it stays committed, and the applier's sweep verifies it again later.
      return { status: row.status, proposal: toSummary(row) };
    }
    const sent = { ...body.payload, ...(row.target_id !== null ? { id: row.target_id } : {}) };
    if (!holds(current.resource, sent))
      return this.fail(
        ctx,
        row,
        'committed',
        new OperationalError('EHR_OUTCOME_UNKNOWN', 'the EHR does not hold what was committed'),
      );
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      (tx) => this.store.move(tx, row, 'committed', 'verified', actorOf(ctx), now, { reasonCode: 'read-back' }),
      () => [proposalEntry(ctx, 'proposal.verified', row)],
    );
    return this.result(id);
  }

  /**
   * A person's retry of a failure that may pass (the EHR was unavailable): back to approved, same
   * content, same approval, with a fresh count of attempts (the applier retries by itself until
   * its attempts are exhausted; this is for after).
   */
  async retry(ctx: RequestContext, id: string, options: { readonly contentHash?: string } = {}): Promise<CommitResult> {
    const { row } = await this.visible(ctx, id);
    const refusal = refusalOf(
      'retry',
      row,
      { actorId: ctx.actor.id, mayDecide: true, holdsApprovalRole: true },
      this.actions,
    );
    if (refusal !== undefined) throw new ConflictError('VERSION_CONFLICT', refusal.reason);
    // Bound to what the person saw, as an approval is: a proposal changed since is not sent unseen.
    if (options.contentHash !== undefined && options.contentHash !== row.content_hash)
      throw new ConflictError('VERSION_CONFLICT', 'the proposal is not the content that was reviewed: review it again');
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      (tx) =>
        this.store.move(tx, row, 'failed', 'approved', actorOf(ctx), now, {
          reasonCode: 'retry',
          changes: { error_code: null, error_retryable: null, attempts: 0, next_attempt_at: null },
        }),
      () => [proposalEntry(ctx, 'proposal.approved', row, { reason: 'retry' })],
    );
    return this.result(id);
  }

  /** The applier's own retry of a passing failure whose back-off has passed: back to approved, attempts kept. */
  private async requeue(ctx: RequestContext, id: string): Promise<void> {
    const row = await this.load(id);
    await this.authorizeCommit(ctx, row);
    if (row.status !== 'failed' || row.error_retryable !== true || row.next_attempt_at === null) return;
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      (tx) =>
        this.store.move(tx, row, 'failed', 'approved', actorOf(ctx), now, {
          reasonCode: 'auto-retry',
          changes: { error_code: null, error_retryable: null, next_attempt_at: null },
        }),
      () => [proposalEntry(ctx, 'proposal.approved', row, { reason: 'auto-retry' })],
    );
  }

  /**
   * Undoes a committed change with a compensating write through the same path: an update is
   * restored to the version it replaced (If-Match on the committed version, so a later change in
   * the EHR is not overwritten); a created task or draft note is withdrawn. Refused, with the
   * reason the proposal gave before approval, for what cannot be undone.
   */
  async rollback(ctx: RequestContext, id: string, options: { readonly reason?: string } = {}): Promise<CommitResult> {
    const { row, decision } = await this.visible(ctx, id);
    const refuse = async (reason: string, error: Error): Promise<never> => {
      await this.deps.audit.append(proposalEntry(ctx, 'proposal.rolled_back', row, { outcome: 'failure', reason }));
      throw error;
    };
    if (row.status !== 'committed' && row.status !== 'verified')
      throw new ConflictError('VERSION_CONFLICT', `a ${row.status} proposal cannot be rolled back`);
    // The rule the API answers as `allowedActions` (rollback offered only where it can work).
    const refusal = refusalOf(
      'rollback',
      row,
      { actorId: ctx.actor.id, mayDecide: true, holdsApprovalRole: true },
      this.actions,
    );
    if (refusal !== undefined) return refuse('irreversible', new UserError('EHR_NOT_SUPPORTED', refusal.reason));
    const action = this.actions.get(row.action_type);
    if (action.commit.via !== 'ehr')
      return refuse('irreversible', new UnexpectedError('a channel action passed the rollback rule'));
    const spec = action.commit;
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    const connectionId = this.connectionOf(row);
    const resourceId = row.committed_id ?? row.target_id ?? '';
    let outcome: WriteOutcome;
    try {
      let restore: Record<string, unknown>;
      if (spec.write === 'update') {
        if (row.prior_enc === null)
          return await refuse('no-prior', new UserError('EHR_NOT_SUPPORTED', 'no prior version was kept to restore'));
        restore = { ...this.store.open<Record<string, unknown>>('prior', row.id, row.prior_enc) };
      } else {
        // A create had no prior version: its definition's compensation withdraws it.
        const change = action.compensation;
        if (change === undefined)
          return await refuse('no-compensation', new UserError('EHR_NOT_SUPPORTED', 'this create cannot be withdrawn'));
        restore = { ...(await this.ehr.read(connectionId, row.target_type, resourceId)).resource, ...change };
      }
      delete restore['meta'];
      outcome = await this.ehr.write(
        connectionId,
        {
          kind: 'update',
          resource: { ...restore, id: resourceId } as unknown as Extract<WriteRequest, { kind: 'update' }>['resource'],
          baseVersion: row.committed_version ?? '',
          patient: { ehrId: body.patient.ehrId, identifiers: body.patient.identifiers },
          idempotencyKey: `${keyOf(row)}.rb`,
        },
        ctx,
      );
    } catch (e) {
      return refuse(isStewardError(e) ? e.code : 'INTERNAL', e instanceof Error ? e : new UnexpectedError(String(e)));
    }
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      (tx) =>
        this.store.move(tx, row, row.status, 'rolled_back', actorOf(ctx), now, {
          reasonCode: outcome.status,
          changes: {
            ...(outcome.versionId !== undefined ? { rolled_back_version: outcome.versionId } : {}),
            ...(options.reason !== undefined && options.reason.trim() !== ''
              ? { rollback_reason_enc: this.store.seal('rollback', row.id, options.reason.trim()) }
              : {}),
          },
        }),
      () => [proposalEntry(ctx, 'proposal.rolled_back', row, { purposeOfUse: decision.purposeOfUse })],
    );
    return this.result(id);
  }

  private async commitChannel(
    ctx: RequestContext,
    row: ProposalRow,
    action: ActionDefinition,
    body: SealedBody,
  ): Promise<CommitResult> {
    const committer = this.committers[action.type];
    if (committer === undefined)
      throw new UserError('EHR_NOT_SUPPORTED', `no committer is registered for ${action.type}`);
    let sent: { readonly reference?: string; readonly verified?: boolean };
    try {
      sent = await committer.commit(ctx, {
        id: row.id,
        revision: row.revision,
        action: action.type,
        site: row.site,
        workflow: row.workflow ?? undefined,
        // The Steward patient found in the index when drafted, so the message names it too.
        patient:
          body.patient.stewardId === undefined && row.patient_id !== null
            ? { ...body.patient, stewardId: row.patient_id }
            : body.patient,
        payload: body.payload,
        idempotencyKey: keyOf(row),
      });
    } catch (e) {
      return this.fail(ctx, row, 'approved', e);
    }
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      async (tx) => {
        await this.store.move(tx, row, 'approved', 'committed', actorOf(ctx), now, {
          reasonCode: 'sent',
          changes: { committed_id: sent.reference ?? null },
        });
        if (sent.verified === true)
          await this.store.move(tx, row, 'committed', 'verified', actorOf(ctx), now, { reasonCode: 'delivered' });
      },
      () => [
        proposalEntry(ctx, 'proposal.committed', row, { reason: 'sent' }),
        ...(sent.verified === true ? [proposalEntry(ctx, 'proposal.verified', row, { reason: 'delivered' })] : []),
      ],
    );
    return this.result(row.id);
  }

  /** The EHR changed since drafting: keep the diff, and file a revision rebased on the current version. */
  private async conflict(ctx: RequestContext, row: ProposalRow, body: SealedBody): Promise<CommitResult> {
    const connectionId = this.connectionOf(row);
    const targetId = row.target_id ?? '';
    let diff: ConflictDiff;
    let payload: Record<string, unknown>;
    let currentVersion: string | undefined;
    try {
      const current = await this.ehr.read(connectionId, row.target_type, targetId);
      const base = await this.ehr.readVersion(connectionId, row.target_type, targetId, row.base_version ?? '');
      currentVersion = current.versionId;
      diff = {
        baseVersion: row.base_version ?? undefined,
        currentVersion,
        changes: diffResources(base ?? body.payload, current.resource),
      };
      payload = { ...rebase(base ?? current.resource, body.payload, current.resource), id: targetId };
    } catch (e) {
      return this.fail(ctx, row, 'approved', e);
    }
    const now = clockOf(this.deps).now();
    // The original drafter stays the drafter: a rebase must not let them approve their own change.
    const drafter = { kind: row.drafted_by_kind, id: row.drafted_by_id };
    const next = reviseRow(this.store, row, { ...body, payload }, drafter, now, {
      ...(currentVersion !== undefined ? { baseVersion: currentVersion } : {}),
      diff,
    });
    await this.deps.audit.transact(
      async (tx) => {
        await this.store.insert(tx, next, actorOf(ctx), now);
        await this.store.move(tx, next, 'drafted', 'pending_review', actorOf(ctx), now, { reasonCode: 'rebased' });
        await this.store.move(tx, row, 'approved', 'conflicted', actorOf(ctx), now, {
          reasonCode: 'EHR_CONFLICT',
          changes: { diff_enc: this.store.seal('diff', row.id, diff), superseded_by: next.id },
        });
      },
      () => [
        proposalEntry(ctx, 'proposal.conflicted', row, { outcome: 'failure', reason: 'EHR_CONFLICT' }),
        proposalEntry(ctx, 'proposal.drafted', next, { reason: 'rebased-after-conflict' }),
      ],
    );
    const result = await this.result(row.id);
    return { ...result, next: toSummary((await this.store.row(next.id)) ?? unexpected()) };
  }

  private async fail(
    ctx: RequestContext,
    row: ProposalRow,
    from: 'approved' | 'committed',
    e: unknown,
  ): Promise<CommitResult> {
    const code = isStewardError(e) ? e.code : 'INTERNAL';
    const retryable = isStewardError(e) && (e.retryable || e.code === 'EHR_OUTCOME_UNKNOWN');
    const now = clockOf(this.deps).now();
    const attempts = row.attempts + 1;
    const next =
      retryable && attempts < this.retryPolicy.maxAttempts
        ? new Date(now.getTime() + retryDelay(attempts, this.retryPolicy, this.options.random ?? Math.random, e))
        : null;
    await this.deps.audit.transact(
      (tx) =>
        this.store.move(tx, row, from, 'failed', actorOf(ctx), now, {
          reasonCode: code,
          changes: { error_code: code, error_retryable: retryable, attempts, next_attempt_at: next },
        }),
      () => [
        proposalEntry(ctx, 'proposal.failed', row, {
          outcome: 'failure',
          reason: next === null && retryable ? `${code}:attempts-exhausted` : code,
        }),
      ],
    );
    if (next === null) {
      // The alert: this write will not finish without a person. Ids and codes only, never PHI.
      this.options.logger?.warn(
        { proposalId: row.id, action: row.action_type, site: row.site, code, attempts, exhausted: retryable },
        retryable
          ? 'write-back gave up after its last attempt: a person must retry it'
          : 'write-back failed: a person must edit or reject it',
      );
    }
    return this.result(row.id);
  }

  /** Runs `step`, leaving a proposal this applier may not or no longer needs to handle (a refusal, a lost race) for whoever may. */
  private async skipRefused<T>(step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (e) {
      if (!isStewardError(e)) throw e;
      return undefined;
    }
  }

  private async authorizeCommit(ctx: RequestContext, row: ProposalRow): Promise<void> {
    const scope = { site: row.site };
    if ((await this.deps.policy.decide(ctx, 'review.decide', scope)).allowed) return;
    // The background applier sends what was approved (by a person or a policy) with `message.send`.
    if (this.actions.isChannel(row.action_type)) {
      await this.deps.policy.enforce(ctx, 'message.send', scope);
      return;
    }
    await this.deps.policy.enforce(ctx, 'ehr.write', scope);
  }

  /** The sealed content, checked to be exactly what was approved. */
  private approvedBody(row: ProposalRow, action: ActionDefinition): SealedBody {
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    // A create was approved without a target id; the id it got when committed is not part of what was approved.
    const created = action.commit.via === 'ehr' && action.commit.write === 'create';
    const target =
      row.target_id === null || created
        ? { resourceType: row.target_type }
        : { resourceType: row.target_type, id: row.target_id };
    const hash = contentHash({
      action: row.action_type,
      connectionId: row.connection_id ?? undefined,
      target,
      baseVersion: row.base_version ?? undefined,
      payload: body.payload,
      patient: body.patient,
    });
    if (row.approved_hash !== row.content_hash || hash !== row.content_hash)
      throw new ForbiddenError('the proposal is not the content that was approved');
    return body;
  }

  private connectionOf(row: ProposalRow): string {
    if (row.connection_id === null) throw new UnexpectedError('an EHR proposal without a connection');
    return row.connection_id;
  }

  /** The proposal if the caller may decide at its site, else NOT_FOUND, as for a missing one. */
  private async visible(ctx: RequestContext, id: string) {
    return this.deps.policy.visible(ctx, 'review.decide', 'proposal', await this.store.row(id), (r) => ({
      site: r.site,
      entity: { kind: 'Proposal', id },
    }));
  }

  private async load(id: string): Promise<ProposalRow> {
    const row = await this.store.row(id);
    if (row === undefined) throw new NotFoundError('proposal');
    return row;
  }

  private async result(id: string): Promise<CommitResult> {
    const row = await this.load(id);
    return {
      status: row.status,
      proposal: toSummary(row),
      ...(row.error_code !== null ? { error: toSummary(row).error ?? unexpected() } : {}),
    };
  }
}

/** The idempotency key of a proposal's write: one per revision, so a retry is the same write. */
/** The proposal a write carries out and who approved it (a screens run's identity). */
function provenanceOf(row: Pick<ProposalRow, 'id' | 'approved_by_kind' | 'approved_by_id'>): WriteProvenance {
  return {
    id: row.id,
    ...(row.approved_by_kind === 'user' && row.approved_by_id !== null ? { approvedBy: row.approved_by_id } : {}),
  };
}

function keyOf(row: Pick<ProposalRow, 'id' | 'revision'>): string {
  return `${row.id}.r${row.revision}`;
}

function unexpected(): never {
  throw new UnexpectedError('a proposal vanished after it was written');
}
