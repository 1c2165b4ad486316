import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { UserRoster } from './user-roster.js';

for (const target of storeTargets()) {
  describe(`UserRoster on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let roster: UserRoster;
    const ids = { eligible: newId(), plain: newId(), disabled: newId() };
    before(async () => {
      db = await target.open();
      roster = new UserRoster(db);
      const add = (id: string, username: string, eligible: boolean, disabled: boolean) =>
        db.query(
          `insert into users (id, username, password_hash, break_glass_eligible, disabled_at) values ($1, $2, 'x', $3, $4)`,
          [id, username, eligible, disabled ? new Date() : null],
        );
      await add(ids.eligible, 'er-doctor', true, false);
      await add(ids.plain, 'clerk', false, false);
      await add(ids.disabled, 'gone-doctor', true, true);
    });
    after(async () => {
      await db?.close();
    });

    it('names only enabled users on the break-glass list', async () => {
      assert.equal(await roster.breakGlassEligible(ids.eligible), 'er-doctor');
      assert.equal(await roster.breakGlassEligible(ids.plain), undefined);
      assert.equal(await roster.breakGlassEligible(ids.disabled), undefined);
      assert.equal(await roster.breakGlassEligible(newId()), undefined);
    });

    it('gives usernames by id, disabled users included, unknown ids left out', async () => {
      const names = await roster.usernames([ids.eligible, ids.disabled, ids.eligible, newId()]);
      assert.equal(names.size, 2);
      assert.equal(names.get(ids.eligible), 'er-doctor');
      assert.equal(names.get(ids.disabled), 'gone-doctor');
      assert.equal((await roster.usernames([])).size, 0);
    });
  });
}
