/** @module The sandbox section: the stand-in EHR and its living clinic that `npm start` runs. */
import { join, resolve } from 'node:path';
import { parseSection, type EnvReader } from './env-reader.js';
import type { StoreConfig } from './store.js';

export interface SandboxConfig {
  /**
   * STEWARD_SANDBOX: auto (default) starts the sandbox EHR with a living clinic when no other EHR
   * connection is registered; on starts it anyway; off never does.
   */
  readonly mode: 'auto' | 'on' | 'off';
  /** STEWARD_SANDBOX_PORT (default 8471) and STEWARD_SANDBOX_MLLP_PORT (default 8472): loopback only. */
  readonly port: number;
  readonly mllpPort: number;
  /**
   * STEWARD_SANDBOX_SPEED: real milliseconds per simulated clinic hour while the clinic plays its
   * past (default 250; ADR 0015); once it reaches the real clock it follows it. 0 = the clinic stands still.
   */
  readonly speed: number;
  /** STEWARD_SANDBOX_SEED: the clinic simulator's seed (default steward-demo): the same seed plays the same clinic. */
  readonly seed: string;
  /**
   * STEWARD_SANDBOX_HORIZON_DAYS: how many days ahead the clinic opens its schedules' slots when it is first
   * derived (default 10); tests that do not book far ahead set fewer, since each slot is a resource written.
   */
  readonly horizonDays: number;
  /**
   * STEWARD_SANDBOX_SEED_DIR: the Synthea `synthea-r4` folder the sandbox EHR is seeded from (default:
   * the shared fixtures when present, else the built-in ten patients; `syntheaSeedSource`).
   */
  readonly seedDir: string | undefined;
  /** Where the embedded sandbox keeps its data: <STEWARD_DATA_DIR>/sandbox-ehr. */
  readonly dataDir: string;
}

/** Where the embedded sandbox keeps its data, under Steward's data directory. */
export function sandboxDataDir(store: Pick<StoreConfig, 'dataDir'>): string {
  return join(store.dataDir, 'sandbox-ehr');
}

/** The sandbox's data lives under the store's data directory, hence the store section. */
export function readSandboxConfig(r: EnvReader, store: Pick<StoreConfig, 'dataDir'>): SandboxConfig {
  return {
    mode: r.oneOf('STEWARD_SANDBOX', ['auto', 'on', 'off'] as const, 'auto', 'must be auto, on or off'),
    port: r.int('STEWARD_SANDBOX_PORT', 8471, 0, 65535),
    mllpPort: r.int('STEWARD_SANDBOX_MLLP_PORT', 8472, 0, 65535),
    speed: r.int('STEWARD_SANDBOX_SPEED', 250, 0, 3_600_000),
    seed: r.text('STEWARD_SANDBOX_SEED') ?? 'steward-demo',
    horizonDays: r.int('STEWARD_SANDBOX_HORIZON_DAYS', 10, 1, 60),
    seedDir: r.text('STEWARD_SANDBOX_SEED_DIR'),
    dataDir: sandboxDataDir(store),
  };
}

export const parseSandboxConfig = (env?: NodeJS.ProcessEnv, store?: Pick<StoreConfig, 'dataDir'>): SandboxConfig =>
  parseSection(
    (r) => readSandboxConfig(r, store ?? { dataDir: resolve(r.text('STEWARD_DATA_DIR') ?? '.steward') }),
    env,
  );
