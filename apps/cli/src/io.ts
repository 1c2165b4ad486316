/**
 * @module The `steward` command's only door to its process: the environment, the three standard
 * streams, where the stored login lives, and when a long-running command (`start`, `sandbox`)
 * should stop. The bin passes the process's own; tests pass their own and run commands
 * in-process, so no command reads `process.env`, writes `process.stdout` or sets an exit code.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a command writes: a stream, or anything with `write` (a test's collector). */
export interface Output {
  write(text: string): unknown;
  /** A terminal: progress bars are drawn only there. */
  readonly isTTY?: boolean;
}

export interface CliIo {
  /** The settings (STEWARD_*, DATABASE_URL…) and the secrets given by environment (STEWARD_TOKEN…). */
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Read only for a hidden prompt on a terminal; off a terminal a missing value is refused. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The stored login's file (`steward login`). */
  readonly credentialsFile: string;
  /** Resolves when `start` or `sandbox` should stop (SIGINT or SIGTERM for the bin). */
  readonly untilStopped: () => Promise<void>;
}

/**
 * `$STEWARD_CREDENTIALS_FILE`, or one JSON file per user in `$XDG_CONFIG_HOME/steward/`
 * (default `~/.config/steward/`).
 */
export function credentialsFileFor(env: NodeJS.ProcessEnv): string {
  const explicit = env['STEWARD_CREDENTIALS_FILE'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const base =
    env['XDG_CONFIG_HOME'] !== undefined && env['XDG_CONFIG_HOME'] !== ''
      ? env['XDG_CONFIG_HOME']
      : join(env['HOME'] !== undefined && env['HOME'] !== '' ? env['HOME'] : homedir(), '.config');
  return join(base, 'steward', 'credentials.json');
}

/** The process's own streams and environment: what the bin runs with. */
export function processIo(): CliIo {
  return {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    credentialsFile: credentialsFileFor(process.env),
    // Listeners are added only when a long-running command asks: Ctrl-C stays the default elsewhere.
    untilStopped: () =>
      new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
  };
}
