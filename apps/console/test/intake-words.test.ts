// The intake screens' words: types, states, confidence, what is missing, how the patient was found,
// the queue's views and which actions a document's state allows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionsFor,
  candidateWords,
  confidenceBands,
  matchWords,
  missingLine,
  pageSays,
  percent,
  queueViews,
  stateLabel,
  trailLine,
  typeLabel,
  typeLine,
  uploadMediaType,
} from '../src/screens/intake/intake-words.js';

describe('intake words', () => {
  it('names types and states for people, never as codes', () => {
    assert.equal(typeLabel('referral-letter'), 'Referral letter');
    assert.equal(typeLabel('result'), 'Lab or imaging result');
    assert.equal(typeLabel('new-kind'), 'new kind');
    assert.equal(stateLabel('needs-match'), 'Needs a patient match');
    assert.equal(stateLabel('proposed-for-filing'), 'Proposed for filing');
  });

  it('says what the calibrated confidence meant: sorted, or left to a person with the best guess', () => {
    assert.equal(percent(0.974), '97 %');
    assert.equal(percent(0.996), 'over 99 %');
    assert.equal(percent(0.004), 'under 1 %');
    assert.equal(
      typeLine({ type: null, bestType: 'consult-note', confidence: 0.61, typeSetBy: null }),
      'Not sorted: best guess consult note (61 %), not sure enough',
    );
    assert.equal(
      typeLine({ type: 'consent', bestType: 'consent', confidence: 0.98, typeSetBy: 'classifier' }),
      'Consent (98 % sure)',
    );
    assert.equal(
      typeLine({ type: 'result', bestType: 'other', confidence: 0.4, typeSetBy: 'person' }),
      'Lab or imaging result (sorted by a person)',
    );
  });

  it('lists what is missing in a sentence', () => {
    assert.equal(missingLine({ complete: true, missing: [] }), 'Complete');
    assert.equal(missingLine({ complete: false, missing: ['signature'] }), 'Missing the signature');
    assert.equal(
      missingLine({ complete: false, missing: ['signature', 'page 2 of 2', 'birthDate'] }),
      "Missing the signature, page 2 of 2 and the patient's birth date",
    );
  });

  it('words how a patient was (or was not) found, and who the page names', () => {
    assert.equal(matchWords(null), 'not matched yet');
    assert.match(matchWords('mrn-several'), /several patients have the MRN/);
    assert.equal(matchWords('person'), 'named by a person');
    assert.equal(candidateWords('name-and-birth-date'), 'same name and birth date as the page');
    assert.equal(
      pageSays({ patientFamily: 'Rivera', patientGiven: 'Ana', birthDate: '1984-03-09', mrn: 'MR-4471' }),
      'Rivera, Ana · born 1984-03-09 · MRN MR-4471',
    );
    assert.match(pageSays({}), /no patient name/);
  });

  it('offers only the actions a state allows', () => {
    assert.deepEqual(actionsFor({ state: 'needs-sorting', outcomeDetail: null }), {
      sort: true,
      match: false,
      reject: true,
      resume: false,
      link: false,
    });
    assert.equal(actionsFor({ state: 'needs-match', outcomeDetail: null }).match, true);
    assert.equal(
      actionsFor({ state: 'handed-off', outcomeDetail: 'routing stopped (the EHR journal is unavailable)' }).resume,
      true,
    );
    assert.equal(actionsFor({ state: 'handed-off', outcomeDetail: 'incomplete: signature' }).resume, false);
    for (const state of ['filed', 'rejected', 'proposed-for-filing'])
      assert.deepEqual(
        Object.values(actionsFor({ state, outcomeDetail: 'routing stopped (x)' })),
        [false, false, false, false, false],
        state,
      );
  });

  it('has a view for each state people ask about, incomplete across states', () => {
    const keys = queueViews.map((v) => v.key);
    for (const k of [
      'needs-sorting',
      'needs-match',
      'incomplete',
      'proposed-for-filing',
      'filed',
      'handed-off',
      'rejected',
    ])
      assert.ok(keys.includes(k), k);
    assert.equal(queueViews.find((v) => v.key === 'incomplete')?.state, undefined);
    // Bands do not overlap: medium ends below high's floor, low below medium's.
    const [, high, medium, low] = confidenceBands;
    assert.ok(Number(medium?.max) < Number(high?.min) && Number(low?.max) < Number(medium?.min));
  });

  it('words the trail, and knows the files intake reads by type or name', () => {
    assert.equal(
      trailLine({ state: 'sorted', note: 'by person: referral-letter' }),
      'Sorted: by person: referral letter',
    );
    assert.equal(trailLine({ state: 'received' }), 'Received');
    assert.equal(
      trailLine({ state: 'referral-linked', note: "the patient's only referral waiting for a report" }),
      "Referral linked: the patient's only referral waiting for a report",
    );
    assert.equal(
      actionsFor({ state: 'needs-referral', outcomeDetail: null, referralId: null, referralChoices: [{}] }).link,
      true,
    );
    assert.equal(uploadMediaType('', 'FAX_0012.TIF'), 'image/tiff');
    assert.equal(uploadMediaType('application/pdf', 'x'), 'application/pdf');
    assert.equal(uploadMediaType('text/plain', 'notes.txt'), undefined);
  });
});

describe('intake outcome words', () => {
  it('words a rejection and where a stopped document is', async () => {
    const { outcomeWords, whereLabel } = await import('../src/screens/intake/intake-words.js');
    assert.equal(outcomeWords('rejected: wrong-recipient'), 'Rejected: sent to the wrong recipient');
    assert.equal(outcomeWords(null), null);
    assert.equal(
      whereLabel({ state: 'needs-match', outcomeDetail: 'routing stopped (X)', patient: { id: 'p' } }),
      'Patient found; filing stopped on an error',
    );
    assert.equal(whereLabel({ state: 'filed', outcomeDetail: null }), 'Filed in the EHR');
    // A patient already found is not chosen again: trying again takes the document on.
    assert.deepEqual(actionsFor({ state: 'needs-match', outcomeDetail: 'routing stopped', patient: { id: 'p' } }), {
      sort: true,
      match: false,
      reject: true,
      resume: true,
      link: false,
    });
  });
});
