/**
 * /automation/runs over HTTP: the list with its filters and people by name, a run's steps without
 * sealed content, a step's screenshot as a no-store PNG only for a compliance officer who also reads
 * PHI at the site (each view audited naming the patients), and verify.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';

/** PNG bytes (the route sends what was sealed, byte for byte). */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

/** JPEG bytes (a step's screenshot as the executor takes it now: served as `image/jpeg`). */
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);

for (const target of flowTargets()) {
  describe(`automation runs over HTTP on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let officer: TestPrincipal;
    let admin: TestPrincipal;
    let coord: TestPrincipal;
    let runId = '';
    const patient = randomUUID();
    const proposalId = randomUUID();
    const get = (who: TestPrincipal, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(who) });

    before(async () => {
      t = await openTestApp(await target.open());
      officer = await principalWith(t.kernel, 'priya', { role: 'compliance_officer' });
      // Replay shows PHI: Priya also reads charts at north.
      await t.kernel.grants.add(
        { kind: 'service', id: '00000000-0000-4000-8000-000000000000', name: 'test', authMethod: 'local-operator' },
        {
          principalKind: 'user',
          principalId: officer.id,
          role: 'coordinator',
          site: 'north',
          workflow: '*',
          purposeOfUse: 'TREAT',
        },
      );
      admin = await principalWith(t.kernel, 'lee', { role: 'admin' });
      coord = await principalWith(t.kernel, 'maria', { role: 'coordinator', site: 'north' });
      const screens = await principalWith(t.kernel, 'screens-north', { role: 'integration', site: 'north' });
      const ctx = { actor: { kind: 'user', id: screens.id, name: 'screens-north', authMethod: 'api-token' } } as const;
      const run = await t.kernel.automationRuns.start(ctx, {
        connectionId: 'north-screens',
        site: 'north',
        purpose: 'TREAT',
        kind: 'write',
        identity: { accountId: screens.id, approvedBy: coord.id },
        patients: [patient],
        proposalId,
        mapVersion: 1,
      });
      runId = run.id;
      const rec = t.kernel.automationRuns.recorder(runId);
      const at = t.clock.now().toISOString();
      await rec.step({
        index: 0,
        action: 'identify',
        screen: 'chart',
        inputEvents: 0,
        startedAt: at,
        durationMs: 40,
        outcome: 'ok',
        screenshot: png,
      });
      await rec.step({
        index: 1,
        action: 'fill',
        screen: 'chart',
        target: 'note',
        value: 'BP 120/80',
        inputEvents: 9,
        startedAt: at,
        durationMs: 90,
        outcome: 'ok',
      });
      await rec.step({
        index: 2,
        action: 'submit',
        screen: 'chart',
        inputEvents: 1,
        startedAt: at,
        durationMs: 30,
        outcome: 'ok',
        screenshot: jpeg,
        screenshotType: 'image/jpeg',
      });
      await t.kernel.automationRuns.finish(runId, { status: 'done', steps: 3 });
    });
    after(() => t.close());

    it('lists and shows runs with people by name and no sealed content; a coordinator is refused', async () => {
      const list = await get(officer, `/automation/runs?proposal=${proposalId}&outcome=done`);
      assert.equal(list.statusCode, 200);
      const items = list.json<{ items: unknown }>().items as {
        id: string;
        account: { name: string };
        approver: { name: string };
        patientLabels: { id: string }[];
      }[];
      assert.deepEqual(
        items.map((r) => [r.id, r.account.name, r.approver.name, r.patientLabels.map((l) => l.id)]),
        [[runId, 'screens-north', 'maria', [patient]]],
      );
      assert.deepEqual((await get(officer, '/automation/runs?outcome=halted')).json<{ items: unknown[] }>().items, []);
      assert.equal((await get(coord, '/automation/runs')).statusCode, 403);
      assert.equal((await get(officer, '/automation/runs?outcome=lost')).statusCode, 400);
      const shown = await get(admin, `/automation/runs/${runId}`);
      assert.equal(shown.statusCode, 200);
      assert.deepEqual(
        shown
          .json<{ steps: { action: string; screenshot: string; value: string }[] }>()
          .steps.map((s) => [s.action, s.screenshot, s.value]),
        [
          ['identify', 'sealed', 'none'],
          ['fill', 'none', 'sealed'],
          ['submit', 'sealed', 'none'],
        ],
      );
      assert.equal(shown.body.includes('120/80'), false);
      assert.equal((await get(coord, `/automation/runs/${runId}`)).statusCode, 404);
      assert.equal((await get(officer, `/automation/runs/${randomUUID()}`)).statusCode, 404);
    });

    it('replays a screenshot as a no-store image of its recorded type for the officer only, audited; verifies the run', async () => {
      const shot = await get(officer, `/automation/runs/${runId}/steps/0/screenshot`);
      assert.equal(shot.statusCode, 200);
      assert.equal(shot.headers['content-type'], 'image/png');
      assert.equal(shot.headers['cache-control'], 'no-store');
      assert.deepEqual(shot.rawPayload, png);
      assert.equal((await get(admin, `/automation/runs/${runId}/steps/0/screenshot`)).statusCode, 403);
      assert.equal((await get(officer, `/automation/runs/${runId}/steps/1/screenshot`)).statusCode, 404);
      const audit = await get(officer, `/audit/events?event=phi.read&patient=${patient}`);
      const replays = (audit.json<{ items: unknown }>().items as { reason?: string; entity?: { id: string } }[]).filter(
        (e) => e.reason?.startsWith('replay:'),
      );
      assert.deepEqual(
        replays.map((e) => [e.reason, e.entity?.id]),
        [['replay:step:0', runId]],
      );
      const asJpeg = await get(officer, `/automation/runs/${runId}/steps/2/screenshot`);
      assert.equal(asJpeg.headers['content-type'], 'image/jpeg', 'served as the type it was recorded with');
      assert.deepEqual(asJpeg.rawPayload, jpeg);
      const verified = await get(admin, `/automation/runs/${runId}/verify`);
      const report = verified.json<{ ok: boolean; verified: number }>();
      assert.deepEqual([verified.statusCode, report.ok, report.verified], [200, true, 3]);
    });
  });
}
