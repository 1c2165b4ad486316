import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError, OperationalError } from '@steward/core';
import type { EhrConnection } from '@steward/ehr';
import { connectionSites } from './catalog.js';

describe("a connection's site for routed workflows", () => {
  it('is read once, is absent for a connection that is gone, and a passing failure is thrown and not remembered', async () => {
    const reads: string[] = [];
    let storeDown = true;
    const siteOf = connectionSites({
      get: (id) => {
        reads.push(id);
        if (id === 'gone') return Promise.reject(new NotFoundError('EHR connection'));
        if (storeDown) return Promise.reject(new OperationalError('STORE_UNAVAILABLE', 'the store did not answer'));
        return Promise.resolve({ site: 'north' } as EhrConnection);
      },
    });
    await assert.rejects(siteOf('c1'), { code: 'STORE_UNAVAILABLE' });
    storeDown = false;
    assert.equal(await siteOf('c1'), 'north');
    assert.equal(await siteOf('c1'), 'north');
    assert.equal(await siteOf('gone'), undefined);
    assert.equal(await siteOf('gone'), undefined);
    assert.deepEqual(reads, ['c1', 'c1', 'gone']);
  });
});
