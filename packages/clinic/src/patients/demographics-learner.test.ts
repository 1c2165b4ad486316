import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EhrEvent, RequestContext } from '@steward/core';
import { OperationalError } from '@steward/core';
import type { PatientIdentifier } from '@steward/core';
import type { SightingDemographics } from '@steward/governance';
import { DemographicsLearner, type DemographicsFailure, type EhrPatientRecord } from './demographics-learner.js';

const reader: RequestContext = {
  actor: { kind: 'service', id: 'steward-workflows', name: 'w', authMethod: 'local-operator' },
};
const filer: RequestContext = { actor: { kind: 'service', id: 'feed', name: 'f', authMethod: 'api-token' } };
const adaName: SightingDemographics = { name: { family: 'Lovelace', given: ['Ada'] }, birthDate: '1815-12-10' };
const mrn: PatientIdentifier = { system: 'urn:ehr:mrn', value: 'MRN-1815' };
const ada: EhrPatientRecord = { identifiers: [mrn], demographics: adaName };

function event(patientId: string, ehrId: string, channel: EhrEvent['channel'] = 'fhir-subscription'): EhrEvent {
  return {
    id: `e-${patientId}`,
    seq: 1,
    recordedAt: new Date(),
    type: 'order.created',
    connectionId: 'c1',
    channel,
    dedupKey: `fhir:ServiceRequest/${patientId}`,
    occurredAt: '2026-03-08T09:30:00-04:00',
    patient: { ehrId, identifiers: [] },
    patientId,
    facts: { kind: 'Order' },
    sourceRef: 'ServiceRequest/1',
  } as unknown as EhrEvent;
}

/**
 * An index holding demographics and identifiers in memory (`survivors`: the patient an EHR id's
 * identifiers find when another holds them), and an EHR that answers per id (or fails).
 */
function setup(
  answers: Record<string, EhrPatientRecord | undefined | Error>,
  maxPerBatch?: number,
  survivors: Record<string, string> = {},
) {
  const known = new Map<string, SightingDemographics>();
  const linked = new Map<string, { connectionId: string; ehrId: string; identifiers: readonly PatientIdentifier[] }>();
  const reads: string[] = [];
  const failures: DemographicsFailure[] = [];
  const learner = new DemographicsLearner({
    index: {
      withoutDemographics: (ids) => Promise.resolve(ids.filter((id) => !known.has(id))),
      learnDemographics: (ctx, id, d) => {
        assert.equal(ctx, filer, 'given to the index as the connection account');
        known.set(id, d);
        return Promise.resolve(true);
      },
      linkIdentifiers: (ctx, id, learned) => {
        assert.equal(ctx, filer, 'linked as the connection account');
        linked.set(id, learned);
        return Promise.resolve(survivors[id] ?? id);
      },
    },
    ctx: reader,
    read: (ctx, _connectionId, ehrId) => {
      assert.equal(ctx, reader, 'read as the workflows account');
      reads.push(ehrId);
      const a = answers[ehrId];
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
    writerOf: () => Promise.resolve(filer),
    failed: (f) => failures.push(f),
    ...(maxPerBatch !== undefined ? { maxPerBatch } : {}),
  });
  return { learner, known, linked, reads, failures };
}

describe('DemographicsLearner', () => {
  it('reads each FHIR-fed patient without demographics once, and skips those it knows', async () => {
    const s = setup({ p1: ada });
    const round = await s.learner.observe('c1', [event('a', 'p1'), event('a', 'p1'), event('h', 'p9', 'hl7v2')]);
    assert.deepEqual(round, { learned: 1, failed: 0 });
    assert.deepEqual(s.known.get('a'), adaName);
    assert.deepEqual(s.linked.get('a'), { connectionId: 'c1', ehrId: 'p1', identifiers: [mrn] }, 'its MRN linked');
    await s.learner.observe('c1', [event('a', 'p1')]);
    assert.deepEqual(s.reads, ['p1'], 'not read again once known; an HL7 event is never read');
  });

  it('keeps a failed read visible with its code, never throws, and tries again on a later sighting', async () => {
    const answers: Record<string, EhrPatientRecord | Error> = {
      p1: new OperationalError('EHR_UNAVAILABLE', 'the EHR did not answer'),
    };
    const s = setup(answers);
    assert.deepEqual(await s.learner.observe('c1', [event('a', 'p1')]), { learned: 0, failed: 1 });
    assert.deepEqual(s.failures, [{ connectionId: 'c1', patientId: 'a', code: 'EHR_UNAVAILABLE' }]);
    answers.p1 = ada;
    assert.deepEqual(await s.learner.observe('c1', [event('a', 'p1')]), { learned: 1, failed: 0 });
  });

  it('reads a record without usable demographics once, and bounds the reads per batch', async () => {
    const s = setup({ p1: undefined, p2: ada, p3: ada }, 2);
    assert.deepEqual(await s.learner.observe('c1', [event('a', 'p1'), event('b', 'p2'), event('c', 'p3')]), {
      learned: 1,
      failed: 1,
    });
    assert.equal(s.failures[0]?.code, 'FHIR_INVALID');
    await s.learner.observe('c1', [event('a', 'p1'), event('c', 'p3')]);
    assert.deepEqual(
      s.reads,
      ['p1', 'p2', 'p3'],
      'the third waited for the next batch; the nameless one is not re-read',
    );
  });

  it('links the identifiers of a record without usable demographics, and names the patient they find', async () => {
    const s = setup({ p1: { identifiers: [mrn] }, p2: ada }, undefined, { b: 'older' });
    assert.deepEqual(await s.learner.observe('c1', [event('a', 'p1'), event('b', 'p2')]), { learned: 1, failed: 1 });
    assert.deepEqual(s.linked.get('a')?.identifiers, [mrn], 'found by MRN although it has no name');
    assert.equal(s.failures[0]?.code, 'FHIR_INVALID');
    // The EHR's identifiers found an older patient: the demographics go to it.
    assert.deepEqual(s.known.get('older'), adaName);
    assert.equal(s.known.has('b'), false);
    // A record with no identifiers links nothing.
    const bare = setup({ p3: { identifiers: [], demographics: adaName } });
    await bare.learner.observe('c1', [event('c', 'p3')]);
    assert.equal(bare.linked.size, 0);
    assert.deepEqual(bare.known.get('c'), adaName);
  });
});
