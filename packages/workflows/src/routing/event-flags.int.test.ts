import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EhrEvent } from '@steward/core';
import { thirdPartyFixture } from '@steward/core/testing';
import { mapHl7, parseHl7 } from '@steward/ehr';
import { storeTargets } from '@steward/store/testing';
import { WorkflowEngine } from '../engine/index.js';
import { EventRouter } from './event-router.js';
import { flaggedEvents } from './event-flags.js';

const CONNECTION = '33333333-3333-4333-8333-333333333333';
const hl7 = (name: string): string => readFileSync(join(thirdPartyFixture('hl7v2'), 'fhir-converter', name), 'utf8');

for (const target of storeTargets()) {
  describe(`flagged events on ${target.name}`, { skip: target.skip }, () => {
    it('the router lists flagged events for a person, once each, with codes and field names only', async () => {
      const db = await target.open();
      try {
        const ctx = { connectionId: CONNECTION, facilityTimeZone: 'America/New_York' };
        // SIU-S12-01: SCH-11.4 disagrees with AIS-4 (flagged); ADT-A03 (Italian) has a zone-less EVN-2.
        const inputs = [
          ...mapHl7(parseHl7(hl7('SIU-S12-01.hl7')), ctx),
          ...mapHl7(parseHl7(hl7('ADT-A40-01.hl7')), ctx), // offsets given: not flagged
        ];
        const events = inputs.map((e, i): EhrEvent => ({
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
                journal: {
                  events: (after, limit) => Promise.resolve(events.filter((e) => e.seq > after).slice(0, limit)),
                },
              },
            ]),
        });
        await router.drain();
        await db.query('delete from workflow_router_cursors'); // routed again: still listed once
        await router.drain();
        const list = await flaggedEvents(db, CONNECTION);
        assert.equal(list.total, 1);
        assert.deepEqual(list.items[0], {
          eventId: events[0]!.id,
          seq: 1,
          type: 'appointment.booked',
          sourceRef: 'SIU^S12',
          occurredAt: '2021-09-14T09:05:00.000Z',
          flags: [{ code: 'schedule-conflict', detail: 'SCH-11.4 and AIS-4 give different starts; AIS-4 is used' }],
        });
        const text = JSON.stringify(list);
        for (const phi of ['PATID1234', '12345', 'Biopsy']) assert.ok(!text.includes(phi), 'no identifiers or content');
      } finally {
        await db.close();
      }
    });
  });
}
