import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, ClinicZone } from './clinic-time.js';
import { SeededRandom } from './prng.js';

describe('ClinicZone', () => {
  const ny = new ClinicZone('America/New_York');
  it('knows the offset on both sides of the March 2024 DST change', () => {
    assert.equal(ny.offsetMinutes(Date.parse('2024-03-08T15:00:00Z')), -300);
    assert.equal(ny.offsetMinutes(Date.parse('2024-03-11T15:00:00Z')), -240);
  });
  it('turns a local wall time into the right instant across DST', () => {
    assert.equal(new Date(ny.instant({ year: 2024, month: 3, day: 8 }, 8)).toISOString(), '2024-03-08T13:00:00.000Z');
    assert.equal(new Date(ny.instant({ year: 2024, month: 3, day: 11 }, 8)).toISOString(), '2024-03-11T12:00:00.000Z');
    assert.equal(
      new Date(ny.instant({ year: 2024, month: 11, day: 4 }, 8, 30)).toISOString(),
      '2024-11-04T13:30:00.000Z',
    );
  });
  it('formats FHIR and HL7 times with an explicit offset', () => {
    const t = Date.parse('2024-03-11T12:00:00Z');
    assert.equal(ny.fhir(t), '2024-03-11T08:00:00-04:00');
    assert.equal(ny.hl7(t), '20240311080000-0400');
    assert.equal(new ClinicZone('UTC').fhir(t), '2024-03-11T12:00:00+00:00');
    assert.equal(new ClinicZone('Asia/Kolkata').hl7(t), '20240311173000+0530');
  });
  it('adds calendar days over month ends', () => {
    assert.deepEqual(addDays({ year: 2024, month: 2, day: 28 }, 2), { year: 2024, month: 3, day: 1 });
  });
});

describe('SeededRandom (mulberry32)', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = new SeededRandom('x');
    const b = new SeededRandom('x');
    const c = new SeededRandom('y');
    const sa = Array.from({ length: 20 }, () => a.next());
    assert.deepEqual(
      sa,
      Array.from({ length: 20 }, () => b.next()),
    );
    assert.notDeepEqual(
      sa,
      Array.from({ length: 20 }, () => c.next()),
    );
  });
  it('matches the reference mulberry32 output for state 0', () => {
    // Reference: the first output of mulberry32(0) is 0x6d2b79f5 mixed → 1144304738 / 2^32.
    assert.equal(Math.round(new SeededRandom(0).next() * 4294967296), 1144304738);
  });
  it('stays in range', () => {
    const r = new SeededRandom('range');
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 7);
      assert.ok(n >= 3 && n <= 7 && Number.isInteger(n));
      const f = r.next();
      assert.ok(f >= 0 && f < 1);
    }
  });
});
