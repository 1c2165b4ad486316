/**
 * SMART Backend Services sign-in to Steward (issue 18): a service account's public keys registered
 * by an administrator; a signed assertion exchanged for a short-lived token that reads what the
 * account's grant and the granted scopes allow; each way an assertion can be wrong refused with
 * RFC 6749's error and audited; the token running out.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { flowTargets } from '@steward/store/testing';
import {
  bearer,
  openTestApp,
  principalWith,
  syntheticPatient,
  type TestApp,
  type TestPrincipal,
} from '../../testing.js';

const target = flowTargets()[0];
const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test-bootstrap',
  authMethod: 'local-operator',
} as const;

interface Key {
  readonly kid: string;
  readonly alg: 'ES384' | 'RS384';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function makeKey(alg: 'ES384' | 'RS384', kid: string = randomUUID()): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

let t: TestApp;
let admin: TestPrincipal;
let clientId: string;
let tokenUrl: string;
let patientId: string;
let ec: Key;
let rsa: Key;

before(async () => {
  if (target === undefined) throw new Error('no store target');
  t = await openTestApp(await target.open());
  admin = await principalWith(t.kernel, 'smart.admin', { role: 'admin' });
  const coordinator = await principalWith(t.kernel, 'smart.coord', { role: 'coordinator', site: 'north' });
  const created = await t.app.inject({
    method: 'POST',
    url: '/patients',
    headers: bearer(coordinator),
    payload: syntheticPatient('north', 'MRN-SMART-1'),
  });
  assert.equal(created.statusCode, 201, created.body);
  patientId = created.json<{ id: string }>().id;
  clientId = (await t.kernel.bootstrap.serviceAccounts.create('outside-agent', bootstrap)).id;
  await t.kernel.grants.add(bootstrap, {
    principalKind: 'service',
    principalId: clientId,
    role: 'agent',
    site: 'north',
    workflow: '*',
    purposeOfUse: 'TREAT',
  });
  [ec, rsa] = await Promise.all([makeKey('ES384'), makeKey('RS384')]);
  const discovery = await t.app.inject({ method: 'GET', url: '/.well-known/smart-configuration' });
  tokenUrl = discovery.json<{ token_endpoint: string }>().token_endpoint;
});
after(async () => t.close());

async function sign(
  key: Key,
  claims: { iss?: string; sub?: string; aud?: string; exp?: number; jti?: string } = {},
  alg: string = key.alg,
): Promise<string> {
  const now = Math.floor(t.clock.now().getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.iss ?? clientId)
    .setSubject(claims.sub ?? clientId)
    .setAudience(claims.aud ?? tokenUrl)
    .setIssuedAt(now)
    .setExpirationTime(claims.exp ?? now + 240)
    .setJti(claims.jti ?? randomUUID())
    .sign(key.privateKey);
}

async function requestToken(assertion: string, scope = 'system/Patient.rs', grantType = 'client_credentials') {
  const form = new URLSearchParams({
    grant_type: grantType,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope,
  });
  return t.app.inject({
    method: 'POST',
    url: '/auth/smart/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form.toString(),
  });
}

/** The reasons of failed SMART sign-ins audited since `seq`. */
async function failures(since: number): Promise<string[]> {
  const { rows } = await t.db.query<{ entry: string; outcome: string }>(
    `select entry, outcome from audit_log where event = 'auth.login_failed' and seq > $1 order by seq`,
    [since],
  );
  return rows.map((r) => {
    assert.equal(r.outcome, 'denied');
    return (JSON.parse(r.entry) as { reason: string }).reason;
  });
}

async function lastSeq(): Promise<number> {
  const { rows } = await t.db.query<{ seq: string | number }>('select coalesce(max(seq), 0) as seq from audit_log');
  return Number(rows[0]?.seq ?? 0);
}

async function expectRefused(
  assertion: string,
  error: string,
  reason: RegExp,
  scope?: string,
  status = error === 'invalid_client' ? 401 : 400,
): Promise<void> {
  const since = await lastSeq();
  const r = await requestToken(assertion, scope);
  assert.equal(r.statusCode, status, r.body);
  const body = r.json<{ error: string; error_description: string }>();
  assert.equal(body.error, error);
  assert.ok(body.error_description.length > 0);
  assert.equal(r.headers['cache-control'], 'no-store');
  const audited = await failures(since);
  assert.equal(audited.length, 1, `one failed sign-in audited: ${audited.join(', ')}`);
  assert.match(audited[0] ?? '', reason);
  assert.ok(!(audited[0] ?? '').includes(assertion.slice(-20)), 'the assertion is never audited');
}

describe('SMART Backend Services sign-in', () => {
  it('publishes its configuration', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/.well-known/smart-configuration' });
    assert.equal(r.statusCode, 200);
    const c = r.json<Record<string, string[] | string>>();
    assert.match(String(c['token_endpoint']), /\/auth\/smart\/token$/);
    assert.deepEqual(c['token_endpoint_auth_methods_supported'], ['private_key_jwt']);
    assert.deepEqual(c['token_endpoint_auth_signing_alg_values_supported'], ['RS384', 'ES384']);
    assert.deepEqual(c['grant_types_supported'], ['client_credentials']);
    assert.ok((c['scopes_supported'] as string[]).includes('ai.call'));
  });

  it('registers public keys only, through the service-account admin API', async () => {
    const withPrivate = { ...(await exportJWK(ec.privateKey)), kid: 'leaked', alg: 'ES384' };
    const refused = await t.app.inject({
      method: 'PUT',
      url: `/service-accounts/${clientId}/smart`,
      headers: bearer(admin),
      payload: { jwks: { keys: [withPrivate] }, scopes: ['system/Patient.rs'] },
    });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(refused.body, /private key member/);
    const badScope = await t.app.inject({
      method: 'PUT',
      url: `/service-accounts/${clientId}/smart`,
      headers: bearer(admin),
      payload: { jwks: { keys: [ec.publicJwk] }, scopes: ['patient/Patient.rs'] },
    });
    assert.equal(badScope.statusCode, 400, badScope.body);
    const unregisteredUrl = await t.app.inject({
      method: 'PUT',
      url: `/service-accounts/${clientId}/smart`,
      headers: bearer(admin),
      payload: { jwksUrl: 'https://keys.example.org/jwks.json', scopes: ['system/Patient.rs'] },
    });
    assert.equal(unregisteredUrl.json<{ code: string }>().code, 'EGRESS_NOT_REGISTERED');
    const r = await t.app.inject({
      method: 'PUT',
      url: `/service-accounts/${clientId}/smart`,
      headers: bearer(admin),
      payload: { jwks: { keys: [ec.publicJwk, rsa.publicJwk] }, scopes: ['system/Patient.rs', 'ai.call'] },
    });
    assert.equal(r.statusCode, 200, r.body);
    const shown = await t.app.inject({
      method: 'GET',
      url: `/service-accounts/${clientId}/smart`,
      headers: bearer(admin),
    });
    const client = shown.json<{ clientId: string; keys: { kid: string }[]; tokenEndpoint: string }>();
    assert.equal(client.clientId, clientId);
    assert.deepEqual(client.keys.map((k) => k.kid).sort(), [ec.kid, rsa.kid].sort());
    assert.equal(client.tokenEndpoint, tokenUrl);
    const { rows } = await t.db.query<{ jwks: unknown }>('select jwks from smart_clients');
    assert.ok(!JSON.stringify(rows).includes('"d"'), 'no private member stored');
    // Only tokens.manage registers: the agent itself may not.
    const coord = await principalWith(t.kernel, 'smart.coord2', { role: 'coordinator', site: 'north' });
    const forbidden = await t.app.inject({
      method: 'GET',
      url: `/service-accounts/${clientId}/smart`,
      headers: bearer(coord),
    });
    assert.equal(forbidden.statusCode, 403);
  });

  for (const which of ['ES384', 'RS384'] as const) {
    it(`exchanges an ${which} assertion for a short-lived token that reads an allowed endpoint`, async () => {
      const key = which === 'ES384' ? ec : rsa;
      const r = await requestToken(await sign(key));
      assert.equal(r.statusCode, 200, r.body);
      const body = r.json<{ access_token: string; token_type: string; expires_in: number; scope: string }>();
      assert.equal(body.token_type, 'bearer');
      assert.equal(body.expires_in, 300);
      assert.equal(body.scope, 'system/Patient.rs');
      const read = await t.app.inject({
        method: 'GET',
        url: `/patients/${patientId}`,
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      assert.equal(read.statusCode, 200, read.body);
      const me = await t.app.inject({
        method: 'GET',
        url: '/me',
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      const actor = me.json<{ id: string; scopes: string[] }>();
      assert.equal(actor.id, clientId);
      assert.deepEqual([...actor.scopes].sort(), ['phi.read', 'phi.search', 'system/Patient.rs']);
    });
  }

  it('grants the requested scopes narrowed to what is registered, and no PHI read without a SMART scope', async () => {
    const r = await requestToken(await sign(ec), 'system/Patient.cruds system/Observation.rs ai.call proposal.create');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json<{ scope: string }>().scope, 'system/Patient.rs ai.call');
    const aiOnly = await requestToken(await sign(ec), 'ai.call');
    const token = aiOnly.json<{ access_token: string }>().access_token;
    const read = await t.app.inject({
      method: 'GET',
      url: `/patients/${patientId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(read.statusCode, 404, 'the token scope does not include phi.read');
    await expectRefused(
      await sign(ec),
      'invalid_scope',
      /smart:invalid_scope:no_scope_granted/,
      'system/Observation.rs',
    );
  });

  it('refuses a wrong key, a wrong aud, an expired or far exp, a reused jti, an unknown client and other algs', async () => {
    const impostor = await makeKey('ES384', ec.kid);
    await expectRefused(await sign(impostor), 'invalid_client', /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    const stranger = await makeKey('ES384');
    await expectRefused(await sign(stranger), 'invalid_client', /ERR_JWKS_NO_MATCHING_KEY/);
    await expectRefused(await sign(ec, { aud: 'https://elsewhere.example/token' }), 'invalid_client', /:aud$/);
    const now = Math.floor(t.clock.now().getTime() / 1000);
    await expectRefused(await sign(ec, { exp: now - 120 }), 'invalid_client', /ERR_JWT_EXPIRED/);
    await expectRefused(await sign(ec, { exp: now + 3600 }), 'invalid_client', /exp_too_far/);
    await expectRefused(await sign(ec, { sub: randomUUID() }), 'invalid_client', /:sub$/);
    const once = await sign(ec, { jti: 'only-once' });
    assert.equal((await requestToken(once)).statusCode, 200);
    await expectRefused(once, 'invalid_client', /jti_replayed/);
    const unknown: string = randomUUID();
    await expectRefused(await sign(ec, { iss: unknown, sub: unknown }), 'invalid_client', /unknown_client/);
    // RS256 with the registered RSA key, and HS256 keyed with the public key: refused before any key is used.
    const rs256 = { ...rsa, privateKey: (await importJWK(await exportJWK(rsa.privateKey), 'RS256')) as CryptoKey };
    await expectRefused(await sign(rs256, {}, 'RS256'), 'invalid_client', /:alg$/);
    const now2 = Math.floor(t.clock.now().getTime() / 1000);
    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(tokenUrl)
      .setExpirationTime(now2 + 60)
      .setJti(randomUUID())
      .sign(new TextEncoder().encode(JSON.stringify(rsa.publicJwk)));
    await expectRefused(hs, 'invalid_client', /:alg$/);
  });

  it('answers RFC 6749 errors for a wrong grant type and a missing assertion, audited', async () => {
    const since = await lastSeq();
    const wrong = await requestToken(await sign(ec), 'system/Patient.rs', 'password');
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json<{ error: string }>().error, 'unsupported_grant_type');
    const missing = await t.app.inject({
      method: 'POST',
      url: '/auth/smart/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&scope=system%2FPatient.rs',
    });
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json<{ error: string }>().error, 'invalid_client');
    assert.deepEqual(await failures(since), [
      'smart:unsupported_grant_type:grant_type',
      'smart:invalid_client:assertion_type',
    ]);
  });

  it('refuses a disabled account with invalid_grant, and its tokens stop at once', async () => {
    const otherId = (await t.kernel.bootstrap.serviceAccounts.create('soon-disabled', bootstrap)).id;
    await t.kernel.accounts.services.smart.set(
      { actor: { kind: 'user', id: admin.id, name: 'smart.admin', authMethod: 'api-token', scopes: ['*'] } },
      otherId,
      { jwks: { keys: [ec.publicJwk] }, scopes: ['ai.call'] },
    );
    const ok = await requestToken(await sign(ec, { iss: otherId, sub: otherId }), 'ai.call');
    assert.equal(ok.statusCode, 200, ok.body);
    await t.kernel.bootstrap.serviceAccounts.disable(otherId, bootstrap);
    const me = await t.app.inject({
      method: 'GET',
      url: '/me',
      headers: { authorization: `Bearer ${ok.json<{ access_token: string }>().access_token}` },
    });
    assert.equal(me.statusCode, 401);
    await expectRefused(await sign(ec, { iss: otherId, sub: otherId }), 'invalid_grant', /account_disabled/, 'ai.call');
  });

  it('fetches a JWKS URL through the egress registry, again when a new kid appears, and refuses a private key there', async () => {
    let served: JWK[] = [];
    let hits = 0;
    const keyServer = createServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/agent/`;
      const by = { kind: 'user', id: admin.id, name: 'smart.admin', authMethod: 'api-token', scopes: ['*'] } as const;
      await t.kernel.egressAdmin.register(
        { actor: by },
        { name: 'agent-keys', kind: 'other', baseUrl: base, baaOnRecord: false, allowPrivateNetwork: true },
      );
      const id = (await t.kernel.bootstrap.serviceAccounts.create('url-agent', bootstrap)).id;
      const first = await makeKey('ES384');
      served = [first.publicJwk];
      const set = await t.app.inject({
        method: 'PUT',
        url: `/service-accounts/${id}/smart`,
        headers: bearer(admin),
        payload: { jwksUrl: `${base}jwks.json`, scopes: ['ai.call'] },
      });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual(set.json<{ keys: unknown[] }>().keys, []);
      const claims = { iss: id, sub: id };
      assert.equal((await requestToken(await sign(first, claims), 'ai.call')).statusCode, 200);
      assert.equal((await requestToken(await sign(first, claims), 'ai.call')).statusCode, 200);
      assert.equal(hits, 1, 'cached for a minute');
      // The client rotates its key: a kid not in the cached set is fetched again.
      const second = await makeKey('RS384');
      served = [second.publicJwk];
      t.clock.advance(6_000);
      assert.equal((await requestToken(await sign(second, claims), 'ai.call')).statusCode, 200);
      assert.equal(hits, 2);
      // A key set with a private member is no key set: refused, and audited as such.
      served = [{ ...(await exportJWK(second.privateKey)), kid: second.kid, alg: 'RS384' }];
      t.clock.advance(61_000);
      await expectRefused(await sign(second, claims), 'invalid_client', /jwks_invalid/, 'ai.call');
    } finally {
      await new Promise<void>((resolve) => keyServer.close(() => resolve()));
    }
  });

  it('issues tokens audited as the account, that expire after their lifetime', async () => {
    const since = await lastSeq();
    const r = await requestToken(await sign(ec));
    const token = r.json<{ access_token: string }>().access_token;
    const { rows } = await t.db.query<{ actor_id: string; entry: string }>(
      `select actor_id, entry from audit_log where event = 'auth.token_created' and seq > $1`,
      [since],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.actor_id, clientId);
    assert.match(rows[0]?.entry ?? '', /smart_backend/);
    const auth = { authorization: `Bearer ${token}` };
    assert.equal((await t.app.inject({ method: 'GET', url: `/patients/${patientId}`, headers: auth })).statusCode, 200);
    t.clock.advance(301_000);
    const late = await t.app.inject({ method: 'GET', url: `/patients/${patientId}`, headers: auth });
    assert.equal(late.statusCode, 401);
    assert.equal(late.json<{ code: string }>().code, 'AUTH_INVALID');
  });
});

/** A stand-in model provider on loopback speaking the chat-completions shape; it keeps what it received. */
interface Received {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: { model: string; messages: { role: string; content: string }[] };
}
let provider: Server;
let providerUrl: string;
const received: Received[] = [];
let providerStatus = 200;

describe('AI calls through governed destinations', () => {
  let agentToken: string;
  let readOnlyToken: string;
  let aiPatient: string;
  const prompt =
    'Summarise for Marisol Quixotic-Zebulon (chart ZX9KQ), born 07/23/1961, phone (555) 201-3344, ' +
    'e-mail marisol.q@example.com, of 42 Larkspur Lane: chest pain on exertion since 2024-03-02, ' +
    'relieved by rest. Tamsin asks whether Ms. Zebulon should come in. SSN 123-45-6789.';
  const phi = [
    'Marisol',
    'Tamsin',
    'Quixotic',
    'Zebulon',
    'ZX9KQ',
    '1961',
    '07/23',
    '201-3344',
    'example.com',
    'Larkspur',
    '123-45-6789',
    '2024-03-02',
  ];

  before(async () => {
    provider = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString('utf8')));
      req.on('end', () => {
        const body = JSON.parse(data) as Received['body'];
        received.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
        res.writeHead(providerStatus, { 'content-type': 'application/json' });
        res.end(
          providerStatus === 200
            ? JSON.stringify({
                id: 'chatcmpl-1',
                object: 'chat.completion',
                model: `${body.model}-2026`,
                choices: [
                  {
                    index: 0,
                    message: { role: 'assistant', content: 'Advise a same-day visit.' },
                    finish_reason: 'stop',
                  },
                ],
                usage: { prompt_tokens: 40, completion_tokens: 6, total_tokens: 46 },
              })
            : JSON.stringify({
                error: {
                  message: `echo: ${data.slice(0, 40)}`,
                  type: 'invalid_request_error',
                  code: 'model_not_found',
                },
              }),
        );
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    const by = { kind: 'user', id: admin.id, name: 'smart.admin', authMethod: 'api-token', scopes: ['*'] } as const;
    await t.kernel.egressAdmin.register(
      { actor: by },
      {
        name: 'model-nobaa',
        kind: 'ai',
        baseUrl: `${providerUrl}/plain/v1/`,
        baaOnRecord: false,
        allowPrivateNetwork: true,
      },
    );
    await t.kernel.egressAdmin.register(
      { actor: by },
      {
        name: 'model-baa',
        kind: 'ai',
        baseUrl: `${providerUrl}/covered/v1/`,
        baaOnRecord: true,
        baaReference: 'BAA-2026-014 (test)',
        allowPrivateNetwork: true,
      },
    );
    // The patient as an EHR feed would make them known: an identifier and the minimum demographics.
    const writer = await principalWith(t.kernel, 'ai.resolver', { role: 'coordinator', site: 'north' });
    aiPatient = await t.kernel.patients.resolve(
      { actor: { kind: 'user', id: writer.id, name: 'ai.resolver', authMethod: 'api-token', scopes: ['*'] } },
      {
        connectionId: randomUUID(),
        site: 'north',
        identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'ZX9KQ' }],
        demographics: { name: { family: 'Quixotic-Zebulon', given: ['Marisol', 'Tamsin'] }, birthDate: '1961-07-23' },
      },
    );
    const signed = await requestToken(await sign(ec), 'system/Patient.rs ai.call');
    agentToken = signed.json<{ access_token: string }>().access_token;
    readOnlyToken = (await requestToken(await sign(ec), 'system/Patient.rs')).json<{ access_token: string }>()
      .access_token;
  });
  after(async () => new Promise<void>((resolve) => provider.close(() => resolve())));

  const call = (token: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/ai/calls', headers: { authorization: `Bearer ${token}` }, payload: body });
  const request = (destination: string) => ({
    destination,
    site: 'north',
    purposeOfUse: 'TREAT',
    patientId: aiPatient,
    model: 'test-model',
    messages: [
      { role: 'system', content: 'You are a triage assistant.' },
      { role: 'user', content: prompt },
    ],
  });
  const aiEntries = async (): Promise<{ outcome: string; patient_ids: string[]; entry: string }[]> =>
    (
      await t.db.query<{ outcome: string; patient_ids: string[]; entry: string }>(
        `select outcome, patient_ids, entry from audit_log where event = 'ai.called' order by seq`,
      )
    ).rows;

  it('de-identifies the prompt for a destination with no BAA: the provider gets no name, identifier or birth date', async () => {
    received.length = 0;
    const r = await call(agentToken, request('model-nobaa'));
    assert.equal(r.statusCode, 200, r.body);
    const answer = r.json<{
      deidentified: boolean;
      removed: Record<string, number>;
      message: { content: string };
      model: string;
    }>();
    assert.equal(answer.deidentified, true);
    assert.equal(answer.message.content, 'Advise a same-day visit.');
    assert.equal(answer.model, 'test-model-2026');
    assert.equal(received.length, 1);
    assert.equal(received[0]?.path, '/plain/v1/chat/completions');
    const sent = JSON.stringify(received[0]?.body);
    for (const value of phi) assert.ok(!sent.includes(value), `the provider received ${value}`);
    const user = received[0]?.body.messages[1]?.content ?? '';
    assert.match(user, /\[NAME\] \[NAME\] \(chart \[IDENTIFIER\]\), born \[BIRTHDATE\]/);
    assert.match(user, /chest pain on exertion since \[DATE\], relieved by rest/);
    assert.ok((answer.removed['name'] ?? 0) >= 4 && answer.removed['identifier'] === 1, JSON.stringify(answer.removed));
    const entry = (await aiEntries()).at(-1);
    assert.equal(entry?.outcome, 'success');
    assert.deepEqual(entry?.patient_ids, [aiPatient]);
    assert.match(entry?.entry ?? '', /destination:model-nobaa deidentified:true removed:\d+ provider:200/);
    assert.match(entry?.entry ?? '', /"purposeOfUse":"TREAT"/);
    for (const content of ['chest', 'triage', 'same-day', ...phi]) {
      assert.ok(!(entry?.entry ?? '').includes(content), `the audit entry holds ${content}`);
    }
  });

  it('sends the prompt as it is to a destination with a BAA on record, with its key, audited', async () => {
    received.length = 0;
    process.env['STEWARD_AI_KEY_MODEL_BAA'] = 'sk-test-covered';
    try {
      const r = await call(agentToken, request('model-baa'));
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json<{ deidentified: boolean }>().deidentified, false);
    } finally {
      delete process.env['STEWARD_AI_KEY_MODEL_BAA'];
    }
    assert.equal(received[0]?.path, '/covered/v1/chat/completions');
    assert.equal(received[0]?.body.messages[1]?.content, prompt);
    assert.equal(received[0]?.authorization, 'Bearer sk-test-covered');
    const entry = (await aiEntries()).at(-1);
    assert.match(entry?.entry ?? '', /destination:model-baa deidentified:false removed:0 provider:200/);
    assert.ok(!(entry?.entry ?? '').includes('sk-test'));
    const egress = await t.db.query<{ n: string | number }>(
      `select count(*) as n from audit_log where event = 'egress.allowed' and entry like '%phi to model-baa%'`,
    );
    assert.equal(Number(egress.rows[0]?.n), 1);
  });

  it('refuses a destination not in the registry, a role without ai.call and a token without it, sending nothing', async () => {
    received.length = 0;
    const unknown = await call(agentToken, request('model-elsewhere'));
    assert.equal(unknown.statusCode, 403, unknown.body);
    assert.equal(unknown.json<{ code: string }>().code, 'EGRESS_NOT_REGISTERED');
    const denied = (await aiEntries()).at(-1);
    assert.equal(denied?.outcome, 'denied');
    assert.match(denied?.entry ?? '', /destination:model-elsewhere refused:EGRESS_NOT_REGISTERED/);
    const coordinator = await principalWith(t.kernel, 'ai.coordinator', { role: 'coordinator', site: 'north' });
    const noRole = await call(coordinator.token, request('model-baa'));
    assert.equal(noRole.statusCode, 403, noRole.body);
    assert.equal(noRole.json<{ code: string }>().code, 'FORBIDDEN');
    const noScope = await call(readOnlyToken, request('model-baa'));
    assert.equal(noScope.statusCode, 403, noScope.body);
    const otherSite = await call(agentToken, { ...request('model-baa'), site: 'south' });
    assert.equal(otherSite.statusCode, 403, otherSite.body);
    const otherPurpose = await call(agentToken, { ...request('model-baa'), purposeOfUse: 'HPAYMT' });
    assert.equal(otherPurpose.statusCode, 403, 'the grant serves treatment only');
    const stranger = await call(agentToken, { ...request('model-baa'), patientId: randomUUID() });
    assert.equal(stranger.statusCode, 404, stranger.body);
    assert.match((await aiEntries()).at(-1)?.entry ?? '', /refused:PATIENT_NOT_FOUND/);
    assert.equal(received.length, 0, 'the provider heard nothing');
    const { rows } = await t.db.query<{ entry: string }>(
      `select entry from audit_log where event = 'access.denied' and entry like '%ai.call%'`,
    );
    assert.ok(rows.length >= 3);
  });

  it('answers a provider failure with a stable code, audited with its status and without its message', async () => {
    try {
      providerStatus = 404;
      const refused = await call(agentToken, request('model-nobaa'));
      assert.equal(refused.statusCode, 502, refused.body);
      assert.equal(refused.json<{ code: string }>().code, 'AI_PROVIDER_REFUSED');
      assert.ok(!refused.body.includes('echo'), 'the provider message (which may quote the prompt) is not passed on');
      providerStatus = 503;
      const down = await call(agentToken, request('model-nobaa'));
      assert.equal(down.json<{ code: string }>().code, 'AI_PROVIDER_UNAVAILABLE');
    } finally {
      providerStatus = 200;
    }
    const [refusedEntry, downEntry] = (await aiEntries()).slice(-2);
    assert.equal(refusedEntry?.outcome, 'failure');
    assert.match(refusedEntry?.entry ?? '', /provider:404/);
    assert.match(downEntry?.entry ?? '', /provider:503/);
  });
});
