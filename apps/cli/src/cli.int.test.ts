/**
 * The `steward` command end to end, as an operator runs it: init, users, grants, tokens, and
 * `audit verify` detecting each kind of tampering done directly in the database (alter, delete,
 * insert, reorder, truncate) — on real PostgreSQL and on the embedded store.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PgliteDatabase, PostgresDatabase, type Database } from '@steward/store';
import { chainHash } from '@steward/governance';
import { storeTargets, tamper, type TestDatabase } from '@steward/store/testing';

const bin = new URL('../bin/steward.js', import.meta.url).pathname;

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Inserts a well-formed entry at `seq`, chained to the one before it, renumbering the rest. */
async function forgeInsert(db: Database, seq: number): Promise<void> {
  const prev = (
    await db.query<{ hash: Uint8Array; entry: string; at: Date }>(
      'select hash, entry, at from audit_log where seq = $1',
      [seq - 1],
    )
  ).rows[0];
  assert.ok(prev !== undefined);
  const forged = JSON.stringify({ ...(JSON.parse(prev.entry) as object), seq, event: 'auth.logout' });
  await tamper(db, 'update audit_log set seq = seq + 1000000 where seq >= $1', [seq]);
  await tamper(db, 'update audit_log set seq = seq - 999999 where seq >= 1000000');
  await tamper(
    db,
    `insert into audit_log (seq, at, actor_id, action, event, outcome, patient_ids, entry, prev_hash, hash)
     select $1, at, actor_id, action, 'auth.logout', outcome, patient_ids, $2, $3, $4 from audit_log where seq = $5`,
    [seq, forged, Buffer.from(prev.hash), chainHash(prev.hash, forged), seq - 1],
  );
}

for (const target of storeTargets()) {
  describe(`steward CLI on ${target.name}`, { skip: target.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      STEWARD_DATA_DIR: join(dir, 'data'),
      STEWARD_ADMIN_PASSWORD: 'an administrator password',
      STEWARD_USER_PASSWORD: 'a coordinator password',
      STEWARD_LOG_LEVEL: 'error',
    };
    let pg: TestDatabase | undefined;

    const steward = (...args: string[]): Run => {
      const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    /** Opens the store directly, as an attacker with database access would. */
    const direct = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
      const db =
        pg !== undefined
          ? await PostgresDatabase.open({ url: pg.url ?? '' })
          : await PgliteDatabase.open(join(dir, 'data', 'pgdata'));
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    };

    before(async () => {
      if (target.name === 'postgres') {
        pg = await target.open();
        env['DATABASE_URL'] = pg.url;
        env['STEWARD_MASTER_KEY'] = randomBytes(32).toString('base64');
      }
    });
    after(async () => {
      await pg?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists every command in --help', () => {
      const r = steward('--help');
      assert.equal(r.status, 0);
      for (const c of ['init', 'start', 'users', 'services', 'tokens', 'grants', 'egress', 'audit', 'keys'])
        assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
      assert.match(steward('audit', '--help').stdout, /verify[\s\S]*query[\s\S]*export/);
    });

    it('refuses to act without a token, with an actionable message', () => {
      const r = steward('users', 'list');
      assert.equal(r.status, 3);
      assert.match(r.stderr, /AUTH_REQUIRED.*STEWARD_TOKEN/);
    });

    it('init creates the admin, a 0600 key file in embedded mode, and a working token', () => {
      const tokenFile = join(dir, 'admin.token');
      const r = steward('init', '--admin-user', 'alice', '--token-out', tokenFile);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /otpauth:\/\/totp\//);
      assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
      if (target.name === 'pglite') assert.equal(statSync(join(dir, 'data', 'master-keys.json')).mode & 0o777, 0o600);
      env['STEWARD_TOKEN'] = readFileSync(tokenFile, 'utf8').trim();
      assert.equal(steward('init', '--admin-user', 'mallory').status, 6, 'a second init is refused');

      assert.equal(steward('users', 'add', 'bob', '--role', 'coordinator', '--site', 'north').status, 0);
      assert.equal(steward('grants', 'add', '--user', 'alice', '--role', 'compliance_officer').status, 0);
      const users = steward('users', 'list');
      assert.match(users.stdout, /alice[\s\S]*bob/);
      const bad = steward('grants', 'add', '--user', 'bob', '--role', 'wizard');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /VALIDATION_FAILED[\s\S]*--role/);
    });

    it('audit query answers who did what', () => {
      const r = steward('audit', 'query', '--actor', '00000000-0000-4000-8000-000000000000', '--json');
      assert.equal(r.status, 0, r.stderr);
      const entries = JSON.parse(r.stdout) as { event: string }[];
      assert.ok(entries.some((e) => e.event === 'admin.user_changed'));
      assert.equal(steward('audit', 'query').status, 2, 'a query needs a filter');
    });

    it('audit export writes FHIR AuditEvent NDJSON', () => {
      const out = join(dir, 'audit.ndjson');
      const r = steward('audit', 'export', '--format', 'fhir', '--out', out);
      assert.equal(r.status, 0, r.stderr);
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      assert.ok(lines.length > 3);
      for (const l of lines) assert.equal((JSON.parse(l) as { resourceType: string }).resourceType, 'AuditEvent');
    });

    it('keys rotate keeps every value readable', () => {
      assert.equal(steward('keys', 'rotate').status, 0);
      assert.match(steward('users', 'list').stdout, /bob/);
      assert.equal(steward('audit', 'verify').status, 0);
    });

    describe('audit verify detects tampering', () => {
      type Rows = { log: Record<string, unknown>[]; cps: Record<string, unknown>[]; witness: string };
      let saved: Rows;
      const witnessFile = join(dir, 'data', 'audit-witness.log');
      // Restoring the rows of an earlier moment is itself a truncation to the witness file (it
      // holds the checkpoints written since), so the file is put back to that moment too.
      const restore = (db: Database) =>
        db.transaction(async (tx) => {
          writeFileSync(witnessFile, saved.witness);
          await tx.query('set local session_replication_role = replica');
          await tx.query('delete from audit_checkpoints');
          await tx.query('delete from audit_log');
          for (const r of saved.log) {
            await tx.query(
              `insert into audit_log (seq, at, actor_id, action, event, outcome, patient_ids, entry, prev_hash, hash)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
              [
                r['seq'],
                r['at'],
                r['actor_id'],
                r['action'],
                r['event'],
                r['outcome'],
                r['patient_ids'],
                r['entry'],
                r['prev_hash'],
                r['hash'],
              ],
            );
          }
          for (const c of saved.cps) {
            await tx.query(
              `insert into audit_checkpoints (seq, hash, at, key_id, signature) values ($1, $2, $3, $4, $5)`,
              [c['seq'], c['hash'], c['at'], c['key_id'], c['signature']],
            );
          }
        });

      before(async () => {
        assert.equal(steward('audit', 'verify').status, 0);
        saved = await direct(async (db) => ({
          log: (await db.query('select * from audit_log order by seq')).rows,
          cps: (await db.query('select * from audit_checkpoints order by seq')).rows,
          witness: readFileSync(witnessFile, 'utf8'),
        }));
        assert.notEqual(saved.witness, '', 'the CLI witnesses its checkpoints in the data directory');
        assert.ok(saved.log.length >= 8, `only ${saved.log.length} entries`);
      });

      const cases: { name: string; sql: string[]; seq: number | 'last' }[] = [
        {
          name: 'an altered entry',
          sql: [
            `update audit_log set entry = replace(entry, '"outcome":"success"', '"outcome":"failure"') where seq = 4`,
          ],
          seq: 4,
        },
        { name: 'a deleted entry', sql: ['delete from audit_log where seq = 4'], seq: 4 },
        // A forged entry, correctly chained to entry 3, with the entries after it renumbered:
        // what an attacker with write access to the table would do.
        { name: 'an inserted entry', sql: ['forge-insert-at-4'], seq: 4 },
        {
          name: 'reordered entries',
          sql: [
            'update audit_log set seq = -1 where seq = 4',
            'update audit_log set seq = 4 where seq = 5',
            'update audit_log set seq = 5 where seq = -1',
          ],
          seq: 4,
        },
        {
          name: 'a truncated tail',
          sql: ['delete from audit_log where seq > (select max(seq) - 3 from audit_log)'],
          seq: 'last',
        },
        {
          // Issue 13: with its checkpoints too, only the witness file outside the database tells.
          name: 'a truncated tail and its checkpoints',
          sql: [
            'delete from audit_checkpoints where seq > (select max(seq) - 3 from audit_log)',
            'delete from audit_log where seq > (select max(seq) - 3 from audit_log)',
          ],
          seq: 'last',
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          try {
            await direct(async (db) => {
              for (const s of c.sql) await (s === 'forge-insert-at-4' ? forgeInsert(db, 4) : tamper(db, s));
            });
            const r = steward('audit', 'verify');
            assert.equal(r.status, 1, `verify should fail: ${r.stdout}${r.stderr}`);
            const want =
              c.seq === 'last' ? /BROKEN at entry #\d+ \(truncated\)/ : new RegExp(`BROKEN at entry #${c.seq}\\b`);
            assert.match(r.stderr, want);
          } finally {
            await direct(restore);
          }
          assert.equal(steward('audit', 'verify').status, 0, 'intact again once restored');
        });
      }
    });
  });
}
