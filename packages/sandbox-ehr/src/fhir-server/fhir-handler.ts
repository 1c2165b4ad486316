/**
 * @module The FHIR R4 REST layer over Medplum's FhirRouter: bearer-token and scope enforcement per resource type
 * and interaction, content negotiation (JSON only: XML asked for in `Accept` or `_format` is 406), atomic
 * transactions, search with reported unknown parameters (`Prefer: handling=strict` makes them 400), `_summary`,
 * `_include`/`_revinclude`, paging links on the server's public URL, ETag/Last-Modified/Location, system, type
 * and instance `_history` (with `_since`, deletes, and request/response on every entry), 410 for deleted
 * resources, and the unauthenticated metadata and SMART configuration.
 *
 * Known limits: scopes are checked per entry for batch/transaction; `Prefer: return=` is not honoured (the
 * representation is always returned); chained search is reported as unsupported.
 */
import { getStatus } from '@medplum/core';
import type { FhirRequest, FhirRouter, HttpMethod } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { scopesAllow } from '../smart-auth/index.js';
import type { AccessToken, Permission } from '../smart-auth/index.js';
import { buildCapabilityStatement, buildSmartConfiguration } from './capability-statement.js';
import type { CapabilityOptions } from './capability-statement.js';
import { jsonReply, outcomeReply } from './http-reply.js';
import type { HttpReply, SandboxRequest } from './http-reply.js';
import type { SandboxRepository } from './sandbox-repository.js';
import { planSearch, resolveIncludes } from './search-support.js';

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
const historyPath = /^(?:([A-Z][A-Za-z]+)\/(?:([^/]+)\/)?)?_history$/;
const jsonTypes = new Set(['application/fhir+json', 'application/json', 'application/json+fhir', 'json']);

/** 406 unless the client accepts JSON: `_format` wins over `Accept`, as FHIR says. */
function negotiate(req: SandboxRequest): HttpReply | undefined {
  const format = req.search.get('_format');
  if (format !== null) {
    const type = format.split(';')[0]?.trim().toLowerCase() ?? '';
    return jsonTypes.has(type) ? undefined : outcomeReply(406, 'this server serves FHIR JSON only (_format)');
  }
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === '') return undefined;
  const acceptable = accept.split(',').some((part) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) return false;
    return jsonTypes.has(type) || type === '*/*' || type === 'application/*';
  });
  return acceptable ? undefined : outcomeReply(406, 'this server serves FHIR JSON only (Accept)');
}

function strictHandling(req: SandboxRequest): boolean {
  const prefer = req.headers.prefer;
  return /(^|[,;\s])handling\s*=\s*strict/i.test(Array.isArray(prefer) ? prefer.join(',') : (prefer ?? ''));
}

/** Thrown inside a transaction to undo it; the reply says why. */
class RollBack extends Error {
  constructor(readonly reply: HttpReply) {
    super('transaction rolled back');
  }
}

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
    const unacceptable = negotiate(req);
    if (unacceptable) return unacceptable;
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
      const id = history[2];
      if (!scopesAllow(token.scopes, resourceType, resourceType === '*' || id !== undefined ? 'r' : 's')) {
        return outcomeReply(403, 'access token scope does not allow history on this resource type');
      }
      return this.#history(resourceType === '*' ? undefined : resourceType, id, search);
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

    const isSearch = effectiveMethod === 'GET' && /^[A-Z][A-Za-z]+$/.test(effectivePath);
    if (isSearch) return this.#search(req, token, effectivePath, search);
    search = new URLSearchParams(search);
    search.delete('_format');
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
    if (effectivePath === '' && (body as Bundle | undefined)?.type === 'transaction')
      return this.#transaction(fhirRequest);
    const [outcome, resource] = await this.#o.router.handleRequest(fhirRequest, this.#o.repository);
    return this.#reply(effectiveMethod, effectivePath, outcome, resource);
  }

  /**
   * All or nothing: the router runs the entries (resolving `urn:uuid:` references) inside one unit of work of
   * the repository, and the first failed entry undoes every write and becomes the answer.
   */
  async #transaction(request: FhirRequest): Promise<HttpReply> {
    try {
      return await this.#o.repository.withTransaction(async () => {
        const [outcome, result] = await this.#o.router.handleRequest(request, this.#o.repository);
        const status = getStatus(outcome);
        if (status >= 400 || result?.resourceType !== 'Bundle') throw new RollBack(jsonReply(status, outcome));
        const entries = result.entry ?? [];
        const failed = entries.findIndex((e) => Number.parseInt(e.response?.status ?? '', 10) >= 400);
        if (failed >= 0) {
          const entry = entries[failed]!;
          const issue: OperationOutcomeIssue = {
            severity: 'error',
            code: 'processing',
            diagnostics: `transaction entry ${failed} failed with ${entry.response?.status ?? 'an error'}; nothing was written`,
            expression: [`Bundle.entry[${failed}]`],
          };
          const outcome: OperationOutcome = {
            resourceType: 'OperationOutcome',
            issue: [issue, ...(entry.response?.outcome?.issue ?? [])],
          };
          throw new RollBack(jsonReply(Number.parseInt(entry.response?.status ?? '400', 10), outcome));
        }
        return jsonReply(200, result);
      });
    } catch (e) {
      if (e instanceof RollBack) return e.reply;
      throw e;
    }
  }

  /** Type search: unknown parameters reported (or 400 when strict), then `_summary` and includes applied. */
  async #search(
    req: SandboxRequest,
    token: AccessToken,
    resourceType: string,
    search: URLSearchParams,
  ): Promise<HttpReply> {
    const plan = planSearch(resourceType, search);
    if (plan.ignored.length > 0 && strictHandling(req)) {
      const outcome: OperationOutcome = {
        resourceType: 'OperationOutcome',
        issue: plan.ignored.map((i) => ({ ...i, severity: 'error' as const })),
      };
      return jsonReply(400, outcome);
    }
    const query = new URLSearchParams(plan.query);
    const count = plan.summary === 'count' ? 0 : clampCount(query.get('_count'));
    query.set('_count', String(count));
    if (!query.has('_offset')) query.set('_offset', '0');
    const links = new URLSearchParams(plan.applied);
    links.set('_count', query.get('_count') ?? '');
    links.set('_offset', query.get('_offset') ?? '0');
    const [outcome, result] = await this.#o.router.handleRequest(
      {
        method: 'GET',
        url: `${resourceType}?${query.toString()}`,
        pathname: '',
        body: undefined,
        params: {},
        query: {},
      },
      this.#o.repository,
    );
    if (result?.resourceType !== 'Bundle') return jsonReply(getStatus(outcome), outcome);
    const matches = (result.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    const included =
      plan.summary === 'count'
        ? []
        : (await resolveIncludes(this.#o.repository, matches, plan)).filter((r) =>
            scopesAllow(token.scopes, r.resourceType, 'r'),
          );
    const shown = (r: Resource): Resource => {
      if (plan.summary !== 'data') return r;
      const copy: Resource & { text?: unknown } = { ...r };
      delete copy.text;
      return copy;
    };
    const entry: BundleEntry[] = [
      ...matches.map((r) => ({ resource: shown(r), search: { mode: 'match' as const } })),
      ...included.map((r) => ({ resource: shown(r), search: { mode: 'include' as const } })),
    ];
    if (plan.ignored.length + plan.notes.length > 0) {
      entry.push({
        resource: { resourceType: 'OperationOutcome', issue: [...plan.ignored, ...plan.notes] },
        search: { mode: 'outcome' },
      });
    }
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: result.total ?? matches.length,
      ...(entry.length > 0 ? { entry } : {}),
    };
    return jsonReply(200, this.#withPageLinks(bundle, resourceType, links));
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

  #reply(method: string, path: string, outcome: OperationOutcome, resource: Resource | undefined): HttpReply {
    let status = getStatus(outcome);
    if (status === 404 && method === 'GET') {
      const [type, id] = path.split('/');
      if (type && id && this.#o.repository.wasDeleted(type, id)) return outcomeReply(410, 'resource was deleted');
    }
    if (!resource) return jsonReply(status, outcome);
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
    const entry = bundle.entry?.map((e) => {
      const ref = e.resource?.id
        ? `${e.resource.resourceType}/${e.resource.id}`
        : e.request?.method === 'DELETE'
          ? e.request.url
          : undefined;
      return {
        ...(ref ? { fullUrl: `${this.#o.fhirBaseUrl}/${ref}` } : {}),
        ...e,
        ...(mode && !e.search ? { search: { mode } } : {}),
      };
    });
    return { ...bundle, link, ...(entry ? { entry } : {}) };
  }

  #history(resourceType: string | undefined, id: string | undefined, search: URLSearchParams): HttpReply {
    const count = clampCount(search.get('_count'));
    const offset = Math.max(0, Number.parseInt(search.get('_offset') ?? '0', 10) || 0);
    const sinceText = search.get('_since');
    const since = sinceText === null ? undefined : Date.parse(sinceText);
    if (since !== undefined && (Number.isNaN(since) || !/^\d{4}-\d{2}-\d{2}/.test(sinceText ?? ''))) {
      return outcomeReply(400, '_since must be a FHIR instant');
    }
    if (resourceType && id !== undefined && !this.#o.repository.hasHistory(resourceType, id)) {
      return outcomeReply(404, 'no such resource');
    }
    const { total, entry } = this.#o.repository.changeHistory({
      ...(resourceType ? { resourceType } : {}),
      ...(id !== undefined ? { id } : {}),
      ...(since !== undefined ? { since } : {}),
      offset,
      count,
    });
    const path = resourceType ? `${resourceType}/${id !== undefined ? `${id}/` : ''}_history` : '_history';
    const params = new URLSearchParams(search);
    params.set('_count', String(count));
    const bundle: Bundle = { resourceType: 'Bundle', type: 'history', total, entry };
    return jsonReply(200, this.#withPageLinks(bundle, path, params));
  }
}
