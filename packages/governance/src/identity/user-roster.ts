/**
 * @module `UserRoster`: what other governance folders may know of a user without touching the
 * users table: who is on the break-glass list, usernames by id and ids by username (policy's break-glass episodes
 * name their user; the clinic's staff records are keyed by user). Identity owns `users`; the roster is its read-only answer to those questions.
 */
import type { Sql } from '@steward/store';

export class UserRoster {
  constructor(private readonly db: Sql) {}

  /** The user's username when the user is enabled and marked eligible for break-glass. */
  async breakGlassEligible(userId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ username: string }>(
      `select username from users where id = $1 and break_glass_eligible and disabled_at is null`,
      [userId],
    );
    return rows[0]?.username;
  }

  /** Usernames by user id, disabled users included; ids of no user are left out. */
  async usernames(userIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (userIds.length === 0) return new Map();
    const { rows } = await this.db.query<{ id: string; username: string }>(
      `select id, username from users where id = any($1::uuid[])`,
      [[...new Set(userIds)]],
    );
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  /** User ids by username, disabled users included; names of no user are left out. */
  async userIds(usernames: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (usernames.length === 0) return new Map();
    const { rows } = await this.db.query<{ id: string; username: string }>(
      `select id, username from users where username = any($1::text[])`,
      [[...new Set(usernames)]],
    );
    return new Map(rows.map((r) => [r.username, r.id]));
  }

  /** Display names of actors by id: users' usernames and service accounts' names (not PHI); unknown ids are left out. */
  async actorNames(ids: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const uuids = [...new Set(ids)].filter((id) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
    );
    if (uuids.length === 0) return new Map();
    const { rows } = await this.db.query<{ id: string; name: string }>(
      `select id::text as id, username as name from users where id = any($1::uuid[])
       union all select id::text as id, name from service_accounts where id = any($1::uuid[])`,
      [uuids],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
