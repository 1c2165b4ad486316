import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actionWords, durationWords, outcomeWords } from '../src/screens/automation/automation-words.js';

describe('automation runs in words', () => {
  it('says how a run ended, the halt reason in words with the element it names, and a submit before it', () => {
    assert.equal(outcomeWords({ status: 'done' }), 'Completed');
    assert.equal(outcomeWords({ status: 'running' }), 'Running');
    assert.equal(
      outcomeWords({ status: 'halted', halt: { reason: 'wrong-patient', detail: 'banner: MRN', submitted: false } }),
      'Stopped: the wrong patient was open (banner: MRN)',
    );
    assert.match(
      outcomeWords({ status: 'halted', halt: { reason: 'timed-out', detail: '', submitted: true } }),
      /^Stopped: it took too long\. A submit was sent before it stopped: check the EHR\.$/,
    );
    // A reason this console does not know yet is shown as sent, not hidden.
    assert.equal(
      outcomeWords({ status: 'halted', halt: { reason: 'new-reason', detail: 'x', submitted: false } }),
      'Stopped: new-reason (x)',
    );
  });

  it('words every step action and a duration', () => {
    assert.equal(actionWords['check-banner'], 'Checked the patient banner');
    assert.equal(durationWords(40), '40 ms');
    assert.equal(durationWords(1250), '1.3 s');
  });
});
