import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PatientRef } from '@steward/core';
import type { EhrReader } from '@steward/ehr';
import { draftProposalHandler } from './draft-proposal.js';

describe('proposal.draft', () => {
  it('drafts for the patient that survives a merge, not the one the cited event names', async () => {
    const drafted: { patient: { ehrId: string } }[] = [];
    const read: string[] = [];
    const handler = draftProposalHandler({
      desk: {
        draft: (_ctx, input) => {
          drafted.push(input);
          return Promise.resolve({ id: 'p1', status: 'pending' } as never);
        },
      },
      ctx: { actor: { kind: 'service', id: 'wf', roles: ['automation'] } as never },
      siteOf: () => Promise.resolve('main'),
      ehr: {
        patient: (_ctx, _connectionId, ehrId) => {
          read.push(ehrId);
          return Promise.resolve({
            ehrId,
            identifiers: [
              { system: 'urn:mrn', value: `${ehrId}-mrn` },
              { system: 'urn:ssn-free', value: `${ehrId}-2` },
            ],
            live: true,
          });
        },
      } as Pick<EhrReader, 'patient'> as EhrReader,
      patientOf: () => Promise.resolve({ ehrId: 'retired', identifiers: [] }),
      surviving: (_c, p: PatientRef) =>
        Promise.resolve(p.ehrId === 'retired' ? { ehrId: 'survivor', identifiers: [] } : p),
    });
    await handler({
      key: 'wf/1/1',
      kind: 'proposal.draft',
      workflowId: 'wf',
      attempt: 1,
      input: {
        action: 'task.create',
        connectionId: 'c1',
        workflow: 'referral',
        correlationId: 'referral:c1:1',
        patientEventId: 'e1',
        target: { resourceType: 'Task' },
        payload: { for: { reference: 'Patient/{{patient}}' } },
        evidence: { eventIds: ['e1'], resources: [], reasonCode: 'overdue' },
      },
    });
    assert.equal(drafted[0]?.patient.ehrId, 'survivor');
    assert.deepEqual(read, ['survivor'], 'the retired chart is never read');
    assert.deepEqual((drafted[0] as unknown as { payload: unknown }).payload, {
      for: { reference: 'Patient/survivor' },
    });
  });
});
