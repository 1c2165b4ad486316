/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests walk FHIR JSON answers dynamically; the assertions are the type checks. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandboxEhr } from '../sandbox-ehr.js';
import type { SandboxEhr } from '../sandbox-ehr.js';
import { fhirFetch, tokenFor } from '../testing/index.js';
import { FaultInjector } from './fault-injector.js';

describe('FaultInjector', () => {
  it('is deterministic from its seed and honours rate and times', () => {
    const draw = (seed: number): string[] => {
      const f = new FaultInjector(seed);
      f.setRules([{ kind: 'status', rate: 0.5, status: 502 }]);
      return Array.from({ length: 40 }, () => f.decide('GET', '/fhir/R4/Patient').kind);
    };
    assert.deepEqual(draw(7), draw(7));
    const kinds = draw(7);
    assert.ok(kinds.includes('status') && kinds.includes('none'));
    const once = new FaultInjector(1);
    once.setRules([{ kind: 'drop', rate: 1, times: 1, method: 'post', pathPrefix: '/fhir/R4/Task' }]);
    assert.equal(once.decide('GET', '/fhir/R4/Task').kind, 'none');
    assert.equal(once.decide('POST', '/fhir/R4/Task').kind, 'drop');
    assert.equal(once.decide('POST', '/fhir/R4/Task').kind, 'none');
    assert.equal(once.counters.drop, 1);
  });

  it('rejects invalid rules with every problem named', () => {
    assert.throws(
      () => new FaultInjector().setRules([{ kind: 'explode', rate: 2 } as never]),
      (e: Error & { details?: unknown[] }) => e.details?.length === 2,
    );
  });
});

describe('fault injection over HTTP', () => {
  let ehr: SandboxEhr;
  let token: string;
  before(async () => {
    ehr = await startSandboxEhr({ faultSeed: 42 });
    token = await tokenFor(ehr, ['system/*.*']);
  });
  beforeEach(() => ehr.faults.clear());
  after(async () => ehr.close());

  it('answers an injected 5xx and a 429 with Retry-After', async () => {
    ehr.faults.setRules([
      { kind: 'status', rate: 1, status: 503, times: 1 },
      { kind: 'rate-limit', rate: 1, retryAfterSeconds: 7, times: 1 },
    ]);
    const first = await fhirFetch(ehr, token, 'GET', 'Patient');
    assert.equal(first.status, 503);
    assert.equal(first.json.resourceType, 'OperationOutcome');
    const second = await fhirFetch(ehr, token, 'GET', 'Patient');
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), '7');
    assert.equal((await fhirFetch(ehr, token, 'GET', 'Patient')).status, 200);
    assert.deepEqual([ehr.faults.counters.status, ehr.faults.counters['rate-limit']], [1, 1]);
  });

  it('delays a request by the injected latency and then answers it', async () => {
    ehr.faults.setRules([{ kind: 'latency', rate: 1, latencyMs: 50, times: 1 }]);
    assert.equal((await fhirFetch(ehr, token, 'GET', 'Patient')).status, 200);
    assert.equal(ehr.faults.counters.latency, 1);
  });

  it('drops the connection before answering, without committing', async () => {
    ehr.faults.setRules([{ kind: 'drop', rate: 1, method: 'POST', pathPrefix: '/fhir/R4/Task', times: 1 }]);
    const body = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      identifier: [{ system: 'urn:t', value: 'dropped' }],
    };
    await assert.rejects(fhirFetch(ehr, token, 'POST', 'Task', body));
    const found = await fhirFetch(ehr, token, 'GET', 'Task?identifier=urn:t|dropped');
    assert.equal(found.json.total, 0);
  });

  it('commits a lost-response request although the client never sees the answer', async () => {
    ehr.faults.setRules([{ kind: 'lost-response', rate: 1, method: 'POST', times: 1 }]);
    const body = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      identifier: [{ system: 'urn:t', value: 'lost' }],
    };
    await assert.rejects(fhirFetch(ehr, token, 'POST', 'Task', body));
    const found = await fhirFetch(ehr, token, 'GET', 'Task?identifier=urn:t|lost');
    assert.equal(found.json.total, 1);
    assert.equal(ehr.faults.counters['lost-response'], 1);
  });

  it('never answers a timed-out request; the client gives up', async () => {
    ehr.faults.setRules([{ kind: 'timeout', rate: 1, times: 1 }]);
    const res = fetch(`${ehr.fhirBaseUrl}/Patient`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(300),
    });
    await assert.rejects(res, (e: Error) => e.name === 'TimeoutError');
    assert.equal(ehr.faults.counters.timeout, 1);
  });

  const taskWith = (value: string): Record<string, unknown> => ({
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    identifier: [{ system: 'urn:t', value }],
  });
  const postGivingUpAfter = (ms: number, body: unknown): Promise<Response> =>
    fetch(`${ehr.fhirBaseUrl}/Task`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ms),
    });

  it('commits a commit-then-timeout write at once and never answers it', async () => {
    ehr.faults.setRules([{ kind: 'commit-then-timeout', rate: 1, method: 'POST', times: 1 }]);
    await assert.rejects(postGivingUpAfter(300, taskWith('hung')), (e: Error) => e.name === 'TimeoutError');
    const found = await fhirFetch(ehr, token, 'GET', 'Task?identifier=urn:t|hung');
    assert.equal(found.json.total, 1, 'landed although the client timed out');
    assert.equal(ehr.faults.counters['commit-then-timeout'], 1);
  });

  it('commits a late-commit write only after the client gave up on it', async () => {
    ehr.faults.setRules([{ kind: 'late-commit', rate: 1, method: 'POST', times: 1, latencyMs: 400 }]);
    await assert.rejects(postGivingUpAfter(100, taskWith('late')), (e: Error) => e.name === 'TimeoutError');
    const before = await fhirFetch(ehr, token, 'GET', 'Task?identifier=urn:t|late');
    assert.equal(before.json.total, 0, 'not there when the client gave up');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await fhirFetch(ehr, token, 'GET', 'Task?identifier=urn:t|late');
    assert.equal(after.json.total, 1, 'there once the EHR got to it');
    assert.throws(() => ehr.faults.setRules([{ kind: 'late-commit', rate: 1 }]), { code: 'VALIDATION_FAILED' });
  });

  it('is configurable through POST /$sandbox/faults', async () => {
    const set = await fetch(`${ehr.url}/$sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ kind: 'status', rate: 1, status: 500, pathPrefix: '/fhir/R4/Encounter' }] }),
    });
    assert.equal(set.status, 200);
    assert.equal((await fhirFetch(ehr, token, 'GET', 'Encounter')).status, 500);
    assert.equal((await fhirFetch(ehr, token, 'GET', 'Patient')).status, 200);
    const bad = await fetch(`${ehr.url}/$sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ rules: [{ kind: 'nope', rate: 1 }] }),
    });
    assert.equal(bad.status, 400);
    const state = (await (await fetch(`${ehr.url}/$sandbox/faults`)).json()) as { counters: { status: number } };
    assert.equal(state.counters.status, 1);
  });
});
