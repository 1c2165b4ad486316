/**
 * @module What the handoff workflow's effects do (as the workflows' account): an escalation step
 * fired (once per handoff and step, whatever the re-runs) and the deadline passed.
 */
import { NotFoundError, type Clock, type RequestContext } from '@steward/core';
import type { EscalationTarget } from './handoff-model.js';
import { auditEntry, json, lockRow, history, rowById, type Row } from './handoff-rows.js';
import type { HandoffServiceDeps, PersonRef } from './handoff-types.js';
import type { EscalateInput } from './handoff-workflow.js';
import { handoffMovedSignal, type HandoffMoved } from './handoff-types.js';
import type { Json } from '../engine/index.js';

export class HandoffEscalator {
  readonly #d: HandoffServiceDeps;
  readonly #clock: Clock;

  constructor(deps: HandoffServiceDeps, clock: Clock) {
    this.#d = deps;
    this.#clock = clock;
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
    const row = await rowById(this.#d.db, input.handoffId);
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
        // The raising workflow hears of it (a referral counts as escalated), in the same transaction.
        if (target !== null && cur.notify_type !== null && cur.notify_key !== null) {
          const moved: HandoffMoved = {
            handoffId: cur.id,
            key: cur.source_key,
            event: 'escalated',
            status: next.status,
            assignee: target.kind === 'user' ? { id: target.id, name: target.name } : null,
          };
          await this.#d.engine.signal(cur.notify_key, handoffMovedSignal, moved as unknown as Json, {
            tx,
            type: cur.notify_type,
          });
        }
        return { fired: true, target, version: cur.version + 1 };
      },
      (r) =>
        r.fired
          ? [
              auditEntry(
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
    const row = await rowById(this.#d.db, handoffId);
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
                auditEntry(ctx, 'phi.update', 'U', row.id, r.version, row.site, row.patient_id, 'handoff_expired', [
                  'status',
                ]),
              ]
            : [],
      )
      .then((r) => ({ expired: r.expired }));
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
}
