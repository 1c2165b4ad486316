/**
 * The proof that approved write-back always finishes, with nobody pressing retry: N approved
 * proposals of every EHR action type (appointment status, task create and update, service request
 * status, draft note), against the sandbox EHR over HTTP under about 20 % mixed injected faults
 * (5xx, 429 with Retry-After, time-outs, writes committed and never answered, writes committed after
 * the client gave up), committed by an applier process that is SIGKILLed mid-commit several times
 * and then left to finish. At the end every proposal is verified, or conflicted with a diff where
 * the EHR's own users changed the record meanwhile; and an independent read of the EHR (plain
 * fetch, not Steward's client) finds each write once, on its own patient's chart.
 *
 * N is `STEWARD_WRITEBACK_PROOF_COUNT` (default 25, to keep the suite fast; 200 is run by hand
 * and its figures are in docs/benchmarks.md).
 *
 * A flow test (`flowTargets`): it runs on one store per run, PostgreSQL when the run has one
 * (STEWARD_TEST_FLOW_STORE=pglite|both chooses), and CI runs it on PostgreSQL under Node 24 and on
 * PGlite under Node 22, so every push proves it on each store. The store's own part is tested on
 * both in every run: the applier's SQL in proposal-applier.int.test.ts and write-back-retries, a
 * PGlite data directory's recovery after SIGKILL in the audit and workflow crash tests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { exportJWK } from 'jose';
import { systemClock, type Actor, type RequestContext, type Role } from '@steward/core';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import { keyRingWithMasterKey } from '@steward/governance/testing';
import { ConnectionRegistry, stewardWriteSystem, type PrivateJwk } from '@steward/ehr';
import { startSandboxEhr, type FaultRule, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, makeKey, tokenFor } from '@steward/sandbox-ehr/testing';
import { PgliteDatabase, PostgresDatabase, type Database } from '@steward/store';
import { flowTargets, pgliteDataDir } from '@steward/store/testing';
import { ProposalDesk } from '../review/index.js';
import type { EhrActionType, ProposalDraft, ProposalPatient } from '../model/index.js';
import { ENTERPRISE, MRN } from '../test-kit.js';
import type { WriteBackChildArgs } from './write-back-child.js';

const CHILD = fileURLToPath(new URL('./write-back-child.js', import.meta.url));
/** The test runner's `--liftoff-only` (scripts/run-tests.mjs), passed on: each applier starts PGlite's WebAssembly anew. */
const NODE_FLAGS = process.execArgv.filter((a) => a === '--liftoff-only');
const COUNT = Number(process.env['STEWARD_WRITEBACK_PROOF_COUNT'] ?? 25);
/** Each applier process is killed once it has finished this many commits, 0–80 ms into its next round. */
const KILLS = [Math.ceil(COUNT / 6), Math.ceil(COUNT / 5), Math.ceil(COUNT / 4)];
const PATIENTS = 6;
const CLIENT_TIMEOUT_MS = 250;
const LATE_COMMIT_MS = 600;
const scopes = [
  'system/*.rs',
  'system/Appointment.u',
  'system/Task.cu',
  'system/ServiceRequest.u',
  'system/DocumentReference.c',
];
const actions: readonly EhrActionType[] = [
  'appointment.status',
  'task.create',
  'task.update',
  'service-request.status',
  'document-reference.draft',
];

/**
 * About 20 % of FHIR requests fault, reads and writes alike; the first rules make sure even a
 * small run meets both hidden-write time-outs, and the last only counts the requests let through.
 */
function faultRules(): FaultRule[] {
  const fhir = '/fhir/R4/';
  const writes = (method: string): FaultRule[] => [
    { method, pathPrefix: fhir, kind: 'status', status: 500, rate: 0.03 },
    { method, pathPrefix: fhir, kind: 'status', status: 503, rate: 0.015 },
    { method, pathPrefix: fhir, kind: 'rate-limit', retryAfterSeconds: 1, rate: 0.045 },
    { method, pathPrefix: fhir, kind: 'timeout', rate: 0.045 },
    { method, pathPrefix: fhir, kind: 'commit-then-timeout', rate: 0.045 },
    { method, pathPrefix: fhir, kind: 'late-commit', latencyMs: LATE_COMMIT_MS, rate: 0.045 },
  ];
  return [
    { method: 'POST', pathPrefix: fhir, kind: 'commit-then-timeout', rate: 0.3, times: 2 },
    { method: 'PUT', pathPrefix: fhir, kind: 'late-commit', latencyMs: LATE_COMMIT_MS, rate: 0.3, times: 2 },
    { method: 'PUT', pathPrefix: fhir, kind: 'commit-then-timeout', rate: 0.3, times: 1 },
    { method: 'POST', pathPrefix: fhir, kind: 'late-commit', latencyMs: LATE_COMMIT_MS, rate: 0.3, times: 1 },
    { method: 'GET', pathPrefix: fhir, kind: 'status', status: 503, rate: 0.07 },
    { method: 'GET', pathPrefix: fhir, kind: 'rate-limit', retryAfterSeconds: 1, rate: 0.07 },
    { method: 'GET', pathPrefix: fhir, kind: 'timeout', rate: 0.075 },
    ...writes('POST'),
    ...writes('PUT'),
    { pathPrefix: fhir, kind: 'latency', latencyMs: 0, rate: 1 },
  ];
}

interface Planned {
  readonly id: string;
  readonly action: EhrActionType;
  readonly patient: string;
  readonly target?: { readonly type: string; readonly id: string };
  /** The EHR's own users change the target after approval: this one must end conflicted. */
  readonly changedInEhr: boolean;
}

/** Runs the applier child until it has made `killAfter` commits, then kills it mid-round; or, with no kill, until it finishes. */
async function runApplier(args: WriteBackChildArgs, killAfter?: number): Promise<string> {
  const child = spawn(process.execPath, [...NODE_FLAGS, CHILD], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STEWARD_WRITEBACK_CHILD: JSON.stringify(args) },
  });
  const spawned = Date.now();
  let readyAt = 0;
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let killing = false;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (readyAt === 0 && stdout.includes('ready')) readyAt = Date.now();
    const done = Number([...stdout.matchAll(/progress (\d+)/g)].at(-1)?.[1] ?? 0);
    if (killAfter !== undefined && !killing && done >= killAfter) {
      killing = true;
      setTimeout(() => child.kill('SIGKILL'), Math.random() * 80);
    }
  });
  const code = await exited;
  if (killAfter === undefined) assert.equal(code, 0, `the applier failed: ${stderr.slice(-2_000)}`);
  else assert.ok(killing, `the applier stopped before it was killed: ${stderr.slice(-2_000)}`);
  return `${stdout}\ntimes ${readyAt - spawned} ms to start, ${Date.now() - readyAt} ms committing\n`;
}

async function statusCounts(db: Database, ids: readonly string[]): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: string | number }>(
    'select status, count(*) as n from proposals where id = any($1::uuid[]) group by status order by status',
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

for (const store of flowTargets()) {
  const target = store.name;
  describe(`write-back finishes by itself under faults and kills, on ${target}`, { skip: store.skip }, () => {
    let ehr: SandboxEhr;
    let ehrToken: string;
    let dir: string | undefined;
    let location: string;
    let closeStore: () => Promise<void> = () => Promise.resolve();
    const key = randomBytes(32);

    /** Opens the store (PGlite is opened by one process at a time, so the parent closes it while the child runs). */
    const openStore = async (): Promise<Database> =>
      target === 'pglite' ? PgliteDatabase.open(location) : PostgresDatabase.open({ url: location, maxConnections: 2 });

    before(async () => {
      ehr = await startSandboxEhr({ faultSeed: 20_261_206 });
      ehrToken = await tokenFor(ehr, ['system/*.*']);
      if (target === 'pglite') {
        dir = mkdtempSync(join(tmpdir(), 'steward-writeback-'));
        location = dir;
        await (await pgliteDataDir(dir)).close();
      } else {
        const db = await store.open();
        location = db.url ?? assert.fail('a PostgreSQL test database has a url');
        closeStore = () => db.close();
      }
    });
    after(async () => {
      await ehr?.close();
      await closeStore();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    const ehrSide = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await fhirFetch(ehr, ehrToken, method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status}`);
      return r.json as Record<string, unknown>;
    };

    it(
      `${COUNT} approved writes all end verified or conflicted, each once, on its own chart`,
      { timeout: 180_000 },
      async (t) => {
        // --- Set-up, faults off: accounts, the connection, patients, the records to update, the approved proposals.
        const db = await openStore();
        const cipher = await keyRingWithMasterKey(db, key);
        const audit = await AuditLog.open(db, cipher);
        const grants = new GrantStore(db, audit);
        const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
        const accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
        const bootstrap: Actor = {
          kind: 'service',
          id: '00000000-0000-4000-8000-000000000000',
          name: 'operator',
          authMethod: 'local-operator',
        };
        const as = async (name: string, role: Role, site = 'north'): Promise<RequestContext> => {
          const account = await accounts.create(name, bootstrap);
          await grants.add(bootstrap, {
            principalKind: 'service',
            principalId: account.id,
            role,
            site,
            workflow: '*',
            purposeOfUse: role === 'admin' ? 'HSYSADMIN' : role === 'integration' ? 'HOPERAT' : 'TREAT',
          });
          return { actor: { kind: 'service', id: account.id, name, authMethod: 'api-token' } };
        };
        const admin = await as('proof-admin', 'admin', '*');
        const workflow = await as('proof-workflow', 'automation');
        const reviewer = await as('proof-coordinator', 'coordinator');
        const applier = await as('steward-applier', 'integration');
        const registry = new ConnectionRegistry(db, cipher, policy, audit, accounts, grants);
        const smartKey = await makeKey('ES384');
        ehr.registerClient({ clientId: 'steward-proof', jwks: { keys: [smartKey.publicJwk] }, allowedScopes: scopes });
        const connection = await registry.add(admin, {
          name: 'proof-sandbox',
          site: 'north',
          vendor: 'generic-r4',
          fhirBaseUrl: ehr.fhirBaseUrl,
          clientId: 'steward-proof',
          privateKey: { ...(await exportJWK(smartKey.privateKey)), kid: smartKey.kid, alg: 'ES384' } as PrivateJwk,
          scopes,
          facilityTimeZone: 'America/New_York',
        });

        const patients: ProposalPatient[] = [];
        for (let n = 0; n < PATIENTS; n++) {
          const identifiers = [
            { system: MRN, value: `MRN-P${n}` },
            { system: ENTERPRISE, value: `E-P${n}` },
          ];
          const p = await ehrSide('POST', 'Patient', {
            resourceType: 'Patient',
            active: true,
            identifier: identifiers,
          });
          patients.push({ ehrId: String(p['id']), identifiers });
        }

        const desk = new ProposalDesk({ db, cipher, policy, grants, audit });
        const plan: Planned[] = [];
        for (let i = 0; i < COUNT; i++) {
          const action = actions[i % actions.length] as EhrActionType;
          const patient = patients[i % PATIENTS] as ProposalPatient;
          const ref = { reference: `Patient/${patient.ehrId}` };
          let draft: Pick<ProposalDraft, 'target' | 'payload'> & { baseVersion?: string };
          if (action === 'task.create') {
            draft = {
              target: { resourceType: 'Task' },
              payload: { resourceType: 'Task', status: 'requested', intent: 'order', for: ref },
            };
          } else if (action === 'document-reference.draft') {
            const data = Buffer.from(`draft note ${i}`).toString('base64');
            draft = {
              target: { resourceType: 'DocumentReference' },
              payload: {
                resourceType: 'DocumentReference',
                status: 'current',
                docStatus: 'preliminary',
                subject: ref,
                content: [{ attachment: { contentType: 'text/plain', data } }],
              },
            };
          } else {
            const [type, before, status] =
              action === 'appointment.status'
                ? [
                    'Appointment',
                    {
                      status: 'booked',
                      start: '2026-12-01T14:00:00-05:00',
                      end: '2026-12-01T14:30:00-05:00',
                      participant: [{ actor: ref, status: 'accepted' }],
                    },
                    'cancelled',
                  ]
                : action === 'task.update'
                  ? ['Task', { status: 'requested', intent: 'order', for: ref }, 'on-hold']
                  : ['ServiceRequest', { status: 'active', intent: 'order', subject: ref }, 'on-hold'];
            const created = await ehrSide('POST', type, { resourceType: type, ...before });
            const id = String(created['id']);
            const rest = { ...created };
            delete rest['meta'];
            draft = {
              target: { resourceType: type, id },
              baseVersion: (created['meta'] as { versionId: string }).versionId,
              payload: { ...rest, status },
            };
          }
          const p = await desk.draft(workflow, {
            action,
            connectionId: connection.id,
            site: 'north',
            patient,
            ...draft,
            evidence: { eventIds: [], resources: [], reasonCode: 'write-back-proof' },
          });
          await desk.approve(reviewer, p.id, { contentHash: p.contentHash });
          const changedInEhr = draft.target.id !== undefined && i % 11 === 0;
          plan.push({
            id: p.id,
            action,
            patient: patient.ehrId,
            ...(draft.target.id !== undefined
              ? { target: { type: draft.target.resourceType, id: draft.target.id } }
              : {}),
            changedInEhr,
          });
        }
        // The EHR's own users change a few records after approval: those writes must not overwrite them.
        for (const p of plan.filter((x) => x.changedInEhr)) {
          const current = await ehrSide('GET', `${p.target!.type}/${p.target!.id}`);
          await ehrSide('PUT', `${p.target!.type}/${p.target!.id}`, {
            ...current,
            priority: p.target!.type === 'Appointment' ? 1 : 'urgent',
          });
        }
        await audit.close();
        if (target === 'pglite') await db.close();
        const ids = plan.map((p) => p.id);

        // --- The applier, killed mid-commit, then left to finish. Nobody presses retry.
        ehr.faults.setRules(faultRules());
        let args: WriteBackChildArgs = {
          kind: target,
          location,
          keyHex: key.toString('hex'),
          connectionId: connection.id,
          applierId: applier.actor.id,
          finish: false,
          attemptTimeoutMs: CLIENT_TIMEOUT_MS,
          clockOffsetMs: 0,
        };
        const started = Date.now();
        const line = (out: string, tag: string): string => new RegExp(`^${tag} (.*)$`, 'm').exec(out)?.[1] ?? '';
        // Each applier's clock starts where the one before it left off (see write-back-child.ts).
        const clockOf = (out: string): number => Number([...out.matchAll(/^clock (\d+)$/gm)].at(-1)?.[1] ?? 0);
        for (const [round, killAfter] of KILLS.entries()) {
          const out = await runApplier(args, killAfter);
          args = { ...args, clockOffsetMs: Math.max(args.clockOffsetMs, clockOf(out)) };
          t.diagnostic(
            `applier ${round + 1} found ${line(out, 'start')}, killed after ${killAfter} commits (${line(out, 'times')})`,
          );
        }
        const last = await runApplier({ ...args, finish: true });
        const figures = `found ${line(last, 'start')}, ${line(last, 'done')} (${line(last, 'times')}, ${Math.max(args.clockOffsetMs, clockOf(last))} ms of back-off skipped in all)`;
        const elapsed = Date.now() - started;
        const faults = ehr.faults.counters;
        ehr.faults.clear();
        // Late commits still in flight land (or are refused by their condition) before the EHR is counted.
        await new Promise((resolve) => setTimeout(resolve, LATE_COMMIT_MS + 200));
        const injected = Object.entries(faults)
          .filter(([k]) => k !== 'latency')
          .reduce((n, [, v]) => n + v, 0);
        t.diagnostic(
          `${COUNT} writes in ${elapsed} ms with ${KILLS.length} kills; last run ${figures}; ` +
            `faults ${JSON.stringify(faults)} = ${injected} of ${injected + faults.latency} FHIR requests (${((100 * injected) / (injected + faults.latency)).toFixed(1)} %)`,
        );

        // --- Steward's record: every proposal verified, or conflicted with a diff and a revision for review.
        const end = await openStore();
        try {
          const { rows } = await end.query<{
            id: string;
            status: string;
            diff_enc: Uint8Array | null;
            superseded_by: string | null;
            committed_id: string | null;
            attempts: number;
            error_code: string | null;
          }>(
            'select id, status, diff_enc, superseded_by, committed_id, attempts, error_code from proposals where id = any($1::uuid[])',
            [ids],
          );
          const byId = new Map(rows.map((r) => [r.id, r]));
          t.diagnostic(`statuses at the end: ${JSON.stringify(await statusCounts(end, ids))}`);
          for (const p of plan) {
            const row = byId.get(p.id) ?? assert.fail(`proposal ${p.id} is missing`);
            if (p.changedInEhr) {
              assert.equal(
                row.status,
                'conflicted',
                `${p.action} changed in the EHR: ${JSON.stringify({ ...row, diff_enc: null })}`,
              );
              assert.ok(
                row.diff_enc !== null && row.superseded_by !== null,
                'a conflict keeps its diff and files a revision',
              );
            } else {
              assert.equal(
                row.status,
                'verified',
                `${p.action}: ${row.status} ${row.error_code ?? ''} after ${row.attempts} attempts`,
              );
            }
          }
        } finally {
          await end.close();
        }

        // --- The EHR, read independently (plain fetch): each write once, on its own patient's chart.
        const reread = await tokenFor(ehr, ['system/*.*']);
        const read = async (path: string): Promise<Record<string, unknown>> => {
          const r = await fhirFetch(ehr, reread, 'GET', path);
          assert.equal(r.status, 200, path);
          return r.json as Record<string, unknown>;
        };
        const entries = (bundle: Record<string, unknown>): Record<string, unknown>[] =>
          ((bundle['entry'] as { resource: Record<string, unknown> }[] | undefined) ?? []).map((e) => e.resource);
        for (const type of ['Task', 'DocumentReference']) {
          const keyed = entries(await read(`${type}?_count=1000`)).filter((r) =>
            ((r['identifier'] as { system?: string }[] | undefined) ?? []).some((i) => i.system === stewardWriteSystem),
          );
          const creates = plan.filter((p) =>
            type === 'Task' ? p.action === 'task.create' : p.action === 'document-reference.draft',
          );
          assert.equal(keyed.length, creates.length, `${type}: one resource per create, none twice`);
          for (const p of creates) {
            const mine = keyed.filter((r) =>
              (r['identifier'] as { system?: string; value?: string }[]).some(
                (i) => i.system === stewardWriteSystem && i.value === `${p.id}.r1`,
              ),
            );
            assert.equal(mine.length, 1, `${type} for proposal ${p.id}: written once`);
            const subject = (mine[0]?.[type === 'Task' ? 'for' : 'subject'] as { reference?: string }).reference;
            assert.equal(subject, `Patient/${p.patient}`, 'on its own chart');
          }
        }
        for (const p of plan.filter((x) => x.target !== undefined)) {
          const history = entries(await read(`${p.target!.type}/${p.target!.id}/_history`));
          assert.equal(history.length, 2, `${p.target!.type}/${p.target!.id}: created, then changed once`);
          const current = await read(`${p.target!.type}/${p.target!.id}`);
          const expected = p.action === 'appointment.status' ? 'cancelled' : 'on-hold';
          if (p.changedInEhr) assert.notEqual(current['status'], expected, 'the EHR-side change was not overwritten');
          else assert.equal(current['status'], expected, 'the approved change landed');
          const refs = JSON.stringify(current).match(/Patient\/[A-Za-z0-9.-]+/g) ?? [];
          assert.deepEqual([...new Set(refs)], [`Patient/${p.patient}`], 'still on its own chart');
        }
      },
    );
  });
}
