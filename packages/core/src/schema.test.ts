import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStewardError } from './errors.js';
import { s, type Infer } from './schema.js';

const outcome = s.object({
  proposalId: s.string(),
  status: s.literal('conflicted', 'failed'),
  code: s.nullable(s.string()).optional(),
  attempts: s.array(s.number({ integer: true })).optional(),
});

describe('schema', () => {
  it('parses a fitting value and types it', () => {
    const v: Infer<typeof outcome> = outcome.parse({ proposalId: 'p1', status: 'failed', code: null });
    assert.equal(v.status, 'failed');
    assert.equal(v.code, null);
  });

  it('keeps fields it does not declare (an older reader of a newer payload)', () => {
    assert.deepEqual(outcome.parse({ proposalId: 'p', status: 'conflicted', extra: 1 }), {
      proposalId: 'p',
      status: 'conflicted',
      extra: 1,
    });
  });

  it('lists every problem by path, never the value', () => {
    try {
      outcome.parse({ status: 'MRN-123', attempts: [1, 1.5] }, 'signal');
      assert.fail('parsed');
    } catch (e) {
      assert.ok(isStewardError(e));
      assert.equal(e.code, 'VALIDATION_FAILED');
      assert.equal(e.message, 'the signal is not valid');
      assert.deepEqual(
        e.details.map((d) => d.path),
        ['/proposalId', '/status', '/attempts/1'],
      );
      assert.ok(!JSON.stringify(e.details).includes('MRN-123'));
    }
  });

  it('checks strings, records and nulls', () => {
    const key = s.string({ pattern: /^[a-z]+$/, maxLength: 3 });
    assert.equal(key.is('abc'), true);
    assert.equal(key.is('abcd'), false);
    assert.equal(key.is('AB'), false);
    assert.equal(s.record(s.boolean()).is({ a: true, b: false }), true);
    assert.equal(s.record(s.boolean()).is({ a: 1 }), false);
    assert.equal(s.nullable(s.string()).is(null), true);
    assert.equal(s.object({}).is([]), false);
    assert.equal(s.unknown().is(undefined), true);
  });
});

describe('schema json', () => {
  it('accepts JSON and refuses what jsonb would not keep', () => {
    assert.equal(s.json().is({ a: [1, 'x', null, { b: true }] }), true);
    assert.equal(s.json().is({ a: new Date() }), false);
    assert.equal(s.json().is({ a: Number.NaN }), false);
    assert.equal(
      s.json().is(() => 1),
      false,
    );
  });
});
