import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { AuditEvent as FhirAuditEvent } from '@medplum/fhirtypes';
import type { AuditEntryInput } from './audit-entry.js';
import { AuditLog } from './audit-log.js';
import { queryAudit } from './query.js';
import { exportFhirAuditEvents, toFhirAuditEvents } from './fhir-export.js';
import { KeyRing } from '../crypto/key-ring.js';
import { sampleEntry, PATIENTS } from './test-fixtures.js';

const cipher = KeyRing.inMemory();
const [P1, P2] = PATIENTS;

for (const target of storeTargets()) {
  describe(`audit queries and FHIR export on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
      const clock = new ManualClock('2026-03-01T09:00:00Z');
      const log = await AuditLog.open(db, cipher, { clock });
      await log.append(
        sampleEntry(0, {
          actor: { kind: 'user', id: 'alice', name: 'alice', authMethod: 'password+totp' },
          patientIds: [P1],
        }),
      );
      clock.advance(24 * 3600_000); // 2 March
      await log.append(
        sampleEntry(1, {
          actor: { kind: 'user', id: 'alice', name: 'alice', authMethod: 'password+totp' },
          patientIds: [P2],
        }),
      );
      await log.append(
        sampleEntry(2, {
          actor: { kind: 'user', id: 'bob', name: 'bob', authMethod: 'password+totp' },
          event: 'phi.search',
          patientIds: [P1, P2],
          entity: { kind: 'Patient', id: 'search' },
          query: { family: 'Doe', birthdate: '1970-01-01' },
        }),
      );
      // A login touches no record: drop the sample's entity and fields.
      const login: { -readonly [K in keyof AuditEntryInput]: AuditEntryInput[K] } = sampleEntry(3, {
        event: 'auth.login',
        action: 'E',
        patientIds: [],
      });
      delete login.entity;
      delete login.fields;
      await log.append(login);
      await log.close();
    });
    after(async () => {
      await db?.close();
    });

    it("answers 'who accessed this patient'", async () => {
      const page = await queryAudit(db, cipher, { patientId: P1 });
      assert.deepEqual(
        page.entries.map((e) => e.actor.id),
        ['alice', 'bob'],
      );
      assert.equal(page.next, undefined);
    });

    it("answers 'what did this actor access on that day', and pages", async () => {
      const day = await queryAudit(db, cipher, {
        actorId: 'alice',
        from: '2026-03-02T00:00:00Z',
        to: '2026-03-03T00:00:00Z',
      });
      assert.deepEqual(
        day.entries.map((e) => e.patientIds),
        [[P2]],
      );
      const first = await queryAudit(db, cipher, { limit: 2 });
      assert.equal(first.entries.length, 2);
      const rest = await queryAudit(db, cipher, { after: first.next as number });
      assert.deepEqual(
        rest.entries.map((e) => e.seq),
        [3, 4],
      );
    });

    it('exports BALP AuditEvents: one per patient, query parameters recorded, no result data', async () => {
      const lines: string[] = [];
      const n = await exportFhirAuditEvents(db, cipher, {}, (l) => void lines.push(l));
      assert.deepEqual(n, { entries: 4, events: 5 });
      const events = lines.map((l) => JSON.parse(l) as FhirAuditEvent);
      const search = events.filter((e) => e.subtype?.[0]?.code === 'search-type');
      assert.equal(search.length, 2);
      assert.deepEqual(
        search.map((e) => e.entity?.find((x) => x.role?.code === '1')?.what?.reference),
        [`Patient/${P1}`, `Patient/${P2}`],
      );
      for (const e of search) {
        assert.equal(e.resourceType, 'AuditEvent');
        assert.deepEqual(e.meta?.profile, [
          'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientQuery',
        ]);
        assert.equal(e.entity?.filter((x) => x.role?.code === '1').length, 1, 'exactly one patient per event');
        const q = e.entity?.find((x) => x.role?.code === '24');
        assert.ok(q?.query !== undefined, 'the query entity records the parameters');
        assert.equal(Buffer.from(q.query, 'base64').toString(), 'birthdate=1970-01-01&family=Doe');
        assert.equal(e.agent[0]?.requestor, true);
        assert.equal(e.agent[0]?.network?.address, '10.0.0.7');
        assert.deepEqual(e.purposeOfEvent?.[0]?.coding?.[0]?.code, 'TREAT');
        assert.equal(e.outcome, '0');
      }
      const login = events.find((e) => e.type.code === '110114');
      assert.equal(login?.subtype?.[0]?.code, '110122');
      assert.equal(login?.entity, undefined);
      // No result data: nothing but references, codes and the query itself.
      assert.ok(!lines.join('\n').includes('data_enc'));
    });

    it('maps a denied read to a minor-failure outcome without a success profile', () => {
      const [e] = toFhirAuditEvents({
        ...sampleEntry(5, { outcome: 'denied' }),
        seq: 9,
        at: '2026-03-01T00:00:00.000Z',
        patientIds: [P1],
        hash: '00',
      });
      assert.equal(e?.outcome, '4');
      assert.equal(e?.meta, undefined);
    });
  });
}
