/**
 * /retention over HTTP on both stores: policies set by a compliance officer only (versioned; the
 * audit log never under six years); the purge deleting expired contact notes and local outbox
 * bodies while keeping a held patient's messages; a case hold suspending it; the server's own
 * periodic job purging as `steward-retention`; every step audited and the chain still intact.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditLog, type PurgeReport } from '@steward/governance';
import { generateContactExport, readContactSource } from '@steward/relationships';
import { flowTargets } from '@steward/store/testing';
import { startRetentionJob } from '../../retention/retention-job.js';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';

const DAY = 86_400_000;
const HELD = '22222222-2222-4222-8222-222222222222';
const FREE = '33333333-3333-4333-8333-333333333333';

for (const target of flowTargets()) {
  describe(`retention over HTTP on ${target.name}`, { skip: target.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-retention-'));
    let t: TestApp;
    let officer: TestPrincipal;
    let coord: TestPrincipal;
    let admin: TestPrincipal;

    const call = (who: TestPrincipal, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: bearer(who), ...(payload !== undefined ? { payload } : {}) });
    const count = async (table: string): Promise<number> =>
      Number((await t.db.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]?.n);
    const kindOf = (r: PurgeReport, kind: string) => r.kinds.find((k) => k.kind === kind);

    before(async () => {
      t = await openTestApp(await target.open());
      officer = await principalWith(t.kernel, 'privacy-officer', { role: 'compliance_officer' }, { tokenDays: 365 });
      coord = await principalWith(t.kernel, 'north-coordinator', { role: 'coordinator', site: 'north' });
      admin = await principalWith(t.kernel, 'admin-1', { role: 'admin' });
      const generated = generateContactExport(dir, { contacts: 4, notes: 6, seed: 3 });
      const source = await readContactSource(generated.contactsFile, generated.mappingFile);
      const actor = { kind: 'user', id: coord.id, name: 'north-coordinator', authMethod: 'api-token' } as const;
      await t.kernel.relationships.migration.run({ actor }, source, { site: 'north' });
      const sender = await principalWith(t.kernel, 'sender', { role: 'integration' });
      const ctx = { actor: { kind: 'user', id: sender.id, name: 'sender', authMethod: 'api-token' } } as const;
      for (const [key, patientId] of [
        ['m-held', HELD],
        ['m-free', FREE],
      ] as const)
        await t.kernel.outbox.send(ctx, {
          site: 'north',
          channel: 'sms',
          to: '+15555550100',
          body: 'Your appointment is tomorrow',
          language: 'en',
          template: 'reminder',
          idempotencyKey: key,
          patientId,
          notBefore: t.clock.now(),
        });
    });
    after(async () => {
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lets only a compliance officer read and set policies, versioned; the audit log keeps six years', async () => {
      assert.equal((await call(coord, 'GET', '/retention/policies')).statusCode, 403);
      assert.equal((await call(admin, 'PUT', '/retention/policies/contact-notes', { periodDays: 30 })).statusCode, 403);
      const listed = await call(officer, 'GET', '/retention/policies');
      assert.equal(listed.statusCode, 200, listed.body);
      const audit = listed
        .json<{ items: { kind: string; periodDays?: number }[] }>()
        .items.find((p) => p.kind === 'audit-log');
      assert.equal(audit?.periodDays, 2192);
      const short = await call(officer, 'PUT', '/retention/policies/audit-log', { periodDays: 365 });
      assert.equal(short.statusCode, 400);
      for (const kind of ['contact-notes', 'message-bodies']) {
        const set = await call(officer, 'PUT', `/retention/policies/${kind}`, { periodDays: 30, expectedVersion: 0 });
        assert.equal(set.statusCode, 200, set.body);
        assert.equal(set.json<{ version: number }>().version, 1);
      }
      const stale = await call(officer, 'PUT', '/retention/policies/contact-notes', {
        periodDays: 40,
        expectedVersion: 0,
      });
      assert.equal(stale.statusCode, 412);
      const history = await call(officer, 'GET', '/retention/policies/contact-notes/history');
      assert.deepEqual(
        history.json<{ items: { periodDays: number }[] }>().items.map((p) => p.periodDays),
        [30],
      );
    });

    it('purges expired notes and message bodies, keeping a held patient; a case hold suspends everything', async () => {
      const notes = await count('rel_notes');
      assert.ok(notes > 0);
      const fresh = await call(officer, 'POST', '/retention/purge');
      assert.equal(fresh.statusCode, 200, fresh.body);
      assert.equal(kindOf(fresh.json<PurgeReport>(), 'contact-notes')?.deleted, 0, 'nothing is old enough yet');
      assert.equal((await call(coord, 'POST', '/retention/purge')).statusCode, 403);

      const held = await call(officer, 'POST', '/retention/holds', {
        scope: 'patient',
        patient: { stewardId: HELD },
        reason: 'records request from counsel',
      });
      assert.equal(held.statusCode, 201, held.body);
      const caseHold = await call(officer, 'POST', '/retention/holds', {
        scope: 'case',
        caseRef: 'CASE-7',
        reason: 'litigation',
      });
      t.clock.advance(31 * DAY);
      const suspendedRun = await call(officer, 'POST', '/retention/purge');
      assert.equal(suspendedRun.statusCode, 200, suspendedRun.body);
      const suspended = suspendedRun.json<PurgeReport>();
      assert.equal(kindOf(suspended, 'contact-notes')?.outcome, 'suspended');
      assert.equal(await count('rel_notes'), notes);
      const release = await call(officer, 'POST', `/retention/holds/${caseHold.json<{ id: string }>().id}/release`);
      assert.equal(release.statusCode, 200, release.body);

      // The server's own job runs the purge as its service account.
      const job = await startRetentionJob(t.kernel, t.logger, 0);
      await job.runOnce();
      await job.stop();
      assert.equal(await count('rel_notes'), 0);
      const { rows } = await t.db.query<{ id: string; body_enc: Uint8Array }>(
        'select id, body_enc from message_outbox',
      );
      assert.equal(rows.length, 1, "the held patient's message is kept");
      const kept = JSON.parse(
        t.cipher.decrypt(rows[0]!.body_enc, `message_outbox:${rows[0]!.id}`).toString('utf8'),
      ) as { patientId: string };
      assert.equal(kept.patientId, HELD);

      const entries = await call(officer, 'GET', '/audit/events?event=retention.purged');
      const purged = entries.json<{
        items: { actor: { name: string }; outcome: string; entity: { id: string }; reason: string }[];
      }>().items;
      const byJob = purged.filter((e) => e.actor.name === 'steward-retention');
      assert.deepEqual(
        byJob.map((e) => [e.entity.id, e.reason.split(' before:')[0]]),
        [
          ['message-bodies', 'deleted:1 kept:1'],
          ['contact-notes', `deleted:${notes} kept:0`],
        ],
      );
      assert.ok(purged.some((e) => e.outcome === 'failure' && e.reason === 'suspended:case-holds:1'));
      const holds = await call(officer, 'GET', '/retention/holds');
      assert.deepEqual(
        holds
          .json<{ items: { scope: string; releasedAt?: string }[] }>()
          .items.map((h) => [h.scope, h.releasedAt === undefined]),
        [
          ['patient', true],
          ['case', false],
        ],
      );
      await t.kernel.audit.flush();
      assert.equal((await verifyAuditLog(t.db)).ok, true);
    });
  });
}
