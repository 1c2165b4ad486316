import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { adminActor, assertNoSecrets, identityKit, rejectsWith } from './test-kit.js';

const minute = 60_000;
const source = { address: '10.0.0.7', requestId: 'req-1' };

for (const target of storeTargets()) {
  describe(`login and sessions on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db.close();
    });

    it('logs in with password and TOTP, audits auth.login, and the token authenticates', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('alice');
      const code = u.code();
      const login = await kit.sessions.login({ username: 'alice', password: u.password, totpCode: code }, source);
      assert.match(login.sessionToken, /^sts_[A-Za-z0-9_-]{43}$/);
      assert.equal(login.expiresAt.getTime(), kit.clock.now().getTime() + 15 * minute);
      assert.equal(login.absoluteExpiresAt.getTime(), kit.clock.now().getTime() + 12 * 60 * minute);
      const [entry] = kit.audit.since(0, 'auth.login');
      assert.deepEqual(entry, {
        actor: { kind: 'user', id: u.user.id, name: 'alice', authMethod: 'password+totp' },
        event: 'auth.login',
        action: 'E',
        outcome: 'success',
        entity: { kind: 'session', id: login.sessionId },
        source,
      });
      const actor = await kit.authenticator.authenticate(login.sessionToken);
      assert.deepEqual(actor, {
        kind: 'user',
        id: u.user.id,
        name: 'alice',
        authMethod: 'session',
        sessionId: login.sessionId,
      });
      assertNoSecrets(kit.audit, [u.password, code, u.secret, login.sessionToken]);
    });

    it('refuses a wrong password, wrong code, replayed code, unknown and disabled users with one answer', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('bob');
      const disabled = await kit.enrolledUser('bob.disabled');
      await kit.users.disable(disabled.user.id, adminActor);
      const messages: string[] = [];
      const attempt = async (username: string, password: string, totpCode: string, reason: string) => {
        const from = kit.audit.entries.length;
        messages.push(await rejectsWith(kit.sessions.login({ username, password, totpCode }, source), 'AUTH_INVALID'));
        const failed = kit.audit.since(from, 'auth.login_failed');
        assert.equal(failed.length, 1);
        assert.equal(failed[0]?.reason, reason);
        assert.equal(failed[0]?.outcome, 'denied');
        return failed[0];
      };
      await attempt('bob', 'wrong password entirely', u.code(), 'bad_password');
      const wrongCode = String((Number(u.code()) + 1) % 1_000_000).padStart(6, '0');
      await attempt('bob', u.password, wrongCode, 'bad_totp');
      const unknown = await attempt('nobody.here', 'an attempted password', '123456', 'unknown_user');
      assert.deepEqual(unknown?.actor, { kind: 'user', id: 'anonymous', name: 'anonymous', authMethod: 'password' });
      await attempt('bob.disabled', disabled.password, disabled.code(), 'disabled');

      const code = u.code();
      await kit.sessions.login({ username: 'bob', password: u.password, totpCode: code });
      await attempt('bob', u.password, code, 'totp_replayed');

      assert.equal(new Set(messages).size, 1, 'every refusal reads the same');
      assertNoSecrets(
        kit.audit,
        [u.password, 'wrong password entirely', 'an attempted password', 'nobody.here', code, wrongCode, u.secret],
        messages,
      );
    });

    it('asks for a code when none is sent, whether or not the password was right', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('carol');
      await rejectsWith(kit.sessions.login({ username: 'carol', password: u.password }), 'AUTH_MFA_REQUIRED');
      await rejectsWith(kit.sessions.login({ username: 'carol', password: 'not her password' }), 'AUTH_MFA_REQUIRED');
      assert.deepEqual(
        kit.audit.since(0, 'auth.login_failed').map((e) => e.reason),
        ['mfa_missing', 'bad_password'],
      );
    });

    it('requires TOTP enrolment by default, and allows password-only login only when configured', async () => {
      const kit = identityKit(db);
      const user = await kit.users.create({ username: 'dave', password: 'a long and private passphrase' }, adminActor);
      const message = await rejectsWith(
        kit.sessions.login({ username: 'dave', password: 'a long and private passphrase' }),
        'AUTH_MFA_REQUIRED',
      );
      assert.match(message, /enrol/);
      assert.equal(kit.audit.since(0, 'auth.login_failed')[0]?.reason, 'mfa_not_enrolled');

      const lax = identityKit(db, { allowPasswordOnly: true });
      await lax.sessions.login({ username: 'dave', password: 'a long and private passphrase' });
      const entry = lax.audit.since(0, 'auth.login')[0];
      assert.equal(entry?.actor.id, user.id);
      assert.equal(entry?.actor.authMethod, 'password');
    });

    it('locks the account for 15 minutes after 10 failed logins, even for the right password', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('erin');
      for (let i = 0; i < 10; i++) {
        await rejectsWith(
          kit.sessions.login({ username: 'erin', password: `guess number ${i}`, totpCode: '000000' }),
          'AUTH_INVALID',
        );
      }
      await rejectsWith(
        kit.sessions.login({ username: 'erin', password: u.password, totpCode: u.code() }),
        'AUTH_INVALID',
      );
      assert.equal(kit.audit.since(0, 'auth.login_failed').at(-1)?.reason, 'locked');
      const [listed] = (await kit.users.list()).filter((x) => x.username === 'erin');
      assert.ok(listed?.lockedUntil !== null);

      kit.clock.advance(15 * minute);
      await kit.sessions.login({ username: 'erin', password: u.password, totpCode: u.code() });
      assert.equal(kit.audit.since(0, 'auth.login').length, 1);
    });

    it('ends a session idle for 15 minutes, and each request slides the idle limit', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('frank');
      const { sessionToken, sessionId } = await kit.sessions.login({
        username: 'frank',
        password: u.password,
        totpCode: u.code(),
      });
      kit.clock.advance(15 * minute - 1000);
      await kit.authenticator.authenticate(sessionToken);
      kit.clock.advance(15 * minute - 1000);
      await kit.authenticator.authenticate(sessionToken);
      kit.clock.advance(15 * minute);
      const from = kit.audit.entries.length;
      await rejectsWith(kit.authenticator.authenticate(sessionToken, source), 'AUTH_SESSION_EXPIRED');
      await rejectsWith(kit.authenticator.authenticate(sessionToken, source), 'AUTH_SESSION_EXPIRED');
      const expired = kit.audit.since(from);
      assert.deepEqual(expired, [
        {
          actor: { kind: 'user', id: u.user.id, name: 'frank', authMethod: 'session' },
          event: 'auth.session_expired',
          action: 'E',
          outcome: 'success',
          entity: { kind: 'session', id: sessionId },
          reason: 'idle_timeout',
          source,
        },
      ]);
      assertNoSecrets(kit.audit, [sessionToken]);
    });

    it('ends a session 12 hours after login however active it is', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('grace');
      const { sessionToken } = await kit.sessions.login({
        username: 'grace',
        password: u.password,
        totpCode: u.code(),
      });
      for (let t = 10; t < 720; t += 10) {
        kit.clock.advance(10 * minute);
        await kit.authenticator.authenticate(sessionToken);
      }
      kit.clock.advance(10 * minute);
      await rejectsWith(kit.authenticator.authenticate(sessionToken), 'AUTH_SESSION_EXPIRED');
      assert.equal(kit.audit.since(0, 'auth.session_expired')[0]?.reason, 'absolute_timeout');
    });

    it('honours configured time-outs', async () => {
      const kit = identityKit(db, { idleTimeoutMs: 2 * minute, absoluteTimeoutMs: 60 * minute });
      const u = await kit.enrolledUser('heidi');
      const { sessionToken, absoluteExpiresAt } = await kit.sessions.login({
        username: 'heidi',
        password: u.password,
        totpCode: u.code(),
      });
      assert.equal(absoluteExpiresAt.getTime(), kit.clock.now().getTime() + 60 * minute);
      kit.clock.advance(2 * minute);
      await rejectsWith(kit.authenticator.authenticate(sessionToken), 'AUTH_SESSION_EXPIRED');
    });

    it('logs out: audited, and the token is refused at once', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('ivan');
      const { sessionToken, sessionId } = await kit.sessions.login({
        username: 'ivan',
        password: u.password,
        totpCode: u.code(),
      });
      const actor = await kit.authenticator.authenticate(sessionToken);
      await kit.sessions.logout(actor, source);
      assert.equal(kit.audit.since(0, 'auth.logout')[0]?.entity?.id, sessionId);
      await rejectsWith(kit.authenticator.authenticate(sessionToken), 'AUTH_INVALID');
      const rejected = kit.audit.since(0, 'auth.token_rejected')[0];
      assert.equal(rejected?.reason, 'ended');
      assert.deepEqual(rejected?.entity, { kind: 'session', id: sessionId });
    });

    it('fails closed: when audit cannot be written, login fails and no session exists', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('judy');
      kit.audit.failing = true;
      await assert.rejects(
        kit.sessions.login({ username: 'judy', password: u.password, totpCode: u.code() }),
        /audit store unavailable/,
      );
      await assert.rejects(
        kit.sessions.login({ username: 'judy', password: 'a wrong password' }),
        /audit store unavailable/,
      );
      const { rows } = await db.query('select id from sessions where user_id = $1', [u.user.id]);
      assert.equal(rows.length, 0);
    });
  });
}
