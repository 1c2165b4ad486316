import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deidentify } from './deidentify.js';

describe('deidentify', () => {
  it('removes the generic identifiers of Safe Harbor and keeps the clinical text', async () => {
    const text = [
      'Seen 03/14/2024 and on 2024-03-21T09:30:00Z, again March 28, 2024 and 2 April 2024.',
      'Call (617) 555-0142 or +44 20 7946 0958, fax 617.555.0199; mail j.doe@example.org; see https://portal.example.org/x?id=9.',
      'SSN 123-45-6789, MRN: A7731, account no. 88-1234, member id XK22, from 10.0.12.7.',
      'Lives at 1200 Oak Ridge Road, Boston, MA 02118-2393; P.O. Box 77.',
      'A 93-year-old with dyspnea, aged 101 at follow-up; a 45-year-old sibling.',
      'Lab 1234567 pending; started 2019; metoprolol 25 mg twice daily; BP 142/88.',
    ].join('\n');
    const { texts, removed } = await deidentify([text]);
    const out = texts[0] ?? '';
    for (const value of [
      '03/14/2024',
      '2024-03-21',
      'March 28',
      '2 April',
      '555-0142',
      '7946',
      '555-0199',
      'j.doe',
      'portal.example',
      '123-45-6789',
      'A7731',
      '88-1234',
      'XK22',
      '10.0.12.7',
      '1200 Oak Ridge Road',
      '02118',
      'Box 77',
      '93-year-old',
      'aged 101',
      '1234567',
    ]) {
      assert.ok(!out.includes(value), `${value} left in: ${out}`);
    }
    // What is not an identifier stays: the year alone, doses, vitals, ages under 90, the clinical words.
    for (const kept of [
      'dyspnea',
      'started 2019',
      'metoprolol 25 mg twice daily',
      'BP 142/88',
      '45-year-old',
      'Boston',
    ]) {
      assert.ok(out.includes(kept), `${kept} was removed: ${out}`);
    }
    assert.equal(removed.ssn, 1);
    assert.equal(removed.email, 1);
    assert.ok((removed.date ?? 0) >= 4);
    assert.ok((removed.phone ?? 0) >= 3);
  });

  it("removes the patient's names, birth date in its usual spellings and identifiers the index knows", async () => {
    const asked: string[] = [];
    const { texts, removed } = await deidentify(
      [
        'Patient: QUIXOTIC-ZEBULON, Marisol T. DOB 7/23/1961 (also written July 23, 1961 and 19610723).',
        'Ms. Zebulon brought chart K9Q and referral R2D2; marisol says the pain is better.',
      ],
      {
        patient: { names: ['Quixotic-Zebulon', 'Marisol', 'Tamsin'], birthDate: '1961-07-23' },
        isIdentifier: (v) => {
          asked.push(v);
          return Promise.resolve(v === 'K9Q');
        },
      },
    );
    const all = texts.join('\n');
    for (const value of ['QUIXOTIC', 'Zebulon', 'Marisol', 'marisol', '1961', 'K9Q']) {
      assert.ok(!all.includes(value), `${value} left in: ${all}`);
    }
    assert.match(all, /Ms\. \[NAME\] brought chart \[IDENTIFIER\] and referral R2D2; \[NAME\] says the pain is better/);
    assert.ok(asked.includes('R2D2') && asked.includes('K9Q'));
    assert.ok(!asked.some((a) => !/\d/.test(a)), 'only tokens with a digit are asked about');
    assert.equal(removed.identifier, 1);
    assert.equal(removed.birthdate, 3);
  });

  it('says honestly what it cannot see: another person named, a rare detail in words', async () => {
    const { texts } = await deidentify(['Her husband Ezekiel drives the only snowplough in Tinyville.'], {
      patient: { names: ['Doe', 'Jane'] },
    });
    assert.equal(texts[0], 'Her husband Ezekiel drives the only snowplough in Tinyville.');
  });
});
