/**
 * @module Incident response for data in the wrong place ("if an automation puts data in the wrong
 * patient chart, that is a HIPAA incident"). A compliance officer (`incident.manage`) opens an
 * incident; Steward reads its scope from the audit trail, proposes the compensating writes (the
 * rollback of every committed proposal in scope), and a reviewer with `review.decide` at the
 * proposal's site — never the officer who proposed it — approves each one, which the applier
 * then rolls back through the one EHR writer. Every step is audited; the report is too.
 */
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnexpectedError,
  ValidationError,
  isStewardError,
  newId,
  type RequestContext,
} from '@steward/core';
import { sourceOf, type AuditEntryInput } from '@steward/governance';
import type { Sql } from '@steward/store';
import type { ProposalApplier } from '../commit/index.js';
import { actionsOf, clockOf, type ProposalDeps } from '../review/index.js';
import { ProposalStore } from '../store/index.js';
import {
  breachClock,
  type Containment,
  type ContainmentStatus,
  type Incident,
  type IncidentOrigin,
  type IncidentReport,
  type IncidentStatus,
} from './incident-model.js';
import { resolveScope } from './incident-scope.js';

export interface OpenIncidentInput {
  readonly origin: IncidentOrigin;
  /** What happened, in the officer's words. Sealed: it may name a patient. */
  readonly summary: string;
  /** When the breach was discovered (the notification clock starts here). Default: now. */
  readonly discoveredAt?: string;
}

interface IncidentRow {
  id: string;
  origin: IncidentOrigin['kind'];
  origin_ref: string | null;
  range_from: Date | null;
  range_to: Date | null;
  summary_enc: Uint8Array;
  status: IncidentStatus;
  discovered_at: Date;
  opened_by: string;
  opened_at: Date;
  closed_at: Date | null;
}

interface ContainmentRow {
  proposal_id: string;
  site: string;
  status: ContainmentStatus;
  proposed_by: string;
  proposed_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  outcome: string | null;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class IncidentDesk {
  private readonly store: ProposalStore;

  constructor(
    private readonly deps: ProposalDeps,
    private readonly applier: ProposalApplier,
  ) {
    this.store = new ProposalStore(deps.db, deps.cipher);
  }

  /** Opens an incident and proposes a rollback for every committed, reversible proposal in scope. */
  async open(ctx: RequestContext, input: OpenIncidentInput): Promise<Incident> {
    const decision = await this.deps.policy.enforce(ctx, 'incident.manage');
    checkOpen(input);
    const now = clockOf(this.deps).now();
    const scope = await resolveScope(this.deps.db, this.deps.cipher, this.store, input.origin, now);
    const id = newId();
    const o = input.origin;
    const ref =
      o.kind === 'proposal'
        ? o.proposalId
        : o.kind === 'write'
          ? String(o.auditSeq)
          : o.kind === 'patient'
            ? o.patientId
            : null;
    const from = o.kind === 'range' || o.kind === 'patient' ? (o.from ?? null) : null;
    const to = o.kind === 'range' || o.kind === 'patient' ? (o.to ?? null) : null;
    const actions = actionsOf(this.deps);
    const candidates = scope.rows.filter(
      (r) =>
        (r.status === 'committed' || r.status === 'verified') &&
        r.reversible &&
        actions.has(r.action_type) &&
        !actions.isChannel(r.action_type),
    );
    await this.deps.audit.transact(
      async (tx) => {
        await tx.query(
          `insert into incidents (id, origin, origin_ref, range_from, range_to, summary_enc, status, discovered_at, opened_by, opened_at)
           values ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9)`,
          [
            id,
            o.kind,
            ref,
            from,
            to,
            this.deps.cipher.encrypt(input.summary, `incidents.summary:${id}`),
            input.discoveredAt !== undefined ? new Date(input.discoveredAt) : now,
            ctx.actor.id,
            now,
          ],
        );
        for (const r of candidates)
          await tx.query(
            `insert into incident_containment (incident_id, proposal_id, site, status, proposed_by, proposed_at)
             values ($1, $2, $3, 'proposed', $4, $5)`,
            [id, r.id, r.site, ctx.actor.id, now],
          );
      },
      () => [
        this.entry(ctx, 'incident.opened', id, {
          action: 'C',
          reason: `origin:${o.kind} patients:${scope.patients.length} rollbacks:${candidates.length}`,
          patientIds: scope.patients.flatMap((p) => (p.stewardId !== undefined ? [p.stewardId] : [])),
          ...(decision.purposeOfUse !== undefined ? { purposeOfUse: decision.purposeOfUse } : {}),
        }),
      ],
    );
    return this.load(id);
  }

  /** Incidents, newest first (at most 500). Their summaries may name patients: the read is audited. */
  async list(ctx: RequestContext): Promise<readonly Incident[]> {
    await this.deps.policy.enforce(ctx, 'incident.manage');
    const { rows } = await this.deps.db.query<IncidentRow>(
      'select * from incidents order by opened_at desc, id limit 500',
    );
    const incidents = await Promise.all(rows.map((r) => this.load(r.id, r)));
    await this.deps.audit.append(
      this.entry(ctx, 'incident.reported', '*', { action: 'R', reason: `listed:${incidents.length}` }),
    );
    return incidents;
  }

  async show(ctx: RequestContext, id: string): Promise<Incident> {
    await this.deps.policy.enforce(ctx, 'incident.manage');
    const incident = await this.load(id);
    await this.deps.audit.append(this.entry(ctx, 'incident.reported', id, { action: 'R', reason: 'shown' }));
    return incident;
  }

  /**
   * The report: the incident, its notification clock, every patient, PHI access and write in
   * scope (read from the audit trail now), the proposals and their containment. Audited with the
   * patients it names.
   */
  async report(ctx: RequestContext, id: string): Promise<IncidentReport> {
    const decision = await this.deps.policy.enforce(ctx, 'incident.manage');
    const incident = await this.load(id);
    const now = clockOf(this.deps).now();
    const scope = await resolveScope(this.deps.db, this.deps.cipher, this.store, incident.origin, now);
    await this.deps.audit.append(
      this.entry(ctx, 'incident.reported', id, {
        action: 'R',
        reason: `entries:${scope.entries.length} patients:${scope.patients.length}`,
        patientIds: scope.patients.flatMap((p) => (p.stewardId !== undefined ? [p.stewardId] : [])),
        ...(decision.purposeOfUse !== undefined ? { purposeOfUse: decision.purposeOfUse } : {}),
      }),
    );
    return {
      incident,
      generatedAt: now.toISOString(),
      window: { from: scope.from.toISOString(), to: scope.to.toISOString() },
      clock: breachClock(new Date(incident.discoveredAt), scope.patients.length, now),
      patients: scope.patients,
      entries: scope.entries,
      proposals: scope.proposals,
      truncated: scope.truncated,
    };
  }

  /**
   * Approves one proposed rollback and applies it (the applier's compensating write). The approver
   * needs `review.decide` at the proposal's site and may not be who proposed it. A rollback the
   * applier refuses or that fails is recorded as failed with its code, and the error is returned.
   */
  async approveContainment(ctx: RequestContext, id: string, proposalId: string): Promise<Incident> {
    const item = await this.decidable(ctx, id, proposalId);
    const now = clockOf(this.deps).now();
    let status: ContainmentStatus = 'applied';
    let outcome = 'rolled_back';
    let failure: Error | undefined;
    try {
      outcome = (await this.applier.rollback(ctx, proposalId)).status;
    } catch (e) {
      status = 'failed';
      outcome = isStewardError(e) ? e.code : 'INTERNAL';
      failure = e instanceof Error ? e : new UnexpectedError(String(e));
    }
    await this.decide(ctx, id, item, status, outcome, now);
    if (failure !== undefined) throw failure;
    return this.load(id);
  }

  /** Rejects one proposed rollback (the write stays): a reviewer's call, recorded and audited. */
  async rejectContainment(ctx: RequestContext, id: string, proposalId: string): Promise<Incident> {
    const item = await this.decidable(ctx, id, proposalId);
    await this.decide(ctx, id, item, 'rejected', 'rejected', clockOf(this.deps).now());
    return this.load(id);
  }

  async close(ctx: RequestContext, id: string): Promise<Incident> {
    await this.deps.policy.enforce(ctx, 'incident.manage');
    const incident = await this.load(id);
    if (incident.status === 'closed') throw new ConflictError('VERSION_CONFLICT', 'the incident is closed already');
    const now = clockOf(this.deps).now();
    await this.deps.audit.transact(
      (tx) =>
        tx.query(`update incidents set status = 'closed', closed_by = $2, closed_at = $3 where id = $1`, [
          id,
          ctx.actor.id,
          now,
        ]),
      () => [this.entry(ctx, 'incident.changed', id, { action: 'U', reason: 'closed' })],
    );
    return this.load(id);
  }

  private async decidable(ctx: RequestContext, id: string, proposalId: string): Promise<Containment> {
    const incident = await this.load(id);
    const item = incident.containment.find((c) => c.proposalId === proposalId);
    if (item === undefined) throw new NotFoundError('containment');
    await this.deps.policy.enforce(ctx, 'review.decide', {
      site: item.site,
      entity: { kind: 'Proposal', id: proposalId },
    });
    if (item.proposedBy === ctx.actor.id)
      throw new ForbiddenError('the rollback must be approved by someone other than who proposed it');
    if (item.status !== 'proposed' && item.status !== 'failed')
      throw new ConflictError('VERSION_CONFLICT', `this rollback was ${item.status} already`);
    if (incident.status === 'closed') throw new ConflictError('VERSION_CONFLICT', 'the incident is closed');
    return item;
  }

  private async decide(
    ctx: RequestContext,
    id: string,
    item: Containment,
    status: ContainmentStatus,
    outcome: string,
    now: Date,
  ): Promise<void> {
    await this.deps.audit.transact(
      async (tx) => {
        await tx.query(
          `update incident_containment set status = $3, decided_by = $4, decided_at = $5, outcome = $6
            where incident_id = $1 and proposal_id = $2`,
          [id, item.proposalId, status, ctx.actor.id, now, outcome],
        );
        await markContained(tx, id);
      },
      () => [
        this.entry(ctx, 'incident.changed', id, {
          action: 'U',
          reason: `containment:${status}:${outcome}`,
          site: item.site,
        }),
      ],
    );
  }

  private async load(id: string, known?: IncidentRow): Promise<Incident> {
    if (!uuid.test(id)) throw new NotFoundError('incident');
    const row = known ?? (await this.deps.db.query<IncidentRow>('select * from incidents where id = $1', [id])).rows[0];
    if (row === undefined) throw new NotFoundError('incident');
    const { rows } = await this.deps.db.query<ContainmentRow>(
      'select * from incident_containment where incident_id = $1 order by proposed_at, proposal_id',
      [id],
    );
    return {
      id: row.id,
      origin: originOf(row),
      summary: this.deps.cipher.decrypt(row.summary_enc, `incidents.summary:${row.id}`).toString('utf8'),
      status: row.status,
      openedBy: row.opened_by,
      openedAt: row.opened_at.toISOString(),
      discoveredAt: row.discovered_at.toISOString(),
      ...(row.closed_at !== null ? { closedAt: row.closed_at.toISOString() } : {}),
      containment: rows.map((c) => ({
        proposalId: c.proposal_id,
        site: c.site,
        status: c.status,
        proposedBy: c.proposed_by,
        proposedAt: c.proposed_at.toISOString(),
        ...(c.decided_by !== null ? { decidedBy: c.decided_by } : {}),
        ...(c.decided_at !== null ? { decidedAt: c.decided_at.toISOString() } : {}),
        ...(c.outcome !== null ? { outcome: c.outcome } : {}),
      })),
    };
  }

  private entry(
    ctx: RequestContext,
    event: 'incident.opened' | 'incident.changed' | 'incident.reported',
    id: string,
    extra: Partial<AuditEntryInput> & { action: AuditEntryInput['action']; reason: string },
  ): AuditEntryInput {
    const { patientIds, ...rest } = extra;
    return {
      actor: ctx.actor,
      event,
      outcome: 'success',
      entity: { kind: 'Incident', id },
      ...(patientIds !== undefined && patientIds.length > 0 ? { patientIds: [...new Set(patientIds)] } : {}),
      ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
      source: sourceOf(ctx),
      ...rest,
    };
  }
}

/** Contained once every proposed rollback was applied (rejected ones were decided not to be). */
async function markContained(tx: Sql, id: string): Promise<void> {
  await tx.query(
    `update incidents set status = 'contained'
      where id = $1 and status = 'open'
        and not exists (select 1 from incident_containment where incident_id = $1 and status in ('proposed', 'failed'))
        and exists (select 1 from incident_containment where incident_id = $1 and status = 'applied')`,
    [id],
  );
}

function originOf(r: IncidentRow): IncidentOrigin {
  switch (r.origin) {
    case 'proposal':
      return { kind: 'proposal', proposalId: r.origin_ref ?? '' };
    case 'write':
      return { kind: 'write', auditSeq: Number(r.origin_ref) };
    case 'patient':
      return {
        kind: 'patient',
        patientId: r.origin_ref ?? '',
        ...(r.range_from !== null ? { from: r.range_from.toISOString() } : {}),
        ...(r.range_to !== null ? { to: r.range_to.toISOString() } : {}),
      };
    case 'range':
      return { kind: 'range', from: r.range_from?.toISOString() ?? '', to: r.range_to?.toISOString() ?? '' };
  }
}

function checkOpen(input: OpenIncidentInput): void {
  const problems: { path: string; message: string }[] = [];
  const date = (v: string | undefined): boolean => v === undefined || !Number.isNaN(Date.parse(v));
  if (input.summary.trim() === '' || input.summary.length > 4000)
    problems.push({ path: 'summary', message: '1 to 4000 characters' });
  if (!date(input.discoveredAt)) problems.push({ path: 'discoveredAt', message: 'an ISO-8601 time' });
  const o = input.origin;
  if (o.kind === 'proposal' && !uuid.test(o.proposalId))
    problems.push({ path: 'origin.proposalId', message: 'a uuid' });
  if (o.kind === 'write' && !(Number.isInteger(o.auditSeq) && o.auditSeq > 0))
    problems.push({ path: 'origin.auditSeq', message: 'a positive integer' });
  if (o.kind === 'patient' && !uuid.test(o.patientId)) problems.push({ path: 'origin.patientId', message: 'a uuid' });
  if ((o.kind === 'patient' || o.kind === 'range') && (!date(o.from) || !date(o.to)))
    problems.push({ path: 'origin', message: 'from and to as ISO-8601 times' });
  if (o.kind === 'range' && Date.parse(o.from) >= Date.parse(o.to))
    problems.push({ path: 'origin.to', message: 'after from' });
  if (problems.length > 0) throw new ValidationError('invalid incident', problems);
}
