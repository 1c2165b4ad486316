import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { loadConfig } from './config.js';

describe('database roles and audit witnesses in the configuration', () => {
  it('defaults: no owner URL, the witness file in the data directory, no syslog', () => {
    const c = loadConfig({ STEWARD_DATA_DIR: '/var/lib/steward' });
    assert.equal(c.migrationDatabaseUrl, undefined);
    assert.equal(c.auditWitnessFile, resolve('/var/lib/steward/audit-witness.log'));
    assert.equal(c.auditSyslog, undefined);
  });

  it('takes the owner URL beside DATABASE_URL, and a loopback syslog', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://steward@db/steward',
      STEWARD_MIGRATION_DATABASE_URL: 'postgres://steward_owner@db/steward',
      STEWARD_AUDIT_WITNESS_FILE: '/srv/witness/audit.log',
      STEWARD_AUDIT_SYSLOG: 'udp://127.0.0.1:514',
    });
    assert.equal(c.migrationDatabaseUrl, 'postgres://steward_owner@db/steward');
    assert.equal(c.auditWitnessFile, '/srv/witness/audit.log');
    assert.equal(c.auditSyslog, 'udp://127.0.0.1:514');
  });

  it('refuses an owner URL without DATABASE_URL, a non-postgres one, and a remote syslog, all at once', () => {
    assert.throws(
      () => loadConfig({ STEWARD_MIGRATION_DATABASE_URL: 'mysql://x', STEWARD_AUDIT_SYSLOG: 'udp://10.1.1.1:514' }),
      (e: { details?: { path: string }[] }) => {
        assert.deepEqual(e.details?.map((d) => d.path).sort(), [
          'STEWARD_AUDIT_SYSLOG',
          'STEWARD_MIGRATION_DATABASE_URL',
          'STEWARD_MIGRATION_DATABASE_URL',
        ]);
        return true;
      },
    );
  });
});
