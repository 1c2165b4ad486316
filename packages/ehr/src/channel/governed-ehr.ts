/**
 * @module The one governed decorator around every EHR channel. Whatever the channel (FHIR R4
 * today, screens next), every read and write through it is:
 * - decided by the policy decision point first (`phi.read` / `phi.search` for readers at the
 *   connection's site; `ehr.write` for the writing side, which acts as the connection's account);
 * - audited under the patients it touched, so "who accessed this patient" finds workflow reads:
 *   an EHR patient is audited under `ehrPatientId` (a keyed, stable UUID of connection and EHR id,
 *   so no EHR identifier enters the audit log), and a denial is audited by the decision point;
 * - for writes, guarded against the wrong chart, version-aware, idempotent and verified
 *   (`GovernedWrite`).
 * It hands out two faces: `reader` (read-only; what workflows get) and `writer` (the proposal
 * applier's alone; lint refuses it elsewhere, see eslint.config.js).
 * Known limit: a read's patients are those the resource references (subject, patient, for,
 * beneficiary, participant actors) or the Patient itself; a resource naming none is audited
 * without a patient.
 */
import { isStewardError, ValidationError, type Actor, type RequestContext } from '@steward/core';
import {
  sourceOf,
  type AuditEntryInput,
  type AuditSink,
  type FieldCipher,
  type PatientLookup,
  type PolicyDecisionPoint,
} from '@steward/governance';
import type {
  ChannelPage,
  EhrChannel,
  EhrPatient,
  EhrReader,
  EhrReference,
  EhrResource,
  EhrSearch,
  EhrSearchPage,
  EhrWriteChannel,
  ReadOptions,
  SearchPageOptions,
} from './ehr-channel.js';
import { GovernedWrite, patientReferences, type EhrWriterOptions } from './governed-write.js';

export interface GovernedEhrDeps {
  readonly channel: EhrChannel;
  readonly policy: PolicyDecisionPoint;
  readonly audit: AuditSink;
  /** The key ring (its blind-index key makes the audited patient ids; its data key seals page links). */
  readonly cipher: Pick<FieldCipher, 'blindIndex' | 'encrypt' | 'decrypt'>;
  /** A connection's site, and its interface account (who writes, and reads for the applier). */
  readonly connection: (connectionId: string) => Promise<{ readonly site: string; readonly actor: Actor }>;
  readonly writes?: EhrWriterOptions;
  /**
   * The patient index: an EHR patient it knows is audited under its Steward patient id, so "who
   * accessed this patient" by any identifier finds the read. Without it, or for a patient it has
   * not met, the id below (`ehrPatientId`) is used.
   */
  readonly patients?: PatientLookup;
}

/**
 * The Steward patient id an EHR patient is audited under: a UUID (version 8, RFC 9562) made from
 * the key ring's blind index of connection and EHR id. Stable across restarts and key rotations;
 * without the index key it reveals nothing about the EHR id.
 */
export function ehrPatientId(cipher: Pick<FieldCipher, 'blindIndex'>, connectionId: string, ehrId: string): string {
  const h = Buffer.from(cipher.blindIndex('ehr.patient', `${connectionId}|${ehrId}`).subarray(0, 16));
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x80;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export class GovernedEhr {
  /** Read-only and audited: what workflows and chart readers get. */
  readonly reader: EhrReader;
  /** The applier's writing side. */
  readonly writer: EhrWriteChannel;
  readonly #writes: GovernedWrite;

  constructor(private readonly deps: GovernedEhrDeps) {
    this.#writes = new GovernedWrite(
      deps.channel,
      deps.policy,
      deps.audit,
      (c, site, id) => this.patientId(c, site, id),
      deps.writes,
    );
    this.reader = {
      patient: (ctx, connectionId, ehrId) => this.patient(ctx, connectionId, ehrId),
      read: (ctx, connectionId, ref, options) =>
        this.read(ctx, connectionId, ref, 'phi.read', undefined, options?.disclose),
      search: (ctx, connectionId, type, params) => this.search(ctx, connectionId, type, params),
      searchPage: (ctx, connectionId, type, params, options) =>
        this.searchPage(ctx, connectionId, type, params, options),
    };
    this.writer = {
      read: async (connectionId, resourceType, id) =>
        this.read(await this.asConnection(connectionId), connectionId, { resourceType, id }, 'ehr.write'),
      readVersion: (connectionId, resourceType, id, versionId) =>
        this.readVersion(connectionId, { resourceType, id }, versionId),
      write: async (connectionId, request, requestedBy) => {
        const { site } = await this.deps.connection(connectionId);
        return this.#writes.write(
          await this.asConnection(connectionId, requestedBy),
          { id: connectionId, site },
          request,
        );
      },
    };
  }

  /**
   * The id an EHR patient of this connection is audited under (for "who accessed this patient"):
   * its Steward patient in the index, else the id made from the connection and the EHR id.
   */
  async patientId(connectionId: string, site: string, ehrId: string): Promise<string> {
    const found = await this.deps.patients?.patientIdOf({ connectionId, site, ehrId, identifiers: [] });
    return found ?? ehrPatientId(this.deps.cipher, connectionId, ehrId);
  }

  private async patient(ctx: RequestContext, connectionId: string, ehrId: string): Promise<EhrPatient> {
    const r = await this.read(ctx, connectionId, { resourceType: 'Patient', id: ehrId }, 'phi.read', [
      'identifier',
      'active',
      'link',
    ]);
    const p = r.resource;
    const identifiers = (Array.isArray(p['identifier']) ? (p['identifier'] as unknown[]) : []).flatMap((i) => {
      const { system, value } = (i ?? {}) as { system?: unknown; value?: unknown };
      return typeof system === 'string' && typeof value === 'string' ? [{ system, value }] : [];
    });
    const links = Array.isArray(p['link']) ? (p['link'] as { type?: unknown }[]) : [];
    return { ehrId, identifiers, live: p['active'] !== false && !links.some((l) => l.type === 'replaced-by') };
  }

  /**
   * Decides, reads through the channel, and audits the read (or its failure) under the patients
   * it touched. `fields` narrows what the entry says was read (default: the resource's elements);
   * `disclose` narrows what is handed back (minimum necessary), and the entry names what it kept.
   */
  private async read(
    ctx: RequestContext,
    connectionId: string,
    ref: EhrReference,
    action: 'phi.read' | 'ehr.write' = 'phi.read',
    fields?: readonly string[],
    disclose?: ReadOptions['disclose'],
  ): Promise<EhrResource> {
    const { site } = await this.deps.connection(connectionId);
    const known = ref.resourceType === 'Patient' ? await this.patientId(connectionId, site, ref.id) : undefined;
    const entity = { kind: ref.resourceType, id: known ?? ref.id };
    const decision = await this.deps.policy.enforce(ctx, action, {
      site,
      entity,
      ...(known !== undefined ? { patientId: known } : {}),
    });
    const base = { ctx, site, entity, purposeOfUse: decision.purposeOfUse, breakGlassId: decision.breakGlassId };
    let resource: EhrResource;
    try {
      resource = await this.deps.channel.read(connectionId, ref);
    } catch (e) {
      await this.record(base, 'phi.read', known !== undefined ? [known] : [], 'failure', codeOf(e));
      throw e;
    }
    const patients = known !== undefined ? [known] : await this.patientsOf(connectionId, site, [resource]);
    const shown = disclose !== undefined ? disclose(resource, decision.purposeOfUse) : resource;
    await this.record(base, 'phi.read', patients, 'success', undefined, fields ?? elementsOf(shown));
    return shown;
  }

  /** The applier's look at an older version: as the connection, audited when something was disclosed. */
  private async readVersion(
    connectionId: string,
    ref: EhrReference,
    versionId: string,
  ): Promise<Readonly<Record<string, unknown>> | undefined> {
    const ctx = await this.asConnection(connectionId);
    const { site } = await this.deps.connection(connectionId);
    const entity = { kind: ref.resourceType, id: ref.id };
    const decision = await this.deps.policy.enforce(ctx, 'ehr.write', { site, entity });
    const found = await this.deps.channel.readVersion(connectionId, ref, versionId);
    if (found === undefined) return undefined;
    const base = { ctx, site, entity, purposeOfUse: decision.purposeOfUse, breakGlassId: decision.breakGlassId };
    await this.record(
      base,
      'phi.read',
      await this.patientsOf(connectionId, site, [found]),
      'success',
      'version',
      elementsOf(found),
    );
    return found.resource;
  }

  private async search(
    ctx: RequestContext,
    connectionId: string,
    resourceType: string,
    params: EhrSearch,
  ): Promise<readonly EhrResource[]> {
    const { site } = await this.deps.connection(connectionId);
    const entity = { kind: resourceType, id: '*' };
    const decision = await this.deps.policy.enforce(ctx, 'phi.search', { site, entity });
    const base = { ctx, site, entity, purposeOfUse: decision.purposeOfUse, breakGlassId: decision.breakGlassId };
    let found: readonly EhrResource[];
    try {
      found = await this.deps.channel.search(connectionId, resourceType, params);
    } catch (e) {
      await this.record(base, 'phi.search', [], 'failure', codeOf(e), undefined, params);
      throw e;
    }
    await this.record(
      base,
      'phi.search',
      await this.patientsOf(connectionId, site, found),
      'success',
      undefined,
      undefined,
      params,
    );
    return found;
  }

  /**
   * One page of a search: decided (`phi.search` at the connection's site) and audited for every
   * page, so a grant revoked between pages stops the paging. The EHR's continuation never leaves
   * this decorator in the clear: it is sealed with the key ring, bound to the caller, connection
   * and type, and expires; a link presented by anyone else, altered or stale is refused.
   */
  private async searchPage(
    ctx: RequestContext,
    connectionId: string,
    resourceType: string,
    params: EhrSearch,
    options: SearchPageOptions = {},
  ): Promise<EhrSearchPage> {
    const { site } = await this.deps.connection(connectionId);
    const context = `ehr.page|${ctx.actor.id}|${connectionId}|${resourceType}`;
    const cursor = options.page !== undefined ? this.openPage(options.page, context) : undefined;
    const query = cursor?.query ?? params;
    const entity = { kind: resourceType, id: '*' };
    const decision = await this.deps.policy.enforce(ctx, 'phi.search', { site, entity });
    const base = { ctx, site, entity, purposeOfUse: decision.purposeOfUse, breakGlassId: decision.breakGlassId };
    let page: ChannelPage;
    try {
      page =
        this.deps.channel.searchPage !== undefined
          ? await this.deps.channel.searchPage(connectionId, resourceType, query, cursor?.next)
          : { resources: await this.deps.channel.search(connectionId, resourceType, query) };
    } catch (e) {
      await this.record(base, 'phi.search', [], 'failure', codeOf(e), undefined, query);
      throw e;
    }
    const disclose = options.disclose;
    const resources =
      disclose !== undefined ? page.resources.map((r) => disclose(r, decision.purposeOfUse)) : page.resources;
    const fields = disclose !== undefined ? [...new Set(resources.flatMap((r) => elementsOf(r)))].sort() : undefined;
    await this.record(
      base,
      'phi.search',
      await this.patientsOf(connectionId, site, page.resources),
      'success',
      cursor !== undefined ? 'page' : undefined,
      fields,
      query,
    );
    return {
      resources,
      ...(page.total !== undefined ? { total: page.total } : {}),
      ...(page.next !== undefined ? { next: this.sealPage({ next: page.next, query }, context) } : {}),
    };
  }

  private sealPage(cursor: { readonly next: string; readonly query: EhrSearch }, context: string): string {
    const expires = this.deps.policy.clock.now().getTime() + pageLinkLifetimeMs;
    return this.deps.cipher.encrypt(JSON.stringify({ ...cursor, expires }), context).toString('base64url');
  }

  private openPage(page: string, context: string): { readonly next: string; readonly query: EhrSearch } {
    const refused = () =>
      new ValidationError('the page link is not valid for this caller and search, or has expired', [
        { path: 'page', message: 'not a live page link of this search: search again' },
      ]);
    let cursor: { next?: unknown; query?: unknown; expires?: unknown };
    try {
      cursor = JSON.parse(this.deps.cipher.decrypt(Buffer.from(page, 'base64url'), context).toString('utf8')) as {
        next?: unknown;
        query?: unknown;
        expires?: unknown;
      };
    } catch {
      throw refused();
    }
    if (
      typeof cursor.next !== 'string' ||
      typeof cursor.query !== 'object' ||
      cursor.query === null ||
      typeof cursor.expires !== 'number' ||
      cursor.expires < this.deps.policy.clock.now().getTime()
    )
      throw refused();
    return { next: cursor.next, query: cursor.query as EhrSearch };
  }

  /** The patients resources touch: a Patient itself, or the patients it references. */
  private async patientsOf(connectionId: string, site: string, resources: readonly EhrResource[]): Promise<string[]> {
    const ids = resources.flatMap(({ resource }) =>
      resource['resourceType'] === 'Patient' && typeof resource['id'] === 'string'
        ? [resource['id']]
        : patientReferences(resource).map((r) => r.slice('Patient/'.length)),
    );
    const named = await Promise.all([...new Set(ids)].map((id) => this.patientId(connectionId, site, id)));
    return [...new Set(named)];
  }

  /** The connection's own account, carrying the request id and workflow of whoever asked. */
  private async asConnection(connectionId: string, requestedBy?: RequestContext): Promise<RequestContext> {
    const { actor } = await this.deps.connection(connectionId);
    return {
      actor,
      ...(requestedBy?.workflow !== undefined ? { workflow: requestedBy.workflow } : {}),
      ...(requestedBy?.requestId !== undefined ? { requestId: requestedBy.requestId } : {}),
    };
  }

  private async record(
    at: {
      readonly ctx: RequestContext;
      readonly site: string;
      readonly entity: { readonly kind: string; readonly id: string };
      readonly purposeOfUse: AuditEntryInput['purposeOfUse'];
      readonly breakGlassId: string | undefined;
    },
    event: 'phi.read' | 'phi.search',
    patientIds: readonly string[],
    outcome: 'success' | 'failure',
    reason?: string,
    fields?: readonly string[],
    query?: EhrSearch,
  ): Promise<void> {
    const { ctx } = at;
    await this.deps.audit.append({
      actor: ctx.actor,
      event,
      action: 'R',
      outcome,
      ...(patientIds.length > 0 ? { patientIds } : {}),
      entity: at.entity,
      ...(fields !== undefined ? { fields } : {}),
      site: at.site,
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      ...(at.purposeOfUse !== undefined ? { purposeOfUse: at.purposeOfUse } : {}),
      ...(at.breakGlassId !== undefined ? { breakGlassId: at.breakGlassId } : {}),
      source: sourceOf(ctx),
      ...(query !== undefined ? { query } : {}),
      reason: reason !== undefined ? `${this.deps.channel.kind}:${reason}` : this.deps.channel.kind,
    });
  }
}

/** How long a page link stays good: long enough to read a result page by page, short for a leaked one. */
const pageLinkLifetimeMs = 30 * 60_000;

function codeOf(e: unknown): string {
  return isStewardError(e) ? e.code : 'INTERNAL';
}

/** The elements a resource holds (names, not values): what the audit says was read. */
function elementsOf(r: EhrResource): string[] {
  return Object.keys(r.resource).filter((k) => k !== 'resourceType' && k !== 'meta' && k !== 'id');
}
