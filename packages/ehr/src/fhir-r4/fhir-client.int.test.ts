import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { FhirClient } from './fhir-client.js';
import type { AccessTokenProvider } from './smart-backend-auth.js';
import { sendJson, startTestServer } from './test-server.js';
import type { TestServer } from './test-server.js';

const noWait = (): Promise<void> => Promise.resolve();

function clientFor(srv: TestServer, path = '/fhir'): FhirClient {
  return new FhirClient({ baseUrl: `${srv.origin}${path}`, transport: (u, i) => fetch(u, i), sleep: noWait });
}

async function withServer(
  handler: Parameters<typeof startTestServer>[0],
  body: (srv: TestServer) => Promise<void>,
): Promise<void> {
  const srv = await startTestServer(handler);
  try {
    await body(srv);
  } finally {
    await srv.close();
  }
}

const capability = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  date: '2026-01-01',
  rest: [
    {
      mode: 'server',
      resource: [
        {
          type: 'Patient',
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: [{ name: 'identifier', type: 'token' }],
        },
      ],
      searchParam: [{ name: '_lastUpdated', type: 'date' }],
    },
  ],
};

describe('FhirClient against a real server', () => {
  it('reads capabilities once and answers support questions from them', () =>
    withServer(
      (req, res) => (req.path === '/fhir/metadata' ? sendJson(res, 200, capability) : sendJson(res, 404, {})),
      async (srv) => {
        const c = clientFor(srv);
        assert.equal(await c.supports('Patient', 'read'), true);
        assert.equal(await c.supports('Patient', 'update'), false);
        assert.equal(await c.supports('Task', 'read'), false);
        assert.equal(await c.supportsSearchParam('Patient', 'identifier'), true);
        assert.equal(await c.supportsSearchParam('Patient', '_lastUpdated'), true);
        assert.equal(await c.supportsSearchParam('Patient', 'birthdate'), false);
        assert.equal(srv.requests.length, 1);
        assert.equal(srv.requests[0]?.headers.accept, 'application/fhir+json');
      },
    ));

  it('reads capabilities without a token, and with one when the server insists', async () => {
    let tokens = 0;
    const auth: AccessTokenProvider = {
      accessToken: () => Promise.resolve(`t${++tokens}`),
      invalidate: () => undefined,
      requireScope: () => Promise.resolve(),
    };
    for (const requireAuth of [false, true]) {
      tokens = 0;
      await withServer(
        (req, res) =>
          requireAuth && req.headers.authorization === undefined
            ? sendJson(res, 401, { resourceType: 'OperationOutcome', issue: [] })
            : sendJson(res, 200, capability),
        async (srv) => {
          const c = new FhirClient({
            baseUrl: `${srv.origin}/fhir`,
            transport: (u, i) => fetch(u, i),
            sleep: noWait,
            auth,
          });
          assert.equal((await c.capabilities()).resourceType, 'CapabilityStatement');
          assert.equal(srv.requests[0]?.headers.authorization, undefined, 'first asked without a token');
          assert.equal(tokens, requireAuth ? 1 : 0);
          assert.equal(srv.requests.length, requireAuth ? 2 : 1);
        },
      );
    }
  });

  it('read carries the version from the ETag and lastUpdated from meta', () =>
    withServer(
      (_req, res) =>
        sendJson(
          res,
          200,
          { resourceType: 'Patient', id: 'p1', meta: { versionId: '6', lastUpdated: '2026-02-01T00:00:00Z' } },
          { etag: 'W/"7"' },
        ),
      async (srv) => {
        const r = await clientFor(srv).read('Patient', 'p1');
        assert.equal(r.versionId, '7'); // the ETag wins: it is what If-Match must echo
        assert.equal(r.lastUpdated, '2026-02-01T00:00:00Z');
        assert.equal(srv.requests[0]?.path, '/fhir/Patient/p1');
        const v = await clientFor(srv).vread('Patient', 'p1', '6');
        assert.equal(v.resource.id, 'p1');
        assert.equal(srv.requests[1]?.path, '/fhir/Patient/p1/_history/6');
      },
    ));

  it('rejects malformed JSON, non-objects and the wrong resourceType as FHIR_INVALID', async () => {
    for (const body of ['{not json', '[1,2]', '"x"', JSON.stringify({ resourceType: 'Observation', id: 'p1' })]) {
      await withServer(
        (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/fhir+json' });
          res.end(body);
        },
        async (srv) => {
          await assert.rejects(clientFor(srv).read('Patient', 'p1'), { code: 'FHIR_INVALID' });
        },
      );
    }
  });

  it('refuses ids that would change the path, before sending', () =>
    withServer(
      (_req, res) => sendJson(res, 200, {}),
      async (srv) => {
        await assert.rejects(clientFor(srv).read('Patient', '../Observation/1'), { code: 'VALIDATION_FAILED' });
        assert.equal(srv.requests.length, 0);
      },
    ));

  it('searchAll follows next links (absolute and relative) across pages', () =>
    withServer(
      (req, res) => {
        const url = new URL(req.path, 'http://x');
        const page = Number(url.searchParams.get('page') ?? '1');
        const next =
          page === 1 ? `http://${req.headers.host}/fhir/Patient?page=2` : page === 2 ? 'Patient?page=3' : undefined;
        const bundle: Bundle = {
          resourceType: 'Bundle',
          type: 'searchset',
          link: next !== undefined ? [{ relation: 'next', url: next }] : [],
          entry: [
            { resource: { resourceType: 'Patient', id: `p${page}` }, search: { mode: 'match' } },
            { resource: { resourceType: 'Organization', id: `o${page}` }, search: { mode: 'include' } },
          ],
        };
        sendJson(res, 200, bundle);
      },
      async (srv) => {
        const ids: string[] = [];
        for await (const p of clientFor(srv).searchAll('Patient', { identifier: 'sys|1', _count: 1 }))
          ids.push(p.id ?? '');
        assert.deepEqual(ids, ['p1', 'p2', 'p3']);
        assert.equal(srv.requests[0]?.path, '/fhir/Patient?identifier=sys%7C1&_count=1');
        assert.equal(srv.requests.length, 3);
      },
    ));

  it('refuses a next link to another origin, and never calls it', async () => {
    const foreign = await startTestServer((_req, res) =>
      sendJson(res, 200, { resourceType: 'Bundle', type: 'searchset' }),
    );
    try {
      await withServer(
        (_req, res) =>
          sendJson(res, 200, {
            resourceType: 'Bundle',
            type: 'searchset',
            link: [{ relation: 'next', url: `${foreign.origin}/fhir/Patient?page=2` }],
            entry: [],
          }),
        async (srv) => {
          const pages: Bundle[] = [];
          await assert.rejects(
            (async () => {
              for await (const page of clientFor(srv).searchPages('Patient')) pages.push(page);
            })(),
            { code: 'FHIR_INVALID', message: /another origin/ },
          );
          assert.equal(pages.length, 1);
          assert.equal(foreign.requests.length, 0);
        },
      );
    } finally {
      await foreign.close();
    }
  });

  it('update sends If-Match and never overwrites: 412 is EHR_CONFLICT', () =>
    withServer(
      (req, res) =>
        req.headers['if-match'] === 'W/"3"'
          ? sendJson(res, 200, { resourceType: 'Patient', id: 'p1', meta: { versionId: '4' } }, { etag: 'W/"4"' })
          : sendJson(res, 412, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'conflict' }] }),
      async (srv) => {
        const c = clientFor(srv);
        const patient: Patient = { resourceType: 'Patient', id: 'p1', active: true };
        const r = await c.update(patient, { ifMatch: '3' });
        assert.equal(r.versionId, '4');
        const sent = srv.requests[0];
        assert.equal(sent?.method, 'PUT');
        assert.equal(sent?.headers['content-type'], 'application/fhir+json');
        assert.equal(sent?.headers.prefer, 'return=representation');
        assert.deepEqual(JSON.parse(sent?.body ?? ''), patient);
        await assert.rejects(c.update(patient, { ifMatch: '2' }), { code: 'EHR_CONFLICT' });
        assert.equal(srv.requests.length, 2, 'a conflict is not retried');
      },
    ));

  it('create sends If-None-Exist and reads back from Location when the server returns no body', () =>
    withServer(
      (req, res) => {
        if (req.method === 'POST') {
          res.writeHead(201, { location: `http://${req.headers.host}/fhir/Patient/new1/_history/1` });
          res.end();
          return;
        }
        sendJson(res, 200, { resourceType: 'Patient', id: 'new1', meta: { versionId: '1' } });
      },
      async (srv) => {
        const r = await clientFor(srv).create<Patient>(
          { resourceType: 'Patient', active: true },
          { ifNoneExist: { identifier: 'sys|9' } },
        );
        assert.equal(r.resource.id, 'new1');
        assert.equal(r.versionId, '1');
        assert.equal(srv.requests[0]?.headers['if-none-exist'], 'identifier=sys%7C9');
        assert.equal(srv.requests[1]?.path, '/fhir/Patient/new1/_history/1');
      },
    ));

  it('maps an OperationOutcome to EHR_REJECTED with issue codes and paths only (no diagnostics, no literals)', () =>
    withServer(
      (_req, res) =>
        sendJson(res, 422, {
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'error',
              code: 'invariant',
              diagnostics: 'birthDate 1961-04-12 of Jane Doe is invalid',
              expression: ['Patient.birthDate'],
            },
            {
              severity: 'error',
              code: 'value',
              details: { text: 'SSN 123-45-6789' },
              location: ["Patient.identifier.where(value='123-45-6789')"],
            },
          ],
        }),
      async (srv) => {
        const err = await clientFor(srv)
          .create<Patient>({ resourceType: 'Patient' })
          .then(
            () => assert.fail('expected a rejection'),
            (e: unknown) => e as { code: string; details: { path?: string; message: string }[] },
          );
        assert.equal(err.code, 'EHR_REJECTED');
        assert.deepEqual(err.details, [
          { path: 'http.status', message: '422' },
          { path: 'Patient.birthDate', message: 'error:invariant' },
          { path: "Patient.identifier.where(value='…')", message: 'error:value' },
        ]);
        const text = JSON.stringify(err) + String((err as unknown as Error).message);
        assert.doesNotMatch(text, /Jane|1961|123-45/);
      },
    ));

  it('sends a transaction and checks the response Bundle type', () =>
    withServer(
      (req, res) =>
        req.path === '/fhir'
          ? sendJson(res, 200, {
              resourceType: 'Bundle',
              type: 'transaction-response',
              entry: [{ response: { status: '201 Created' } }],
            })
          : sendJson(res, 404, {}),
      async (srv) => {
        const bundle: Bundle = {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [{ resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } }],
        };
        const r = await clientFor(srv).transaction(bundle);
        assert.equal(r.type, 'transaction-response');
        assert.equal(srv.requests[0]?.method, 'POST');
        await assert.rejects(clientFor(srv).batch(bundle), { code: 'VALIDATION_FAILED' });
        assert.equal(srv.requests.length, 1);
      },
    ));
});
