import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ValidationError } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { adminActor, assertNoSecrets, identityKit, rejectsWith } from './test-kit.js';

const day = 86_400_000;

for (const target of storeTargets()) {
  describe(`API tokens and the authenticator on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db.close();
    });

    it('answers AUTH_REQUIRED when no token is sent', async () => {
      const kit = identityKit(db);
      await rejectsWith(kit.authenticator.authenticate(undefined), 'AUTH_REQUIRED');
      await rejectsWith(kit.authenticator.authenticate(''), 'AUTH_REQUIRED');
    });

    it('issues a scoped token that authenticates as its service account, audited without the secret', async () => {
      const kit = identityKit(db);
      const sa = await kit.serviceAccounts.create('referral-sync', adminActor);
      const issued = await kit.tokens.issue(
        {
          principal: { kind: 'service', id: sa.id },
          name: 'nightly',
          scopes: ['referrals:read', 'referrals:write'],
          expiresAt: new Date(kit.clock.now().getTime() + 30 * day),
        },
        adminActor,
      );
      assert.match(issued.token, /^stw_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
      assert.ok(issued.token.includes(issued.id.replaceAll('-', '')));
      const actor = await kit.authenticator.authenticate(issued.token, { requestId: 'r1' });
      assert.deepEqual(actor, {
        kind: 'service',
        id: sa.id,
        name: 'referral-sync',
        authMethod: 'api-token',
        scopes: ['referrals:read', 'referrals:write'],
        tokenId: issued.id,
      });
      assert.equal(kit.audit.since(0, 'auth.token_created')[0]?.entity?.id, issued.id);
      const [listed] = await kit.tokens.list({ principalId: sa.id });
      assert.deepEqual(Object.keys(listed ?? {}).sort(), [
        'createdAt',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
        'principalId',
        'principalKind',
        'revokedAt',
        'scopes',
      ]);
      assert.equal(listed?.lastUsedAt?.getTime(), kit.clock.now().getTime());
      // Kept to the minute: a use within a minute of the recorded one writes nothing, a later one does.
      const firstUse = kit.clock.now().getTime();
      kit.clock.advance(59_000);
      await kit.authenticator.authenticate(issued.token);
      assert.equal((await kit.tokens.list({ principalId: sa.id }))[0]?.lastUsedAt?.getTime(), firstUse);
      kit.clock.advance(1_000);
      await kit.authenticator.authenticate(issued.token);
      assert.equal(
        (await kit.tokens.list({ principalId: sa.id }))[0]?.lastUsedAt?.getTime(),
        kit.clock.now().getTime(),
      );
      // The secret is everything after `stw_<id>_`: it may itself hold `_` (base64url), so not split('_').
      const secret = issued.token.slice('stw_'.length + 32 + 1);
      assert.equal(secret.length, 43);
      assertNoSecrets(kit.audit, [issued.token, secret]);
    });

    it('refuses a token once it expires, auditing the reason and the token id only', async () => {
      const kit = identityKit(db);
      const sa = await kit.serviceAccounts.create('expiring-sync', adminActor);
      const issued = await kit.tokens.issue(
        {
          principal: { kind: 'service', id: sa.id },
          name: 'short',
          scopes: ['x'],
          expiresAt: new Date(kit.clock.now().getTime() + 60_000),
        },
        adminActor,
      );
      await kit.authenticator.authenticate(issued.token);
      kit.clock.advance(60_000);
      const message = await rejectsWith(
        kit.authenticator.authenticate(issued.token, { address: '10.1.1.1' }),
        'AUTH_INVALID',
      );
      assert.deepEqual(kit.audit.since(0, 'auth.token_rejected'), [
        {
          actor: { kind: 'user', id: 'anonymous', name: 'anonymous', authMethod: 'api-token' },
          event: 'auth.token_rejected',
          action: 'E',
          outcome: 'denied',
          entity: { kind: 'api_token', id: issued.id },
          reason: 'expired',
          source: { address: '10.1.1.1' },
        },
      ]);
      assertNoSecrets(kit.audit, [issued.token], [message]);
    });

    it('revocation is effective on the very next call', async () => {
      const kit = identityKit(db);
      const sa = await kit.serviceAccounts.create('revoked-sync', adminActor);
      const issued = await kit.tokens.issue(
        {
          principal: { kind: 'service', id: sa.id },
          name: 'r',
          scopes: ['x'],
          expiresAt: new Date(kit.clock.now().getTime() + day),
        },
        adminActor,
      );
      await kit.authenticator.authenticate(issued.token);
      await kit.tokens.revoke(issued.id, adminActor);
      await rejectsWith(kit.authenticator.authenticate(issued.token), 'AUTH_INVALID');
      assert.equal(kit.audit.since(0, 'auth.token_revoked')[0]?.entity?.id, issued.id);
      assert.equal(kit.audit.since(0, 'auth.token_rejected')[0]?.reason, 'revoked');
      await kit.tokens.revoke(issued.id, adminActor); // idempotent
      assert.equal(kit.audit.since(0, 'auth.token_revoked').length, 1);
    });

    it('disabling a service account revokes its tokens at once', async () => {
      const kit = identityKit(db);
      const sa = await kit.serviceAccounts.create('disabled-sync', adminActor);
      const issued = await kit.tokens.issue(
        {
          principal: { kind: 'service', id: sa.id },
          name: 'd',
          scopes: ['x'],
          expiresAt: new Date(kit.clock.now().getTime() + day),
        },
        adminActor,
      );
      await kit.serviceAccounts.disable(sa.id, adminActor);
      await rejectsWith(kit.authenticator.authenticate(issued.token), 'AUTH_INVALID');
      assert.equal(kit.audit.since(0, 'admin.service_account_changed').length, 2);
      await assert.rejects(
        kit.tokens.issue(
          {
            principal: { kind: 'service', id: sa.id },
            name: 'd2',
            scopes: ['x'],
            expiresAt: new Date(kit.clock.now().getTime() + day),
          },
          adminActor,
        ),
        ValidationError,
      );
    });

    it('refuses a token with the right id and another secret (hash mismatch)', async () => {
      const kit = identityKit(db);
      const sa = await kit.serviceAccounts.create('forged-sync', adminActor);
      const issued = await kit.tokens.issue(
        {
          principal: { kind: 'service', id: sa.id },
          name: 'f',
          scopes: ['x'],
          expiresAt: new Date(kit.clock.now().getTime() + day),
        },
        adminActor,
      );
      const forged = issued.token.slice(0, -43) + 'A'.repeat(43);
      await rejectsWith(kit.authenticator.authenticate(forged), 'AUTH_INVALID');
      assert.equal(kit.audit.since(0, 'auth.token_rejected')[0]?.reason, 'hash_mismatch');
    });

    it('validates token requests: expiry required within 365 days, scopes well-formed, principal known', async () => {
      const kit = identityKit(db);
      const sa = await kit.serviceAccounts.create('validated-sync', adminActor);
      const now = kit.clock.now().getTime();
      const base = {
        principal: { kind: 'service' as const, id: sa.id },
        name: 'v',
        scopes: ['x'],
        expiresAt: new Date(now + day),
      };
      for (const bad of [
        { ...base, expiresAt: new Date(now) },
        { ...base, expiresAt: new Date(now + 366 * day) },
        { ...base, scopes: [] },
        { ...base, scopes: ['Has Spaces'] },
        { ...base, scopes: ['system/Patient.'] },
        { ...base, scopes: ['patient/Patient.rs'] },
        { ...base, scopes: ['system/Patient.sr'] },
        { ...base, name: '  ' },
      ]) {
        await assert.rejects(kit.tokens.issue(bad, adminActor), ValidationError);
      }
      await kit.tokens.issue({ ...base, expiresAt: new Date(now + 365 * day) }, adminActor);
      // SMART system scopes narrow what the token reads through the FHIR facade (ADR 0018).
      await kit.tokens.issue({ ...base, scopes: ['phi.read', 'system/Appointment.rs', 'system/*.read'] }, adminActor);
      await rejectsWith(kit.tokens.issue({ ...base, principal: { kind: 'user', id: sa.id } }, adminActor), 'NOT_FOUND');
    });

    it('fails closed: an unaudited token is never handed out and does not exist', async () => {
      const kit = identityKit(db);
      const sa = await kit.serviceAccounts.create('unaudited-sync', adminActor);
      kit.audit.failing = true;
      await assert.rejects(
        kit.tokens.issue(
          {
            principal: { kind: 'service', id: sa.id },
            name: 'u',
            scopes: ['x'],
            expiresAt: new Date(kit.clock.now().getTime() + day),
          },
          adminActor,
        ),
        /audit store unavailable/,
      );
      assert.deepEqual(await kit.tokens.list({ principalId: sa.id }), []);
    });

    it('property: any string that is not exactly an issued token is rejected with AUTH_INVALID or AUTH_REQUIRED', async () => {
      const kit = identityKit(db);
      const sa = await kit.serviceAccounts.create('property-sync', adminActor);
      const { token } = await kit.tokens.issue(
        {
          principal: { kind: 'service', id: sa.id },
          name: 'p',
          scopes: ['x'],
          expiresAt: new Date(kit.clock.now().getTime() + day),
        },
        adminActor,
      );
      const u = await kit.enrolledUser('property.user');
      const { sessionToken } = await kit.sessions.login({
        username: 'property.user',
        password: u.password,
        totpCode: u.code(),
      });
      const issued = [token, sessionToken];
      const mutation = fc.oneof(
        fc.string(),
        fc.constantFrom(...issued).chain((t) =>
          fc.oneof(
            fc
              .nat({ max: t.length - 1 })
              .chain((i) => fc.string({ minLength: 1, maxLength: 1 }).map((c) => t.slice(0, i) + c + t.slice(i + 1))),
            fc.nat({ max: t.length - 1 }).map((i) => t.slice(0, i)),
            fc.string({ minLength: 1, maxLength: 3 }).map((s) => t + s),
            fc.string({ minLength: 1, maxLength: 3 }).map((s) => s + t),
            fc.constant(t.toUpperCase()),
            fc.constant(` ${t}`),
            fc.constant(`Bearer ${t}`),
          ),
        ),
      );
      await fc.assert(
        fc.asyncProperty(mutation, async (candidate) => {
          fc.pre(!issued.includes(candidate));
          await rejectsWith(
            kit.authenticator.authenticate(candidate),
            candidate === '' ? 'AUTH_REQUIRED' : 'AUTH_INVALID',
          );
        }),
        { numRuns: 300 },
      );
      // The real tokens still work, and no rejected attempt put either secret in the audit log.
      await kit.authenticator.authenticate(token);
      await kit.authenticator.authenticate(sessionToken);
      assertNoSecrets(kit.audit, [token, sessionToken]);
    });
  });
}
