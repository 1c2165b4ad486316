import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, exportJWK } from 'jose';
import { storeTargets } from '@steward/store/testing';
import type { EhrJournal } from '@steward/governance';
import { UserError, type RequestContext } from '@steward/core';
import { openTestGovernance, type TestGovernance } from '../test-governance.js';
import type { ConnectionRegistry, PrivateJwk } from './connection-registry.js';

for (const target of storeTargets()) {
  describe(`EHR connection registry on ${target.name}`, { skip: target.skip }, () => {
    let g: TestGovernance;
    let registry: ConnectionRegistry;
    let journals: EhrJournal;
    let admin: RequestContext;
    let privateKey: PrivateJwk;

    before(async () => {
      g = await openTestGovernance(await target.open());
      ({ connections: registry, journals, admin } = g);
      const { privateKey: key } = await generateKeyPair('ES384', { extractable: true });
      privateKey = { ...(await exportJWK(key)), kid: 'k1', alg: 'ES384' } as PrivateJwk;
    });
    after(async () => {
      await g.close();
    });

    it('registers a connection with its key sealed and its own integration identity', async () => {
      const c = await registry.add(admin, {
        name: 'north-epic',
        site: 'north',
        vendor: 'epic',
        fhirBaseUrl: 'https://ehr.example.org/fhir/R4/',
        clientId: 'steward-north',
        privateKey,
        scopes: ['system/Appointment.rs', 'system/Task.cud'],
        facilityTimeZone: 'America/New_York',
        mllpPort: 2575,
      });
      assert.equal(c.vendor, 'epic');
      assert.deepEqual(c.scopes, ['system/Appointment.rs', 'system/Task.cud']);
      assert.equal(c.settings.budget.requestsPerSecond, 10);
      const { rows } = await g.db.query<{ private_key_enc: Uint8Array }>('select private_key_enc from ehr_connections');
      assert.ok(!Buffer.from(rows[0]!.private_key_enc).toString('latin1').includes(String(privateKey.d)));
      assert.deepEqual(await registry.privateKey(c), privateKey);

      // The connection's own account may file inbound messages at its site.
      const journal = journals.forConnection({ actor: registry.actorOf(c) }, c);
      const outcome = await journal.receive(
        {
          connectionId: c.id,
          channel: 'hl7v2',
          messageKey: 'X1',
          raw: 'MSH|...',
          messageType: 'ADT^A08',
          receivedAt: new Date(),
        },
        [],
      );
      assert.equal(outcome.status, 'stored');
    });

    it('names every problem of an invalid registration at once, and stores nothing', async () => {
      await assert.rejects(
        registry.add(admin, {
          name: 'Bad Name',
          site: 'north',
          vendor: 'nextgen' as 'epic',
          fhirBaseUrl: 'ftp://x',
          facilityTimeZone: 'Mars/Olympus',
          mllp: { allowedSources: ['10.0.0.0/99'], routeTypes: ['adt-a01'] },
        }),
        (e: { code: string; details: { path: string }[] }) => {
          assert.equal(e.code, 'VALIDATION_FAILED');
          const paths = e.details.map((d) => d.path).sort();
          assert.deepEqual(paths, [
            'clientId',
            'facilityTimeZone',
            'fhirBaseUrl',
            'mllp.allowedSources',
            'mllp.route',
            'name',
            'privateKey',
            'vendor',
          ]);
          return true;
        },
      );
      assert.equal((await registry.all()).length, 1);
    });

    it('refuses a duplicate name and a caller without config.manage', async () => {
      await assert.rejects(
        registry.add(admin, { name: 'north-epic', site: 'north', vendor: 'epic', facilityTimeZone: 'UTC' }),
        { code: 'ALREADY_EXISTS' },
      );
      const c = await registry.get('north-epic');
      await assert.rejects(registry.list({ actor: registry.actorOf(c) }), { code: 'FORBIDDEN' });
    });

    it('refuses a connection on a site the clinic does not know, before making its account or grant', async () => {
      const { ConnectionRegistry: Registry } = await import('./connection-registry.js');
      const known = new Set(['north']);
      const checked = new Registry(g.db, g.cipher, g.policy, g.audit, g.accounts, g.grants, undefined, {
        assertUsable: (site) =>
          known.has(site)
            ? Promise.resolve()
            : Promise.reject(new UserError('SITE_UNKNOWN', `no site ${site}: add it with steward sites add`)),
      });
      const accountsBefore = (await g.accounts.list()).length;
      await assert.rejects(
        checked.add(admin, { name: 'south-epic', site: 'south', vendor: 'epic', facilityTimeZone: 'UTC' }),
        { code: 'SITE_UNKNOWN' },
      );
      assert.ok(!(await checked.all()).some((c) => c.name === 'south-epic'), 'no connection');
      assert.equal((await g.accounts.list()).length, accountsBefore, 'no service account');
    });

    it('keeps a durable polling high-water mark per resource type', async () => {
      const c = await registry.get('north-epic');
      assert.equal(await registry.highWater(c.id, 'Appointment'), undefined);
      await registry.setHighWater(c.id, 'Appointment', '2026-11-22T10:00:00.123-05:00');
      await registry.setHighWater(c.id, 'Appointment', '2026-11-22T10:05:00.000-05:00');
      assert.equal(await registry.highWater(c.id, 'Appointment'), '2026-11-22T10:05:00.000-05:00');
    });
  });
}
