/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- tests walk FHIR JSON answers dynamically; the assertions are the type checks. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandboxEhr } from '../sandbox-ehr.js';
import type { SandboxEhr } from '../sandbox-ehr.js';
import { fhirFetch, tokenFor } from '../testing/index.js';

describe('sandbox FHIR server over HTTP', () => {
  let ehr: SandboxEhr;
  let token: string;
  before(async () => {
    ehr = await startSandboxEhr();
    token = await tokenFor(ehr, ['system/*.*']);
  });
  after(async () => ehr.close());

  it('creates, reads, versions and refuses a stale If-Match with 412', async () => {
    const created = await fhirFetch(ehr, token, 'POST', 'Patient', {
      resourceType: 'Patient',
      id: 'ignored',
      gender: 'female',
    });
    assert.equal(created.status, 201);
    assert.notEqual(created.json.id, 'ignored');
    assert.equal(created.headers.get('etag'), 'W/"1"');
    assert.ok(created.headers.get('last-modified'));
    assert.equal(created.headers.get('location'), `${ehr.fhirBaseUrl}/Patient/${created.json.id}/_history/1`);
    assert.match(created.headers.get('content-type') ?? '', /application\/fhir\+json/);
    const id = created.json.id as string;

    const updated = await fhirFetch(
      ehr,
      token,
      'PUT',
      `Patient/${id}`,
      { ...created.json, gender: 'male' },
      { 'if-match': 'W/"1"' },
    );
    assert.equal(updated.status, 200);
    assert.equal(updated.headers.get('etag'), 'W/"2"');

    const stale = await fhirFetch(
      ehr,
      token,
      'PUT',
      `Patient/${id}`,
      { ...created.json, gender: 'other' },
      { 'if-match': 'W/"1"' },
    );
    assert.equal(stale.status, 412);
    assert.equal(stale.json.resourceType, 'OperationOutcome');

    const v1 = await fhirFetch(ehr, token, 'GET', `Patient/${id}/_history/1`);
    assert.equal(v1.json.gender, 'female');
    const current = await fhirFetch(ehr, token, 'GET', `Patient/${id}`);
    assert.equal(current.json.gender, 'male');
    assert.equal(current.headers.get('etag'), 'W/"2"');

    const history = await fhirFetch(ehr, token, 'GET', `Patient/${id}/_history`);
    assert.deepEqual(
      history.json.entry.map((e: { resource: { meta: { versionId: string } } }) => e.resource.meta.versionId),
      ['2', '1'],
    );
    // Asked twice: MemoryRepository's own history would have flipped order here.
    const again = await fhirFetch(ehr, token, 'GET', `Patient/${id}/_history`);
    assert.deepEqual(
      again.json.entry.map((e: { resource: { meta: { versionId: string } } }) => e.resource.meta.versionId),
      ['2', '1'],
    );

    const missing = await fhirFetch(ehr, token, 'GET', 'Patient/does-not-exist');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.resourceType, 'OperationOutcome');
    assert.equal((await fhirFetch(ehr, token, 'DELETE', `Patient/${id}`)).status, 200);
    assert.equal((await fhirFetch(ehr, token, 'GET', `Patient/${id}`)).status, 410);
  });

  it('conditional create with If-None-Exist creates once', async () => {
    const body = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      identifier: [{ system: 'urn:test', value: 'task-1' }],
    };
    const first = await fhirFetch(ehr, token, 'POST', 'Task', body, { 'if-none-exist': 'identifier=urn:test|task-1' });
    const second = await fhirFetch(ehr, token, 'POST', 'Task', body, { 'if-none-exist': 'identifier=urn:test|task-1' });
    assert.equal(first.status, 201);
    assert.equal(second.status, 200);
    assert.equal(second.json.id, first.json.id);
    const found = await fhirFetch(ehr, token, 'GET', 'Task?identifier=urn:test|task-1');
    assert.equal(found.json.total, 1);
  });

  it('pages search results through next links on the public URL, and filters by _lastUpdated', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 7; i += 1) {
      await fhirFetch(ehr, token, 'POST', 'Appointment', {
        resourceType: 'Appointment',
        status: 'booked',
        // Valid R4: a booked appointment has start and end (app-3), a participant an actor (app-1).
        start: '2024-03-11T09:00:00-04:00',
        end: '2024-03-11T09:30:00-04:00',
        participant: [{ status: 'accepted', actor: { reference: 'Practitioner/example' } }],
        description: `a${i}`,
      });
    }
    const seen: string[] = [];
    let next: string | undefined = 'Appointment?_count=3';
    let pages = 0;
    while (next) {
      const page = await fhirFetch(ehr, token, 'GET', next);
      assert.equal(page.status, 200);
      pages += 1;
      for (const e of page.json.entry ?? []) seen.push(e.resource.id);
      next = page.json.link.find((l: { relation: string }) => l.relation === 'next')?.url;
      if (next) assert.ok(next.startsWith(ehr.fhirBaseUrl));
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 7);
    const recent = await fhirFetch(ehr, token, 'GET', `Appointment?_lastUpdated=ge${encodeURIComponent(before)}`);
    assert.equal(recent.json.total, 7);
    const future = await fhirFetch(ehr, token, 'GET', 'Appointment?_lastUpdated=gt2999-01-01');
    assert.equal(future.json.total, 0);
  });

  it('serves type history and processes a transaction with urn:uuid references', async () => {
    const tx = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:8f0c1c52-3f35-4d5b-9b3a-6a4f2f1f0a01',
          resource: { resourceType: 'Patient', gender: 'female' },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: {
            resourceType: 'ServiceRequest',
            status: 'active',
            intent: 'order',
            subject: { reference: 'urn:uuid:8f0c1c52-3f35-4d5b-9b3a-6a4f2f1f0a01' },
          },
          request: { method: 'POST', url: 'ServiceRequest' },
        },
      ],
    };
    const res = await fhirFetch(ehr, token, 'POST', '', tx);
    assert.equal(res.status, 200);
    assert.equal(res.json.type, 'transaction-response');
    const sr = await fhirFetch(ehr, token, 'GET', 'ServiceRequest');
    const subject = sr.json.entry[0].resource.subject.reference as string;
    assert.match(subject, /^Patient\/[0-9a-f-]+$/);
    assert.equal((await fhirFetch(ehr, token, 'GET', subject)).status, 200);
    const typeHistory = await fhirFetch(ehr, token, 'GET', 'ServiceRequest/_history');
    assert.equal(typeHistory.json.type, 'history');
    assert.equal(typeHistory.json.total, 1);
  });

  it('publishes a CapabilityStatement and SMART configuration without a token', async () => {
    const cap = (await (await fetch(`${ehr.fhirBaseUrl}/metadata`)).json()) as any;
    assert.equal(cap.resourceType, 'CapabilityStatement');
    const appointment = cap.rest[0].resource.find((r: { type: string }) => r.type === 'Appointment');
    assert.ok(appointment.interaction.some((i: { code: string }) => i.code === 'update'));
    assert.ok(appointment.searchParam.some((p: { name: string }) => p.name === 'patient'));
    const oauth = cap.rest[0].security.extension[0].extension[0];
    assert.equal(oauth.valueUri, ehr.tokenUrl);
    const smart = (await (await fetch(`${ehr.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as any;
    assert.equal(smart.token_endpoint, ehr.tokenUrl);
    assert.deepEqual(smart.token_endpoint_auth_signing_alg_values_supported, ['RS384', 'ES384']);
    assert.deepEqual(smart.grant_types_supported, ['client_credentials']);
  });

  it('requires a token, and enforces scopes per type and interaction', async () => {
    const anonymous = await fetch(`${ehr.fhirBaseUrl}/Patient`);
    assert.equal(anonymous.status, 401);
    const readOnly = await tokenFor(ehr, ['system/Appointment.read', 'system/Task.write']);
    assert.equal((await fhirFetch(ehr, readOnly, 'GET', 'Appointment')).status, 200);
    const write = await fhirFetch(ehr, readOnly, 'POST', 'Appointment', {
      resourceType: 'Appointment',
      status: 'booked',
      participant: [{ status: 'accepted' }],
    });
    assert.equal(write.status, 403);
    assert.equal(write.json.resourceType, 'OperationOutcome');
    assert.equal((await fhirFetch(ehr, readOnly, 'GET', 'Patient')).status, 403);
    assert.equal(
      (await fhirFetch(ehr, readOnly, 'POST', 'Task', { resourceType: 'Task', status: 'requested', intent: 'order' }))
        .status,
      201,
    );
    const sneaky = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [{ resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } }],
    };
    assert.equal((await fhirFetch(ehr, readOnly, 'POST', '', sneaky)).status, 403);
  });

  it('refuses bodies over the limit and malformed JSON', async () => {
    const small = await startSandboxEhr({ maxBodyBytes: 1000 });
    try {
      const t = await tokenFor(small, ['system/*.*']);
      const big = await fhirFetch(small, t, 'POST', 'Patient', {
        resourceType: 'Patient',
        text: { status: 'generated', div: 'x'.repeat(2000) },
      });
      assert.equal(big.status, 413);
      const res = await fetch(`${small.fhirBaseUrl}/Patient`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/fhir+json' },
        body: '{',
      });
      assert.equal(res.status, 400);
    } finally {
      await small.close();
    }
  });
});
