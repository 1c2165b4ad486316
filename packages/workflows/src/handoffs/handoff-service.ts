/**
 * @module The handoff service, governed: each method takes the request context first, asks the
 * decision point (`handoff.create`, `handoff.read`, `handoff.work` at the handoff's site; escalation
 * policies `config.manage`), and writes in the same transaction as its audit entry and its
 * workflow's input (start or signal), so a handoff, its history, its timers and its audit trail
 * never disagree. What is asked (and a decline's reason) is sealed; reading it is a PHI read,
 * audited with the handoff's patient. People are returned by name (the staff's display names).
 *
 * Workflows raise handoffs through `create` with their own account's context (steward-workflows,
 * role automation, holds `handoff.create`); the engine's effects call `escalate` and `expire`,
 * which act as that account too.
 */
import {
  ConflictError,
  NotFoundError,
  UserError,
  systemClock,
  type Clock,
  type RequestContext,
  type Role,
} from '@steward/core';
import type { BusinessCalendar, PoolMembership, StaffName } from '@steward/clinic';
import { sourceOf, type AuditEntryInput, type PolicyDecisionPoint } from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import {
  assertValid,
  checkAsk,
  checkDue,
  checkKind,
  checkSteps,
  checkSubject,
  checkTarget,
  delayEnd,
  dueInstant,
  waitingStatuses,
  type EscalationStep,
  type EscalationTarget,
  type HandoffDue,
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
import type { Json } from '../engine/index.js';

export interface HandoffAudit {
  transact<T>(write: (tx: Sql) => Promise<T>, entries: (result: T) => readonly AuditEntryInput[]): Promise<T>;
  append(entry: AuditEntryInput): Promise<unknown>;
}

/** The engine as handoffs use it: start and signal inside the caller's transaction. */
export interface HandoffEngine {
  start(type: string, key: string, payload: Json, options: { tx: Sql }): Promise<unknown>;
  signal(key: string, name: string, payload: Json, options: { tx: Sql; type: string }): Promise<number>;
}

export interface HandoffServiceDeps {
  readonly db: Database;
  readonly cipher: {
    encrypt(plaintext: string, context: string): Buffer;
    decrypt(sealed: Uint8Array, context: string): Buffer;
  };
  readonly policy: Pick<PolicyDecisionPoint, 'enforce' | 'decide'>;
  readonly audit: HandoffAudit;
  readonly engine: HandoffEngine;
  readonly staff: {
    resolve(user: string): Promise<string | undefined>;
    namesOf(userIds: readonly string[]): Promise<ReadonlyMap<string, StaffName>>;
    leadOf(userId: string): Promise<StaffName | undefined>;
    poolsOf(userId: string): Promise<readonly PoolMembership[]>;
    membersOf(pool: string): Promise<readonly StaffName[]>;
  };
  readonly rotas: { onCallAt(site: string, rota: string, at: Date): Promise<string | undefined> };
  /** The site's business calendar (its record's clock, or the defaults for a site without one). */
  readonly calendarOf: (site: string) => Promise<BusinessCalendar>;
  /** The roles the user's grants give at a site (a role-directed handoff is theirs to take). */
  readonly rolesAt: (userId: string, site: string) => Promise<readonly Role[]>;
  /** Refuses a site that is not configured (SITE_UNKNOWN), as grants do. */
  readonly sites?: { assertUsable(site: string): Promise<void> };
  readonly clock?: Clock;
}

/**
 * What a caller (a person, or a workflow such as intake) gives to raise a handoff. `to` is a user
 * (id or username), a pool of the site, or a role at the site; `due` an instant or a span of the
 * site's business hours or days from now (none: no deadline). `ask` is a short instruction; it is
 * sealed, but keep it reference-level ("call back to complete the intake form").
 */
export interface HandoffInput {
  readonly site: string;
  readonly kind: string;
  readonly subject: HandoffSubject;
  readonly to: HandoffTarget;
  readonly ask: string;
  readonly due?: HandoffDue;
  /** The Steward patient the work is about (audit names it); for a patient subject, its id is used. */
  readonly patientId?: string;
  /**
   * An idempotency key (up to 200 characters; a workflow effect's key, an intake document's id): a
   * second create with a key already used returns the first handoff, unchanged and not audited again.
   */
  readonly key?: string;
}

export interface PersonRef {
  readonly kind: 'user' | 'service' | 'pool' | 'role' | 'none';
  readonly id: string;
  readonly name: string;
}

export interface HandoffView {
  readonly id: string;
  readonly site: string;
  readonly kind: string;
  readonly subject: HandoffSubject;
  readonly patientId: string | null;
  readonly from: PersonRef;
  readonly to: PersonRef;
  readonly assignee: PersonRef | null;
  readonly status: HandoffStatus;
  readonly ask: string;
  readonly dueAt: string | null;
  readonly overdue: boolean;
  readonly escalatedTo: readonly PersonRef[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface HandoffHistoryEntry {
  readonly seq: number;
  readonly at: string;
  readonly event: 'offered' | 'accepted' | 'declined' | 'done' | 'expired' | 'escalated';
  readonly actor: PersonRef;
  readonly fromStatus: HandoffStatus | null;
  readonly toStatus: HandoffStatus;
  readonly detail: Readonly<Record<string, Json>>;
  readonly reason?: string;
}

export interface HandoffDetail extends HandoffView {
  readonly history: readonly HandoffHistoryEntry[];
}

export interface EscalationPolicy {
  readonly site: string;
  readonly kind: string;
  readonly steps: readonly EscalationStep[];
  /** 0: no policy set (no escalation). */
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
}

interface Row {
  id: string;
  site: string;
  kind: string;
  subject_kind: HandoffSubject['kind'];
  subject_id: string;
  patient_id: string | null;
  from_kind: 'user' | 'service';
  from_id: string;
  from_name: string;
  to_kind: HandoffTarget['kind'];
  to_ref: string;
  assignee: string | null;
  status: HandoffStatus;
  ask_enc: Uint8Array;
  due_at: Date | null;
  escalated_to: { kind: 'user' | 'pool'; ref: string }[] | string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const columns = `id::text as id, site, kind, subject_kind, subject_id, patient_id::text as patient_id, from_kind,
  from_id, from_name, to_kind, to_ref, assignee::text as assignee, status, ask_enc, due_at, escalated_to, version,
  created_at, updated_at`;
/** Overdue first (the earliest deadline first), then by deadline, then the oldest. */
const order = `order by (due_at is not null and due_at < $1 and status <> 'done') desc, due_at asc nulls last, created_at, id`;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxList = 200;

export class HandoffService {
  readonly #d: HandoffServiceDeps;
  readonly #clock: Clock;

  constructor(deps: HandoffServiceDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
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
      ],
      'invalid handoff',
    );
    await this.#d.sites?.assertUsable(input.site);
    const existing = input.key === undefined ? undefined : await this.#byKey(input.key);
    if (existing !== undefined) return this.#detail(existing);
    const to = await this.#target(input.site, input.to);
    const patientId =
      input.patientId ?? (input.subject.kind === 'patient' && uuid.test(input.subject.id) ? input.subject.id : null);
    const now = this.#clock.now();
    const calendar = await this.#d.calendarOf(input.site);
    const dueAt = input.due === undefined ? null : dueInstant(calendar, now, input.due);
    const policy = await this.#policy(input.site, input.kind);
    const steps: PlannedStep[] = policy.steps.map((s) => ({
      condition: s.condition,
      at: delayEnd(calendar, now, s.delay).toISOString(),
      target: s.target,
    }));
    const id = crypto.randomUUID();
    const start: HandoffStart = { handoffId: id, site: input.site, steps, dueAt: dueAt?.toISOString() ?? null };
    const created = await this.#d.audit.transact(
      async (tx) => {
        const inserted = await tx.query(
          `insert into handoffs (id, site, kind, subject_kind, subject_id, patient_id, from_kind, from_id, from_name,
             to_kind, to_ref, assignee, status, ask_enc, due_at, policy_version, source_key, version, created_at,
             updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'offered', $13, $14, $15, $17, 1, $16, $16)
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
          ],
        );
        // The same key raised at the same moment by another process: theirs stands.
        if (inserted.rowCount === 0) return false;
        await history(tx, id, now, 'offered', ctx, null, 'offered', {
          to: { kind: to.kind, ref: to.ref },
          ...(dueAt !== null ? { dueAt: dueAt.toISOString() } : {}),
          steps: steps.length,
        });
        await this.#d.engine.start(HANDOFF, handoffKey(id), start as unknown as Json, { tx });
        return true;
      },
      (made) =>
        made
          ? [this.#entry(ctx, 'phi.create', 'C', id, 1, input.site, patientId, 'handoff_offered', ['ask', 'to', 'due'])]
          : [],
    );
    if (!created && input.key !== undefined) return this.#detail((await this.#byKey(input.key)) ?? id);
    return this.#detail(id);
  }

  /** The caller's work: handoffs they hold, offered to them, their pools or their roles, or escalated to them. */
  async mine(ctx: RequestContext, filter: { readonly limit?: number } = {}): Promise<readonly HandoffView[]> {
    const me = ctx.actor.id;
    const pools = (await this.#d.staff.poolsOf(me)).map((p) => p.pool);
    const { rows } = await this.#d.db.query<Row>(
      `select ${columns} from handoffs h
       where status <> 'done' and (
         assignee::text = $2
         or (assignee is null and ((to_kind = 'pool' and to_ref = any($3::text[])) or to_kind = 'role'))
         or exists (select 1 from jsonb_array_elements(h.escalated_to) e
                    where (e->>'kind' = 'user' and e->>'ref' = $2) or (e->>'kind' = 'pool' and e->>'ref' = any($3::text[]))))
       ${order} limit $4`,
      [this.#clock.now(), me, pools, Math.min(filter.limit ?? maxList, maxList)],
    );
    // A role-directed handoff is the caller's where their grants give that role at its site.
    const roleCache = new Map<string, readonly Role[]>();
    const mineRows: Row[] = [];
    for (const r of rows) {
      if (r.to_kind === 'role' && r.assignee === null && !this.#escalatedTo(r, me, pools)) {
        let held = roleCache.get(r.site);
        if (held === undefined) roleCache.set(r.site, (held = await this.#d.rolesAt(me, r.site)));
        if (!held.includes(r.to_ref as Role)) continue;
      }
      mineRows.push(r);
    }
    return this.#listed(ctx, mineRows, 'handoff_queue_mine');
  }

  /** A pool's queue: the open handoffs offered to it (or escalated to it). Needs handoff.read at the pool's site. */
  async pool(
    ctx: RequestContext,
    pool: string,
    filter: { readonly limit?: number } = {},
  ): Promise<readonly HandoffView[]> {
    const members = await this.#d.staff.membersOf(pool);
    if (members.length === 0) throw new NotFoundError('pool');
    const { rows } = await this.#d.db.query<Row>(
      `select ${columns} from handoffs h
       where status <> 'done' and ((to_kind = 'pool' and to_ref = $2)
         or exists (select 1 from jsonb_array_elements(h.escalated_to) e where e->>'kind' = 'pool' and e->>'ref' = $2))
       ${order} limit $3`,
      [this.#clock.now(), pool, Math.min(filter.limit ?? maxList, maxList)],
    );
    return this.#listed(ctx, rows, 'handoff_queue_pool');
  }

  /** Every handoff about a subject (done ones too), at the sites the caller may read. */
  async bySubject(ctx: RequestContext, subject: HandoffSubject): Promise<readonly HandoffView[]> {
    assertValid(checkSubject(subject), 'invalid subject');
    const { rows } = await this.#d.db.query<Row>(
      `select ${columns} from handoffs where subject_kind = $2 and subject_id = $3 ${order} limit ${maxList}`,
      [this.#clock.now(), subject.kind, subject.id],
    );
    return this.#listed(ctx, rows, 'handoff_subject');
  }

  /** One handoff with its history; NOT_FOUND when absent or at a site the caller may not read. */
  async show(ctx: RequestContext, id: string): Promise<HandoffDetail> {
    const row = await this.#row(id);
    if (row === undefined || !(await this.#d.policy.decide(ctx, 'handoff.read', { site: row.site })).allowed) {
      if (row !== undefined)
        await this.#d.policy.enforce(ctx, 'handoff.read', { site: row.site }).catch(() => undefined);
      throw new NotFoundError('handoff');
    }
    const detail = await this.#detail(id);
    await this.#d.audit.append(
      this.#entry(ctx, 'phi.read', 'R', id, row.version, row.site, row.patient_id, 'handoff_read', ['ask', 'history']),
    );
    return detail;
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
    const row0 = await this.#row(id);
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

  /** A site+kind's escalation policy (version 0 and no steps when none is set). */
  async policy(ctx: RequestContext, site: string, kind: string): Promise<EscalationPolicy> {
    assertValid(checkKind(kind), 'invalid kind');
    if (!(await this.#d.policy.decide(ctx, 'handoff.read', { site })).allowed)
      await this.#d.policy.enforce(ctx, 'config.manage', { site });
    return this.#policy(site, kind);
  }

  /**
   * Replaces a site+kind's escalation policy (config.manage, audited `config.changed` with the new
   * version). Handoffs already raised keep the steps they were planned with.
   */
  async setPolicy(
    ctx: RequestContext,
    site: string,
    kind: string,
    steps: readonly EscalationStep[],
    expectedVersion?: number,
  ): Promise<EscalationPolicy> {
    await this.#d.policy.enforce(ctx, 'config.manage', { site });
    assertValid([...checkKind(kind), ...checkSteps(steps)], 'invalid escalation policy');
    await this.#d.sites?.assertUsable(site);
    for (const [i, s] of steps.entries())
      if (s.target.kind === 'pool' && (await this.#d.staff.membersOf(s.target.ref)).length === 0)
        throw new UserError('POOL_UNKNOWN', `pool ${s.target.ref} has no members`, [
          { path: `steps.${i}.target`, message: 'a pool of the site (steward pools list)' },
        ]);
    const now = this.#clock.now();
    const clean = steps.map((s) => ({
      condition: s.condition,
      delay: { amount: s.delay.amount, unit: s.delay.unit, business: s.delay.business },
      target: s.target.kind === 'lead' ? { kind: 'lead' } : { kind: s.target.kind, ref: s.target.ref },
    }));
    const version = await this.#d.audit.transact(
      async (tx) => {
        const cur = await tx.query<{ version: number }>(
          'select version from handoff_escalation_policies where site = $1 and kind = $2 for update',
          [site, kind],
        );
        const current = cur.rows[0]?.version ?? 0;
        if (expectedVersion !== undefined && expectedVersion !== current)
          throw new ConflictError('VERSION_CONFLICT', `escalation policy changed since version ${expectedVersion}`);
        await tx.query(
          `insert into handoff_escalation_policies (site, kind, steps, version, updated_by, updated_at)
           values ($1, $2, $3, $4, $5, $6)
           on conflict (site, kind) do update set steps = $3, version = $4, updated_by = $5, updated_at = $6`,
          [site, kind, JSON.stringify(clean), current + 1, ctx.actor.id, now],
        );
        return current + 1;
      },
      (v) => [
        {
          actor: ctx.actor,
          event: 'config.changed',
          action: v === 1 ? 'C' : 'U',
          outcome: 'success',
          entity: { kind: 'HandoffEscalationPolicy', id: `${site}/${kind}`, version: v },
          fields: ['steps'],
          site,
          source: sourceOf(ctx),
          reason: 'escalation_policy_set',
        },
      ],
    );
    const p = await this.#policy(site, kind);
    if (p.version !== version) throw new ConflictError('VERSION_CONFLICT', 'escalation policy changed meanwhile');
    return p;
  }

  /**
   * An escalation step fired (the `handoff.escalate` effect, as the workflows' account): once per
   * (handoff, step) whatever the re-runs; skipped when the handoff is done, or accepted for a
   * not-accepted step. A not-accepted step re-offers the handoff to its target; a not-done step
   * notifies it (the handoff shows in the target's queue). Unresolved (no lead, nobody on call): the
   * history says so, and the handoff stays where it is.
   */
  async escalate(
    ctx: RequestContext,
    input: EscalateInput,
    effectKey: string,
  ): Promise<{ readonly fired: boolean; readonly target: PersonRef | null; readonly skipped?: string }> {
    const row = await this.#row(input.handoffId);
    if (row === undefined) throw new NotFoundError('handoff');
    const firedAt = this.#clock.now();
    const target = await this.#resolveEscalation(row, input.target, firedAt);
    return this.#d.audit.transact(
      async (tx) => {
        const cur = await lockRow(tx, input.handoffId);
        if (cur.status === 'done') return { fired: false, target: null, skipped: 'done' };
        if (input.condition === 'not-accepted' && cur.status === 'accepted')
          return { fired: false, target: null, skipped: 'accepted' };
        const inserted = await tx.query(
          `insert into handoff_escalations (handoff_id, step, condition, policy_at, fired_at, target, effect_key)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict (handoff_id, step) do nothing`,
          [
            input.handoffId,
            input.step,
            input.condition,
            new Date(input.policyAt),
            firedAt,
            JSON.stringify({ spec: input.target, resolved: target }),
            effectKey,
          ],
        );
        if (inserted.rowCount === 0) return { fired: false, target, skipped: 'already' };
        const escalatedTo = json(cur.escalated_to);
        let next = { status: cur.status, to_kind: cur.to_kind, to_ref: cur.to_ref, assignee: cur.assignee };
        if (target !== null && (target.kind === 'user' || target.kind === 'pool')) {
          if (!escalatedTo.some((e) => e.kind === target.kind && e.ref === target.id))
            escalatedTo.push({ kind: target.kind, ref: target.id });
          if (input.condition === 'not-accepted')
            next = {
              status: cur.status === 'declined' ? 'offered' : cur.status,
              to_kind: target.kind,
              to_ref: target.id,
              assignee: target.kind === 'user' ? target.id : null,
            };
        }
        await tx.query(
          `update handoffs set status = $2, to_kind = $3, to_ref = $4, assignee = $5, escalated_to = $6,
             version = version + 1, updated_at = $7 where id = $1`,
          [cur.id, next.status, next.to_kind, next.to_ref, next.assignee, JSON.stringify(escalatedTo), firedAt],
        );
        await history(tx, cur.id, firedAt, 'escalated', ctx, cur.status, next.status, {
          step: input.step,
          condition: input.condition,
          policyAt: input.policyAt,
          target: input.target,
          resolved: target === null ? null : { kind: target.kind, id: target.id },
        });
        return { fired: true, target, version: cur.version + 1 };
      },
      (r) =>
        r.fired
          ? [
              this.#entry(
                ctx,
                'phi.update',
                'U',
                row.id,
                (r as { version: number }).version,
                row.site,
                row.patient_id,
                'handoff_escalated',
                ['to', 'escalatedTo'],
              ),
            ]
          : [],
    );
  }

  /** The deadline passed (the `handoff.expire` effect): an offered, declined or accepted handoff becomes expired. */
  async expire(ctx: RequestContext, handoffId: string): Promise<{ readonly expired: boolean }> {
    const now = this.#clock.now();
    const row = await this.#row(handoffId);
    if (row === undefined) throw new NotFoundError('handoff');
    return this.#d.audit
      .transact(
        async (tx) => {
          const cur = await lockRow(tx, handoffId);
          if (cur.status === 'done' || cur.status === 'expired') return { expired: false, version: cur.version };
          await tx.query(
            `update handoffs set status = 'expired', version = version + 1, updated_at = $2 where id = $1`,
            [handoffId, now],
          );
          await history(tx, handoffId, now, 'expired', ctx, cur.status, 'expired', {});
          return { expired: true, version: cur.version + 1 };
        },
        (r) =>
          r.expired
            ? [
                this.#entry(ctx, 'phi.update', 'U', row.id, r.version, row.site, row.patient_id, 'handoff_expired', [
                  'status',
                ]),
              ]
            : [],
      )
      .then((r) => ({ expired: r.expired }));
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
    const row = await this.#row(id);
    if (row === undefined) throw new NotFoundError('handoff');
    await this.#d.policy.enforce(ctx, 'handoff.work', { site: row.site });
    const pools = (await this.#d.staff.poolsOf(ctx.actor.id)).map((p) => p.pool);
    const roles = row.to_kind === 'role' ? await this.#d.rolesAt(ctx.actor.id, row.site) : [];
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
        return cur.version + 1;
      },
      (v) => [
        this.#entry(ctx, 'phi.update', 'U', id, v, row.site, row.patient_id, `handoff_${event}`, [
          'status',
          ...(event === 'declined' ? ['reason'] : []),
        ]),
      ],
    );
    void version;
    return this.#detail(id);
  }

  #eligible(row: Row, me: string, pools: readonly string[], roles: readonly Role[]): boolean {
    if (row.assignee === me) return true;
    if (this.#escalatedTo(row, me, pools)) return true;
    if (row.assignee !== null && row.to_kind === 'user') return false;
    if (row.to_kind === 'user') return row.to_ref === me;
    if (row.to_kind === 'pool') return pools.includes(row.to_ref);
    return roles.includes(row.to_ref as Role);
  }

  #escalatedTo(row: Row, me: string, pools: readonly string[]): boolean {
    return json(row.escalated_to).some(
      (e) => (e.kind === 'user' && e.ref === me) || (e.kind === 'pool' && pools.includes(e.ref)),
    );
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

  /** Who an escalation step names now: the owner's lead, a pool, or the rota's person on call. */
  async #resolveEscalation(row: Row, target: EscalationTarget, at: Date): Promise<PersonRef | null> {
    if (target.kind === 'pool') return { kind: 'pool', id: target.ref, name: target.ref };
    if (target.kind === 'rota') {
      const user = await this.#d.rotas.onCallAt(row.site, target.ref, at);
      return user === undefined ? null : this.#person('user', user);
    }
    const owner = row.assignee ?? (row.to_kind === 'user' ? row.to_ref : row.from_kind === 'user' ? row.from_id : null);
    const lead = owner === null ? undefined : await this.#d.staff.leadOf(owner);
    return lead === undefined ? null : { kind: 'user', id: lead.userId, name: lead.displayName };
  }

  async #person(kind: 'user', id: string): Promise<PersonRef> {
    const name = (await this.#d.staff.namesOf([id])).get(id)?.displayName;
    return { kind, id, name: name ?? id };
  }

  async #policy(site: string, kind: string): Promise<EscalationPolicy> {
    const { rows } = await this.#d.db.query<{
      steps: EscalationStep[] | string;
      version: number;
      updated_by: string;
      updated_at: Date;
    }>('select steps, version, updated_by, updated_at from handoff_escalation_policies where site = $1 and kind = $2', [
      site,
      kind,
    ]);
    const r = rows[0];
    return r === undefined
      ? { site, kind, steps: [], version: 0, updatedBy: null, updatedAt: null }
      : {
          site,
          kind,
          steps: json(r.steps),
          version: r.version,
          updatedBy: r.updated_by,
          updatedAt: r.updated_at.toISOString(),
        };
  }

  async #byKey(key: string): Promise<string | undefined> {
    const { rows } = await this.#d.db.query<{ id: string }>(
      'select id::text as id from handoffs where source_key = $1',
      [key],
    );
    return rows[0]?.id;
  }

  async #row(id: string): Promise<Row | undefined> {
    if (!uuid.test(id)) return undefined;
    const { rows } = await this.#d.db.query<Row>(`select ${columns} from handoffs where id = $1`, [id]);
    return rows[0];
  }

  /** Rows the caller may read (handoff.read decided once per site), as views; audited as one PHI search. */
  async #listed(ctx: RequestContext, rows: readonly Row[], reason: string): Promise<readonly HandoffView[]> {
    const allowed = new Map<string, boolean>();
    const visible: Row[] = [];
    for (const r of rows) {
      let ok = allowed.get(r.site);
      if (ok === undefined)
        allowed.set(r.site, (ok = (await this.#d.policy.decide(ctx, 'handoff.read', { site: r.site })).allowed));
      if (ok) visible.push(r);
    }
    if (visible.length === 0 && rows.length > 0 && allowed.size > 0)
      await this.#d.policy.enforce(ctx, 'handoff.read', { site: rows[0]?.site ?? '' });
    const views = await this.#views(visible);
    if (views.length > 0)
      await this.#d.audit.append({
        actor: ctx.actor,
        event: 'phi.search',
        action: 'R',
        outcome: 'success',
        patientIds: [...new Set(visible.flatMap((r) => (r.patient_id === null ? [] : [r.patient_id])))],
        fields: ['ask'],
        ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
        source: sourceOf(ctx),
        reason,
      });
    return views;
  }

  async #views(rows: readonly Row[]): Promise<HandoffView[]> {
    const ids = rows.flatMap((r) => [
      ...(r.from_kind === 'user' ? [r.from_id] : []),
      ...(r.to_kind === 'user' ? [r.to_ref] : []),
      ...(r.assignee !== null ? [r.assignee] : []),
      ...json(r.escalated_to).flatMap((e) => (e.kind === 'user' ? [e.ref] : [])),
    ]);
    const names = await this.#d.staff.namesOf(ids);
    const nameOf = (id: string, fallback: string): string => names.get(id)?.displayName ?? fallback;
    const now = this.#clock.now().getTime();
    return rows.map((r) => ({
      id: r.id,
      site: r.site,
      kind: r.kind,
      subject: { kind: r.subject_kind, id: r.subject_id },
      patientId: r.patient_id,
      from: {
        kind: r.from_kind,
        id: r.from_id,
        name: r.from_kind === 'user' ? nameOf(r.from_id, r.from_name) : r.from_name,
      },
      to: { kind: r.to_kind, id: r.to_ref, name: r.to_kind === 'user' ? nameOf(r.to_ref, r.to_ref) : r.to_ref },
      assignee: r.assignee === null ? null : { kind: 'user', id: r.assignee, name: nameOf(r.assignee, r.assignee) },
      status: r.status,
      ask: this.#d.cipher.decrypt(r.ask_enc, `handoffs:${r.id}`).toString('utf8'),
      dueAt: r.due_at?.toISOString() ?? null,
      overdue: r.due_at !== null && r.status !== 'done' && r.due_at.getTime() < now,
      escalatedTo: json(r.escalated_to).map((e) => ({
        kind: e.kind,
        id: e.ref,
        name: e.kind === 'user' ? nameOf(e.ref, e.ref) : e.ref,
      })),
      version: r.version,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  async #detail(id: string): Promise<HandoffDetail> {
    const row = await this.#row(id);
    if (row === undefined) throw new NotFoundError('handoff');
    const [view] = await this.#views([row]);
    const { rows } = await this.#d.db.query<{
      seq: number;
      at: Date;
      event: HandoffHistoryEntry['event'];
      actor_kind: 'user' | 'service';
      actor_id: string;
      actor_name: string;
      from_status: HandoffStatus | null;
      to_status: HandoffStatus;
      detail: Record<string, Json> | string;
      reason_enc: Uint8Array | null;
    }>(
      `select seq, at, event, actor_kind, actor_id, actor_name, from_status, to_status, detail, reason_enc
       from handoff_history where handoff_id = $1 order by seq`,
      [id],
    );
    const names = await this.#d.staff.namesOf(rows.filter((r) => r.actor_kind === 'user').map((r) => r.actor_id));
    return {
      ...(view as HandoffView),
      history: rows.map((r) => ({
        seq: r.seq,
        at: r.at.toISOString(),
        event: r.event,
        actor: { kind: r.actor_kind, id: r.actor_id, name: names.get(r.actor_id)?.displayName ?? r.actor_name },
        fromStatus: r.from_status,
        toStatus: r.to_status,
        detail: json(r.detail),
        ...(r.reason_enc !== null
          ? { reason: this.#d.cipher.decrypt(r.reason_enc, `handoffs:${id}:reason`).toString('utf8') }
          : {}),
      })),
    };
  }

  #entry(
    ctx: RequestContext,
    event: 'phi.create' | 'phi.update' | 'phi.read',
    action: 'C' | 'U' | 'R',
    id: string,
    version: number,
    site: string,
    patientId: string | null,
    reason: string,
    fields: string[],
  ): AuditEntryInput {
    return {
      actor: ctx.actor,
      event,
      action,
      outcome: 'success',
      entity: { kind: 'Handoff', id, version },
      fields,
      site,
      ...(patientId !== null ? { patientIds: [patientId] } : {}),
      ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
      source: sourceOf(ctx),
      reason,
    };
  }
}

async function lockRow(tx: Sql, id: string): Promise<Row> {
  const { rows } = await tx.query<Row>(`select ${columns} from handoffs where id = $1 for update`, [id]);
  const row = rows[0];
  if (row === undefined) throw new NotFoundError('handoff');
  return row;
}

async function history(
  tx: Sql,
  id: string,
  at: Date,
  event: HandoffHistoryEntry['event'],
  ctx: RequestContext,
  from: HandoffStatus | null,
  to: HandoffStatus,
  detail: Record<string, Json>,
  reason?: Buffer,
): Promise<void> {
  await tx.query(
    `insert into handoff_history (handoff_id, seq, at, event, actor_kind, actor_id, actor_name, from_status, to_status,
       detail, reason_enc)
     select $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10 from handoff_history where handoff_id = $1`,
    [id, at, event, ctx.actor.kind, ctx.actor.id, ctx.actor.name, from, to, JSON.stringify(detail), reason ?? null],
  );
}

/** jsonb comes back parsed from PostgreSQL and PGlite; a string is parsed for safety. */
function json<T>(v: T | string): T {
  return typeof v === 'string' ? (JSON.parse(v) as T) : v;
}
