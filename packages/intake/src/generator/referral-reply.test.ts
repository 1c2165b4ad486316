import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consultNoteFax } from './referral-reply.js';

const input = {
  seed: 19,
  patient: { given: 'Ana', family: 'Rivera', birthDate: '1984-03-09', mrn: 'MR-4471' },
  from: { given: 'Ines', family: 'Valve', clinic: 'Brookfield Heart Clinic', specialty: 'Cardiology' },
  to: { given: 'Ada', family: 'Hart' },
  date: '2026-12-04',
};
const pages = (pdf: Uint8Array): number =>
  (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type \/Page\b/g) ?? []
  ).length;

describe('a consult note for a referral', () => {
  it('is the same file for the same input, and without its signature page one page shorter', async () => {
    const whole = await consultNoteFax(input);
    assert.deepEqual(Buffer.from(await consultNoteFax(input)), Buffer.from(whole), 'deterministic');
    const partial = await consultNoteFax({ ...input, withoutSignaturePage: true });
    assert.deepEqual([pages(whole), pages(partial)], [2, 1]);
    assert.notDeepEqual(Buffer.from(partial), Buffer.from(whole));
  });
});
