// Dates, durations, masking and codes as the console shows them. The zone is west of UTC on
// purpose: a calendar day must not move to the day before.
process.env['TZ'] = 'America/Los_Angeles';

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatAge,
  formatDate,
  formatDateTime,
  formatDue,
  dayInZone,
  formatTime,
  getDisplayZone,
  startOfDayInZone,
  humanize,
  setDisplayZone,
  zoneAbbreviation,
  maskIdentifier,
  shortId,
} from '../src/ui/format.js';

describe('humanize', () => {
  it('turns codes into words people read, abbreviations kept', () => {
    assert.equal(humanize('EHR_UNAVAILABLE'), 'EHR unavailable');
    assert.equal(humanize('VERSION_CONFLICT'), 'Version conflict');
    assert.equal(humanize('FHIR_UNSUPPORTED'), 'FHIR unsupported');
    assert.equal(humanize('appointment.status'), 'Appointment status');
    assert.equal(humanize('no-show'), 'No show');
    assert.equal(humanize('noShow'), 'No show');
    assert.equal(humanize('sms'), 'SMS');
    assert.equal(humanize('wrong_mrn'), 'Wrong MRN');
    assert.equal(humanize('female'), 'Female');
    assert.equal(humanize('  __  '), '');
    assert.equal(humanize(''), '');
  });
});

describe('dates', () => {
  it('shows a calendar day as written, in any zone', () => {
    const d = formatDate('1970-01-01');
    assert.match(d, /1970/);
    assert.match(d, /Jan/);
    assert.doesNotMatch(d, /Dec|31/);
    assert.equal(formatDate('1984'), '1984');
    assert.doesNotMatch(formatDate('1984-03'), /\b\d{1,2},/, 'a year and month has no day');
    assert.match(formatDate('1984-03'), /Mar/);
  });

  it('shows an instant in the viewer zone, and a dash for what is missing or malformed', () => {
    assert.match(formatDateTime('2026-01-01T07:30:00Z'), /Dec 31, 2025|31 Dec 2025/);
    assert.equal(formatDateTime(undefined), '—');
    assert.equal(formatDateTime('not a date'), '—');
    assert.equal(formatDate(undefined), '—');
    assert.equal(formatDate('2026-13-45'), '—');
  });
});

describe("times in the site's zone", () => {
  // 2026-01-15 14:30 UTC: 09:30 in New York (EST), 06:30 in Los Angeles (PST); 2026-07-15: daylight time.
  const winter = '2026-01-15T14:30:00Z';
  const summer = '2026-07-15T14:30:00Z';

  it('shows an instant in the zone it is given, with that zone abbreviation', () => {
    assert.match(formatDateTime(winter, 'America/New_York'), /Jan 15, 2026.*09:30 AM.*EST/);
    assert.match(formatDateTime(summer, 'America/New_York'), /Jul 15, 2026.*10:30 AM.*EDT/);
    assert.match(formatDateTime(winter, 'America/Chicago'), /08:30 AM.*CST/);
    assert.match(formatTime(winter, 'America/New_York'), /^09:30 AM EST$/);
    assert.equal(zoneAbbreviation(new Date(summer), 'America/Los_Angeles'), 'PDT');
  });

  it("defaults to the site's zone once the shell sets it, and back to the viewer's when cleared", () => {
    try {
      setDisplayZone('America/New_York');
      assert.equal(getDisplayZone(), 'America/New_York');
      assert.match(formatDateTime(winter), /09:30 AM.*EST/);
      // An instant's calendar day is the site's: 03:00 UTC is still the day before in New York.
      assert.match(formatDate('2026-01-16T03:00:00Z'), /Jan 15, 2026/);
      // A calendar day stays as written whatever the zone.
      assert.match(formatDate('2026-01-16'), /Jan 16, 2026/);
      setDisplayZone(undefined);
      assert.match(formatDateTime(winter), /06:30 AM.*PST/, "the viewer's zone (Los Angeles here)");
    } finally {
      setDisplayZone(undefined);
    }
  });

  it("finds a day's start and an instant's day in the site's zone, across a DST change", () => {
    assert.equal(startOfDayInZone('2026-01-15', 0, 'America/New_York'), '2026-01-15T05:00:00.000Z');
    assert.equal(startOfDayInZone('2026-07-15', 0, 'America/New_York'), '2026-07-15T04:00:00.000Z');
    // 2026-03-08 springs forward at 02:00: the next midnight is 23 hours later.
    assert.equal(startOfDayInZone('2026-03-08', 1, 'America/New_York'), '2026-03-09T04:00:00.000Z');
    assert.equal(startOfDayInZone('2026-03-08', 0, 'America/New_York'), '2026-03-08T05:00:00.000Z');
    assert.equal(dayInZone(new Date('2026-01-16T03:00:00Z'), 'America/New_York'), '2026-01-15');
    assert.equal(dayInZone(new Date('2026-01-16T03:00:00Z'), 'Asia/Tokyo'), '2026-01-16');
  });

  it('ignores a zone the browser does not know instead of failing', () => {
    setDisplayZone('Mars/Olympus');
    assert.equal(getDisplayZone(), undefined);
    assert.match(formatDateTime(winter, 'Mars/Olympus'), /06:30 AM.*PST/);
  });
});

describe('durations', () => {
  it('rounds to the largest unit that fits', () => {
    assert.equal(formatAge(0), '0 s');
    assert.equal(formatAge(59_000), '59 s');
    assert.equal(formatAge(-90_000), '2 min');
    assert.equal(formatAge(3 * 3_600_000), '3 h');
    assert.equal(formatAge(2 * 86_400_000), '2 d');
    // Rounding up reaches the next unit: never "60 min" or "24 h".
    assert.equal(formatAge(59_600), '1 min');
    assert.equal(formatAge(3_599_000), '1 h');
    assert.equal(formatAge(86_399_000), '1 d');
  });

  it('says whether a due time is ahead or passed', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    assert.equal(formatDue('2026-06-01T15:00:00Z', now), 'due in 3 h');
    assert.equal(formatDue('2026-05-30T12:00:00Z', now), 'overdue by 2 d');
    assert.equal(formatDue(undefined, now), 'no due time');
  });
});

describe('identifiers', () => {
  it('shows only the last four characters, never a short value whole', () => {
    assert.equal(maskIdentifier('MRN-123456'), '••••3456');
    assert.equal(maskIdentifier('1234'), '••••');
    assert.equal(shortId('0193f1c2-7a8b-7c9d-8e0f-123456789abc'), '0193f1c2');
  });
});
