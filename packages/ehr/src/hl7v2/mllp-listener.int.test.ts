import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  OperationalError,
  type EhrEventInput,
  type InboundJournal,
  type InboundMessage,
  type ReceiveOutcome,
} from '@steward/core';
import { MemoryInboundJournal } from '../inbound/index.js';
import { MllpClient } from './mllp-client.js';
import { MllpListener } from './mllp-listener.js';
import { decodeHl7 } from './hl7-decode.js';
import { Hl7DecodePool } from './hl7-decode-pool.js';
import { frameMllp } from './mllp.js';
import { hl7Fixture, segmentsOf, withField } from './test-fixtures.js';

/** A journal whose `receive` waits until the test opens the gate, or fails when told to. */
class GatedJournal implements InboundJournal {
  readonly inner = new MemoryInboundJournal();
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  failNext = false;
  receivedKeys: string[] = [];

  close(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }
  async receive(message: InboundMessage, events: readonly EhrEventInput[]): Promise<ReceiveOutcome> {
    this.receivedKeys.push(message.messageKey);
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new OperationalError('STORE_UNAVAILABLE', 'store is down');
    }
    return this.inner.receive(message, events);
  }
  deadLetter(message: InboundMessage, reason: string): Promise<ReceiveOutcome> {
    return this.inner.deadLetter(message, reason);
  }
  deadLetters(connectionId?: string) {
    return this.inner.deadLetters(connectionId);
  }
  /** The patient each ignored message said it is about (its receipt names them). */
  ignoredSubjects: InboundMessage['subject'][] = [];
  ignore(message: InboundMessage, reason: string): Promise<ReceiveOutcome> {
    this.ignoredSubjects.push(message.subject);
    return this.inner.ignore(message, reason);
  }
  attention(limit?: number) {
    return this.inner.attention(limit);
  }
  events(afterSeq: number, limit: number) {
    return this.inner.events(afterSeq, limit);
  }
}

const siu = segmentsOf(hl7Fixture('fhir-converter/SIU-S12-01.hl7')).join('\r');
const withId = (id: string, patient = 'PATID1234') =>
  withField(withField(siu, 'MSH', 10, id), 'PID', 3, `${patient}^^^test1^MR`);

// Every behaviour over TCP holds with HL7 decoded on the listener's thread and on a worker thread.
for (const decodeThreads of [0, 1])
  describe(`MllpListener over TCP${decodeThreads === 0 ? '' : ', decoding on a worker thread'}`, () => {
    const journal = new GatedJournal();
    const listener = new MllpListener({
      connectionId: 'feed-1',
      facilityTimeZone: 'America/New_York',
      journal,
      host: '127.0.0.1',
      port: 0,
      maxMessageBytes: 64 * 1024,
      decodeThreads,
    });
    let client: MllpClient;
    let port = 0;

    before(async () => {
      port = (await listener.start()).port;
      client = await MllpClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
    });
    after(async () => {
      await client.close();
      await listener.close();
    });

    it('acknowledges only after the journal has stored the message; MSA-2 = MSH-10', async () => {
      journal.close();
      let acked = false;
      const ackPromise = client.send(withId('GATE-1')).then((ack) => {
        acked = true;
        return ack;
      });
      while (!journal.receivedKeys.includes('GATE-1')) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(acked, false, 'no ACK while the store has not resolved');
      journal.release();
      const ack = await ackPromise;
      assert.equal(ack.code, 'AA');
      assert.equal(ack.controlId, 'GATE-1');
      assert.equal(ack.messageType, 'ACK^S12^ACK');
      assert.match(ack.raw, /^MSH\|\^~\\&\|EHRApp\^1\.Aux\^ISO\|GHHRFacility\^[^|]*\|SCHApp\|GHHSFacility\^/);
      assert.match(ack.raw, /\|2\.8\rMSA\|AA\|GATE-1/);
      const events = await journal.events(0, 100);
      assert.ok(events.some((e) => e.dedupKey === 'hl7:GATE-1' && e.type === 'appointment.booked'));
    });

    it('a duplicate MSH-10 is acknowledged AA and stores no second event', async () => {
      const first = await client.send(withId('DUP-1'));
      const before = (await journal.events(0, 1000)).length;
      const second = await client.send(withId('DUP-1'));
      assert.deepEqual([first.code, second.code], ['AA', 'AA']);
      assert.equal((await journal.events(0, 1000)).length, before);
    });

    it('an unparseable message is AR, an unsupported type AA and kept as ignored; both visible', async () => {
      const bad = await client.send(withField(siu, 'MSH', 12, 'X').replace('MSG00012', 'BAD-1'));
      assert.equal(bad.code, 'AR');
      assert.equal(bad.controlId, 'BAD-1');
      assert.equal(bad.text, 'MSH-12 (version id) is not an HL7 v2 version');
      const unsupported = await client.send(withField(hl7Fixture('fhir-converter/ADT-A02-01.hl7'), 'MSH', 10, 'A02-1'));
      assert.equal(unsupported.code, 'AA');
      assert.equal(unsupported.controlId, 'A02-1');
      const dead = await journal.deadLetters('feed-1');
      assert.deepEqual(
        dead.map((d) => d.reason),
        ['MSH-12 (version id) is not an HL7 v2 version'],
      );
      const attention = await journal.attention();
      assert.equal(attention.counts.ignored, 1);
      assert.deepEqual(
        attention.items.filter((i) => i.kind === 'ignored').map((i) => [i.messageType, i.reason]),
        [['ADT^A02', 'message type ADT^A02 is not supported by Steward; kept, not routed']],
      );
      // No event came of it, but it is about the PID's patient: the message says so for its receipt.
      assert.ok((journal.ignoredSubjects[0]?.identifiers.length ?? 0) >= 1, 'the PID-3 patient');
    });

    it('a journal failure is AE and nothing is stored; a resend then succeeds', async () => {
      journal.failNext = true;
      const ae = await client.send(withId('FAIL-1'));
      assert.equal(ae.code, 'AE');
      assert.ok(!(await journal.events(0, 1000)).some((e) => e.dedupKey === 'hl7:FAIL-1'));
      const retry = await client.send(withId('FAIL-1'));
      assert.equal(retry.code, 'AA');
      assert.ok((await journal.events(0, 1000)).some((e) => e.dedupKey === 'hl7:FAIL-1'));
    });

    it('frames split across chunks and several per chunk, stored in order', async () => {
      const ids = ['ORD-1', 'ORD-2', 'ORD-3', 'ORD-4', 'ORD-5'];
      const bytes = Buffer.concat(ids.map((id, i) => frameMllp(withId(id, `P${i % 2}`))));
      const acks = ids.map((id) => client.sendBytes(Buffer.alloc(0), id));
      // Deliver in uneven pieces: mid-frame cuts and several frames in one write.
      const cuts = [7, 300, bytes.length - 20, bytes.length];
      let from = 0;
      for (const cut of cuts) {
        client.write(bytes.subarray(from, cut));
        from = cut;
        await new Promise((r) => setTimeout(r, 10));
      }
      const results = await Promise.all(acks);
      assert.deepEqual(
        results.map((a) => [a.controlId, a.code]),
        ids.map((id) => [id, 'AA']),
      );
      const stored = (await journal.events(0, 1000))
        .filter((e) => e.dedupKey.startsWith('hl7:ORD-'))
        .map((e) => e.dedupKey);
      assert.deepEqual(
        stored,
        ids.map((id) => `hl7:${id}`),
      );
    });

    it('garbage between frames gets an AR and the next frame is still stored', async () => {
      const garbage = client.sendBytes(Buffer.from('noise'), '');
      const next = client.sendBytes(frameMllp(withId('AFTER-NOISE')), 'AFTER-NOISE');
      // The garbage is only detected when the next frame starts.
      const [g, n] = await Promise.all([garbage, next]);
      assert.equal(g.code, 'AR');
      assert.equal(g.text, 'bytes outside an MLLP frame were skipped');
      assert.equal(n.code, 'AA');
    });

    it('a client that disconnects mid-message loses only that message; others are unaffected', async () => {
      const quitter = await MllpClient.connect({ host: '127.0.0.1', port });
      quitter.write(frameMllp(withId('HALF-1')).subarray(0, 100));
      await quitter.close();
      const ack = await client.send(withId('AFTER-HALF'));
      assert.equal(ack.code, 'AA');
      assert.ok(!journal.receivedKeys.includes('HALF-1'));
    });
  });

describe('Hl7DecodePool', () => {
  it('decodes on a worker thread exactly as inline; once closed it refuses, and the intake decodes inline', async () => {
    const options = { mapContext: { connectionId: 'feed-1', facilityTimeZone: 'America/New_York' } };
    const pool = new Hl7DecodePool(2, options);
    const messages = [withId('POOL-1'), withId('POOL-2', 'OTHER'), 'not hl7 at all'];
    const onWorker = await Promise.all(messages.map((m) => pool.decode(m)));
    assert.deepEqual(
      onWorker,
      messages.map((m) => decodeHl7(m, options)),
    );
    assert.equal(onWorker[0]?.kind, 'message');
    assert.equal(onWorker[2]?.kind, 'unparseable');
    await pool.close();
    await assert.rejects(pool.decode(messages[0] ?? ''), /closed/);
  });

  it('a worker that cannot start is restarted a few times, then the pool refuses (the intake decodes inline)', async () => {
    const options = { mapContext: { connectionId: 'feed-1', facilityTimeZone: 'America/New_York' } };
    const broken = new Hl7DecodePool(1, options, new URL('./no-such-decode-worker.js', import.meta.url));
    for (let i = 0; i <= Hl7DecodePool.maxRestarts; i++) await assert.rejects(broken.decode(withId(`B-${i}`)));
    await assert.rejects(broken.decode(withId('B-last')), /keep failing/);
    await broken.close();
  });
});

describe('MllpListener close()', () => {
  it('drains in-flight work: the message being stored is still acknowledged', async () => {
    const journal = new GatedJournal();
    const listener = new MllpListener({
      connectionId: 'feed-2',
      facilityTimeZone: 'UTC',
      journal,
      host: '127.0.0.1',
      port: 0,
      maxMessageBytes: 65536,
    });
    const { port } = await listener.start();
    const client = await MllpClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
    journal.close();
    const ack = client.send(withId('DRAIN-1'));
    while (!journal.receivedKeys.includes('DRAIN-1')) await new Promise((r) => setTimeout(r, 5));
    const closed = listener.close();
    journal.release();
    assert.equal((await ack).code, 'AA');
    await closed;
    await client.close();
  });

  it('rejects a bad configuration with every problem at once', () => {
    assert.throws(
      () =>
        new MllpListener({
          connectionId: '',
          facilityTimeZone: 'Mars/Base',
          journal: new MemoryInboundJournal(),
          host: '127.0.0.1',
          port: 0,
          maxMessageBytes: 1,
        }),
      (err: Error & { code?: string; details?: { path?: string }[] }) =>
        err.code === 'CONFIG_INVALID' &&
        JSON.stringify(err.details?.map((d) => d.path)) === '["connectionId","facilityTimeZone","maxMessageBytes"]',
    );
  });
});
