import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BusinessCalendar } from './business-calendar.js';
import { defaultBusinessHours, type SiteClock } from './site-model.js';

const clock = (zone: string, over: Partial<SiteClock> = {}): SiteClock => ({
  zone,
  businessHours: defaultBusinessHours,
  holidays: [],
  quietHours: { start: '20:00', end: '08:00' },
  ...over,
});
const la = new BusinessCalendar(clock('America/Los_Angeles'));
const berlin = new BusinessCalendar(clock('Europe/Berlin'));
const iso = (d: Date): string => d.toISOString();

describe('BusinessCalendar: wall-clock time at a site', () => {
  it('10:00 at each site is 10:00 local on both sides of its own DST change', () => {
    // US: 2026-03-08 (PST -08:00 → PDT -07:00). EU: 2026-03-29 (CET +01:00 → CEST +02:00).
    assert.equal(iso(la.at('2026-03-06', '10:00')), '2026-03-06T18:00:00.000Z');
    assert.equal(iso(la.at('2026-03-09', '10:00')), '2026-03-09T17:00:00.000Z');
    assert.equal(iso(berlin.at('2026-03-09', '10:00')), '2026-03-09T09:00:00.000Z'); // Berlin not yet changed
    assert.equal(iso(berlin.at('2026-03-30', '10:00')), '2026-03-30T08:00:00.000Z');
    // Autumn: EU 2026-10-25, US 2026-11-01.
    assert.equal(iso(berlin.at('2026-10-26', '10:00')), '2026-10-26T09:00:00.000Z');
    assert.equal(iso(la.at('2026-10-26', '10:00')), '2026-10-26T17:00:00.000Z'); // LA still on PDT
    assert.equal(iso(la.at('2026-11-02', '10:00')), '2026-11-02T18:00:00.000Z');
  });

  it('a time in the spring gap moves forward by the gap; one in the autumn overlap is its first occurrence', () => {
    assert.equal(iso(la.at('2026-03-08', '02:30')), '2026-03-08T10:30:00.000Z'); // 03:30 PDT
    assert.equal(iso(berlin.at('2026-03-29', '02:30')), '2026-03-29T01:30:00.000Z'); // 03:30 CEST
    assert.equal(iso(la.at('2026-11-01', '01:30')), '2026-11-01T08:30:00.000Z'); // 01:30 PDT, not PST
    assert.equal(iso(berlin.at('2026-10-25', '02:30')), '2026-10-25T00:30:00.000Z'); // 02:30 CEST, not CET
  });

  it('refuses a zone that is not an IANA name, and a malformed date', () => {
    assert.throws(() => new BusinessCalendar(clock('Mars/Olympus')), { code: 'VALIDATION_FAILED' });
    assert.throws(() => new BusinessCalendar(clock('UTC+3')), { code: 'VALIDATION_FAILED' });
    assert.throws(() => la.at('2026-02-30', '10:00'), { code: 'VALIDATION_FAILED' });
    assert.throws(() => la.at('2026-03-01', '10am'), { code: 'VALIDATION_FAILED' });
  });
});

describe('BusinessCalendar: business days', () => {
  it('skips weekends: Friday + 1 is Monday, Saturday + 1 is Monday, Wednesday + 3 is Monday', () => {
    const fri = la.at('2026-03-06', '10:00');
    assert.equal(iso(la.addBusinessDays(fri, 1)), iso(la.at('2026-03-09', '10:00')));
    assert.equal(iso(la.addBusinessDays(la.at('2026-03-07', '09:00'), 1)), iso(la.at('2026-03-09', '09:00')));
    assert.equal(iso(la.addBusinessDays(la.at('2026-03-04', '15:00'), 3)), iso(la.at('2026-03-09', '15:00')));
    // 0 days: kept on a business day, moved to the next one on a weekend.
    assert.equal(iso(la.addBusinessDays(fri, 0)), iso(fri));
    assert.equal(iso(la.addBusinessDays(la.at('2026-03-08', '11:00'), 0)), iso(la.at('2026-03-09', '11:00')));
  });

  it('keeps the wall-clock time across DST: Friday 10:00 PST + 1 business day is Monday 10:00 PDT (23 hours later)', () => {
    const fri = la.at('2026-03-06', '10:00');
    const mon = la.addBusinessDays(fri, 1);
    assert.equal(mon.getTime() - fri.getTime(), (72 - 1) * 3_600_000);
    // Berlin's change is three weeks later: Friday 27 March + 1 is Monday 30 March, also 71 hours.
    const bFri = berlin.at('2026-03-27', '10:00');
    assert.equal(berlin.addBusinessDays(bFri, 1).getTime() - bFri.getTime(), 71 * 3_600_000);
    // On 9 March, only LA has changed: Berlin's Friday-to-Monday is a full 72 hours.
    const bFri6 = berlin.at('2026-03-06', '10:00');
    assert.equal(berlin.addBusinessDays(bFri6, 1).getTime() - bFri6.getTime(), 72 * 3_600_000);
  });

  it('counts the date at the site, not in UTC: 20:00 Friday in LA is Saturday in UTC and still Friday there', () => {
    const friEvening = la.at('2026-03-06', '20:00'); // 2026-03-07T04:00Z
    assert.equal(la.dateOf(friEvening), '2026-03-06');
    assert.equal(iso(la.addBusinessDays(friEvening, 1)), iso(la.at('2026-03-09', '20:00')));
  });

  it('skips holidays, and weekdays a site is closed; a site open on Saturday counts it', () => {
    const withHolidays = new BusinessCalendar(
      clock('Europe/Berlin', { holidays: ['2026-04-03', '2026-04-06'] }), // Good Friday, Easter Monday
    );
    const thu = withHolidays.at('2026-04-02', '09:00');
    assert.equal(iso(withHolidays.addBusinessDays(thu, 1)), iso(withHolidays.at('2026-04-07', '09:00')));
    assert.equal(withHolidays.isBusinessDay('2026-04-03'), false);
    assert.equal(withHolidays.isBusinessDay('2026-04-07'), true);
    const sixDays = new BusinessCalendar(
      clock('America/Los_Angeles', {
        businessHours: { ...defaultBusinessHours, sat: { open: '09:00', close: '13:00' }, mon: null },
      }),
    );
    const fri = sixDays.at('2026-03-06', '10:00');
    assert.equal(iso(sixDays.addBusinessDays(fri, 1)), iso(sixDays.at('2026-03-07', '10:00')));
    assert.equal(iso(sixDays.addBusinessDays(fri, 2)), iso(sixDays.at('2026-03-10', '10:00'))); // Sunday and Monday closed
  });

  it('refuses a site with no business day at all, and a negative count', () => {
    const closed = new BusinessCalendar(
      clock('Europe/Berlin', {
        businessHours: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null },
      }),
    );
    assert.throws(() => closed.addBusinessDays(new Date('2026-03-02T10:00:00Z'), 1), { code: 'VALIDATION_FAILED' });
    assert.throws(() => la.addBusinessDays(new Date(), -1), { code: 'VALIDATION_FAILED' });
  });
});

describe('BusinessCalendar: quiet hours', () => {
  it('holds a message sent in the evening to 08:00 the next morning at the site, across the DST change', () => {
    // 21:00 Saturday 7 March in LA (PST): deliverable at 08:00 Sunday, which is PDT.
    const sat = la.at('2026-03-07', '21:00');
    assert.equal(la.inQuietHours(sat), true);
    assert.equal(iso(la.deliverableAt(sat)), '2026-03-08T15:00:00.000Z');
    // The same instant is 06:00 Sunday in Berlin: quiet until 08:00 the same day (CET).
    assert.equal(iso(berlin.deliverableAt(sat)), '2026-03-08T07:00:00.000Z');
    const noon = la.at('2026-03-09', '12:00');
    assert.equal(iso(la.deliverableAt(noon)), iso(noon));
  });

  it('a site without quiet hours delivers at once', () => {
    const none = new BusinessCalendar(clock('Europe/Berlin', { quietHours: null }));
    const night = none.at('2026-03-07', '23:00');
    assert.equal(none.inQuietHours(night), false);
    assert.equal(iso(none.deliverableAt(night)), iso(night));
  });
});

describe('BusinessCalendar: business minutes', () => {
  const ny = new BusinessCalendar(clock('America/New_York', { holidays: ['2026-11-26'] }));
  it('counts opening hours only, across a weekend, a DST change and a holiday', () => {
    // Friday 2026-10-30 16:00 EDT + 2 h: one hour Friday, one Monday from 08:00 EST (after the fall-back).
    assert.equal(iso(ny.addBusinessMinutes(new Date('2026-10-30T20:00:00Z'), 120)), '2026-11-02T14:00:00.000Z');
    // Saturday night + 30 min: Monday 08:30 EST.
    assert.equal(iso(ny.addBusinessMinutes(new Date('2026-10-31T23:00:00Z'), 30)), '2026-11-02T13:30:00.000Z');
    // Wednesday 2026-11-25 16:30 EST + 1 h: Thanksgiving closed, Friday 08:30.
    assert.equal(iso(ny.addBusinessMinutes(new Date('2026-11-25T21:30:00Z'), 60)), '2026-11-27T13:30:00.000Z');
    // Spring forward: Friday 2027-03-12 16:00 EST + 2 h is Monday 09:00 EDT.
    assert.equal(iso(ny.addBusinessMinutes(new Date('2027-03-12T21:00:00Z'), 120)), '2027-03-15T13:00:00.000Z');
  });
  it('0 minutes: the instant when open, else the next opening; a bad count is refused', () => {
    assert.equal(iso(ny.addBusinessMinutes(new Date('2026-11-03T15:00:00Z'), 0)), '2026-11-03T15:00:00.000Z');
    assert.equal(iso(ny.addBusinessMinutes(new Date('2026-11-03T23:00:00Z'), 0)), '2026-11-04T13:00:00.000Z');
    assert.throws(() => ny.addBusinessMinutes(new Date(), -1), { code: 'VALIDATION_FAILED' });
    assert.throws(() => ny.addBusinessMinutes(new Date(), 1.5), { code: 'VALIDATION_FAILED' });
  });
});
