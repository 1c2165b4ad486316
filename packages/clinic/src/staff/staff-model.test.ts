import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { staffProblems } from './staff-model.js';

describe('staff record shapes', () => {
  it('accepts a complete record, an NPI or a directory entry id, and a change without a name', () => {
    const ok = {
      displayName: 'Cleo Park',
      title: 'Lead coordinator',
      practitioner: '1234567893',
      sites: ['north'],
      pools: [{ pool: 'north-coordinators', site: 'north' }],
      lead: 'ben',
    };
    assert.deepEqual(staffProblems(ok, true), []);
    assert.deepEqual(staffProblems({ practitioner: '0b1e7c1a-3f4e-4d5a-9b6c-7d8e9f0a1b2c' }, false), []);
    assert.deepEqual(staffProblems({ title: null, practitioner: null, lead: null }, false), []);
  });

  it('names every problem at once', () => {
    const problems = staffProblems(
      {
        displayName: ' ',
        practitioner: 'Dr. Park',
        sites: ['North Site'],
        pools: [
          { pool: 'Coordinators', site: 'north' },
          { pool: 'desk', site: 'north' },
          { pool: 'desk', site: 'north' },
        ],
        lead: '',
      },
      true,
    );
    assert.deepEqual(
      problems.map((p) => p.path),
      ['displayName', 'practitioner', 'sites.0', 'pools.0.pool', 'pools.2.pool', 'lead'],
    );
    assert.deepEqual(
      staffProblems({}, true).map((p) => p.path),
      ['displayName'],
      'the first set needs a name',
    );
  });
});
