import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openWithRoles, POSTGRES_SKIP_REASON, type RoleDatabases } from './testing.js';

const skip = (process.env['STEWARD_TEST_DATABASE_URL'] ?? '') === '' ? POSTGRES_SKIP_REASON : undefined;

/** SQLSTATE 42501: insufficient_privilege (including "must be owner of table"). */
async function refused(p: Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(p, (e: { code?: string; message?: string }) => {
    assert.equal(e.code, '42501', `${what}: ${e.message}`);
    return true;
  });
}

describe('least privilege on PostgreSQL: the owner migrates, the server runs as steward_app', { skip }, () => {
  let dbs: RoleDatabases;
  before(async () => {
    dbs = await openWithRoles();
  });
  after(async () => {
    await dbs?.close();
  });

  it('migrations ran as a non-superuser owner, and steward_app may use every table and sequence', async () => {
    const who = await dbs.owner.query<{ super: boolean }>(
      'select rolsuper as super from pg_roles where rolname = current_user',
    );
    assert.equal(who.rows[0]?.super, false);
    const missing = await dbs.owner.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p')
         and not has_table_privilege('steward_app', c.oid, 'select')
       union all
       select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public'
         and case when c.relkind = 'S' then not has_sequence_privilege('steward_app', c.oid, 'usage') else false end
       order by 1`,
    );
    assert.deepEqual(
      missing.rows.map((r) => r.name),
      [],
      'grant steward_app what these need in the migration that creates them (docs/operations.md)',
    );
    // What the app does on the tables migrations 010, 014, 015 created (023 grants it).
    await dbs.app.query('select count(*) from workflow_instances');
    await dbs.app.query('select * from workflow_inbox for update skip locked');
    await dbs.app.query('select * from message_preferences for update');
    await dbs.app.query(`insert into workflow_router_cursors (connection_id, seq) values (gen_random_uuid(), 0)`);
  });

  it('steward_app cannot change, delete, truncate or unprotect the audit trail', async () => {
    await dbs.app.query(
      `insert into audit_signing_keys (id, public_key, private_key_enc) values ('k-test', 'pem', '\\x00')`,
    );
    await dbs.app.query(
      `insert into audit_log (seq, at, actor_id, action, event, outcome, entry, prev_hash, hash)
       values (1, now(), 'a', 'R', 'phi.read', 'success', '{}', '\\x00', '\\x00')`,
    );
    await dbs.app.query(
      `insert into audit_checkpoints (seq, hash, at, key_id, signature) values (1, '\\x00', now(), 'k-test', '\\x00')`,
    );
    for (const [table, column] of [
      ['audit_log', 'seq'],
      ['audit_checkpoints', 'seq'],
      ['audit_signing_keys', 'id'],
    ] as const) {
      await refused(dbs.app.query(`alter table ${table} disable trigger all`), `disable triggers on ${table}`);
      await refused(dbs.app.query(`delete from ${table}`), `delete from ${table}`);
      await refused(dbs.app.query(`truncate ${table}`), `truncate ${table}`);
      await refused(dbs.app.query(`update ${table} set ${column} = ${column}`), `update ${table}`);
    }
    await refused(
      dbs.app.transaction(async (tx) => {
        await tx.query('set local session_replication_role = replica');
      }),
      'turn triggers off for the session',
    );
    await refused(dbs.app.query('drop table audit_log'), 'drop the audit log');
    const { rows } = await dbs.owner.query<{ n: number }>('select count(*)::int as n from audit_log');
    assert.equal(rows[0]?.n, 1);
  });
});
