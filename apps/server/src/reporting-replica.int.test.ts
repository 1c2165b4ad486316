/**
 * Reports on a real streaming replica (PostgreSQL only): the test server started by
 * scripts/test-postgres.sh is the primary (wal_level=replica and max_wal_senders=10 are
 * PostgreSQL's defaults; initdb's pg_hba trusts replication from loopback); `pg_basebackup -R`
 * copies it into a temporary directory and a standby runs there, on a Unix socket only (no TCP
 * port to collide with). The server's STEWARD_REPORTING_DATABASE_URL points at the standby.
 * Referrals started and a proposal drafted on the primary afterwards appear in /reports/operations,
 * /reports/referrals and /reports/followups read from the standby, each saying so with the time
 * its data is as of; a write through the reporting connection is refused by the server (on the
 * standby, and on a primary named by mistake: the connection itself is read-only); the report's
 * audit entry is on the primary; with the standby stopped a report is refused (503), not read from
 * the primary, and not audited as shown.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ReplicaReports, type ReportSource } from '@steward/store';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { referralWorkflow, WorkflowEngine, WorkflowWorker, type ReferralStartPayload } from '@steward/workflows';
import type { OperationsReport } from './reports/index.js';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from './testing.js';

const run = promisify(execFile);
const CONN = '44444444-4444-4444-8444-444444444444';

const postgres = storeTargets().find((t) => t.name === 'postgres')!;
const adminUrl = process.env['STEWARD_TEST_DATABASE_URL'] ?? '';
const pgbin = ((): string | undefined => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_basebackup')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length > 0 ? join(root, versions[versions.length - 1]!, 'bin') : undefined;
})();
const local = adminUrl !== '' && ['127.0.0.1', 'localhost'].includes(new URL(adminUrl).hostname);
const skip =
  postgres.skip ??
  (pgbin === undefined
    ? 'PostgreSQL server binaries (pg_basebackup) not installed'
    : !local
      ? 'the test PostgreSQL server is not on this machine: a standby of it cannot be started here'
      : undefined);

const root = process.getuid?.() === 0;
/** As scripts/test-postgres.sh does: PostgreSQL refuses to run as root. */
const asPostgres = (bin: string, args: readonly string[]) =>
  root ? run('runuser', ['-u', 'postgres', '--', join(pgbin!, bin), ...args]) : run(join(pgbin!, bin), args);

describe('reports on a streaming replica of the test PostgreSQL server', { skip }, () => {
  let dir: string;
  let db: TestDatabase;
  let t: TestApp;
  let replicaUrl: string;
  let standbyRunning = false;
  let coordinator: TestPrincipal;
  let engine: WorkflowEngine;
  let worker: WorkflowWorker;

  const report = async (path: string) => {
    const r = await t.app.inject({ method: 'GET', url: path, headers: bearer(coordinator) });
    return { status: r.statusCode, body: r.json<Record<string, unknown>>() };
  };
  /** Waits until the standby has replayed everything the primary has written so far. */
  const caughtUp = async (): Promise<void> => {
    const { rows } = await db.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    const replica = new pg.Client({ connectionString: replicaUrl });
    await replica.connect();
    try {
      for (const deadline = Date.now() + 15_000; ;) {
        const r = await replica.query<{ done: boolean }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn as done', [
          rows[0]!.lsn,
        ]);
        if (r.rows[0]!.done) return;
        if (Date.now() > deadline) throw new Error('the standby did not replay the primary within 15 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await replica.end();
    }
  };
  const auditedReports = async (): Promise<number> =>
    Number(
      (
        await db.query<{ n: number }>(
          `select count(*) as n from audit_log where actor_id = $1 and entry like '%"OperationsReport"%'`,
          [coordinator.id],
        )
      ).rows[0]!.n,
    );
  const startReferral = async (sr: string): Promise<void> => {
    const payload: ReferralStartPayload = {
      eventId: `55555555-5555-4555-8555-${sr.padStart(12, '0')}`,
      occurredAt: t.clock.now().toISOString(),
      connectionId: CONN,
      site: 'north',
      serviceRequest: `ServiceRequest/${sr}`,
      status: 'active',
      priority: 'routine',
      requester: 'Practitioner/pcp',
      performers: [{ kind: 'Organization', ref: 'Organization/card', systems: [] }],
    };
    await engine.start('referral', `referral:${CONN}:${sr}`, payload);
    await worker.drain();
  };

  before(async () => {
    db = await postgres.open();
    // The standby: a base backup of the whole test server (this test's database included), with
    // the settings a hot standby needs at least as high as the primary's.
    dir = mkdtempSync(join(tmpdir(), 'steward-replica-'));
    if (root) await run('chown', ['postgres', dir]);
    await asPostgres('pg_basebackup', [
      ...['-D', join(dir, 'data'), '-R', '-X', 'stream', '-c', 'fast', '-d', adminUrl],
      // A throwaway copy: no fsync of its files, no manifest of their checksums.
      ...['--no-sync', '--no-manifest'],
    ]);
    const settings = await db.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings where name in
         ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`,
    );
    const options = [
      `-p 5432 -k ${dir} -c listen_addresses='' -c fsync=off -c hot_standby=on`,
      ...settings.rows.map((s) => `-c ${s.name}=${s.setting}`),
    ].join(' ');
    const log = join(dir, 'log');
    await asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-l', log, '-w', '-o', options, 'start']).catch((e: Error) => {
      throw new Error(`the standby did not start: ${existsSync(log) ? readFileSync(log, 'utf8') : e.message}`);
    });
    standbyRunning = true;
    const primary = new URL(db.url!);
    replicaUrl = `postgres://${primary.username}@localhost:5432${primary.pathname}?host=${encodeURIComponent(dir)}`;

    t = await openTestApp(db, { reportingDatabaseUrl: replicaUrl, intakeReading: false });
    engine = new WorkflowEngine({
      db: t.db,
      clock: t.clock,
      definitions: [referralWorkflow],
      effects: { 'proposal.draft': (r) => Promise.resolve({ proposalId: r.key, status: 'pending_review' }) },
    });
    worker = new WorkflowWorker(engine, { id: 'test' });
    coordinator = await principalWith(t.kernel, 'coord-all', { role: 'coordinator' });
  });

  after(async () => {
    if (t !== undefined) await t.close();
    else await db?.close();
    if (standbyRunning)
      await asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']).catch(() => {});
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('reads what the primary wrote from the standby, says so with the time its data is as of, and audits on the primary', async () => {
    await caughtUp();
    const before = await report('/reports/operations');
    assert.equal(before.status, 200, JSON.stringify(before.body));
    const started = (r: OperationsReport): number => (r.referralWeeks ?? []).reduce((n, w) => n + w.started, 0);
    assert.equal(started(before.body as unknown as OperationsReport), 0);

    await startReferral('1');
    await startReferral('2');
    t.clock.advance(60_000); // the window ends now, exclusive: the referrals started a minute ago
    await caughtUp();
    // The test cluster is shared by every test file running at once, and the standby receives their
    // WAL too: between two of its records it may have received one it has not yet replayed, and then
    // says so (caughtUp false). It replays within milliseconds, so a few reports see it caught up.
    let reads = 1;
    let ops = await report('/reports/operations');
    for (; (ops.body['source'] as { caughtUp?: boolean } | undefined)?.caughtUp === false && reads < 50; reads++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ops = await report('/reports/operations');
    }
    assert.equal(ops.status, 200, JSON.stringify(ops.body));
    const body = ops.body as unknown as OperationsReport;
    assert.equal(started(body), 2);
    const source = body.source as Extract<ReportSource, { database: 'replica' }>;
    assert.equal(source.database, 'replica');
    assert.equal(source.standby, true);
    assert.equal(source.caughtUp, true, `not caught up in ${reads} reads`);
    // As of the last commit the standby replayed: this test's own writes, seconds ago at most.
    assert.ok(source.dataAsOf !== null && Date.now() - Date.parse(source.dataAsOf) < 60_000, source.dataAsOf ?? 'null');
    assert.ok(source.lagSeconds !== null && source.lagSeconds >= 0 && source.lagSeconds < 60);

    // The other reports read there too.
    const referrals = await report('/reports/referrals?site=north');
    assert.equal(referrals.status, 200, JSON.stringify(referrals.body));
    assert.equal(referrals.body['total'], 2);
    assert.equal((referrals.body['source'] as ReportSource).database, 'replica');
    const followups = await report('/reports/followups?site=north');
    assert.equal(followups.status, 200, JSON.stringify(followups.body));
    assert.equal((followups.body['source'] as ReportSource).database, 'replica');

    // Every operations report was audited, on the primary (the standby cannot take a write).
    assert.equal(await auditedReports(), 1 + reads);
  });

  it('refuses a write through the reporting connection, on the standby and on a primary named by mistake', async () => {
    const write = 'update workflow_instances set status = status where false';
    for (const url of [replicaUrl, db.url!]) {
      const reports = await ReplicaReports.open({ url });
      try {
        await assert.rejects(reports.database.query(write), { code: '25006' });
        await assert.rejects(
          reports.read((sql) => sql.query(write)),
          { code: '25006' },
        );
        const { source } = await reports.read(() => Promise.resolve(null));
        assert.equal(source.database === 'replica' && source.standby, url === replicaUrl);
      } finally {
        await reports.close();
      }
    }
  });

  it('refuses a report while the standby is down, rather than reading the primary', async () => {
    const audited = await auditedReports();
    await asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', 'stop']);
    standbyRunning = false;
    const down = await report('/reports/operations');
    assert.equal(down.status, 503, JSON.stringify(down.body));
    const error = down.body as { code: string; message: string };
    assert.equal(error.code, 'STORE_UNAVAILABLE');
    assert.match(
      error.message,
      new RegExp(`^the reporting replica at ${dir}:5432/steward_t_\\w+ cannot serve .*STEWARD_REPORTING_DATABASE_URL`),
    );
    assert.ok(!error.message.includes('steward_admin'), 'no credentials or user in the message');
    assert.equal(await auditedReports(), audited);
    // The primary itself still serves everything else.
    assert.equal((await report('/referrals?site=north')).status, 200);
  });
});
