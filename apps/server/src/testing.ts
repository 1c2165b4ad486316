/** @module Test helpers: a kernel and HTTP app on a test store, and actors with grants and tokens. */
import { Writable } from 'node:stream';
import { exportJWK } from 'jose';
import { ManualClock, type PurposeOfUse, type RequestContext, type Role } from '@steward/core';
import type { EhrConnection, PrivateJwk } from '@steward/ehr';
import type { SandboxEhr } from '@steward/sandbox-ehr';
import { makeKey } from '@steward/sandbox-ehr/testing';
import {
  createLogger,
  InMemoryMasterKeyProvider,
  PasswordHasher,
  type KeyRing,
  type Logger,
} from '@steward/governance';
import type { TestDatabase } from '@steward/store/testing';
import type { FastifyInstance } from 'fastify';
import { composeKernel, type Kernel, type KernelOptions } from './kernel.js';
import type { StewardExtension } from './extensions.js';
import { buildApp } from './http/app.js';

export const testHttpConfig = {
  tls: undefined,
  bodyLimitBytes: 64 * 1024,
  rateLimitPerMinute: 100_000,
  loginRateLimitPerMinute: 1_000,
  sessionIdleMinutes: 15,
  trustProxy: false as const,
};

/** Captures every log line, so tests can assert what reached the logs. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  readonly kernel: Kernel;
  /**
   * The test door to what the kernel keeps to itself: the store (to check rows) and the key ring
   * (to open a sealed value). Tests only; nothing in the server reaches these through the kernel.
   */
  readonly db: TestDatabase;
  readonly cipher: KeyRing;
  readonly app: FastifyInstance;
  readonly clock: ManualClock;
  readonly logs: LogCapture;
  readonly logger: Logger;
  close(): Promise<void>;
}

export async function openTestApp(
  db: TestDatabase,
  options: {
    logLevel?: string;
    clock?: ManualClock;
    extensions?: readonly StewardExtension[];
    /** The event stream's heartbeat interval (ms), shortened to see one in a test. */
    streamHeartbeatMs?: number;
    /** Intake's document reader and handoff sink (a scripted reader in tests). */
    intake?: KernelOptions['intake'];
    /** Start intake's reading worker, as the server does (default true; `untilIntakeRead` waits for it). */
    intakeReading?: boolean;
    /** STEWARD_REPORTING_DATABASE_URL: reports read this read-only replica (PostgreSQL). */
    reportingDatabaseUrl?: string;
  } = {},
): Promise<TestApp> {
  const clock = options.clock ?? new ManualClock(new Date());
  const logs = new LogCapture();
  const logger = createLogger({ level: options.logLevel ?? 'info', destination: logs });
  const { kernel, store } = await composeKernel(
    {
      store: {
        dataDir: '/nonexistent',
        databaseUrl: undefined,
        masterKeyFromEnv: false,
        masterKeyFile: '/nonexistent',
        ...(options.reportingDatabaseUrl !== undefined ? { reportingDatabaseUrl: options.reportingDatabaseUrl } : {}),
      },
      governance: { sessionIdleMinutes: 15, sessionMaxHours: 12 },
    },
    logger,
    {
      clock,
      database: db,
      masterKeys: InMemoryMasterKeyProvider.random(),
      passwordHasher: new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }),
      resolver: (host) => Promise.resolve(host === 'localhost' ? ['127.0.0.1'] : ['93.184.216.34']),
      ...(options.extensions !== undefined ? { extensions: options.extensions } : {}),
      ...(options.intake !== undefined ? { intake: options.intake } : {}),
    },
  );
  if (options.intakeReading !== false) kernel.intakeReading.start();
  const app = await buildApp(
    kernel,
    testHttpConfig,
    logger,
    options.streamHeartbeatMs !== undefined ? { streamHeartbeatMs: options.streamHeartbeatMs } : {},
  );
  return {
    kernel,
    db,
    cipher: store.cipher,
    app,
    clock,
    logs,
    logger,
    async close() {
      await app.close();
      await kernel.close();
    },
  };
}

/**
 * Waits until intake's reading worker has read an arrival's file and routed its documents (or ended
 * it unreadable), and returns the arrival then (as intake's own account sees it). Fails naming where
 * the file still is when `timeoutMs` runs out.
 */
export async function untilIntakeRead(t: Pick<TestApp, 'kernel'>, arrivalId: string, timeoutMs = 15_000) {
  const ctx = await t.kernel.intakeContext();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const arrival = await t.kernel.intake.arrival(ctx, arrivalId);
    if (arrival.reading === 'read' || arrival.reading === 'unreadable') return arrival;
    if (Date.now() > deadline)
      throw new Error(`arrival ${arrivalId} not read in ${timeoutMs} ms: ${arrival.readingNote}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test-bootstrap',
  authMethod: 'local-operator',
} as const;

export interface TestPrincipal {
  readonly id: string;
  readonly kind: 'user' | 'service';
  readonly token: string;
  readonly tokenId: string;
}

/** A user (or, for the automation and agent roles, a service account) with one grant and a `*`-scoped token. */
export async function principalWith(
  kernel: Kernel,
  name: string,
  grant?: { role: Role; site?: string; workflow?: string; purposeOfUse?: PurposeOfUse; actionTypes?: string[] },
  options: { breakGlass?: boolean; scopes?: string[]; tokenDays?: number } = {},
): Promise<TestPrincipal> {
  const asService = grant?.role === 'automation' || grant?.role === 'agent';
  const id = asService
    ? (await kernel.bootstrap.serviceAccounts.create(name, bootstrap)).id
    : (await kernel.bootstrap.users.create({ username: name, password: 'a test password of length' }, bootstrap)).id;
  if (options.breakGlass === true) await kernel.bootstrap.users.setBreakGlassEligible(id, true, bootstrap);
  if (grant !== undefined) {
    await kernel.grants.add(bootstrap, {
      principalKind: asService ? 'service' : 'user',
      principalId: id,
      role: grant.role,
      site: grant.site ?? '*',
      workflow: grant.workflow ?? '*',
      purposeOfUse:
        grant.purposeOfUse ??
        (grant.role === 'admin' ? 'HSYSADMIN' : grant.role === 'compliance_officer' ? 'HCOMPL' : 'TREAT'),
      ...(grant.actionTypes !== undefined ? { actionTypes: grant.actionTypes } : {}),
    });
  }
  const issued = await kernel.bootstrap.tokens.issue(
    {
      principal: { kind: asService ? 'service' : 'user', id },
      name: 'test',
      scopes: options.scopes ?? ['*'],
      expiresAt: new Date(kernel.clock.now().getTime() + (options.tokenDays ?? 30) * 86_400_000),
    },
    bootstrap,
  );
  return { id, kind: asService ? 'service' : 'user', token: issued.token, tokenId: issued.id };
}

export function bearer(p: TestPrincipal, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${p.token}`, ...extra };
}

/** A synthetic patient body; the values are recognisable so leak tests can search for them. */
export function syntheticPatient(site: string, mrn: string): Record<string, unknown> {
  return {
    site,
    name: { family: 'Quixotic-Zebulon', given: ['Marisol', 'Tamsin'] },
    birthDate: '1961-07-23',
    gender: 'female',
    identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: mrn }],
  };
}

/**
 * Connects `kernel` to a sandbox EHR as to a real one: an egress destination with a (synthetic
 * data only) BAA, a SMART Backend Services key (ES384) registered at the sandbox, and a connection
 * at `site` granted `scopes`. `by` registers them (it needs the grants an administrator has).
 */
export async function connectSandboxEhr(
  kernel: Pick<Kernel, 'egress' | 'connections'>,
  ehr: SandboxEhr,
  by: RequestContext,
  options: { readonly name: string; readonly site: string; readonly clientId: string; readonly scopes: string[] },
): Promise<EhrConnection> {
  await kernel.egress.register(by.actor, {
    name: 'sandbox-ehr',
    kind: 'ehr',
    baseUrl: ehr.url,
    baaOnRecord: true,
    baaReference: 'sandbox EHR on loopback: synthetic data only',
    allowPrivateNetwork: true,
  });
  const key = await makeKey('ES384');
  ehr.registerClient({ clientId: options.clientId, jwks: { keys: [key.publicJwk] }, allowedScopes: options.scopes });
  return kernel.connections.add(by, {
    name: options.name,
    site: options.site,
    vendor: 'generic-r4',
    fhirBaseUrl: ehr.fhirBaseUrl,
    clientId: options.clientId,
    privateKey: { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: 'ES384' } as PrivateJwk,
    scopes: options.scopes,
    facilityTimeZone: 'America/New_York',
    budget: { requestsPerSecond: 200, burst: 50, maxConcurrency: 8 },
  });
}

/** The sandbox server harness, for the proofs the command line runs against a living clinic. */
export { ehrSide, sandboxServer, smallSeed, until } from './test-sandbox.js';
/** Why no Chromium can be launched here (a screens test skips with it), for tests outside the stack's packages (examples). */
export { browserUnavailable } from '@steward/automation';
