import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PatientKeyCache } from './key-cache.js';

const now = Date.parse('2026-12-06T12:00:00Z');
const settled = { patientId: 'p1', createdAt: new Date(now - 60_000), hasDemographics: true };

describe('patient key cache', () => {
  it('keeps settled patients until they expire, and never one created in the last seconds', () => {
    const cache = new PatientKeyCache({ ttlMs: 1_000 });
    cache.remember('k1', settled, now);
    cache.remember('k2', { ...settled, patientId: 'p2', createdAt: new Date(now - 1_000) }, now);
    assert.equal(cache.get('k1', now + 999)?.patientId, 'p1');
    assert.equal(cache.get('k2', now), undefined, 'a patient that may not be committed yet is not kept');
    assert.equal(cache.get('k1', now + 1_000), undefined, 'expired');
  });

  it('drops the least recently used past its size, forgets everything on a merge, and can be off', () => {
    const cache = new PatientKeyCache({ maxEntries: 2 });
    cache.remember('a', settled, now);
    cache.remember('b', settled, now);
    cache.get('a', now);
    cache.remember('c', settled, now);
    assert.equal(cache.get('b', now), undefined);
    assert.ok(cache.get('a', now) !== undefined && cache.get('c', now) !== undefined);
    cache.clear();
    assert.equal(cache.get('a', now), undefined);
    const off = new PatientKeyCache({ maxEntries: 0 });
    off.remember('a', settled, now);
    assert.equal(off.get('a', now), undefined);
  });
});
