/**
 * @module The proposals tables, and the only SQL that touches them. Sealed columns are opened
 * here with the row-bound field cipher; callers (the review desk, the applier, the policy book)
 * ask the policy decision point first and run writes inside `TransactionalAudit.transact`, so a
 * move and its audit entry commit together. Every status change goes through `move`, which
 * checks the state machine and updates only `where status = <from>`, and appends history.
 */
import { ConflictError, UnexpectedError, identifierKey, type EhrIdentifier } from '@steward/core';
import type { FieldCipher } from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import { assertMove, type ActionType, type ProposalActor, type ProposalStatus } from '../model/index.js';
import { toHistory, type HistoryRow, type ProposalRow } from './proposal-rows.js';

/** Columns a move may set besides status (never the content: a content change is a new revision). */
export interface MoveChanges {
  readonly superseded_by?: string;
  readonly approved_by_kind?: ProposalActor['kind'] | null;
  readonly approved_by_id?: string | null;
  readonly approved_hash?: string | null;
  readonly approved_at?: Date | null;
  readonly rejection_enc?: Uint8Array;
  readonly rollback_reason_enc?: Uint8Array;
  readonly diff_enc?: Uint8Array;
  readonly prior_enc?: Uint8Array;
  readonly prior_version?: string | null;
  readonly committed_id?: string | null;
  readonly committed_version?: string | null;
  readonly rolled_back_version?: string;
  readonly target_id?: string;
  readonly error_code?: string | null;
  readonly error_retryable?: boolean | null;
  readonly attempts?: number;
  readonly next_attempt_at?: Date | null;
}

// A new row is drafted, so nobody holds a claim to write it (writing_until is the store's alone).
export type NewProposalRow = Omit<ProposalRow, 'updated_at' | 'status' | 'writing_until'> & { status: 'drafted' };

export interface QueueFilter {
  readonly statuses: readonly ProposalStatus[];
  readonly sites?: readonly string[];
  readonly workflow?: string;
  readonly patientId?: string;
  readonly patientKey?: Uint8Array;
  readonly actionType?: ActionType;
  readonly assigneeId?: string;
  readonly after?: { readonly priority: number; readonly dueAt: Date; readonly id: string };
  readonly limit: number;
}

/** An outside drafter's own proposals, by last change (a change feed: a revision moved since shows again later). */
export interface DrafterFilter {
  readonly drafterId: string;
  readonly statuses?: readonly ProposalStatus[];
  /** Changed at or after. */
  readonly since?: Date;
  readonly after?: { readonly updatedAt: Date; readonly id: string };
  readonly limit: number;
}

export interface PolicyRow {
  version: string | number;
  action_type: string;
  mode: 'auto' | 'review';
  roles: string[];
  set_by_kind: string;
  set_by_id: string;
  set_at: Date;
}

const insertColumns = [
  'id',
  'lineage_id',
  'revision',
  'supersedes',
  'superseded_by',
  'status',
  'action_type',
  'connection_id',
  'site',
  'workflow',
  'correlation_id',
  'draft_key',
  'patient_id',
  'patient_key',
  'target_type',
  'target_id',
  'base_version',
  'content_hash',
  'body_enc',
  'reason_code',
  'drafted_by_kind',
  'drafted_by_id',
  'priority',
  'due_at',
  'assignee_id',
  'reversible',
  'irreversible_reason',
  'policy_version',
  'approved_by_kind',
  'approved_by_id',
  'approved_hash',
  'approved_at',
  'rejection_enc',
  'rollback_reason_enc',
  'diff_enc',
  'prior_enc',
  'prior_version',
  'committed_id',
  'committed_version',
  'rolled_back_version',
  'error_code',
  'error_retryable',
  'attempts',
  'next_attempt_at',
  'outside_drafter_id',
  'rationale_enc',
  'created_at',
] as const satisfies readonly (keyof NewProposalRow)[];

const movable = new Set<string>([
  'superseded_by',
  'rollback_reason_enc',
  'approved_by_kind',
  'approved_by_id',
  'approved_hash',
  'approved_at',
  'rejection_enc',
  'diff_enc',
  'prior_enc',
  'prior_version',
  'committed_id',
  'committed_version',
  'rolled_back_version',
  'target_id',
  'error_code',
  'error_retryable',
  'attempts',
  'next_attempt_at',
]);

/** The sealed columns, each opened only under its own name and row. */
export type SealedColumn = 'body' | 'diff' | 'prior' | 'rejection' | 'rollback' | 'rationale';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ProposalStore {
  constructor(
    readonly db: Database,
    private readonly cipher: FieldCipher,
  ) {}

  seal(column: SealedColumn, id: string, value: unknown): Buffer {
    return this.cipher.encrypt(JSON.stringify(value), `proposals.${column}:${id}`);
  }

  open<T>(column: SealedColumn, id: string, sealed: Uint8Array): T {
    return JSON.parse(this.cipher.decrypt(sealed, `proposals.${column}:${id}`).toString('utf8')) as T;
  }

  /** The keyed blind index the queue finds a patient's proposals by, from their first identifier. */
  patientKey(identifier: EhrIdentifier): Buffer {
    return this.cipher.blindIndex('proposals.patient', identifierKey(identifier));
  }

  async row(id: string, sql: Sql = this.db): Promise<ProposalRow | undefined> {
    if (!uuid.test(id)) return undefined;
    const { rows } = await sql.query<ProposalRow>('select * from proposals where id = $1', [id]);
    return rows[0];
  }

  /** Proposals that wrote (or were to write) one EHR resource: for an incident opened from a write. */
  async touching(resourceType: string, resourceId: string): Promise<ProposalRow[]> {
    const { rows } = await this.db.query<ProposalRow>(
      `select * from proposals where target_type = $1 and (committed_id = $2 or target_id = $2)
        order by created_at, id limit 1000`,
      [resourceType, resourceId],
    );
    return rows;
  }

  async byDraftKey(key: string, sql: Sql = this.db): Promise<ProposalRow | undefined> {
    const { rows } = await sql.query<ProposalRow>('select * from proposals where draft_key = $1', [key]);
    return rows[0];
  }

  /** Inserts a drafted proposal; false when its draft key was drafted before. */
  async insert(tx: Sql, row: NewProposalRow, actor: ProposalActor, at: Date): Promise<boolean> {
    const values = insertColumns.map((c) => row[c]);
    const { rowCount } = await tx.query(
      `insert into proposals (${insertColumns.join(', ')}, updated_at)
       values (${insertColumns.map((_c, i) => `$${i + 1}`).join(', ')}, $${insertColumns.length + 1})
       on conflict (draft_key) do nothing`,
      [...values, at],
    );
    if (rowCount === 0) return false;
    await this.history(tx, row.id, row.revision, null, 'drafted', actor, row.reason_code, at);
    return true;
  }

  /**
   * Moves a proposal from `from` to `to` if it is still at `from` (and, when given, still has
   * `hash`), setting `changes`; appends history. A lost race is a VERSION_CONFLICT.
   */
  async move(
    tx: Sql,
    row: Pick<ProposalRow, 'id' | 'revision'>,
    from: ProposalStatus,
    to: ProposalStatus,
    actor: ProposalActor,
    at: Date,
    options: { readonly changes?: MoveChanges; readonly reasonCode?: string; readonly hash?: string } = {},
  ): Promise<void> {
    assertMove(from, to);
    const sets = ['status = $3', 'updated_at = $4'];
    const params: unknown[] = [row.id, from, to, at];
    for (const [column, value] of Object.entries(options.changes ?? {})) {
      if (!movable.has(column)) throw new UnexpectedError(`a move cannot set ${column}`);
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    // Leaving `approved` ends any writer's claim on it (a retry that makes it approved again starts free).
    if (from === 'approved') sets.push('writing_until = null');
    let where = 'id = $1 and status = $2';
    if (options.hash !== undefined) {
      params.push(options.hash);
      where += ` and content_hash = $${params.length}`;
    }
    const { rowCount } = await tx.query(`update proposals set ${sets.join(', ')} where ${where}`, params);
    if (rowCount === 0) throw new ConflictError('VERSION_CONFLICT', `the proposal is no longer ${from}: read it again`);
    await this.history(tx, row.id, row.revision, from, to, actor, options.reasonCode ?? null, at);
  }

  /**
   * Claims the writing of an approved proposal until `until`: true for the one caller whose claim
   * took (none held, or the one held ran out at `now`), false for every other, which must not write.
   */
  async claimWrite(id: string, now: Date, until: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `update proposals set writing_until = $3
        where id = $1 and status = 'approved' and (writing_until is null or writing_until <= $2)`,
      [id, now, until],
    );
    return rowCount !== 0;
  }

  /** Ends the claim `claimWrite` took until `until`, if it is still that one (not another's since). */
  async releaseWrite(id: string, until: Date): Promise<void> {
    await this.db.query(`update proposals set writing_until = null where id = $1 and writing_until = $2`, [id, until]);
  }

  async setAssignee(tx: Sql, id: string, assigneeId: string | null, at: Date): Promise<boolean> {
    const { rowCount } = await tx.query(
      `update proposals set assignee_id = $2, updated_at = $3 where id = $1 and status in ('drafted', 'pending_review', 'approved', 'failed')`,
      [id, assigneeId, at],
    );
    return rowCount !== 0;
  }

  /** Ids of approved proposals not yet committed, oldest approval first: the background applier's work. */
  async approvedIds(limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `select id from proposals where status = 'approved' order by updated_at, id limit $1`,
      [Math.max(1, Math.min(limit, 1000))],
    );
    return rows.map((r) => r.id);
  }

  /** Ids of passing failures whose next try is due at `now`, soonest first: the applier retries them. */
  async retryDueIds(now: Date, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `select id from proposals where status = 'failed' and next_attempt_at is not null and next_attempt_at <= $1
        order by next_attempt_at, id limit $2`,
      [now, Math.max(1, Math.min(limit, 1000))],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Ids of EHR writes recorded as committed but not verified since at least `before` (a process
   * that died between the two): the applier reads them back. Channel actions are verified by
   * their delivery, not by reading the EHR, so they are left out.
   */
  async committedIds(before: Date, limit: number, channelTypes: readonly string[]): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `select id from proposals where status = 'committed' and updated_at <= $1
          and action_type <> all($2::text[])
        order by updated_at, id limit $3`,
      [before, channelTypes, Math.max(1, Math.min(limit, 1000))],
    );
    return rows.map((r) => r.id);
  }

  /** How much write-back work is still open: approved, waiting for a retry, committed unverified. */
  async openWork(channelTypes: readonly string[]): Promise<{ approved: number; retrying: number; committed: number }> {
    const { rows } = await this.db.query<{
      approved: string | number;
      retrying: string | number;
      committed: string | number;
    }>(
      `select count(*) filter (where status = 'approved') as approved,
              count(*) filter (where status = 'failed' and next_attempt_at is not null) as retrying,
              count(*) filter (where status = 'committed' and action_type <> all($1::text[])) as committed
         from proposals where status in ('approved', 'failed', 'committed')`,
      [channelTypes],
    );
    const r = rows[0];
    return {
      approved: Number(r?.approved ?? 0),
      retrying: Number(r?.retrying ?? 0),
      committed: Number(r?.committed ?? 0),
    };
  }

  async historyOf(id: string): Promise<ReturnType<typeof toHistory>[]> {
    const { rows } = await this.db.query<HistoryRow>(
      `select seq, revision, from_status, to_status, actor_kind, actor_id, reason_code, at
         from proposal_history where proposal_id = $1 order by seq`,
      [id],
    );
    return rows.map(toHistory);
  }

  /** One page of the queue in (priority, due_at, id) order, after the keyset cursor `after`. */
  async queue(filter: QueueFilter): Promise<ProposalRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.statuses.length === 1) add((p) => `status = ${p}`, filter.statuses[0]);
    else add((p) => `status = any(${p}::text[])`, filter.statuses);
    if (filter.sites !== undefined) {
      if (filter.sites.length === 1) add((p) => `site = ${p}`, filter.sites[0]);
      else add((p) => `site = any(${p}::text[])`, filter.sites);
    }
    if (filter.workflow !== undefined) add((p) => `workflow = ${p}`, filter.workflow);
    if (filter.patientId !== undefined) add((p) => `patient_id = ${p}`, filter.patientId);
    if (filter.patientKey !== undefined) add((p) => `patient_key = ${p}`, filter.patientKey);
    if (filter.actionType !== undefined) add((p) => `action_type = ${p}`, filter.actionType);
    if (filter.assigneeId !== undefined) add((p) => `assignee_id = ${p}`, filter.assigneeId);
    if (filter.after !== undefined) {
      params.push(filter.after.priority, filter.after.dueAt, filter.after.id);
      const n = params.length;
      where.push(`(priority, due_at, id) > ($${n - 2}::smallint, $${n - 1}::timestamptz, $${n}::uuid)`);
    }
    params.push(filter.limit);
    const { rows } = await this.db.query<ProposalRow>(
      `select * from proposals where ${where.join(' and ')}
        order by priority, due_at, id limit $${params.length}`,
      params,
    );
    return rows;
  }

  /** One page of an outside drafter's proposals (every revision of its lineages), oldest change first. */
  async drafted(filter: DrafterFilter): Promise<ProposalRow[]> {
    const params: unknown[] = [filter.drafterId];
    const where = ['outside_drafter_id = $1'];
    if (filter.statuses !== undefined) {
      params.push(filter.statuses);
      where.push(`status = any($${params.length}::text[])`);
    }
    if (filter.since !== undefined) {
      params.push(filter.since);
      where.push(`updated_at >= $${params.length}`);
    }
    if (filter.after !== undefined) {
      params.push(filter.after.updatedAt, filter.after.id);
      where.push(`(updated_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    const { rows } = await this.db.query<ProposalRow>(
      `select * from proposals where ${where.join(' and ')} order by updated_at, id limit $${params.length}`,
      params,
    );
    return rows;
  }

  async currentPolicy(actionType: string, sql: Sql = this.db): Promise<PolicyRow | undefined> {
    const { rows } = await sql.query<PolicyRow>(
      'select * from approval_policies where action_type = $1 order by version desc limit 1',
      [actionType],
    );
    return rows[0];
  }

  async policies(): Promise<PolicyRow[]> {
    const { rows } = await this.db.query<PolicyRow>(
      `select distinct on (action_type) * from approval_policies order by action_type, version desc`,
    );
    return rows;
  }

  async insertPolicy(
    tx: Sql,
    p: { actionType: string; mode: 'auto' | 'review'; roles: readonly string[]; by: ProposalActor; at: Date },
  ): Promise<PolicyRow> {
    const { rows } = await tx.query<PolicyRow>(
      `insert into approval_policies (action_type, mode, roles, set_by_kind, set_by_id, set_at)
       values ($1, $2, $3::text[], $4, $5, $6) returning *`,
      [p.actionType, p.mode, p.roles, p.by.kind, p.by.id, p.at],
    );
    const row = rows[0];
    if (row === undefined) throw new UnexpectedError('inserting an approval policy returned no row');
    return row;
  }

  private async history(
    tx: Sql,
    id: string,
    revision: number,
    from: ProposalStatus | null,
    to: ProposalStatus,
    actor: ProposalActor,
    reasonCode: string | null,
    at: Date,
  ): Promise<void> {
    await tx.query(
      `insert into proposal_history (proposal_id, revision, from_status, to_status, actor_kind, actor_id, reason_code, at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, revision, from, to, actor.kind, actor.id, reasonCode, at],
    );
  }
}
