import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Hl7Message } from '@medplum/core';
import { isStewardError } from '@steward/core';
import { mllpFeed } from './mllp-feed.js';

/** A minimal MLLP peer on 127.0.0.1: frames are VT … FS CR; answers each with an ACK of the given code. */
async function peer(code: 'AA' | 'AE'): Promise<{ port: number; received: string[]; close: () => Promise<void> }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let end: number;
      while ((end = buf.indexOf('\x1c\r')) >= 0) {
        const frame = buf.slice(buf.indexOf('\x0b') + 1, end);
        buf = buf.slice(end + 2);
        received.push(frame);
        const ack = Hl7Message.parse(frame).buildAck();
        ack.getSegment('MSA')?.setField(1, code);
        socket.write(`\x0b${ack.toString()}\x1c\r`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const message = [
  'MSH|^~\\&|SANDBOX_EHR|SANDBOX_CLINIC|STEWARD|STEWARD|20240311080000-0400||ADT^A04^ADT_A04|S1|P|2.5.1',
  'EVN|A04|20240311080000-0400',
  'PID|1||X^^^^MR',
].join('\r');

describe('mllpFeed', () => {
  it('delivers a message and resolves on an accepting ACK', async () => {
    const p = await peer('AA');
    const feed = mllpFeed('127.0.0.1', p.port);
    try {
      await feed.send(message);
      assert.equal(p.received.length, 1);
      assert.equal(Hl7Message.parse(p.received[0]!).header.getField(10).toString(), 'S1');
    } finally {
      await feed.close();
      await p.close();
    }
  });

  it('fails with EHR_UNAVAILABLE when the peer rejects the message', async () => {
    const p = await peer('AE');
    const feed = mllpFeed('127.0.0.1', p.port);
    try {
      await assert.rejects(feed.send(message), (e) => isStewardError(e) && e.code === 'EHR_UNAVAILABLE');
    } finally {
      await feed.close();
      await p.close();
    }
  });
});
