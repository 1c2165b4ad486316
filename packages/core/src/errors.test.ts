import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  errorCodes,
  errorInfo,
  NotFoundError,
  OperationalError,
  toStewardError,
  UnexpectedError,
  UserError,
  ValidationError,
} from './errors.js';

describe('errors', () => {
  it('docs/errors.md documents every code with its cause, HTTP status and exit code, and no other', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    for (const [code, { cause, status, exit }] of Object.entries(errorCodes)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
      assert.ok(row !== undefined, `${code} is not documented`);
      const cells = row.split('|').map((c) => c.trim());
      assert.equal(cells[2], cause, `${code}: cause in the doc`);
      assert.equal(Number(cells[3]), status, `${code}: HTTP status in the doc`);
      assert.equal(Number(cells[4]), exit, `${code}: exit code in the doc`);
    }
    const documented = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented.sort(), Object.keys(errorCodes).sort(), 'the doc lists exactly the table');
  });

  it('retries only what the doc says may pass: operational causes, and every one of them', () => {
    for (const [code, { cause, retryable }] of Object.entries(errorCodes))
      assert.equal(retryable, cause === 'operational', `${code}: retryable`);
  });

  it("an error carries its code's row: cause, retryability, status, exit code", () => {
    const errors = [
      new UserError('EHR_REJECTED', 'x'),
      new OperationalError('EHR_OUTCOME_UNKNOWN', 'x'),
      new UnexpectedError('x'),
      new NotFoundError('Patient'),
    ];
    for (const e of errors) {
      const row = errorInfo(e.code);
      assert.equal(e.category, row.cause, e.code);
      assert.equal(e.retryable, row.retryable, e.code);
      assert.equal(e.status, row.status, e.code);
      assert.equal(e.exitCode, row.exit, e.code);
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
