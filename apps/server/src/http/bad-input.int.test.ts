/**
 * Bad input: malformed JSON, oversize bodies, wrong types, unknown fields and injection strings in
 * every parameter each get a clear 4xx with a stable code, never a 500, and nothing stored changes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { errorCodes } from '@steward/core';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, syntheticPatient, type TestApp, type TestPrincipal } from '../testing.js';

const injections = [
  "' OR '1'='1",
  "'; drop table records; --",
  '"; select pg_sleep(5); --',
  '$1',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '\u0000',
  '%00',
  'a'.repeat(5000),
  '🙂‮',
  '__proto__',
];

function withoutSite(p: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...p };
  delete copy['site'];
  return copy;
}

/** A fingerprint of everything stored but the audit log (which rightly grows with refusals). */
async function snapshot(t: TestApp): Promise<string> {
  const h = createHash('sha256');
  for (const table of [
    'records',
    'record_index',
    'users',
    'service_accounts',
    'api_tokens',
    'grants',
    'break_glass',
    'egress_destinations',
    'settings',
  ]) {
    const { rows } = await t.db.query(`select * from ${table} order by 1`);
    h.update(JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
  }
  return h.digest('hex');
}

for (const target of flowTargets()) {
  describe(`bad input on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let coord: TestPrincipal;
    let admin: TestPrincipal;
    let officer: TestPrincipal;
    let patientId: string;

    before(async () => {
      t = await openTestApp(await target.open());
      coord = await principalWith(t.kernel, 'coord', { role: 'coordinator' });
      admin = await principalWith(t.kernel, 'admin', { role: 'admin' });
      officer = await principalWith(t.kernel, 'officer', { role: 'compliance_officer' });
      const r = await t.app.inject({
        method: 'POST',
        url: '/patients',
        headers: bearer(coord),
        payload: syntheticPatient('north', 'MRN-1'),
      });
      patientId = r.json<{ id: string }>().id;
    });
    after(async () => t.close());

    async function expect4xx(req: InjectOptions, codes: readonly string[]): Promise<void> {
      const r = await t.app.inject(req);
      assert.ok(
        r.statusCode >= 400 && r.statusCode < 500,
        `${r.statusCode} for ${JSON.stringify(req).slice(0, 200)}: ${r.body.slice(0, 300)}`,
      );
      const body = r.json<{ code: string; message: string }>();
      assert.ok(body.code in errorCodes, `unknown code ${body.code}`);
      assert.ok(codes.includes(body.code), `got ${body.code}, want one of ${codes.join(', ')}`);
      assert.ok(body.message.length > 0);
    }

    it('malformed JSON, empty bodies and the wrong media type', async () => {
      const before = await snapshot(t);
      const h = { ...bearer(coord), 'content-type': 'application/json' };
      for (const payload of ['{', '{"site":', 'nul', '[1,2', '{"a":1}}', '\u0000']) {
        await expect4xx({ method: 'POST', url: '/patients', headers: h, payload }, ['MALFORMED_JSON']);
      }
      await expect4xx({ method: 'POST', url: '/patients', headers: h, payload: '' }, ['MALFORMED_JSON']);
      await expect4xx(
        {
          method: 'POST',
          url: '/patients',
          headers: { ...bearer(coord), 'content-type': 'text/plain' },
          payload: 'hello',
        },
        ['UNSUPPORTED_MEDIA_TYPE'],
      );
      assert.equal(await snapshot(t), before);
    });

    it('oversize bodies', async () => {
      const before = await snapshot(t);
      const big = { ...syntheticPatient('north', 'MRN-big'), name: { family: 'x'.repeat(70 * 1024), given: [] } };
      await expect4xx({ method: 'POST', url: '/patients', headers: bearer(coord), payload: big }, ['BODY_TOO_LARGE']);
      assert.equal(await snapshot(t), before);
    });

    it('wrong types and unknown fields, named in the details', async () => {
      const before = await snapshot(t);
      const base = syntheticPatient('north', 'MRN-2');
      const cases: Record<string, unknown>[] = [
        { ...base, birthDate: 19610723 },
        { ...base, birthDate: '1961-02-30' },
        { ...base, birthDate: '2999-01-01' },
        { ...base, identifiers: 'MRN-2' },
        { ...base, name: { family: 42, given: [] } },
        { ...base, gender: 'robot' },
        { ...base, site: 'North Campus' },
        { ...base, ssn: '123-45-6789' },
        { ...base, name: { family: 'x', given: [], nickname: 'y' } },
        { ...base, site: null },
        {},
      ];
      for (const payload of cases) {
        const r = await t.app.inject({ method: 'POST', url: '/patients', headers: bearer(coord), payload });
        assert.equal(r.statusCode, 400, r.body);
        const body = r.json<{ code: string; details: { path: string }[] }>();
        assert.equal(body.code, 'VALIDATION_FAILED');
        assert.ok(body.details.length > 0);
        // The value (a would-be SSN here) is never echoed back.
        assert.ok(!r.body.includes('123-45-6789'));
      }
      // Prototype pollution through JSON keys is refused by the parser.
      const proto = await t.app.inject({
        method: 'POST',
        url: '/patients',
        headers: { ...bearer(coord), 'content-type': 'application/json' },
        payload: JSON.stringify(base).replace(/^\{/, '{"__proto__":{"admin":true},'),
      });
      assert.equal(proto.statusCode, 400);
      const unknownField = await t.app.inject({
        method: 'POST',
        url: '/patients',
        headers: bearer(coord),
        payload: { ...base, ssn: '1' },
      });
      assert.ok(
        unknownField
          .json<{ details: { path: string; message: string }[] }>()
          .details.some((d) => d.path.endsWith('/ssn') && d.message === 'unknown field'),
      );
      assert.equal(await snapshot(t), before);
    });

    it('injection strings in every parameter: path, query, headers and body', async () => {
      const before = await snapshot(t);
      for (const s of injections) {
        const enc = encodeURIComponent(s);
        await expect4xx({ method: 'GET', url: `/patients/${enc}`, headers: bearer(coord) }, [
          'VALIDATION_FAILED',
          'ROUTE_NOT_FOUND',
        ]);
        await expect4xx(
          {
            method: 'PUT',
            url: `/patients/${enc}`,
            headers: { ...bearer(coord), 'if-match': 'W/"1"' },
            payload: withoutSite(syntheticPatient('north', 'x')),
          },
          ['VALIDATION_FAILED', 'ROUTE_NOT_FOUND'],
        );
        await expect4xx({ method: 'GET', url: `/patients?identifier=${enc}`, headers: bearer(coord) }, [
          'VALIDATION_FAILED',
        ]);
        await expect4xx({ method: 'GET', url: `/patients?identifier=a|b&${enc}=1`, headers: bearer(coord) }, [
          'VALIDATION_FAILED',
        ]);
        const headerSafe = s.replace(/[^\x20-\x7e]/g, '?');
        await expect4xx(
          { method: 'GET', url: `/patients/${patientId}`, headers: bearer(coord, { 'x-purpose-of-use': headerSafe }) },
          ['VALIDATION_FAILED'],
        );
        if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(headerSafe)) {
          await expect4xx(
            {
              method: 'GET',
              url: `/patients/${patientId}`,
              headers: bearer(coord, { 'x-steward-workflow': headerSafe }),
            },
            ['VALIDATION_FAILED'],
          );
        }
        await expect4xx(
          {
            method: 'PUT',
            url: `/patients/${patientId}`,
            headers: bearer(coord, { 'if-match': headerSafe }),
            payload: withoutSite(syntheticPatient('north', 'MRN-1')),
          },
          ['VALIDATION_FAILED'],
        );
        await expect4xx({ method: 'GET', url: '/users', headers: { authorization: `Bearer ${headerSafe}` } }, [
          'AUTH_INVALID',
          'AUTH_REQUIRED',
        ]);
        if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(s)) {
          await expect4xx(
            { method: 'POST', url: '/patients', headers: bearer(coord), payload: { ...syntheticPatient(s, 'x') } },
            ['VALIDATION_FAILED'],
          );
        }
        await expect4xx(
          {
            method: 'POST',
            url: '/egress',
            headers: bearer(admin),
            payload: { name: s, kind: 'ai', baseUrl: 'https://api.example.com', baaOnRecord: false },
          },
          ['VALIDATION_FAILED'],
        );
        await expect4xx(
          {
            method: 'POST',
            url: '/egress',
            headers: bearer(admin),
            payload: { name: 'x', kind: 'ai', baseUrl: s, baaOnRecord: false },
          },
          ['VALIDATION_FAILED'],
        );
        await expect4xx(
          { method: 'POST', url: '/auth/login', payload: { username: s.slice(0, 64), password: s.slice(0, 1024) } },
          ['AUTH_INVALID', 'AUTH_MFA_REQUIRED', 'VALIDATION_FAILED'],
        );
        // (`constructor` is a well-formed actor id: it simply matches nothing.)
        if (!/^[A-Za-z0-9._-]+$/.test(s)) {
          await expect4xx({ method: 'GET', url: `/audit/events?actor=${enc}`, headers: bearer(officer) }, [
            'VALIDATION_FAILED',
          ]);
        }
        await expect4xx(
          {
            method: 'POST',
            url: '/grants',
            headers: bearer(admin),
            payload: {
              principalKind: 'user',
              principalId: coord.id,
              role: 'admin',
              site: s,
              workflow: '*',
              purposeOfUse: 'TREAT',
            },
          },
          ['VALIDATION_FAILED'],
        );
      }
      // Values that pass validation but hold SQL are stored as data, and found again only exactly.
      const tricky = "O'Brien'; drop table records; --";
      const created = await t.app.inject({
        method: 'POST',
        url: '/patients',
        headers: bearer(coord),
        payload: syntheticPatient('north', tricky),
      });
      assert.equal(created.statusCode, 201);
      const found = await t.app.inject({
        method: 'GET',
        url: `/patients?identifier=${encodeURIComponent(`urn:oid:2.16.840.1.113883.19.5|${tricky}`)}`,
        headers: bearer(coord),
      });
      assert.equal(found.json<{ items: unknown[] }>().items.length, 1);
      assert.notEqual(await snapshot(t), before);
    });

    it('a stale If-Match is a conflict and changes nothing', async () => {
      const r1 = await t.app.inject({
        method: 'PUT',
        url: `/patients/${patientId}`,
        headers: bearer(coord, { 'if-match': 'W/"1"' }),
        payload: withoutSite(syntheticPatient('north', 'MRN-1')),
      });
      assert.equal(r1.statusCode, 200, r1.body);
      const before = await snapshot(t);
      const stale = await t.app.inject({
        method: 'PUT',
        url: `/patients/${patientId}`,
        headers: bearer(coord, { 'if-match': 'W/"1"' }),
        payload: withoutSite(syntheticPatient('north', 'MRN-9')),
      });
      assert.equal(stale.statusCode, 412);
      assert.equal(stale.json<{ code: string }>().code, 'VERSION_CONFLICT');
      await expect4xx(
        {
          method: 'PUT',
          url: `/patients/${patientId}`,
          headers: bearer(coord),
          payload: withoutSite(syntheticPatient('north', 'MRN-1')),
        },
        ['VALIDATION_FAILED'],
      );
      assert.equal(await snapshot(t), before);
    });

    it('property: arbitrary JSON bodies never cause a 500 and never store anything', async () => {
      const before = await snapshot(t);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.json(), fc.string()),
          fc.constantFrom('/patients', '/grants', '/egress', '/break-glass', '/tokens', '/users'),
          async (payload, url) => {
            const r = await t.app.inject({
              method: 'POST',
              url,
              headers: { ...bearer(coord), 'content-type': 'application/json' },
              payload,
            });
            assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${r.statusCode} ${r.body}`);
            assert.ok(r.json<{ code: string }>().code in errorCodes);
          },
        ),
        { numRuns: 150 },
      );
      assert.equal(await snapshot(t), before);
    });
  });
}
