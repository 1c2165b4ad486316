/**
 * @module The FHIR R4 REST layer over Medplum's FhirRouter: bearer-token and scope enforcement per resource type
 * and interaction, paging links on the server's public URL, ETag/Last-Modified/Location, type and system
 * `_history`, 410 for deleted resources, and the unauthenticated metadata and SMART configuration.
 *
 * Known limits: JSON only (no XML, no `_format`); no `Prefer` handling; `_include`/`_revinclude` and chained
 * search are whatever the in-memory repository evaluates; scopes are checked per entry for batch/transaction.
 */
import { getStatus } from '@medplum/core';
import type { FhirRequest, FhirRouter, HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { scopesAllow } from '../smart-auth/index.js';
import type { AccessToken, Permission } from '../smart-auth/index.js';
import { buildCapabilityStatement, buildSmartConfiguration } from './capability-statement.js';
import type { CapabilityOptions } from './capability-statement.js';
import { jsonReply, outcomeReply } from './http-reply.js';
import type { HttpReply, SandboxRequest } from './http-reply.js';
import type { SandboxRepository } from './sandbox-repository.js';

export const defaultPageSize = 50;
export const maxPageSize = 1000;

export interface FhirHandlerOptions extends CapabilityOptions {
  readonly router: FhirRouter;
  readonly repository: SandboxRepository;
  /** Looks up a live access token by its bearer value. */
  readonly introspect: (token: string) => AccessToken | undefined;
  /** Extra checks on resources written by clients (e.g. Subscription channels); returns a reason to reject. */
  readonly validateWrite?: (resource: Resource) => string | undefined;
}

interface Access {
  readonly resourceType: string;
  readonly permission: Permission;
}

const methods = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const historyPath = /^(?:([A-Z][A-Za-z]+)\/)?_history$/;

function permissionFor(interaction: string | undefined): Permission | undefined {
  switch (interaction ?? '') {
    case 'read':
    case 'vread':
    case 'history-instance':
      return 'r';
    case 'search-type':
    case 'history-type':
      return 's';
    case 'create':
      return 'c';
    case 'update':
    case 'patch':
      return 'u';
    case 'delete':
      return 'd';
    default:
      return undefined;
  }
}

function clampCount(raw: string | null): number {
  const n = raw === null ? defaultPageSize : Number.parseInt(raw, 10);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, maxPageSize) : defaultPageSize;
}

function httpDate(instant: string | undefined): string | undefined {
  if (!instant) return undefined;
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? undefined : d.toUTCString();
}

export class FhirHandler {
  readonly #o: FhirHandlerOptions;
  #capability: string | undefined;

  constructor(options: FhirHandlerOptions) {
    this.#o = options;
  }

  async handle(req: SandboxRequest): Promise<HttpReply> {
    const { method, path } = req;
    if (method === 'GET' && path === 'metadata') {
      // Generated once: it lists ~145 types with their search parameters.
      this.#capability ??= JSON.stringify(buildCapabilityStatement(this.#o));
      return {
        status: 200,
        headers: { 'content-type': 'application/fhir+json; charset=utf-8' },
        body: this.#capability,
      };
    }
    if (method === 'GET' && path === '.well-known/smart-configuration') {
      return jsonReply(200, buildSmartConfiguration(this.#o.tokenUrl), {}, 'application/json');
    }
    if (!methods.has(method)) return outcomeReply(405, 'method not supported');

    const token = this.#authenticate(req);
    if ('status' in token) return token;

    let body: unknown;
    let search = req.search;
    let effectiveMethod = method;
    let effectivePath = path;
    const contentType = String(req.headers['content-type'] ?? '');
    if (method === 'POST' && path.endsWith('/_search')) {
      // Search by POST is answered as the equivalent GET, so its paging links work the same way.
      search = new URLSearchParams(req.search);
      for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) search.append(k, v);
      effectiveMethod = 'GET';
      effectivePath = path.slice(0, -'/_search'.length);
    } else if (req.body.length > 0) {
      if (!/json/i.test(contentType)) return outcomeReply(415, 'request body must be application/fhir+json');
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        return outcomeReply(400, 'request body is not valid JSON');
      }
    }

    const history = historyPath.exec(effectivePath);
    if (effectiveMethod === 'GET' && history) {
      const resourceType = history[1] ?? '*';
      if (!scopesAllow(token.scopes, resourceType, resourceType === '*' ? 'r' : 's')) {
        return outcomeReply(403, 'access token scope does not allow history on this resource type');
      }
      return this.#history(resourceType === '*' ? undefined : resourceType, search);
    }

    const access = this.#accessFor(effectiveMethod, effectivePath, search, body);
    if ('status' in access) return access;
    for (const a of access) {
      if (!scopesAllow(token.scopes, a.resourceType, a.permission)) {
        return outcomeReply(403, `access token scope does not allow '${a.permission}' on ${a.resourceType}`);
      }
    }

    const isCreate = effectiveMethod === 'POST' && /^[A-Z][A-Za-z]+$/.test(effectivePath);
    if (body !== null && typeof body === 'object' && (isCreate || effectiveMethod === 'PUT')) {
      const resource = body as Resource;
      if (isCreate) delete resource.id; // the server assigns ids on create
      const reason = this.#o.validateWrite?.(resource);
      if (reason !== undefined) return outcomeReply(422, reason);
    }

    const isSearch = effectiveMethod === 'GET' && !effectivePath.includes('/');
    if (isSearch) {
      search = new URLSearchParams(search);
      search.set('_count', String(clampCount(search.get('_count'))));
      if (!search.has('_offset')) search.set('_offset', '0');
    }
    const query = search.toString();
    const fhirRequest: FhirRequest = {
      method: effectiveMethod as HttpMethod,
      url: query ? `${effectivePath}?${query}` : effectivePath,
      pathname: '',
      body,
      params: {},
      query: {},
      headers: req.headers,
    };
    const [outcome, resource] = await this.#o.router.handleRequest(fhirRequest, this.#o.repository);
    return this.#reply(effectiveMethod, effectivePath, search, outcome, resource, isSearch);
  }

  #authenticate(req: SandboxRequest): AccessToken | HttpReply {
    const header = req.headers.authorization;
    const challenge = { 'www-authenticate': 'Bearer' };
    if (typeof header !== 'string' || !/^bearer /i.test(header)) {
      return outcomeReply(401, 'a bearer access token from the token endpoint is required', challenge);
    }
    const token = this.#o.introspect(header.slice('bearer '.length).trim());
    if (!token) {
      return outcomeReply(401, 'access token is unknown or expired', {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
    }
    return token;
  }

  /** What a request touches, for scope checks; batch/transaction entries are checked one by one. */
  #accessFor(method: string, path: string, search: URLSearchParams, body: unknown): Access[] | HttpReply {
    if (method === 'POST' && path === '') {
      const bundle = body as Bundle | undefined;
      if (bundle?.resourceType !== 'Bundle')
        return outcomeReply(400, 'POST at the base takes a batch or transaction Bundle');
      const all: Access[] = [];
      for (const entry of bundle.entry ?? []) {
        const url = entry.request?.url ?? '';
        const found = this.#accessFor(
          entry.request?.method ?? '',
          url.split('?')[0] ?? '',
          new URLSearchParams(url.split('?')[1]),
          undefined,
        );
        if ('status' in found) return found;
        all.push(...found);
      }
      return all;
    }
    if (method === 'GET' && path === '') {
      const types = (search.get('_type') ?? '').split(',').filter((t) => t.length > 0);
      if (types.length === 0) return outcomeReply(400, 'system search needs _type');
      return types.map((resourceType) => ({ resourceType, permission: 's' as const }));
    }
    const route = this.#o.router.find(method as HttpMethod, path);
    const permission = permissionFor(route?.data?.interaction);
    const resourceType = route?.params['resourceType'];
    if (!route || permission === undefined || resourceType === undefined) {
      return outcomeReply(404, 'no such FHIR interaction on this server');
    }
    return [{ resourceType, permission }];
  }

  #reply(
    method: string,
    path: string,
    search: URLSearchParams,
    outcome: OperationOutcome,
    resource: Resource | undefined,
    isSearch: boolean,
  ): HttpReply {
    let status = getStatus(outcome);
    if (status === 404 && method === 'GET') {
      const [type, id] = path.split('/');
      if (type && id && this.#o.repository.wasDeleted(type, id)) return outcomeReply(410, 'resource was deleted');
    }
    if (!resource) return jsonReply(status, outcome);
    if (resource.resourceType === 'Bundle' && isSearch) {
      return jsonReply(status, this.#withPageLinks(resource, path, search, 'match'));
    }
    const headers: Record<string, string> = {};
    const versionId = resource.meta?.versionId;
    if (versionId && resource.resourceType !== 'Bundle') {
      headers['etag'] = `W/"${versionId}"`;
      const lastModified = httpDate(resource.meta?.lastUpdated);
      if (lastModified) headers['last-modified'] = lastModified;
      if (status === 201 && resource.id) {
        headers['location'] = `${this.#o.fhirBaseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`;
      }
    }
    if (status === 200 && method === 'POST' && outcome.id === 'created') status = 201;
    return jsonReply(status, resource, headers);
  }

  #pageLink(path: string, search: URLSearchParams, offset: number): string {
    const params = new URLSearchParams(search);
    params.set('_offset', String(offset));
    return `${this.#o.fhirBaseUrl}/${path}?${params.toString()}`;
  }

  #withPageLinks(bundle: Bundle, path: string, search: URLSearchParams, mode?: 'match'): Bundle {
    const count = Number(search.get('_count'));
    const offset = Number(search.get('_offset') ?? '0');
    const total = bundle.total ?? 0;
    const link: NonNullable<Bundle['link']> = [{ relation: 'self', url: this.#pageLink(path, search, offset) }];
    if (count > 0 && offset + count < total)
      link.push({ relation: 'next', url: this.#pageLink(path, search, offset + count) });
    if (offset > 0) link.push({ relation: 'previous', url: this.#pageLink(path, search, Math.max(0, offset - count)) });
    const entry = bundle.entry?.map((e) => ({
      ...(e.resource ? { fullUrl: `${this.#o.fhirBaseUrl}/${e.resource.resourceType}/${e.resource.id ?? ''}` } : {}),
      ...e,
      ...(mode ? { search: { mode } } : {}),
    }));
    return { ...bundle, link, ...(entry ? { entry } : {}) };
  }

  #history(resourceType: string | undefined, search: URLSearchParams): HttpReply {
    const count = clampCount(search.get('_count'));
    const offset = Math.max(0, Number.parseInt(search.get('_offset') ?? '0', 10) || 0);
    const since = search.get('_since') ?? undefined;
    const { total, entry } = this.#o.repository.changeHistory({
      ...(resourceType ? { resourceType } : {}),
      ...(since ? { since } : {}),
      offset,
      count,
    });
    const path = resourceType ? `${resourceType}/_history` : '_history';
    const params = new URLSearchParams(search);
    params.set('_count', String(count));
    const bundle: Bundle = { resourceType: 'Bundle', type: 'history', total, entry };
    return jsonReply(200, this.#withPageLinks(bundle, path, params));
  }
}
