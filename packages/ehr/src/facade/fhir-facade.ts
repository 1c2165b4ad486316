/**
 * @module The FHIR R4 facade: reads and searches of what Steward's EHR connections expose, for
 * service accounts and apps, in FHIR's own terms (a CapabilityStatement, resources, searchset
 * Bundles). A governed service, context first: it resolves the connection, decides (the caller's
 * SMART scopes, then policy at the connection's site), checks the search, and reads through the
 * governed EHR reader only — which decides again, applies minimum necessary by purpose of use and
 * audits per patient. It never holds a channel. The HTTP route is a schema and one call
 * (apps/server/src/http/routes/fhir.ts), which also maps errors to OperationOutcomes.
 *
 * Answers that must not tell things apart: an unknown connection, one at a site the caller has no
 * grant for, a resource the EHR does not have and one the reader refused are all NOT_FOUND, with
 * the same message for one type.
 */
import {
  ForbiddenError,
  isStewardError,
  NotFoundError,
  ValidationError,
  type Clock,
  type RequestContext,
} from '@steward/core';
import { sourceOf, type AuditSink, type PolicyDecisionPoint } from '@steward/governance';
import type { EhrReader } from '../channel/index.js';
import type { ConnectionRegistry, EhrConnection } from '../connections/index.js';
import { profileFor } from '../vendors/index.js';
import { minimumNecessary } from './purpose-elements.js';
import {
  notServed,
  requirePatientNamed,
  searchParameters,
  searchParamType,
  servedTypes,
  tokenAllows,
  type FacadeInteraction,
  type ServedType,
} from './search-rules.js';

export interface FhirFacadeDeps {
  /** The governed reader: every read and search goes through it. */
  readonly reader: EhrReader;
  readonly policy: PolicyDecisionPoint;
  /** Where a request refused for its token's SMART scopes is audited. */
  readonly audit: AuditSink;
  readonly connections: Pick<ConnectionRegistry, 'get'>;
  readonly clock: Clock;
}

type FhirJson = Record<string, unknown>;

/** A search as the route received it: parameters by name (repeated ones as arrays). */
export type FacadeQuery = Readonly<Record<string, string | readonly string[] | undefined>>;

const typePattern = /^[A-Z][A-Za-z]{1,63}$/;
const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

export class FhirFacade {
  constructor(private readonly deps: FhirFacadeDeps) {}

  /**
   * The CapabilityStatement of one connection's endpoint: the types it serves to this caller
   * (narrowed by its token's SMART scopes), each with read and search and its search parameters.
   * `base` is the endpoint's own URL (`…/fhir/R4/<connection>`), never the EHR's.
   */
  async capabilities(ctx: RequestContext, name: string, base: string): Promise<FhirJson> {
    const { connection } = await this.open(ctx, name, 'search', undefined);
    const types = servedTypes(connection).filter(
      (t) => tokenAllows(ctx.actor.scopes, t.type, 'read') || tokenAllows(ctx.actor.scopes, t.type, 'search'),
    );
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: this.deps.clock.now().toISOString(),
      publisher: 'Steward',
      kind: 'instance',
      software: { name: 'Steward FHIR facade' },
      implementation: {
        description: `Governed reads of EHR connection ${connection.name}: policy per site, audit per patient, minimum necessary by purpose of use`,
        url: base,
      },
      fhirVersion: '4.0.1',
      format: ['application/fhir+json', 'json'],
      rest: [
        {
          mode: 'server',
          documentation:
            "Read-only. Unknown search parameters are refused (strict handling). An agent searching a patient-compartment type must name the patient. Elements outside the purpose of use of the caller's grant are removed (meta.tag SUBSETTED).",
          security: {
            cors: false,
            description:
              'Authorization: Bearer <Steward API token>; SMART system/ scopes on the token narrow the types.',
          },
          resource: types.map((t) => ({
            type: t.type,
            interaction: [
              ...(t.read && tokenAllows(ctx.actor.scopes, t.type, 'read') ? [{ code: 'read' }] : []),
              ...(t.searchParams.length > 0 && tokenAllows(ctx.actor.scopes, t.type, 'search')
                ? [{ code: 'search-type' }]
                : []),
            ],
            searchParam: t.searchParams.map((p) => ({ name: p, type: searchParamType(p) })),
          })),
        },
      ],
    };
  }

  /** One resource, as the caller's purpose of use lets it see it; NOT_FOUND for missing and refused alike. */
  async read(
    ctx: RequestContext,
    name: string,
    type: string,
    id: string,
  ): Promise<{ resource: FhirJson; versionId?: string }> {
    const { connection, served } = await this.open(ctx, name, 'read', type);
    if (!served.read) throw notServed(`read of ${type} is not served`, 'type');
    if (!idPattern.test(id)) throw new NotFoundError(type);
    try {
      const found = await this.deps.reader.read(
        ctx,
        connection.id,
        { resourceType: type, id },
        { disclose: minimumNecessary },
      );
      return {
        resource: { ...found.resource },
        ...(found.versionId !== undefined ? { versionId: found.versionId } : {}),
      };
    } catch (e) {
      throw missingOrRefused(e, type);
    }
  }

  /**
   * One page of a search, as a searchset Bundle whose `self` and `next` links point at this
   * endpoint (`base`), never at the EHR: the next page's link is the reader's sealed page link.
   */
  async search(ctx: RequestContext, name: string, type: string, query: FacadeQuery, base: string): Promise<FhirJson> {
    const { connection, served, agent } = await this.open(ctx, name, 'search', type);
    if (served.searchParams.length === 0) throw notServed(`search of ${type} is not served`, 'type');
    if (query['_page'] !== undefined && typeof query['_page'] !== 'string')
      throw notServed('_page is given more than once', '_page');
    const page = query['_page'];
    let params: Record<string, string> = {};
    if (page !== undefined) {
      const others = Object.keys(query).filter((k) => k !== '_page');
      if (others.length > 0) throw notServed('a page link carries its search: send _page alone', others[0] ?? '_page');
    } else {
      params = searchParameters(served, query, profileFor(connection.vendor).maxPageSize);
      if (agent) requirePatientNamed(type, params);
    }
    const result = await this.deps.reader
      .searchPage(ctx, connection.id, type, params, {
        disclose: minimumNecessary,
        ...(page !== undefined ? { page } : {}),
      })
      .catch((e: unknown) => {
        throw missingOrRefused(e, type, 'search');
      });
    const self =
      page !== undefined
        ? `${base}/${type}?${new URLSearchParams({ _page: page }).toString()}`
        : `${base}/${type}${Object.keys(params).length > 0 ? `?${new URLSearchParams(params).toString()}` : ''}`;
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(result.total !== undefined ? { total: result.total } : {}),
      link: [
        { relation: 'self', url: self },
        ...(result.next !== undefined
          ? [{ relation: 'next', url: `${base}/${type}?${new URLSearchParams({ _page: result.next }).toString()}` }]
          : []),
      ],
      entry: result.resources.map((r) => ({
        fullUrl: `${base}/${String(r.resource['resourceType'])}/${String(r.resource['id'])}`,
        resource: r.resource,
        search: { mode: 'match' },
      })),
    };
  }

  /**
   * The connection and the caller's standing at it, in an order that tells a stranger nothing:
   * the type's shape, then the token's SMART scopes (403, audited; they depend on the token, not
   * on the connection), then policy at the connection's site (NOT_FOUND for an unknown or foreign
   * connection alike), then whether the connection serves the type.
   */
  private async open(
    ctx: RequestContext,
    name: string,
    interaction: FacadeInteraction,
    type: string | undefined,
  ): Promise<{ connection: EhrConnection; served: ServedType; agent: boolean }> {
    if (type !== undefined && !typePattern.test(type)) throw notServed('not a FHIR resource type', 'type');
    const found = await this.find(name);
    if (type !== undefined && !tokenAllows(ctx.actor.scopes, type, interaction)) {
      await this.deps.audit.append({
        actor: ctx.actor,
        event: 'access.denied',
        action: 'R',
        outcome: 'denied',
        entity: { kind: type, id: '*' },
        ...(found !== undefined ? { site: found.site } : {}),
        ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
        source: sourceOf(ctx),
        reason: `token_scope:system/${type}.${interaction === 'read' ? 'r' : 's'}`,
      });
      throw new ForbiddenError(`the token's SMART scopes do not allow ${interaction} of ${type}`);
    }
    const action = interaction === 'read' ? 'phi.read' : 'phi.search';
    // A read of a foreign connection answers as a missing resource of the type does.
    const kind = interaction === 'read' && type !== undefined ? type : 'FHIR endpoint';
    const { row: connection, decision } = await this.deps.policy.visible(ctx, action, kind, found, (c) => ({
      site: c.site,
      entity: { kind: type ?? 'CapabilityStatement', id: '*' },
    }));
    const agent = decision.grant?.role === 'agent';
    if (type === undefined) return { connection, served: { type: '', read: false, searchParams: [] }, agent };
    const served = servedTypes(connection).find((t) => t.type === type);
    if (served === undefined) throw notServed(`${type} is not served at this connection`, 'type');
    return { connection, served, agent };
  }

  /** An enabled connection by name, or undefined (then NOT_FOUND, as for one outside the caller's scope). */
  private async find(name: string): Promise<EhrConnection | undefined> {
    try {
      const connection = await this.deps.connections.get(name);
      // By name or by id: events name a connection by its id (references.connectionId).
      return connection.enabled && (connection.name === name || connection.id === name) ? connection : undefined;
    } catch (e) {
      if (isStewardError(e) && e.code === 'NOT_FOUND') return undefined;
      throw e;
    }
  }
}

/**
 * What a caller is told of a failed read: a resource the EHR does not have (404, 410) and one
 * the policy refused are the same NOT_FOUND; anything else passes as it is (the HTTP edge maps
 * EHR failures to 502/503 without their details).
 */
function missingOrRefused(e: unknown, type: string, interaction: FacadeInteraction = 'read'): unknown {
  if (!isStewardError(e)) return e;
  if (e.code === 'FORBIDDEN')
    return interaction === 'read' ? new NotFoundError(type) : new NotFoundError('FHIR endpoint');
  const status = e.details.find((d) => d.path === 'http.status')?.message;
  if (e.code === 'EHR_REJECTED' && (status === '404' || status === '410'))
    return interaction === 'read' ? new NotFoundError(type) : e;
  if (e.code === 'EHR_REJECTED' && status === '400')
    return new ValidationError(`the EHR refused this ${type} ${interaction}: check the parameter values`, [
      { path: 'query', message: 'a value the EHR does not accept' },
    ]);
  return e;
}
