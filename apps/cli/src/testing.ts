/**
 * @module Test helpers for the `steward` command: run a command in the test's process with its own
 * environment and streams (`runCli`, `startCli` for one that runs until stopped), or the real bin
 * in a process of its own (`runSteward`, for the few tests that prove the bin itself); start the
 * server they talk to on a port of its own; read the TOTP enrolment a command printed.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { createLogger, totpCode } from '@steward/governance';
import { loadConfig, startServer, type RunningServer } from '@steward/server';
import { embeddedStoreDir } from '@steward/store';
import { copyPgliteTemplate } from '@steward/store/testing';
import { main } from './main.js';
import { credentialsFileFor, type CliIo } from './io.js';

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command that runs until stopped (`sandbox`, `start`): what it printed so far, and its stop. */
export interface RunningCommand {
  stdout(): string;
  /** Resolves with the match once the command's output matches `pattern`; rejects if it ends first. */
  printed(pattern: RegExp): Promise<RegExpExecArray>;
  /** Stops it as Ctrl-C would, and answers how it ended. */
  stop(): Promise<Run>;
  /** Settles when it ends by itself (an error before it started, say). */
  readonly ended: Promise<Run>;
}

/**
 * Runs `steward <args>` in this process, as the bin would with `env` as its environment: output
 * is collected, nothing is read from this process's environment, and stdin is not a terminal
 * (a missing secret is refused, not asked). The stored login is where `env` says
 * (STEWARD_CREDENTIALS_FILE, XDG_CONFIG_HOME or HOME).
 */
export function runCli(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<Run> {
  return startCli(env, args, () => Promise.resolve()).ended;
}

/** Starts `steward <args>` in this process; a long-running command stops when `stop()` is called. */
export function startCli(
  env: NodeJS.ProcessEnv,
  args: readonly string[],
  untilStopped?: () => Promise<void>,
): RunningCommand {
  let stdout = '';
  let stderr = '';
  const waiting = new Set<() => void>();
  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const own = { ...env };
  const io: CliIo = {
    env: own,
    stdout: {
      write: (s: string) => {
        stdout += s;
        for (const check of waiting) check();
        return true;
      },
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
    },
    stdin: Readable.from([]),
    credentialsFile: credentialsFileFor(own),
    untilStopped: untilStopped ?? (() => stopped),
  };
  // A command reaches its process only through `io`: one that changed the process's own state
  // would leak into the next command run in this process, so that fails the test instead.
  const before = processState();
  const ended = main(args, io).then((status) => {
    const after = processState();
    if (after !== before) throw new Error(`steward ${args.join(' ')} changed this process's state: ${after}`);
    return { status, stdout, stderr };
  });
  return {
    stdout: () => stdout,
    printed: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const m = pattern.exec(stdout);
          if (m === null) return;
          waiting.delete(check);
          resolve(m);
        };
        waiting.add(check);
        check();
        void ended.then((r) => {
          if (!waiting.delete(check)) return;
          reject(new Error(`ended (exit ${r.status}) before printing ${String(pattern)}: ${r.stderr}`));
        });
      }),
    stop: () => {
      stop();
      return ended;
    },
    ended,
  };
}

/** What a command must leave as it found it: the environment, the exit code, the working directory. */
function processState(): string {
  return JSON.stringify({ env: process.env, exitCode: process.exitCode ?? null, cwd: process.cwd() });
}

const bin = new URL('../bin/steward.js', import.meta.url).pathname;

/** Runs the real bin in a process of its own (Node, argv, exit code, standard streams). */
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

/**
 * Fills the embedded store in `env`'s data directory (STEWARD_DATA_DIR) with a copy of the tests'
 * migrated template, so `steward init` there finds a migrated store with no users and skips
 * creating and migrating one (about 4 s of CPU). Every CLI test but init's own, which proves a
 * fresh directory, starts this way.
 */
export async function migratedDataDir(env: NodeJS.ProcessEnv): Promise<void> {
  await copyPgliteTemplate(embeddedStoreDir(loadConfig(env).store.dataDir));
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
