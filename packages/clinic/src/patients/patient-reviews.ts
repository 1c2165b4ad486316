/**
 * @module The review list of uncertain candidates: a patient created beside a look-alike (same
 * name and birth date, no shared identifier) is never merged silently; a person links the two
 * (a merge, kept in the link history) or dismisses the candidate. Listing needs `phi.read`,
 * deciding `phi.write`, at the review's site; each is audited with both patients.
 */
import { ConflictError, NotFoundError, systemClock, type Clock, type RequestContext } from '@steward/core';
import type { PolicyDecisionPoint, TransactionalAudit } from '@steward/governance';
import { sourceOf } from '@steward/governance';
import type { Database } from '@steward/store';
import { appendLinks, liveIdOf, patientRows } from './patient-rows.js';
import type { PatientIndex, PatientSummary } from './patient-index.js';

export interface PatientReview {
  readonly id: string;
  readonly site: string;
  /** Why it is on the list (a reason code: `same-name-and-birth-date`). */
  readonly reason: string;
  readonly status: 'open' | 'linked' | 'dismissed';
  readonly createdAt: string;
  /** The patient created when it was seen; the look-alike it may be. */
  readonly patient: PatientSummary;
  readonly candidate: PatientSummary;
}

interface ReviewRow {
  id: string;
  patient_id: string;
  candidate_id: string;
  site: string;
  reason: string;
  status: PatientReview['status'];
  created_at: Date;
}

export interface PatientReviewsDeps {
  readonly db: Database;
  readonly policy: PolicyDecisionPoint;
  readonly audit: TransactionalAudit;
  readonly index: PatientIndex;
  readonly clock?: Clock;
}

export class PatientReviews {
  readonly #deps: PatientReviewsDeps;
  readonly #clock: Clock;

  constructor(deps: PatientReviewsDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /** The open reviews at the sites where the caller may read PHI, oldest first (at most `limit`). */
  async list(ctx: RequestContext, limit = 100): Promise<readonly PatientReview[]> {
    const { db, policy, audit } = this.#deps;
    const { rows } = await db.query<ReviewRow>(
      `select id::text as id, patient_id::text as patient_id, candidate_id::text as candidate_id, site, reason, status, created_at
         from clinic_patient_reviews where status = 'open' order by created_at, id limit $1`,
      [Math.max(1, Math.min(limit, 1_000))],
    );
    const sites = new Map<string, boolean>();
    for (const site of new Set(rows.map((r) => r.site)))
      sites.set(site, (await policy.decide(ctx, 'phi.read', { site })).allowed);
    if (rows.length > 0 && ![...sites.values()].some(Boolean))
      await policy.enforce(ctx, 'phi.read', { site: rows[0]?.site ?? '' });
    const visible = rows.filter((r) => sites.get(r.site) === true);
    const reviews = await this.#shown(visible);
    await audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      ...(reviews.length > 0
        ? { patientIds: [...new Set(reviews.flatMap((r) => [r.patient.id, r.candidate.id]))] }
        : {}),
      entity: { kind: 'PatientReview', id: '*' },
      fields: ['name', 'birthDate', 'gender'],
      source: sourceOf(ctx),
      reason: `reviews:${reviews.length}`,
    });
    return reviews;
  }

  /** Links the candidate: the new patient is retired into the look-alike (the older one survives). */
  link(ctx: RequestContext, reviewId: string): Promise<PatientReview> {
    return this.#decide(ctx, reviewId, 'linked');
  }

  /** Dismisses the candidate: two people, as they were; the review stays on record. */
  dismiss(ctx: RequestContext, reviewId: string): Promise<PatientReview> {
    return this.#decide(ctx, reviewId, 'dismissed');
  }

  async #decide(ctx: RequestContext, reviewId: string, status: 'linked' | 'dismissed'): Promise<PatientReview> {
    const { db, policy, audit } = this.#deps;
    const { row, decision } = await policy.visible(
      ctx,
      'phi.write',
      'patient review',
      await this.#row(db, reviewId),
      (r) => ({
        site: r.site,
        patientId: r.patient_id,
      }),
    );
    const at = this.#clock.now();
    const decided = await audit.transact(
      async (tx) => {
        const { rowCount } = await tx.query(
          `update clinic_patient_reviews set status = $2, decided_at = $3, decided_by = $4 where id = $1 and status = 'open'`,
          [reviewId, status, at, ctx.actor.id],
        );
        if ((rowCount ?? 0) === 0) throw new ConflictError('VERSION_CONFLICT', 'the review was already decided');
        const from = { source: 'review' as const, sourceRef: reviewId };
        const [patient, candidate] = [await liveIdOf(tx, row.patient_id), await liveIdOf(tx, row.candidate_id)];
        if (status === 'linked' && patient !== undefined && candidate !== undefined) {
          const r = this.#deps.index.pass(tx, ctx.actor.id, row.site);
          await r.merge(patient, candidate, from);
          await r.flush();
        }
        await appendLinks(tx, at, [
          {
            kind: status === 'linked' ? 'review-linked' : 'review-dismissed',
            patientId: row.patient_id,
            otherPatientId: row.candidate_id,
            ...from,
            actorId: ctx.actor.id,
          },
        ]);
        return { ...row, status };
      },
      (r) => [
        {
          actor: ctx.actor,
          event: 'phi.update',
          action: 'U',
          outcome: 'success',
          patientIds: [r.patient_id, r.candidate_id],
          entity: { kind: 'PatientReview', id: r.id },
          fields: ['status'],
          site: r.site,
          purposeOfUse: decision.purposeOfUse,
          ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
          source: sourceOf(ctx),
          reason: status,
        },
      ],
    );
    const [shown] = await this.#shown([decided]);
    if (shown === undefined) throw new NotFoundError('patient review');
    return shown;
  }

  async #row(db: Database, id: string): Promise<ReviewRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const { rows } = await db.query<ReviewRow>(
      `select id::text as id, patient_id::text as patient_id, candidate_id::text as candidate_id, site, reason, status, created_at
         from clinic_patient_reviews where id = $1`,
      [id],
    );
    return rows[0];
  }

  async #shown(rows: readonly ReviewRow[]): Promise<readonly PatientReview[]> {
    const patients = new Map(
      (await patientRows(this.#deps.db, [...new Set(rows.flatMap((r) => [r.patient_id, r.candidate_id]))])).map((p) => [
        p.id,
        p,
      ]),
    );
    return rows.flatMap((r) => {
      const p = patients.get(r.patient_id);
      const c = patients.get(r.candidate_id);
      if (p === undefined || c === undefined) return [];
      return [
        {
          id: r.id,
          site: r.site,
          reason: r.reason,
          status: r.status,
          createdAt: new Date(r.created_at).toISOString(),
          patient: this.#deps.index.summary(p, []),
          candidate: this.#deps.index.summary(c, []),
        },
      ];
    });
  }
}
