import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { inQuietHours, instantOf, nextAllowed, planReminders } from './reminder-schedule.js';

const zone = 'America/New_York';
const quiet = { start: '20:00', end: '08:00' };

describe('reminder schedule', () => {
  it('keeps the wall-clock time across both DST changes', () => {
    const spring = planReminders({
      start: '2026-03-10T14:00:00-04:00',
      now: new Date('2026-02-01T00:00:00Z'),
      offsetsDays: [1, 7],
      sendAt: '10:00',
      zone,
      quiet,
    });
    assert.deepEqual(
      spring.map((r) => [r.offsetDays, r.dueAt]),
      [
        [7, '2026-03-03T15:00:00.000Z'],
        [1, '2026-03-09T14:00:00.000Z'],
      ],
    );
    const fall = planReminders({
      start: '2026-11-05T10:00:00-05:00',
      now: new Date('2026-10-01T00:00:00Z'),
      offsetsDays: [7, 1],
      sendAt: '10:00',
      zone,
      quiet,
    });
    assert.deepEqual(
      fall.map((r) => r.dueAt),
      ['2026-10-29T14:00:00.000Z', '2026-11-04T15:00:00.000Z'],
    );
  });

  it('moves a send time inside quiet hours to their end, and catches up only the last passed reminder', () => {
    const late = planReminders({
      start: '2026-06-10T15:00:00-04:00',
      now: new Date('2026-05-01T00:00:00Z'),
      offsetsDays: [2],
      sendAt: '21:30',
      zone,
      quiet,
    });
    assert.deepEqual(
      late.map((r) => r.dueAt),
      ['2026-06-09T12:00:00.000Z'],
      '08:00 EDT the next morning',
    );
    const early = planReminders({
      start: '2026-06-10T15:00:00-04:00',
      now: new Date('2026-05-01T00:00:00Z'),
      offsetsDays: [1],
      sendAt: '06:00',
      zone,
      quiet,
    });
    assert.deepEqual(
      early.map((r) => r.dueAt),
      ['2026-06-09T12:00:00.000Z'],
      '08:00 the same morning',
    );
    // Booked at 23:30 for 09:00 tomorrow: the 7-day one is skipped, the 1-day one waits for 08:00.
    const rushed = planReminders({
      start: '2026-06-10T09:00:00-04:00',
      now: new Date('2026-06-10T03:30:00Z'),
      offsetsDays: [7, 1],
      sendAt: '10:00',
      zone,
      quiet,
    });
    assert.deepEqual(
      rushed.map((r) => [r.offsetDays, r.dueAt]),
      [[1, '2026-06-10T12:00:00.000Z']],
    );
    // Booked at 08:30 for 09:00: the catch-up would be at once, before the start.
    const now = planReminders({
      start: '2026-06-10T09:00:00-04:00',
      now: new Date('2026-06-10T12:30:00Z'),
      offsetsDays: [1],
      sendAt: '10:00',
      zone,
      quiet: null,
    });
    assert.deepEqual(
      now.map((r) => r.when),
      [{ at: '2026-06-10T12:30:00.000Z' }],
    );
  });

  it('never schedules a reminder inside quiet hours or at or after the start (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
        fc.integer({ min: 1, max: 60 * 24 * 20 }),
        fc.subarray([0, 1, 2, 3, 7, 14], { minLength: 1 }),
        fc.constantFrom('06:00', '10:00', '19:59', '20:00', '23:30'),
        fc.constantFrom('America/New_York', 'Europe/London', 'Australia/Sydney'),
        (nowMs, leadMinutes, offsets, sendAt, z) => {
          const start = new Date(nowMs + leadMinutes * 60_000);
          for (const r of planReminders({
            start: start.toISOString(),
            now: new Date(nowMs),
            offsetsDays: offsets,
            sendAt,
            zone: z,
            quiet,
          })) {
            const at = instantOf(r.when);
            assert.ok(at.getTime() < start.getTime());
            assert.ok(at.getTime() >= nowMs);
            assert.deepEqual(nextAllowed(at, z, quiet), { at: at.toISOString() }, 'not in quiet hours');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads quiet hours that wrap past midnight and ones that do not', () => {
    assert.equal(inQuietHours(21 * 60, quiet), true);
    assert.equal(inQuietHours(7 * 60 + 59, quiet), true);
    assert.equal(inQuietHours(8 * 60, quiet), false);
    assert.equal(inQuietHours(13 * 60, { start: '12:00', end: '14:00' }), true);
    assert.equal(inQuietHours(14 * 60, { start: '12:00', end: '14:00' }), false);
  });
});
