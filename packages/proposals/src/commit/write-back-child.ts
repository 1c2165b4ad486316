/**
 * @module Test-only child process for write-back-proof.int.test.ts: an applier process as the
 * server runs one (a sweep of unverified commits on start, then rounds of due retries and
 * approved commits, and the sweep again now and then), against the sandbox EHR over HTTP. Prints
 * `ready` before its first round and `progress <n>` after each, so the parent can kill it
 * mid-commit; with `finish`,
 * runs until no write-back work is open, prints its figures as JSON and exits.
 *
 * The applier's clock is real time plus the time skipped while it had nothing to do but wait for
 * a retry's back-off (or the EHR's Retry-After): the back-offs are scheduled and honoured as in
 * production, without the test waiting them out on the real clock. Nothing is skipped while a
 * commit waits for the sweep, since the EHR's late commits land in real time. The offset is
 * printed as `clock <ms>` and carried to the next process, so time never runs backwards.
 */
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import { keyRingWithMasterKey } from '@steward/governance/testing';
import { ConnectionRegistry, FhirClient, FhirR4Channel, GovernedEhr, SmartBackendAuth } from '@steward/ehr';
import { PgliteDatabase, PostgresDatabase, type Database } from '@steward/store';
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import { ProposalApplier } from './proposal-applier.js';

export interface WriteBackChildArgs {
  readonly kind: 'pglite' | 'postgres';
  readonly location: string;
  readonly keyHex: string;
  readonly connectionId: string;
  readonly applierId: string;
  /** Run until no work is open, then print figures and exit. */
  readonly finish: boolean;
  /** The client's time-out per request (ms): shorter than the sandbox's late commits. */
  readonly attemptTimeoutMs: number;
  /** Idle time skipped by the processes before this one (ms): its clock starts that far ahead. */
  readonly clockOffsetMs: number;
}

const args = JSON.parse(process.env['STEWARD_WRITEBACK_CHILD'] ?? 'null') as WriteBackChildArgs | null;
if (args === null) throw new Error('usage: STEWARD_WRITEBACK_CHILD=<json> node write-back-child.js');

const db: Database =
  args.kind === 'pglite'
    ? await PgliteDatabase.open(args.location)
    : await PostgresDatabase.open({ url: args.location, maxConnections: 4 });
const cipher = await keyRingWithMasterKey(db, Buffer.from(args.keyHex, 'hex'));
const audit = await AuditLog.open(db, cipher);
const grants = new GrantStore(db, audit);
const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
const accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
const registry = new ConnectionRegistry(db, cipher, policy, audit, accounts, grants);
const connection = await registry.get(args.connectionId);
const privateKey = await registry.privateKey(connection);
const { fhirBaseUrl, clientId } = connection;
if (privateKey === undefined || fhirBaseUrl === undefined || clientId === undefined)
  throw new Error('the connection is not a SMART backend connection');
const transport = (url: string, init: RequestInit): Promise<Response> => fetch(url, init);
const client = new FhirClient({
  baseUrl: fhirBaseUrl,
  transport,
  auth: new SmartBackendAuth({
    fhirBaseUrl,
    clientId,
    privateKey,
    scopes: connection.scopes,
    transport,
    // Discovery is a FHIR GET the sandbox may hold as a time-out fault until the client gives up:
    // 1 s here, not the default 10 s, which some runs spent waiting at an applier's start.
    timeoutMs: 1_000,
  }),
  budget: { requestsPerSecond: 500, burst: 100, maxConcurrent: 8 },
  // A Retry-After is not slept on inside the request: the applier schedules the retry instead.
  resilience: {
    maxAttempts: 3,
    baseDelayMs: 5,
    maxDelayMs: 50,
    attemptTimeoutMs: args.attemptTimeoutMs,
    maxRetryAfterMs: 0,
  },
  breaker: { coolDownMs: 20 },
});
const port = new GovernedEhr({
  channel: new FhirR4Channel(() => Promise.resolve(client)),
  policy,
  audit,
  cipher,
  connection: () => Promise.resolve({ site: connection.site, actor: registry.actorOf(connection) }),
}).writer;
let skippedMs = args.clockOffsetMs;
const clock: Clock = { now: () => new Date(Date.now() + skippedMs) };
/** When only back-offs are open: moves the clock to the first retry due, instead of sleeping. False when none is ahead. */
async function skipToNextRetry(): Promise<boolean> {
  const { rows } = await db.query<{ due: Date | string | null }>(
    "select min(next_attempt_at) as due from proposals where status = 'failed' and next_attempt_at is not null",
  );
  const due = rows[0]?.due;
  if (due === null || due === undefined) return false;
  const ahead = new Date(due).getTime() - clock.now().getTime();
  if (ahead <= 0) return false;
  skippedMs += ahead;
  process.stdout.write(`clock ${skippedMs}\n`);
  return true;
}
const applier = new ProposalApplier(
  { db, cipher, policy, grants, audit, clock },
  port,
  {},
  {
    retry: { maxAttempts: 12, baseDelayMs: 100, maxDelayMs: 2_000 },
    // The proof kills writers mid-write: a dead one's claim runs out in a second and a half, so the
    // next child writes it (through the same idempotent path) within the test's time.
    writeClaimMs: 1_500,
  },
);
const ctx: RequestContext = {
  actor: { kind: 'service', id: args.applierId, name: 'steward-applier', authMethod: 'api-token' },
};

const sweepEveryMs = 500;
const started = Date.now();
let rounds = 0;
let committed = 0;
// On start: every write left committed (and not verified) by the process before this one.
const left = await applier.openWork();
const recovered = await applier.reverifyCommitted(ctx, { limit: 1000 });
process.stdout.write(
  `start ${JSON.stringify({ ...left, reverified: recovered.filter((r) => r.status === 'verified').length })}\n`,
);
let lastSweep = Date.now();
process.stdout.write('ready\n');
for (;;) {
  // Small rounds, so the parent sees progress and kills the process while writes are in flight.
  const results = await applier.commitApproved(ctx, 8, { concurrency: 4 });
  committed += results.length;
  rounds++;
  if (results.length > 0) process.stdout.write(`progress ${committed}\n`);
  if (Date.now() - lastSweep >= sweepEveryMs) {
    await applier.reverifyCommitted(ctx, { settledForMs: sweepEveryMs, limit: 1000 });
    lastSweep = Date.now();
  }
  const open = await applier.openWork();
  if (args.finish && open.approved === 0 && open.retrying === 0 && open.committed === 0) break;
  if (results.length === 0 && open.committed > 0) {
    // Commits waiting for the sweep: let real time pass, so late commits land first.
    await new Promise((resolve) => setTimeout(resolve, sweepEveryMs));
    lastSweep = 0;
  } else if (results.length === 0) {
    // Only retries waiting for their back-off: their time comes at once (else a short pause, as before).
    if (!(await skipToNextRetry())) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
process.stdout.write(`done ${JSON.stringify({ rounds, committed, ms: Date.now() - started })}\n`);
await audit.close();
await db.close();
process.exit(0);
