/**
 * @module The commands that open the store themselves instead of asking the server (`keys rotate`,
 * `audit verify`, and those not yet moved to the API): they open the server's offline toolkit
 * (the same composition root, so every act is decided and audited), and authenticate first with the
 * same token the HTTP commands send (`STEWARD_TOKEN`, `--token-file`, or the stored login).
 * On the embedded store they cannot run while the server runs: the store is locked to one process.
 */
import { readFileSync } from 'node:fs';
import { AuthenticationError, isStewardError, OperationalError, type Actor, type RequestContext } from '@steward/core';
import { createLogger, type Logger } from '@steward/governance';
import {
  loadConfig,
  openKernel,
  openOffline,
  type Kernel,
  type OfflineToolkit,
  type StewardConfig,
} from '@steward/server';
import type { GlobalOptions } from './client/http.js';
import { readCredentials } from './client/credentials.js';
import type { CliIo } from './io.js';

export type { GlobalOptions } from './client/http.js';

export interface CliSession {
  readonly offline: OfflineToolkit;
  readonly actor: Actor;
  readonly ctx: RequestContext;
  readonly config: StewardConfig;
  readonly logger: Logger;
}

/** Logs from the CLI go to stderr at warn, so they never mix with a command's output. */
export function cliLogger(io: CliIo): Logger {
  return createLogger({ level: io.env['STEWARD_LOG_LEVEL'] ?? 'warn', destination: io.stderr });
}

/** Says so when a running server holds the embedded store, instead of a bare lock error. */
async function opening<T>(config: StewardConfig, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (e) {
    if (isStewardError(e) && e.code === 'STORE_UNAVAILABLE' && config.store.databaseUrl === undefined)
      throw new OperationalError(
        'STORE_UNAVAILABLE',
        `${e.message}. This command opens the store directly (it does not go through the server): stop the server first, or run Steward on PostgreSQL`,
      );
    throw e;
  }
}

/**
 * Opens the whole kernel, for the commands that bootstrap or recover accounts (`init`,
 * `recover`): they act before anyone can log in, through the kernel's explicit bootstrap part.
 */
export async function openStore(
  io: CliIo,
  config: StewardConfig,
  logger: Logger,
  options: { createMasterKey?: boolean } = {},
): Promise<Kernel> {
  return opening(config, () => openKernel(config, logger, { ...options, env: io.env }));
}

export async function withSession<T>(options: GlobalOptions, fn: (s: CliSession) => Promise<T>): Promise<T> {
  const config = loadConfig(options.io.env);
  const token = readToken(options);
  const logger = cliLogger(options.io);
  const offline = await opening(config, () => openOffline(config, logger, { env: options.io.env }));
  try {
    const actor = await offline.authenticate(token, { address: 'cli' });
    return await fn({ offline, actor, ctx: { actor, sourceAddress: 'cli' }, config, logger });
  } finally {
    await offline.close();
  }
}

function readToken(options: GlobalOptions): string {
  if (options.tokenFile !== undefined) return readFileSync(options.tokenFile, 'utf8').trim();
  const env = options.io.env['STEWARD_TOKEN'];
  if (env !== undefined && env !== '') return env.trim();
  const stored = readCredentials(options.io.credentialsFile);
  if (stored !== undefined) return stored.token;
  throw new AuthenticationError(
    'AUTH_REQUIRED',
    'this command needs a token: run `steward login`, set STEWARD_TOKEN or pass --token-file (`steward init --token-out FILE` writes the first)',
  );
}
