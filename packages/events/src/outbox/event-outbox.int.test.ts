/**
 * The outbox's tail never skips: publishers on several connections (PostgreSQL: a pool of 4) file
 * events concurrently while a reader tails by position; every event is seen exactly once and
 * positions only grow. Without the outbox lock a bigserial tail can pass a row committed late (a
 * transaction that took position N commits after one that took N+1): the reader would move past N.
 * The capture files each source's batch with its cursor, maps journal events and proposal moves to
 * published events (types not published are read past), and files nothing twice when run again.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EhrEvent } from '@steward/core';
import { keyRingWithMasterKey } from '@steward/governance/testing';
import type { ProposalChange } from '@steward/proposals';
import { storeTargets } from '@steward/store/testing';
import { EventCapture } from '../capture/event-capture.js';
import type { NewEvent } from '../model/event-record.js';
import { EventOutbox } from './event-outbox.js';

const event = (n: number, site = 'north'): NewEvent => ({
  type: 'appointment.no-show',
  site,
  patientId: randomUUID(),
  occurredAt: new Date(),
  sourceKey: `test:${n}:${randomUUID()}`,
  references: { resource: { type: 'Appointment', id: `a${n}` } },
  phi: { patient: { id: null, identifiers: [{ system: 'urn:mrn', value: `MRN-${n}` }] } },
});

for (const target of storeTargets()) {
  describe(`events outbox on ${target.name}`, { skip: target.skip }, () => {
    it('a tail by position sees every concurrently published event exactly once', async () => {
      const db = await target.open();
      try {
        const outbox = new EventOutbox(db, await keyRingWithMasterKey(db, randomBytes(32)));
        // PGlite has one connection (its transactions queue): fewer rounds show the same there.
        const publishers = 6;
        const rounds = target.name === 'pglite' ? 6 : 25;
        const seen: number[] = [];
        let after = 0;
        let done = false;
        const tail = (async () => {
          for (;;) {
            const finished = done;
            const page = await outbox.read(after, 1_000);
            for (const e of page) seen.push(e.position);
            if (page.length > 0) after = page.at(-1)!.position;
            if (finished && page.length === 0) return;
            await new Promise((r) => setTimeout(r, 2));
          }
        })();
        const published = await Promise.all(
          Array.from({ length: publishers }, async (_p, p) => {
            const ids: string[] = [];
            for (let r = 0; r < rounds; r++) {
              ids.push(...(await outbox.publish([event(p * 1000 + r), event(p * 1000 + r + 500)], new Date())));
            }
            return ids;
          }),
        );
        done = true;
        await tail;
        const total = published.flat().length;
        assert.equal(total, publishers * rounds * 2);
        assert.equal(seen.length, total, 'every published event was read by the tail');
        assert.equal(new Set(seen).size, total, 'none twice');
        assert.deepEqual(
          seen,
          [...seen].sort((a, b) => a - b),
          'positions only grow',
        );
        const [first] = await outbox.read(0, 1);
        assert.equal(first?.phi.patient.identifiers[0]?.value.startsWith('MRN-'), true, 'the sealed part opens');
        const { rows } = await db.query<{ data_enc: Uint8Array }>('select data_enc from events_outbox limit 1');
        assert.equal(Buffer.from(rows[0]!.data_enc).includes('MRN-'), false, 'the PHI part is sealed at rest');
      } finally {
        await db.close();
      }
    });

    it('the capture files journal events and proposal outcomes once, with its cursors', async () => {
      const db = await target.open();
      try {
        const outbox = new EventOutbox(db, await keyRingWithMasterKey(db, randomBytes(32)));
        const patientId = randomUUID();
        const journal: EhrEvent[] = [
          {
            id: randomUUID(),
            seq: 3,
            recordedAt: new Date(),
            type: 'appointment.no-show',
            connectionId: 'c1',
            channel: 'fhir-poll',
            dedupKey: 'k1',
            occurredAt: '2026-01-02T10:00:00-05:00',
            patient: { ehrId: 'p-1', identifiers: [{ system: 'urn:mrn', value: 'MRN-77' }] },
            facts: {
              kind: 'Appointment',
              ehrId: 'appt-9',
              identifiers: [],
              status: 'noshow',
              participants: [],
              basedOn: [],
            },
            sourceRef: 'Appointment/appt-9/_history/2',
            patientId,
          },
          {
            id: randomUUID(),
            seq: 7,
            recordedAt: new Date(),
            type: 'patient.merged',
            connectionId: 'c1',
            channel: 'hl7v2',
            dedupKey: 'k2',
            occurredAt: '2026-01-02T10:00:00-05:00',
            patient: { identifiers: [] },
            facts: { kind: 'Merge', scope: 'patient', retired: { identifiers: [] } },
            sourceRef: 'ADT^A40',
          },
        ];
        const changes: ProposalChange[] = [
          change(11, 'drafted', undefined),
          change(12, 'pending_review', 'drafted'),
          change(15, 'committed', 'approved'),
        ];
        const capture = new EventCapture(outbox, {
          connections: () =>
            Promise.resolve([
              {
                id: 'c1',
                site: 'north',
                events: (after: number) => Promise.resolve(journal.filter((e) => e.seq > after)),
              },
            ]),
          proposalChanges: (after) => Promise.resolve(changes.filter((c) => c.seq > after)),
        });
        const first = await capture.drain();
        assert.deepEqual(first, { read: 5, published: 3 });
        assert.equal(await outbox.cursor('ehr:c1'), 7);
        assert.equal(await outbox.cursor('proposals'), 15);
        assert.deepEqual(await capture.drain(), { read: 0, published: 0 }, 'read to the end: nothing again');
        const events = await outbox.read(0, 100);
        assert.deepEqual(
          events.map((e) => e.type),
          ['appointment.no-show', 'proposal.pending-review', 'proposal.written'],
        );
        const noShow = events[0]!;
        assert.equal(noShow.site, 'north');
        assert.equal(noShow.patientId, patientId);
        assert.deepEqual(noShow.references.resource, { type: 'Appointment', id: 'appt-9' });
        assert.equal(noShow.phi.patient.identifiers[0]?.value, 'MRN-77');
        assert.equal(events[2]!.references.proposalId, 'a0000000-0000-4000-8000-000000000015');
        assert.equal(events[2]!.phi.previous, 'approved');
        // A cursor moved by someone else meanwhile: the batch is not filed twice.
        assert.equal(await outbox.append('proposals', 12, 15, [], new Date()), false);
      } finally {
        await db.close();
      }
    });
  });
}

function change(seq: number, to: ProposalChange['to'], from: ProposalChange['from']): ProposalChange {
  return {
    seq,
    proposalId: `a0000000-0000-4000-8000-0000000000${seq}`,
    revision: 1,
    from,
    to,
    at: new Date(),
    reasonCode: undefined,
    actionType: 'task.create',
    site: 'north',
    patientId: undefined,
    connectionId: undefined,
    targetType: 'Task',
    targetId: to === 'committed' ? 'task-1' : undefined,
    workflow: undefined,
    draftedBy: { kind: 'service', id: 'x' },
  };
}
