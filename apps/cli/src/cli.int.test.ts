/**
 * The `steward` command end to end, as an operator runs it: init (offline), then a running server
 * that every other command is a client of — login with password + TOTP and with a service
 * token, users, grants, tokens, audit, a refusal with the server's reason and exit code, logout
 * revoking — then `keys rotate` and `audit verify` offline, detecting each kind of tampering done
 * directly in the database (alter, delete, insert, reorder, truncate). On real PostgreSQL and on
 * the embedded store, where the commands work while the server holds the store.
 * Commands run in this process (`runCli`); the real bin runs in a process of its own for its help,
 * a command acting with the login stored where its environment says, and the embedded store's lock.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createServer, type AddressInfo } from 'node:net';
import { PgliteDatabase, PostgresDatabase, type Database } from '@steward/store';
import { chainHash } from '@steward/governance';
import type { RunningServer } from '@steward/server';
import { flowTargets, tamper, type TestDatabase } from '@steward/store/testing';
import {
  deadAddress,
  migratedDataDir,
  nextCode,
  runCli,
  runSteward,
  startCliTestServer,
  totpSecretIn,
  type Run,
} from './testing.js';

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

for (const target of flowTargets()) {
  describe(`steward CLI on ${target.name}`, { skip: target.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, 'config'),
      STEWARD_DATA_DIR: join(dir, 'data'),
      STEWARD_ADMIN_PASSWORD: 'an administrator password',
      STEWARD_USER_PASSWORD: 'a coordinator password',
      STEWARD_LOG_LEVEL: 'error',
    };
    const credentials = join(dir, 'config', 'steward', 'credentials.json');
    let pg: TestDatabase | undefined;
    let adminSecret = '';
    let adminToken = '';

    const steward = (...args: string[]): Promise<Run> => runCli(env, args);
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

    it('lists every command and the common flags in --help (the real bin)', async () => {
      const r = await runSteward(env, ['--help']);
      assert.equal(r.status, 0);
      for (const c of [
        'init',
        'start',
        'login',
        'logout',
        'users',
        'services',
        'tokens',
        'grants',
        'egress',
        'audit',
        'keys',
      ])
        assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
      assert.match(r.stdout, /--site[\s\S]*--cursor[\s\S]*--json/);
      assert.match(r.stdout, /--server <url>/);
      assert.match((await steward('audit', '--help')).stdout, /verify[\s\S]*query[\s\S]*export/);
    });

    it('refuses to act without a login, with an actionable message', async () => {
      const r = await steward('users', 'list');
      assert.equal(r.status, 3);
      assert.match(r.stderr, /AUTH_REQUIRED.*steward login/);
    });

    it('init creates the admin, a 0600 key file in embedded mode, and a token; once only', async () => {
      const tokenFile = join(dir, 'admin.token');
      // A copy of the tests' migrated store, as a DBA's would be: init skips initdb and the migrations
      // (about 4 s of CPU). An init on a fresh directory is proven by init.int.test.ts.
      if (target.name === 'pglite') await migratedDataDir(env);
      const r = await steward('init', '--admin-user', 'alice', '--token-out', tokenFile);
      assert.equal(r.status, 0, r.stderr);
      adminSecret = totpSecretIn(r.stdout);
      assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
      if (target.name === 'pglite') assert.equal(statSync(join(dir, 'data', 'master-keys.json')).mode & 0o777, 0o600);
      adminToken = readFileSync(tokenFile, 'utf8').trim();
      assert.equal((await steward('init', '--admin-user', 'mallory')).status, 6, 'a second init is refused');
    });

    it('says when no server answers (exit 8), naming the address and how to start it', async () => {
      const nowhere = await deadAddress();
      const r = await runCli({ ...env, STEWARD_TOKEN: adminToken, STEWARD_SERVER_URL: nowhere }, ['users', 'list']);
      assert.equal(r.status, 8, r.stderr);
      assert.ok(r.stderr.startsWith(`error [SERVER_UNAVAILABLE]: no Steward server answers at ${nowhere}`), r.stderr);
      assert.match(r.stderr, /npm start/);
    });

    describe('while the server runs', () => {
      let server: RunningServer;
      before(async () => {
        server = await startCliTestServer(env);
        env['STEWARD_SERVER_URL'] = server.url;
      });
      after(async () => {
        await server.stop();
        delete env['STEWARD_SERVER_URL'];
      });

      it('logs in with password and TOTP; the session is stored 0600 and commands act with it', async () => {
        const r = await steward('login', '--user', 'alice', '--code', nextCode(adminSecret));
        assert.equal(r.status, 2, 'no password: said, not asked, off a terminal');
        assert.match(r.stderr, /VALIDATION_FAILED[\s\S]*STEWARD_LOGIN_PASSWORD/);
        const wrong = await runCli({ ...env, STEWARD_LOGIN_PASSWORD: 'not the password' }, [
          'login',
          '--user',
          'alice',
          '--code',
          '000000',
        ]);
        assert.equal(wrong.status, 3);
        assert.match(wrong.stderr, /AUTH_INVALID/);
        const ok = await runCli({ ...env, STEWARD_LOGIN_PASSWORD: 'an administrator password' }, [
          'login',
          '--user',
          'alice',
          '--code',
          nextCode(adminSecret),
        ]);
        assert.equal(ok.status, 0, ok.stderr);
        assert.equal(statSync(credentials).mode & 0o777, 0o600);
        assert.match(readFileSync(credentials, 'utf8'), /"kind": "session"/);
        // The real bin finds the stored login where its environment says (XDG_CONFIG_HOME).
        const me = await runSteward(env, ['whoami', '--json']);
        assert.equal(me.status, 0, me.stderr);
        assert.equal((JSON.parse(me.stdout) as { name: string; authMethod: string }).name, 'alice');
      });

      it(`works while the server holds the store${target.name === 'pglite' ? ' (the embedded PGlite store, one process only)' : ''}`, async () => {
        const added = await steward('users', 'add', 'bob', '--role', 'coordinator', '--site', 'north');
        assert.equal(added.status, 0, added.stderr);
        env['BOB_SECRET'] = totpSecretIn(added.stdout);
        assert.equal((await steward('grants', 'add', '--user', 'alice', '--role', 'compliance_officer')).status, 0);
        const users = await steward('users', 'list');
        assert.equal(users.status, 0, users.stderr);
        assert.match(users.stdout, /alice[\s\S]*bob/);
        const listed = JSON.parse((await steward('users', 'list', '--json')).stdout) as { username: string }[];
        assert.deepEqual(listed.map((u) => u.username).sort(), ['alice', 'bob']);
        const bad = await steward('grants', 'add', '--user', 'bob', '--role', 'wizard');
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /VALIDATION_FAILED[\s\S]*--role/);
        // An outside agent scoped to the action types it may propose (ADR 0017), listed back.
        assert.equal((await steward('services', 'add', 'rebooker')).status, 0);
        const scoped = await steward(
          'grants',
          'add',
          '--service',
          'rebooker',
          '--role',
          'agent',
          '--site',
          'north',
          '--workflow',
          'rebooking',
          '--action-types',
          'task.create,appointment.status',
        );
        assert.equal(scoped.status, 0, scoped.stderr);
        assert.match(scoped.stdout, /proposing task\.create, appointment\.status only/);
        const grants = JSON.parse((await steward('grants', 'list', '--json')).stdout) as {
          role: string;
          actionTypes?: string[];
        }[];
        assert.deepEqual(grants.find((x) => x.role === 'agent')?.actionTypes, ['task.create', 'appointment.status']);
        assert.match((await steward('grants', 'list')).stdout, /actionTypes[\s\S]*task\.create,appointment\.status/);
      });

      it('a command the server refuses shows its code, its reason and the documented exit code', async () => {
        const bobConfig = join(dir, 'bob-config');
        const bobEnv = { ...env, XDG_CONFIG_HOME: bobConfig, STEWARD_LOGIN_PASSWORD: 'a coordinator password' };
        const login = await runCli(bobEnv, ['login', '--user', 'bob', '--code', nextCode(env['BOB_SECRET'] ?? '')]);
        assert.equal(login.status, 0, login.stderr);
        const r = await runCli(bobEnv, ['users', 'list']);
        assert.equal(r.status, 4, 'FORBIDDEN exits 4 (docs/errors.md)');
        assert.match(r.stderr, /error \[FORBIDDEN\]: .*users\.manage[\s\S]*steward grants add/);
        const missing = await runCli(bobEnv, ['users', 'disable', 'nobody']);
        assert.equal(missing.status, 4, 'refused before anything is looked up');
        assert.equal((await runCli(bobEnv, ['logout'])).status, 0);
      });

      // Only the embedded store is locked to one process; PostgreSQL is shared by design. The real
      // bin, in a process of its own: the lock is per process.
      if (target.name === 'pglite')
        it('offline commands say they conflict with the running server on the embedded store', async () => {
          const r = await runSteward({ ...env, STEWARD_TOKEN: adminToken }, ['keys', 'rotate']);
          assert.equal(r.status, 8);
          assert.match(r.stderr, /STORE_UNAVAILABLE.*in use by process[\s\S]*stop the server first/);
        });

      it('logs in with a service token; logout revokes it on the server and deletes the file', async () => {
        assert.equal(
          (await steward('services', 'add', 'nightly', '--role', 'automation', '--site', 'north')).status,
          0,
        );
        const tokenFile = join(dir, 'nightly.token');
        const created = await steward('tokens', 'create', '--service', 'nightly', '--name', 'ci', '--out', tokenFile);
        assert.equal(created.status, 0, created.stderr);
        const token = readFileSync(tokenFile, 'utf8').trim();
        const svcEnv = { ...env, XDG_CONFIG_HOME: join(dir, 'svc-config') };
        const svcFile = join(dir, 'svc-config', 'steward', 'credentials.json');
        const login = await runCli(svcEnv, ['login', '--token', token]);
        assert.equal(login.status, 0, login.stderr);
        assert.match(login.stdout, /as nightly \(service, API token\)/);
        assert.equal(statSync(svcFile).mode & 0o777, 0o600);
        assert.match((await runCli(svcEnv, ['whoami'])).stdout, /^nightly \(service/);
        const out = await runCli(svcEnv, ['logout']);
        assert.equal(out.status, 0, out.stderr);
        assert.match(out.stdout, /API token is revoked/);
        assert.equal(existsSync(svcFile), false);
        const tokens = JSON.parse((await steward('tokens', 'list', '--json')).stdout) as {
          name: string;
          revokedAt: string | null;
        }[];
        assert.notEqual(tokens.find((t) => t.name === 'ci')?.revokedAt ?? null, null, 'revoked on the server');
        const again = await runCli({ ...svcEnv, STEWARD_TOKEN: token }, ['whoami']);
        assert.equal(again.status, 3);
        assert.match(again.stderr, /AUTH_INVALID/);
        // A stored login the server no longer accepts still logs out: only the file is left to delete.
        writeFileSync(svcFile, JSON.stringify({ server: server.url, token, kind: 'token', name: 'nightly' }));
        const stale = await runCli(svcEnv, ['logout']);
        assert.equal(stale.status, 0, stale.stderr);
        assert.match(stale.stdout, /API token no longer worked there \(expired or revoked\)/);
        assert.equal(existsSync(svcFile), false);
      });

      it('services smart set|show|remove: registers public keys only, and the account signs in with them', async () => {
        const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
        const kid = 'cli-key-1';
        const publicFile = join(dir, 'nightly.jwks.json');
        writeFileSync(publicFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES384' }] }));
        const privateFile = join(dir, 'nightly.private.jwk.json');
        writeFileSync(privateFile, JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES384' }));
        const leaked = await steward(
          'services',
          'smart',
          'set',
          'nightly',
          '--jwks',
          privateFile,
          '--scopes',
          'ai.call',
        );
        assert.equal(leaked.status, 2, leaked.stderr);
        assert.match(leaked.stderr, /private key member/);
        const set = await steward(
          'services',
          'smart',
          'set',
          'nightly',
          '--jwks',
          publicFile,
          '--scopes',
          'system/Patient.rs,ai.call',
        );
        assert.equal(set.status, 0, set.stderr);
        const shown = JSON.parse((await steward('services', 'smart', 'show', 'nightly', '--json')).stdout) as {
          clientId: string;
          keys: { kid: string }[];
          tokenEndpoint: string;
        };
        assert.deepEqual(
          shown.keys.map((k) => k.kid),
          [kid],
        );
        const now = Math.floor(Date.now() / 1000);
        const assertion = await new SignJWT({})
          .setProtectedHeader({ alg: 'ES384', kid })
          .setIssuer(shown.clientId)
          .setSubject(shown.clientId)
          .setAudience(shown.tokenEndpoint)
          .setExpirationTime(now + 120)
          .setJti(randomBytes(12).toString('hex'))
          .sign(privateKey);
        const token = await fetch(shown.tokenEndpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: assertion,
            scope: 'ai.call',
          }).toString(),
        });
        assert.equal(token.status, 200, await token.clone().text());
        const access = ((await token.json()) as { access_token: string }).access_token;
        assert.match((await runCli({ ...env, STEWARD_TOKEN: access }, ['whoami'])).stdout, /^nightly \(service/);
        assert.equal((await steward('services', 'smart', 'remove', 'nightly')).status, 0);
        assert.equal((await steward('services', 'smart', 'show', 'nightly')).status, 5);
      });

      it('audit query answers who did what; audit export writes FHIR AuditEvent NDJSON', async () => {
        const operatorId = '00000000-0000-4000-8000-000000000000';
        const r = await steward('audit', 'query', '--actor', operatorId, '--json');
        assert.equal(r.status, 0, r.stderr);
        const { items: entries } = JSON.parse(r.stdout) as { items: { event: string }[] };
        assert.ok(entries.some((e) => e.event === 'admin.user_changed'));
        assert.equal((await steward('audit', 'query')).status, 2, 'a query needs a filter');
        const out = join(dir, 'audit.ndjson');
        const x = await steward('audit', 'export', '--format', 'fhir', '--out', out);
        assert.equal(x.status, 0, x.stderr);
        const lines = readFileSync(out, 'utf8').trim().split('\n');
        assert.ok(lines.length > 3);
        for (const l of lines) assert.equal((JSON.parse(l) as { resourceType: string }).resourceType, 'AuditEvent');
        assert.match(x.stderr, new RegExp(`exported ${lines.length} AuditEvent`));
        // Without --out the NDJSON goes to standard output, the count to standard error.
        const piped = await steward('audit', 'export', '--format', 'fhir', '--actor', operatorId);
        assert.equal(piped.status, 0, piped.stderr);
        const pipedLines = piped.stdout.trim().split('\n');
        assert.ok(pipedLines.length > 0);
        for (const l of pipedLines)
          assert.equal((JSON.parse(l) as { resourceType: string }).resourceType, 'AuditEvent');
        assert.match(piped.stderr, new RegExp(`^exported ${pipedLines.length} AuditEvent resources\n$`));
      });

      it('logout ends the session on the server and deletes the file', async () => {
        const session = (JSON.parse(readFileSync(credentials, 'utf8')) as { token: string }).token;
        const r = await steward('logout');
        assert.equal(r.status, 0, r.stderr);
        assert.equal(existsSync(credentials), false);
        const res = await fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${session}` } });
        assert.equal(res.status, 401, 'the session no longer works');
        assert.match((await steward('logout')).stdout, /not logged in/);
      });
    });

    it('start says which port is taken (exit 8, docs/errors.md) and closes the store again', async () => {
      const busy = createServer();
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      const port = (busy.address() as AddressInfo).port;
      try {
        const r = await runCli(
          {
            ...env,
            ...{ STEWARD_HOST: '127.0.0.1', STEWARD_PORT: String(port), STEWARD_SANDBOX: 'off', STEWARD_EHR: 'off' },
            ...{ STEWARD_WORKFLOWS: 'off', STEWARD_RETENTION_PURGE_HOURS: '0' },
          },
          ['start'],
        );
        assert.equal(r.status, 8, r.stderr);
        assert.match(
          r.stderr,
          new RegExp(`^error \\[EADDRINUSE\\]: cannot listen on 127\\.0\\.0\\.1:${port} .*STEWARD_PORT`),
        );
      } finally {
        await new Promise((resolve) => busy.close(resolve));
      }
    });

    it('keys rotate keeps every value readable (offline, the server stopped)', async () => {
      env['STEWARD_TOKEN'] = adminToken;
      assert.equal((await steward('keys', 'rotate')).status, 0);
      assert.equal((await steward('audit', 'verify')).status, 0);
    });

    describe('audit verify detects tampering', () => {
      // Each case starts from the saved rows: it puts them back and tampers in one opening of the
      // store (on the embedded store each opening costs a second or more of CPU), so the cases stay
      // independent; the last test puts them back for good and expects an intact log.
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
        assert.equal((await steward('audit', 'verify')).status, 0);
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
          await direct(async (db) => {
            await restore(db);
            for (const s of c.sql) await (s === 'forge-insert-at-4' ? forgeInsert(db, 4) : tamper(db, s));
          });
          const r = await steward('audit', 'verify');
          assert.equal(r.status, 1, `verify should fail: ${r.stdout}${r.stderr}`);
          const want =
            c.seq === 'last' ? /BROKEN at entry #\d+ \(truncated\)/ : new RegExp(`BROKEN at entry #${c.seq}\\b`);
          assert.match(r.stderr, want);
        });
      }
      it('finds the log intact again once its rows are put back', async () => {
        await direct(restore);
        assert.equal((await steward('audit', 'verify')).status, 0);
      });
    });
  });
}
