/**
 * DELETE /auth/token: an API token gives itself up (`steward logout`), needing no grant; it
 * cannot name another token, and a session is told to log out instead. And the console's session
 * cookie with its CSRF header, idle limit and revocation, and what /me says about break-glass.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowTargets } from '@steward/store/testing';
import { generateTotpSecret, totpCode } from '@steward/governance';
import { buildApp } from '../app.js';
import { bearer, openTestApp, principalWith, testHttpConfig, type TestApp } from '../../testing.js';

const target = flowTargets()[0];
const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test-bootstrap',
  authMethod: 'local-operator',
} as const;

// One app for the file: opening a store is most of its cost.
let t: TestApp;
before(async () => {
  if (target === undefined) throw new Error('no store target');
  t = await openTestApp(await target.open());
});
after(async () => t.close());

describe('DELETE /auth/token', () => {
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

/**
 * The console's session cookie (ADR 0014): HttpOnly, Secure, SameSite=Strict; a state-changing
 * request it authenticates needs X-Steward-CSRF; the server's idle limit and logout end it.
 */
describe('the console session cookie', () => {
  const csrf = { 'x-steward-csrf': '1' };
  let n = 0;
  /** A new user with TOTP, signed in through the cookie; answers the login and the cookie header. */
  const cookieLogin = async (
    extra: { headers?: Record<string, string>; breakGlass?: boolean; role?: 'coordinator' } = {},
  ) => {
    const name = `cookie-user-${++n}`;
    const u = await principalWith(
      t.kernel,
      name,
      { role: extra.role ?? 'coordinator', site: 'north' },
      {
        breakGlass: extra.breakGlass ?? false,
      },
    );
    const secret = generateTotpSecret();
    await t.kernel.bootstrap.users.confirmTotp(u.id, secret, totpCode(secret, t.clock.now()), bootstrap);
    t.clock.advance(30_000);
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: extra.headers ?? csrf,
      payload: {
        username: name,
        password: 'a test password of length',
        totpCode: totpCode(secret, t.clock.now()),
        cookie: true,
      },
    });
    const setCookie = String(login.headers['set-cookie'] ?? '');
    return { u, login, setCookie, cookie: setCookie.split(';')[0] ?? '' };
  };

  it('is set HttpOnly, Secure, SameSite=Strict, and the token never reaches script', async () => {
    const { login, setCookie, cookie } = await cookieLogin();
    assert.equal(login.statusCode, 200, login.body);
    const body = login.json<{ sessionToken?: string; sessionCookie: boolean }>();
    assert.equal(body.sessionCookie, true);
    assert.equal(body.sessionToken, undefined);
    assert.match(cookie, /^__Host-steward_session=sts_/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/'])
      assert.ok(setCookie.split('; ').includes(attribute), `${attribute} in ${setCookie.replace(/=sts_\S+/, '=…')}`);
    // A GET needs no CSRF header: it changes nothing (a reload, a second tab).
    const me = await t.app.inject({ method: 'GET', url: '/me', headers: { cookie } });
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json<{ idleTimeoutSeconds: number }>().idleTimeoutSeconds, testHttpConfig.sessionIdleMinutes * 60);
  });

  it('refuses a state-changing request without the CSRF header (CSRF_REFUSED), and a cookie login without it', async () => {
    const { cookie } = await cookieLogin();
    const forged = await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json<{ code: string }>().code, 'CSRF_REFUSED');
    assert.equal((await t.app.inject({ method: 'GET', url: '/me', headers: { cookie } })).statusCode, 200, 'not ended');
    const forgedLogin = await cookieLogin({ headers: {} });
    assert.equal(forgedLogin.login.statusCode, 403);
    assert.equal(forgedLogin.login.json<{ code: string }>().code, 'CSRF_REFUSED');
    assert.equal(forgedLogin.setCookie, '');
  });

  it('tells the sign-in page, before anyone signs in, whether the demo runs (nothing else)', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/auth/sign-in' });
    assert.equal(plain.statusCode, 200, plain.body);
    assert.deepEqual(plain.json(), { demo: false });
    const demo = await buildApp(t.kernel, testHttpConfig, t.logger, { demo: true });
    try {
      assert.deepEqual((await demo.inject({ method: 'GET', url: '/auth/sign-in' })).json(), { demo: true });
    } finally {
      await demo.close();
    }
  });

  it('leaves bearer tokens as they were: no cookie, no CSRF header', async () => {
    const svc = await principalWith(t.kernel, 'cookie-free-svc', { role: 'automation', site: 'north' });
    const r = await t.app.inject({ method: 'DELETE', url: '/auth/token', headers: bearer(svc) });
    assert.equal(r.statusCode, 204, r.body);
  });

  it('answers a bearer over plain HTTP to another host, where a Secure cookie would be dropped', async () => {
    const { login, setCookie } = await cookieLogin({ headers: { ...csrf, host: 'steward.example.org' } });
    assert.equal(login.statusCode, 200, login.body);
    assert.equal(login.json<{ sessionCookie: boolean }>().sessionCookie, false);
    assert.match(login.json<{ sessionToken: string }>().sessionToken, /^sts_/);
    assert.equal(setCookie, '');
  });

  it('sets the cookie behind a trusted TLS proxy (X-Forwarded-Proto), never on a client’s own say-so', async () => {
    const proxied = await buildApp(t.kernel, { ...testHttpConfig, trustProxy: ['127.0.0.1'] }, t.logger);
    try {
      const via = async (app: typeof proxied, remoteAddress: string) => {
        const name = `proxied-${++n}`;
        const u = await principalWith(t.kernel, name, { role: 'coordinator', site: 'north' });
        const secret = generateTotpSecret();
        await t.kernel.bootstrap.users.confirmTotp(u.id, secret, totpCode(secret, t.clock.now()), bootstrap);
        t.clock.advance(30_000);
        const r = await app.inject({
          method: 'POST',
          url: '/auth/login',
          remoteAddress,
          headers: { ...csrf, host: 'steward.example.org', 'x-forwarded-proto': 'https' },
          payload: {
            username: name,
            password: 'a test password of length',
            totpCode: totpCode(secret, t.clock.now()),
            cookie: true,
          },
        });
        return r.json<{ sessionCookie: boolean }>().sessionCookie;
      };
      assert.equal(await via(proxied, '127.0.0.1'), true, 'the named proxy terminated TLS');
      assert.equal(await via(proxied, '198.51.100.7'), false, 'anyone else is not believed');
    } finally {
      await proxied.close();
    }
  });

  it('expires at the server after the idle limit, whatever the browser does', async () => {
    const { cookie } = await cookieLogin();
    t.clock.advance(testHttpConfig.sessionIdleMinutes * 60_000 + 1000);
    const r = await t.app.inject({ method: 'GET', url: '/me', headers: { cookie } });
    assert.equal(r.statusCode, 401);
    assert.equal(r.json<{ code: string }>().code, 'AUTH_SESSION_EXPIRED');
  });

  it('is revoked at the server by logout, and cleared in the browser', async () => {
    const { cookie } = await cookieLogin();
    const out = await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, ...csrf } });
    assert.equal(out.statusCode, 204, out.body);
    assert.match(String(out.headers['set-cookie']), /^__Host-steward_session=; .*Max-Age=0/);
    // The same cookie, replayed (a second tab, a stolen copy), no longer opens anything.
    const replay = await t.app.inject({ method: 'GET', url: '/me', headers: { cookie } });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json<{ code: string }>().code, 'AUTH_INVALID');
  });

  it('tells /me whether break-glass is possible, and lets an episode show its site and its reads', async () => {
    const { cookie } = await cookieLogin({ breakGlass: true });
    const me = async () =>
      (await t.app.inject({ method: 'GET', url: '/me', headers: { cookie } })).json<{
        breakGlassEligible: boolean;
        permissions: Record<string, string[]>;
      }>();
    assert.equal((await me()).breakGlassEligible, true);
    assert.deepEqual((await me()).permissions['phi.search'], ['north']);
    const plain = await cookieLogin();
    const plainMe = await t.app.inject({ method: 'GET', url: '/me', headers: { cookie: plain.cookie } });
    assert.equal(plainMe.json<{ breakGlassEligible: boolean }>().breakGlassEligible, false);

    const started = await t.app.inject({
      method: 'POST',
      url: '/break-glass',
      headers: { cookie, ...csrf },
      payload: { site: 'south', reason: 'patient unconscious in ED', minutes: 5 },
    });
    assert.equal(started.statusCode, 201, started.body);
    const episode = started.json<{ id: string }>().id;
    // While it lasts, the site is where the grants-plus-episode allow reading, and only reading.
    const during = await me();
    assert.deepEqual(during.permissions['phi.search'], ['north', 'south']);
    assert.deepEqual(during.permissions['phi.read'], ['north', 'south']);
    assert.deepEqual(during.permissions['phi.write'], ['north']);
    assert.deepEqual(during.permissions['directory.read'], ['north', 'south'], 'the names a referral is shown with');
    assert.equal(during.permissions['review.decide']?.includes('south'), false);
    const read = await t.app.inject({ method: 'GET', url: '/followups?site=south', headers: { cookie } });
    assert.equal(read.statusCode, 200, read.body);

    await t.kernel.audit.flush();
    const officer = await principalWith(t.kernel, 'bg-officer', { role: 'compliance_officer' });
    const reads = await t.app.inject({
      method: 'GET',
      url: `/audit/events?breakGlass=${episode}`,
      headers: bearer(officer),
    });
    assert.equal(reads.statusCode, 200, reads.body);
    const items = reads.json<{ items: { breakGlassId?: string; event: string; site?: string }[] }>().items;
    assert.ok(items.length >= 2, `the start and the read: ${JSON.stringify(items.map((e) => e.event))}`);
    assert.ok(items.every((e) => e.breakGlassId === episode));
    assert.ok(items.some((e) => e.event === 'break_glass.start'));
    assert.ok(items.some((e) => e.event !== 'break_glass.start' && e.site === 'south'));

    t.clock.advance(5 * 60_000 + 1000);
    // A request within the idle limit keeps the session; the episode is over.
    assert.deepEqual((await me()).permissions['phi.search'], ['north']);
  });
});
