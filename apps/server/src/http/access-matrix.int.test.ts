/**
 * The access-control matrix, through the real HTTP API: every role × action × site × workflow,
 * plus break-glass, expired and revoked tokens, and cross-site reads that must look exactly like
 * records that do not exist. The expected table below is written out by hand, independently of
 * the policy's own role table, so the test can catch a wrong grant in either.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { roles, type Role } from '@steward/core';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, syntheticPatient, type TestApp, type TestPrincipal } from '../testing.js';

type Probe =
  | 'phi.read'
  | 'phi.write'
  | 'phi.search'
  | 'users.manage'
  | 'grants.manage'
  | 'tokens.manage'
  | 'egress.manage'
  | 'audit.read'
  | 'audit.verify'
  | 'break_glass.review';

const Y = true;
const N = false;
// prettier-ignore
const expected: Record<Role, Record<Probe, boolean>> = {
  //                   read  write search users grants tokens egress audit verify bgReview
  admin:              { 'phi.read': N, 'phi.write': N, 'phi.search': N, 'users.manage': Y, 'grants.manage': Y, 'tokens.manage': Y, 'egress.manage': Y, 'audit.read': N, 'audit.verify': Y, 'break_glass.review': N },
  compliance_officer: { 'phi.read': N, 'phi.write': N, 'phi.search': N, 'users.manage': N, 'grants.manage': N, 'tokens.manage': N, 'egress.manage': N, 'audit.read': Y, 'audit.verify': Y, 'break_glass.review': Y },
  coordinator:        { 'phi.read': Y, 'phi.write': Y, 'phi.search': Y, 'users.manage': N, 'grants.manage': N, 'tokens.manage': N, 'egress.manage': N, 'audit.read': N, 'audit.verify': N, 'break_glass.review': N },
  front_desk:         { 'phi.read': Y, 'phi.write': Y, 'phi.search': Y, 'users.manage': N, 'grants.manage': N, 'tokens.manage': N, 'egress.manage': N, 'audit.read': N, 'audit.verify': N, 'break_glass.review': N },
  clinician_reviewer: { 'phi.read': Y, 'phi.write': N, 'phi.search': Y, 'users.manage': N, 'grants.manage': N, 'tokens.manage': N, 'egress.manage': N, 'audit.read': N, 'audit.verify': N, 'break_glass.review': N },
  automation:         { 'phi.read': Y, 'phi.write': N, 'phi.search': Y, 'users.manage': N, 'grants.manage': N, 'tokens.manage': N, 'egress.manage': N, 'audit.read': N, 'audit.verify': N, 'break_glass.review': N },
  agent:              { 'phi.read': Y, 'phi.write': N, 'phi.search': Y, 'users.manage': N, 'grants.manage': N, 'tokens.manage': N, 'egress.manage': N, 'audit.read': N, 'audit.verify': N, 'break_glass.review': N },
  integration:        { 'phi.read': N, 'phi.write': N, 'phi.search': N, 'users.manage': N, 'grants.manage': N, 'tokens.manage': N, 'egress.manage': N, 'audit.read': N, 'audit.verify': N, 'break_glass.review': N },
};

const GRANT_SITE = 'north';
const GRANT_WORKFLOW = 'referrals';
/** Request situations: the record's site and the request's workflow. */
const situations = [
  { site: 'north', workflow: 'referrals', inScope: true },
  { site: 'north', workflow: 'intake', inScope: false },
  { site: 'north', workflow: undefined, inScope: false },
  { site: 'south', workflow: 'referrals', inScope: false },
] as const;

const isPhi = (p: Probe): boolean => p.startsWith('phi.');

for (const target of flowTargets()) {
  describe(`access-control matrix on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let writer: TestPrincipal;
    const patients: Record<string, string> = {};

    before(async () => {
      t = await openTestApp(await target.open());
      writer = await principalWith(t.kernel, 'seed-writer', { role: 'coordinator' });
      for (const site of ['north', 'south']) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/patients',
          headers: bearer(writer),
          payload: syntheticPatient(site, `MRN-${site}`),
        });
        assert.equal(r.statusCode, 201, r.body);
        patients[site] = r.json<{ id: string }>().id;
      }
    });
    after(async () => t.close());

    async function probe(p: TestPrincipal, probe: Probe, site: string, workflow: string | undefined): Promise<number> {
      const headers = bearer(p, workflow !== undefined ? { 'x-steward-workflow': workflow } : {});
      const req = (method: 'GET' | 'POST', url: string, payload?: object) =>
        t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) }).then((r) => r.statusCode);
      switch (probe) {
        case 'phi.read':
          return req('GET', `/patients/${patients[site] ?? ''}`);
        case 'phi.write':
          return req('POST', '/patients', syntheticPatient(site, `MRN-new-${site}`));
        case 'phi.search': {
          const r = await t.app.inject({
            method: 'GET',
            url: `/patients?identifier=${encodeURIComponent(`urn:oid:2.16.840.1.113883.19.5|MRN-${site}`)}`,
            headers,
          });
          // A search is allowed (200) but only returns what is in scope.
          return r.statusCode === 200 && r.json<{ items: unknown[] }>().items.length === 1
            ? 200
            : r.statusCode === 200
              ? 404
              : r.statusCode;
        }
        case 'users.manage':
          return req('GET', '/users');
        case 'grants.manage':
          return req('GET', '/grants');
        case 'tokens.manage':
          return req('GET', '/tokens');
        case 'egress.manage':
          return req('GET', '/egress');
        case 'audit.read':
          return req('GET', `/audit/events?patient=${patients['north'] ?? ''}`);
        case 'audit.verify':
          return req('GET', '/audit/verify');
        case 'break_glass.review':
          return req('GET', '/break-glass');
      }
    }

    for (const role of roles) {
      it(`${role}: every action at every site and workflow`, async () => {
        // A grant scoped to one site and workflow: PHI actions are checked against both.
        const scoped = await principalWith(t.kernel, `${role.replace('_', '-')}-scoped`, {
          role,
          site: GRANT_SITE,
          workflow: GRANT_WORKFLOW,
        });
        // A grant for all sites and workflows: administrative actions need this.
        const global = await principalWith(t.kernel, `${role.replace('_', '-')}-global`, { role });
        const mismatches: string[] = [];
        for (const probeName of Object.keys(expected[role]) as Probe[]) {
          const roleAllows = expected[role][probeName];
          for (const s of situations) {
            const status = await probe(scoped, probeName, s.site, s.workflow);
            const allowed = roleAllows && isPhi(probeName) && s.inScope;
            const want = allowed ? [200, 201] : isPhi(probeName) && probeName !== 'phi.write' ? [404] : [403];
            if (!want.includes(status))
              mismatches.push(
                `scoped ${probeName} site=${s.site} wf=${s.workflow ?? '-'}: got ${status}, want ${want.join('/')}`,
              );
          }
          const status = await probe(global, probeName, 'south', undefined);
          const want = roleAllows ? [200, 201] : isPhi(probeName) && probeName !== 'phi.write' ? [404] : [403];
          if (!want.includes(status)) mismatches.push(`global ${probeName}: got ${status}, want ${want.join('/')}`);
        }
        assert.deepEqual(mismatches, []);
      });
    }

    it('a principal with no grant can do nothing, and each refusal is audited', async () => {
      const nobody = await principalWith(t.kernel, 'nobody');
      const before = (
        await t.db.query(`select count(*)::int as n from audit_log where event = 'access.denied' and actor_id = $1`, [
          nobody.id,
        ])
      ).rows[0] as { n: number };
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `/patients/${patients['north'] ?? ''}`, headers: bearer(nobody) }))
          .statusCode,
        404,
      );
      assert.equal((await t.app.inject({ method: 'GET', url: '/users', headers: bearer(nobody) })).statusCode, 403);
      await t.kernel.audit.flush();
      const afterCount = (
        await t.db.query(`select count(*)::int as n from audit_log where event = 'access.denied' and actor_id = $1`, [
          nobody.id,
        ])
      ).rows[0] as { n: number };
      assert.equal(afterCount.n - before.n, 2);
    });

    it('a record at another site answers exactly like one that does not exist', async () => {
      const reader = await principalWith(t.kernel, 'north-reader', { role: 'coordinator', site: 'north' });
      const other = await t.app.inject({
        method: 'GET',
        url: `/patients/${patients['south'] ?? ''}`,
        headers: bearer(reader),
      });
      const missing = await t.app.inject({
        method: 'GET',
        url: '/patients/7b0f5c9e-1f7e-4c4e-9a59-3c1f0e2d8a11',
        headers: bearer(reader),
      });
      assert.equal(other.statusCode, 404);
      assert.equal(missing.statusCode, 404);
      const strip = (b: string) => ({ ...(JSON.parse(b) as Record<string, unknown>), requestId: undefined });
      assert.deepEqual(strip(other.body), strip(missing.body));
      assert.deepEqual(Object.keys(other.headers).sort(), Object.keys(missing.headers).sort());
    });

    it('token scopes narrow what the grants allow', async () => {
      const narrow = await principalWith(t.kernel, 'narrow', { role: 'coordinator' }, { scopes: ['phi.search'] });
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `/patients/${patients['north'] ?? ''}`, headers: bearer(narrow) }))
          .statusCode,
        404,
      );
      const search = await t.app.inject({
        method: 'GET',
        url: `/patients?identifier=${encodeURIComponent('urn:oid:2.16.840.1.113883.19.5|MRN-north')}`,
        headers: bearer(narrow),
      });
      assert.equal(search.json<{ items: unknown[] }>().items.length, 1);
    });

    it('expired and revoked tokens are refused at once, with one code', async () => {
      const p = await principalWith(t.kernel, 'short-lived', { role: 'coordinator' }, { tokenDays: 1 });
      const url = `/patients/${patients['north'] ?? ''}`;
      assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(p) })).statusCode, 200);
      t.clock.advance(86_400_000 + 1000);
      const expired = await t.app.inject({ method: 'GET', url, headers: bearer(p) });
      assert.equal(expired.statusCode, 401);
      assert.equal(expired.json<{ code: string }>().code, 'AUTH_INVALID');

      const q = await principalWith(t.kernel, 'revoked', { role: 'coordinator' });
      assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(q) })).statusCode, 200);
      const admin = await principalWith(t.kernel, 'token-admin', { role: 'admin' });
      assert.equal(
        (await t.app.inject({ method: 'DELETE', url: `/tokens/${q.tokenId}`, headers: bearer(admin) })).statusCode,
        204,
      );
      const revoked = await t.app.inject({ method: 'GET', url, headers: bearer(q) });
      assert.equal(revoked.statusCode, 401);
      assert.equal(revoked.json<{ code: string }>().code, 'AUTH_INVALID');
      assert.equal((await t.app.inject({ method: 'GET', url })).json<{ code: string }>().code, 'AUTH_REQUIRED');
    });

    it('break-glass: eligible users get time-boxed, audited access; others are refused', async () => {
      const url = `/patients/${patients['south'] ?? ''}`;
      const doctor = await principalWith(
        t.kernel,
        'er-doctor',
        { role: 'clinician_reviewer', site: 'north' },
        { breakGlass: true },
      );
      const clerk = await principalWith(t.kernel, 'clerk', { role: 'front_desk', site: 'north' });
      assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(doctor) })).statusCode, 404);

      const refused = await t.app.inject({
        method: 'POST',
        url: '/break-glass',
        headers: bearer(clerk),
        payload: { site: 'south', reason: 'patient unconscious in ED' },
      });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json<{ code: string }>().code, 'BREAK_GLASS_NOT_ELIGIBLE');
      const noReason = await t.app.inject({
        method: 'POST',
        url: '/break-glass',
        headers: bearer(doctor),
        payload: { site: 'south', reason: '' },
      });
      assert.equal(noReason.statusCode, 400);
      const tooLong = await t.app.inject({
        method: 'POST',
        url: '/break-glass',
        headers: bearer(doctor),
        payload: { site: 'south', reason: 'patient unconscious in ED', minutes: 600 },
      });
      assert.equal(tooLong.statusCode, 400);

      const started = await t.app.inject({
        method: 'POST',
        url: '/break-glass',
        headers: bearer(doctor),
        payload: { site: 'south', reason: 'patient unconscious in ED', minutes: 10 },
      });
      assert.equal(started.statusCode, 201, started.body);
      const episodeId = started.json<{ id: string }>().id;
      const read = await t.app.inject({ method: 'GET', url, headers: bearer(doctor) });
      assert.equal(read.statusCode, 200);
      // Break-glass unlocks reading, not writing.
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: '/patients',
            headers: bearer(doctor),
            payload: syntheticPatient('south', 'MRN-bg'),
          })
        ).statusCode,
        403,
      );

      await t.kernel.audit.flush();
      const uses = await t.db.query<{ entry: string }>(
        `select entry from audit_log where event = 'phi.read' and actor_id = $1`,
        [doctor.id],
      );
      assert.equal(uses.rows.length, 1);
      const entry = JSON.parse(uses.rows[0]?.entry ?? '{}') as { breakGlassId?: string; purposeOfUse?: string };
      assert.equal(entry.breakGlassId, episodeId);
      assert.equal(entry.purposeOfUse, 'ETREAT');
      assert.match(t.logs.text, /BREAK-GLASS ACCESS/);

      // Listed for the compliance officer until reviewed.
      const officer = await principalWith(t.kernel, 'officer', { role: 'compliance_officer' });
      const listed = await t.app.inject({
        method: 'GET',
        url: '/break-glass?unreviewed=true',
        headers: bearer(officer),
      });
      assert.ok(listed.json<{ items: { id: string }[] }>().items.some((e) => e.id === episodeId));
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: `/break-glass/${episodeId}/review`,
            headers: bearer(officer),
            payload: { note: 'justified: ED admission' },
          })
        ).statusCode,
        204,
      );
      const after = await t.app.inject({
        method: 'GET',
        url: '/break-glass?unreviewed=true',
        headers: bearer(officer),
      });
      assert.ok(!after.json<{ items: { id: string }[] }>().items.some((e) => e.id === episodeId));

      // Time-boxed: after ten minutes the door closes again.
      t.clock.advance(10 * 60_000 + 1000);
      assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(doctor) })).statusCode, 404);
    });

    it('revoking a grant takes effect on the very next request', async () => {
      const admin = await principalWith(t.kernel, 'grant-admin', { role: 'admin' });
      const p = await principalWith(t.kernel, 'soon-ungranted', { role: 'coordinator' });
      const url = `/patients/${patients['north'] ?? ''}`;
      assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(p) })).statusCode, 200);
      const grants = await t.kernel.grants.forPrincipal(p.id);
      assert.equal(
        (await t.app.inject({ method: 'DELETE', url: `/grants/${grants[0]?.id ?? ''}`, headers: bearer(admin) }))
          .statusCode,
        204,
      );
      assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(p) })).statusCode, 404);
    });
  });
}
