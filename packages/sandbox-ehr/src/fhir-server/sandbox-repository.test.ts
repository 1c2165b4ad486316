/**
 * Units of work in the sandbox's repository: a failed unit undoes creates, updates and deletes, never another
 * writer's work, and tells listeners and the history nothing of what it undid.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchRequest } from '@medplum/core';
import type { Basic, Resource } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from './definitions.js';
import { SandboxRepository } from './sandbox-repository.js';
import type { ResourceChange } from './sandbox-repository.js';

const basic = (text: string): Basic => ({ resourceType: 'Basic', code: { text } });

describe('SandboxRepository units of work', () => {
  before(() => loadFhirDefinitions());

  it('undoes a failed unit whole while a concurrent writer waits for it and then commits', async () => {
    const repo = new SandboxRepository();
    const heard: ResourceChange[] = [];
    repo.onChange((c) => heard.push(c));
    const kept = await repo.createResource(basic('kept'));
    const doomed = await repo.createResource(basic('doomed'));
    heard.length = 0;

    // Another writer (its own request, so its own async context) arrives while the unit runs: it must wait,
    // and must not be undone with the unit.
    let asked!: () => void;
    const concurrentAsked = new Promise<void>((resolve) => (asked = resolve));
    const concurrent = new Promise<Resource>((resolve, reject) =>
      setTimeout(() => {
        void repo.createResource(basic('concurrent')).then(resolve, reject);
        asked();
      }, 1),
    );
    await assert.rejects(
      repo.withTransaction(async () => {
        await repo.createResource(basic('created in the unit'));
        await repo.updateResource({ ...kept, code: { text: 'changed in the unit' } });
        await repo.deleteResource('Basic', doomed.id);
        // Once the other writer has asked, it gets turns of the event loop (not a span of time) in
        // which an unlocked in-memory write would have finished.
        await concurrentAsked;
        for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
        assert.equal(repo.changeCount, 2, 'the concurrent write waits for the unit');
        throw new Error('entry failed');
      }),
      /entry failed/,
    );
    const other = await concurrent;

    const now = await repo.readResource<Basic>('Basic', kept.id);
    assert.equal(now.code?.text, 'kept');
    assert.equal(now.meta?.versionId, '1');
    assert.equal((await repo.readResource<Basic>('Basic', doomed.id)).code?.text, 'doomed');
    assert.equal(repo.wasDeleted('Basic', doomed.id), false);
    const all = await repo.searchResources<Basic>({ resourceType: 'Basic' });
    assert.deepEqual(all.map((b) => b.code?.text).sort(), ['concurrent', 'doomed', 'kept']);
    assert.deepEqual(
      heard.map((c) => `${c.kind} ${c.id}`),
      [`create ${other.id}`],
    );
    assert.equal(repo.changeHistory({ resourceType: 'Basic', id: kept.id }).total, 1);
    const next = await repo.updateResource({ ...now, code: { text: 'changed later' } });
    assert.equal(next.meta?.versionId, '2');
  });

  it('refuses an invalid resource inside a unit and undoes what the unit wrote before it', async () => {
    const repo = new SandboxRepository();
    await assert.rejects(
      repo.withTransaction(async () => {
        await repo.createResource(basic('first'));
        await repo.createResource({ resourceType: 'Patient', gender: 'robot' } as unknown as Resource);
      }),
      (e: { outcome?: { issue?: { code?: string }[] } }) => e.outcome?.issue?.[0]?.code === 'code-invalid',
    );
    assert.equal(repo.changeCount, 0);
    assert.deepEqual(await repo.searchResources({ resourceType: 'Basic' }), []);
  });

  it('a conditional create is validated, versioned and logged once, and the second finds the first', async () => {
    const repo = new SandboxRepository();
    const tagged: Basic = { ...basic('once'), identifier: [{ system: 'urn:steward:test', value: 'k1' }] };
    const search = parseSearchRequest<Basic>('Basic?identifier=urn:steward:test|k1');
    const first = await repo.conditionalCreate(tagged, search);
    const second = await repo.conditionalCreate(tagged, search);
    assert.equal(first.outcome.id, 'created');
    assert.equal(second.outcome.id, 'ok');
    assert.equal(second.resource.id, first.resource.id);
    assert.equal(first.resource.meta?.versionId, '1');
    assert.equal(repo.changeCount, 1);
    // The version id the sandbox assigned is the one stored (Medplum 5 would otherwise assign its own).
    assert.equal((await repo.readResource<Basic>('Basic', first.resource.id)).meta?.versionId, '1');
    await assert.rejects(
      repo.conditionalCreate({ resourceType: 'Patient', gender: 'robot' } as unknown as Resource, {
        resourceType: 'Patient',
      }),
      (e: { outcome?: { issue?: { code?: string }[] } }) => e.outcome?.issue?.[0]?.code === 'code-invalid',
    );
    assert.equal(repo.changeCount, 1);
  });
});
