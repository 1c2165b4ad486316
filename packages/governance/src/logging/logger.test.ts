import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { OperationalError, ValidationError } from '@steward/core';
import { createLogger, serializeError } from './logger.js';

describe('error serialization in logs', () => {
  it("keeps Steward's own messages and codes, drops foreign messages, follows the cause chain", () => {
    const root = new Error('duplicate key value (mrn)=(MRN-4711)');
    const mid = new TypeError('cannot read patient Jane', { cause: root });
    const top = new OperationalError('STORE_UNAVAILABLE', 'the store did not answer', [], { cause: mid });
    const s = serializeError(top);
    assert.equal(s['type'], 'OperationalError');
    assert.equal(s['code'], 'STORE_UNAVAILABLE');
    assert.equal(s['message'], 'the store did not answer');
    const c1 = s['cause'] as Record<string, unknown>;
    const c2 = c1['cause'] as Record<string, unknown>;
    assert.deepEqual(
      [c1['type'], c1['message'], c2['type'], c2['message']],
      ['TypeError', undefined, 'Error', undefined],
    );
    assert.doesNotMatch(JSON.stringify(s), /MRN-4711|Jane/);
  });

  it('stops a cause chain that loops', () => {
    const a = new ValidationError('bad input');
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b });
    let depth = 0;
    for (let s: Record<string, unknown> | undefined = serializeError(a); s !== undefined; depth++)
      s = s['cause'] as Record<string, unknown> | undefined;
    assert.ok(depth <= 6, `depth ${depth}`);
  });

  it('the logger writes the serialized error under err', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.error({ err: new Error('secret 123-45-6789', { cause: new RangeError('x') }) }, 'failed');
    const entry = JSON.parse(lines.join('')) as { err: { type: string; message?: string; cause: { type: string } } };
    assert.equal(entry.err.type, 'Error');
    assert.equal(entry.err.message, undefined);
    assert.equal(entry.err.cause.type, 'RangeError');
  });
});
