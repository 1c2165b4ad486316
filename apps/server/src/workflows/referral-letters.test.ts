/**
 * A filed referral letter and the referral workflow (issue 19): a waiting referral of the patient at
 * the site (version 2) is signalled with the letter, a version 1 one left as it is, and with none the
 * handoff says the referral must be registered in the EHR; an owner named by the EHR is found among
 * the site's staff by NPI or by the directory entry its reference resolves to, else the site's pool.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError, type RequestContext } from '@steward/core';
import type { ReferralItem } from '@steward/workflows';
import { referralLetters } from './referral-letters.js';
import { handoffOwners, mirrorTasksAt } from './handoff-owners.js';
import type { Kernel } from '../kernel.js';

const ctx: RequestContext = {
  actor: { kind: 'service', id: 's-intake', name: 'steward-intake', authMethod: 'local-operator' },
};
const item = (workflowId: string, stage: string, status = 'running') =>
  ({ workflowId, correlationKey: `referral:c:${workflowId}`, stage, status }) as unknown as ReferralItem;

describe('a filed referral letter', () => {
  const signals: { key: string; payload: unknown; dedupKey: unknown }[] = [];
  const versions: Record<string, number> = { w1: 2, w2: 1, w3: 2, w4: 2 };
  const letters = (items: ReferralItem[]) =>
    referralLetters({
      referrals: { list: () => Promise.resolve({ items }) },
      engine: {
        get: (id: string) => Promise.resolve({ version: versions[id] ?? 2 }),
        signal: (key: string, _s: unknown, payload: unknown, o: { dedupKey?: string }) => {
          signals.push({ key, payload, dedupKey: o.dedupKey });
          return Promise.resolve(1);
        },
      } as never,
      clock: { now: () => new Date('2026-03-02T14:00:00Z') },
    });

  it('advances the waiting referrals (version 2 only) and says so', async () => {
    const out = await letters([
      item('w1', 'sent'),
      item('w2', 'sent'),
      item('w3', 'scheduled'),
      item('w4', 'received', 'completed'),
    ])(ctx, 'north', 'p-1', 'doc-1');
    assert.deepEqual(out.advanced, ['w1']);
    assert.deepEqual(signals, [
      {
        key: 'referral:c:w1',
        payload: { documentId: 'doc-1', occurredAt: '2026-03-02T14:00:00.000Z' },
        dedupKey: 'letter:doc-1',
      },
    ]);
    assert.match(out.ask, /being tracked \(now received\)/);
  });

  it('with none open: asks for the referral to be registered in the EHR', async () => {
    signals.length = 0;
    const out = await letters([])(ctx, 'north', 'p-1', 'doc-2');
    assert.deepEqual(out.advanced, []);
    assert.equal(signals.length, 0);
    assert.match(out.ask, /no open referral is tracked for this patient: register the referral in the EHR/);
  });
});

describe("a workflow handoff's owner", () => {
  const kernel = {
    staff: {
      list: () =>
        Promise.resolve([
          { userId: 'u-npi', practitioner: '1234567893' },
          { userId: 'u-entry', practitioner: '0d5f5e8a-1b2c-4d3e-8f40-123456789abc' },
          { userId: 'u-desk', practitioner: null },
        ]),
      membersOf: (pool: string) => Promise.resolve(pool === 'north-coord' ? [{ userId: 'u-desk' }] : []),
    },
    sites: {
      get: (site: string) => Promise.resolve(site === 'north' ? { ownerPool: 'north-coord' } : { ownerPool: 'empty' }),
    },
    connections: {
      get: (id: string) => (id === 'gone' ? Promise.reject(new NotFoundError('connection')) : Promise.resolve({ id })),
      actorOf: () => ctx.actor,
    },
    directory: {
      describe: (_c: unknown, _id: string, parts: { ref: string | null }[]) =>
        Promise.resolve(
          parts.map((p) => ({
            entryId: p.ref === 'Practitioner/pcp-1' ? '0d5f5e8a-1b2c-4d3e-8f40-123456789abc' : null,
          })),
        ),
    },
    workflowStore: { eventPatient: () => Promise.resolve('p-1') },
  } as unknown as Kernel;
  const owners = handoffOwners(kernel, () => Promise.resolve(ctx));

  it('is the staff member who is that practitioner (NPI or directory entry), else the site pool when it has members', async () => {
    const npi = { connectionId: null, ref: null, identifier: 'http://hl7.org/fhir/sid/us-npi|1234567893' };
    assert.equal(await owners.ownerAt?.('north', npi), 'u-npi');
    assert.equal(
      await owners.ownerAt?.('north', { connectionId: 'c', ref: 'Practitioner/pcp-1', identifier: null }),
      'u-entry',
    );
    assert.equal(
      await owners.ownerAt?.('north', { connectionId: 'c', ref: 'Practitioner/other', identifier: null }),
      undefined,
    );
    assert.equal(
      await owners.ownerAt?.('north', { connectionId: 'gone', ref: 'Practitioner/pcp-1', identifier: null }),
      undefined,
      'a connection gone names no one',
    );
    assert.equal(await owners.ownerPoolOf?.('north'), 'north-coord');
    assert.equal(await owners.ownerPoolOf?.('south'), undefined, 'a pool without members is no one');
    assert.equal(mirrorTasksAt(['north'], 'north'), true);
    assert.equal(mirrorTasksAt(['north'], 'south'), false);
    assert.equal(mirrorTasksAt(['*'], null), true);
  });
});
