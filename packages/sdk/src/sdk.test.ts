import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { Webhook } from 'standardwebhooks';
import {
  agentAccount,
  AgentAccountError,
  apiToken,
  readEventStream,
  smartBackendServices,
  StewardApiError,
} from './index.js';
import { verifyWebhook, WebhookSignatureError } from './webhooks.js';
import { errorOf } from './errors.js';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('SMART Backend Services sign-in', () => {
  it('discovers the token endpoint, signs a one-use assertion for it, and reuses the token until it is about to expire', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
    const jwk = await exportJWK(privateKey);
    let clock = 1_000_000_000;
    const assertions: string[] = [];
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url === 'https://steward.test/.well-known/smart-configuration')
        return json({ token_endpoint: 'https://steward.test/auth/smart/token' });
      assert.equal(url, 'https://steward.test/auth/smart/token');
      const form = init?.body instanceof URLSearchParams ? init.body : new URLSearchParams();
      assert.equal(form.get('grant_type'), 'client_credentials');
      assert.equal(form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      assert.equal(form.get('scope'), 'system/Appointment.rs');
      const assertion = form.get('client_assertion') ?? '';
      assertions.push(assertion);
      const { payload, protectedHeader } = await jwtVerify(assertion, publicKey, {
        audience: 'https://steward.test/auth/smart/token',
        issuer: 'agent-7',
        subject: 'agent-7',
        currentDate: new Date(clock),
      });
      assert.equal(protectedHeader.kid, 'key-1');
      assert.ok((payload.exp ?? 0) - (payload.iat ?? 0) <= 300);
      return json({ access_token: `token-${assertions.length}`, token_type: 'bearer', expires_in: 300 });
    }) as typeof fetch;
    const auth = smartBackendServices({
      clientId: 'agent-7',
      privateKey: jwk,
      alg: 'ES384',
      kid: 'key-1',
      scope: 'system/Appointment.rs',
      now: () => clock,
    });
    const [a, b] = await Promise.all([
      auth.token(fetcher, 'https://steward.test/'),
      auth.token(fetcher, 'https://steward.test/'),
    ]);
    assert.equal(a, 'token-1');
    assert.equal(b, 'token-1', 'concurrent callers share one exchange');
    clock += 250_000;
    assert.equal(await auth.token(fetcher, 'https://steward.test/'), 'token-1');
    clock += 30_000; // within 30 s of expiry: renewed
    assert.equal(await auth.token(fetcher, 'https://steward.test/'), 'token-2');
    assert.equal(new Set(assertions.map((x) => decodeJwt(x).jti)).size, 2, 'a fresh jti each time');
  });

  it('reports a refused sign-in with the OAuth error', async () => {
    const { privateKey } = await generateKeyPair('RS384', { extractable: true });
    const fetcher = (() =>
      Promise.resolve(json({ error: 'invalid_client', error_description: 'unknown key' }, 401))) as typeof fetch;
    const auth = smartBackendServices({
      clientId: 'x',
      privateKey,
      alg: 'RS384',
      kid: 'k',
      scope: 'system/*.rs',
      tokenUrl: 'https://steward.test/token',
    });
    await assert.rejects(auth.token(fetcher, 'https://steward.test/'), (e: unknown) => {
      assert.ok(e instanceof StewardApiError);
      assert.equal(e.code, 'invalid_client');
      assert.equal(e.message, 'unknown key');
      assert.equal(e.retryable, false);
      return true;
    });
  });

  it('refuses an empty API token at once', () => {
    assert.throws(() => apiToken(' '), /empty/);
  });
});

describe('errors as Steward says them', () => {
  it('reads Steward error bodies, OperationOutcomes, and bare statuses', async () => {
    const a = await errorOf(
      json({ code: 'NOT_FOUND', message: 'proposal not found', details: [], requestId: 'r1' }, 404),
    );
    assert.deepEqual([a.status, a.code, a.message, a.requestId], [404, 'NOT_FOUND', 'proposal not found', 'r1']);
    const b = await errorOf(
      json(
        {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Appointment/9 not found' }],
        },
        404,
      ),
    );
    assert.equal(b.code, 'not-found');
    assert.equal(b.outcome?.issue.length, 1);
    const c = await errorOf(new Response('upstream down', { status: 503, statusText: 'Service Unavailable' }));
    assert.equal(c.code, 'HTTP_503');
    assert.equal(c.retryable, true);
  });
});

describe('webhook signatures', () => {
  const secret = `whsec_${Buffer.from('a'.repeat(32)).toString('base64')}`;
  const event = {
    type: 'appointment.no-show',
    timestamp: '2026-12-07T09:00:01.000Z',
    data: {
      id: '0b0d5b2e-8a4e-4b8e-9a3e-1c2d3e4f5a6b',
      site: 'north',
      occurredAt: '2026-12-07T09:00:00Z',
      references: { resource: { type: 'Appointment', id: 'a1' } },
      phi: false,
    },
  };
  const signed = (body: string, at = new Date()) => {
    const wh = new Webhook(secret);
    return {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': wh.sign('msg_1', at, body),
    };
  };

  it('accepts a delivery signed with the subscription secret, from a Headers object or a plain record', () => {
    const body = JSON.stringify(event);
    const headers = signed(body);
    assert.deepEqual(verifyWebhook(secret, headers, body), event);
    assert.deepEqual(verifyWebhook(secret, new Headers(headers), new TextEncoder().encode(body)), event);
  });

  it('refuses a tampered body, a wrong secret, an old timestamp and a missing header', () => {
    const body = JSON.stringify(event);
    const headers = signed(body);
    assert.throws(() => verifyWebhook(secret, headers, body.replace('north', 'south')), WebhookSignatureError);
    assert.throws(
      () => verifyWebhook(`whsec_${Buffer.from('b'.repeat(32)).toString('base64')}`, headers, body),
      WebhookSignatureError,
    );
    const old = signed(body, new Date(Date.now() - 10 * 60_000));
    assert.throws(() => verifyWebhook(secret, old, body), WebhookSignatureError);
    const unsigned: Record<string, string> = { ...headers };
    delete unsigned['webhook-signature'];
    assert.throws(() => verifyWebhook(secret, unsigned, body), /no webhook-signature header/);
  });
});

describe('server-sent events', () => {
  it('yields whole events with their ids however the bytes are split', async () => {
    const text = 'id: 1\nevent: appointment.no-show\ndata: {"a":1}\n\n: heartbeat\n\nid: 2\ndata: {"b":\ndata: 2}\n\n';
    const bytes = new TextEncoder().encode(text);
    const chunks = [bytes.slice(0, 7), bytes.slice(7, 40), bytes.slice(40)];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(ch);
        c.close();
      },
    });
    const got = [];
    for await (const m of readEventStream(body)) got.push([m.id, m.event, m.data]);
    assert.deepEqual(got, [
      ['1', 'appointment.no-show', '{"a":1}'],
      ['2', undefined, '{"b":\n2}'],
    ]);
  });
});

describe('an agent account file', () => {
  const file = {
    stewardUrl: 'http://127.0.0.1:8470',
    clientId: 'agent-7',
    kid: 'k1',
    alg: 'ES384',
    privateJwk: { kty: 'EC', crv: 'P-384', x: 'x', y: 'y', d: 'd' },
    scope: 'system/Appointment.rs proposal.create',
    site: 'sandbox',
    workflow: 'no-show-rebooking',
    connection: 'sandbox',
    screensConnection: 'sandbox-screens',
  };

  it('reads the account from its JSON text', () => {
    const account = agentAccount(JSON.stringify(file));
    assert.equal(account.clientId, 'agent-7');
    assert.equal(account.screensConnection, 'sandbox-screens');
  });

  it('names what is missing or wrong, without echoing the key', () => {
    const wrong = (value: unknown, message: RegExp) =>
      assert.throws(
        () => agentAccount(value),
        (e: unknown) => e instanceof AgentAccountError && message.test(e.message),
      );
    wrong('{not json', /not JSON/);
    wrong({ ...file, workflow: undefined }, /has no workflow/);
    wrong({ ...file, alg: 'HS256' }, /alg is not ES384 or RS384/);
    wrong({ ...file, privateJwk: { d: 'secret-d' } }, /no private key/);
    wrong({ ...file, screensConnection: 7 }, /screensConnection is not a string/);
    assert.throws(
      () => agentAccount({ ...file, privateJwk: { d: 'secret-d' } }),
      (e: unknown) => !(e as Error).message.includes('secret-d'),
    );
  });
});
