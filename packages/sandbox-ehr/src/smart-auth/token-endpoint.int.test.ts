import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, base64url } from 'jose';
import { startSandboxEhr } from '../sandbox-ehr.js';
import type { SandboxEhr } from '../sandbox-ehr.js';
import { fhirFetch, makeKey, requestToken, signAssertion } from '../testing/index.js';
import type { TestKey } from '../testing/index.js';

describe('SMART Backend Services token endpoint', () => {
  let ehr: SandboxEhr;
  let rsa: TestKey;
  let ec: TestKey;
  const clientId = 'backend-client';
  before(async () => {
    ehr = await startSandboxEhr({ accessTokenTtlSeconds: 120 });
    rsa = await makeKey('RS384');
    ec = await makeKey('ES384');
    ehr.registerClient({
      clientId,
      jwks: { keys: [rsa.publicJwk, ec.publicJwk] },
      allowedScopes: ['system/Appointment.rs', 'system/Patient.read'],
    });
  });
  after(async () => ehr.close());

  async function expectRejected(assertion: string, error = 'invalid_client', status = 401): Promise<void> {
    const res = await requestToken(ehr, assertion, 'system/Appointment.rs');
    assert.equal(res.status, status);
    const body = (await res.json()) as { error: string; error_description: string };
    assert.equal(body.error, error);
    assert.ok(body.error_description.length > 0);
  }

  for (const alg of ['RS384', 'ES384'] as const) {
    it(`issues a working access token for an ${alg} assertion`, async () => {
      const key = alg === 'RS384' ? rsa : ec;
      const res = await requestToken(ehr, await signAssertion(ehr, clientId, key), 'system/Appointment.rs');
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        access_token: string;
        token_type: string;
        expires_in: number;
        scope: string;
      };
      assert.equal(body.token_type, 'bearer');
      assert.equal(body.expires_in, 120);
      assert.equal(body.scope, 'system/Appointment.rs');
      assert.equal((await fhirFetch(ehr, body.access_token, 'GET', 'Appointment')).status, 200);
    });
  }

  it('grants the intersection of requested and allowed scopes', async () => {
    const res = await requestToken(
      ehr,
      await signAssertion(ehr, clientId, ec),
      'system/Appointment.cruds system/Patient.read system/Task.write',
    );
    const body = (await res.json()) as { scope: string; access_token: string };
    assert.equal(body.scope, 'system/Appointment.rs system/Patient.read');
    assert.equal((await fhirFetch(ehr, body.access_token, 'POST', 'Patient', { resourceType: 'Patient' })).status, 403);
  });

  it('rejects a scope request with nothing grantable', async () => {
    const res = await requestToken(ehr, await signAssertion(ehr, clientId, ec), 'system/Task.write');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_scope');
  });

  it('rejects a bad signature', async () => {
    const other = await makeKey('ES384', ec.kid); // same kid, different key
    await expectRejected(await signAssertion(ehr, clientId, other));
  });

  it('rejects a wrong aud', async () => {
    await expectRejected(await signAssertion(ehr, clientId, ec, { aud: `${ehr.url}/other` }));
  });

  it('rejects an expired, a missing and a too-distant exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(await signAssertion(ehr, clientId, ec, { exp: now - 120 }));
    await expectRejected(await signAssertion(ehr, clientId, ec, { exp: undefined }));
    await expectRejected(await signAssertion(ehr, clientId, ec, { exp: now + 3600 }));
  });

  it('rejects a replayed jti', async () => {
    const assertion = await signAssertion(ehr, clientId, ec, { jti: 'once-only' });
    assert.equal((await requestToken(ehr, assertion, 'system/Appointment.rs')).status, 200);
    await expectRejected(assertion);
  });

  it('rejects an unknown kid and an unknown client', async () => {
    const stranger = await makeKey('ES384');
    await expectRejected(await signAssertion(ehr, clientId, stranger));
    await expectRejected(await signAssertion(ehr, 'nobody', ec));
  });

  it('rejects iss or sub that is not the client', async () => {
    await expectRejected(await signAssertion(ehr, clientId, ec, { sub: 'someone-else' }));
  });

  it('rejects alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT', kid: ec.kid }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({ iss: clientId, sub: clientId, aud: ehr.tokenUrl, exp: now + 60, jti: 'none-jti' }),
    );
    await expectRejected(`${header}.${payload}.`);
  });

  it('rejects HS256 signed with the public key as the secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const secret = new TextEncoder().encode(JSON.stringify(rsa.publicJwk));
    const forged = await new SignJWT({ iss: clientId, sub: clientId, aud: ehr.tokenUrl, exp: now + 60, jti: 'hs-jti' })
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
      .sign(secret);
    await expectRejected(forged);
  });

  it('answers RFC 6749 errors for a wrong grant type and a missing assertion type', async () => {
    const wrongGrant = await fetch(ehr.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    assert.equal(wrongGrant.status, 400);
    assert.equal(((await wrongGrant.json()) as { error: string }).error, 'unsupported_grant_type');
    const noType = await fetch(ehr.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=system/Appointment.rs',
    });
    assert.equal(noType.status, 401);
    assert.equal(((await noType.json()) as { error: string }).error, 'invalid_client');
  });

  it('expires access tokens after their lifetime', async () => {
    const short = await startSandboxEhr({ accessTokenTtlSeconds: 0 });
    try {
      const key = await makeKey('ES384');
      short.registerClient({ clientId: 'c', jwks: { keys: [key.publicJwk] }, allowedScopes: ['system/*.read'] });
      const body = (await (
        await requestToken(short, await signAssertion(short, 'c', key), 'system/*.read')
      ).json()) as { access_token: string };
      assert.equal((await fhirFetch(short, body.access_token, 'GET', 'Patient')).status, 401);
    } finally {
      await short.close();
    }
  });
});
