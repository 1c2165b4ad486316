/**
 * @module The CLI's way to Steward: HTTP to the running server, with the token `steward login`
 * stored (or `STEWARD_TOKEN` / `--token-file`). The server decides every permission; an error
 * answer becomes a StewardError with the server's code, so the exit code is the one
 * docs/errors.md gives for that code, and the message says what to do.
 */
import { readFileSync } from 'node:fs';
import {
  AuthenticationError,
  errorCodes,
  OperationalError,
  StewardError,
  type ErrorCause,
  type ErrorCode,
  type ErrorDetail,
} from '@steward/core';
import { readCredentials } from './credentials.js';
import type { CliIo } from '../io.js';

/** Where `npm start` listens unless STEWARD_HOST / STEWARD_PORT say otherwise. */
export function defaultServerUrl(env: NodeJS.ProcessEnv): string {
  const host = env['STEWARD_HOST'] !== undefined && env['STEWARD_HOST'] !== '' ? env['STEWARD_HOST'] : '127.0.0.1';
  const port = env['STEWARD_PORT'] !== undefined && env['STEWARD_PORT'] !== '' ? env['STEWARD_PORT'] : '8470';
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
}

export interface GlobalOptions {
  /** The process the command runs in: environment, streams, the stored login's file. */
  readonly io: CliIo;
  /** `--server`: the server's base URL. */
  readonly server?: string;
  /** `--token-file`: a file holding the token to act with, instead of the stored login. */
  readonly tokenFile?: string;
}

/** An error the server answered with: its code, message and details, and its request id. */
export class ServerError extends StewardError {
  readonly category: ErrorCause;
  readonly requestId: string | undefined;
  constructor(code: ErrorCode, message: string, details: readonly ErrorDetail[], requestId: string | undefined) {
    super(code, message, details);
    this.requestId = requestId;
    const exit = errorCodes[code].exit;
    this.category =
      code === 'INTERNAL' || code === 'AUDIT_CHAIN_BROKEN'
        ? 'unexpected'
        : exit === 7 || exit === 8
          ? 'operational'
          : 'user';
  }
}

/** What to do next, for the codes a CLI user meets most; the server's message says what happened. */
const hints: Partial<Record<ErrorCode, string>> = {
  AUTH_REQUIRED: 'log in with `steward login`',
  AUTH_INVALID: 'check the credentials, or log in again with `steward login`',
  AUTH_SESSION_EXPIRED: 'log in again with `steward login`',
  AUTH_MFA_REQUIRED: 'pass your TOTP code (`steward login --code`)',
  FORBIDDEN:
    'a grant for one site covers only that site: name it with --site; or ask an administrator for a grant that allows it (`steward grants add`)',
  NOT_FOUND: 'check the id or name, and that your grants cover its site',
  RATE_LIMITED: 'wait a minute and retry',
  INTERNAL: 'a bug in the server: report it with the request id',
};

export interface Client {
  readonly server: string;
  /** A JSON request; resolves to the parsed body (undefined for 204). */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** A request whose body is streamed on (an export). */
  stream(path: string): Promise<Response>;
}

export function serverUrlOf(g: GlobalOptions): string {
  const env = g.io.env['STEWARD_SERVER_URL'];
  const url =
    g.server ??
    (env !== undefined && env !== '' ? env : undefined) ??
    readCredentials(g.io.credentialsFile)?.server ??
    defaultServerUrl(g.io.env);
  return url.replace(/\/+$/, '');
}

function tokenOf(g: GlobalOptions, server: string): string {
  if (g.tokenFile !== undefined) return readFileSync(g.tokenFile, 'utf8').trim();
  const env = g.io.env['STEWARD_TOKEN'];
  if (env !== undefined && env !== '') return env.trim();
  const stored = readCredentials(g.io.credentialsFile);
  if (stored !== undefined && stored.server.replace(/\/+$/, '') === server) return stored.token;
  throw new AuthenticationError(
    'AUTH_REQUIRED',
    stored === undefined
      ? 'not logged in: run `steward login` (password + TOTP, or --token for a service token), or set STEWARD_TOKEN'
      : `logged in to ${stored.server}, not ${server}: run \`steward login --server ${server}\``,
  );
}

export function query(params: Record<string, string | number | boolean | Date | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined) q.set(k, v instanceof Date ? v.toISOString() : String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** A client for the server in `g`, acting with the stored or given token (`token` for login itself). */
export function connect(g: GlobalOptions, token?: string | null): Client {
  const server = serverUrlOf(g);
  const bearer = token === null ? undefined : (token ?? tokenOf(g, server));
  const send = async (method: string, path: string, body?: unknown): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(`${server}${path}`, {
        method,
        headers: {
          ...(bearer !== undefined ? { authorization: `Bearer ${bearer}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new OperationalError(
        'SERVER_UNAVAILABLE',
        `no Steward server answers at ${server}: start it (\`npm start\`), or point the CLI at it with --server or STEWARD_SERVER_URL`,
      );
    }
    if (res.ok) return res;
    throw await errorOf(res);
  };
  return {
    server,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await send(method, path, body);
      if (res.status === 204) return undefined as T;
      return (await res.json()) as T;
    },
    stream: (path) => send('GET', path),
  };
}

async function errorOf(res: Response): Promise<StewardError> {
  let b: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown } = {};
  try {
    b = (await res.json()) as typeof b;
  } catch {
    // Not Steward's error body (a proxy in between?): the status is all there is.
  }
  const known = typeof b.code === 'string' && Object.hasOwn(errorCodes, b.code);
  const code: ErrorCode = known ? (b.code as ErrorCode) : res.status === 404 ? 'ROUTE_NOT_FOUND' : 'INTERNAL';
  const message = typeof b.message === 'string' ? b.message : `the server answered HTTP ${res.status}`;
  const hint = hints[code];
  const requestId = typeof b.requestId === 'string' ? b.requestId : undefined;
  const details = Array.isArray(b.details) ? (b.details as ErrorDetail[]) : [];
  return new ServerError(
    code,
    `${message}${hint !== undefined ? ` (${hint})` : ''}${requestId !== undefined ? ` [request ${requestId}]` : ''}`,
    details,
    requestId,
  );
}
