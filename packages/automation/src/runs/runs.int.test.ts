import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { Clock, RequestContext } from '@steward/core';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  LegalHolds,
  PolicyDecisionPoint,
  RetentionPolicies,
  RetentionPurge,
  queryAudit,
} from '@steward/governance';
import type { RunStart, StepRecord } from '../model/run.js';
import { RunService } from './run-service.js';
import { RunScreenshotRetention, RunValueRetention } from './run-retention.js';
import { sealContext } from './run-sealing.js';
import { testPng } from './test-png.js';

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test',
  authMethod: 'local-operator',
} as const;
const ids = {
  exec: randomUUID(),
  officer: randomUUID(),
  plainOfficer: randomUUID(),
  southOfficer: randomUUID(),
  admin: randomUUID(),
  coord: randomUUID(),
  approver: randomUUID(),
};
const ctx = (id: string, name: string): RequestContext => ({
  actor: { kind: 'service', id, name, authMethod: 'api-token' },
});
const exec = ctx(ids.exec, 'screens-north');
const officer = ctx(ids.officer, 'priya');
const plainOfficer = ctx(ids.plainOfficer, 'auditor');
const southOfficer = ctx(ids.southOfficer, 'south-auditor');
const admin = ctx(ids.admin, 'lee');
const coord = ctx(ids.coord, 'maria');
const patientA = randomUUID();
const patientB = randomUUID();
const proposalId = randomUUID();
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

let now = new Date('2026-12-06T12:00:00Z');
const clock: Clock = { now: () => new Date(now) };

function start(over: Partial<RunStart> = {}): RunStart {
  return {
    connectionId: 'north-screens',
    site: 'north',
    purpose: 'TREAT',
    kind: 'write',
    identity: { accountId: ids.exec, approvedBy: ids.approver },
    patients: [patientA],
    proposalId,
    mapVersion: 3,
    ...over,
  };
}

function step(index: number, over: Partial<StepRecord> = {}): StepRecord {
  return {
    index,
    action: 'fill',
    screen: 'encounter-form',
    target: 'reason',
    inputEvents: 12,
    startedAt: new Date(now.getTime() + index * 1000).toISOString(),
    durationMs: 180 + index,
    outcome: 'ok',
    ...over,
  };
}

for (const target of storeTargets()) {
  describe(`the automation run record on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let cipher: KeyRing;
    let audit: AuditLog;
    let runs: RunService;
    let grants: GrantStore;
    let policy: PolicyDecisionPoint;
    const shots = [testPng(40, 30, [200, 30, 30]), testPng(40, 30, [30, 200, 30]), testPng(40, 30, [30, 30, 200])];
    let written = '';

    before(async () => {
      now = new Date('2026-12-06T12:00:00Z');
      db = await target.open();
      cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher, { clock });
      grants = new GrantStore(db, audit);
      policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit, clock);
      for (const [name, id] of Object.entries(ids))
        await db.query(`insert into service_accounts (id, name) values ($1, $2)`, [id, name]);
      const grant = (id: string, role: string, site: string, purposeOfUse: string) =>
        grants.add(bootstrap, {
          principalKind: 'service',
          principalId: id,
          role,
          site,
          workflow: '*',
          purposeOfUse,
        } as never);
      await grant(ids.exec, 'integration', 'north', 'TREAT');
      await grant(ids.officer, 'compliance_officer', '*', 'HCOMPL');
      // Replay shows PHI: the officer also holds a coordinator's grant at the run's site.
      await grant(ids.officer, 'coordinator', 'north', 'TREAT');
      await grant(ids.plainOfficer, 'compliance_officer', '*', 'HCOMPL');
      await grant(ids.southOfficer, 'compliance_officer', 'south', 'HCOMPL');
      await grant(ids.admin, 'admin', '*', 'HSYSADMIN');
      await grant(ids.coord, 'coordinator', 'north', 'TREAT');
      runs = new RunService({ db, cipher, policy, audit, clock });
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    it('starts a run only for an account allowed to run automation at its site, and checks what a write needs', async () => {
      await assert.rejects(runs.start(coord, start()), { code: 'FORBIDDEN' });
      await assert.rejects(runs.start(exec, start({ site: 'south' })), { code: 'FORBIDDEN' });
      await assert.rejects(
        runs.start(exec, start({ proposalId: undefined as never })),
        (e: { code: string; details: { path: string }[] }) => {
          assert.equal(e.code, 'VALIDATION_FAILED');
          assert.deepEqual(
            e.details.map((d) => d.path),
            ['proposalId'],
          );
          return true;
        },
      );
      const run = await runs.start(exec, start());
      written = run.id;
      assert.equal(run.status, 'running');
      assert.deepEqual(run.identity, { accountId: ids.exec, approvedBy: ids.approver });
      assert.equal(run.startedBy.name, 'screens-north');
    });

    it('records steps in order, sealed, each with its audit entry carrying the digests; refuses repeats, gaps and steps after the end', async () => {
      const rec = runs.recorder(written);
      await rec.step(step(0, { action: 'open-patient', target: 'patient search', screenshot: shots[0]! }));
      await rec.step(step(1, { value: 'Chest pain since Tuesday', screenshot: shots[1]! }));
      await assert.rejects(rec.step(step(1, { value: 'again' })), { code: 'VERSION_CONFLICT' });
      await assert.rejects(rec.step(step(3)), { code: 'VERSION_CONFLICT' });
      await assert.rejects(rec.step(step(2, { durationMs: -1 })), { code: 'VALIDATION_FAILED' });
      await assert.rejects(rec.step(step(2, { screenshot: shots[2]!, screenshotType: 'image/gif' as never })), {
        code: 'VALIDATION_FAILED',
      });
      await rec.step(
        step(2, {
          action: 'submit',
          target: 'Save',
          screenshot: shots[2]!,
          screenshotType: 'image/jpeg',
          inputEvents: 1,
        }),
      );
      const done = await runs.finish(written, {
        status: 'halted',
        reason: 'read-back-mismatch',
        detail: 'field: reason',
        steps: 3,
        submitted: true,
      });
      assert.deepEqual(done.halt, { reason: 'read-back-mismatch', detail: 'field: reason', submitted: true });
      await assert.rejects(runs.finish(written, { status: 'done', steps: 3 }), { code: 'VERSION_CONFLICT' });
      await assert.rejects(rec.step(step(3)), { code: 'VERSION_CONFLICT' });

      // At rest: neither the PNG, nor its pixel data, nor the value is in the sealed columns.
      const { rows } = await db.query<{ idx: number; screenshot_enc: Uint8Array | null; value_enc: Uint8Array | null }>(
        'select idx, screenshot_enc, value_enc from automation_steps where run_id = $1 order by idx',
        [written],
      );
      assert.equal(rows.length, 3);
      for (const r of rows) {
        const raw = Buffer.from(r.screenshot_enc ?? []);
        assert.ok(raw.length > 0);
        assert.equal(raw.indexOf(Buffer.from('IHDR')), -1);
        assert.equal(raw.indexOf(shots[r.idx]!.subarray(0, 16)), -1);
      }
      assert.equal(Buffer.from(rows[1]!.value_enc!).indexOf(Buffer.from('Chest pain')), -1);
      assert.equal(rows[0]!.value_enc, null);

      const entries = (await queryAudit(db, cipher, { events: ['automation.step'], entityId: written })).entries;
      assert.deepEqual(
        entries.map((e) => e.reason),
        ['step:0:open-patient:ok', 'step:1:fill:ok', 'step:2:submit:ok'],
      );
      assert.equal(entries[0]!.digests?.['screenshot'], sha(shots[0]!));
      assert.deepEqual(entries[1]!.patientIds, [patientA]);
      assert.deepEqual(entries[1]!.fields, ['screenshot', 'value']);
      // The value's digest is salted: the bare value's hash is not in the log.
      assert.notEqual(entries[1]!.digests?.['value'], sha(Buffer.from('Chest pain since Tuesday')));
      assert.equal(
        entries.every((e) => e.actor.id === ids.exec && !JSON.stringify(e).includes('Chest')),
        true,
      );
      const ends = (await queryAudit(db, cipher, { events: ['automation.run'], entityId: written })).entries;
      assert.deepEqual(
        ends.map((e) => e.reason),
        [`started:write:proposal:${proposalId}`, 'halted:read-back-mismatch:submitted:true:steps:3'],
      );
    });

    it('verifies every step against the audit chain, and finds a swapped or re-sealed screenshot', async () => {
      const ok = await runs.verifyRun(officer, written);
      assert.deepEqual([ok.ok, ok.steps, ok.verified, ok.problems.length], [true, 3, 3, 0]);
      // Step 2's sealed screenshot moved onto step 0: bound to its row, it no longer opens.
      await db.query(
        `update automation_steps set screenshot_enc = (select screenshot_enc from automation_steps where run_id = $1 and idx = 2)
          where run_id = $1 and idx = 0`,
        [written],
      );
      // Step 1's screenshot replaced by a valid seal of another image (someone holding the key).
      await db.query('update automation_steps set screenshot_enc = $2 where run_id = $1 and idx = 1', [
        written,
        cipher.encrypt(testPng(40, 30, [0, 0, 0]), sealContext('screenshot', written, 1)),
      ]);
      const bad = await runs.verifyRun(officer, written);
      assert.equal(bad.ok, false);
      assert.deepEqual(bad.problems, [
        { index: 0, problem: 'sealed-altered', part: 'screenshot' },
        { index: 1, problem: 'digest-mismatch', part: 'screenshot' },
      ]);
      assert.equal(bad.verified, 1);
      const audited = (await queryAudit(db, cipher, { events: ['audit.verified'], entityId: written })).entries;
      assert.deepEqual(
        audited.map((e) => e.reason),
        ['run:verified:3', 'run:problems:2'],
      );
      // Put the screenshots back for the replay test.
      for (const i of [0, 1])
        await db.query('update automation_steps set screenshot_enc = $3 where run_id = $1 and idx = $2', [
          written,
          i,
          cipher.encrypt(shots[i]!, sealContext('screenshot', written, i)),
        ]);
      assert.equal((await runs.verifyRun(officer, written)).ok, true);
    });

    it('replays a step only for a role allowed to, with PHI read at the site, and audits each view naming the patients', async () => {
      await assert.rejects(runs.replay(plainOfficer, written, 1), { code: 'FORBIDDEN' });
      await assert.rejects(runs.replay(admin, written, 1), { code: 'FORBIDDEN' });
      await assert.rejects(runs.replay(coord, written, 1), { code: 'NOT_FOUND' });
      await assert.rejects(runs.replay(southOfficer, written, 1), { code: 'NOT_FOUND' });
      await assert.rejects(runs.replay(officer, randomUUID(), 1), { code: 'NOT_FOUND' });
      await assert.rejects(runs.replay(officer, written, 7), { code: 'NOT_FOUND' });
      const denied = (await queryAudit(db, cipher, { events: ['access.denied'], entityId: written })).entries;
      // The refusals are audited (a reader out of scope may be too, as a denied list permission).
      const reasons = denied.map((e) => `${e.actor.id} ${e.reason ?? ''}`);
      assert.ok(reasons.includes(`${ids.plainOfficer} no_grant:phi.read`), reasons.join('; '));
      assert.ok(reasons.includes(`${ids.admin} no_grant:automation.replay`), reasons.join('; '));
      assert.ok(!denied.some((e) => e.actor.id === ids.officer), 'the allowed officer is never denied');
      // A row from before screenshots kept their type (none recorded) is a PNG.
      await db.query('update automation_steps set screenshot_type = null where run_id = $1 and idx = 1', [written]);
      const seen = await runs.replay(officer, written, 1);
      assert.deepEqual(seen.screenshot, shots[1]);
      assert.equal(seen.screenshotType, 'image/png');
      assert.equal(seen.value, 'Chest pain since Tuesday');
      assert.equal(seen.step.action, 'fill');
      const onlyShot = await runs.replay(officer, written, 2, ['screenshot']);
      assert.deepEqual(onlyShot.screenshot, shots[2]);
      assert.equal(onlyShot.screenshotType, 'image/jpeg', 'the type it was recorded with');
      const reads = (await queryAudit(db, cipher, { events: ['phi.read'], entityId: written })).entries;
      assert.deepEqual(
        reads.map((e) => [e.actor.id, e.reason, e.fields, e.patientIds, e.site]),
        [
          [ids.officer, 'replay:step:1', ['screenshot', 'value'], [patientA], 'north'],
          [ids.officer, 'replay:step:2', ['screenshot'], [patientA], 'north'],
        ],
      );
    });

    it('shows a run with its steps and no sealed content; out of scope is NOT_FOUND like unknown', async () => {
      const detail = await runs.show(admin, written);
      assert.deepEqual(
        detail.steps.map((s) => [s.index, s.action, s.target, s.screenshot, s.value, s.durationMs]),
        [
          [0, 'open-patient', 'patient search', 'sealed', 'none', 180],
          [1, 'fill', 'reason', 'sealed', 'sealed', 181],
          [2, 'submit', 'Save', 'sealed', 'none', 182],
        ],
      );
      assert.equal(JSON.stringify(detail).includes('Chest'), false);
      await assert.rejects(runs.show(southOfficer, written), { code: 'NOT_FOUND' });
      await assert.rejects(runs.show(coord, written), { code: 'NOT_FOUND' });
      await assert.rejects(runs.show(officer, 'not-a-uuid'), { code: 'NOT_FOUND' });
    });

    it('lists runs by patient, identity, proposal, outcome, site and date, page by page', async () => {
      now = new Date('2026-12-07T09:00:00Z');
      const read = await runs.start(
        exec,
        start({
          kind: 'read',
          patients: [patientB],
          proposalId: undefined as never,
          identity: { accountId: ids.exec },
        }),
      );
      await runs.finish(read.id, { status: 'done', steps: 0 });
      now = new Date('2026-12-08T09:00:00Z');
      const third = await runs.start(exec, start({ patients: [patientA, patientB], proposalId: randomUUID() }));
      const list = async (f: Parameters<RunService['list']>[1]) => (await runs.list(officer, f)).runs.map((r) => r.id);
      assert.deepEqual(await list({}), [third.id, read.id, written]);
      assert.deepEqual(await list({ patient: patientA }), [third.id, written]);
      assert.deepEqual(await list({ patient: patientB, outcome: 'done' }), [read.id]);
      assert.deepEqual(await list({ outcome: 'halted' }), [written]);
      assert.deepEqual(await list({ outcome: 'read-back-mismatch' }), [written]);
      assert.deepEqual(await list({ outcome: 'wrong-patient' }), []);
      assert.deepEqual(await list({ outcome: 'running' }), [third.id]);
      assert.deepEqual(await list({ proposal: proposalId }), [written]);
      assert.deepEqual(await list({ identity: ids.approver }), [third.id, written]);
      assert.deepEqual(await list({ identity: ids.exec }), [third.id, read.id, written]);
      assert.deepEqual(await list({ from: '2026-12-07', to: '2026-12-08' }), [read.id]);
      assert.deepEqual(await list({ site: 'north', limit: 2 }), [third.id, read.id]);
      const first = await runs.list(officer, { limit: 2 });
      assert.deepEqual(
        (await runs.list(officer, { limit: 2, cursor: first.next! })).runs.map((r) => r.id),
        [written],
      );
      await assert.rejects(runs.list(officer, { outcome: 'lost' as never }), { code: 'VALIDATION_FAILED' });
      await assert.rejects(runs.list(coord, {}), { code: 'FORBIDDEN' });
      await assert.rejects(runs.list(southOfficer, {}), { code: 'FORBIDDEN' });
      assert.deepEqual((await runs.list(southOfficer, { site: 'south' })).runs, []);
      const searches = (await queryAudit(db, cipher, { events: ['phi.search'], actorId: ids.officer })).entries;
      const byPatient = searches.find((e) => e.query?.['patient'] === patientA);
      assert.deepEqual([byPatient?.reason, byPatient?.patientIds.length], ['runs:2', 2]);
      await runs.finish(third.id, { status: 'done', steps: 0 });
    });

    it('opens runs for the screens channel through its journal port, as the account the channel names', async () => {
      const journal = runs.journal(() => exec);
      const open = await journal.begin(start({ patients: [patientB], proposalId: randomUUID() }));
      await open.step(step(0, { action: 'navigate', screenshot: shots[0]! }));
      await open.finish({ status: 'done', steps: 1 });
      const shown = await runs.show(officer, open.runId);
      assert.deepEqual([shown.status, shown.startedBy.name, shown.steps.length], ['done', 'screens-north', 1]);
      await assert.rejects(runs.journal(() => coord).begin(start()), { code: 'FORBIDDEN' });
      assert.equal((await runs.verifyRun(officer, open.runId)).verified, 1);
    });

    it('clears expired runs’ screenshots and values by policy, keeping held patients’ runs and every audit entry', async () => {
      const policies = new RetentionPolicies({ db, policy, audit, clock });
      const holds = new LegalHolds({ db, policy, audit, cipher, clock });
      const purge = new RetentionPurge({ db, policy, audit, clock }, policies, holds, [
        new RunScreenshotRetention(clock),
        new RunValueRetention(clock),
      ]);
      // A held patient's old run.
      now = new Date('2026-10-01T09:00:00Z');
      const held = await runs.start(exec, start({ patients: [patientB], proposalId: randomUUID() }));
      await runs.recorder(held.id).step(step(0, { screenshot: shots[0]!, value: 'held' }));
      await runs.finish(held.id, { status: 'done', steps: 1 });
      now = new Date('2027-01-20T12:00:00Z');
      await policies.set(officer, 'screenshots', 30);
      await holds.place(officer, { scope: 'patient', patient: { stewardId: patientB }, reason: 'litigation' });
      const before = (await queryAudit(db, cipher, { events: ['automation.step'] })).entries.length;
      const first = await purge.run(officer);
      const screenshots = first.kinds.find((k) => k.kind === 'screenshots');
      // Every run is older than 30 days; only `written` names no held patient: its three screenshots go (the four naming a held patient kept), its value stays (no policy yet).
      assert.deepEqual([screenshots?.outcome, screenshots?.deleted, screenshots?.kept], ['purged', 3, 4]);
      let detail = await runs.show(officer, written);
      assert.deepEqual(
        detail.steps.map((s) => [s.screenshot, s.value]),
        [
          ['purged', 'none'],
          ['purged', 'sealed'],
          ['purged', 'none'],
        ],
      );
      assert.ok(detail.purged?.screenshots !== undefined && detail.purged.values === undefined);
      await policies.set(officer, 'run-artefacts', 30);
      const second = await purge.run(officer);
      assert.equal(second.kinds.find((k) => k.kind === 'run-artefacts')?.deleted, 1);
      detail = await runs.show(officer, written);
      assert.equal(detail.steps[1]?.value, 'purged');
      const seen = await runs.replay(officer, written, 1);
      assert.deepEqual([seen.screenshot, seen.value, seen.step.screenshot], [undefined, undefined, 'purged']);
      const report = await runs.verifyRun(officer, written);
      assert.deepEqual([report.ok, report.verified, report.purged], [true, 0, 3]);
      assert.equal((await runs.verifyRun(officer, held.id)).verified, 1);
      assert.equal((await queryAudit(db, cipher, { events: ['automation.step'] })).entries.length, before);
    });
  });
}
