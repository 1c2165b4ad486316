/**
 * @module The handoff service, governed: each method takes the request context first, asks the
 * decision point (`handoff.create`, `handoff.read`, `handoff.work` at the handoff's site; escalation
 * policies `config.manage`), and writes in the same transaction as its audit entry and its
 * workflow's input (start or signal), so a handoff, its history, its timers and its audit trail
 * never disagree. What is asked (and a decline's reason) is sealed; reading it is a PHI read,
 * audited with the handoff's patient. People are returned by name (the staff's display names).
 *
 * Workflows raise handoffs through `create` with their own account's context (steward-workflows,
 * role automation, holds `handoff.create`) and close what they raised with `closeRaised`; the
 * engine's effects call `escalate` and `expire`, which act as that account too. This file holds the
 * moves (raise, accept, decline, done, close); the reads, the escalations and the policies are their
 * own files, reached through the same class.
 */
import {
  NotFoundError,
  OperationalError,
  UserError,
  systemClock,
  type Clock,
  type RequestContext,
  type Role,
} from '@steward/core';
import type { StaffName } from '@steward/clinic';
import {
  assertValid,
  checkAsk,
  checkDue,
  checkKind,
  checkSubject,
  checkTarget,
  delayEnd,
  dueInstant,
  waitingStatuses,
  type EscalationStep,
  type HandoffStatus,
  type HandoffSubject,
  type HandoffTarget,
} from './handoff-model.js';
import {
  HANDOFF,
  handoffKey,
  handoffSignals,
  type EscalateInput,
  type HandoffStart,
  type PlannedStep,
} from './handoff-workflow.js';
import { auditEntry, escalatedTo, history, idByKey, lockRow, rowById, uuid, type Row } from './handoff-rows.js';
import { HandoffReads } from './handoff-reads.js';
import { EscalationPolicies } from './handoff-policies.js';
import { HandoffEscalator } from './handoff-escalations.js';
import type {
  EscalationPolicy,
  HandoffDetail,
  HandoffInput,
  HandoffServiceDeps,
  HandoffView,
  PersonRef,
} from './handoff-types.js';
import { handoffMovedSignal, type HandoffMoved } from './handoff-types.js';
import type { Json } from '../engine/index.js';

export type {
  EscalationPolicy,
  HandoffAudit,
  HandoffDetail,
  HandoffEngine,
  HandoffHistoryEntry,
  HandoffInput,
  HandoffServiceDeps,
  HandoffView,
  PersonRef,
} from './handoff-types.js';

export { handoffMovedSignal, type HandoffMoved } from './handoff-types.js';

/** A workflow type or correlation key, as `notify` names it (no spaces, no free text). */
const workflowRef = /^[A-Za-z0-9._:/@-]{1,200}$/;

export class HandoffService {
  readonly #d: HandoffServiceDeps;
  readonly #clock: Clock;
  readonly #reads: HandoffReads;
  readonly #policies: EscalationPolicies;
  readonly #escalator: HandoffEscalator;

  constructor(deps: HandoffServiceDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#reads = new HandoffReads(deps, this.#clock);
    this.#policies = new EscalationPolicies(deps, this.#clock);
    this.#escalator = new HandoffEscalator(deps, this.#clock);
  }

  /** The caller's work: handoffs they hold, offered to them, their pools or their roles, or escalated to them. */
  mine(ctx: RequestContext, filter: { readonly limit?: number } = {}): Promise<readonly HandoffView[]> {
    return this.#reads.mine(ctx, filter);
  }

  /** A pool's queue: the open handoffs offered to it (or escalated to it). Needs handoff.read at the pool's site. */
  pool(ctx: RequestContext, pool: string, filter: { readonly limit?: number } = {}): Promise<readonly HandoffView[]> {
    return this.#reads.pool(ctx, pool, filter);
  }

  /** Every handoff about a subject (done ones too), at the sites the caller may read. */
  bySubject(ctx: RequestContext, subject: HandoffSubject): Promise<readonly HandoffView[]> {
    return this.#reads.bySubject(ctx, subject);
  }

  /** One handoff with its history; NOT_FOUND when absent or at a site the caller may not read. */
  show(ctx: RequestContext, id: string): Promise<HandoffDetail> {
    return this.#reads.show(ctx, id);
  }

  /** A site+kind's escalation policy (the built-in default for the kind, version 0, when none is set). */
  policy(ctx: RequestContext, site: string, kind: string): Promise<EscalationPolicy> {
    return this.#policies.policy(ctx, site, kind);
  }

  /** Replaces a site+kind's escalation policy (config.manage); handoffs already raised keep their steps. */
  setPolicy(
    ctx: RequestContext,
    site: string,
    kind: string,
    steps: readonly EscalationStep[],
    expectedVersion?: number,
  ): Promise<EscalationPolicy> {
    return this.#policies.setPolicy(ctx, site, kind, steps, expectedVersion);
  }

  /** An escalation step fired (the `handoff.escalate` effect): see HandoffEscalator. */
  escalate(
    ctx: RequestContext,
    input: EscalateInput,
    effectKey: string,
  ): Promise<{ readonly fired: boolean; readonly target: PersonRef | null; readonly skipped?: string }> {
    return this.#escalator.escalate(ctx, input, effectKey);
  }

  /** The deadline passed (the `handoff.expire` effect). */
  expire(ctx: RequestContext, handoffId: string): Promise<{ readonly expired: boolean }> {
    return this.#escalator.expire(ctx, handoffId);
  }

  /**
   * Raises a handoff, offered to its target, with its deadline and its site+kind's escalation
   * policy planned in the site's calendar. Refused: bad input (VALIDATION_FAILED), a user who is not
   * staff (STAFF_UNKNOWN), a pool without members at the site (POOL_UNKNOWN).
   */
  async create(ctx: RequestContext, input: HandoffInput): Promise<HandoffDetail> {
    await this.#d.policy.enforce(ctx, 'handoff.create', { site: input.site });
    assertValid(
      [
        ...(typeof input.site === 'string' && input.site.length > 0 ? [] : [{ path: 'site', message: 'required' }]),
        ...checkKind(input.kind),
        ...checkSubject(input.subject),
        ...checkTarget(input.to),
        ...checkAsk(input.ask),
        ...checkDue(input.due),
        ...(input.patientId !== undefined && !uuid.test(input.patientId)
          ? [{ path: 'patientId', message: 'a Steward patient id' }]
          : []),
        ...(input.key !== undefined && (typeof input.key !== 'string' || input.key.length < 1 || input.key.length > 200)
          ? [{ path: 'key', message: '1 to 200 characters' }]
          : []),
        ...(input.notify !== undefined &&
        !(workflowRef.test(String(input.notify.type)) && workflowRef.test(String(input.notify.key)))
          ? [{ path: 'notify', message: "a workflow's type and correlation key" }]
          : []),
      ],
      'invalid handoff',
    );
    await this.#d.sites?.assertUsable(input.site);
    const existing = input.key === undefined ? undefined : await idByKey(this.#d.db, input.key);
    if (existing !== undefined) return this.#reads.detail(existing);
    const to = await this.#target(input.site, input.to);
    const patientId =
      input.patientId ?? (input.subject.kind === 'patient' && uuid.test(input.subject.id) ? input.subject.id : null);
    const now = this.#clock.now();
    const calendar = await this.#d.calendarOf(input.site);
    const dueAt = input.due === undefined ? null : dueInstant(calendar, now, input.due);
    const policy = await this.#policies.current(input.site, input.kind);
    const steps: PlannedStep[] = policy.steps.map((s) => ({
      condition: s.condition,
      at: delayEnd(calendar, now, s.delay).toISOString(),
      target: s.target,
    }));
    const id = crypto.randomUUID();
    const start: HandoffStart = { handoffId: id, site: input.site, steps, dueAt: dueAt?.toISOString() ?? null };
    const raisedMeanwhile = new Error('raised meanwhile'); // a marker, never shown: caught below
    const created = await this.#d.audit
      .transact(
        async (tx) => {
          const inserted = await tx.query(
            `insert into handoffs (id, site, kind, subject_kind, subject_id, patient_id, from_kind, from_id, from_name,
             to_kind, to_ref, assignee, status, ask_enc, due_at, policy_version, source_key, version, created_at,
             updated_at, notify_type, notify_key)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'offered', $13, $14, $15, $17, 1, $16, $16, $18, $19)
           on conflict (source_key) do nothing`,
            [
              id,
              input.site,
              input.kind,
              input.subject.kind,
              input.subject.id,
              patientId,
              ctx.actor.kind,
              ctx.actor.id,
              ctx.actor.name,
              to.kind,
              to.ref,
              to.kind === 'user' ? to.ref : null,
              this.#d.cipher.encrypt(input.ask.trim(), `handoffs:${id}`),
              dueAt,
              policy.version === 0 ? null : policy.version,
              now,
              input.key ?? null,
              input.notify?.type ?? null,
              input.notify?.key ?? null,
            ],
          );
          // The same key raised at the same moment (another effect in flight, another process): theirs
          // stands. Thrown, not returned: a unit that writes nothing has no audit entry, and the audit
          // log refuses a unit without one (its savepoint undoes nothing here).
          if (inserted.rowCount === 0) throw raisedMeanwhile;
          await history(tx, id, now, 'offered', ctx, null, 'offered', {
            to: { kind: to.kind, ref: to.ref },
            ...(dueAt !== null ? { dueAt: dueAt.toISOString() } : {}),
            steps: steps.length,
          });
          await this.#d.engine.start(HANDOFF, handoffKey(id), start as unknown as Json, { tx });
          return true;
        },
        () => [
          auditEntry(ctx, 'phi.create', 'C', id, 1, input.site, patientId, 'handoff_offered', ['ask', 'to', 'due']),
        ],
      )
      .catch((e: unknown) => {
        if (e === raisedMeanwhile) return false;
        throw e;
      });
    if (!created && input.key !== undefined) return this.#reads.detail((await idByKey(this.#d.db, input.key)) ?? id);
    return this.#reads.detail(id);
  }

  /** Takes the handoff: the caller becomes its holder. Refused when it is not offered to them (HANDOFF_NOT_YOURS) or is held or done (HANDOFF_STATE). */
  async accept(ctx: RequestContext, id: string): Promise<HandoffDetail> {
    return this.#transition(ctx, id, 'accepted', (row, eligible) => {
      if (!waitingStatuses.has(row.status))
        throw new UserError('HANDOFF_STATE', `the handoff is ${row.status}: only an offered one can be accepted`);
      if (!eligible)
        throw new UserError('HANDOFF_NOT_YOURS', 'the handoff is not offered to you, your pools or your role');
      return { status: 'accepted', assignee: ctx.actor.id, signal: handoffSignals.accepted, detail: {} };
    });
  }

  /**
   * Gives the handoff back, with a reason (sealed): a pool's or a role's goes back to the pool or
   * role; one offered to a person goes back to its sender (a person), else to the decliner's lead.
   */
  async decline(ctx: RequestContext, id: string, reason: string): Promise<HandoffDetail> {
    if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > 500)
      throw new UserError('VALIDATION_FAILED', 'a decline needs a reason (at most 500 characters)', [
        { path: 'reason', message: 'required' },
      ]);
    const row0 = await rowById(this.#d.db, id);
    const lead = row0 === undefined ? undefined : await this.#d.staff.leadOf(ctx.actor.id);
    return this.#transition(ctx, id, 'declined', (row, eligible) => {
      const holds = row.status === 'accepted' && row.assignee === ctx.actor.id;
      if (row.status === 'done' || (row.status === 'accepted' && !holds))
        throw new UserError('HANDOFF_STATE', `the handoff is ${row.status}${holds ? '' : ' by someone else'}`);
      if (!holds && !eligible) throw new UserError('HANDOFF_NOT_YOURS', 'the handoff is not offered to you');
      let to: { kind: HandoffTarget['kind']; ref: string } = { kind: row.to_kind, ref: row.to_ref };
      if (row.to_kind === 'user') {
        if (row.from_kind === 'user' && row.from_id !== ctx.actor.id) to = { kind: 'user', ref: row.from_id };
        else if (lead !== undefined) to = { kind: 'user', ref: lead.userId };
      }
      return {
        status: 'declined' as const,
        assignee: to.kind === 'user' ? to.ref : null,
        to,
        signal: handoffSignals.declined,
        detail: { to: { kind: to.kind, ref: to.ref } },
        reason: reason.trim(),
      };
    });
  }

  /** Marks the work done (by its holder, or by one it is offered to, who takes and finishes it at once). */
  async done(ctx: RequestContext, id: string): Promise<HandoffDetail> {
    return this.#transition(ctx, id, 'done', (row, eligible) => {
      if (row.status === 'done') throw new UserError('HANDOFF_STATE', 'the handoff is already done');
      const holds = row.status === 'accepted' && row.assignee === ctx.actor.id;
      if (row.status === 'accepted' && !holds)
        throw new UserError('HANDOFF_NOT_YOURS', 'someone else holds the handoff');
      if (!holds && !eligible) throw new UserError('HANDOFF_NOT_YOURS', 'the handoff is not offered to you');
      return { status: 'done', assignee: ctx.actor.id, signal: handoffSignals.done, detail: {} };
    });
  }

  async #transition(
    ctx: RequestContext,
    id: string,
    event: 'accepted' | 'declined' | 'done',
    decide: (
      row: Row,
      eligible: boolean,
    ) => {
      status: HandoffStatus;
      assignee: string | null;
      to?: { kind: HandoffTarget['kind']; ref: string };
      signal: string;
      detail: Record<string, Json>;
      reason?: string;
    },
  ): Promise<HandoffDetail> {
    const row = await rowById(this.#d.db, id);
    if (row === undefined) throw new NotFoundError('handoff');
    await this.#d.policy.enforce(ctx, 'handoff.work', { site: row.site });
    const pools = (await this.#d.staff.poolsOf(ctx.actor.id)).map((p) => p.pool);
    const roles = row.to_kind === 'role' ? await this.#d.rolesAt(ctx.actor.id, row.site) : [];
    // Names read before the transaction (an embedded store has one connection): whoever may hold it after the move.
    const names =
      row.notify_key === null
        ? new Map<string, StaffName>()
        : await this.#d.staff.namesOf([
            ctx.actor.id,
            ...(row.from_kind === 'user' ? [row.from_id] : []),
            ...(row.assignee !== null ? [row.assignee] : []),
          ]);
    const now = this.#clock.now();
    const version = await this.#d.audit.transact(
      async (tx) => {
        const cur = await lockRow(tx, id);
        const eligible = this.#eligible(cur, ctx.actor.id, pools, roles);
        const change = decide(cur, eligible);
        const to = change.to ?? { kind: cur.to_kind, ref: cur.to_ref };
        await tx.query(
          `update handoffs set status = $2, assignee = $3, to_kind = $4, to_ref = $5, version = version + 1,
             updated_at = $6 where id = $1`,
          [id, change.status, change.assignee, to.kind, to.ref, now],
        );
        if (event === 'done' && waitingStatuses.has(cur.status))
          await history(tx, id, now, 'accepted', ctx, cur.status, 'accepted', { direct: true });
        await history(
          tx,
          id,
          now,
          event,
          ctx,
          event === 'done' && waitingStatuses.has(cur.status) ? 'accepted' : cur.status,
          change.status,
          change.detail,
          change.reason === undefined ? undefined : this.#d.cipher.encrypt(change.reason, `handoffs:${id}:reason`),
        );
        await this.#d.engine.signal(handoffKey(id), change.signal, null, { tx, type: HANDOFF });
        if (cur.notify_type !== null && cur.notify_key !== null) {
          const holder = change.assignee;
          const moved: HandoffMoved = {
            handoffId: id,
            key: cur.source_key,
            event,
            status: change.status,
            assignee: holder === null ? null : { id: holder, name: names.get(holder)?.displayName ?? holder },
          };
          await this.#d.engine.signal(cur.notify_key, handoffMovedSignal, moved as unknown as Json, {
            tx,
            type: cur.notify_type,
          });
        }
        return cur.version + 1;
      },
      (v) => [
        auditEntry(ctx, 'phi.update', 'U', id, v, row.site, row.patient_id, `handoff_${event}`, [
          'status',
          ...(event === 'declined' ? ['reason'] : []),
        ]),
      ],
    );
    void version;
    return this.#reads.detail(id);
  }

  /**
   * Closes a handoff a workflow raised, by the key it raised it with, as done (its stage was reached,
   * its work became moot): the `handoff.close` effect, as the raising account (only the raiser may;
   * HANDOFF_NOT_YOURS otherwise). Idempotent: a done handoff stays as it is (`closed: false`). Not
   * raised yet (the raise effect has not run): HANDOFF_PENDING, retryable, so the effect waits for it.
   */
  async closeRaised(
    ctx: RequestContext,
    key: string,
    reason: string,
  ): Promise<{ readonly closed: boolean; readonly handoffId: string }> {
    assertValid(
      /^[a-z][a-z0-9-]{0,62}$/.test(reason) ? [] : [{ path: 'reason', message: 'a code, like stage-reached' }],
      'invalid close',
    );
    const id = await idByKey(this.#d.db, key);
    const row = id === undefined ? undefined : await rowById(this.#d.db, id);
    if (row === undefined)
      throw new OperationalError('HANDOFF_PENDING', 'the handoff to close has not been raised yet');
    await this.#d.policy.enforce(ctx, 'handoff.create', { site: row.site });
    if (row.from_id !== ctx.actor.id) throw new UserError('HANDOFF_NOT_YOURS', 'only its raiser closes a handoff');
    if (row.status === 'done') return { closed: false, handoffId: row.id };
    const now = this.#clock.now();
    const r = await this.#d.audit.transact(
      async (tx) => {
        const cur = await lockRow(tx, row.id);
        // Finished by a person a moment ago: the close has nothing to do (a re-run finds it done above).
        if (cur.status === 'done') throw new UserError('HANDOFF_STATE', 'the handoff is already done');
        await tx.query(`update handoffs set status = 'done', version = version + 1, updated_at = $2 where id = $1`, [
          row.id,
          now,
        ]);
        await history(tx, row.id, now, 'done', ctx, cur.status, 'done', { closedBy: 'raiser', reason });
        await this.#d.engine.signal(handoffKey(row.id), handoffSignals.done, null, { tx, type: HANDOFF });
        return { closed: true, version: cur.version + 1 };
      },
      (x) =>
        x.closed
          ? [
              auditEntry(ctx, 'phi.update', 'U', row.id, x.version, row.site, row.patient_id, 'handoff_closed', [
                'status',
              ]),
            ]
          : [],
    );
    return { closed: r.closed, handoffId: row.id };
  }

  #eligible(row: Row, me: string, pools: readonly string[], roles: readonly Role[]): boolean {
    if (row.assignee === me) return true;
    if (escalatedTo(row, me, pools)) return true;
    if (row.assignee !== null && row.to_kind === 'user') return false;
    if (row.to_kind === 'user') return row.to_ref === me;
    if (row.to_kind === 'pool') return pools.includes(row.to_ref);
    return roles.includes(row.to_ref as Role);
  }

  /** The target a caller named, resolved: a staff member's user id, or a pool with members. */
  async #target(site: string, to: HandoffTarget): Promise<{ kind: HandoffTarget['kind']; ref: string }> {
    if (to.kind === 'user') {
      const id = await this.#d.staff.resolve(to.ref);
      if (id === undefined)
        throw new UserError('STAFF_UNKNOWN', 'the handoff is offered to someone who is not staff', [
          { path: 'to.ref', message: 'a staff member (steward staff list)' },
        ]);
      return { kind: 'user', ref: id };
    }
    if (to.kind === 'pool') {
      const pools = await this.#poolSite(to.ref);
      if (pools !== site)
        throw new UserError('POOL_UNKNOWN', `pool ${to.ref} has no members at site ${site}`, [
          { path: 'to.ref', message: 'a pool of the site (steward pools list)' },
        ]);
    }
    return { kind: to.kind, ref: to.ref };
  }

  async #poolSite(pool: string): Promise<string | undefined> {
    const members = await this.#d.staff.membersOf(pool);
    const first = members[0];
    if (first === undefined) return undefined;
    return (await this.#d.staff.poolsOf(first.userId)).find((p) => p.pool === pool)?.site;
  }
}
