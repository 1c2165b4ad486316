/**
 * Changing one's own account security (TOTP, password, one's own tokens) needs re-authentication
 * — the current password and code, or a session started minutes ago — and a token's scopes apply:
 * a stolen bearer alone (even one scoped to reading the review queue) cannot take the account over.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowTargets } from '@steward/store/testing';
import { generateTotpSecret, totpCode } from '@steward/governance';
import { openTestApp, principalWith, type TestApp } from '../testing.js';

const target = flowTargets()[0];
const password = 'a test password of length';
const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test-bootstrap',
  authMethod: 'local-operator',
} as const;

describe('self-service account security', () => {
  let t: TestApp;
  before(async () => {
    if (target === undefined) throw new Error('no store target');
    t = await openTestApp(await target.open());
  });
  after(async () => t.close());

  /** A user with TOTP enrolled, and a token with `scopes`. Returns the TOTP secret too. */
  async function enrolled(name: string, scopes: string[]) {
    const p = await principalWith(t.kernel, name, { role: 'coordinator', site: 'north' }, { scopes });
    const secret = generateTotpSecret();
    await t.kernel.bootstrap.users.confirmTotp(p.id, secret, totpCode(secret, t.clock.now()), bootstrap);
    t.clock.advance(30_000); // the enrolment code's step is spent
    return { ...p, secret, auth: { authorization: `Bearer ${p.token}` } };
  }
  const code = (secret: string) => totpCode(secret, t.clock.now());
  const post = (url: string, headers: Record<string, string>, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers, payload });
  const newTotp = (userId: string, headers: Record<string, string>, extra: Record<string, unknown> = {}) => {
    const secret = generateTotpSecret();
    return post(`/users/${userId}/totp/confirm`, headers, { secret, code: code(secret), ...extra });
  };
  async function login(name: string, secret: string): Promise<Record<string, string>> {
    t.clock.advance(30_000);
    const r = await post('/auth/login', {}, { username: name, password, totpCode: code(secret) });
    assert.equal(r.statusCode, 200, r.body);
    return { authorization: `Bearer ${r.json<{ sessionToken: string }>().sessionToken}` };
  }

  it('refuses a token scoped to review.read, whatever proof comes with it', async () => {
    const u = await enrolled('scoped.user', ['review.read']);
    const start = await post(`/users/${u.id}/totp`, u.auth, {});
    assert.equal(start.statusCode, 403, start.body);
    const r = await newTotp(u.id, u.auth, { currentPassword: password, currentCode: code(u.secret) });
    assert.equal(r.statusCode, 403, r.body);
    assert.equal(r.json<{ code: string }>().code, 'FORBIDDEN');
    const denied = await t.db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where event = 'access.denied' and actor_id = $1`,
      [u.id],
    );
    assert.equal(denied.rows[0]?.n, 2);
  });

  it('needs the current password and code with a token, and refuses a wrong one', async () => {
    const u = await enrolled('token.user', ['*']);
    const bare = await newTotp(u.id, u.auth);
    assert.equal(bare.statusCode, 401, bare.body);
    assert.equal(bare.json<{ code: string }>().code, 'AUTH_REAUTH_REQUIRED');
    const wrong = await newTotp(u.id, u.auth, {
      currentPassword: 'not the password at all',
      currentCode: code(u.secret),
    });
    assert.equal(wrong.json<{ code: string }>().code, 'AUTH_REAUTH_REQUIRED');
    const noCode = await newTotp(u.id, u.auth, { currentPassword: password });
    assert.equal(noCode.json<{ code: string }>().code, 'AUTH_REAUTH_REQUIRED');
    const ok = await newTotp(u.id, u.auth, { currentPassword: password, currentCode: code(u.secret) });
    assert.equal(ok.statusCode, 204, ok.body);
    // The code that proved it is spent: it cannot prove a second change.
    const replay = await newTotp(u.id, u.auth, { currentPassword: password, currentCode: code(u.secret) });
    assert.equal(replay.json<{ code: string }>().code, 'AUTH_REAUTH_REQUIRED');
    const reasons = await t.db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where event = 'auth.login_failed' and actor_id = $1`,
      [u.id],
    );
    assert.equal(reasons.rows[0]?.n, 4);
  });

  it('a token carrying account.self may change its user, with proof', async () => {
    const u = await enrolled('self.scoped', ['review.read', 'account.self']);
    const r = await newTotp(u.id, u.auth, { currentPassword: password, currentCode: code(u.secret) });
    assert.equal(r.statusCode, 204, r.body);
  });

  it('accepts a session younger than five minutes as proof, and not an older one', async () => {
    const u = await enrolled('session.user', ['*']);
    const session = await login('session.user', u.secret);
    const fresh = await newTotp(u.id, session);
    assert.equal(fresh.statusCode, 204, fresh.body);
    t.clock.advance(6 * 60_000);
    await t.app.inject({ method: 'GET', url: '/me', headers: session }); // still alive (idle < 15 min)
    const stale = await newTotp(u.id, session);
    assert.equal(stale.statusCode, 401, stale.body);
    assert.equal(stale.json<{ code: string }>().code, 'AUTH_REAUTH_REQUIRED');
  });

  it("changes one's own password only with proof, and ends the other sessions", async () => {
    const u = await enrolled('password.user', ['*']);
    const other = await login('password.user', u.secret);
    const bare = await post(`/users/${u.id}/password`, u.auth, { newPassword: 'an entirely new passphrase' });
    assert.equal(bare.json<{ code: string }>().code, 'AUTH_REAUTH_REQUIRED');
    t.clock.advance(30_000);
    const ok = await post(`/users/${u.id}/password`, u.auth, {
      newPassword: 'an entirely new passphrase',
      currentPassword: password,
      currentCode: code(u.secret),
    });
    assert.equal(ok.statusCode, 204, ok.body);
    const gone = await t.app.inject({ method: 'GET', url: '/me', headers: other });
    assert.equal(gone.statusCode, 401);
    t.clock.advance(30_000);
    const again = await post(
      '/auth/login',
      {},
      {
        username: 'password.user',
        password: 'an entirely new passphrase',
        totpCode: code(u.secret),
      },
    );
    assert.equal(again.statusCode, 200, again.body);
  });

  it('issues a token for oneself only with proof; an admin still manages others without it', async () => {
    const admin = await principalWith(t.kernel, 'self.admin', { role: 'admin' });
    const secret = generateTotpSecret();
    await t.kernel.bootstrap.users.confirmTotp(admin.id, secret, code(secret), bootstrap);
    t.clock.advance(30_000);
    const auth = { authorization: `Bearer ${admin.token}` };
    const body = { principalKind: 'user', principalId: admin.id, name: 'mine', scopes: ['*'], expiresInDays: 30 };
    const bare = await post('/tokens', auth, body);
    assert.equal(bare.json<{ code: string }>().code, 'AUTH_REAUTH_REQUIRED');
    const ok = await post('/tokens', auth, { ...body, currentPassword: password, currentCode: code(secret) });
    assert.equal(ok.statusCode, 201, ok.body);

    const other = await enrolled('managed.user', ['*']);
    const reset = await newTotp(other.id, auth);
    assert.equal(reset.statusCode, 204, reset.body);
    const pw = await post(`/users/${other.id}/password`, auth, { newPassword: 'set by the administrator' });
    assert.equal(pw.statusCode, 204, pw.body);
    // Not the admin's own account, and not the admin: another user's token cannot touch it.
    const stranger = await newTotp(admin.id, other.auth, {
      currentPassword: password,
      currentCode: code(other.secret),
    });
    assert.equal(stranger.statusCode, 403, stranger.body);
  });
});
