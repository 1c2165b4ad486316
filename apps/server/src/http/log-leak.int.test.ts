/**
 * Logs without PHI: known synthetic PHI is fed through every code path the API has — create,
 * read, update, search, conflicts, validation failures that quote it, denials, break-glass,
 * failed logins — with logging at its most verbose, and none of it may reach the logs. Error
 * bodies are checked too: they name fields, never values.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, syntheticPatient, type TestApp } from '../testing.js';

const PHI = {
  family: 'Quixotic-Zebulon',
  given: 'Marisol',
  birthDate: '1961-07-23',
  mrn: 'MRN-8675309-LEAK',
  ssnLike: '987-65-4321',
  reason: 'Gunshot wound to Marisol Quixotic-Zebulon',
  password: 'hunter2hunter2hunter2',
};

for (const target of flowTargets()) {
  describe(`logs carry no PHI on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    const bodies: string[] = [];

    before(async () => {
      t = await openTestApp(await target.open(), { logLevel: 'trace' });
    });
    after(async () => t.close());

    it('every API path, at trace level, leaks nothing', async () => {
      const coord = await principalWith(t.kernel, 'coord', { role: 'coordinator', site: 'north' });
      const doc = await principalWith(
        t.kernel,
        'doc',
        { role: 'clinician_reviewer', site: 'north' },
        { breakGlass: true },
      );
      const inject = async (o: InjectOptions) => {
        const r = await t.app.inject(o);
        bodies.push(r.body);
        return r;
      };
      const patient = syntheticPatient('north', PHI.mrn);
      const created = await inject({ method: 'POST', url: '/patients', headers: bearer(coord), payload: patient });
      assert.equal(created.statusCode, 201);
      const id = created.json<{ id: string }>().id;
      await inject({ method: 'GET', url: `/patients/${id}`, headers: bearer(coord) });
      await inject({
        method: 'GET',
        url: `/patients?identifier=${encodeURIComponent(`urn:oid:2.16.840.1.113883.19.5|${PHI.mrn}`)}`,
        headers: bearer(coord),
      });
      const demographics = { ...patient };
      delete demographics.site;
      await inject({
        method: 'PUT',
        url: `/patients/${id}`,
        headers: bearer(coord, { 'if-match': 'W/"1"' }),
        payload: demographics,
      });
      await inject({
        method: 'PUT',
        url: `/patients/${id}`,
        headers: bearer(coord, { 'if-match': 'W/"1"' }),
        payload: demographics,
      }); // conflict
      await inject({
        method: 'POST',
        url: '/patients',
        headers: bearer(coord),
        payload: { ...patient, ssn: PHI.ssnLike },
      }); // unknown field
      await inject({
        method: 'POST',
        url: '/patients',
        headers: bearer(coord),
        payload: { ...patient, birthDate: `${PHI.birthDate}X` },
      }); // bad pattern
      await inject({
        method: 'POST',
        url: '/patients',
        headers: bearer(coord),
        payload: { ...patient, site: 'south' },
      }); // denied
      await inject({
        method: 'POST',
        url: '/patients',
        headers: { ...bearer(coord), 'content-type': 'application/json' },
        payload: `{"name":"${PHI.family}"`,
      });
      await inject({
        method: 'GET',
        url: `/patients?identifier=${encodeURIComponent(`x|${PHI.ssnLike}`)}&name=${PHI.family}`,
        headers: bearer(coord),
      });
      await inject({ method: 'GET', url: `/nowhere/${PHI.family}?mrn=${PHI.mrn}` });
      await inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username: 'coord', password: PHI.password, totpCode: '123456' },
      });
      await inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username: PHI.family.toLowerCase(), password: PHI.password },
      });
      await inject({
        method: 'POST',
        url: '/break-glass',
        headers: bearer(doc),
        payload: { site: 'north', reason: PHI.reason },
      });
      await inject({ method: 'GET', url: `/patients/${id}`, headers: { authorization: `Bearer ${PHI.mrn}` } });
      await t.kernel.audit.flush();

      assert.ok(t.logs.lines.length > 10, 'the requests were logged');
      for (const [what, value] of Object.entries(PHI)) {
        assert.ok(!t.logs.text.includes(value), `${what} reached the logs`);
      }
      // Error bodies name the field, never the value (successful reads rightly return the record).
      for (const body of bodies.filter((b) => b.includes('"code"'))) {
        for (const [what, value] of Object.entries(PHI))
          assert.ok(!body.includes(value), `${what} in an error body: ${body}`);
      }
    });

    it('the audit trail stores search parameters encrypted, not in the clear', async () => {
      const { rows } = await t.db.query<{ entry: string }>(`select entry from audit_log where event = 'phi.search'`);
      assert.ok(rows.length >= 1);
      for (const r of rows) assert.ok(!r.entry.includes(PHI.mrn) && !r.entry.includes(PHI.ssnLike));
    });

    it('PHI is encrypted at rest: no plaintext in the records or their lookup index', async () => {
      const { rows } = await t.db.query<{ data_enc: Uint8Array }>('select data_enc from records');
      const idx = await t.db.query<{ digest: Uint8Array }>('select digest from record_index');
      const all = Buffer.concat([
        ...rows.map((r) => Buffer.from(r.data_enc)),
        ...idx.rows.map((r) => Buffer.from(r.digest)),
      ]).toString('latin1');
      for (const value of [PHI.family, PHI.given, PHI.birthDate, PHI.mrn]) assert.ok(!all.includes(value));
      const bg = await t.db.query<{ reason_enc: Uint8Array }>('select reason_enc from break_glass');
      for (const r of bg.rows) assert.ok(!Buffer.from(r.reason_enc).toString('latin1').includes('Gunshot'));
    });
  });
}
