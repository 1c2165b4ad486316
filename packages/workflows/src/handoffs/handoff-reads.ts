/**
 * @module The handoffs' reads: a person's work, a pool's queue, a subject's handoffs, one handoff
 * with its history; each decided per site (handoff.read) and audited as a PHI read or search (what
 * is asked is sealed and may name a patient).
 */
import { NotFoundError, type Clock, type RequestContext, type Role } from '@steward/core';
import { sourceOf } from '@steward/governance';
import { assertValid, checkSubject, type HandoffStatus, type HandoffSubject } from './handoff-model.js';
import { auditEntry, columns, escalatedTo, json, maxList, order, rowById, type Row } from './handoff-rows.js';
import type { HandoffDetail, HandoffHistoryEntry, HandoffServiceDeps, HandoffView } from './handoff-types.js';
import type { Json } from '../engine/index.js';

export class HandoffReads {
  readonly #d: HandoffServiceDeps;
  readonly #clock: Clock;

  constructor(deps: HandoffServiceDeps, clock: Clock) {
    this.#d = deps;
    this.#clock = clock;
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
      if (r.to_kind === 'role' && r.assignee === null && !escalatedTo(r, me, pools)) {
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
    const row = await rowById(this.#d.db, id);
    if (row === undefined || !(await this.#d.policy.decide(ctx, 'handoff.read', { site: row.site })).allowed) {
      if (row !== undefined)
        await this.#d.policy.enforce(ctx, 'handoff.read', { site: row.site }).catch(() => undefined);
      throw new NotFoundError('handoff');
    }
    const detail = await this.detail(id);
    await this.#d.audit.append(
      auditEntry(ctx, 'phi.read', 'R', id, row.version, row.site, row.patient_id, 'handoff_read', ['ask', 'history']),
    );
    return detail;
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
    const views = await this.views(visible);
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

  async views(rows: readonly Row[]): Promise<HandoffView[]> {
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

  async detail(id: string): Promise<HandoffDetail> {
    const row = await rowById(this.#d.db, id);
    if (row === undefined) throw new NotFoundError('handoff');
    const [view] = await this.views([row]);
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
}
