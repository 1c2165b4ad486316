/**
 * /patient-reviews over HTTP: two patients with the same name and birth date and different MRNs
 * are kept apart and listed for a coordinator at their site; an administrator (no PHI) is refused;
 * linking them is one decision (a second one is a VERSION_CONFLICT), and an audit search by the retired MRN
 * finds the coordinator's decision.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';

const connectionId = '5d0c7f4e-2a8b-4c1d-9e3f-6a7b8c9d0e1f';

for (const target of flowTargets()) {
  describe(`patient reviews over HTTP on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let coord: TestPrincipal;
    let admin: TestPrincipal;
    let officer: TestPrincipal;
    const ids: string[] = [];

    before(async () => {
      t = await openTestApp(await target.open());
      coord = await principalWith(t.kernel, 'north-coordinator', { role: 'coordinator', site: 'north' });
      admin = await principalWith(t.kernel, 'admin-1', { role: 'admin' });
      officer = await principalWith(t.kernel, 'privacy-officer', { role: 'compliance_officer' });
      const feed = await principalWith(t.kernel, 'feed', { role: 'integration', site: 'north' });
      const ctx: RequestContext = { actor: { kind: feed.kind, id: feed.id, name: 'feed', authMethod: 'api-token' } };
      const demographics = {
        name: { family: 'Everyman', given: ['Adam'] },
        birthDate: '1961-06-15',
        gender: 'male' as const,
      };
      for (const mrn of ['N-1', 'N-2'])
        ids.push(
          await t.kernel.patients.resolve(ctx, {
            connectionId,
            site: 'north',
            identifiers: [{ system: 'urn:north:mrn', value: mrn }],
            demographics,
          }),
        );
    });
    after(() => t.close());

    it('lists the look-alike for a coordinator at the site, refuses an administrator, and links once (a second decision conflicts)', async () => {
      assert.notEqual(ids[0], ids[1], 'never merged silently');
      const list = await t.app.inject({ method: 'GET', url: '/patient-reviews', headers: bearer(coord) });
      assert.equal(list.statusCode, 200);
      const items = list.json<{
        items: { id: string; patient: { id: string; birthDate: string }; candidate: { id: string } }[];
      }>().items;
      assert.equal(items.length, 1);
      assert.deepEqual([items[0]?.patient.id, items[0]?.candidate.id], [ids[1], ids[0]]);
      assert.equal(items[0]?.patient.birthDate, '1961-06-15');

      const refused = await t.app.inject({ method: 'GET', url: '/patient-reviews', headers: bearer(admin) });
      assert.equal(refused.statusCode, 403);

      const url = `/patient-reviews/${items[0]?.id}/link`;
      const linked = await t.app.inject({ method: 'POST', url, headers: bearer(coord) });
      assert.equal(linked.statusCode, 200);
      assert.equal(linked.json<{ status: string }>().status, 'linked');
      const again = await t.app.inject({ method: 'POST', url, headers: bearer(coord) });
      assert.equal(again.statusCode, 412, 'VERSION_CONFLICT: already decided');
      const empty = await t.app.inject({ method: 'GET', url: '/patient-reviews', headers: bearer(coord) });
      assert.equal(empty.json<{ items: unknown[] }>().items.length, 0);
    });

    it('answers "who accessed this patient" by the retired MRN with the coordinator\'s link', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/audit/events?patient=${encodeURIComponent('urn:north:mrn|N-2')}&event=phi.update`,
        headers: bearer(officer),
      });
      assert.equal(res.statusCode, 200);
      const entries = res.json<{ items: { actor: { id: string }; entity?: { kind: string } }[] }>().items;
      assert.ok(entries.some((e) => e.actor.id === coord.id && e.entity?.kind === 'PatientReview'));
    });
  });
}
