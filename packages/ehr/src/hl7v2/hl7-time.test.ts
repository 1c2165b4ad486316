import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hl7InstantToIso, hl7TimeToIso } from './hl7-time.js';

const ny = { zone: 'America/New_York', field: 'EVN-2' };
const t = (v: string): string | undefined => hl7TimeToIso(v, ny);

describe('hl7TimeToIso', () => {
  it('keeps explicit offsets as given, at the given precision', () => {
    assert.equal(t('202109141120+0215'), '2021-09-14T11:20+02:15');
    assert.equal(t('20210924093000-0700'), '2021-09-24T09:30:00-07:00');
    assert.equal(t('20210817151943.4+0200'), '2021-08-17T15:19:43.4+02:00');
    assert.equal(t('2021091411+0000'), '2021-09-14T11:00+00:00');
  });

  it('reads fractional seconds as feeds send them: with a point, more digits, or milliseconds without a point', () => {
    assert.equal(t('20210817151943.1234+0200'), '2021-08-17T15:19:43.1234+02:00');
    assert.equal(t('20210817151943.123456+0200'), '2021-08-17T15:19:43.123456+02:00');
    assert.equal(t('20210817151943123+0200'), '2021-08-17T15:19:43.123+02:00');
    assert.equal(t('20240115093000123'), '2024-01-15T09:30:00.123-05:00');
    assert.throws(() => t('2021081715194312+0200'), { code: 'HL7_INVALID' });
  });

  it('reads HL7\'s explicit null ("") as no time, as a Cerner feed sends PV1-45 (python-hl7 corpus)', () => {
    assert.equal(t('""'), undefined);
    assert.equal(hl7InstantToIso(' "" ', ny), undefined);
    assert.throws(() => t('"2021"'), /EVN-2 is not a valid HL7 date\/time/);
  });

  it('keeps dates as dates', () => {
    assert.equal(t('20180205'), '2018-02-05');
    assert.equal(t('201802'), '2018-02');
    assert.equal(t('2018'), '2018');
  });

  it('reads zone-less times in the facility zone, with the offset in force then', () => {
    assert.equal(t('20240115093000'), '2024-01-15T09:30:00-05:00');
    assert.equal(t('20240715093000'), '2024-07-15T09:30:00-04:00');
    assert.equal(hl7TimeToIso('20240715093000', { zone: 'Europe/Berlin', field: 'X' }), '2024-07-15T09:30:00+02:00');
  });

  it('across the spring-forward gap: a missing local time moves forward by the gap', () => {
    assert.equal(t('202403100159'), '2024-03-10T01:59-05:00');
    assert.equal(t('202403100230'), '2024-03-10T03:30-04:00');
    assert.equal(t('202403100300'), '2024-03-10T03:00-04:00');
  });

  it('across the fall-back overlap: a repeated local time is the earlier instant', () => {
    assert.equal(t('202411030130'), '2024-11-03T01:30-04:00');
    assert.equal(t('202411030059'), '2024-11-03T00:59-04:00');
    assert.equal(t('202411030200'), '2024-11-03T02:00-05:00');
    const [first, after] = [t('202411030130'), t('202411030200')].map((s) => Date.parse(s ?? ''));
    assert.equal((after ?? 0) - (first ?? 0), 90 * 60_000);
  });

  it('empty is undefined; invalid values name the field only', () => {
    assert.equal(t(''), undefined);
    assert.deepEqual(
      ['20240229', '20000229', '20210131', '20210430', '20211231'].map((v) => t(v)),
      ['2024-02-29', '2000-02-29', '2021-01-31', '2021-04-30', '2021-12-31'],
      'the last day of each kind of month, leap days in leap years',
    );
    for (const bad of [
      '2021-09-14',
      '20211301',
      '20210230',
      '20230229',
      '21000229',
      '20210431',
      '20210100',
      '202109142500',
      '2021091411+2500',
      'yesterday',
      '20210914112',
    ]) {
      assert.throws(
        () => t(bad),
        (err: Error & { code?: string }) =>
          err.code === 'HL7_INVALID' && err.message === 'EVN-2 is not a valid HL7 date/time',
      );
    }
  });

  it('instants: a date-only value becomes midnight in the facility zone', () => {
    assert.equal(hl7InstantToIso('20240715', ny), '2024-07-15T00:00-04:00');
    assert.equal(hl7InstantToIso('202109141120+0215', ny), '2021-09-14T11:20+02:15');
  });
});
