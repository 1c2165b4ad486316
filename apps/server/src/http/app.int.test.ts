/** The API's edge: health checks, the OpenAPI document, and authentication on every other route. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowTargets } from '@steward/store/testing';
import { totpCode } from '@steward/governance';
import { openTestApp, type TestApp } from '../testing.js';

const target = flowTargets()[0];

describe('HTTP edge', () => {
  let t: TestApp;
  before(async () => {
    if (target === undefined) throw new Error('no store target');
    t = await openTestApp(await target.open());
  });
  after(async () => t.close());

  it('answers health checks anonymously, revealing nothing', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(live.statusCode, 200);
    assert.deepEqual(live.json(), { status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready' });
  });

  it('serves an OpenAPI document with every route', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(r.statusCode, 200);
    const doc = r.json<{ openapi: string; paths: Record<string, unknown> }>();
    assert.match(doc.openapi, /^3\./);
    for (const p of [
      '/patients',
      '/patients/{id}',
      '/auth/login',
      '/audit/events',
      '/break-glass',
      '/egress',
      '/tokens',
      '/grants',
      '/users',
    ]) {
      assert.ok(p in doc.paths, `${p} missing from the OpenAPI document`);
    }
  });

  it('sends security headers', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.ok(r.headers['content-security-policy'] !== undefined);
    assert.equal(r.headers['x-powered-by'], undefined);
  });

  it('refuses every other route without credentials', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const publicRoutes = new Set([
      'GET /healthz',
      'GET /readyz',
      'POST /auth/login',
      'GET /auth/sign-in',
      // SMART Backend Services (ADR 0020): discovery, and the token endpoint whose credential is the signed assertion.
      'GET /.well-known/smart-configuration',
      'POST /auth/smart/token',
      // A fax or e-mail provider's webhook into intake: its credential is the delivery's Standard
      // Webhooks signature (unsigned or badly signed: 401, an unknown source: 404; intake's tests).
      'POST /intake/webhooks/{name}',
    ]);
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        if (publicRoutes.has(`${method.toUpperCase()} ${path}`)) continue;
        const url = path.replace(/\{[^}]+\}/g, '3f2504e0-4f89-41d3-9a0c-0305e82c3301');
        const m = method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'DELETE';
        const r = await t.app.inject(
          m === 'GET' || m === 'DELETE' ? { method: m, url } : { method: m, url, payload: {} },
        );
        assert.equal(r.statusCode, 401, `${method} ${path} answered ${r.statusCode} without credentials`);
        // FHIR routes answer an OperationOutcome carrying the same code.
        const body = r.json<{ code?: string; issue?: { details: { coding: { code: string }[] } }[] }>();
        assert.equal(body.code ?? body.issue?.[0]?.details.coding[0]?.code, 'AUTH_REQUIRED');
        checked++;
      }
    }
    assert.ok(checked >= 20, `only ${checked} routes checked`);
  });

  it('logs in with password and TOTP, and the session works until logout', async () => {
    const by = {
      kind: 'service',
      id: '00000000-0000-4000-8000-000000000000',
      name: 't',
      authMethod: 'local-operator',
    } as const;
    const user = await t.kernel.bootstrap.users.create(
      { username: 'carol', password: 'a long passphrase for her' },
      by,
    );
    const enrol = await t.kernel.bootstrap.users.startTotpEnrolment(user.id);
    await t.kernel.bootstrap.users.confirmTotp(user.id, enrol.secret, totpCode(enrol.secret, t.clock.now()), by);
    t.clock.advance(60_000);
    const noCode = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'carol', password: 'a long passphrase for her' },
    });
    assert.equal(noCode.json<{ code: string }>().code, 'AUTH_MFA_REQUIRED');
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: {
        username: 'carol',
        password: 'a long passphrase for her',
        totpCode: totpCode(enrol.secret, t.clock.now()),
      },
    });
    assert.equal(login.statusCode, 200, login.body);
    const auth = { authorization: `Bearer ${login.json<{ sessionToken: string }>().sessionToken}` };
    const me = await t.app.inject({ method: 'GET', url: '/me', headers: auth });
    assert.equal(me.json<{ name: string }>().name, 'carol');
    t.clock.advance(16 * 60_000);
    const idle = await t.app.inject({ method: 'GET', url: '/me', headers: auth });
    assert.equal(idle.json<{ code: string }>().code, 'AUTH_SESSION_EXPIRED');
  });
});
