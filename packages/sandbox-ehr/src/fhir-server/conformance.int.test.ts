/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- tests walk FHIR JSON answers dynamically; the assertions are the type checks. */
/**
 * Conformance of the sandbox as a FHIR R4 server, driven over HTTP by a third-party client (Vermonster's
 * fhir-kit-client from npm), not by Steward's own EHR client: what a real server does with transactions,
 * invalid codes, includes, history, `_summary=count`, unknown parameters and formats it does not serve.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'fhir-kit-client';
import { startSandboxEhr } from '../sandbox-ehr.js';
import type { SandboxEhr } from '../sandbox-ehr.js';
import { tokenFor } from '../testing/index.js';

/** The status and OperationOutcome of a refused request (fhir-kit-client throws on any non-2xx). */
async function refusal(call: Promise<unknown>): Promise<{ status: number; outcome: any }> {
  try {
    await call;
  } catch (e) {
    const response = (e as { response?: { status: number; data: unknown } }).response;
    if (response) return { status: response.status, outcome: response.data };
    throw e;
  }
  assert.fail('the server accepted the request');
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('sandbox FHIR conformance through fhir-kit-client', () => {
  let ehr: SandboxEhr;
  let client: Client;

  before(async () => {
    ehr = await startSandboxEhr();
    client = new Client({ baseUrl: ehr.fhirBaseUrl, bearerToken: await tokenFor(ehr, ['system/*.cruds']) });
  });
  after(async () => ehr.close());

  it('rolls a whole transaction back when one entry fails', async () => {
    const before = (await client.systemHistory()) as any;
    const transaction = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:0b7d8f3e-6a55-4c1e-9a4b-1f6c2d8e9a01',
          resource: { resourceType: 'Patient', identifier: [{ system: 'urn:conformance', value: 'tx-1' }] },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: {
            resourceType: 'Observation',
            status: 'not-a-status',
            code: { text: 'weight' },
            subject: { reference: 'urn:uuid:0b7d8f3e-6a55-4c1e-9a4b-1f6c2d8e9a01' },
          },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    };
    const { status, outcome } = await refusal(client.transaction({ body: transaction }));
    assert.equal(status, 400);
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.ok(outcome.issue.some((i: any) => i.code === 'code-invalid'));
    const found = (await client.search({
      resourceType: 'Patient',
      searchParams: { identifier: 'urn:conformance|tx-1' },
    })) as any;
    assert.equal(found.total, 0);
    assert.equal(((await client.systemHistory()) as any).total, before.total);

    // The same transaction, valid, commits both entries and links them.
    transaction.entry[1]!.resource.status = 'final';
    const done = (await client.transaction({ body: transaction })) as any;
    assert.equal(done.type, 'transaction-response');
    const observation = (await client.read({
      resourceType: 'Observation',
      id: done.entry[1].response.location.split('/')[1],
    })) as any;
    assert.equal(observation.subject.reference, done.entry[0].response.location);
  });

  it('rolls back an update when a later entry fails its If-Match precondition', async () => {
    const patient = (await client.create({
      resourceType: 'Patient',
      body: { resourceType: 'Patient', active: true },
    })) as any;
    const { status } = await refusal(
      client.transaction({
        body: {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              resource: { ...patient, active: false },
              request: { method: 'PUT', url: `Patient/${patient.id}` },
            },
            {
              resource: { ...patient, gender: 'female' },
              request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch: 'W/"99"' },
            },
          ],
        },
      }),
    );
    assert.ok(status === 400 || status === 412, `status ${status}`);
    const now = (await client.read({ resourceType: 'Patient', id: patient.id })) as any;
    assert.equal(now.active, true);
    assert.equal(now.meta.versionId, '1');
  });

  it('refuses a resource with a code outside its required value set with 400 and an OperationOutcome', async () => {
    const { status, outcome } = await refusal(
      client.create({ resourceType: 'Patient', body: { resourceType: 'Patient', gender: 'robot' } }),
    );
    assert.equal(status, 400);
    assert.equal(outcome.resourceType, 'OperationOutcome');
    const issue = outcome.issue.find((i: any) => i.code === 'code-invalid');
    assert.deepEqual(issue.expression, ['Patient.gender']);
    const structural = await refusal(
      client.create({ resourceType: 'Patient', body: { resourceType: 'Patient', colour: 'blue' } }),
    );
    assert.equal(structural.status, 400);
  });

  it('adds referenced resources with _include and referring ones with _revinclude (and :iterate)', async () => {
    const patient = (await client.create({ resourceType: 'Patient', body: { resourceType: 'Patient' } })) as any;
    const encounter = (await client.create({
      resourceType: 'Encounter',
      body: {
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: `Patient/${patient.id}` },
      },
    })) as any;
    const observation = (await client.create({
      resourceType: 'Observation',
      body: {
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'pulse' },
        subject: { reference: `Patient/${patient.id}` },
        encounter: { reference: `Encounter/${encounter.id}` },
      },
    })) as any;

    const included = (await client.search({
      resourceType: 'Observation',
      searchParams: { _id: observation.id, _include: 'Observation:subject' },
    })) as any;
    assert.equal(included.total, 1);
    const modes = included.entry.map((e: any) => `${e.search.mode} ${e.resource.resourceType}/${e.resource.id}`);
    assert.deepEqual(modes, [`match Observation/${observation.id}`, `include Patient/${patient.id}`]);

    const reverse = (await client.search({
      resourceType: 'Patient',
      searchParams: {
        _id: patient.id,
        _revinclude: 'Observation:subject',
        '_include:iterate': 'Observation:encounter',
      },
    })) as any;
    const shown = reverse.entry.map((e: any) => `${e.search.mode} ${e.resource.resourceType}`);
    assert.deepEqual(shown, ['match Patient', 'include Observation', 'include Encounter']);
  });

  it('serves instance and type history with request/response on every entry, deletes included, honouring _since', async () => {
    const created = (await client.create({ resourceType: 'Device', body: { resourceType: 'Device' } })) as any;
    await tick();
    const since = new Date().toISOString();
    await tick();
    await client.update({ resourceType: 'Device', id: created.id, body: { ...created, status: 'active' } });
    await client.delete({ resourceType: 'Device', id: created.id });

    const history = (await client.history({ resourceType: 'Device', id: created.id })) as any;
    assert.equal(history.type, 'history');
    assert.deepEqual(
      history.entry.map((e: any) => `${e.request.method} ${e.response.status.split(' ')[0]}`),
      ['DELETE 204', 'PUT 200', 'POST 201'],
    );
    assert.equal(history.entry[0].resource, undefined);
    assert.ok(history.entry.every((e: any) => typeof e.response.lastModified === 'string'));

    const recent = (await client.request(`Device/${created.id}/_history?_since=${encodeURIComponent(since)}`)) as any;
    assert.deepEqual(
      recent.entry.map((e: any) => e.request.method),
      ['DELETE', 'PUT'],
    );
    const typeLevel = (await client.request(`Device/_history?_since=${encodeURIComponent(since)}`)) as any;
    assert.equal(typeLevel.total, 2);
    assert.equal(typeLevel.entry[0].request.url, `Device/${created.id}`);
    const bad = await refusal(client.request('Device/_history?_since=yesterday'));
    assert.equal(bad.status, 400);
    const gone = await refusal(client.read({ resourceType: 'Device', id: created.id }));
    assert.equal(gone.status, 410);
  });

  it('answers _summary=count with a total and no entries', async () => {
    for (let i = 0; i < 3; i++) {
      await client.create({ resourceType: 'Basic', body: { resourceType: 'Basic', code: { text: 'counted' } } });
    }
    const counted = (await client.search({ resourceType: 'Basic', searchParams: { _summary: 'count' } })) as any;
    assert.ok(counted.total >= 3);
    assert.equal(counted.entry, undefined);
    // A summary the server does not cut down to is said so in the Bundle, not silently passed over.
    const summary = (await client.search({ resourceType: 'Basic', searchParams: { _summary: 'true' } })) as any;
    const note = summary.entry.find((e: any) => e.search.mode === 'outcome');
    assert.equal(note.resource.issue[0].severity, 'information');
  });

  it('reports an unknown search parameter instead of matching nothing, and refuses it when strict', async () => {
    await client.create({ resourceType: 'Flag', body: flag() });
    const all = (await client.search({ resourceType: 'Flag', searchParams: {} })) as any;
    const lenient = (await client.search({ resourceType: 'Flag', searchParams: { favourite: 'yes' } })) as any;
    assert.equal(lenient.total, all.total);
    const warning = lenient.entry.find((e: any) => e.search.mode === 'outcome');
    assert.equal(warning.resource.resourceType, 'OperationOutcome');
    assert.equal(warning.resource.issue[0].severity, 'warning');
    assert.ok(!lenient.link.find((l: any) => l.relation === 'self').url.includes('favourite'));

    const strict = await refusal(
      client.search({
        resourceType: 'Flag',
        searchParams: { favourite: 'yes' },
        options: { headers: { prefer: 'handling=strict' } },
      }),
    );
    assert.equal(strict.status, 400);
    assert.equal(strict.outcome.issue[0].severity, 'error');
  });

  it('answers 406 to a request for XML, in Accept or _format', async () => {
    const patient = (await client.create({ resourceType: 'Patient', body: { resourceType: 'Patient' } })) as any;
    const byAccept = await refusal(
      client.read({
        resourceType: 'Patient',
        id: patient.id,
        options: { headers: { accept: 'application/fhir+xml' } },
      }),
    );
    assert.equal(byAccept.status, 406);
    const byFormat = await refusal(client.search({ resourceType: 'Patient', searchParams: { _format: 'xml' } }));
    assert.equal(byFormat.status, 406);
    const json = (await client.search({ resourceType: 'Patient', searchParams: { _format: 'json' } })) as any;
    assert.equal(json.resourceType, 'Bundle');
  });
});

function flag(): { resourceType: string; [key: string]: unknown } {
  return { resourceType: 'Flag', status: 'active', code: { text: 'conformance' }, subject: { reference: 'Patient/x' } };
}
