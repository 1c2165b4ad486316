/** @module FhirClient: FHIR R4 reads, searches, paging and writes over the resilient, authorized, budgeted HTTP layer. */
import type {
  Bundle,
  BundleEntry,
  CapabilityStatement,
  ExtractResource,
  Resource,
  ResourceType,
} from '@medplum/fhirtypes';
import { ValidationError, isStewardError, systemClock } from '@steward/core';
import type { Clock } from '@steward/core';
import { supportsInteraction, supportsSearchParam } from './capability-statement.js';
import type { FhirInteraction } from './capability-statement.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import { errorForResponse, invalidResponse } from './fhir-errors.js';
import type { HttpTransport, RandomSource, Sleep } from './http-transport.js';
import { RequestBudget } from './request-budget.js';
import type { RequestBudgetOptions } from './request-budget.js';
import { ResilientHttp } from './resilient-http.js';
import type { HttpResult, ResilienceOptions } from './resilient-http.js';
import type { AccessTokenProvider } from './smart-backend-auth.js';
import type { ScopeInteraction, ScopeNeed } from './smart-scopes.js';

export interface FhirClientOptions {
  /** The FHIR base, e.g. `https://ehr.example.org/fhir/r4`. Any base works: a vendor, the sandbox, a test server. */
  readonly baseUrl: string;
  readonly transport: HttpTransport;
  /** Omit for an open server (a local sandbox); otherwise usually a SmartBackendAuth. */
  readonly auth?: AccessTokenProvider;
  /** The connection's request budget. Default: 10 requests/s, burst 10, 4 at once. */
  readonly budget?: Omit<RequestBudgetOptions, 'clock' | 'sleep'>;
  readonly breaker?: Omit<CircuitBreakerOptions, 'clock'>;
  readonly resilience?: ResilienceOptions;
  /** How long `capabilities()` is cached. Default 1 h. */
  readonly capabilitiesTtlMs?: number;
  /** `searchAll` stops (FHIR_INVALID) after this many pages, a guard against looping `next` links. Default 1000. */
  readonly maxPages?: number;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: RandomSource;
}

/** A resource as the server returned it, with the version to send back in `If-Match`. */
export interface FhirResult<T extends Resource> {
  readonly resource: T;
  /** From the ETag (`W/"3"` → `3`), else `meta.versionId`. */
  readonly versionId: string | undefined;
  /** `meta.lastUpdated`, else the Last-Modified header, as an ISO instant. */
  readonly lastUpdated: string | undefined;
  readonly status: number;
}

export type SearchParams =
  | Readonly<Record<string, string | number | boolean | readonly (string | number)[]>>
  | URLSearchParams
  | readonly (readonly [string, string])[];

export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

interface FhirRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** A path below the base (`Patient/1`), or an absolute URL already checked to be on the base's origin. */
  readonly target: string;
  readonly operation: string;
  readonly needs: readonly ScopeNeed[];
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly idempotent?: boolean;
  /** Sent without a token: the CapabilityStatement is public, so discovery works before auth does. */
  readonly anonymous?: boolean;
}

interface FhirResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown> | undefined;
}

const typePattern = /^[A-Z][A-Za-z]{1,63}$/;
const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;
const fhirJson = 'application/fhir+json';

export class FhirClient {
  readonly baseUrl: string;
  readonly #origin: string;
  readonly #http: ResilientHttp;
  readonly #auth: AccessTokenProvider | undefined;
  readonly #clock: Clock;
  readonly #capabilitiesTtlMs: number;
  readonly #maxPages: number;
  #capabilities: { at: number; value: Promise<CapabilityStatement> } | undefined;

  constructor(options: FhirClientOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new ValidationError('FHIR base must be an http(s) URL', [{ path: 'baseUrl', message: 'http(s) only' }]);
    }
    this.baseUrl = base.toString().replace(/\/+$/, '');
    this.#origin = base.origin;
    this.#auth = options.auth;
    this.#clock = options.clock ?? systemClock;
    this.#capabilitiesTtlMs = options.capabilitiesTtlMs ?? 3_600_000;
    this.#maxPages = options.maxPages ?? 1000;
    const budget = new RequestBudget({
      ...(options.budget ?? { requestsPerSecond: 10, burst: 10, maxConcurrent: 4 }),
      clock: this.#clock,
      ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
    });
    this.#http = new ResilientHttp({
      transport: options.transport,
      breaker: new CircuitBreaker({ ...options.breaker, clock: this.#clock }),
      budget,
      clock: this.#clock,
      ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
      ...(options.random !== undefined ? { random: options.random } : {}),
      ...(options.resilience !== undefined ? { options: options.resilience } : {}),
    });
  }

  /** The server's CapabilityStatement (`GET metadata`), cached for `capabilitiesTtlMs`. */
  capabilities(): Promise<CapabilityStatement> {
    const now = this.#clock.now().getTime();
    if (this.#capabilities === undefined || now - this.#capabilities.at >= this.#capabilitiesTtlMs) {
      const read = (anonymous: boolean): Promise<FhirResponse> =>
        this.#send({ method: 'GET', target: 'metadata', operation: 'read capabilities', needs: [], anonymous });
      // Public per FHIR; a server that wants a token for it gets one on the second try.
      const value = read(true)
        .catch((e: unknown) => {
          if (this.#auth !== undefined && isStewardError(e) && e.code === 'EHR_AUTH_FAILED') return read(false);
          throw e;
        })
        .then((r) => expectResource<CapabilityStatement>(r, 'CapabilityStatement'));
      value.catch(() => {
        if (this.#capabilities?.value === value) this.#capabilities = undefined;
      });
      this.#capabilities = { at: now, value };
    }
    return this.#capabilities.value;
  }

  async supports(type: ResourceType, interaction: FhirInteraction): Promise<boolean> {
    return supportsInteraction(await this.capabilities(), type, interaction);
  }

  async supportsSearchParam(type: ResourceType, name: string): Promise<boolean> {
    return supportsSearchParam(await this.capabilities(), type, name);
  }

  async read<K extends ResourceType>(type: K, id: string): Promise<FhirResult<ExtractResource<K>>> {
    const r = await this.#send({
      method: 'GET',
      target: `${checkType(type)}/${checkId(id, 'id')}`,
      operation: `read ${type}`,
      needs: [need(type, 'read')],
    });
    return result(r, type);
  }

  async vread<K extends ResourceType>(type: K, id: string, versionId: string): Promise<FhirResult<ExtractResource<K>>> {
    const target = `${checkType(type)}/${checkId(id, 'id')}/_history/${checkId(versionId, 'versionId')}`;
    const r = await this.#send({ method: 'GET', target, operation: `vread ${type}`, needs: [need(type, 'read')] });
    return result(r, type);
  }

  /** One page of search results (`GET <type>?params`). */
  async search(type: ResourceType, params: SearchParams = {}): Promise<Bundle> {
    const query = toQuery(params);
    const target = `${checkType(type)}${query.length > 0 ? `?${query}` : ''}`;
    const r = await this.#send({ method: 'GET', target, operation: `search ${type}`, needs: [need(type, 'search')] });
    return expectResource<Bundle>(r, 'Bundle');
  }

  /**
   * The page a search Bundle's `next` link names, if it stays on the base's origin (others are
   * refused: SSRF guard). For callers that page one request at a time (the FHIR facade).
   */
  async searchNext(type: ResourceType, next: string): Promise<Bundle> {
    const r = await this.#send({
      method: 'GET',
      target: this.#sameOrigin(next),
      operation: `search ${checkType(type)}`,
      needs: [need(type, 'search')],
    });
    return expectResource<Bundle>(r, 'Bundle');
  }

  /** Every page, following `next` links that stay on the base's origin (others are refused: SSRF guard). */
  async *searchPages(type: ResourceType, params: SearchParams = {}): AsyncGenerator<Bundle, void, undefined> {
    let page = await this.search(type, params);
    const seen = new Set<string>();
    for (let count = 1; ; count++) {
      yield page;
      const next = page.link?.find((l) => l.relation === 'next')?.url;
      if (next === undefined) return;
      const url = this.#sameOrigin(next);
      if (seen.has(url) || count >= this.#maxPages)
        throw invalidResponse('search paging did not end (repeated next link or page limit)');
      seen.add(url);
      const r = await this.#send({
        method: 'GET',
        target: url,
        operation: `search ${type}`,
        needs: [need(type, 'search')],
      });
      page = expectResource<Bundle>(r, 'Bundle');
    }
  }

  /** The matched resources of every page (`_include`d resources and outcomes are skipped). */
  async *searchAll<K extends ResourceType>(
    type: K,
    params: SearchParams = {},
  ): AsyncGenerator<ExtractResource<K>, void, undefined> {
    for await (const page of this.searchPages(type, params)) {
      for (const entry of page.entry ?? []) {
        const mode = entry.search?.mode;
        if (entry.resource?.resourceType === type && (mode === undefined || mode === 'match')) {
          yield entry.resource as ExtractResource<K>;
        }
      }
    }
  }

  /** The history of one resource (`<type>/<id>/_history`) or of a type (`<type>/_history`); one page. */
  async history(type: ResourceType, id?: string, params: SearchParams = {}): Promise<Bundle> {
    const query = toQuery(params);
    const path = id !== undefined ? `${checkType(type)}/${checkId(id, 'id')}/_history` : `${checkType(type)}/_history`;
    const target = `${path}${query.length > 0 ? `?${query}` : ''}`;
    const needs = [need(type, id !== undefined ? 'read' : 'search')];
    return expectResource<Bundle>(
      await this.#send({ method: 'GET', target, operation: `history ${type}`, needs }),
      'Bundle',
    );
  }

  /**
   * `POST <type>`. With `ifNoneExist` (a search query) the create is conditional, hence safe to resend.
   * If the server ignores `Prefer: return=representation`, the created version is read back from Location.
   */
  async create<T extends Resource>(resource: T, options: { ifNoneExist?: SearchParams } = {}): Promise<FhirResult<T>> {
    const type = checkType(resource.resourceType);
    const conditional = options.ifNoneExist !== undefined ? toQuery(options.ifNoneExist) : undefined;
    const r = await this.#send({
      method: 'POST',
      target: type,
      operation: `create ${type}`,
      needs: [need(type, 'create'), ...(conditional !== undefined ? [need(type, 'search')] : [])],
      body: resource,
      headers: conditional !== undefined ? { 'if-none-exist': conditional } : {},
      idempotent: conditional !== undefined,
    });
    if (r.json === undefined) return (await this.#readLocation(r, type)) as unknown as FhirResult<T>;
    return result(r, type) as unknown as FhirResult<T>;
  }

  /** `PUT <type>/<id>` with `If-Match`: a 412 (someone else wrote first) is EHR_CONFLICT, never an overwrite. */
  async update<T extends Resource>(resource: T, options: { ifMatch: string }): Promise<FhirResult<T>> {
    const type = checkType(resource.resourceType);
    const id = checkId(resource.id ?? '', 'id');
    const r = await this.#send({
      method: 'PUT',
      target: `${type}/${id}`,
      operation: `update ${type}`,
      needs: [need(type, 'update')],
      body: resource,
      headers: { 'if-match': `W/"${checkId(options.ifMatch, 'ifMatch')}"` },
    });
    if (r.json === undefined) return (await this.#readLocation(r, type, id)) as unknown as FhirResult<T>;
    return result(r, type) as unknown as FhirResult<T>;
  }

  /** `PATCH <type>/<id>` with a JSON Patch, guarded by `If-Match` like `update`. */
  async patch<K extends ResourceType>(
    type: K,
    id: string,
    operations: readonly JsonPatchOperation[],
    options: { ifMatch: string },
  ): Promise<FhirResult<ExtractResource<K>>> {
    const r = await this.#send({
      method: 'PATCH',
      target: `${checkType(type)}/${checkId(id, 'id')}`,
      operation: `patch ${type}`,
      needs: [need(type, 'update')],
      body: operations,
      contentType: 'application/json-patch+json',
      headers: { 'if-match': `W/"${checkId(options.ifMatch, 'ifMatch')}"` },
    });
    if (r.json === undefined) return this.#readLocation(r, type, id);
    return result(r, type);
  }

  /** A transaction Bundle (all or nothing). Scopes are checked for every entry before sending. */
  async transaction(bundle: Bundle): Promise<Bundle> {
    return this.#bundle(bundle, 'transaction');
  }

  /** A batch Bundle (entries processed independently; check each response entry's status). */
  async batch(bundle: Bundle): Promise<Bundle> {
    return this.#bundle(bundle, 'batch');
  }

  async #bundle(bundle: Bundle, kind: 'transaction' | 'batch'): Promise<Bundle> {
    if (bundle.resourceType !== 'Bundle' || bundle.type !== kind) {
      throw new ValidationError(`a ${kind} Bundle is required`, [{ path: 'type', message: `must be ${kind}` }]);
    }
    const needs = (bundle.entry ?? []).map((e, i) => entryNeed(e, i));
    const r = await this.#send({ method: 'POST', target: '', operation: kind, needs, body: bundle });
    const response = expectResource<Bundle>(r, 'Bundle');
    if (response.type !== `${kind}-response`) throw invalidResponse(`EHR answered a ${kind} with another Bundle type`);
    return response;
  }

  /** Resolves an absolute or relative URL from the server and refuses any other origin than the base's. */
  #sameOrigin(link: string): string {
    let url: URL;
    try {
      url = new URL(link, `${this.baseUrl}/`);
    } catch {
      throw invalidResponse('EHR sent an unreadable link');
    }
    if (url.origin !== this.#origin || url.username !== '' || url.password !== '') {
      throw invalidResponse('EHR sent a link to another origin than its base: refused');
    }
    return url.toString();
  }

  /** A write answered without a body: read the version named by Location (or the resource itself). */
  async #readLocation<K extends ResourceType>(
    r: FhirResponse,
    type: K,
    id?: string,
  ): Promise<FhirResult<ExtractResource<K>>> {
    const location = r.headers.get('location') ?? r.headers.get('content-location');
    if (location !== null) {
      const path = new URL(this.#sameOrigin(location)).pathname;
      const m = /\/([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?\/?$/.exec(path);
      if (m?.[1] === type && m[2] !== undefined) {
        return m[3] !== undefined ? this.vread(type, m[2], m[3]) : this.read(type, m[2]);
      }
    }
    if (id !== undefined) return this.read(type, id);
    throw invalidResponse('EHR answered a create with neither a body nor a usable Location');
  }

  async #send(request: FhirRequest): Promise<FhirResponse> {
    for (const n of request.needs) await this.#auth?.requireScope(n);
    let result = await this.#exchange(request);
    if (result.http.status === 401 && this.#auth !== undefined && result.token !== undefined) {
      // The token may have been revoked or expired early: one fresh token, one more try (401 = not processed).
      this.#auth.invalidate(result.token);
      result = await this.#exchange(request);
    }
    const { status, headers, body } = result.http;
    const idempotent = request.idempotent ?? request.method === 'GET';
    if (status < 200 || status >= 300) {
      throw errorForResponse({
        status,
        body: lenientJson(body),
        idempotent,
        operation: request.operation,
        retryAfter: headers.get('retry-after'),
      });
    }
    return { status, headers, json: body.trim().length > 0 ? parseResource(body) : undefined };
  }

  async #exchange(request: FhirRequest): Promise<{ http: HttpResult; token: string | undefined }> {
    let token: string | undefined;
    const auth = this.#auth;
    const url = /^https?:\/\//.test(request.target)
      ? request.target
      : `${this.baseUrl}/${request.target}`.replace(/\/$/, '');
    const http = await this.#http.send({
      url,
      method: request.method,
      headers: {
        accept: fhirJson,
        ...(request.body !== undefined ? { 'content-type': request.contentType ?? fhirJson } : {}),
        ...(request.method !== 'GET' ? { prefer: 'return=representation' } : {}),
        ...request.headers,
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      ...(request.idempotent !== undefined ? { idempotent: request.idempotent } : {}),
      ...(auth !== undefined && request.anonymous !== true
        ? {
            attemptHeaders: async () => {
              token = await auth.accessToken();
              return { authorization: `Bearer ${token}` };
            },
          }
        : {}),
    });
    return { http, token };
  }
}

function need(resourceType: string, interaction: ScopeInteraction): ScopeNeed {
  return { resourceType, interaction };
}

function entryNeed(entry: BundleEntry, index: number): ScopeNeed {
  const method = entry.request?.method;
  const type = /^([A-Z][A-Za-z]{1,63})(?:[/?]|$)/.exec(entry.request?.url ?? '')?.[1];
  if (method === undefined || type === undefined) {
    throw new ValidationError(
      'each Bundle entry needs request.method and a request.url starting with a resource type',
      [{ path: `entry[${index}].request`, message: 'method and url required' }],
    );
  }
  const byMethod: Record<typeof method, ScopeInteraction> = {
    GET: /^[A-Z][A-Za-z]+\/[^/?]+/.test(entry.request?.url ?? '') ? 'read' : 'search',
    HEAD: 'read',
    POST: 'create',
    PUT: 'update',
    PATCH: 'update',
    DELETE: 'delete',
  };
  return need(type, byMethod[method]);
}

function checkType<K extends string>(type: K): K {
  if (!typePattern.test(type))
    throw new ValidationError('invalid resource type', [{ path: 'resourceType', message: 'not a FHIR resource type' }]);
  return type;
}

function checkId(id: string, field: string): string {
  if (!idPattern.test(id))
    throw new ValidationError(`invalid ${field}`, [{ path: field, message: 'FHIR id: [A-Za-z0-9-.]{1,64}' }]);
  return id;
}

function toQuery(params: SearchParams): string {
  const q = new URLSearchParams();
  if (params instanceof URLSearchParams) return params.toString();
  if (Array.isArray(params)) {
    for (const [k, v] of params as readonly (readonly [string, string])[]) q.append(k, v);
    return q.toString();
  }
  for (const [k, v] of Object.entries(
    params as Readonly<Record<string, string | number | boolean | readonly (string | number)[]>>,
  )) {
    if (Array.isArray(v)) for (const x of v as readonly (string | number)[]) q.append(k, String(x));
    else q.append(k, String(v));
  }
  return q.toString();
}

/** JSON that must be one FHIR resource: an object with a string `resourceType`. */
function parseResource(body: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw invalidResponse('EHR response is not valid JSON');
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    Array.isArray(json) ||
    typeof (json as { resourceType?: unknown }).resourceType !== 'string'
  ) {
    throw invalidResponse('EHR response is not a FHIR resource');
  }
  return json as Record<string, unknown>;
}

function lenientJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function expectResource<T extends Resource>(r: FhirResponse, type: string): T {
  if (r.json === undefined) throw invalidResponse(`EHR response has no body; expected ${type}`);
  if (r.json['resourceType'] !== type) throw invalidResponse(`EHR response is not a ${type}`);
  return r.json as unknown as T;
}

function result<K extends ResourceType>(r: FhirResponse, type: K): FhirResult<ExtractResource<K>> {
  const resource = expectResource<ExtractResource<K>>(r, type);
  const etag = /^(?:W\/)?"([^"]{1,64})"$/.exec(r.headers.get('etag')?.trim() ?? '')?.[1];
  const lastModified = r.headers.get('last-modified');
  const modifiedAt = lastModified !== null ? new Date(lastModified) : undefined;
  return {
    resource,
    versionId: etag ?? resource.meta?.versionId,
    lastUpdated:
      resource.meta?.lastUpdated ??
      (modifiedAt !== undefined && !Number.isNaN(modifiedAt.getTime()) ? modifiedAt.toISOString() : undefined),
    status: r.status,
  };
}
