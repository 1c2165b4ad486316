import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OperationalError, type PatientRef } from '@steward/core';
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

  it('updates a Task it knows only by its identifier (a mirrored handoff): found by a search, based on its current version', async () => {
    const drafted: Record<string, unknown>[] = [];
    const handler = draftProposalHandler({
      desk: {
        draft: (_ctx, d) => {
          drafted.push(d as unknown as Record<string, unknown>);
          return Promise.resolve({ id: 'p2', status: 'pending' } as never);
        },
      },
      ctx: { actor: { kind: 'service', id: 'wf', roles: ['automation'] } as never },
      siteOf: () => Promise.resolve('main'),
      ehr: {
        search: (_ctx, _c, type, params) =>
          Promise.resolve(
            type === 'Task' && params['identifier'] === 'urn:steward:handoff|h-1'
              ? [{ resource: { resourceType: 'Task', id: 't-7' }, versionId: '3' }]
              : [],
          ),
        read: (_ctx, _c, ref) =>
          Promise.resolve({
            resource: { resourceType: 'Task', id: ref.id, status: 'requested', intent: 'order' },
            versionId: '3',
          }),
        patient: (_ctx, _c, ehrId) =>
          Promise.resolve({
            ehrId,
            identifiers: [
              { system: 'urn:mrn', value: 'M-1' },
              { system: 'urn:other', value: 'O-1' },
            ],
            live: true,
          }),
      } as Pick<EhrReader, 'patient' | 'search' | 'read'> as EhrReader,
      patientOf: () => Promise.resolve({ ehrId: 'pat-1', identifiers: [] }),
    });
    const update = (identifier: string) =>
      handler({
        key: 'wf/4/0',
        kind: 'proposal.draft',
        workflowId: 'wf',
        attempt: 1,
        input: {
          action: 'task.update',
          connectionId: 'c1',
          workflow: 'referral',
          correlationId: 'referral:c1:1',
          patientEventId: 'e1',
          target: { resourceType: 'Task', identifier },
          changes: { status: 'completed' },
          evidence: { eventIds: ['e1'], resources: [], reasonCode: 'referral.handoff.done' },
        },
      });
    await update('urn:steward:handoff|h-1');
    assert.deepEqual(drafted[0]?.['target'], { resourceType: 'Task', id: 't-7' });
    assert.equal(drafted[0]?.['baseVersion'], '3');
    assert.deepEqual(drafted[0]?.['payload'], {
      resourceType: 'Task',
      id: 't-7',
      status: 'completed',
      intent: 'order',
    });
    await assert.rejects(update('urn:steward:handoff|h-unknown'), {
      code: 'VALIDATION_FAILED',
      details: [{ path: 'target.identifier', message: 'not in the EHR' }],
    });
  });

  const input = {
    action: 'task.create',
    connectionId: 'c1',
    workflow: 'referral',
    correlationId: 'referral:c1:1',
    patientEventId: 'e1',
    target: { resourceType: 'Task' },
    payload: { for: { reference: 'Patient/{{patient}}' } },
    evidence: { eventIds: ['e1'], resources: [], reasonCode: 'overdue' },
  };
  /** An HL7-fed event: the patient known by its MRN only; the EHR holds `charts` by identifier. */
  const hl7Handler = (
    charts: Readonly<Record<string, readonly string[]>>,
    drafted: { patient: { ehrId: string } }[],
    searched: string[],
    reported: string[][] = [],
  ) =>
    draftProposalHandler({
      desk: {
        draft: (_ctx, d) => {
          drafted.push(d);
          return Promise.resolve({ id: 'p1', status: 'pending' } as never);
        },
      },
      ctx: { actor: { kind: 'service', id: 'wf', roles: ['automation'] } as never },
      siteOf: () => Promise.resolve('main'),
      ehr: {
        search: (_ctx, _c, type, params) => {
          searched.push(`${type}?identifier=${params['identifier']}`);
          if (charts === unavailable)
            return Promise.reject(new OperationalError('EHR_UNAVAILABLE', 'the EHR did not answer'));
          return Promise.resolve(
            (charts[params['identifier'] ?? ''] ?? []).map((id) => ({
              resource: { resourceType: 'Patient', id },
              versionId: '1',
            })),
          );
        },
        patient: (_ctx, _c, ehrId) =>
          Promise.resolve({
            ehrId,
            identifiers: [
              { system: 'urn:mrn', value: 'M-1' },
              { system: 'urn:other', value: `${ehrId}-2` },
            ],
            live: true,
          }),
      } as Pick<EhrReader, 'patient' | 'search'> as EhrReader,
      patientOf: () => Promise.resolve({ identifiers: [{ system: 'urn:mrn', value: 'M-1' }] }),
      patientNotFound: (connectionId, eventId, reason) => {
        reported.push([connectionId, eventId, reason]);
        return Promise.resolve();
      },
    });
  /** An EHR that does not answer the search. */
  const unavailable: Readonly<Record<string, readonly string[]>> = {};

  it("drafts for the EHR patient carrying an HL7 event's MRN when the event names no EHR id", async () => {
    const drafted: { patient: { ehrId: string } }[] = [];
    const searched: string[] = [];
    const handler = hl7Handler({ 'urn:mrn|M-1': ['pat-9'] }, drafted, searched);
    await handler({ key: 'wf/1/1', kind: 'proposal.draft', workflowId: 'wf', attempt: 1, input });
    assert.deepEqual(searched, ['Patient?identifier=urn:mrn|M-1']);
    assert.equal(drafted[0]?.patient.ehrId, 'pat-9');
    assert.deepEqual((drafted[0] as unknown as { payload: unknown }).payload, { for: { reference: 'Patient/pat-9' } });
  });

  it('refuses, drafting nothing, when no EHR patient or two carry the MRN, and reports it for a person', async () => {
    for (const [charts, message] of [
      [{}, /no EHR patient carries/],
      [{ 'urn:mrn|M-1': ['pat-9', 'pat-10'] }, /more than one EHR patient/],
    ] as const) {
      const drafted: { patient: { ehrId: string } }[] = [];
      const reported: string[][] = [];
      const handler = hl7Handler(charts, drafted, [], reported);
      await assert.rejects(handler({ key: 'wf/1/1', kind: 'proposal.draft', workflowId: 'wf', attempt: 1, input }), {
        code: 'VALIDATION_FAILED',
        message,
      });
      assert.equal(drafted.length, 0);
      assert.equal(reported.length, 1, 'reported once, for the attention list');
      const [connectionId, eventId, reason] = reported[0] ?? [];
      assert.deepEqual([connectionId, eventId], ['c1', 'e1']);
      assert.match(reason ?? '', message);
      assert.match(reason ?? '', /the referral workflow's task\.create proposal was not drafted/);
      assert.doesNotMatch(reason ?? '', /M-1/, 'the reason names no identifier');
    }
  });

  it('does not report an EHR that did not answer: the draft is retried, not put before a person', async () => {
    const reported: string[][] = [];
    const handler = hl7Handler(unavailable, [], [], reported);
    await assert.rejects(handler({ key: 'wf/1/1', kind: 'proposal.draft', workflowId: 'wf', attempt: 1, input }), {
      code: 'EHR_UNAVAILABLE',
    });
    assert.deepEqual(reported, []);
  });
});
