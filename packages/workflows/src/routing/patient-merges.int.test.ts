import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Patient } from '@medplum/fhirtypes';
import type { EhrEvent, EhrEventInput, PatientRef } from '@steward/core';
import { thirdPartyFixture } from '@steward/core/testing';
import { changeEvents, mapHl7, parseHl7 } from '@steward/ehr';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { WorkflowEngine } from '../engine/index.js';
import { EventRouter } from './event-router.js';
import { isRetired, survivingPatient } from './patient-merges.js';

const CONNECTION = '22222222-2222-4222-8222-222222222222';
const ctx = { connectionId: CONNECTION, facilityTimeZone: 'America/New_York' };
const hl7 = (name: string): string => readFileSync(join(thirdPartyFixture('hl7v2'), 'fhir-converter', name), 'utf8');
const bcbs = (value: string) => ({ system: 'urn:steward:hl7v2:aa:BCBS', value });

/** Routes `inputs` as a journal would hand them over, and returns the stored events by dedup key. */
async function route(db: TestDatabase, inputs: readonly EhrEventInput[]): Promise<Map<string, EhrEvent>> {
  const stored = inputs.map((e, i): EhrEvent => ({
    ...e,
    id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    seq: i + 1,
    recordedAt: new Date(0),
  }));
  const router = new EventRouter({
    db,
    engine: new WorkflowEngine({ db, definitions: [] }),
    routes: [],
    connections: () =>
      Promise.resolve([
        {
          id: CONNECTION,
          journal: { events: (after, limit) => Promise.resolve(stored.filter((e) => e.seq > after).slice(0, limit)) },
        },
      ]),
  });
  await router.drain();
  return new Map(stored.map((e) => [e.id, e]));
}

const surviving = (db: TestDatabase, byId: Map<string, EhrEvent>, p: PatientRef): Promise<PatientRef> =>
  survivingPatient(db, CONNECTION, p, (id) => Promise.resolve(byId.get(id)));

for (const target of storeTargets()) {
  describe(`patient merges on ${target.name}`, { skip: target.skip }, () => {
    it('after an HL7 A40, the retired MRN means the survivor; A47 and chains are followed', async () => {
      const db = await target.open();
      try {
        // ADT-A40-02: 56789 merged into 12345, 569 into 145. Then (derived) 12345 renumbered to 999 by A47.
        const a47 = hl7('ADT-A47-01.hl7')
          .replace('MR101^5^M11^GOOD HEALTH HOSPITAL^MR', '999^^^BCBS^MR')
          .replace('MR102^^^BCBS^MR', '12345^^^BCBS^MR');
        const events = await route(db, [
          ...mapHl7(parseHl7(hl7('ADT-A40-02.hl7')), ctx),
          ...mapHl7(parseHl7(a47), ctx),
        ]);
        const rows = await db.query<{ retired_ref: string }>('select retired_ref from workflow_patient_merges');
        assert.equal(rows.rows.length, 3);
        assert.ok(
          rows.rows.every((r) => r.retired_ref.startsWith('PatientIdentifier/')),
          'no identifier in clear',
        );
        // The survivor is the merge event's patient: its identifiers (and the demographics it carries).
        assert.deepEqual((await surviving(db, events, { identifiers: [bcbs('56789')] })).identifiers, [bcbs('999')]);
        assert.deepEqual((await surviving(db, events, { identifiers: [bcbs('569')] })).identifiers, [bcbs('145')]);
        // Never merged: itself.
        const other = { ehrId: 'x1', identifiers: [bcbs('4711')] };
        assert.deepEqual(await surviving(db, events, other), other);
      } finally {
        await db.close();
      }
    });

    it('a FHIR replaced-by link retires the Patient id; the reverse merge later undoes it', async () => {
      const db = await target.open();
      try {
        const patient = (id: string, version: string, at: string, replacedBy: string): Patient => ({
          resourceType: 'Patient',
          id,
          meta: { versionId: version, lastUpdated: at },
          link: [{ type: 'replaced-by', other: { reference: `Patient/${replacedBy}` } }],
        });
        const fhir = { connectionId: CONNECTION, channel: 'fhir-poll' } as const;
        const merged = changeEvents(patient('old', '2', '2026-01-02T10:00:00Z', 'new'), undefined, fhir);
        const reversed = changeEvents(patient('new', '3', '2026-01-03T10:00:00Z', 'old'), undefined, fhir);
        assert.equal(merged[0]?.type, 'patient.merged');
        const first = await route(db, merged);
        assert.equal((await surviving(db, first, { ehrId: 'old', identifiers: [] })).ehrId, 'new');
        // The writer's wrong-chart guard sees the retired chart.
        assert.equal(await isRetired(db, CONNECTION, 'old'), true);
        assert.equal(await isRetired(db, CONNECTION, 'new'), false);
        const both = await route(db, [...merged, ...reversed]);
        assert.equal((await surviving(db, both, { ehrId: 'old', identifiers: [] })).ehrId, 'old');
        assert.equal((await surviving(db, both, { ehrId: 'new', identifiers: [] })).ehrId, 'old');
        assert.equal(await isRetired(db, CONNECTION, 'old'), false);
        assert.equal(await isRetired(db, CONNECTION, 'new'), true);
      } finally {
        await db.close();
      }
    });
  });
}
