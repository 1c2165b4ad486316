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
  UnexpectedError,
  UserError,
  isStewardError,
  type RequestContext,
} from '@steward/core';
import type { WriteOutcome, WriteRequest } from '@steward/ehr';
import {
  contentHash,
  diffResources,
  ehrActions,
  isChannelAction,
  rebase,
  type ChannelActionType,
  type ConflictDiff,
  type EhrActionType,
  type ProposalPatient,
  type ProposalStatus,
  type ProposalSummary,
} from '../model/index.js';
import { ProposalStore, toSummary, type ProposalRow } from '../store/index.js';
import { actorOf, clockOf, proposalEntry, reviseRow, type ProposalDeps, type SealedBody } from '../review/index.js';
import type { EhrPort } from './ehr-port.js';
import { holds } from './in-memory-ehr.js';

/** A channel proposal handed to its committer (messaging). */
export interface ChannelCommit {
  readonly id: string;
  readonly revision: number;
  readonly action: ChannelActionType;
  readonly site: string;
  readonly workflow: string | undefined;
  readonly patient: ProposalPatient;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The same key is the same message: a committer must send it once. */
  readonly idempotencyKey: string;
}

/** Commits one kind of channel action (a message sender). It enforces its own egress rules. */
export interface ProposalCommitter {
  commit(
    ctx: RequestContext,
    proposal: ChannelCommit,
  ): Promise<{ readonly reference?: string; readonly verified?: boolean }>;
}

export interface CommitResult {
  readonly status: ProposalStatus;
  readonly proposal: ProposalSummary;
  /** After a conflict: the new revision, pending review. */
  readonly next?: ProposalSummary;
  readonly error?: { readonly code: string; readonly retryable: boolean };
}

/** What rolling back a create does: the created resource is withdrawn, since it had no prior version. */
const withdrawn: Partial<Record<EhrActionType, Record<string, unknown>>> = {
  'task.create': { status: 'cancelled' },
  'document-reference.draft': { status: 'entered-in-error' },
};

export class ProposalApplier {
  private readonly store: ProposalStore;

  constructor(
    private readonly deps: ProposalDeps,
    private readonly ehr: EhrPort,
    private readonly committers: Partial<Record<ChannelActionType, ProposalCommitter>> = {},
  ) {
    this.store = new ProposalStore(deps.db, deps.cipher);
  }

  /**
   * Commits every approved proposal waiting (up to `limit`), e.g. those an approval policy approved
   * at draft time. Each is committed as `ctx` (which needs `ehr.write` or `review.decide` at the
   * proposal's site); one that fails stays failed or conflicted for review, and the rest go on.
   */
  async commitApproved(ctx: RequestContext, limit = 50): Promise<CommitResult[]> {
    const results: CommitResult[] = [];
    for (const id of await this.store.approvedIds(limit)) {
      try {
        results.push(await this.commit(ctx, id));
      } catch (e) {
        // Not allowed at this site, or taken by another applier meanwhile: left for whoever may.
        if (!isStewardError(e)) throw e;
      }
    }
    return results;
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
    const body = this.approvedBody(row);
    if (isChannelAction(row.action_type)) return this.commitChannel(ctx, row, row.action_type, body);
    const spec = ehrActions[row.action_type];
    const connectionId = this.connectionOf(row);
    let prior: Readonly<Record<string, unknown>> | undefined;
    let outcome: WriteOutcome;
    try {
      let request: WriteRequest;
      const patient = { ehrId: body.patient.ehrId, identifiers: body.patient.identifiers };
      if (spec.kind === 'update') {
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
        };
      } else {
        request = {
          kind: 'create',
          resource: body.payload as unknown as WriteRequest['resource'],
          patient,
          idempotencyKey: keyOf(row),
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
            ...(spec.kind === 'create' ? { target_id: outcome.id } : {}),
            ...(prior !== undefined
              ? { prior_enc: this.store.seal('prior', row.id, prior), prior_version: row.base_version }
              : {}),
          },
        }),
      () => [proposalEntry(ctx, 'proposal.committed', row, { reason: `${spec.kind}:${outcome.status}` })],
    );
    return this.verify(ctx, id);
  }

  /** Reads a committed EHR change back and marks it verified when the EHR holds what was written. */
  async verify(ctx: RequestContext, id: string): Promise<CommitResult> {
    const row = await this.load(id);
    await this.authorizeCommit(ctx, row);
    if (row.status !== 'committed' || isChannelAction(row.action_type) || row.committed_id === null)
      return { status: row.status, proposal: toSummary(row) };
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    let current;
    try {
      current = await this.ehr.read(this.connectionOf(row), row.target_type, row.committed_id);
    } catch {
      // Unreachable now: it stays committed, and verifying again later is safe.
      return { status: row.status, proposal: toSummary(row) };
    }
    const sent = { ...body.payload, ...(row.target_id !== null ? { id: row.target_id } : {}) };
    if (!holds(current.resource, sent))
      return this.fail(
        ctx,
        row,
        'committed',
        new UserError('EHR_OUTCOME_UNKNOWN', 'the EHR does not hold what was committed'),
      );
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      (tx) => this.store.move(tx, row, 'committed', 'verified', actorOf(ctx), now, { reasonCode: 'read-back' }),
      () => [proposalEntry(ctx, 'proposal.verified', row)],
    );
    return this.result(id);
  }

  /** A failure that may pass (the EHR was unavailable) goes back to approved, same content, same approval. */
  async retry(ctx: RequestContext, id: string): Promise<CommitResult> {
    const { row } = await this.visible(ctx, id);
    if (row.status !== 'failed' || row.error_retryable !== true)
      throw new ConflictError(
        'VERSION_CONFLICT',
        'only a proposal that failed for a passing reason is retried; edit it instead',
      );
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      (tx) =>
        this.store.move(tx, row, 'failed', 'approved', actorOf(ctx), now, {
          reasonCode: 'retry',
          changes: { error_code: null, error_retryable: null },
        }),
      () => [proposalEntry(ctx, 'proposal.approved', row, { reason: 'retry' })],
    );
    return this.result(id);
  }

  /**
   * Undoes a committed change with a compensating write through the same path: an update is
   * restored to the version it replaced (If-Match on the committed version, so a later change in
   * the EHR is not overwritten); a created task or draft note is withdrawn. Refused, with the
   * reason the proposal gave before approval, for what cannot be undone.
   */
  async rollback(ctx: RequestContext, id: string): Promise<CommitResult> {
    const { row, decision } = await this.visible(ctx, id);
    const refuse = async (reason: string, error: Error): Promise<never> => {
      await this.deps.audit.append(proposalEntry(ctx, 'proposal.rolled_back', row, { outcome: 'failure', reason }));
      throw error;
    };
    if (row.status !== 'committed' && row.status !== 'verified')
      throw new ConflictError('VERSION_CONFLICT', `a ${row.status} proposal cannot be rolled back`);
    if (!row.reversible || isChannelAction(row.action_type))
      return refuse(
        'irreversible',
        new UserError(
          'EHR_NOT_SUPPORTED',
          `this change cannot be undone: ${row.irreversible_reason ?? 'irreversible'}`,
        ),
      );
    const spec = ehrActions[row.action_type];
    const body = this.store.open<SealedBody>('body', row.id, row.body_enc);
    const connectionId = this.connectionOf(row);
    const resourceId = row.committed_id ?? row.target_id ?? '';
    let outcome: WriteOutcome;
    try {
      let restore: Record<string, unknown>;
      if (spec.kind === 'update') {
        if (row.prior_enc === null)
          return await refuse('no-prior', new UserError('EHR_NOT_SUPPORTED', 'no prior version was kept to restore'));
        restore = { ...this.store.open<Record<string, unknown>>('prior', row.id, row.prior_enc) };
      } else {
        const change = withdrawn[row.action_type];
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
          changes: { ...(outcome.versionId !== undefined ? { rolled_back_version: outcome.versionId } : {}) },
        }),
      () => [proposalEntry(ctx, 'proposal.rolled_back', row, { purposeOfUse: decision.purposeOfUse })],
    );
    return this.result(id);
  }

  private async commitChannel(
    ctx: RequestContext,
    row: ProposalRow,
    action: ChannelActionType,
    body: SealedBody,
  ): Promise<CommitResult> {
    const committer = this.committers[action];
    if (committer === undefined) throw new UserError('EHR_NOT_SUPPORTED', `no committer is registered for ${action}`);
    let sent: { readonly reference?: string; readonly verified?: boolean };
    try {
      sent = await committer.commit(ctx, {
        id: row.id,
        revision: row.revision,
        action,
        site: row.site,
        workflow: row.workflow ?? undefined,
        patient: body.patient,
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
    await this.deps.audit.transact(
      (tx) =>
        this.store.move(tx, row, from, 'failed', actorOf(ctx), now, {
          reasonCode: code,
          changes: { error_code: code, error_retryable: retryable },
        }),
      () => [proposalEntry(ctx, 'proposal.failed', row, { outcome: 'failure', reason: code })],
    );
    return this.result(row.id);
  }

  private async authorizeCommit(ctx: RequestContext, row: ProposalRow): Promise<void> {
    const scope = { site: row.site };
    if ((await this.deps.policy.decide(ctx, 'review.decide', scope)).allowed) return;
    // The background applier sends what was approved (by a person or a policy) with `message.send`.
    if (isChannelAction(row.action_type)) {
      await this.deps.policy.enforce(ctx, 'message.send', scope);
      return;
    }
    await this.deps.policy.enforce(ctx, 'ehr.write', scope);
  }

  /** The sealed content, checked to be exactly what was approved. */
  private approvedBody(row: ProposalRow): SealedBody {
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
      ...(row.error_code !== null ? { error: { code: row.error_code, retryable: row.error_retryable === true } } : {}),
    };
  }
}

/** The idempotency key of a proposal's write: one per revision, so a retry is the same write. */
function keyOf(row: Pick<ProposalRow, 'id' | 'revision'>): string {
  return `${row.id}.r${row.revision}`;
}

function unexpected(): never {
  throw new UnexpectedError('a proposal vanished after it was written');
}
