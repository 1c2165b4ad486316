import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { MemoryInboundJournal } from '../inbound/index.js';
import { MllpListener, type MllpListenerConfig } from './mllp-listener.js';
import { frameMllp, MllpDecoder, VT } from './mllp.js';
import { hl7Fixture, segmentsOf, withField } from './test-fixtures.js';

/** Feeds as real senders drive them: reused control ids, stray start bytes, batches, routing, sender checks. */

const fixture = (path: string): string => segmentsOf(hl7Fixture(path)).join('\r');
const siu = fixture('fhir-converter/SIU-S12-01.hl7');
const adtA08 = fixture('fhir-converter/ADT-A08-01.hl7');
const adtA01 = fixture('fhir-converter/ADT-A01-01.hl7');
const adtA02 = fixture('fhir-converter/ADT-A02-01.hl7');
const msa = (ack: string): string[] => (ack.split('\r').find((s) => s.startsWith('MSA|')) ?? '').split('|');

/** Opens a listener on an ephemeral loopback port. */
async function open(overrides: Partial<MllpListenerConfig> = {}) {
  const journal = new MemoryInboundJournal();
  const listener = new MllpListener({
    connectionId: 'feed-9',
    facilityTimeZone: 'America/New_York',
    journal,
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: 64 * 1024,
    ...overrides,
  });
  const { port } = await listener.start();
  return { journal, listener, port };
}

/**
 * Writes bytes on a fresh connection and collects every reply frame until `expected` arrived and
 * then `settleMs` passed with nothing more (so an extra ACK would be seen), or the socket closed.
 */
function exchange(port: number, bytes: Buffer, expected: number, settleMs = 150): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const decoder = new MllpDecoder(1 << 20);
    const frames: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(frames);
    };
    socket.on('data', (chunk: Buffer) => {
      for (const r of decoder.push(chunk)) if (r.kind === 'frame') frames.push(r.payload.toString('utf8'));
      if (frames.length >= expected) {
        clearTimeout(timer);
        timer = setTimeout(finish, settleMs);
      }
    });
    socket.on('close', finish);
    socket.on('error', reject);
    socket.write(bytes);
  });
}

describe('a feed that reuses control ids loses nothing', () => {
  it('N different messages in (daily counter reset, ids reused across types), N outcomes visible', async () => {
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const logger = {
      info: () => undefined,
      warn: (fields: Record<string, unknown>, message: string) => void warnings.push({ fields, message }),
    };
    const { journal, listener, port } = await open({ logger });
    after(() => listener.close());
    // Day 1: ids 1..3; day 2 the counter starts again at 1 with other messages; id 1 is also used
    // for an unrouted type (ADT^A02). Plus two true resends, which must not count twice.
    const day1 = [withField(siu, 'MSH', 10, '1'), withField(adtA08, 'MSH', 10, '2'), withField(adtA01, 'MSH', 10, '3')];
    const day2 = [
      withField(withField(adtA08, 'MSH', 10, '1'), 'MSH', 7, '20270102080000'),
      withField(withField(siu, 'MSH', 10, '2'), 'SCH', 1, 'OTHER-APPT'),
      withField(withField(adtA01, 'MSH', 10, '3'), 'MSH', 7, '20270102090000'),
      withField(adtA02, 'MSH', 10, '1'),
    ];
    const different = [...day1, ...day2];
    const sent = [...day1, day1[0]!, ...day2, day2[1]!]; // two resends among them
    const acks = await exchange(port, Buffer.concat(sent.map((m) => frameMllp(m))), sent.length);
    assert.equal(acks.length, sent.length, 'one ACK per message');
    assert.deepEqual(
      acks.map((a) => msa(a).slice(1, 3)),
      sent.map((m) => ['AA', m.split('\r')[0]!.split('|')[9]]),
    );

    const list = await journal.attention();
    const events = await journal.events(0, 1000);
    // Every different message has its outcome: stored with events, flagged, or ignored.
    // An event's dedup key is hl7:<MSH-10>[:<n>][#<content hash> when the id was reused]: one message each.
    const storedIds = new Set(
      events.map((e) => {
        const m = /^hl7:([^:#]+)(?::\d+)?(#.*)?$/.exec(e.dedupKey);
        return `${m?.[1]}${m?.[2] ?? ''}`;
      }),
    );
    assert.equal(list.counts.ignored, 1, 'the unrouted type is kept as ignored');
    assert.equal(list.counts.controlIdReused, 4, 'every reuse with other content is flagged for a person');
    assert.equal(storedIds.size + list.counts.ignored, different.length, `${different.length} outcomes`);
    assert.equal(list.counts.deadLetter, 0);
    // The alert: one warn line per reuse, naming the connection and type, never content or the control id.
    const alerts = warnings.filter((w) => w.message.startsWith('hl7 control id reused'));
    assert.equal(alerts.length, 4);
    assert.deepEqual(Object.keys(alerts[0]!.fields).sort(), ['connectionId', 'messageId', 'messageType']);
    assert.ok(!JSON.stringify(warnings).includes('PATID1234'));
    assert.deepEqual(
      list.items.map((i) => [i.kind, i.messageType]),
      [
        ['control-id-reused', 'ADT^A08'],
        ['control-id-reused', 'SIU^S12'],
        ['control-id-reused', 'ADT^A01'],
        ['control-id-reused', 'ADT^A02'],
      ],
    );
  });
});

describe('MLLP framing as real senders get it wrong', () => {
  it('a stray start byte inside a frame: exactly one ACK per frame, MSA-2 echoed, never two', async () => {
    const { journal, listener, port } = await open();
    after(() => listener.close());
    const restart = Buffer.concat([
      Buffer.from([VT]),
      Buffer.from(withField(siu, 'MSH', 10, 'VT-1').slice(0, 80)), // the first try, cut off
      frameMllp(withField(siu, 'MSH', 10, 'VT-1')),
    ]);
    const stray = frameMllp(withField(siu, 'MSH', 10, 'VT-2').replace('NTE|', `NTE|${String.fromCharCode(VT)}`));
    const acks = await exchange(port, Buffer.concat([restart, stray]), 2, 300);
    assert.equal(acks.length, 2);
    assert.deepEqual(
      acks.map((a) => msa(a).slice(1, 3)),
      [
        ['AA', 'VT-1'],
        ['AA', 'VT-2'],
      ],
    );
    assert.equal((await journal.attention()).counts.deadLetter, 0);
  });
});

describe('HL7 batches (FHS/BHS … BTS/FTS)', () => {
  it('processes each message on its own and answers one response batch with one ACK per message', async () => {
    const { journal, listener, port } = await open();
    after(() => listener.close());
    const batch = [
      'FHS|^~\\&|LAB|NORTH|STEWARD|NORTH|20260101120000||||F-77',
      'BHS|^~\\&|LAB|NORTH|STEWARD|NORTH|20260101120000||||B-77',
      withField(siu, 'MSH', 10, 'B-1'),
      withField(withField(siu, 'MSH', 10, 'B-2'), 'MSH', 12, 'X'), // cannot be parsed
      withField(adtA02, 'MSH', 10, 'B-3'), // a type Steward does not route
      'BTS|3',
      'FTS|1',
    ].join('\r');
    const [reply, extra] = await exchange(port, frameMllp(batch), 1);
    assert.equal(extra, undefined, 'one reply frame for the batch');
    const segs = reply!.split('\r');
    assert.deepEqual(
      segs.map((s) => s.slice(0, 3)),
      ['FHS', 'BHS', 'MSH', 'MSA', 'MSH', 'MSA', 'ERR', 'MSH', 'MSA', 'BTS', 'FTS'],
    );
    assert.equal(segs[1]!.split('|')[11], 'B-77', 'BHS-12 names the batch acknowledged');
    assert.deepEqual(
      segs.filter((s) => s.startsWith('MSA|')).map((s) => s.split('|').slice(1, 3)),
      [
        ['AA', 'B-1'],
        ['AR', 'B-2'],
        ['AA', 'B-3'],
      ],
    );
    assert.equal(segs[9], 'BTS|3');
    const list = await journal.attention();
    assert.deepEqual([list.counts.deadLetter, list.counts.ignored], [1, 1]);
    assert.ok((await journal.events(0, 100)).some((e) => e.dedupKey === 'hl7:B-1'));
  });

  it('refuses an envelope with no message with a reason that names the batch; reports a wrong count', async () => {
    const { journal, listener, port } = await open();
    after(() => listener.close());
    const [empty] = await exchange(port, frameMllp('BHS|^~\\&|LAB|NORTH|||20260101||||B-1\rBTS|0'), 1);
    assert.deepEqual(msa(empty!).slice(0, 2), ['MSA', 'AR']);
    assert.match(msa(empty!)[3] ?? '', /^batch \(FHS\/BHS\) contains no message$/);
    assert.equal((await journal.deadLetters())[0]?.reason, 'batch (FHS/BHS) contains no message');
    const [miscounted] = await exchange(
      port,
      frameMllp(`BHS|^~\\&|LAB|NORTH|||20260101||||B-2\r${withField(siu, 'MSH', 10, 'C-1')}\rBTS|2`),
      1,
    );
    assert.match(miscounted!, /\rBTS\|1\|batch trailer \(BTS-1\) counts 2 messages, 1 found$/);
  });
});

describe('per-connection routing and sender checks', () => {
  it('a type the connection does not route is AA and kept as ignored, with a reason naming the setting', async () => {
    const { journal, listener, port } = await open({ routing: { route: ['SIU'], ignore: ['SIU^S26'] } });
    after(() => listener.close());
    const acks = await exchange(
      port,
      Buffer.concat([
        frameMllp(withField(adtA08, 'MSH', 10, 'R-1')),
        frameMllp(withField(withField(siu, 'MSH', 10, 'R-2'), 'MSH', 9, 'SIU^S26^SIU_S12')),
        frameMllp(withField(siu, 'MSH', 10, 'R-3')),
      ]),
      3,
    );
    assert.deepEqual(
      acks.map((a) => msa(a)[1]),
      ['AA', 'AA', 'AA'],
    );
    const list = await journal.attention();
    assert.deepEqual(
      list.items.map((i) => [i.kind, i.reason]),
      [
        ['ignored', 'message type ADT^A08 is not routed on this connection; kept, not routed'],
        ['ignored', 'message type SIU^S26 is ignored on this connection; kept, not routed'],
      ],
    );
    assert.equal((await journal.events(0, 100)).length, 1);
    assert.throws(() => new MllpListener({ ...baseConfig(), routing: { route: ['adt-a01'] } }), {
      code: 'CONFIG_INVALID',
    });
  });

  it('a sending application or facility the connection does not allow is refused (AR) onto the dead-letter list', async () => {
    const { journal, listener, port } = await open({
      senders: { sendingApplications: ['SCHApp'], sendingFacilities: ['NOPE'] },
    });
    after(() => listener.close());
    const [ack] = await exchange(port, frameMllp(withField(siu, 'MSH', 10, 'S-1')), 1);
    assert.deepEqual(msa(ack!).slice(1, 4), [
      'AR',
      'S-1',
      'MSH-4 (sending facility) is not allowed on this connection',
    ]);
    assert.match(ack!, /\rERR\|\|\|103\^\^HL70357\|E/);
    assert.equal((await journal.deadLetters()).length, 1);
    assert.equal((await journal.events(0, 10)).length, 0);
  });
});

function baseConfig(): MllpListenerConfig {
  return {
    connectionId: 'feed-9',
    facilityTimeZone: 'America/New_York',
    journal: new MemoryInboundJournal(),
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: 64 * 1024,
  };
}
