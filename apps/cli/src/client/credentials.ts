/**
 * @module Where `steward login` keeps what it got: one JSON file per user, mode 0600, in
 * `$XDG_CONFIG_HOME/steward/` (default `~/.config/steward/`), or `STEWARD_CREDENTIALS_FILE`
 * (the file is `CliIo.credentialsFile`, see io.ts).
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface StoredCredentials {
  /** The server it is good for. */
  readonly server: string;
  /** A session token (`sts_…`, from password + TOTP) or an API token. */
  readonly token: string;
  readonly kind: 'session' | 'token';
  /** Who it authenticates, for `steward whoami` and the logout message. */
  readonly name: string;
}

export function readCredentials(file: string): StoredCredentials | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const v = JSON.parse(text) as Partial<StoredCredentials>;
  if (typeof v.server !== 'string' || typeof v.token !== 'string') return undefined;
  return { server: v.server, token: v.token, kind: v.kind === 'session' ? 'session' : 'token', name: v.name ?? '' };
}

export function writeCredentials(c: StoredCredentials, file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
  // An existing file keeps its old mode on write: tighten it every time.
  chmodSync(file, 0o600);
}

export function deleteCredentials(file: string): void {
  rmSync(file, { force: true });
}
