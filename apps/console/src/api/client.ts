/**
 * @module The one way the console talks to Steward: same-origin JSON with the session token as a
 * bearer. The token lives in memory only (never localStorage or a cookie): a reload or a closed
 * tab ends what the page could do with it.
 */

/** An error answered by the API: its stable code, status and message (never PHI, by the server's rule). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export class ApiClient {
  #token: string | undefined;

  /** Called when the server says the session is over (idle, timed out, or ended elsewhere). */
  constructor(private readonly onSessionEnded: () => void = () => undefined) {}

  setToken(token: string | undefined): void {
    this.#token = token;
  }

  get signedIn(): boolean {
    return this.#token !== undefined;
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.request<T>('POST', path, body, headers);
  }

  /** A download (an export): the response body as a Blob. */
  async blob(path: string, query: Query = {}): Promise<Blob> {
    const response = await fetch(withQuery(path, query), { headers: this.headers() });
    if (!response.ok) throw await toError(response);
    return response.blob();
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<T> {
    const headers = { ...this.headers(), ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      cache: 'no-store',
    });
    if (!response.ok) {
      const error = await toError(response);
      if (response.status === 401 && this.#token !== undefined) this.onSessionEnded();
      throw error;
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private headers(): Record<string, string> {
    return this.#token !== undefined ? { authorization: `Bearer ${this.#token}` } : {};
  }
}

function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s === '' ? path : `${path}?${s}`;
}

async function toError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      code?: string;
      message?: string;
      details?: { path: string; message: string }[];
    };
    return new ApiError(
      response.status,
      body.code ?? 'HTTP_' + response.status,
      body.message ?? response.statusText,
      body.details ?? [],
    );
  } catch {
    return new ApiError(response.status, 'HTTP_' + response.status, response.statusText || 'request failed');
  }
}

/** A message a person can act on, for an error of any kind. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const details = error.details.map((d) => `${d.path}: ${d.message}`).join('; ');
    return details === '' ? error.message : `${error.message} (${details})`;
  }
  return error instanceof Error ? error.message : 'something went wrong';
}
