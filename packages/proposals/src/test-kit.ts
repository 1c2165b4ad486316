/**
 * @module Test-only: proposals on a governed test store (key ring, audit log, grants, policy
 * decision point), with actors of any role and an in-memory EHR. Mirrors what the server builds.
 */
import { systemClock, type Actor, type Clock, type PurposeOfUse, type RequestContext, type Role } from '@steward/core';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import type { TestDatabase } from '@steward/store/testing';
import { ApprovalPolicies, ProposalDesk, type ProposalDeps } from './review/index.js';
import {
  InMemoryEhr,
  ProposalApplier,
  type ApplierOptions,
  type EhrPort,
  type ProposalCommitter,
} from './commit/index.js';
import type { ProposalDraft } from './model/index.js';

export interface ProposalKit {
  readonly db: TestDatabase;
  readonly deps: ProposalDeps;
  readonly audit: AuditLog;
  readonly desk: ProposalDesk;
  readonly policies: ApprovalPolicies;
  readonly ehr: InMemoryEhr;
  readonly grants: GrantStore;
  readonly accounts: ServiceAccountDirectory;
  /** An applier; `options.clock` gives it its own clock (for back-off tests). */
  applier(
    ehr?: EhrPort,
    committers?: Readonly<Record<string, ProposalCommitter>>,
    options?: ApplierOptions & { readonly clock?: Clock },
  ): ProposalApplier;
  /** A service account with `role` at `site` (`*` for all), as a request context. */
  as(name: string, role: Role, site?: string): Promise<RequestContext>;
  close(): Promise<void>;
}

const bootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
};

export async function openProposalKit(db: TestDatabase): Promise<ProposalKit> {
  const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
  const audit = await AuditLog.open(db, cipher);
  const grants = new GrantStore(db, audit);
  const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
  const accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
  const deps: ProposalDeps = { db, cipher, policy, grants, audit };
  const ehr = new InMemoryEhr();
  return {
    db,
    deps,
    audit,
    desk: new ProposalDesk(deps),
    policies: new ApprovalPolicies(deps),
    ehr,
    grants,
    accounts,
    applier: (port = ehr, committers = {}, options = {}) =>
      new ProposalApplier(
        options.clock !== undefined ? { ...deps, clock: options.clock } : deps,
        port,
        committers,
        options,
      ),
    async as(name, role, site = 'north') {
      const account = await accounts.create(name, bootstrap);
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: account.id,
        role,
        site,
        workflow: '*',
        purposeOfUse: purposeFor[role],
      });
      return { actor: { kind: 'service', id: account.id, name, authMethod: 'api-token' } };
    },
    async close() {
      await audit.close();
      await db.close();
    },
  };
}

const purposeFor: Record<Role, PurposeOfUse> = {
  admin: 'HSYSADMIN',
  compliance_officer: 'HCOMPL',
  integration: 'HOPERAT',
  automation: 'TREAT',
  agent: 'TREAT',
  coordinator: 'TREAT',
  front_desk: 'TREAT',
  clinician_reviewer: 'TREAT',
};

export const MRN = 'urn:oid:2.16.840.1.113883.19.5';
export const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';
export const CONNECTION = '11111111-1111-4111-8111-111111111111';
export const STEWARD_PATIENT = '22222222-2222-4222-8222-222222222222';

export const patientFor = (ehrId: string, stewardId: string = STEWARD_PATIENT): ProposalDraft['patient'] => ({
  stewardId,
  ehrId,
  identifiers: [
    { system: MRN, value: `MRN-${ehrId}` },
    { system: ENTERPRISE, value: `E-${ehrId}` },
  ],
});

/** A draft that changes an appointment's status, based on `versionId`. */
export function appointmentStatusDraft(
  appointment: Readonly<Record<string, unknown>> & { id?: unknown },
  versionId: string | undefined,
  status: string,
  extra: Partial<ProposalDraft> = {},
): ProposalDraft {
  const id = String(appointment.id);
  const participant = (appointment['participant'] as { actor?: { reference?: string } }[] | undefined) ?? [];
  const ehrId = (participant[0]?.actor?.reference ?? 'Patient/p1').slice('Patient/'.length);
  const rest: Record<string, unknown> = { ...appointment };
  delete rest['meta'];
  return {
    action: 'appointment.status',
    connectionId: CONNECTION,
    site: 'north',
    workflow: 'no-show-follow-up',
    patient: patientFor(ehrId),
    target: { resourceType: 'Appointment', id },
    ...(versionId !== undefined ? { baseVersion: versionId } : {}),
    payload: { ...rest, status },
    evidence: { eventIds: [], resources: [`Appointment/${id}`], reasonCode: 'no-show' },
    ...extra,
  };
}

export const bookedAppointment = (ehrId = 'p1'): Record<string, unknown> & { resourceType: string } => ({
  resourceType: 'Appointment',
  status: 'booked',
  start: '2026-12-01T14:00:00-05:00',
  end: '2026-12-01T14:30:00-05:00',
  participant: [{ actor: { reference: `Patient/${ehrId}` }, status: 'accepted' }],
});
