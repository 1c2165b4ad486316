import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deliverableAt, inQuietHours } from './quiet-hours.js';

const quiet = { start: '20:00', end: '08:00' };
const zone = 'America/New_York';

describe('messaging quiet hours', () => {
  it('delivers at once outside quiet hours, and with none', () => {
    const noon = new Date('2026-06-01T16:00:00Z'); // 12:00 in New York (EDT)
    assert.equal(deliverableAt(noon, zone, quiet).toISOString(), noon.toISOString());
    assert.equal(deliverableAt(new Date('2026-06-02T02:00:00Z'), zone, null).toISOString(), '2026-06-02T02:00:00.000Z');
  });

  it('holds an evening message to the next morning, and an early one to the same morning', () => {
    // 22:00 EDT on 1 June → 08:00 EDT on 2 June.
    assert.equal(
      deliverableAt(new Date('2026-06-02T02:00:00Z'), zone, quiet).toISOString(),
      '2026-06-02T12:00:00.000Z',
    );
    // 06:00 EDT → 08:00 EDT the same day.
    assert.equal(
      deliverableAt(new Date('2026-06-02T10:00:00Z'), zone, quiet).toISOString(),
      '2026-06-02T12:00:00.000Z',
    );
  });

  it('keeps 08:00 on the wall clock across the change to standard time', () => {
    // 21:00 EDT on Saturday 31 October 2026; clocks go back on 1 November: 08:00 EST is 13:00Z.
    assert.equal(
      deliverableAt(new Date('2026-11-01T01:00:00Z'), zone, quiet).toISOString(),
      '2026-11-01T13:00:00.000Z',
    );
  });

  it('reads quiet hours past midnight, within a day, and equal times as none', () => {
    assert.equal(inQuietHours(23 * 60, quiet), true);
    assert.equal(inQuietHours(7 * 60 + 59, quiet), true);
    assert.equal(inQuietHours(8 * 60, quiet), false);
    assert.equal(inQuietHours(13 * 60, { start: '12:00', end: '14:00' }), true);
    assert.equal(inQuietHours(13 * 60, { start: '12:00', end: '12:00' }), false);
  });
});
