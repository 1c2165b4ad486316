/**
 * @module Test helpers for the `steward` command: run the real bin without blocking (the server it
 * talks to runs in the test's process), start that server on a port of its own, and read the TOTP
 * enrolment a command printed.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createLogger, totpCode } from '@steward/governance';
import { loadConfig, startServer, type RunningServer } from '@steward/server';

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const bin = new URL('../bin/steward.js', import.meta.url).pathname;

export function runSteward(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/**
 * A server like `npm start`'s on the store `env` names (STEWARD_DATA_DIR, or DATABASE_URL with
 * STEWARD_MASTER_KEY), on a free port, without the sandbox EHR, workflows or purge job unless
 * `overrides` turn them on.
 */
export async function startCliTestServer(
  env: NodeJS.ProcessEnv,
  overrides: NodeJS.ProcessEnv = {},
): Promise<RunningServer> {
  const all = {
    ...env,
    STEWARD_PORT: '0',
    STEWARD_SANDBOX: 'off',
    STEWARD_EHR: 'off',
    STEWARD_WORKFLOWS: 'off',
    STEWARD_RETENTION_PURGE_HOURS: '0',
    ...overrides,
  };
  // The master key from STEWARD_MASTER_KEY is read from `env`, not this process's environment.
  return startServer(loadConfig(all), createLogger({ level: 'silent' }), { env: all });
}

/** The TOTP secret in an `otpauth://` enrolment URI a command printed. */
export function totpSecretIn(output: string): string {
  const uri = /otpauth:\/\/totp\/\S+/.exec(output)?.[0];
  if (uri === undefined) throw new Error('no enrolment URI was printed');
  return new URL(uri).searchParams.get('secret') ?? '';
}

/** A code the server accepts after enrolment spent the current one (a code is good once). */
export const nextCode = (secret: string): string => totpCode(secret, new Date(Date.now() + 30_000));

/** An address where nothing listens: a port the system just gave out and took back. */
export async function deadAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}
