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
  humanize,
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
