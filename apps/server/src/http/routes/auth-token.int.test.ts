/**
 * DELETE /auth/token: an API token gives itself up (`steward logout`), needing no grant; it
 * cannot name another token, and a session is told to log out instead.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets } from '@steward/store/testing';
import { generateTotpSecret, totpCode } from '@steward/governance';
import { bearer, openTestApp, principalWith, type TestApp } from '../../testing.js';

const target = storeTargets()[0];
const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test-bootstrap',
  authMethod: 'local-operator',
} as const;

describe('DELETE /auth/token', () => {
  let t: TestApp;
  before(async () => {
    if (target === undefined) throw new Error('no store target');
    t = await openTestApp(await target.open());
  });
  after(async () => t.close());

  it('revokes the token that carries the request, and only it', async () => {
    const svc = await principalWith(t.kernel, 'nightly', { role: 'automation', site: 'north' });
    const other = await principalWith(t.kernel, 'other', { role: 'automation', site: 'north' });
    const r = await t.app.inject({ method: 'DELETE', url: '/auth/token', headers: bearer(svc) });
    assert.equal(r.statusCode, 204, r.body);
    const again = await t.app.inject({ method: 'GET', url: '/me', headers: bearer(svc) });
    assert.equal(again.statusCode, 401);
    assert.equal(again.json<{ code: string }>().code, 'AUTH_INVALID');
    assert.equal((await t.app.inject({ method: 'GET', url: '/me', headers: bearer(other) })).statusCode, 200);
    const revoked = (await t.kernel.bootstrap.tokens.list()).find((x) => x.id === svc.tokenId);
    assert.notEqual(revoked?.revokedAt ?? null, null);
  });

  it('tells a session to log out instead, and refuses without credentials', async () => {
    const u = await principalWith(t.kernel, 'carol', { role: 'coordinator', site: 'north' });
    const secret = generateTotpSecret();
    await t.kernel.bootstrap.users.confirmTotp(u.id, secret, totpCode(secret, t.clock.now()), bootstrap);
    t.clock.advance(30_000);
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'carol', password: 'a test password of length', totpCode: totpCode(secret, t.clock.now()) },
    });
    assert.equal(login.statusCode, 200, login.body);
    const session = login.json<{ sessionToken: string }>().sessionToken;
    const r = await t.app.inject({
      method: 'DELETE',
      url: '/auth/token',
      headers: { authorization: `Bearer ${session}` },
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json<{ details: { message: string }[] }>().details[0]?.message ?? '', /\/auth\/logout/);
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/auth/token' })).statusCode, 401);
  });
});
