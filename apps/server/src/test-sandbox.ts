/** @module Test support: a server on the sandbox EHR with a small seed, and waiting for what arrives asynchronously. */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, InMemoryMasterKeyProvider, PasswordHasher, type MasterKeyProvider } from '@steward/governance';
import type { Resource } from '@medplum/fhirtypes';
import { syntheaSeedSource } from '@steward/sandbox-ehr';
import { fhirFetch } from '@steward/sandbox-ehr/testing';
import type { TestDatabase } from '@steward/store/testing';
import { loadConfig, type StewardConfig } from './config/index.js';
import { startServer, type RunningServer } from './server.js';
import type { KernelOptions } from './kernel.js';
import { LogCapture } from './testing.js';

/** A small seed (patients, practitioners, locations; no encounters) so the first sync is quick. */
export function smallSeed(): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-seed-'));
  const from = join(syntheaSeedSource().dir, 'bulk-ndjson-10-patients');
  mkdirSync(join(dir, 'bulk-ndjson-10-patients'));
  for (const t of ['Patient', 'Practitioner', 'PractitionerRole', 'Location', 'Organization'])
    copyFileSync(join(from, `${t}.000.ndjson`), join(dir, 'bulk-ndjson-10-patients', `${t}.000.ndjson`));
  return dir;
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface SandboxServerHarness {
  readonly config: StewardConfig;
  readonly logs: LogCapture;
  readonly masterKeys: MasterKeyProvider;
  /** `kernel` adds kernel options (an intake reader stand-in, say) to the harness's own. */
  start(overrides?: Partial<StewardConfig>, kernel?: Pick<KernelOptions, 'intake'>): Promise<RunningServer>;
}

/** A server like `npm start`'s: the sandbox EHR in-process (ephemeral ports, clinic held still, two days of slots). */
export function sandboxServer(db: TestDatabase, seedDir: string, env: NodeJS.ProcessEnv = {}): SandboxServerHarness {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', destination: logs });
  const masterKeys = InMemoryMasterKeyProvider.random();
  const config = loadConfig({
    STEWARD_DATA_DIR: join(seedDir, 'data'),
    STEWARD_PORT: '0',
    STEWARD_SANDBOX: 'on',
    STEWARD_SANDBOX_PORT: '0',
    STEWARD_SANDBOX_MLLP_PORT: '0',
    STEWARD_SANDBOX_SPEED: '0',
    // Two days of slots, not ten: the clinic stands still and the tests book nothing far ahead.
    STEWARD_SANDBOX_HORIZON_DAYS: '2',
    STEWARD_SANDBOX_SEED_DIR: seedDir,
    ...env,
  });
  return {
    config,
    logs,
    masterKeys,
    start: (overrides = {}, kernel = {}) =>
      startServer({ ...config, ...overrides }, logger, {
        ...kernel,
        database: db,
        masterKeys,
        passwordHasher: new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }),
      }),
  };
}

/** The EHR's own users changing the record in the sandbox (not Steward): a request that must succeed. */
export function ehrSide(
  server: RunningServer,
  token: string,
): (method: string, path: string, body?: unknown) => Promise<Resource> {
  return async (method, path, body) => {
    const r = await fhirFetch(server.sandbox!.ehr, token, method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status}`);
    return r.json as Resource;
  };
}
