// The console's one pager: the line that says which page this is, how many it shows, whether more follow.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageLine } from '../src/ui/paging.js';

describe('the pager', () => {
  it('says which page this is, how many it shows, and whether more follow', () => {
    const base = { noun: ['document', 'documents'] as const, empty: 'Nothing here: no documents match.' };
    assert.equal(pageLine({ ...base, pageNumber: 1, count: undefined, more: false, failed: false }), 'Loading…');
    assert.equal(
      pageLine({ ...base, pageNumber: 1, count: undefined, more: false, failed: true }),
      'The queue could not be shown (the reason is above).',
    );
    assert.equal(pageLine({ ...base, pageNumber: 1, count: 0, more: false, failed: false }), base.empty);
    assert.equal(pageLine({ ...base, pageNumber: 1, count: 1, more: false, failed: false }), 'Page 1: 1 document.');
    assert.equal(
      pageLine({ ...base, pageNumber: 2, count: 50, more: true, failed: false, hint: 'Keys: j/k to move.' }),
      'Page 2: 50 documents, more on the next page. Keys: j/k to move.',
    );
  });
});
