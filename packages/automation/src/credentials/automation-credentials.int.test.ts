// The automation account's credentials on both stores: set by an administrator only, sealed (the
// raw row holds no password, username or secret; a value moved to another column fails to open),
// never returned (status only), opened for one run with an audit entry naming the run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId, systemClock, type RequestContext, type Role } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import { AutomationCredentials } from './automation-credentials.js';

const operator = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'op',
  authMethod: 'local-operator',
} as const;
const executor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-0000000000e1',
  name: 'steward-automation',
  authMethod: 'local-operator',
} as const;
const password = 'Corr3ct-Horse-Battery-Staple';
const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

for (const target of storeTargets()) {
  describe(`automation credentials on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let audit: AuditLog;
    let creds: AutomationCredentials;
    let as: (role: Role, site?: string) => Promise<RequestContext>;
    const conn = newId();
    const twoSites = newId();

    before(async () => {
      db = await target.open();
      const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher);
      const grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      creds = new AutomationCredentials({
        db,
        cipher,
        policy,
        audit,
        opener: executor,
        siteOf: (id) => Promise.resolve(id === twoSites ? 'south' : undefined),
      });
      const accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
      let n = 0;
      as = async (role, site = '*') => {
        const { id } = await accounts.create(`t-${role}-${++n}`, operator);
        await grants.add(operator, {
          principalKind: 'service',
          principalId: id,
          role,
          site,
          workflow: '*',
          purposeOfUse: role === 'admin' ? 'HSYSADMIN' : 'HOPERAT',
        });
        return { actor: { kind: 'service', id, name: `t-${role}-${n}`, authMethod: 'api-token' } };
      };
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    it('is set by an administrator only, validated, and answered with its status, never a value', async () => {
      const admin = await as('admin');
      const changed: string[] = [];
      const stop = creds.onChange((connectionId, site) => changed.push(`${connectionId}/${site}`));
      for (const role of ['compliance_officer', 'coordinator', 'integration', 'automation'] as const)
        await assert.rejects(
          creds.set(await as(role), { connectionId: conn, site: 'north', username: 'bot', password }),
          { code: 'FORBIDDEN' },
        );
      await assert.rejects(
        creds.set(admin, { connectionId: conn, site: 'north', username: ' ', password: '', totpSecret: 'not base32!' }),
        (e: { code?: string; details?: { path?: string }[] }) => {
          assert.equal(e.code, 'VALIDATION_FAILED');
          assert.deepEqual(
            e.details?.map((d) => d.path),
            ['username', 'password', 'totpSecret'],
          );
          return true;
        },
      );
      const status = await creds.set(admin, {
        connectionId: conn,
        site: 'north',
        username: 'steward-bot',
        password,
        totpSecret: 'jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp',
      });
      assert.deepEqual(Object.keys(status).sort(), ['connectionId', 'hasTotp', 'setAt', 'setBy', 'site', 'version']);
      assert.equal(status.hasTotp, true);
      assert.equal(status.setBy, admin.actor.id);
      assert.equal(
        (await creds.set(admin, { connectionId: conn, site: 'north', username: 'steward-bot', password, totpSecret }))
          .version,
        2,
      );
      const listed = await creds.status(admin, conn);
      assert.equal(listed.length, 1);
      assert.ok(!JSON.stringify(listed).includes(password));
      await assert.rejects(creds.status(await as('coordinator')), { code: 'FORBIDDEN' });
      // Each set is told (refusals are not), by connection id, so the executor signs that session out.
      assert.deepEqual(changed, [`${listed[0]?.connectionId}/north`, `${listed[0]?.connectionId}/north`]);
      stop();
      await creds.set(admin, { connectionId: conn, site: 'north', username: 'steward-bot', password, totpSecret });
      assert.equal(changed.length, 2, 'no longer told once unsubscribed');
    });

    it('is sealed: the row holds none of the values, and a value moved to another column does not open', async () => {
      const { rows } = await db.query<{
        username_enc: Uint8Array;
        password_enc: Uint8Array;
        totp_secret_enc: Uint8Array;
      }>('select username_enc, password_enc, totp_secret_enc from automation_credentials where connection_id = $1', [
        conn,
      ]);
      const raw = Buffer.concat([rows[0]!.username_enc, rows[0]!.password_enc, rows[0]!.totp_secret_enc]);
      for (const secret of [password, totpSecret, 'steward-bot'])
        assert.equal(raw.includes(Buffer.from(secret)), false, 'a value is stored in clear');
      await db.query('update automation_credentials set username_enc = password_enc where connection_id = $1', [conn]);
      await assert.rejects(creds.forRun(newId(), conn), { code: 'INTERNAL' });
      await creds.set(await as('admin'), {
        connectionId: conn,
        site: 'north',
        username: 'steward-bot',
        password,
        totpSecret,
      });
    });

    it('opens for one run, audited naming the run and never the secret; refuses a connection without any', async () => {
      const runId = newId();
      const opened = await creds.forRun(runId, conn);
      assert.deepEqual(opened, { username: 'steward-bot', password, totpSecret });
      const missing = newId();
      await assert.rejects(creds.forRun(newId(), missing), { code: 'NOT_FOUND' });
      const { rows } = await db.query<{ outcome: string; actor_id: string; entry: string }>(
        `select outcome, actor_id, entry from audit_log where event = 'automation.credentials_opened' order by seq`,
      );
      const mine = rows.filter((r) => r.entry.includes(runId));
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.outcome, 'success');
      assert.equal(mine[0]!.actor_id, executor.id);
      assert.match(mine[0]!.entry, new RegExp(`"id":"${runId}"`));
      assert.match(mine[0]!.entry, new RegExp(`credentials_opened:${conn}/north:v`));
      assert.ok(rows.some((r) => r.outcome === 'failure' && r.entry.includes(`credentials_not_set:${missing}`)));
      assert.ok(rows.some((r) => r.outcome === 'failure' && r.entry.includes('credentials_unreadable')));
      // The executor's own account, as wired: the opening is audited as that account.
      const account = { kind: 'service', id: newId(), name: 'steward-screens', authMethod: 'local-operator' } as const;
      const viaSource = newId();
      await creds.sourceFor(account).forRun(viaSource, conn);
      const bySource = await db.query<{ actor_id: string }>(
        `select actor_id from audit_log where event = 'automation.credentials_opened' and entry like $1`,
        [`%${viaSource}%`],
      );
      assert.deepEqual(
        bySource.rows.map((r) => r.actor_id),
        [account.id],
      );
      const all = (await db.query<{ entry: string }>('select entry from audit_log')).rows
        .map((r) => r.entry)
        .join('\n');
      for (const secret of [password, totpSecret])
        assert.equal(all.includes(secret), false, 'a secret reached the audit trail');
    });

    it('opens the named site’s account, or the connection’s own site’s, never a guess between two', async () => {
      const admin = await as('admin');
      await creds.set(admin, { connectionId: twoSites, site: 'south', username: 'bot-south', password: 'p-south' });
      await creds.set(admin, { connectionId: twoSites, site: 'west', username: 'bot-west', password: 'p-west' });
      assert.equal((await creds.forRun(newId(), twoSites)).username, 'bot-south');
      assert.equal((await creds.forRun(newId(), twoSites, 'west')).username, 'bot-west');
      assert.equal((await creds.forRun(newId(), twoSites, 'west')).totpSecret, undefined);
      await creds.remove(admin, twoSites, 'south');
      await assert.rejects(
        creds.forRun(newId(), twoSites),
        { code: 'NOT_FOUND' },
        'one left, but the connection’s site has none',
      );
      const westOnly = await as('admin', 'west');
      assert.deepEqual(
        (await creds.status(westOnly)).map((s) => s.site),
        ['west'],
      );
    });
  });
}
