import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@steward/core';
import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import { FhirClient } from './fhir-client.js';
import { SmartBackendAuth } from './smart-backend-auth.js';
import { sendJson, startTestServer } from './test-server.js';
import type { TestServer } from './test-server.js';

type PublicKey = Awaited<ReturnType<typeof generateKeyPair>>['publicKey'];

interface Verified {
  readonly alg: string;
  readonly kid: string | undefined;
  readonly typ: string | undefined;
  readonly iss: string | undefined;
  readonly sub: string | undefined;
  readonly aud: string | string[] | undefined;
  readonly jti: string | undefined;
  readonly lifetime: number;
}

/** A token endpoint that verifies the assertion with jose against the registered public key. */
async function authServer(publicKeys: Record<string, PublicKey>, clock: ManualClock) {
  const verified: Verified[] = [];
  const state = {
    scope: 'system/Patient.rs system/Task.cruds' as string | undefined,
    expiresIn: 300,
    issued: 0,
    fail: undefined as string | undefined,
  };
  const server: TestServer = await startTestServer(async (req, res) => {
    if (req.path === '/fhir/.well-known/smart-configuration') {
      sendJson(res, 200, {
        token_endpoint: `${server.origin}/auth/token`,
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      });
      return;
    }
    if (req.path !== '/auth/token' || req.method !== 'POST') return sendJson(res, 404, {});
    const form = new URLSearchParams(req.body);
    if (state.fail !== undefined)
      return sendJson(res, 400, { error: state.fail, error_description: 'client my-client assertion rejected' });
    const assertion = form.get('client_assertion') ?? '';
    const header = decodeProtectedHeader(assertion);
    const key = publicKeys[header.kid ?? ''];
    assert.ok(key, 'known kid');
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const { payload, protectedHeader } = await jwtVerify(assertion, key, {
      issuer: 'my-client',
      subject: 'my-client',
      audience: `${server.origin}/auth/token`,
      algorithms: ['RS384', 'ES384'],
      currentDate: clock.now(),
      requiredClaims: ['exp', 'jti', 'iat'],
    });
    verified.push({
      alg: protectedHeader.alg,
      kid: protectedHeader.kid,
      typ: protectedHeader.typ,
      iss: payload.iss,
      sub: payload.sub,
      aud: payload.aud,
      jti: payload.jti,
      lifetime: (payload.exp ?? 0) - (payload.iat ?? 0),
    });
    state.issued++;
    sendJson(res, 200, {
      access_token: `token-${state.issued}`,
      token_type: 'Bearer',
      expires_in: state.expiresIn,
      ...(state.scope !== undefined ? { scope: state.scope } : {}),
    });
  });
  return { server, verified, state };
}

async function keyPair(alg: 'RS384' | 'ES384', kid: string): Promise<{ privateJwk: JWK; publicKey: PublicKey }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid };
  return { privateJwk, publicKey };
}

describe('SmartBackendAuth against a real token endpoint', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let rsa: Awaited<ReturnType<typeof keyPair>>;
  let ec: Awaited<ReturnType<typeof keyPair>>;
  let auth: Awaited<ReturnType<typeof authServer>>;

  before(async () => {
    rsa = await keyPair('RS384', 'rsa-1');
    ec = await keyPair('ES384', 'ec-1');
    auth = await authServer({ 'rsa-1': rsa.publicKey, 'ec-1': ec.publicKey }, clock);
  });
  after(() => auth.server.close());

  const make = (privateKey: JWK, scopes = ['system/Patient.rs', 'system/Task.cruds']) =>
    new SmartBackendAuth({
      fhirBaseUrl: `${auth.server.origin}/fhir/`,
      clientId: 'my-client',
      privateKey,
      scopes,
      transport: (url, init) => fetch(url, init),
      clock,
    });

  for (const alg of ['RS384', 'ES384'] as const) {
    it(`signs ${alg} assertions the server verifies, with kid, typ, iss=sub, aud, unique jti and exp-iat <= 300`, async () => {
      const a = make(alg === 'RS384' ? rsa.privateJwk : ec.privateJwk);
      assert.equal(a.alg, alg);
      const before = auth.verified.length;
      for (let i = 0; i < 3; i++) {
        await a.accessToken();
        clock.advance(301_000); // past expiry: each call needs a fresh token and a fresh assertion
      }
      const mine = auth.verified.slice(before);
      assert.equal(mine.length, 3);
      for (const v of mine) {
        assert.equal(v.alg, alg);
        assert.equal(v.kid, alg === 'RS384' ? 'rsa-1' : 'ec-1');
        assert.equal(v.typ, 'JWT');
        assert.equal(v.iss, 'my-client');
        assert.equal(v.sub, 'my-client');
        assert.equal(v.aud, `${auth.server.origin}/auth/token`);
        assert.ok(v.lifetime > 0 && v.lifetime <= 300, `lifetime ${v.lifetime}`);
        assert.ok((v.jti ?? '').length >= 22, 'jti carries at least 128 bits');
      }
      assert.equal(new Set(mine.map((v) => v.jti)).size, 3);
    });
  }

  it('caches the token until shortly before expires_in, then refreshes; concurrent callers share one request', async () => {
    const a = make(rsa.privateJwk);
    const start = auth.state.issued;
    const first = await Promise.all(Array.from({ length: 5 }, () => a.accessToken()));
    assert.equal(auth.state.issued, start + 1);
    assert.equal(new Set(first).size, 1);
    clock.advance(200_000); // 300 s lifetime, 60 s margin: still fresh
    assert.equal(await a.accessToken(), first[0]);
    assert.equal(auth.state.issued, start + 1);
    clock.advance(41_000); // 241 s: inside the margin
    const second = await a.accessToken();
    assert.notEqual(second, first[0]);
    assert.equal(auth.state.issued, start + 2);
  });

  it('records narrower granted scopes and refuses an uncovered call before sending it', async () => {
    auth.state.scope = 'system/Patient.rs';
    try {
      const a = make(ec.privateJwk);
      const fhir = await startTestServer((_req, res) => sendJson(res, 201, { resourceType: 'Task', id: 't1' }));
      try {
        const client = new FhirClient({
          baseUrl: `${fhir.origin}/fhir`,
          transport: (u, i) => fetch(u, i),
          auth: a,
          clock,
        });
        await assert.rejects(client.create({ resourceType: 'Task', status: 'requested', intent: 'order' }), {
          code: 'EHR_SCOPE_NOT_GRANTED',
        });
        assert.deepEqual(a.grantedScopes, ['system/Patient.rs']);
        assert.equal(fhir.requests.length, 0);
      } finally {
        await fhir.close();
      }
    } finally {
      auth.state.scope = 'system/Patient.rs system/Task.cruds';
    }
  });

  it('maps a token endpoint refusal to EHR_AUTH_FAILED with the OAuth code only', async () => {
    auth.state.fail = 'invalid_client';
    try {
      const a = make(rsa.privateJwk);
      const err = await a.accessToken().then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
      assert.equal((err as { code: string }).code, 'EHR_AUTH_FAILED');
      const text = JSON.stringify(err) + String((err as Error).message);
      assert.match(text, /invalid_client/);
      assert.doesNotMatch(text, /my-client|eyJ/); // neither the description nor an assertion
    } finally {
      auth.state.fail = undefined;
    }
  });

  it('gets a new token once on a 401 from the FHIR server, and gives up after the second 401', async () => {
    const a = make(rsa.privateJwk);
    let accept = '';
    const fhir = await startTestServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${accept}`)
        return sendJson(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
      sendJson(res, 200, { resourceType: 'Patient', id: 'p1', meta: { versionId: '4' } }, { etag: 'W/"4"' });
    });
    try {
      const client = new FhirClient({
        baseUrl: `${fhir.origin}/fhir`,
        transport: (u, i) => fetch(u, i),
        auth: a,
        clock,
      });
      const stale = await a.accessToken();
      accept = `token-${auth.state.issued + 1}`; // the server revoked the cached token early
      const start = auth.state.issued;
      const read = await client.read('Patient', 'p1');
      assert.equal(read.versionId, '4');
      assert.notEqual(accept, stale);
      assert.equal(auth.state.issued, start + 1);

      accept = 'nothing-valid';
      const before = auth.state.issued;
      await assert.rejects(client.read('Patient', 'p1'), { code: 'EHR_AUTH_FAILED' });
      assert.equal(auth.state.issued, before + 1, 'refreshed exactly once');
    } finally {
      await fhir.close();
    }
  });

  it('refuses a server whose SMART configuration lacks private_key_jwt', async () => {
    const srv = await startTestServer((_req, res) =>
      sendJson(res, 200, {
        token_endpoint: 'http://127.0.0.1:1/token',
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      }),
    );
    try {
      const a = new SmartBackendAuth({
        fhirBaseUrl: srv.origin,
        clientId: 'my-client',
        privateKey: rsa.privateJwk,
        scopes: ['system/Patient.rs'],
        transport: (u, i) => fetch(u, i),
        clock,
      });
      await assert.rejects(a.accessToken(), { code: 'EHR_NOT_SUPPORTED' });
      assert.equal(srv.requests[0]?.path, '/.well-known/smart-configuration');
    } finally {
      await srv.close();
    }
  });

  it('takes a 429 from SMART discovery or the token endpoint as a passing reason, not a refusal', async () => {
    let discovery = 429;
    const srv = await startTestServer((req, res) => {
      if (req.path === '/.well-known/smart-configuration' && discovery === 429) return sendJson(res, 429, {});
      if (req.path === '/.well-known/smart-configuration')
        return sendJson(res, 200, {
          token_endpoint: `${srv.origin}/token`,
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      return sendJson(res, 429, { error: 'slow_down' });
    });
    try {
      const a = new SmartBackendAuth({
        fhirBaseUrl: srv.origin,
        clientId: 'my-client',
        privateKey: rsa.privateJwk,
        scopes: ['system/Patient.rs'],
        transport: (u, i) => fetch(u, i),
        clock,
      });
      await assert.rejects(a.accessToken(), { code: 'EHR_RATE_LIMITED' });
      discovery = 200;
      await assert.rejects(a.accessToken(), { code: 'EHR_RATE_LIMITED' });
    } finally {
      await srv.close();
    }
  });
});
