/**
 * @module Test-only: the relationships room on a test store, with the governed objects the server
 * builds (key ring, audit log, grants, policy), and actors: a coordinator at site `main`, a front
 * desk at site `other`, and an exporter. No default role holds `phi.export` yet, so the exporter
 * is allowed it by a policy that adds exactly that one permission for exactly that actor.
 */
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import type { TestDatabase } from '@steward/store/testing';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
  type Action,
  type Decision,
  type MasterKeyProvider,
  type Scope,
} from '@steward/governance';
import { Relationships } from '../service/index.js';

export interface TestRelationships {
  readonly db: TestDatabase;
  readonly cipher: KeyRing;
  readonly audit: AuditLog;
  readonly policy: PolicyDecisionPoint;
  readonly rel: Relationships;
  readonly coordinator: RequestContext;
  readonly otherSite: RequestContext;
  readonly exporter: RequestContext;
  readonly admin: RequestContext;
  close(): Promise<void>;
}

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
} as const;

class ExportAllowingPolicy extends PolicyDecisionPoint {
  exporterId = '';
  override async decide(ctx: RequestContext, action: Action, scope: Scope = {}): Promise<Decision> {
    if (action === 'phi.export' && ctx.actor.id === this.exporterId) return { allowed: true, purposeOfUse: 'HOPERAT' };
    return super.decide(ctx, action, scope);
  }
}

export async function openTestRelationships(
  db: TestDatabase,
  options: { clock?: Clock; masterKeys?: MasterKeyProvider } = {},
): Promise<TestRelationships> {
  const clock = options.clock ?? systemClock;
  const cipher = await KeyRing.open(db, options.masterKeys ?? InMemoryMasterKeyProvider.random());
  const audit = await AuditLog.open(db, cipher, { clock });
  const grants = new GrantStore(db, audit);
  const policy = new ExportAllowingPolicy(grants, new BreakGlassStore(db, cipher, audit), audit, clock);
  const accounts = new ServiceAccountDirectory({ db, audit, clock });
  const actor = async (
    name: string,
    role: 'coordinator' | 'front_desk' | 'admin',
    site: string,
  ): Promise<RequestContext> => {
    const existing = (await accounts.list()).find((a) => a.name === name);
    const account = existing ?? (await accounts.create(name, bootstrap));
    if (existing === undefined)
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: account.id,
        role,
        site,
        workflow: '*',
        purposeOfUse: role === 'admin' ? 'HSYSADMIN' : 'HOPERAT',
      });
    return { actor: { kind: 'service', id: account.id, name, authMethod: 'api-token' } };
  };
  const coordinator = await actor('coordinator', 'coordinator', 'main');
  const otherSite = await actor('front-desk-other', 'front_desk', 'other');
  const exporter = await actor('exporter', 'front_desk', 'main');
  const admin = await actor('admin', 'admin', '*');
  policy.exporterId = exporter.actor.id;
  const rel = new Relationships({ db, cipher, policy, audit, clock });
  return {
    db,
    cipher,
    audit,
    policy,
    rel,
    coordinator,
    otherSite,
    exporter,
    admin,
    async close() {
      await audit.close();
    },
  };
}
