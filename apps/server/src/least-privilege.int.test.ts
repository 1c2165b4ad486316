/**
 * The server on PostgreSQL as docs/operations.md sets it up: migrations by the owning role
 * (STEWARD_MIGRATION_DATABASE_URL), everything else as a member of steward_app.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWithRoles, POSTGRES_SKIP_REASON, type RoleDatabases } from '@steward/store/testing';
import { createLogger, InMemoryMasterKeyProvider, PasswordHasher, verifyAuditLog } from '@steward/governance';
import { composeKernel, openKernel, type KernelConfig } from './kernel.js';
import { LogCapture, principalWith } from './testing.js';

const skip = (process.env['STEWARD_TEST_DATABASE_URL'] ?? '') === '' ? POSTGRES_SKIP_REASON : undefined;

describe('the kernel as steward_app, migrated by the owner', { skip }, () => {
  let dbs: RoleDatabases;
  let dir: string;
  const masterKeys = InMemoryMasterKeyProvider.random();
  const options = {
    masterKeys,
    passwordHasher: new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }),
  };
  const config = (databaseUrl: string, migrationDatabaseUrl?: string): KernelConfig => ({
    store: {
      dataDir: dir,
      databaseUrl,
      ...(migrationDatabaseUrl !== undefined ? { migrationDatabaseUrl } : {}),
      masterKeyFromEnv: false,
      masterKeyFile: '/nonexistent',
    },
    governance: { auditWitnessFile: join(dir, 'audit-witness.log'), sessionIdleMinutes: 15, sessionMaxHours: 12 },
  });
  before(async () => {
    dbs = await openWithRoles({ migrate: false });
    dir = await mkdtemp(join(tmpdir(), 'steward-roles-'));
  });
  after(async () => {
    await dbs?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start as steward_app on a schema it may not migrate, saying what to set', async () => {
    await assert.rejects(openKernel(config(dbs.appUrl), createLogger({ level: 'silent' }), options), {
      code: 'STORE_UNAVAILABLE',
      message: /STEWARD_MIGRATION_DATABASE_URL/,
    });
  });

  it('migrates as the owner, then governs, audits and witnesses as steward_app', async () => {
    const logs = new LogCapture();
    const { kernel, store } = await composeKernel(
      config(dbs.appUrl, dbs.ownerUrl),
      createLogger({ level: 'info', destination: logs }),
      options,
    );
    try {
      const user = await principalWith(kernel, 'least.privilege', { role: 'admin' });
      const actor = await kernel.authenticator.authenticate(user.token, { address: 'test' });
      assert.equal(actor.id, user.id);
      await kernel.audit.flush();
      const r = await verifyAuditLog(store.db, { witnesses: kernel.audit.witnesses });
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.ok(r.ok && r.witnessed !== undefined && r.witnessed.seq > 0, 'a checkpoint was witnessed');
      assert.doesNotMatch(logs.text, /owner of the audit tables/);
    } finally {
      await kernel.close();
    }
    const witnessed = await readFile(join(dir, 'audit-witness.log'), 'utf8');
    assert.ok(witnessed.split('\n').length > 1);
    // Started again without the owner's URL: the schema is current, so steward_app alone will do.
    const again = await openKernel(config(dbs.appUrl), createLogger({ level: 'silent' }), options);
    await again.close();
  });

  it('warns when the server connects as the owner of the audit tables', async () => {
    const logs = new LogCapture();
    const kernel = await openKernel(config(dbs.ownerUrl), createLogger({ level: 'info', destination: logs }), options);
    await kernel.close();
    assert.match(logs.text, /owner of the audit tables/);
  });
});
