// Visited URLs as URL patterns: ids generalised (never kept), words kept, each pattern matching the URL it came from.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeId, pathPattern } from './path-pattern.js';
import { URLPattern } from '../model/url-pattern.js';

describe('path patterns', () => {
  it('generalises ids and keeps the words of the address', () => {
    const cases: [string, string][] = [
      ['https://ehr.example.org/patients/123/tasks/new', '/patients/:id/tasks/new'],
      [
        'https://ehr.example.org/web/north/patients/p-1001/encounters/8f14e45f-ceea-4e7a-9f3b-2b1c0d1e2f3a',
        '/web/north/patients/:id/encounters/:id2',
      ],
      ['https://ehr.example.org/api/v2/schedule?day=2026-03-01', '/api/v2/schedule'],
      ['https://ehr.example.org/charts/MRN00042/', '/charts/:id/'],
      ['https://ehr.example.org/', '/'],
    ];
    for (const [url, pattern] of cases) {
      assert.equal(pathPattern(url), pattern, url);
      assert.ok(new URLPattern({ pathname: pattern }).test({ pathname: new URL(url).pathname }), url);
    }
  });

  it('tells ids from words', () => {
    for (const id of ['1', '00012345', 'p-1001', 'enc_77', 'deadbeef42']) assert.equal(looksLikeId(id), true, id);
    for (const word of ['patients', 'v2', 'new', 'tasks', 'north', 'h1', ''])
      assert.equal(looksLikeId(word), false, word);
  });
});
