/**
 * HL7 v2 strictness end to end over real TCP into the governed journal: a connection that
 * refuses zone-less times answers AR and keeps the message on the dead-letter list naming the
 * field; one that infers files the event with its `zone-inferred` flag, and an SIU whose SCH-11
 * start disagrees with its resources keeps its `schedule-conflict` flag through the sealed journal.
 * Merges of the A34–A47 family are acknowledged and filed as merge events.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets } from '@steward/store/testing';
import type { EhrConnection } from '../connections/index.js';
import { hl7Fixture, withField } from '../hl7v2/test-fixtures.js';
import { MllpClient, MllpListener } from '../hl7v2/index.js';
import { openTestGovernance, type TestGovernance } from '../test-governance.js';

const wire = (text: string): string => text.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r');

for (const target of storeTargets()) {
  describe(`HL7 v2 strictness on ${target.name}`, { skip: target.skip }, () => {
    let g: TestGovernance;
    const open: { listener: MllpListener; client: MllpClient }[] = [];

    const feed = async (name: string, zonelessTimes: 'infer' | 'refuse') => {
      const c: EhrConnection = await g.connections.add(g.admin, {
        name,
        site: 'north',
        vendor: 'generic-r4',
        facilityTimeZone: 'Europe/Rome',
        zonelessTimes,
      });
      const journal = g.journals.forConnection({ actor: g.connections.actorOf(c) }, c);
      const listener = new MllpListener({
        connectionId: c.id,
        facilityTimeZone: c.facilityTimeZone,
        ...(c.settings.zonelessTimes !== undefined ? { zonelessTimes: c.settings.zonelessTimes } : {}),
        journal,
        host: '127.0.0.1',
        port: 0,
        maxMessageBytes: 1_048_576,
      });
      const address = await listener.start();
      const client = await MllpClient.connect({ host: '127.0.0.1', port: address.port, timeoutMs: 10_000 });
      open.push({ listener, client });
      return { journal, client };
    };

    before(async () => {
      g = await openTestGovernance(await target.open());
    });
    after(async () => {
      for (const { client, listener } of open) {
        await client.close();
        await listener.close();
      }
      await g.close();
    });

    it('a refusing connection answers AR and dead-letters a zone-less time, naming the field', async () => {
      const { journal, client } = await feed('strict-feed', 'refuse');
      // HAPI's Italian A03: EVN-2 and PV1-45 have no offset.
      const ack = await client.send(wire(hl7Fixture('hapi/adt-a03-italian-discharge.hl7')));
      assert.equal(ack.code, 'AR');
      const dead = await journal.deadLetters();
      assert.equal(dead.length, 1);
      assert.match(dead[0]!.reason, /has a time without a UTC offset, and this connection refuses zone-less times/);
      assert.equal((await journal.events(0, 10)).length, 0);
    });

    it('an inferring connection files the events with their flags, through the sealed journal', async () => {
      const { journal, client } = await feed('lenient-feed', 'infer');
      assert.equal((await client.send(wire(hl7Fixture('hapi/adt-a03-italian-discharge.hl7')))).code, 'AA');
      assert.equal((await client.send(wire(hl7Fixture('fhir-converter/SIU-S12-01.hl7')))).code, 'AA');
      const a47 = withField(hl7Fixture('fhir-converter/ADT-A47-01.hl7'), 'MSH', 10, 'A47-STRICT-1');
      assert.equal((await client.send(wire(a47))).code, 'AA');
      const events = await journal.events(0, 10);
      assert.deepEqual(
        events.map((e) => [e.type, e.flags?.map((f) => f.code) ?? []]),
        [
          ['encounter.discharged', ['zone-inferred']],
          ['appointment.booked', ['schedule-conflict']],
          ['patient.identifier-changed', []],
        ],
      );
      assert.equal(events[0]!.occurredAt, '2008-03-05T15:09+01:00');
      assert.equal(events[0]!.flags?.[0]?.detail, 'EVN-2, PV1-45 had no UTC offset: read in Europe/Rome');
    });
  });
}
