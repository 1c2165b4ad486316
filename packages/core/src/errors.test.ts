import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorCodes, NotFoundError, OperationalError, toStewardError, ValidationError } from './errors.js';

describe('errors', () => {
  it('docs/errors.md documents every code with its HTTP status and exit code', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    for (const [code, { status, exit }] of Object.entries(errorCodes)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
      assert.ok(row !== undefined, `${code} is not documented`);
      const cells = row.split('|').map((c) => c.trim());
      assert.equal(Number(cells[3]), status, `${code}: HTTP status in the doc`);
      assert.equal(Number(cells[4]), exit, `${code}: exit code in the doc`);
    }
  });

  it('says whether a retry makes sense', () => {
    assert.equal(new ValidationError('x').retryable, false);
    assert.equal(new OperationalError('AUDIT_UNAVAILABLE', 'x').retryable, true);
    assert.equal(new NotFoundError('Patient').status, 404);
  });

  it('wraps foreign errors without putting their message in its own', () => {
    const e = toStewardError(new Error('duplicate key value (mrn)=(MRN-123)'));
    assert.equal(e.code, 'INTERNAL');
    assert.ok(!e.message.includes('MRN-123'));
  });
});
