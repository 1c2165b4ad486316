import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseOption } from './options.js';

describe('choosing a dropdown option', () => {
  const options = ['Choose…', 'Routine follow-up', 'Urgent', 'Same day'];

  it('takes an exact option, or one equal with case, spacing and punctuation aside', () => {
    assert.deepEqual(chooseOption(options, 'Urgent'), { kind: 'exact', text: 'Urgent' });
    assert.deepEqual(chooseOption(options, 'SAME-DAY'), { kind: 'normalised', text: 'Same day' });
    assert.deepEqual(chooseOption(options, ' routine  follow up '), { kind: 'normalised', text: 'Routine follow-up' });
  });

  it('never takes a near match: names the candidates instead', () => {
    assert.deepEqual(chooseOption(options, 'Routine'), { kind: 'none', candidates: ['Routine follow-up'] });
    assert.deepEqual(chooseOption(options, 'Same'), { kind: 'none', candidates: ['Same day'] });
    assert.deepEqual(chooseOption(options, 'Elective'), { kind: 'none', candidates: [] });
  });

  it('refuses two options that are the same once normalised', () => {
    assert.equal(chooseOption(['Same day', 'Same-day'], 'same day').kind, 'none');
  });
});
