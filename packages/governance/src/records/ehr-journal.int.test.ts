import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { Clock, EhrEventInput, InboundJournal, InboundMessage, RequestContext } from '@steward/core';
import { AuditLog } from '../audit/audit-log.js';
import { verifyAuditLog } from '../audit/verify.js';
import { KeyRing } from '../crypto/key-ring.js';
import { InMemoryMasterKeyProvider } from '../crypto/master-key.js';
import { GrantStore } from '../policy/grants.js';
import { BreakGlassStore } from '../policy/break-glass.js';
import { PolicyDecisionPoint } from '../policy/decision-point.js';
import { EhrJournal } from './ehr-journal.js';

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test',
  authMethod: 'local-operator',
} as const;
const connectionId = '5d0c7f4e-2a8b-4c1d-9e3f-6a7b8c9d0e1f';
const interfaceId = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const outsiderId = '2c3d4e5f-6071-4b8c-9d0e-1f2a3b4c5d6e';

function message(
  key: string,
  raw = `MSH|^~\\&|EHR|NORTH|STEWARD|NORTH|20261122||SIU^S12|${key}|P|2.5\rPID|1||MRN-SECRET-42`,
): InboundMessage {
  return { connectionId, channel: 'hl7v2', messageKey: key, raw, messageType: 'SIU^S12', receivedAt: new Date() };
}

function booked(key: string, dedupKey = `hl7:${key}`): EhrEventInput {
  return {
    type: 'appointment.booked',
    connectionId,
    channel: 'hl7v2',
    dedupKey,
    occurredAt: '2026-03-08T09:30:00-04:00',
    patient: { identifiers: [{ system: 'urn:mrn', value: 'MRN-SECRET-42' }] },
    facts: { kind: 'Appointment', identifiers: [], status: 'booked', participants: [], basedOn: [] },
    sourceRef: 'SIU^S12',
  };
}

for (const target of storeTargets()) {
  describe(`governed EHR inbound journal on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let audit: AuditLog;
    let journal: InboundJournal;
    let outsider: InboundJournal;
    let grants: GrantStore;
    let journalAt: (clock: Clock) => EhrJournal;
    let governed: EhrJournal;
    let cipher: KeyRing;
    const ctx = (id: string, name: string): RequestContext => ({
      actor: { kind: 'service', id, name, authMethod: 'api-token' },
    });

    before(async () => {
      db = await target.open();
      cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher);
      grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      const ehrJournal = new EhrJournal(db, cipher, policy, audit);
      governed = ehrJournal;
      journalAt = (clock) => new EhrJournal(db, cipher, policy, audit, clock);
      await db.query(`insert into service_accounts (id, name) values ($1, 'hl7-north'), ($2, 'other')`, [
        interfaceId,
        outsiderId,
      ]);
      await db.query(
        `insert into ehr_connections (id, name, site, vendor, facility_time_zone, created_at, updated_at)
         values ($1, 'north-adt', 'north', 'generic-r4', 'America/New_York', now(), now())`,
        [connectionId],
      );
      for (const [id, role] of [
        [interfaceId, 'integration'],
        [outsiderId, 'coordinator'],
      ] as const) {
        await grants.add(bootstrap, {
          principalKind: 'service',
          principalId: id,
          role,
          site: 'north',
          workflow: '*',
          purposeOfUse: 'HOPERAT',
        });
      }
      journal = ehrJournal.forConnection(ctx(interfaceId, 'hl7-north'), { id: connectionId, site: 'north' });
      outsider = ehrJournal.forConnection(ctx(outsiderId, 'other'), { id: connectionId, site: 'north' });
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    it('stores a message and its events sealed, audited in the same transaction, and reads them back in order', async () => {
      const first = await journal.receive(message('M1'), [booked('M1')]);
      const second = await journal.receive(message('M2'), [booked('M2')]);
      assert.equal(first.status, 'stored');
      assert.equal(second.status, 'stored');
      const events = await journal.events(0, 100);
      assert.deepEqual(
        events.map((e) => e.dedupKey),
        ['hl7:M1', 'hl7:M2'],
      );
      assert.ok(events[0]!.seq < events[1]!.seq);
      assert.equal(events[0]!.occurredAt, '2026-03-08T09:30:00-04:00', 'the offset is kept as given');
      assert.deepEqual(events[0]!.patient.identifiers, [{ system: 'urn:mrn', value: 'MRN-SECRET-42' }]);

      const raw = await db.query<{ raw_enc: Uint8Array }>('select raw_enc from ehr_inbound');
      const events2 = await db.query<{ data_enc: Uint8Array }>('select data_enc from ehr_events');
      for (const bytes of [...raw.rows.map((r) => r.raw_enc), ...events2.rows.map((r) => r.data_enc)]) {
        assert.ok(!Buffer.from(bytes).toString('latin1').includes('MRN-SECRET-42'), 'no identifier in the clear');
      }
      await audit.flush();
      const entries = await db.query<{ event: string }>(`select event from audit_log where event = 'ehr.received'`);
      assert.equal(entries.rows.length, 2);
    });

    it('recognises a redelivered message and a change that arrives by two routes, storing each once', async () => {
      const again = await journal.receive(message('M1'), [booked('M1')]);
      assert.equal(again.status, 'duplicate');
      const viaPoll = await journal.receive(message('poll-1'), [booked('x', 'hl7:M2')]);
      assert.equal(viaPoll.status, 'stored');
      assert.equal(viaPoll.status === 'stored' ? viaPoll.events.length : -1, 0);
      assert.equal((await journal.events(0, 100)).length, 2);
    });

    it('keeps unprocessable messages on the dead-letter list with their reason, once', async () => {
      const dl = await journal.deadLetter(message('BAD-1', 'garbage'), 'MSH segment missing');
      assert.equal(dl.status, 'dead-letter');
      assert.equal((await journal.deadLetter(message('BAD-1', 'garbage'), 'again')).status, 'duplicate');
      const list = await journal.deadLetters();
      assert.equal(list.length, 1);
      assert.equal(list[0]!.reason, 'MSH segment missing');
      assert.equal(list[0]!.messageKey, 'BAD-1');
    });

    it('files a page in one go: duplicates by message key and by change key (within the page too) are stored once, in order', async () => {
      assert.ok(journal.receiveMany !== undefined);
      const receiveMany = (items: Parameters<NonNullable<InboundJournal['receiveMany']>>[0]) =>
        journal.receiveMany!(items);
      const before = await journal.events(0, 1_000);
      await audit.flush();
      const received = async (): Promise<number> =>
        (await db.query<{ n: number }>(`select count(*)::int as n from audit_log where event = 'ehr.received'`))
          .rows[0]!.n;
      const entriesBefore = await received();
      const outcomes = await receiveMany([
        { message: message('P1'), events: [booked('P1')] },
        { message: message('M1'), events: [booked('M1-again')] }, // a message filed by an earlier test
        { message: message('P2'), events: [booked('P2'), booked('P2b')] },
        { message: message('P1'), events: [booked('P1-redelivered')] }, // the same key twice in one page
        { message: message('P3'), events: [booked('P3', 'hl7:P2')] }, // a poll racing a notification
        { message: message('P4'), events: [] },
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['stored', 'duplicate', 'stored', 'duplicate', 'stored', 'stored'],
      );
      assert.equal(outcomes[3]!.messageId, outcomes[0]!.messageId, 'a repeat names the message filed first');
      const m1 = await db.query<{ id: string }>(`select id::text from ehr_inbound where message_key = 'M1'`);
      assert.equal(outcomes[1]!.messageId, m1.rows[0]!.id);
      const counts = outcomes.map((o) => (o.status === 'stored' ? o.events.length : -1));
      assert.deepEqual(counts, [1, -1, 2, -1, 0, 0]);
      const added = (await journal.events(0, 1_000)).slice(before.length);
      assert.deepEqual(
        added.map((e) => e.dedupKey),
        ['hl7:P1', 'hl7:P2', 'hl7:P2b'],
      );
      assert.ok(
        added.every((e, i) => i === 0 || e.seq > added[i - 1]!.seq),
        'arrival order',
      );
      assert.deepEqual(added[0]!.patient.identifiers, [{ system: 'urn:mrn', value: 'MRN-SECRET-42' }]);
      await audit.flush();
      assert.equal((await received()) - entriesBefore, 6, 'one entry per message, duplicates included');
    });

    it('a message that cannot be stored does not take down the others filed with it', async () => {
      const bad = { ...booked('B2'), occurredAt: 'not an instant' };
      const results = await Promise.allSettled([
        journal.receive(message('B1'), [booked('B1')]),
        journal.receive(message('B2'), [bad]),
        journal.receive(message('B3'), [booked('B3')]),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      await assert.rejects(
        journal.receiveMany!([
          { message: message('B4'), events: [booked('B4')] },
          { message: message('B5'), events: [bad] },
        ]),
      );
      const keys = await db.query<{ message_key: string }>(
        `select message_key from ehr_inbound where message_key in ('B1', 'B2', 'B3', 'B4', 'B5') order by message_key`,
      );
      assert.deepEqual(
        keys.rows.map((r) => r.message_key),
        ['B1', 'B3', 'B4'],
      );
      await audit.flush();
      const v = await verifyAuditLog(db);
      assert.equal(v.ok, true, JSON.stringify(v));
    });

    it("reuses a connection's ingest decision for at most a second: a revoked grant stops ingest after that", async () => {
      const southId = '3d4e5f60-7182-4c9d-8e0f-2a3b4c5d6e7f';
      await db.query(`insert into service_accounts (id, name) values ($1, 'hl7-south')`, [southId]);
      const grant = await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: southId,
        role: 'integration',
        site: 'north',
        workflow: '*',
        purposeOfUse: 'HOPERAT',
      });
      let now = Date.parse('2026-11-22T10:00:00Z');
      const clock: Clock = { now: () => new Date(now) };
      const south = journalAt(clock).forConnection(
        { actor: { kind: 'service', id: southId, name: 'hl7-south', authMethod: 'api-token' } },
        { id: connectionId, site: 'north' },
      );
      assert.equal((await south.receive(message('S1'), [booked('S1')])).status, 'stored');
      await grants.revoke(bootstrap, grant.id);
      now += 999;
      assert.equal((await south.receive(message('S2'), [booked('S2')])).status, 'stored', 'within the second');
      now += 2;
      await assert.rejects(south.receive(message('S3'), [booked('S3')]), { code: 'FORBIDDEN' });
      await assert.rejects(south.receive(message('S4'), [booked('S4')]), { code: 'FORBIDDEN' }, 'a denial is not kept');
      const stored = await db.query<{ message_key: string }>(
        `select message_key from ehr_inbound where message_key in ('S1', 'S2', 'S3', 'S4') order by message_key`,
      );
      assert.deepEqual(
        stored.rows.map((r) => r.message_key),
        ['S1', 'S2'],
      );
      assert.throws(
        () => new EhrJournal(db, KeyRing.inMemory(), {} as PolicyDecisionPoint, audit, clock, { decisionTtlMs: 5_000 }),
        {
          code: 'CONFIG_INVALID',
        },
      );
    });

    it('a reused control id: same content is a duplicate, different content is filed and flagged, never lost', async () => {
      const reused = (key: string, raw: string): InboundMessage => ({ ...message(key, raw), keyMayRepeat: true });
      const day1 = 'MSH|^~\\&|EHR|NORTH|STEWARD|NORTH|20261122||SIU^S12|R1|P|2.5\rPID|1||MRN-SECRET-42';
      const day2 = 'MSH|^~\\&|EHR|NORTH|STEWARD|NORTH|20261123||ADT^A08|R1|P|2.5\rPID|1||MRN-SECRET-43';
      const a = await journal.receive(reused('R1', day1), [booked('R1')]);
      assert.equal(a.status, 'stored');
      // A resend, even with other line breaks, is the same message.
      const resend = await journal.receive(reused('R1', day1.replace(/\r/g, '\r\n')), [booked('R1')]);
      assert.deepEqual(resend, { status: 'duplicate', messageId: a.messageId });
      // Different content under the same control id (a counter reset, another message type).
      const b = await journal.receive(reused('R1', day2), [booked('R1')]);
      assert.equal(b.status, 'stored');
      assert.equal(b.status === 'stored' ? b.flag : undefined, 'control-id-reused');
      assert.equal(b.status === 'stored' ? b.events.length : -1, 1, 'its event is not mistaken for the first one');
      assert.deepEqual(await journal.receive(reused('R1', day2), [booked('R1')]), {
        status: 'duplicate',
        messageId: b.messageId,
      });
      // Several at once in one statement, one of them reusing R1 again, one ignored (not routed).
      const c = await journal.receiveMany!([
        { message: reused('R1', `${day2}\rNTE|1||third`), events: [booked('R1')] },
        { message: reused('R2', day1.replace('|R1|', '|R2|')), events: [booked('R2')] },
      ]);
      assert.deepEqual(
        c.map((o) => [o.status, 'flag' in o ? o.flag : undefined]),
        [
          ['stored', 'control-id-reused'],
          ['stored', undefined],
        ],
      );
      const ignored = await journal.ignore(reused('R1', `${day1}\rNTE|1||fourth`), 'message type X^Y is not routed');
      assert.equal(ignored.status, 'ignored');
      const list = await journal.attention();
      assert.deepEqual(list.counts, { deadLetter: 1, controlIdReused: 3, patientNotFound: 0, ignored: 1 });
      assert.deepEqual(
        list.items.filter((i) => i.messageKey.startsWith('R1')).map((i) => i.kind),
        ['control-id-reused', 'control-id-reused', 'control-id-reused'],
      );
      assert.ok(list.items.every((i) => !i.reason.includes('MRN')));
      const keys = (await journal.events(0, 1000)).map((e) => e.dedupKey).filter((k) => k.startsWith('hl7:R1'));
      assert.equal(keys.length, 3, 'three different messages under R1, three events');
      await audit.flush();
      const reasons = await db.query<{ entry: string }>(
        `select entry from audit_log where event = 'ehr.received' and entry like '%control-id-reused%'`,
      );
      assert.equal(reasons.rows.length, 3);
    });

    it('an event whose patient the EHR does not know puts its message on the attention list, flagged by the connection', async () => {
      const filed = await journal.receive(message('PNF1'), [booked('PNF1')]);
      const eventId = filed.status === 'stored' ? filed.events[0]?.id : undefined;
      assert.ok(eventId !== undefined);
      const north = { id: connectionId, site: 'north' };
      const reason = "no EHR patient carries the event's patient identifiers: a proposal was not drafted";
      await assert.rejects(governed.flagEvent(ctx(outsiderId, 'other'), north, eventId, 'patient-not-found', reason), {
        code: 'FORBIDDEN',
      });
      const before = (await journal.attention()).counts.patientNotFound;
      assert.equal(
        await governed.flagEvent(ctx(interfaceId, 'hl7-north'), north, eventId, 'patient-not-found', reason),
        true,
      );
      const list = await journal.attention();
      assert.equal(list.counts.patientNotFound, before + 1);
      const item = list.items.find((i) => i.messageId === filed.messageId);
      assert.deepEqual([item?.kind, item?.messageType, item?.reason], ['patient-not-found', 'SIU^S12', reason]);
      assert.equal(
        await governed.flagEvent(
          ctx(interfaceId, 'hl7-north'),
          north,
          '99999999-9999-4999-8999-999999999999',
          'patient-not-found',
          reason,
        ),
        false,
        'no stored message for the event: the caller is told',
      );
    });

    it('a message filed before content hashes were kept is compared by its sealed text', async () => {
      const raw = 'MSH|^~\\&|EHR|NORTH|STEWARD|NORTH|20261122||SIU^S12|OLD1|P|2.5\rPID|1||MRN-SECRET-42';
      const first = await journal.receive({ ...message('OLD1', raw), keyMayRepeat: true }, [booked('OLD1')]);
      await db.query(`update ehr_inbound set content_hash = null where message_key = 'OLD1'`);
      const again = await journal.receive({ ...message('OLD1', raw), keyMayRepeat: true }, [booked('OLD1')]);
      assert.deepEqual(again, { status: 'duplicate', messageId: first.messageId });
    });

    /** How many `ehr.received` entries name each message, by message id. */
    const receipts = async (ids: readonly string[]): Promise<number[]> => {
      const { rows } = await db.query<{ entry: string }>(`select entry from audit_log where event = 'ehr.received'`);
      return ids.map((id) => rows.filter((r) => r.entry.includes(id)).length);
    };

    it('files a batch of new messages in one round trip (PostgreSQL): read back in order, each receipt audited once, the chain verifies', async () => {
      await journal.receive(message('OT0'), [booked('OT0')]); // the writer knows its head from here on
      const before = { ...audit.stats };
      const keys = Array.from({ length: 12 }, (_, i) => `OT${i + 1}`);
      const outcomes = await Promise.all(keys.map((k) => journal.receive(message(k), [booked(k)])));
      assert.deepEqual(
        outcomes.map((o) => o.status),
        keys.map(() => 'stored'),
      );
      if (db.kind === 'postgres') {
        assert.ok(audit.stats.oneTrip > before.oneTrip, 'written in one round trip');
        assert.equal(audit.stats.general, before.general, 'no batch took the general path');
      } else assert.equal(audit.stats.oneTrip, 0, 'PGlite keeps the general path');
      const stored = outcomes.flatMap((o) => (o.status === 'stored' ? o.events : []));
      const events = await journal.events(stored[0]!.seq - 1, 100);
      assert.deepEqual(
        events.map((e) => [e.id, e.seq, e.dedupKey]),
        stored.map((e) => [e.id, e.seq, e.dedupKey]),
        'the seqs told to the caller are the stored ones, in arrival order',
      );
      assert.deepEqual(
        await receipts(outcomes.map((o) => o.messageId)),
        keys.map(() => 1),
      );
      const v = await verifyAuditLog(db);
      assert.ok(v.ok, JSON.stringify(v));
    });

    it('when another writer appended meanwhile, the batch is written again after the head is re-read: none lost, none twice', async () => {
      await journal.receive(message('HM0'), [booked('HM0')]);
      const other = await AuditLog.open(db, cipher); // another process on the same database
      await other.append({
        actor: bootstrap,
        event: 'phi.read',
        action: 'R',
        outcome: 'success',
        entity: { kind: 'Patient', id: 'x' },
      });
      await other.close();
      const before = { ...audit.stats };
      const keys = Array.from({ length: 6 }, (_, i) => `HM${i + 1}`);
      const outcomes = await Promise.all(keys.map((k) => journal.receive(message(k), [booked(k)])));
      assert.deepEqual(
        outcomes.map((o) => o.status),
        keys.map(() => 'stored'),
      );
      if (db.kind === 'postgres') assert.equal(audit.stats.headMoved, before.headMoved + 1, 'the moved head was seen');
      const rows = await db.query<{ message_key: string; n: number }>(
        `select message_key, count(*)::int as n from ehr_inbound where message_key like 'HM%' group by 1 order by 1`,
      );
      assert.deepEqual(
        rows.rows.map((r) => [r.message_key, r.n]),
        ['HM0', ...keys].map((k) => [k, 1]),
      );
      const events = await db.query<{ n: number }>(
        `select count(*)::int as n from ehr_events where dedup_key like 'hl7:HM%'`,
      );
      assert.equal(events.rows[0]!.n, 7);
      assert.deepEqual(
        await receipts(outcomes.map((o) => o.messageId)),
        keys.map(() => 1),
      );
      // The next batch goes in one round trip again, from the head re-read.
      const next = { ...audit.stats };
      await journal.receive(message('HM7'), [booked('HM7')]);
      if (db.kind === 'postgres') assert.equal(audit.stats.oneTrip, next.oneTrip + 1);
      const v = await verifyAuditLog(db);
      assert.ok(v.ok, JSON.stringify(v));
    });

    it('refuses an actor without ehr.ingest at the site, storing nothing', async () => {
      const before = await db.query<{ n: number }>('select count(*)::int as n from ehr_inbound');
      await assert.rejects(outsider.receive(message('M9'), [booked('M9')]), { code: 'FORBIDDEN' });
      await assert.rejects(outsider.events(0, 10), { code: 'FORBIDDEN' });
      const after = await db.query<{ n: number }>('select count(*)::int as n from ehr_inbound');
      assert.equal(after.rows[0]!.n, before.rows[0]!.n);
    });
  });
}
