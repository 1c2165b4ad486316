/**
 * @module How a CLI command reaches Steward: it opens the same composition root the server uses
 * (so every read and write is governed and audited), and authenticates first. Commands other than
 * `init` and `start` need an API token: `STEWARD_TOKEN`, or `--token-file`.
 */
import { readFileSync } from 'node:fs';
import { AuthenticationError, type Actor, type RequestContext } from '@steward/core';
import { createLogger, type Logger } from '@steward/governance';
import { loadConfig, openKernel, type Kernel, type StewardConfig } from '@steward/server';

export interface CliSession {
  readonly kernel: Kernel;
  readonly actor: Actor;
  readonly ctx: RequestContext;
  readonly config: StewardConfig;
  readonly logger: Logger;
}

export interface GlobalOptions {
  readonly tokenFile?: string;
}

/** Logs from the CLI go to stderr at warn, so they never mix with a command's output. */
export function cliLogger(): Logger {
  return createLogger({ level: process.env['STEWARD_LOG_LEVEL'] ?? 'warn', destination: process.stderr });
}

export async function withSession<T>(options: GlobalOptions, fn: (s: CliSession) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const token = readToken(options);
  const logger = cliLogger();
  const kernel = await openKernel(config, logger);
  try {
    const actor = await kernel.authenticator.authenticate(token, { address: 'cli' });
    return await fn({ kernel, actor, ctx: { actor, sourceAddress: 'cli' }, config, logger });
  } finally {
    await kernel.close();
  }
}

function readToken(options: GlobalOptions): string {
  if (options.tokenFile !== undefined) return readFileSync(options.tokenFile, 'utf8').trim();
  const env = process.env['STEWARD_TOKEN'];
  if (env !== undefined && env !== '') return env.trim();
  throw new AuthenticationError(
    'AUTH_REQUIRED',
    'this command needs an API token: set STEWARD_TOKEN or pass --token-file (an admin creates one with `steward tokens create`; `steward init --token-out FILE` writes the first)',
  );
}
