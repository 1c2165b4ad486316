/**
 * @module Test-only: the governed objects the EHR layer runs on (key ring, audit log, policy, the
 * journal, the connection registry), built on one test database, with an admin to register
 * connections. Mirrors what the server's kernel builds.
 */
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import type { TestDatabase } from '@steward/store/testing';
import {
  AuditLog,
  BreakGlassStore,
  EhrJournal,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import { ConnectionRegistry } from './connections/index.js';

export interface TestGovernance {
  readonly db: TestDatabase;
  readonly cipher: KeyRing;
  readonly audit: AuditLog;
  readonly grants: GrantStore;
  readonly policy: PolicyDecisionPoint;
  readonly journals: EhrJournal;
  readonly connections: ConnectionRegistry;
  readonly accounts: ServiceAccountDirectory;
  readonly admin: RequestContext;
  close(): Promise<void>;
}

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
} as const;

export async function openTestGovernance(db: TestDatabase, clock: Clock = systemClock): Promise<TestGovernance> {
  const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
  const audit = await AuditLog.open(db, cipher, { clock });
  const grants = new GrantStore(db, audit);
  const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit, clock);
  const accounts = new ServiceAccountDirectory({ db, audit, clock });
  const connections = new ConnectionRegistry(db, cipher, policy, audit, accounts, grants, clock);
  const journals = new EhrJournal(db, cipher, policy, audit, clock);
  const adminAccount = await accounts.create('ops', bootstrap);
  await grants.add(bootstrap, {
    principalKind: 'service',
    principalId: adminAccount.id,
    role: 'admin',
    site: '*',
    workflow: '*',
    purposeOfUse: 'HSYSADMIN',
  });
  const admin: RequestContext = {
    actor: { kind: 'service', id: adminAccount.id, name: 'ops', authMethod: 'api-token' },
  };
  return {
    db,
    accounts,
    cipher,
    audit,
    grants,
    policy,
    journals,
    connections,
    admin,
    async close() {
      await audit.close();
      await db.close();
    },
  };
}
