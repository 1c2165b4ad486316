import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '@steward/store';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { PasswordHasher } from './passwords.js';
import { SessionManager } from './sessions.js';
import { adminActor, identityKit, rejectsWith } from './test-kit.js';

const minute = 60_000;
const attacker = { address: '203.0.113.9' };
const owner = { address: '10.0.0.7' };

/** A store that records every statement, to compare the work two logins do. */
function recording(db: Database): { db: Database; statements: string[] } {
  const statements: string[] = [];
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (text: string, params?: unknown[]) => {
          statements.push(text.replace(/\s+/g, ' ').trim());
          return target.query(text, params);
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { db: wrapped, statements };
}

/** A hasher that counts Argon2 verifications. */
class CountingHasher extends PasswordHasher {
  verifications = 0;
  override verify(phc: string, password: string): Promise<boolean> {
    this.verifications++;
    return super.verify(phc, password);
  }
}

for (const target of storeTargets()) {
  describe(`sign-in locks and enumeration on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db.close();
    });

    it('locks a username only for the address that failed, so a stranger cannot lock its owner out', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('gina');
      for (let i = 0; i < 10; i++) {
        await rejectsWith(
          kit.sessions.login({ username: 'gina', password: `wrong ${i}` }, attacker),
          'AUTH_MFA_REQUIRED',
        );
      }
      // The attacker's address is locked, even with the right password…
      await rejectsWith(
        kit.sessions.login({ username: 'gina', password: u.password, totpCode: u.code() }, attacker),
        'AUTH_INVALID',
      );
      assert.equal(kit.audit.since(0, 'auth.login_failed').at(-1)?.reason, 'locked');
      // …and the owner, from their own address, signs in.
      await kit.sessions.login({ username: 'gina', password: u.password, totpCode: u.code() }, owner);
      const listed = (await kit.users.list()).find((x) => x.username === 'gina');
      assert.ok(listed?.lockedUntil !== null && listed?.lockedUntil !== undefined);
      assert.equal(listed.lockedUntil.getTime(), kit.clock.now().getTime() + 15 * minute);
    });

    it('backs off: each further lock of the same pair lasts twice as long', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('hugo');
      const fail10 = async () => {
        for (let i = 0; i < 10; i++)
          await rejectsWith(
            kit.sessions.login({ username: 'hugo', password: `wrong ${i}` }, attacker),
            'AUTH_MFA_REQUIRED',
          );
      };
      await fail10();
      kit.clock.advance(15 * minute);
      await fail10();
      const until = (await kit.users.get(u.user.id)).lockedUntil;
      assert.equal(until?.getTime(), kit.clock.now().getTime() + 30 * minute);
      kit.clock.advance(15 * minute + 30_000);
      await rejectsWith(
        kit.sessions.login({ username: 'hugo', password: u.password, totpCode: u.code() }, attacker),
        'AUTH_INVALID',
      );
      kit.clock.advance(15 * minute);
      await kit.sessions.login({ username: 'hugo', password: u.password, totpCode: u.code() }, attacker);
    });

    it('an administrator unlocks a user from every address, and it is audited', async () => {
      const kit = identityKit(db);
      const u = await kit.enrolledUser('iris');
      for (const source of [attacker, owner])
        for (let i = 0; i < 10; i++)
          await rejectsWith(
            kit.sessions.login({ username: 'iris', password: `wrong ${i}` }, source),
            'AUTH_MFA_REQUIRED',
          );
      const lifted = await kit.users.unlock(u.user.id, adminActor);
      assert.deepEqual(lifted, { locksLifted: 2 });
      assert.equal((await kit.users.get(u.user.id)).lockedUntil, null);
      const entry = kit.audit.since(0, 'admin.user_changed').at(-1);
      assert.equal(entry?.reason, 'unlocked:2');
      assert.equal(entry?.actor.id, adminActor.id);
      await kit.sessions.login({ username: 'iris', password: u.password, totpCode: u.code() }, owner);
    });

    it('does the same work for an unknown username as for a known one with a wrong password', async () => {
      const kit = identityKit(db);
      await kit.enrolledUser('jules');
      const rec = recording(db);
      const hasher = new CountingHasher({ memoryCost: 1024, timeCost: 1 });
      const sessions = new SessionManager({
        db: rec.db,
        audit: kit.audit,
        cipher: kit.cipher,
        hasher,
        clock: kit.clock,
      });
      await rejectsWith(sessions.login({ username: 'nobody.here', password: 'warm-up' }, owner), 'AUTH_MFA_REQUIRED');
      const work = async (username: string) => {
        rec.statements.length = 0;
        hasher.verifications = 0;
        const audits = kit.audit.entries.length;
        await rejectsWith(sessions.login({ username, password: 'a wrong password' }, owner), 'AUTH_MFA_REQUIRED');
        return {
          statements: [...rec.statements],
          argon2: hasher.verifications,
          audits: kit.audit.entries.length - audits,
        };
      };
      const known = await work('jules');
      const unknown = await work('nobody.else');
      assert.deepEqual(unknown, known);
      assert.equal(known.argon2, 1);
    });
  });
}
