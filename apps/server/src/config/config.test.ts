import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ConfigError } from '@steward/core';
import {
  loadConfig,
  parseEhrConfig,
  parseExtensionsConfig,
  parseGovernanceConfig,
  parseHttpConfig,
  parseSandboxConfig,
  parseStoreConfig,
  parseWorkflowsConfig,
} from './index.js';

/** The paths (variable names) a ConfigError names, sorted. */
function refused(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.code, 'CONFIG_INVALID');
    return (e.details ?? []).map((d) => d.path ?? '').sort();
  }
  assert.fail('expected a ConfigError');
}

describe('the configuration, one section per area', () => {
  it('keeps every default of the flat configuration it replaced', () => {
    const c = loadConfig({});
    const dataDir = resolve('.steward');
    assert.deepEqual(c, {
      http: {
        host: '127.0.0.1',
        port: 8470,
        tls: undefined,
        bodyLimitBytes: 1024 * 1024,
        rateLimitPerMinute: 600,
        loginRateLimitPerMinute: 10,
        trustProxy: false,
      },
      store: {
        dataDir,
        databaseUrl: undefined,
        migrationDatabaseUrl: undefined,
        reportingDatabaseUrl: undefined,
        masterKeyFromEnv: false,
        masterKeyFile: resolve(dataDir, 'master-keys.json'),
      },
      governance: {
        auditWitnessFile: resolve(dataDir, 'audit-witness.log'),
        auditSyslog: undefined,
        sessionIdleMinutes: 15,
        sessionMaxHours: 12,
        retentionPurgeHours: 24,
        logLevel: 'info',
      },
      ehr: {
        enabled: true,
        mllpHost: '127.0.0.1',
        mllpTls: undefined,
        publicUrl: undefined,
        mllpDecodeThreads: 1,
        standbyMs: 2000,
      },
      workflows: { enabled: true, events: true, intakeReading: true, intakeFolders: [], handoffTaskMirror: [] },
      sandbox: {
        mode: 'auto',
        port: 8471,
        mllpPort: 8472,
        speed: 250,
        seed: 'steward-demo',
        horizonDays: 10,
        seedDir: undefined,
        dataDir: resolve(dataDir, 'sandbox-ehr'),
      },
      extensions: { modules: [] },
    });
  });

  it('reads every variable into its section', () => {
    const c = loadConfig({
      STEWARD_DATA_DIR: '/var/lib/steward',
      DATABASE_URL: 'postgres://steward@db/steward',
      STEWARD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      STEWARD_MASTER_KEY_FILE: '/keys/master.json',
      STEWARD_HOST: '0.0.0.0',
      STEWARD_PORT: '9000',
      STEWARD_TLS_CERT: 'cert.pem',
      STEWARD_TLS_KEY: 'key.pem',
      STEWARD_BODY_LIMIT_BYTES: '2048',
      STEWARD_RATE_LIMIT_PER_MINUTE: '60',
      STEWARD_LOGIN_RATE_LIMIT_PER_MINUTE: '5',
      STEWARD_SESSION_IDLE_MINUTES: '30',
      STEWARD_SESSION_MAX_HOURS: '8',
      STEWARD_RETENTION_PURGE_HOURS: '0',
      STEWARD_LOG_LEVEL: 'warn',
      STEWARD_EHR: 'off',
      STEWARD_MLLP_HOST: '::',
      STEWARD_MLLP_TLS_CERT: 'm.pem',
      STEWARD_MLLP_TLS_KEY: 'm.key',
      STEWARD_MLLP_TLS_CA: 'ca.pem',
      STEWARD_PUBLIC_URL: 'https://steward.example',
      STEWARD_MLLP_DECODE_THREADS: '0',
      STEWARD_EHR_STANDBY_MS: '500',
      STEWARD_WORKFLOWS: 'off',
      STEWARD_SANDBOX: 'on',
      STEWARD_SANDBOX_PORT: '0',
      STEWARD_SANDBOX_MLLP_PORT: '0',
      STEWARD_SANDBOX_SPEED: '0',
      STEWARD_SANDBOX_SEED: 'other',
      STEWARD_SANDBOX_HORIZON_DAYS: '3',
      STEWARD_SANDBOX_SEED_DIR: '/seeds/synthea-r4',
    });
    assert.equal(c.store.masterKeyFromEnv, true);
    assert.equal(c.store.masterKeyFile, '/keys/master.json');
    assert.deepEqual(
      [
        c.http.host,
        c.http.port,
        c.http.tls,
        c.http.bodyLimitBytes,
        c.http.rateLimitPerMinute,
        c.http.loginRateLimitPerMinute,
      ],
      ['0.0.0.0', 9000, { certFile: 'cert.pem', keyFile: 'key.pem' }, 2048, 60, 5],
    );
    assert.deepEqual(
      [
        c.governance.sessionIdleMinutes,
        c.governance.sessionMaxHours,
        c.governance.retentionPurgeHours,
        c.governance.logLevel,
      ],
      [30, 8, 0, 'warn'],
    );
    assert.deepEqual(c.ehr, {
      enabled: false,
      mllpHost: '::',
      mllpTls: { certFile: 'm.pem', keyFile: 'm.key', caFile: 'ca.pem' },
      publicUrl: 'https://steward.example',
      mllpDecodeThreads: 0,
      standbyMs: 500,
    });
    assert.equal(c.workflows.enabled, false);
    assert.deepEqual(
      parseWorkflowsConfig({ STEWARD_INTAKE_FOLDERS: 'north=/var/spool/fax, south=/srv/scans' }).intakeFolders,
      [
        { site: 'north', dir: '/var/spool/fax' },
        { site: 'south', dir: '/srv/scans' },
      ],
    );
    assert.throws(
      () => parseWorkflowsConfig({ STEWARD_INTAKE_FOLDERS: 'north=relative/dir' }),
      /STEWARD_INTAKE_FOLDERS/,
    );
    assert.deepEqual(parseWorkflowsConfig({ STEWARD_HANDOFF_TASK_MIRROR: 'north, south' }).handoffTaskMirror, [
      'north',
      'south',
    ]);
    assert.throws(
      () => parseWorkflowsConfig({ STEWARD_HANDOFF_TASK_MIRROR: 'North Site' }),
      /STEWARD_HANDOFF_TASK_MIRROR/,
    );
    assert.deepEqual(c.sandbox, {
      mode: 'on',
      port: 0,
      mllpPort: 0,
      speed: 0,
      seed: 'other',
      horizonDays: 3,
      seedDir: '/seeds/synthea-r4',
      dataDir: '/var/lib/steward/sandbox-ehr',
    });
  });

  it('each section parses on its own and names the variable it refuses', () => {
    assert.deepEqual(
      refused(() => parseHttpConfig({ STEWARD_PORT: '70000', STEWARD_TLS_KEY: 'k.pem' })),
      ['STEWARD_PORT', 'STEWARD_TLS_CERT'],
    );
    assert.deepEqual(
      refused(() => parseStoreConfig({ DATABASE_URL: 'mysql://db' })),
      ['DATABASE_URL'],
    );
    assert.deepEqual(
      refused(() => parseGovernanceConfig({ STEWARD_LOG_LEVEL: 'loud' })),
      ['STEWARD_LOG_LEVEL'],
    );
    assert.deepEqual(
      refused(() =>
        parseEhrConfig({
          STEWARD_EHR: 'yes',
          STEWARD_PUBLIC_URL: 'ftp://x',
          STEWARD_MLLP_DECODE_THREADS: '17',
          STEWARD_EHR_STANDBY_MS: '5',
        }),
      ),
      ['STEWARD_EHR', 'STEWARD_EHR_STANDBY_MS', 'STEWARD_MLLP_DECODE_THREADS', 'STEWARD_PUBLIC_URL'],
    );
    assert.deepEqual(
      refused(() => parseWorkflowsConfig({ STEWARD_WORKFLOWS: '1', STEWARD_INTAKE_READING: 'maybe' })),
      ['STEWARD_INTAKE_READING', 'STEWARD_WORKFLOWS'],
    );
    assert.deepEqual(
      refused(() =>
        parseSandboxConfig({
          STEWARD_SANDBOX: 'maybe',
          STEWARD_SANDBOX_SPEED: '-1',
          STEWARD_SANDBOX_HORIZON_DAYS: '0',
        }),
      ),
      ['STEWARD_SANDBOX', 'STEWARD_SANDBOX_HORIZON_DAYS', 'STEWARD_SANDBOX_SPEED'],
    );
    // A section ignores the others' variables.
    assert.equal(parseHttpConfig({ DATABASE_URL: 'mysql://db' }).port, 8470);
    assert.equal(parseSandboxConfig({ STEWARD_DATA_DIR: '/d' }).dataDir, '/d/sandbox-ehr');
    assert.throws(() => parseHttpConfig({ STEWARD_PORT: 'x' }), /STEWARD_PORT: must be a whole number from 0 to 65535/);
  });
});

describe('database roles and audit witnesses in the configuration', () => {
  it('defaults: no owner URL, the witness file in the data directory, no syslog', () => {
    const c = loadConfig({ STEWARD_DATA_DIR: '/var/lib/steward' });
    assert.equal(c.store.migrationDatabaseUrl, undefined);
    assert.equal(c.governance.auditWitnessFile, resolve('/var/lib/steward/audit-witness.log'));
    assert.equal(c.governance.auditSyslog, undefined);
  });

  it('takes the owner URL beside DATABASE_URL, and a loopback syslog', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://steward@db/steward',
      STEWARD_MIGRATION_DATABASE_URL: 'postgres://steward_owner@db/steward',
      STEWARD_AUDIT_WITNESS_FILE: '/srv/witness/audit.log',
      STEWARD_AUDIT_SYSLOG: 'udp://127.0.0.1:514',
    });
    assert.equal(c.store.migrationDatabaseUrl, 'postgres://steward_owner@db/steward');
    assert.equal(c.governance.auditWitnessFile, '/srv/witness/audit.log');
    assert.equal(c.governance.auditSyslog, 'udp://127.0.0.1:514');
  });

  it('refuses an owner URL without DATABASE_URL, a non-postgres one, and a remote syslog, all at once', () => {
    assert.deepEqual(
      refused(() =>
        loadConfig({ STEWARD_MIGRATION_DATABASE_URL: 'mysql://x', STEWARD_AUDIT_SYSLOG: 'udp://10.1.1.1:514' }),
      ),
      ['STEWARD_AUDIT_SYSLOG', 'STEWARD_MIGRATION_DATABASE_URL', 'STEWARD_MIGRATION_DATABASE_URL'],
    );
  });

  it('takes a reporting replica beside DATABASE_URL, and refuses one that is not PostgreSQL or has no primary', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://steward@db/steward',
      STEWARD_REPORTING_DATABASE_URL: 'postgres://steward_reports@db-replica/steward',
    });
    assert.equal(c.store.reportingDatabaseUrl, 'postgres://steward_reports@db-replica/steward');
    assert.equal(loadConfig({}).store.reportingDatabaseUrl, undefined);
    assert.throws(
      () => parseStoreConfig({ STEWARD_REPORTING_DATABASE_URL: 'postgres://db-replica/steward' }),
      /STEWARD_REPORTING_DATABASE_URL: needs DATABASE_URL too/,
    );
    assert.throws(
      () => parseStoreConfig({ DATABASE_URL: 'postgres://db/s', STEWARD_REPORTING_DATABASE_URL: 'db-replica:5432' }),
      /STEWARD_REPORTING_DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
  });

  it('reads the extensions to load as a comma-separated list, and refuses a repeated or spaced one', () => {
    assert.deepEqual(
      parseExtensionsConfig({ STEWARD_EXTENSIONS: ' @clinic/steward-callbacks, ./ext/local.js ,' }).modules,
      ['@clinic/steward-callbacks', './ext/local.js'],
    );
    assert.deepEqual(parseExtensionsConfig({}).modules, []);
    assert.deepEqual(
      refused(() => parseExtensionsConfig({ STEWARD_EXTENSIONS: './a.js,./a.js,my ext' })),
      ['STEWARD_EXTENSIONS', 'STEWARD_EXTENSIONS'],
    );
  });
});
