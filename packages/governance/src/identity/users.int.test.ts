import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, ValidationError } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { totpCode } from './totp.js';
import { totpContext } from './users.js';
import { adminActor, assertNoSecrets, identityKit, rejectsWith } from './test-kit.js';

for (const target of storeTargets()) {
  describe(`user directory on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db.close();
    });

    it('creates users (audited, password hashed) and lists them without secrets', async () => {
      const kit = identityKit(db);
      const password = 'a long and private passphrase';
      const created = await kit.users.create({ username: 'kate', password }, adminActor);
      assert.deepEqual(kit.audit.since(0), [
        {
          actor: { kind: 'user', id: adminActor.id, name: 'test-admin', authMethod: 'session' },
          event: 'admin.user_changed',
          action: 'C',
          outcome: 'success',
          entity: { kind: 'user', id: created.id },
          fields: ['username', 'password'],
        },
      ]);
      const listed = (await kit.users.list()).find((u) => u.id === created.id);
      assert.deepEqual(listed, created);
      assert.deepEqual(Object.keys(created).sort(), [
        'breakGlassEligible',
        'createdAt',
        'disabledAt',
        'id',
        'lockedUntil',
        'totpEnrolled',
        'username',
      ]);
      const { rows } = await db.query<{ password_hash: string }>('select password_hash from users where id = $1', [
        created.id,
      ]);
      assert.match(rows[0]?.password_hash ?? '', /^\$argon2id\$/);
      assertNoSecrets(kit.audit, [password]);
    });

    it('enforces username rules and uniqueness', async () => {
      const kit = identityKit(db);
      for (const username of ['ab', 'Upper', 'has space', 'x'.repeat(65), 'bad/slash']) {
        await assert.rejects(
          kit.users.create({ username, password: 'a long enough password' }, adminActor),
          ValidationError,
        );
      }
      await kit.users.create({ username: 'l.o_n-g3', password: 'a long enough password' }, adminActor);
      await assert.rejects(
        kit.users.create({ username: 'l.o_n-g3', password: 'a long enough password' }, adminActor),
        ConflictError,
      );
      await assert.rejects(kit.users.create({ username: 'shorty', password: 'too short' }, adminActor), /min_length/);
    });

    it('stores the TOTP secret only once confirmed, sealed to this user', async () => {
      const kit = identityKit(db);
      const user = await kit.users.create({ username: 'leo', password: 'a long and private passphrase' }, adminActor);
      const { secret, uri } = await kit.users.startTotpEnrolment(user.id);
      assert.match(uri, /^otpauth:\/\/totp\/Steward:leo\?/);
      assert.equal((await kit.users.get(user.id)).totpEnrolled, false);
      await assert.rejects(kit.users.confirmTotp(user.id, secret, '000000', adminActor), /totp_confirm/);
      const code = totpCode(secret, kit.clock.now());
      await kit.users.confirmTotp(user.id, secret, code, adminActor);
      assert.equal((await kit.users.get(user.id)).totpEnrolled, true);

      const { rows } = await db.query<{ totp_secret_enc: Uint8Array }>(
        'select totp_secret_enc from users where id = $1',
        [user.id],
      );
      const sealed = Buffer.from(rows[0]?.totp_secret_enc ?? []);
      assert.ok(!sealed.includes(Buffer.from(secret)), 'stored sealed, not in plaintext');
      assert.equal(kit.cipher.decrypt(sealed, totpContext(user.id)).toString(), secret);
      assert.throws(() => kit.cipher.decrypt(sealed, totpContext(adminActor.id)));
      // The code that confirmed enrolment cannot then be used to log in.
      await rejectsWith(
        kit.sessions.login({ username: 'leo', password: 'a long and private passphrase', totpCode: code }),
        'AUTH_INVALID',
      );
      assert.equal(kit.audit.since(0, 'auth.login_failed')[0]?.reason, 'totp_replayed');
      assertNoSecrets(kit.audit, [secret, code]);
    });

    it('disabling a user ends their sessions and revokes their tokens at once', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('mallory');
      const { sessionToken } = await kit.sessions.login({
        username: 'mallory',
        password: u.password,
        totpCode: u.code(),
      });
      const { token } = await kit.tokens.issue(
        {
          principal: { kind: 'user', id: u.user.id },
          name: 'script',
          scopes: ['reports:read'],
          expiresAt: new Date(kit.clock.now().getTime() + 86_400_000),
        },
        adminActor,
      );
      const byToken = await kit.authenticator.authenticate(token);
      assert.deepEqual(byToken.scopes, ['reports:read']);
      await kit.authenticator.authenticate(sessionToken);

      await kit.users.disable(u.user.id, adminActor);
      await rejectsWith(kit.authenticator.authenticate(sessionToken), 'AUTH_INVALID');
      await rejectsWith(kit.authenticator.authenticate(token), 'AUTH_INVALID');
      const { rows } = await db.query<{ end_reason: string }>('select end_reason from sessions where user_id = $1', [
        u.user.id,
      ]);
      assert.deepEqual(
        rows.map((r) => r.end_reason),
        ['user_disabled'],
      );
      assert.ok((await kit.users.get(u.user.id)).disabledAt !== null);
      assert.equal(kit.audit.since(0, 'admin.user_changed').at(-1)?.reason, 'user_disabled');
    });

    it('sets break-glass eligibility, audited, and undoes it when audit fails', async () => {
      const kit = identityKit(db);
      const user = await kit.users.create({ username: 'nina', password: 'a long and private passphrase' }, adminActor);
      await kit.users.setBreakGlassEligible(user.id, true, adminActor);
      assert.equal((await kit.users.get(user.id)).breakGlassEligible, true);
      assert.equal(kit.audit.since(0, 'admin.user_changed').at(-1)?.reason, 'granted');
      kit.audit.failing = true;
      await assert.rejects(kit.users.setBreakGlassEligible(user.id, false, adminActor));
      assert.equal((await kit.users.get(user.id)).breakGlassEligible, true);
    });

    it('does not keep a user whose creation could not be audited', async () => {
      const kit = identityKit(db);
      kit.audit.failing = true;
      await assert.rejects(
        kit.users.create({ username: 'olga', password: 'a long and private passphrase' }, adminActor),
      );
      assert.equal(
        (await kit.users.list()).some((u) => u.username === 'olga'),
        false,
      );
    });

    it('answers NOT_FOUND for unknown or malformed ids', async () => {
      const kit = identityKit(db);
      await rejectsWith(kit.users.get('not-a-uuid'), 'NOT_FOUND');
      await rejectsWith(kit.users.disable('00000000-0000-4000-8000-000000000000', adminActor), 'NOT_FOUND');
    });
  });
}
