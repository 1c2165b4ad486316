import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { frameMllp, MllpDecoder, type MllpDecodeResult } from './mllp.js';

const show = (rs: MllpDecodeResult[]) =>
  rs.map((r) => (r.kind === 'frame' ? r.payload.toString('utf8') : `error: ${r.reason}`));

describe('MllpDecoder', () => {
  it('decodes several frames in one chunk', () => {
    const d = new MllpDecoder(1000);
    assert.deepEqual(show(d.push(Buffer.concat([frameMllp('A'), frameMllp('B'), frameMllp('C')]))), ['A', 'B', 'C']);
  });

  it('decodes a frame split at every possible byte, including between FS and CR', () => {
    const bytes = Buffer.concat([frameMllp('MSH|one'), frameMllp('MSH|two')]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new MllpDecoder(1000);
      const out = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
      assert.deepEqual(show(out), ['MSH|one', 'MSH|two'], `cut at ${cut}`);
    }
  });

  it('reports garbage between frames once and keeps the next frame', () => {
    const d = new MllpDecoder(1000);
    const out = d.push(Buffer.concat([Buffer.from('junk'), frameMllp('A'), Buffer.from('\r\n'), frameMllp('B')]));
    assert.deepEqual(show(out), ['error: bytes outside an MLLP frame were skipped', 'A', 'B']);
  });

  it('rejects an oversized message once and recovers', () => {
    const d = new MllpDecoder(10);
    const out = [
      ...d.push(frameMllp('x'.repeat(11)).subarray(0, 8)),
      ...d.push(frameMllp('x'.repeat(11)).subarray(8)),
      ...d.push(frameMllp('ok')),
    ];
    assert.deepEqual(show(out), ['error: message exceeds the 10-byte limit', 'ok']);
  });

  it('a restart inside a frame gives one frame, the restarted message, never an extra error', () => {
    const d = new MllpDecoder(1000);
    const out = d.push(Buffer.concat([Buffer.from([0x0b]), Buffer.from('MSH|lost'), frameMllp('MSH|kept')]));
    assert.deepEqual(show(out), ['MSH|kept']);
    assert.match((out[0] as { notice?: string }).notice ?? '', /restarted/);
    assert.equal(d.partial, false);
  });

  it('a restart does not count the abandoned first try against the size limit', () => {
    const d = new MllpDecoder(20);
    const out = d.push(
      Buffer.concat([Buffer.from([0x0b]), Buffer.from('MSH|' + 'x'.repeat(15)), frameMllp('MSH|kept')]),
    );
    assert.deepEqual(show(out), ['MSH|kept']);
  });

  it('a stray start byte inside a message is removed and the whole message kept, split anywhere', () => {
    const bytes = Buffer.concat([frameMllp('MSH|a\rOBX|1|x\x0by'), frameMllp('MSH|b')]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new MllpDecoder(1000);
      const out = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
      assert.deepEqual(show(out), ['MSH|a\rOBX|1|xy', 'MSH|b'], `cut at ${cut}`);
    }
  });

  it('releases the unfinished message on reset', () => {
    const d = new MllpDecoder(1000);
    d.push(frameMllp('abcdef').subarray(0, 5));
    assert.equal(d.bufferedBytes, 4);
    d.reset();
    assert.equal(d.bufferedBytes, 0);
    assert.equal(d.partial, false);
  });

  it('knows when a frame is incomplete', () => {
    const d = new MllpDecoder(1000);
    d.push(frameMllp('abc').subarray(0, 3));
    assert.equal(d.partial, true);
  });
});
