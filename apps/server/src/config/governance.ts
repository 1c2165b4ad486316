/** @module The governance section: audit witnesses, sessions, retention purges and logging. */
import { resolve } from 'node:path';
import { parseSection, type EnvReader } from './env-reader.js';
import type { StoreConfig } from './store.js';

export interface GovernanceConfig {
  /** STEWARD_AUDIT_WITNESS_FILE: the append-only file each audit checkpoint is also written to. Default <dataDir>/audit-witness.log */
  readonly auditWitnessFile: string;
  /** STEWARD_AUDIT_SYSLOG: also send each checkpoint to the local syslog daemon, udp://127.0.0.1:514 (loopback only). Default unset */
  readonly auditSyslog: string | undefined;
  /** STEWARD_SESSION_IDLE_MINUTES (default 15) and STEWARD_SESSION_MAX_HOURS (default 12). */
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  /** STEWARD_RETENTION_PURGE_HOURS: hours between retention purges run by this server (default 24; 0: never, run `steward retention purge`). */
  readonly retentionPurgeHours: number;
  /** STEWARD_LOG_LEVEL: fatal, error, warn, info, debug, trace or silent. Default info */
  readonly logLevel: string;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The witness file defaults to the data directory, hence the store section. */
export function readGovernanceConfig(r: EnvReader, store: Pick<StoreConfig, 'dataDir'>): GovernanceConfig {
  const auditSyslog = r.text('STEWARD_AUDIT_SYSLOG');
  if (auditSyslog !== undefined && !/^udp:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d{1,5})?$/.test(auditSyslog))
    r.refuse('STEWARD_AUDIT_SYSLOG', 'must be udp:// to a loopback address, e.g. udp://127.0.0.1:514');
  return {
    auditWitnessFile: resolve(r.text('STEWARD_AUDIT_WITNESS_FILE') ?? resolve(store.dataDir, 'audit-witness.log')),
    auditSyslog,
    sessionIdleMinutes: r.int('STEWARD_SESSION_IDLE_MINUTES', 15, 1, 24 * 60),
    sessionMaxHours: r.int('STEWARD_SESSION_MAX_HOURS', 12, 1, 24 * 7),
    retentionPurgeHours: r.int('STEWARD_RETENTION_PURGE_HOURS', 24, 0, 24 * 30),
    logLevel: r.oneOf('STEWARD_LOG_LEVEL', logLevels, 'info', `must be one of ${logLevels.join(', ')}`),
  };
}

export const parseGovernanceConfig = (
  env?: NodeJS.ProcessEnv,
  store?: Pick<StoreConfig, 'dataDir'>,
): GovernanceConfig =>
  parseSection(
    (r) => readGovernanceConfig(r, store ?? { dataDir: resolve(r.text('STEWARD_DATA_DIR') ?? '.steward') }),
    env,
  );
