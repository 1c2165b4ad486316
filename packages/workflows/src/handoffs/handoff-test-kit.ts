/**
 * @module Test support (not exported): a handoff service over one store, with real governance
 * (grants, the decision point, the audit log, a key ring from a fixed test master key so several
 * processes open the same sealed values), staff, an on-call rota, and an engine whose effects are
 * the service's system path. Site `north` runs on New York time with the default business hours.
 */
import { ValidationError, type Clock, type RequestContext, type Role } from '@steward/core';
import { BusinessCalendar, OnCallRotas, StaffService, defaultBusinessHours, type SiteClock } from '@steward/clinic';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PasswordHasher,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
  UserDirectory,
  UserRoster,
} from '@steward/governance';
import type { Database } from '@steward/store';
import { WorkflowEngine, type EffectPolicy, type EngineObserver, type Json } from '../engine/index.js';
import { handoffEffects } from './handoff-package.js';
import { handoffRaiser } from './handoff-raiser.js';
import { handoffWorkflow } from './handoff-workflow.js';
import { HandoffService } from './handoff-service.js';

export const northClock: SiteClock = {
  zone: 'America/New_York',
  businessHours: defaultBusinessHours,
  holidays: ['2026-11-26', '2027-01-01'],
  quietHours: null,
};

/** The same master key in every process of a test (test data only). */
const testMasterKey = new InMemoryMasterKeyProvider([
  { id: 'handoff-test', key: Buffer.alloc(32, 7), createdAt: new Date('2026-01-01T00:00:00Z') },
]);

const operator = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'op',
  authMethod: 'local-operator',
} as const;

/** Who the kit's people are: username, role at north, pools, lead. */
export const people: readonly { name: string; role: Role; pools: string[]; lead?: string }[] = [
  { name: 'ada', role: 'admin', pools: [] },
  { name: 'lena', role: 'coordinator', pools: ['north-leads'] },
  { name: 'ben', role: 'coordinator', pools: ['north-desk'], lead: 'lena' },
  { name: 'cleo', role: 'front_desk', pools: ['north-desk'], lead: 'lena' },
  { name: 'otto', role: 'coordinator', pools: ['north-oncall'], lead: 'lena' },
  { name: 'pia', role: 'coordinator', pools: ['north-oncall'], lead: 'lena' },
  { name: 'zed', role: 'coordinator', pools: [] },
];

export interface HandoffKit {
  readonly db: Database;
  readonly service: HandoffService;
  readonly staff: StaffService;
  readonly rotas: OnCallRotas;
  readonly engine: WorkflowEngine;
  readonly audit: AuditLog;
  readonly ids: Readonly<Record<string, string>>;
  /** The workflows' account (automation): raises handoffs, runs the escalation effects. */
  readonly system: RequestContext;
  ctx(name: string): RequestContext;
  close(): Promise<void>;
}

export interface HandoffKitOptions {
  readonly clock: Clock;
  /** Create the users, grants, staff and the workflows' account (once per store). */
  readonly seed: boolean;
  readonly effectPolicy?: Partial<EffectPolicy>;
  readonly observer?: EngineObserver;
  /** Wraps the escalate effect (crash tests kill the process around it). */
  readonly aroundEscalate?: (run: () => Promise<Json>) => Promise<Json>;
}

export async function handoffKit(db: Database, options: HandoffKitOptions): Promise<HandoffKit> {
  const { clock } = options;
  const cipher = await KeyRing.open(db, testMasterKey);
  const audit = await AuditLog.open(db, cipher, { clock });
  const grants = new GrantStore(db, audit);
  const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit, clock);
  const roster = new UserRoster(db);
  const staff = new StaffService({ db, policy, audit, users: roster, clock });
  const rotas = new OnCallRotas({ db, policy, audit, staff, clock });
  const accounts = new ServiceAccountDirectory({ db, audit, clock });
  if (options.seed) {
    const users = new UserDirectory({
      db,
      audit,
      cipher,
      hasher: new PasswordHasher({ memoryCost: 1024, timeCost: 1 }),
      clock,
    });
    const created: Record<string, string> = {};
    for (const p of people) {
      const u = await users.create({ username: p.name, password: 'correct horse battery staple 42' }, operator);
      created[p.name] = u.id;
      await grants.add(operator, {
        principalKind: 'user',
        principalId: u.id,
        role: p.role,
        site: p.role === 'admin' ? '*' : 'north',
        workflow: '*',
        purposeOfUse: p.role === 'admin' ? 'HSYSADMIN' : 'HOPERAT',
      });
    }
    const adminCtx: RequestContext = {
      actor: { kind: 'user', id: created['ada'] ?? '', name: 'ada', authMethod: 'session' },
    };
    // Leads first (a lead must have a staff record).
    for (const p of [...people].sort((a, b) => Number(a.lead !== undefined) - Number(b.lead !== undefined)))
      await staff.set(adminCtx, p.name, {
        displayName: p.name.charAt(0).toUpperCase() + p.name.slice(1) + ' Example',
        sites: ['north'],
        pools: p.pools.map((pool) => ({ pool, site: 'north' })),
        ...(p.lead !== undefined ? { lead: p.lead } : {}),
      });
    const sa = await accounts.create('steward-workflows', operator);
    await grants.add(operator, {
      principalKind: 'service',
      principalId: sa.id,
      role: 'automation',
      site: '*',
      workflow: '*',
      purposeOfUse: 'HOPERAT',
    });
  }
  const ids = Object.fromEntries(await roster.userIds(people.map((p) => p.name)));
  const sa = (await accounts.list()).find((a) => a.name === 'steward-workflows');
  if (sa === undefined) throw new ValidationError('the kit was not seeded', []);
  const system: RequestContext = {
    actor: { kind: 'service', id: sa.id, name: 'steward-workflows', authMethod: 'local-operator' },
  };
  const late: { service?: HandoffService } = {};
  const around = options.aroundEscalate ?? ((run: () => Promise<Json>) => run());
  const engine = new WorkflowEngine({
    db,
    definitions: [handoffWorkflow],
    clock,
    effects: handoffEffects({
      ...handoffRaiser({
        service: {
          create: (c, i) => (late.service as HandoffService).create(c, i),
          closeRaised: (c, k, r) => (late.service as HandoffService).closeRaised(c, k, r),
          escalate: (c, i, k) => (late.service as HandoffService).escalate(c, i, k),
          expire: (c, id) => (late.service as HandoffService).expire(c, id),
        },
        ctx: () => Promise.resolve(system),
      }),
      escalate: (input, key) =>
        around(async () => (await (late.service as HandoffService).escalate(system, input, key)) as Json),
    }),
    ...(options.effectPolicy !== undefined ? { effectPolicy: options.effectPolicy } : {}),
    ...(options.observer !== undefined ? { observer: options.observer } : {}),
  });
  const calendar = new BusinessCalendar(northClock);
  const service = new HandoffService({
    db,
    cipher,
    policy,
    audit,
    engine,
    staff,
    rotas,
    clock,
    calendarOf: (site) =>
      site === 'north'
        ? Promise.resolve(calendar)
        : Promise.reject(new ValidationError('unknown site', [{ path: 'site', message: 'north only' }])),
    rolesAt: async (userId, site) =>
      (await grants.forPrincipal(userId)).filter((g) => g.site === site || g.site === '*').map((g) => g.role),
  });
  late.service = service;
  return {
    db,
    service,
    staff,
    rotas,
    engine,
    audit,
    ids,
    system,
    ctx: (name) => ({ actor: { kind: 'user', id: ids[name] ?? '', name, authMethod: 'session' } }),
    close: () => audit.close(),
  };
}
