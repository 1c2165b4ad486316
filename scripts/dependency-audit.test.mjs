// The dependency audit's judgement on saved `npm audit --json` reports (v2): what fails the check
// and what only warns. The audit itself needs the registry's advisory endpoint; this does not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { advisoriesOf, judge, readAllowList } from './dependency-audit.mjs';

const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    'left-pad': {
      name: 'left-pad',
      via: [
        {
          source: 1001,
          name: 'left-pad',
          title: 'Prototype pollution',
          severity: 'high',
          url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
        },
      ],
    },
    'uses-left-pad': { name: 'uses-left-pad', via: ['left-pad'] },
  },
};
const entry = (until) => ({ id: 'GHSA-aaaa-bbbb-cccc', package: 'left-pad', reason: 'dev tool only', until });

describe('dependency audit judgement', () => {
  it('reads one advisory per id and package, not the packages that merely depend on it', () => {
    assert.deepEqual(
      advisoriesOf(report).map((a) => [a.id, a.package]),
      [['GHSA-aaaa-bbbb-cccc', 'left-pad']],
    );
  });
  it('fails on an advisory nobody accepted', () => {
    const { problems } = judge(advisoriesOf(report), [], '2026-12-06');
    assert.equal(problems.length, 1);
    assert.match(problems[0], /GHSA-aaaa-bbbb-cccc in left-pad \(high\)/);
  });
  it('passes an accepted advisory until its date, then fails again', () => {
    assert.deepEqual(judge(advisoriesOf(report), [entry('2027-01-31')], '2026-12-06').problems, []);
    assert.match(judge(advisoriesOf(report), [entry('2026-12-01')], '2026-12-06').problems[0], /has passed/);
  });
  it('warns about an acceptance that no longer matches anything', () => {
    const { problems, warnings } = judge([], [entry('2027-01-31')], '2026-12-06');
    assert.deepEqual(problems, []);
    assert.match(warnings[0], /no longer reported/);
  });
  it('refuses an allow-list entry without a reason or a real date, and a report with no advisory section', () => {
    assert.throws(
      () => readAllowList(JSON.stringify({ accepted: [{ ...entry('2027-01-31'), reason: '' }] })),
      /reason is required/,
    );
    assert.throws(() => readAllowList(JSON.stringify({ accepted: [entry('next year')] })), /must be a date/);
    assert.throws(() => advisoriesOf({ statusCode: 405, message: '405 Method Not Allowed' }), /could not reach/);
  });
});
