/**
 * @module `steward login|logout|whoami`: the CLI's credential. Password + TOTP gives a session
 * (it ends after the server's idle time-out); a service token is checked and kept as it is. Both
 * are stored per user, mode 0600; logout ends them on the server, then deletes the file.
 */
import { readFileSync } from 'node:fs';
import { isStewardError } from '@steward/core';
import { connect, serverUrlOf, type GlobalOptions } from '../client/http.js';
import { deleteCredentials, readCredentials, writeCredentials } from '../client/credentials.js';
import { readSecret, readValue } from '../prompt.js';
import { printJson } from '../output.js';

export interface LoginFlags {
  readonly user?: string;
  readonly passwordFile?: string;
  readonly code?: string;
  readonly token?: string;
}

interface Me {
  kind: string;
  id: string;
  name: string;
  authMethod: string;
  grants: { role: string; site: string; workflow: string }[];
}

export async function login(g: GlobalOptions, o: LoginFlags): Promise<void> {
  const server = serverUrlOf(g);
  const token =
    o.token ??
    (g.tokenFile !== undefined ? readFileSync(g.tokenFile, 'utf8').trim() : undefined) ??
    (o.user === undefined && (g.io.env['STEWARD_TOKEN'] ?? '') !== '' ? g.io.env['STEWARD_TOKEN'] : undefined);
  if (token !== undefined) {
    // A service (or personal API) token: kept as is once the server accepts it.
    const me = await connect({ io: g.io, server }, token).request<Me>('GET', '/me');
    writeCredentials({ server, token, kind: 'token', name: me.name }, g.io.credentialsFile);
    g.io.stdout.write(`logged in to ${server} as ${me.name} (${me.kind}, API token)\n`);
    return;
  }
  const username = await readValue(g.io, 'Username', o.user, 'STEWARD_LOGIN_USER', '--user');
  const password = await readSecret(g.io, 'Password', o.passwordFile, 'STEWARD_LOGIN_PASSWORD');
  const totpCode = await readValue(g.io, 'TOTP code', o.code, 'STEWARD_LOGIN_CODE', '--code');
  const r = await connect({ io: g.io, server }, null).request<{
    sessionToken: string;
    absoluteExpiresAt: string;
    idleTimeoutSeconds: number;
  }>('POST', '/auth/login', { username, password, totpCode });
  writeCredentials({ server, token: r.sessionToken, kind: 'session', name: username }, g.io.credentialsFile);
  g.io.stdout.write(
    `logged in to ${server} as ${username} (session: ends after ${Math.round(r.idleTimeoutSeconds / 60)} idle minutes, by ${r.absoluteExpiresAt} at the latest)\n`,
  );
}

export async function logout(g: GlobalOptions): Promise<void> {
  const file = g.io.credentialsFile;
  const stored = readCredentials(file);
  if (stored === undefined) {
    g.io.stdout.write(`not logged in (no ${file}): nothing to do\n`);
    return;
  }
  const client = connect({ io: g.io, server: stored.server }, stored.token);
  let ended = true;
  try {
    if (stored.kind === 'session') await client.request('POST', '/auth/logout');
    else await client.request('DELETE', '/auth/token');
  } catch (e) {
    // Already expired or revoked (the server answers an AUTH_* code, exit 3): nothing is left to
    // end on the server, only the file.
    if (!isStewardError(e) || e.exitCode !== 3) throw e;
    ended = false;
  }
  deleteCredentials(file);
  const what = stored.kind === 'session' ? 'session' : 'API token';
  g.io.stdout.write(
    ended
      ? `logged out of ${stored.server}: the ${stored.kind === 'session' ? 'session is ended' : 'API token is revoked'} and ${file} deleted\n`
      : `logged out of ${stored.server}: the ${what} no longer worked there (expired or revoked); ${file} deleted\n`,
  );
}

export async function whoami(g: GlobalOptions, o: { json?: boolean }): Promise<void> {
  const me = await connect(g).request<Me>('GET', '/me');
  if (o.json === true) {
    printJson(g.io.stdout, me);
    return;
  }
  g.io.stdout.write(`${me.name} (${me.kind} ${me.id}, ${me.authMethod})\n`);
  for (const gr of me.grants) g.io.stdout.write(`  ${gr.role} at site ${gr.site}, workflow ${gr.workflow}\n`);
}
