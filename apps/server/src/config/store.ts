/** @module The store section: where Steward's data lives and the master key that seals it. */
import { resolve } from 'node:path';
import { parseSection, type EnvReader } from './env-reader.js';

export interface StoreConfig {
  /** STEWARD_DATA_DIR: the embedded store, master key file and local state. Default ./.steward */
  readonly dataDir: string;
  /** DATABASE_URL: a PostgreSQL server. When unset, the embedded store in the data directory. */
  readonly databaseUrl: string | undefined;
  /**
   * STEWARD_MIGRATION_DATABASE_URL: PostgreSQL only, the role that owns the tables and runs the
   * migrations at start; DATABASE_URL is then the application's role (steward_app), which cannot
   * alter or unprotect the audit trail. Unset: DATABASE_URL does both (docs/operations.md).
   */
  readonly migrationDatabaseUrl: string | undefined;
  /**
   * STEWARD_REPORTING_DATABASE_URL: PostgreSQL only, a read-only streaming replica of DATABASE_URL's
   * server where the operations report and the referral and follow-up figures are read (opened
   * read-only; decisions and audit entries stay on the primary; a report is refused while the
   * replica is unreachable). Unset: reports read the primary (docs/operations.md).
   */
  readonly reportingDatabaseUrl: string | undefined;
  /** STEWARD_MASTER_KEY: base64 of 32 bytes. When unset, the key file in the data directory. */
  readonly masterKeyFromEnv: boolean;
  /** STEWARD_MASTER_KEY_FILE: default <dataDir>/master-keys.json (created 0600 on first run). */
  readonly masterKeyFile: string;
}

const postgresUrl = /^postgres(ql)?:\/\//;

export function readStoreConfig(r: EnvReader): StoreConfig {
  const dataDir = resolve(r.text('STEWARD_DATA_DIR') ?? '.steward');
  const databaseUrl = r.text('DATABASE_URL');
  if (databaseUrl !== undefined && !postgresUrl.test(databaseUrl))
    r.refuse('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  const migrationDatabaseUrl = r.text('STEWARD_MIGRATION_DATABASE_URL');
  if (migrationDatabaseUrl !== undefined && !postgresUrl.test(migrationDatabaseUrl))
    r.refuse('STEWARD_MIGRATION_DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  if (migrationDatabaseUrl !== undefined && databaseUrl === undefined)
    r.refuse('STEWARD_MIGRATION_DATABASE_URL', 'needs DATABASE_URL too (the embedded store is single-user)');
  const reportingDatabaseUrl = r.text('STEWARD_REPORTING_DATABASE_URL');
  if (reportingDatabaseUrl !== undefined && !postgresUrl.test(reportingDatabaseUrl))
    r.refuse('STEWARD_REPORTING_DATABASE_URL', 'must be a postgres:// or postgresql:// URL (a read-only replica)');
  else if (reportingDatabaseUrl !== undefined && databaseUrl === undefined)
    r.refuse('STEWARD_REPORTING_DATABASE_URL', 'needs DATABASE_URL too (the embedded store has no replicas)');
  const masterKey = r.text('STEWARD_MASTER_KEY');
  if (masterKey !== undefined && Buffer.from(masterKey, 'base64').length !== 32)
    r.refuse('STEWARD_MASTER_KEY', 'must be 32 random bytes, base64-encoded (openssl rand -base64 32)');
  return {
    dataDir,
    databaseUrl,
    migrationDatabaseUrl,
    reportingDatabaseUrl,
    masterKeyFromEnv: masterKey !== undefined,
    masterKeyFile: resolve(r.text('STEWARD_MASTER_KEY_FILE') ?? resolve(dataDir, 'master-keys.json')),
  };
}

export const parseStoreConfig = (env?: NodeJS.ProcessEnv): StoreConfig => parseSection(readStoreConfig, env);
