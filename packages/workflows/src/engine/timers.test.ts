import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextWallClock, resolveLocal, resolveTimer } from './timers.js';

const NY = 'America/New_York';
const iso = (d: Date): string => d.toISOString();

describe('timers keep wall-clock time across DST (America/New_York)', () => {
  it('resolves ordinary local times by the offset in force that day', () => {
    assert.equal(iso(resolveLocal({ date: '2026-03-07', time: '09:00', zone: NY })), '2026-03-07T14:00:00.000Z');
    assert.equal(iso(resolveLocal({ date: '2026-03-09', time: '09:00', zone: NY })), '2026-03-09T13:00:00.000Z');
    assert.equal(iso(resolveLocal({ date: '2026-11-02', time: '09:00:30', zone: NY })), '2026-11-02T14:00:30.000Z');
  });

  it('moves a time in the spring-forward gap forward by the gap (02:30 → 03:30 EDT)', () => {
    assert.equal(iso(resolveLocal({ date: '2026-03-08', time: '02:30', zone: NY })), '2026-03-08T07:30:00.000Z');
    assert.equal(iso(resolveLocal({ date: '2026-03-08', time: '03:00', zone: NY })), '2026-03-08T07:00:00.000Z');
  });

  it('takes the first occurrence of a time in the fall-back overlap (01:30 EDT, not EST)', () => {
    assert.equal(iso(resolveLocal({ date: '2026-11-01', time: '01:30', zone: NY })), '2026-11-01T05:30:00.000Z');
    assert.equal(iso(resolveLocal({ date: '2026-11-01', time: '02:00', zone: NY })), '2026-11-01T07:00:00.000Z');
  });

  it('adds calendar days in a zone (09:00 stays 09:00), or exact hours without one', () => {
    const before = new Date('2026-03-07T14:00:00Z'); // 09:00 EST
    assert.equal(iso(resolveTimer({ after: { days: 1 }, zone: NY }, before)), '2026-03-08T13:00:00.000Z'); // 09:00 EDT
    assert.equal(iso(resolveTimer({ after: { days: 1 } }, before)), '2026-03-08T14:00:00.000Z'); // 10:00 EDT
    const fall = new Date('2026-10-31T13:00:00Z'); // 09:00 EDT
    assert.equal(iso(resolveTimer({ after: { days: 1, hours: 2 }, zone: NY }, fall)), '2026-11-01T16:00:00.000Z');
    // A day added from 02:30 the day before lands in the gap and moves forward.
    const gapEve = new Date('2026-03-07T07:30:00Z'); // 02:30 EST
    assert.equal(iso(resolveTimer({ after: { days: 1 }, zone: NY }, gapEve)), '2026-03-08T07:30:00.000Z');
  });

  it('finds the next daily 09:00 across both changes', () => {
    const days: string[] = [];
    let t = new Date('2026-03-06T15:00:00Z');
    for (let i = 0; i < 3; i++) days.push(iso((t = nextWallClock(t, '09:00', NY))));
    assert.deepEqual(days, ['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z']);
    t = new Date('2026-10-31T14:00:00Z');
    assert.equal(iso(nextWallClock(t, '09:00', NY)), '2026-11-01T14:00:00.000Z');
    // An instant strictly after: at 09:00 exactly, the next is tomorrow's.
    assert.equal(iso(nextWallClock(new Date('2026-11-01T14:00:00Z'), '09:00', NY)), '2026-11-02T14:00:00.000Z');
  });

  it('refuses unknown zones and malformed times, naming the field only', () => {
    assert.throws(() => resolveLocal({ date: '2026-03-08', time: '09:00', zone: 'Mars/Base' }), {
      code: 'VALIDATION_FAILED',
    });
    assert.throws(() => resolveLocal({ date: '2026-3-8', time: '09:00', zone: NY }), { code: 'VALIDATION_FAILED' });
    assert.throws(() => resolveLocal({ date: '2026-02-30', time: '09:00', zone: NY }), { code: 'VALIDATION_FAILED' });
    assert.throws(() => resolveTimer({ at: 'tomorrow' }, new Date()), { code: 'VALIDATION_FAILED' });
  });
});
