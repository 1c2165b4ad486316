/**
 * @module Test-only: the governed objects the directory runs on (key ring, audit log, grants,
 * policy) on one test database, with one account per role the directory's tests need.
 */
import { systemClock, type RequestContext, type Role } from '@steward/core';
import type { TestDatabase } from '@steward/store/testing';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import { DirectoryService } from './directory-service.js';

export interface DirectoryTestKit {
  readonly db: TestDatabase;
  readonly audit: AuditLog;
  readonly directory: DirectoryService;
  readonly as: (role: Role) => Promise<RequestContext>;
  close(): Promise<void>;
}

const operator = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
} as const;

export async function openDirectoryKit(db: TestDatabase): Promise<DirectoryTestKit> {
  const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
  const audit = await AuditLog.open(db, cipher);
  const grants = new GrantStore(db, audit);
  const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
  const directory = new DirectoryService({ db, policy, audit });
  const accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
  let n = 0;
  return {
    db,
    audit,
    directory,
    async as(role) {
      const { id } = await accounts.create(`test-${role}-${++n}`, operator);
      await grants.add(operator, {
        principalKind: 'service',
        principalId: id,
        role,
        site: '*',
        workflow: '*',
        purposeOfUse: role === 'admin' ? 'HSYSADMIN' : 'HOPERAT',
      });
      return { actor: { kind: 'service', id, name: `test-${role}`, authMethod: 'api-token' } };
    },
    async close() {
      await audit.close();
      await db.close();
    },
  };
}
