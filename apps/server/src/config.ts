/**
 * @module Steward's configuration: one typed schema, read from the environment once at start-up
 * and validated all at once, so a misconfigured deployment hears every problem in one go.
 * Every setting is documented here and in README.md, and has a safe default.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { ConfigError, type ErrorDetail } from '@steward/core';

export interface StewardConfig {
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
  /** STEWARD_AUDIT_WITNESS_FILE: the append-only file each audit checkpoint is also written to. Default <dataDir>/audit-witness.log */
  readonly auditWitnessFile: string;
  /** STEWARD_AUDIT_SYSLOG: also send each checkpoint to the local syslog daemon, udp://127.0.0.1:514 (loopback only). Default unset */
  readonly auditSyslog: string | undefined;
  /** STEWARD_MASTER_KEY: base64 of 32 bytes. When unset, the key file in the data directory. */
  readonly masterKeyFromEnv: boolean;
  /** STEWARD_MASTER_KEY_FILE: default <dataDir>/master-keys.json (created 0600 on first run). */
  readonly masterKeyFile: string;
  /** STEWARD_HOST / STEWARD_PORT: where the HTTP API listens. Default 127.0.0.1:8470 */
  readonly host: string;
  readonly port: number;
  /** STEWARD_TLS_CERT / STEWARD_TLS_KEY: PEM files; when both are set the API speaks HTTPS only. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** STEWARD_MLLP_HOST: where HL7 v2 MLLP listeners bind (default 127.0.0.1; 0.0.0.0 only with a connection's allow-list). */
  readonly mllpHost: string;
  /** STEWARD_MLLP_TLS_CERT / _KEY (PEM files), optional _CA (then senders need a client certificate): MLLP over TLS for connections that ask for it. */
  readonly mllpTls: { readonly certFile: string; readonly keyFile: string; readonly caFile?: string } | undefined;
  /** STEWARD_LOG_LEVEL: fatal, error, warn, info, debug, trace or silent. Default info */
  readonly logLevel: string;
  /** STEWARD_SESSION_IDLE_MINUTES (default 15) and STEWARD_SESSION_MAX_HOURS (default 12). */
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  /** STEWARD_BODY_LIMIT_BYTES: largest request body accepted. Default 1 MiB */
  readonly bodyLimitBytes: number;
  /** STEWARD_RATE_LIMIT_PER_MINUTE: requests per client address per minute. Default 600 */
  readonly rateLimitPerMinute: number;
  /** STEWARD_LOGIN_RATE_LIMIT_PER_MINUTE: login attempts per address per minute. Default 10 */
  readonly loginRateLimitPerMinute: number;
  /**
   * STEWARD_TRUST_PROXY: off (default), or the reverse proxies whose X-Forwarded-For is believed,
   * as a comma-separated list of addresses, CIDR ranges, or loopback / linklocal / uniquelocal.
   * Only then are rate limits, sign-in locks and audit sources keyed by the client behind the
   * proxy; never trust a proxy that does not overwrite X-Forwarded-For, or clients choose their own address.
   */
  readonly trustProxy: false | readonly string[];
  /**
   * STEWARD_PUBLIC_URL: Steward's base URL as EHRs reach it, for FHIR subscription endpoints.
   * Default: the address it listens on (loopback when listening on all interfaces).
   */
  readonly publicUrl: string | undefined;
  /** STEWARD_EHR: on (default) runs every registered EHR connection in this process; off runs none. */
  readonly ehr: boolean;
  /** STEWARD_WORKFLOWS: on (default) runs workflows (router, worker, applier) here; off for API-only nodes. */
  readonly workflows: boolean;
  /** STEWARD_RETENTION_PURGE_HOURS: hours between retention purges run by this server (default 24; 0: never, run `steward retention purge`). */
  readonly retentionPurgeHours: number;
  /**
   * STEWARD_SANDBOX: auto (default) starts the sandbox EHR with a living clinic when no other EHR
   * connection is registered; on starts it anyway; off never does.
   */
  readonly sandbox: 'auto' | 'on' | 'off';
  /** STEWARD_SANDBOX_PORT (default 8471) and STEWARD_SANDBOX_MLLP_PORT (default 8472): loopback only. */
  readonly sandboxPort: number;
  readonly sandboxMllpPort: number;
  /** STEWARD_SANDBOX_SPEED: real milliseconds per simulated clinic hour (default 10000); 0 = the clinic stands still. */
  readonly sandboxSpeed: number;
  /** STEWARD_SANDBOX_SEED: the clinic simulator's seed (default steward-demo): the same seed plays the same clinic. */
  readonly sandboxSeed: string;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StewardConfig {
  const problems: ErrorDetail[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push({ path: name, message: `must be a whole number from ${min} to ${max}` });
      return fallback;
    }
    return n;
  };
  const dataDir = resolve(env['STEWARD_DATA_DIR'] || '.steward');
  const databaseUrl = env['DATABASE_URL'] || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push({ path: 'DATABASE_URL', message: 'must be a postgres:// or postgresql:// URL' });
  }
  const migrationDatabaseUrl = env['STEWARD_MIGRATION_DATABASE_URL'] || undefined;
  if (migrationDatabaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(migrationDatabaseUrl)) {
    problems.push({ path: 'STEWARD_MIGRATION_DATABASE_URL', message: 'must be a postgres:// or postgresql:// URL' });
  }
  if (migrationDatabaseUrl !== undefined && databaseUrl === undefined) {
    problems.push({
      path: 'STEWARD_MIGRATION_DATABASE_URL',
      message: 'needs DATABASE_URL too (the embedded store is single-user)',
    });
  }
  const auditSyslog = env['STEWARD_AUDIT_SYSLOG'] || undefined;
  if (auditSyslog !== undefined && !/^udp:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d{1,5})?$/.test(auditSyslog)) {
    problems.push({
      path: 'STEWARD_AUDIT_SYSLOG',
      message: 'must be udp:// to a loopback address, e.g. udp://127.0.0.1:514',
    });
  }
  const masterKey = env['STEWARD_MASTER_KEY'];
  if (masterKey !== undefined && masterKey !== '' && Buffer.from(masterKey, 'base64').length !== 32) {
    problems.push({
      path: 'STEWARD_MASTER_KEY',
      message: 'must be 32 random bytes, base64-encoded (openssl rand -base64 32)',
    });
  }
  const cert = env['STEWARD_TLS_CERT'] || undefined;
  const key = env['STEWARD_TLS_KEY'] || undefined;
  if ((cert === undefined) !== (key === undefined)) {
    problems.push({ path: 'STEWARD_TLS_CERT', message: 'set both STEWARD_TLS_CERT and STEWARD_TLS_KEY, or neither' });
  }
  const mllpCert = env['STEWARD_MLLP_TLS_CERT'] || undefined;
  const mllpKey = env['STEWARD_MLLP_TLS_KEY'] || undefined;
  const mllpCa = env['STEWARD_MLLP_TLS_CA'] || undefined;
  if ((mllpCert === undefined) !== (mllpKey === undefined))
    problems.push({
      path: 'STEWARD_MLLP_TLS_CERT',
      message: 'set both STEWARD_MLLP_TLS_CERT and STEWARD_MLLP_TLS_KEY, or neither',
    });
  const publicUrl = env['STEWARD_PUBLIC_URL'] || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicUrl))
    problems.push({ path: 'STEWARD_PUBLIC_URL', message: 'must be an http(s) URL' });
  const onOff = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'on' || raw === 'off') return raw === 'on';
    problems.push({ path: name, message: 'must be on or off' });
    return fallback;
  };
  const trustProxy = parseTrustProxy(env['STEWARD_TRUST_PROXY'], problems);
  const sandbox = env['STEWARD_SANDBOX'] || 'auto';
  if (sandbox !== 'auto' && sandbox !== 'on' && sandbox !== 'off')
    problems.push({ path: 'STEWARD_SANDBOX', message: 'must be auto, on or off' });
  const logLevel = env['STEWARD_LOG_LEVEL'] || 'info';
  if (!logLevels.includes(logLevel))
    problems.push({ path: 'STEWARD_LOG_LEVEL', message: `must be one of ${logLevels.join(', ')}` });
  const config: StewardConfig = {
    dataDir,
    databaseUrl,
    migrationDatabaseUrl,
    auditSyslog,
    auditWitnessFile: resolve(env['STEWARD_AUDIT_WITNESS_FILE'] || resolve(dataDir, 'audit-witness.log')),
    masterKeyFromEnv: masterKey !== undefined && masterKey !== '',
    masterKeyFile: resolve(env['STEWARD_MASTER_KEY_FILE'] || resolve(dataDir, 'master-keys.json')),
    host: env['STEWARD_HOST'] || '127.0.0.1',
    port: int('STEWARD_PORT', 8470, 0, 65535),
    mllpHost: env['STEWARD_MLLP_HOST'] || '127.0.0.1',
    mllpTls:
      mllpCert !== undefined && mllpKey !== undefined
        ? { certFile: mllpCert, keyFile: mllpKey, ...(mllpCa !== undefined ? { caFile: mllpCa } : {}) }
        : undefined,
    tls: cert !== undefined && key !== undefined ? { certFile: cert, keyFile: key } : undefined,
    logLevel,
    sessionIdleMinutes: int('STEWARD_SESSION_IDLE_MINUTES', 15, 1, 24 * 60),
    sessionMaxHours: int('STEWARD_SESSION_MAX_HOURS', 12, 1, 24 * 7),
    bodyLimitBytes: int('STEWARD_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    rateLimitPerMinute: int('STEWARD_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    loginRateLimitPerMinute: int('STEWARD_LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000),
    trustProxy,
    publicUrl,
    ehr: onOff('STEWARD_EHR', true),
    workflows: onOff('STEWARD_WORKFLOWS', true),
    retentionPurgeHours: int('STEWARD_RETENTION_PURGE_HOURS', 24, 0, 24 * 30),
    sandbox: sandbox === 'on' || sandbox === 'off' ? sandbox : 'auto',
    sandboxPort: int('STEWARD_SANDBOX_PORT', 8471, 0, 65535),
    sandboxMllpPort: int('STEWARD_SANDBOX_MLLP_PORT', 8472, 0, 65535),
    sandboxSpeed: int('STEWARD_SANDBOX_SPEED', 10_000, 0, 3_600_000),
    sandboxSeed: env['STEWARD_SANDBOX_SEED'] || 'steward-demo',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const proxyNames = ['loopback', 'linklocal', 'uniquelocal'];

/** STEWARD_TRUST_PROXY: off, or addresses, CIDR ranges and the names proxy-addr knows. Never "all". */
function parseTrustProxy(raw: string | undefined, problems: ErrorDetail[]): false | readonly string[] {
  if (raw === undefined || raw === '' || raw === 'off') return false;
  const entries = raw.split(',').map((e) => e.trim());
  const valid = (e: string): boolean => {
    if (proxyNames.includes(e)) return true;
    const [address, bits, ...rest] = e.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || rest.length > 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
  };
  const bad = entries.filter((e) => !valid(e));
  if (bad.length > 0 || entries.length === 0) {
    problems.push({
      path: 'STEWARD_TRUST_PROXY',
      message: 'off, or a comma-separated list of proxy addresses, CIDR ranges, loopback, linklocal or uniquelocal',
    });
    return false;
  }
  return entries;
}
