import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, newId, UnexpectedError, UserError, type Actor } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { AuditEntryInput, AuditSink } from '../audit/audit-entry.js';
import { KeyRing } from '../crypto/key-ring.js';
import { BreakGlassStore, type BreakGlassRoster } from './break-glass.js';

class Entries implements AuditSink {
  readonly entries: AuditEntryInput[] = [];
  append(entry: AuditEntryInput): Promise<{ readonly seq: number }> {
    this.entries.push(entry);
    return Promise.resolve({ seq: this.entries.length });
  }
}

/** Identity's answers, as its UserRoster gives them (that class is tested in identity). */
class Roster implements BreakGlassRoster {
  constructor(
    private readonly eligible: ReadonlyMap<string, string>,
    private readonly names: ReadonlyMap<string, string>,
  ) {}
  breakGlassEligible(userId: string): Promise<string | undefined> {
    return Promise.resolve(this.eligible.get(userId));
  }
  usernames(userIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return Promise.resolve(
      new Map(userIds.flatMap((id) => (this.names.has(id) ? [[id, this.names.get(id) ?? '']] : []))),
    );
  }
}

const userActor = (id: string, name: string): Actor => ({ kind: 'user', id, name, authMethod: 'password+totp' });
const request = { site: 'south', reason: 'patient unconscious in ED', minutes: 10 };

for (const target of storeTargets()) {
  describe(`break-glass asks identity's roster on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    const doctor = userActor(newId(), 'er-doctor');
    const clerk = userActor(newId(), 'clerk');
    const cipher = KeyRing.inMemory();
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    before(async () => {
      db = await target.open();
      for (const u of [doctor, clerk]) {
        await db.query(`insert into users (id, username, password_hash) values ($1, $2, 'x')`, [u.id, u.name]);
      }
    });
    after(async () => {
      await db?.close();
    });

    it('starts an episode for a user the roster names eligible, and lists it under that username', async () => {
      const audit = new Entries();
      const names = new Map([
        [doctor.id, 'er-doctor'],
        [clerk.id, 'clerk'],
      ]);
      const store = new BreakGlassStore(
        db,
        cipher,
        audit,
        undefined,
        clock,
        new Roster(new Map([[doctor.id, 'er-doctor']]), names),
      );
      const episode = await store.start(doctor, request);
      assert.equal(episode.username, 'er-doctor');
      assert.equal(audit.entries.at(-1)?.event, 'break_glass.start');
      const listed = await store.list({ userId: doctor.id });
      assert.deepEqual(
        listed.map((e) => [e.id, e.username, e.reason]),
        [[episode.id, 'er-doctor', request.reason]],
      );

      await assert.rejects(
        store.start(clerk, request),
        (e: unknown) => e instanceof UserError && e.code === 'BREAK_GLASS_NOT_ELIGIBLE',
      );
      assert.equal(audit.entries.at(-1)?.event, 'access.denied');
      assert.equal(audit.entries.at(-1)?.reason, 'break_glass_not_eligible');
    });

    it('without a roster nobody may start one, and an episode it cannot name is an error, not a gap', async () => {
      const audit = new Entries();
      const bare = new BreakGlassStore(db, cipher, audit, undefined, clock);
      await assert.rejects(
        bare.start(doctor, request),
        (e: unknown) => e instanceof UserError && e.code === 'BREAK_GLASS_NOT_ELIGIBLE',
      );
      assert.equal(audit.entries.at(-1)?.event, 'access.denied');
      await assert.rejects(bare.list({ userId: doctor.id }), UnexpectedError);
      // The decision point's question needs no roster.
      assert.ok((await bare.active(doctor.id, 'south')) !== undefined);
    });
  });
}
