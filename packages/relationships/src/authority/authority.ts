/**
 * @module Authority that comes from a relationship: may this person act for that patient (receive
 * their messages, read their records, manage appointments, receive bills, give consent)? Allowed
 * only while a relationship from the person to the patient carries the permission and holds on
 * the date asked about; when it ends (its `validTo` passes), the authority ends with it. Every
 * refusal is audited as `access.denied`. The staff member or service asking must itself hold
 * `phi.read` at the patient's site (the check reads the patient's relationships).
 *
 * Contract for future features: anything that discloses a patient's information to someone other
 * than the patient (messaging, portals, statements) MUST call `allows` at the moment of
 * disclosure, with that moment as `at`, and disclose nothing when it refuses.
 */
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import type { Database } from '@steward/store';
import type { FieldCipher, PolicyDecisionPoint, TransactionalAudit } from '@steward/governance';
import type { AuthorityPermission } from '../model/relationship-types.js';
import { GraphRows } from '../graph/index.js';

export interface AuthorityQuery {
  /** The party who would act or receive (the proxy, the guardian…). */
  readonly actorPersonId: string;
  /** The patient whose information or affairs it is. */
  readonly patientId: string;
  readonly permission: AuthorityPermission;
  /** When: defaults to now. A relationship holds on a date d when validFrom ≤ d < validTo. */
  readonly at?: Date;
}

export type AuthorityDecision =
  | { readonly allowed: true; readonly relationshipId: string; readonly type: string }
  | { readonly allowed: false; readonly reason: 'no_relationship' | 'unknown_party' };

export class Authority {
  private readonly rows: GraphRows;

  constructor(
    private readonly db: Database,
    cipher: FieldCipher,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: TransactionalAudit,
    private readonly clock: Clock = systemClock,
  ) {
    this.rows = new GraphRows(cipher);
  }

  async allows(ctx: RequestContext, q: AuthorityQuery): Promise<AuthorityDecision> {
    const patient = await this.rows.party(this.db, q.patientId);
    if (patient === undefined) return this.refuse(ctx, q, undefined, 'unknown_party');
    await this.policy.enforce(ctx, 'phi.read', {
      site: patient.site,
      patientId: patient.id,
      entity: { kind: 'Person', id: patient.id },
    });
    const at = (q.at ?? this.clock.now()).toISOString().slice(0, 10);
    const found = await this.rows.carrying(this.db, q.actorPersonId, q.patientId, q.permission, at);
    const first = found[0];
    if (first === undefined) return this.refuse(ctx, q, patient.site, 'no_relationship');
    return { allowed: true, relationshipId: first.id, type: first.type };
  }

  private async refuse(
    ctx: RequestContext,
    q: AuthorityQuery,
    site: string | undefined,
    reason: 'no_relationship' | 'unknown_party',
  ): Promise<AuthorityDecision> {
    await this.audit.append({
      actor: ctx.actor,
      event: 'access.denied',
      action: 'R',
      outcome: 'denied',
      patientIds: site !== undefined ? [q.patientId] : [],
      entity: { kind: 'Person', id: q.actorPersonId },
      ...(site !== undefined ? { site } : {}),
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      reason: `${reason}:${q.permission}`,
    });
    return { allowed: false, reason };
  }
}
