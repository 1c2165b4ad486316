/**
 * @module The one way the console talks to Steward: same-origin JSON through a client typed by
 * the generated API schema (`schema.d.ts`, from the server's OpenAPI document): a path, parameter,
 * body or answer field the server does not declare fails the console's typecheck.
 *
 * The session rides in an HttpOnly cookie the page's script never sees (ADR 0014), so a reload and
 * a second tab keep it; every request carries `X-Steward-CSRF: 1`, which the server requires of
 * state-changing requests the cookie authenticates. Only where the server cannot set a Secure
 * cookie (plain HTTP to a non-loopback host) does it answer a bearer token, kept in memory only.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

/** An error answered by the API: its stable code, status and message (never PHI, by the server's rule). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly { path?: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export class ApiClient {
  #token: string | undefined;
  #signedIn = false;
  /** Server time minus page time, from the last /me (break-glass countdowns). */
  #skewMs = 0;
  /** The typed client: `api.http.GET('/review/{id}', { params: { path: { id } } })`; see `answer`. */
  readonly http: Client<paths>;

  /** Called when the server says the session is over (idle, timed out, or ended elsewhere). */
  constructor(private readonly onSessionEnded: () => void = () => undefined) {
    this.http = createClient<paths>({ cache: 'no-store', querySerializer: queryString });
    this.http.use({
      onRequest: ({ request }) => {
        request.headers.set('x-steward-csrf', '1');
        if (this.#token !== undefined) request.headers.set('authorization', `Bearer ${this.#token}`);
        return request;
      },
      onResponse: ({ response }) => {
        if (response.status === 401 && this.#signedIn) this.onSessionEnded();
        return undefined;
      },
    });
  }

  /** Signed in (by the cookie, or with `token` where there is no cookie), or signed out. */
  setSignedIn(signedIn: boolean, token?: string): void {
    this.#signedIn = signedIn;
    this.#token = signedIn ? token : undefined;
  }

  get signedIn(): boolean {
    return this.#signedIn;
  }

  /** Notes the server's clock (`serverTime` of /me): its own, which may differ from the page's. */
  noteServerTime(iso: string): void {
    const t = Date.parse(iso);
    if (Number.isFinite(t)) this.#skewMs = t - Date.now();
  }

  /** The server's clock now, as the last /me told it. */
  serverNow(): number {
    return Date.now() + this.#skewMs;
  }

  /** A download (an export, not JSON): the response body as a Blob. */
  async blob(path: string, query: Query = {}): Promise<Blob> {
    const s = queryString(query);
    const response = await fetch(s === '' ? path : `${path}?${s}`, {
      headers: this.#token !== undefined ? { authorization: `Bearer ${this.#token}` } : {},
      credentials: 'same-origin',
    });
    if (!response.ok) throw toError(response, await response.json().catch(() => undefined));
    return response.blob();
  }
}

/**
 * The answer of a typed call, or its error thrown as an `ApiError`:
 * `const me = await answer(api.http.GET('/me'))`.
 */
export async function answer<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Exclude<T, undefined>> {
  const { data, error, response } = await call;
  if (!response.ok) throw toError(response, error);
  return data as Exclude<T, undefined>;
}

/**
 * Query parameters from a form: blank and absent values left out (a blank filter means no filter),
 * typed as the optional parameters they fill.
 */
export function compact<const T extends Readonly<Record<string, string | undefined>>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined | ''> } {
  // What the filter keeps is exactly what the type says: each key, without undefined or ''.
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as {
    [K in keyof T]?: Exclude<T[K], undefined | ''>;
  };
}

/** Empty and absent values are left out, so a blank filter means no filter. */
function queryString(query: Readonly<Record<string, unknown>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (typeof v === 'string' ? v !== '' : typeof v === 'number' || typeof v === 'boolean') params.set(k, String(v));
  }
  return params.toString();
}

function toError(response: Response, body: unknown): ApiError {
  const b = (body !== null && typeof body === 'object' ? body : {}) as {
    code?: string;
    message?: string;
    details?: { path?: string; message: string }[];
  };
  return new ApiError(
    response.status,
    b.code ?? 'HTTP_' + response.status,
    b.message ?? (response.statusText || 'request failed'),
    b.details ?? [],
  );
}

/** A message a person can act on, for an error of any kind. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const details = error.details.map((d) => `${d.path ?? ''}: ${d.message}`).join('; ');
    return details === '' ? error.message : `${error.message} (${details})`;
  }
  return error instanceof Error ? error.message : 'something went wrong';
}
