/**
 * @module The Steward client: one object per server and identity. `http` is the whole API typed
 * from Steward's OpenAPI document (`schema.ts`, generated: a path, parameter or field the server
 * does not declare fails the caller's typecheck); the named helpers beside it (`fhir`, `events`,
 * `proposals`, `ai`) are the platform's common paths with paging, streaming and waiting built in.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';
import { withSlash, type TokenSource } from './auth.js';
import { errorFromBody, errorOf } from './errors.js';

export interface StewardClientOptions {
  /** Where Steward listens, e.g. `https://steward.example.org/` (`http://127.0.0.1:8080` for `npm start`). */
  readonly baseUrl: string;
  /** `apiToken(…)` or `smartBackendServices(…)`. */
  readonly auth: TokenSource;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
  /**
   * The workflow the account acts in (sent as `X-Steward-Workflow`): a grant scoped to a workflow
   * covers only requests that name it, so an agent granted `no-show-rebooking` names it here.
   */
  readonly workflow?: string;
}

/** The typed HTTP client plus the raw authorised fetch the helpers use for streams and FHIR. */
export interface StewardTransport {
  readonly baseUrl: string;
  readonly http: Client<paths>;
  /** An authorised request to a path under the base URL; a 401 signs in again once. Non-2xx answers throw StewardApiError. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

export function createTransport(options: StewardClientOptions): StewardTransport {
  const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
  const baseUrl = withSlash(options.baseUrl);
  const authorised = async (input: Request): Promise<Response> => {
    const send = async () => {
      const request = input.clone();
      request.headers.set('authorization', `Bearer ${await options.auth.token(fetcher, baseUrl)}`);
      if (options.workflow !== undefined) request.headers.set('x-steward-workflow', options.workflow);
      return fetcher(request);
    };
    let response = await send();
    if (response.status === 401 && options.auth.invalidate !== undefined) {
      options.auth.invalidate();
      response = await send();
    }
    return response;
  };
  const http = createClient<paths>({ baseUrl: baseUrl.replace(/\/$/, ''), fetch: authorised });
  return {
    baseUrl,
    http,
    async request(path, init) {
      const response = await authorised(new Request(new URL(path.replace(/^\//, ''), baseUrl), init));
      if (!response.ok) throw await errorOf(response);
      return response;
    },
  };
}

/** The data of an openapi-fetch answer, or the error it carried as a StewardApiError. */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw errorFromBody(response, error);
  return data as T;
}
