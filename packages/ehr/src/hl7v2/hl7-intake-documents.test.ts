import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '@steward/core';
import { MemoryInboundJournal } from '../inbound/index.js';
import { Hl7Intake } from './hl7-intake.js';

const mdm = (control: string): Buffer =>
  Buffer.from(
    [
      `MSH|^~\\&|EPIC|NORTH|STEWARD|NORTH|20261207103000||MDM^T02^MDM_T02|${control}|P|2.5.1`,
      'EVN|T02|20261207103000',
      'PID|1||MR-4471^^^NORTH^MR||Rivera^Ana||19840309|F',
      'TXA|1|CN|AP|20261207||||||||DOC-1|||||AU',
      'OBX|1|ED|18842-5^Consult note^LN||EPIC^AP^PDF^Base64^JVBERi0xLjQK||||||F',
    ].join('\r'),
  );

describe('HL7 intake hands filed MDM messages to the documents hook', () => {
  it('calls it once per stored MDM, never for other types, and ACKs AA even when the hook fails', async () => {
    const heard: string[] = [];
    let fail = false;
    const intake = new Hl7Intake({
      connectionId: 'c1',
      journal: new MemoryInboundJournal(),
      mapContext: { connectionId: 'c1', facilityTimeZone: 'America/New_York' },
      clock: systemClock,
      documents: (raw) => {
        if (fail) return Promise.reject(new Error('intake down'));
        heard.push(raw);
        return Promise.resolve();
      },
    });
    assert.match(await intake.frame(mdm('M1')), /MSA\|AA\|M1/);
    assert.equal(heard.length, 1);
    assert.match(heard[0] ?? '', /OBX\|1\|ED/);
    const adt = Buffer.from(
      'MSH|^~\\&|EPIC|NORTH|STEWARD|NORTH|20261207103000||ADT^A08|A1|P|2.5.1\rEVN|A08|20261207103000\rPID|1||MR-1^^^NORTH^MR||Doe^J||19800101|F',
    );
    await intake.frame(adt);
    assert.equal(heard.length, 1, 'an ADT is not a document');
    fail = true;
    assert.match(await intake.frame(mdm('M2')), /MSA\|AA\|M2/);
  });
});
