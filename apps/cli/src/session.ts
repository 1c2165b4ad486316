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
import { loadConfig, openOffline, type OfflineToolkit, type StewardConfig } from '@steward/server';
import type { GlobalOptions } from './client/http.js';
import { readCredentials } from './client/credentials.js';

export type { GlobalOptions } from './client/http.js';

export interface CliSession {
  readonly offline: OfflineToolkit;
  readonly actor: Actor;
  readonly ctx: RequestContext;
  readonly config: StewardConfig;
  readonly logger: Logger;
}

/** Logs from the CLI go to stderr at warn, so they never mix with a command's output. */
export function cliLogger(): Logger {
  return createLogger({ level: process.env['STEWARD_LOG_LEVEL'] ?? 'warn', destination: process.stderr });
}

/** Opens the store directly; says so when a running server holds the embedded store. */
export async function openStore(config: StewardConfig, logger: Logger): Promise<OfflineToolkit> {
  try {
    return await openOffline(config, logger);
  } catch (e) {
    if (isStewardError(e) && e.code === 'STORE_UNAVAILABLE' && config.store.databaseUrl === undefined)
      throw new OperationalError(
        'STORE_UNAVAILABLE',
        `${e.message}. This command opens the store directly (it does not go through the server): stop the server first, or run Steward on PostgreSQL`,
      );
    throw e;
  }
}

export async function withSession<T>(options: GlobalOptions, fn: (s: CliSession) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const token = readToken(options);
  const logger = cliLogger();
  const offline = await openStore(config, logger);
  try {
    const actor = await offline.authenticate(token, { address: 'cli' });
    return await fn({ offline, actor, ctx: { actor, sourceAddress: 'cli' }, config, logger });
  } finally {
    await offline.close();
  }
}

function readToken(options: GlobalOptions): string {
  if (options.tokenFile !== undefined) return readFileSync(options.tokenFile, 'utf8').trim();
  const env = process.env['STEWARD_TOKEN'];
  if (env !== undefined && env !== '') return env.trim();
  const stored = readCredentials();
  if (stored !== undefined) return stored.token;
  throw new AuthenticationError(
    'AUTH_REQUIRED',
    'this command needs a token: run `steward login`, set STEWARD_TOKEN or pass --token-file (`steward init --token-out FILE` writes the first)',
  );
}
