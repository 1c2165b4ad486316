/**
 * @module Legal holds: while one is active, the purge keeps what it names. A patient hold keeps
 * that patient's rows in every kind that can tell its rows by patient; a case hold (litigation, an
 * investigation, an open incident) suspends every purge, since Steward cannot tell which rows a
 * case covers. The subject and the reason are sealed (they may be PHI); placing and releasing are
 * audited with the row.
 */
import { ConflictError, NotFoundError, ValidationError, newId, systemClock, type RequestContext } from '@steward/core';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { sourceOf } from '../policy/decision-point.js';
import type { HeldPatient } from './retention-kinds.js';
import type { RetentionDeps } from './retention-policies.js';

export type LegalHoldInput =
  | { readonly scope: 'patient'; readonly patient: HeldPatient; readonly reason: string }
  | { readonly scope: 'case'; readonly caseRef: string; readonly reason: string };

export type LegalHold = LegalHoldInput & {
  readonly id: string;
  readonly placedBy: string;
  readonly placedAt: string;
  readonly releasedBy?: string;
  readonly releasedAt?: string;
};

interface HoldRow {
  id: string;
  scope: 'patient' | 'case';
  subject_enc: Uint8Array;
  placed_by: string;
  placed_at: Date;
  released_by: string | null;
  released_at: Date | null;
}

type Subject = { patient: HeldPatient; reason: string } | { caseRef: string; reason: string };

export class LegalHolds {
  constructor(private readonly deps: RetentionDeps & { readonly cipher: FieldCipher }) {}

  async place(ctx: RequestContext, input: LegalHoldInput): Promise<LegalHold> {
    await this.deps.policy.enforce(ctx, 'retention.manage');
    checkInput(input);
    const id = newId();
    const now = (this.deps.clock ?? systemClock).now();
    const subject: Subject =
      input.scope === 'patient'
        ? { patient: input.patient, reason: input.reason }
        : { caseRef: input.caseRef, reason: input.reason };
    const sealed = this.deps.cipher.encrypt(JSON.stringify(subject), `legal_holds:${id}`);
    await this.deps.audit.transact(
      (tx) =>
        tx.query('insert into legal_holds (id, scope, subject_enc, placed_by, placed_at) values ($1, $2, $3, $4, $5)', [
          id,
          input.scope,
          sealed,
          ctx.actor.id,
          now,
        ]),
      () => [this.entry(ctx, id, input, 'C', 'placed')],
    );
    return { ...input, id, placedBy: ctx.actor.id, placedAt: now.toISOString() };
  }

  async release(ctx: RequestContext, id: string): Promise<LegalHold> {
    await this.deps.policy.enforce(ctx, 'retention.manage');
    const hold = await this.load(id);
    if (hold.releasedAt !== undefined)
      throw new ConflictError('VERSION_CONFLICT', 'this legal hold was released already');
    const now = (this.deps.clock ?? systemClock).now();
    await this.deps.audit.transact(
      async (tx) => {
        const { rowCount } = await tx.query(
          'update legal_holds set released_by = $2, released_at = $3 where id = $1 and released_at is null',
          [id, ctx.actor.id, now],
        );
        if (rowCount !== 1) throw new ConflictError('VERSION_CONFLICT', 'this legal hold was released meanwhile');
      },
      () => [this.entry(ctx, id, hold, 'U', 'released')],
    );
    return { ...hold, releasedBy: ctx.actor.id, releasedAt: now.toISOString() };
  }

  /** Every hold, active ones first. Reading them (patient identifiers) is audited. */
  async list(ctx: RequestContext): Promise<readonly LegalHold[]> {
    await this.deps.policy.enforce(ctx, 'retention.manage');
    const holds = await this.all();
    const patientIds = holds.flatMap((h) =>
      h.scope === 'patient' && h.patient.stewardId !== undefined ? [h.patient.stewardId] : [],
    );
    await this.deps.audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      entity: { kind: 'LegalHold', id: '*' },
      ...(patientIds.length > 0 ? { patientIds: [...new Set(patientIds)] } : {}),
      source: sourceOf(ctx),
      reason: `holds:${holds.length}`,
    });
    return holds;
  }

  /** The active holds, unsealed, without a permission check: for the purge, which checks its own. */
  async active(): Promise<readonly LegalHold[]> {
    return (await this.all()).filter((h) => h.releasedAt === undefined);
  }

  private async all(): Promise<LegalHold[]> {
    const { rows } = await this.deps.db.query<HoldRow>(
      `select id, scope, subject_enc, placed_by, placed_at, released_by, released_at from legal_holds
        order by (released_at is null) desc, placed_at, id`,
    );
    return rows.map((r) => this.open(r));
  }

  private async load(id: string): Promise<LegalHold> {
    const { rows } = await this.deps.db.query<HoldRow>(
      'select id, scope, subject_enc, placed_by, placed_at, released_by, released_at from legal_holds where id = $1',
      [id],
    );
    const row = rows[0];
    if (row === undefined) throw new NotFoundError('legal hold');
    return this.open(row);
  }

  private open(r: HoldRow): LegalHold {
    const subject = JSON.parse(
      this.deps.cipher.decrypt(r.subject_enc, `legal_holds:${r.id}`).toString('utf8'),
    ) as Subject;
    const base = {
      id: r.id,
      placedBy: r.placed_by,
      placedAt: r.placed_at.toISOString(),
      ...(r.released_by !== null ? { releasedBy: r.released_by } : {}),
      ...(r.released_at !== null ? { releasedAt: r.released_at.toISOString() } : {}),
    };
    return 'patient' in subject
      ? { ...base, scope: 'patient', patient: subject.patient, reason: subject.reason }
      : { ...base, scope: 'case', caseRef: subject.caseRef, reason: subject.reason };
  }

  private entry(ctx: RequestContext, id: string, hold: LegalHoldInput, action: 'C' | 'U', what: string) {
    return {
      actor: ctx.actor,
      event: 'retention.hold_changed' as const,
      action,
      outcome: 'success' as const,
      entity: { kind: 'LegalHold', id },
      ...(hold.scope === 'patient' && hold.patient.stewardId !== undefined
        ? { patientIds: [hold.patient.stewardId] }
        : {}),
      ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
      source: sourceOf(ctx),
      reason: `${what}:${hold.scope}`,
    };
  }
}

function checkInput(input: LegalHoldInput): void {
  const problems: { path: string; message: string }[] = [];
  if (input.reason.trim() === '' || input.reason.length > 500)
    problems.push({ path: 'reason', message: 'a reason of 1 to 500 characters' });
  if (input.scope === 'patient') {
    const p = input.patient;
    if (p.stewardId === undefined && p.ehrId === undefined && (p.identifiers ?? []).length === 0)
      problems.push({ path: 'patient', message: 'a Steward id, an EHR id or an identifier' });
  } else if (input.caseRef.trim() === '' || input.caseRef.length > 200) {
    problems.push({ path: 'caseRef', message: 'a case reference of 1 to 200 characters' });
  }
  if (problems.length > 0) throw new ValidationError('invalid legal hold', problems);
}
