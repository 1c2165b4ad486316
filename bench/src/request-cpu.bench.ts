/**
 * @module The server's own CPU per authenticated request (stop 34): a few thousand typical requests
 * through `app.inject` — `GET /me` by a session (the console) and by an API token, `GET /review`
 * (a reviewer's queue, one proposal in it: authentication, policy, the queue's query, the audited
 * search), `GET /review/:id` (an audited PHI read) and, with `BENCH_FHIR=1`, a FHIR facade read
 * against the in-process sandbox EHR — each measured as the Node process's CPU (user+sys,
 * `process.cpuUsage`) and, on PostgreSQL, the database server's (the postmaster and its reaped
 * backends from /proc; the backends of a live pool are read from their own /proc entries) divided
 * by the requests. `BENCH_REQUESTS` (default 2,000 of each), `BENCH_STORE=pglite|postgres`
 * (default: PostgreSQL when STEWARD_TEST_DATABASE_URL names a server). `node --cpu-prof` on it
 * gives the profile.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { RequestContext } from '@steward/core';
import { generateTotpSecret, totpCode } from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import { storeTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp } from '@steward/server/testing';

const N = Number(process.env['BENCH_REQUESTS'] ?? 2000);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 200);
const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test-bootstrap',
  authMethod: 'local-operator',
} as const;

/**
 * CPU seconds of the PostgreSQL server the store uses (found by its port in the postmaster's command
 * line): the postmaster's own and reaped children's time, plus its live children's own time.
 */
function postgresCpu(port: string): number {
  const stats = new Map<number, number[]>();
  let postmaster: number | undefined;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      if (!text.slice(text.indexOf('(') + 1, close).startsWith('postgres')) continue;
      stats.set(
        Number(name),
        text
          .slice(close + 2)
          .split(' ')
          .map(Number),
      );
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (cmd.includes('-p') && cmd[cmd.indexOf('-p') + 1] === port) postmaster = Number(name);
    } catch {
      // ended while read
    }
  }
  if (postmaster === undefined) return 0;
  let ticks = 0;
  for (const [pid, f] of stats) {
    const own = (f[11] ?? 0) + (f[12] ?? 0);
    if (pid === postmaster) ticks += own + (f[13] ?? 0) + (f[14] ?? 0);
    else if (f[1] === postmaster) ticks += own;
  }
  return ticks / 100;
}

async function main(): Promise<void> {
  const targets = storeTargets();
  const wanted = process.env['BENCH_STORE'];
  const target =
    targets.find((x) => (wanted !== undefined ? x.name === wanted : x.name === 'postgres' && x.skip === undefined)) ??
    targets[0]!;
  const db = await target.open();
  const trace = traceSql(db);
  const t: TestApp = await openTestApp(db);
  const onPg = target.name === 'postgres';
  const pgPort = new URL(process.env['STEWARD_TEST_DATABASE_URL'] ?? 'postgres://x:1/').port;

  // A reviewer who signs in (a session, as the console does), and the same person's API token.
  const reviewer = await principalWith(t.kernel, 'bench-reviewer', { role: 'clinician_reviewer' });
  const secret = generateTotpSecret();
  await t.kernel.bootstrap.users.confirmTotp(reviewer.id, secret, totpCode(secret, t.clock.now()), bootstrap);
  t.clock.advance(30_000); // the next TOTP step: the enrolment's code cannot be used again
  const login = await t.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: {
      username: 'bench-reviewer',
      password: 'a test password of length',
      totpCode: totpCode(secret, t.clock.now()),
    },
  });
  if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
  const session = { authorization: `Bearer ${login.json<{ sessionToken: string }>().sessionToken}` };

  const flow = await principalWith(t.kernel, 'bench-flow', { role: 'automation' });
  const ctx: RequestContext = { actor: { kind: 'service', id: flow.id, name: 'bench-flow', authMethod: 'api-token' } };
  const draft = await t.kernel.proposals.draft(ctx, {
    action: 'reminder.send',
    site: 'north',
    workflow: 'wf-0',
    patient: {
      ehrId: 'p-1',
      identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-1' }],
    },
    target: { resourceType: 'Communication' },
    payload: { template: 'recheck-reminder', language: 'en' },
    evidence: { eventIds: [], resources: [], reasonCode: 'bench' },
  });

  const kinds: { name: string; url: string; headers: Record<string, string> }[] = [
    { name: 'GET /me (session)', url: '/me', headers: session },
    { name: 'GET /me (API token)', url: '/me', headers: bearer(reviewer) },
    { name: 'GET /review (session)', url: '/review', headers: session },
    { name: `GET /review/:id (session, audited read)`, url: `/review/${draft.id}`, headers: session },
  ];
  if (process.env['BENCH_FHIR'] === '1') kinds.push(...(await fhirKind(t)));

  console.log(`store ${target.name}, ${N} requests of each kind, load ${loadavg()}`);
  for (const kind of kinds) {
    // Warm up (JIT, prepared statements), then measure.
    for (let i = 0; i < WARMUP; i++) await call(t, kind.url, kind.headers);
    await t.kernel.audit.flush();
    trace.clear();
    const pg0 = onPg ? postgresCpu(pgPort) : 0;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let i = 0; i < N; i++) await call(t, kind.url, kind.headers);
    await t.kernel.audit.flush();
    const wall = performance.now() - wall0;
    const cpu = process.cpuUsage(cpu0);
    const pg = onPg ? postgresCpu(pgPort) - pg0 : 0;
    const perReq = (cpu.user + cpu.system) / N;
    console.log(
      `${kind.name.padEnd(42)} node ${perReq.toFixed(0).padStart(5)} µs/req (user ${(cpu.user / N).toFixed(0)}, sys ${(cpu.system / N).toFixed(0)})` +
        (onPg ? `, postgres ${((pg * 1e6) / N).toFixed(0).padStart(4)} µs/req` : '') +
        `, wall ${((wall * 1000) / N).toFixed(0)} µs/req`,
    );
    if (process.env['BENCH_TRACE'] === '1') {
      for (const [k, [c, rows]] of [...trace].sort((a, b) => b[1][0] - a[1][0])) {
        console.log(
          `    ${(c / N).toFixed(2).padStart(6)} /req  ${(rows / Math.max(c, 1)).toFixed(1).padStart(5)} rows  ${k}`,
        );
      }
    }
  }
  console.log(`load after ${loadavg()}`);
  await t.close();
}

/** BENCH_TRACE=1: each statement's count and rows (its first 90 characters), in and out of transactions. */
function traceSql(db: Sql & Pick<Database, 'transaction'>): Map<string, [number, number]> {
  const trace = new Map<string, [number, number]>();
  if (process.env['BENCH_TRACE'] !== '1') return trace;
  const key = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 90);
  const wrap = (sql: Sql, tx: string): Sql => {
    const q = sql.query.bind(sql);
    return Object.assign(Object.create(sql) as Sql, {
      query: async (text: string, params?: readonly unknown[]) => {
        const r = await q(text, params);
        const k = tx + key(text);
        const v = trace.get(k) ?? [0, 0];
        v[0]++;
        v[1] += r.rows.length;
        trace.set(k, v);
        return r;
      },
    });
  };
  const q = db.query.bind(db);
  const w = wrap({ query: q, exec: db.exec.bind(db) }, '');
  (db as { query: unknown }).query = (text: string, params?: readonly unknown[]) => w.query(text, params);
  const tr = db.transaction.bind(db);
  (db as { transaction: unknown }).transaction = (fn: (tx: Sql) => Promise<unknown>) =>
    tr((tx) => fn(wrap(tx, '[tx] ')));
  return trace;
}

async function call(t: TestApp, url: string, headers: Record<string, string>): Promise<void> {
  const r = await t.app.inject({ method: 'GET', url, headers });
  if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
}

/** A FHIR facade read of one patient through a sandbox EHR connection, by an agent's token. */
async function fhirKind(t: TestApp): Promise<{ name: string; url: string; headers: Record<string, string> }[]> {
  const { startSandboxEhr } = await import('@steward/sandbox-ehr');
  const { fhirFetch, tokenFor } = await import('@steward/sandbox-ehr/testing');
  const { connectSandboxEhr } = await import('@steward/server/testing');
  const ehr = await startSandboxEhr({});
  const admin = await principalWith(t.kernel, 'bench-admin', { role: 'admin' });
  const adminCtx: RequestContext = {
    actor: { kind: 'user', id: admin.id, name: 'bench-admin', authMethod: 'api-token' },
    purposeOfUse: 'HSYSADMIN',
  };
  await connectSandboxEhr(t.kernel, ehr, adminCtx, {
    name: 'north-ehr',
    site: 'north',
    clientId: 'steward-north',
    scopes: ['system/*.rs'],
  });
  const token = await tokenFor(ehr, ['system/*.*']);
  const r = await fhirFetch(ehr, token, 'POST', 'Patient', {
    resourceType: 'Patient',
    name: [{ family: 'Bench-Facade' }],
    birthDate: '1961-07-23',
  });
  const id = String((r.json as { id: string }).id);
  const agent = await principalWith(t.kernel, 'bench-agent', { role: 'agent', site: 'north' });
  return [
    {
      name: 'GET /fhir/R4/north-ehr/Patient/:id (agent)',
      url: `/fhir/R4/north-ehr/Patient/${id}`,
      headers: bearer(agent),
    },
  ];
}

await main();
process.exit(0);
