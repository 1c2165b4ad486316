/**
 * @module The EHR channel port: how Steward reads from and writes to one EHR connection, in
 * Steward's terms (plain JSON resources with their version, references, search parameters).
 * FHIR R4 is the first channel (`FhirR4Channel`); browser automation of EHR screens is the next:
 * it implements the same five methods against the EHR's screens, and gets the same governance for
 * free, because governance is never in a channel — `GovernedEhr` wraps every channel alike.
 * With connections of both kinds, the composition root passes one channel that hands each call to
 * the connection's own (every method takes the connection id); the decorator does not change.
 *
 * A channel is ungoverned I/O: it checks no permission and writes no audit entry. Only
 * `GovernedEhr` (the composition root builds one per process) holds a channel; workflows get its
 * read-only `EhrReader`, and the proposal applier alone gets its `EhrWriteChannel`.
 */
import type { PurposeOfUse, RequestContext } from '@steward/core';
import type { PatientGuard, WriteOutcome, WriteRequest } from './governed-write.js';

/** A resource as the EHR holds it: plain JSON and the EHR's version of it. */
export interface EhrResource {
  readonly resource: Readonly<Record<string, unknown>>;
  readonly versionId: string | undefined;
}

/** `{ resourceType: 'Appointment', id: '123' }` */
export interface EhrReference {
  readonly resourceType: string;
  readonly id: string;
}

/** Search parameters by name (`identifier`, `patient`, `status`), values as the EHR expects them. */
export type EhrSearch = Readonly<Record<string, string>>;

/** One page of a search as a channel gives it: the matches, the EHR's total, and where the next page is. */
export interface ChannelPage {
  readonly resources: readonly EhrResource[];
  /** The number of matches across all pages, when the EHR said. */
  readonly total?: number;
  /** The channel's own continuation (FHIR: the EHR's `next` link); never handed past the governed reader. */
  readonly next?: string;
}

/**
 * What the governed writer knows of a write, for channels that need it (the screens channel runs
 * each write as a governed browser run with an identity and a patient); others may ignore it.
 */
export interface WriteContext {
  /** Who the write acts as (the connection's account) and the workflow or request behind it. */
  readonly requestedBy?: RequestContext;
  /** The patient the change was made for (the wrong-chart guard's identifiers). */
  readonly patient?: PatientGuard;
  /** Unique per intended change (a proposal's key). */
  readonly idempotencyKey?: string;
  /** The proposal the write carries out, and the person who approved it (a run's identity on screens). */
  readonly proposal?: WriteProvenance;
}

/** Which proposal a write carries out and who approved it. */
export interface WriteProvenance {
  readonly id: string;
  /** The approver's actor id; undefined when a policy approved it. */
  readonly approvedBy?: string;
}

/** The ungoverned I/O every channel offers. Errors are Steward errors with stable codes (EHR_*). */
export interface EhrChannel {
  /** `fhir-r4`, `screens`, … (for logs and the audit's reason, never PHI). */
  readonly kind: string;
  read(connectionId: string, ref: EhrReference): Promise<EhrResource>;
  /** An older version, or undefined when the EHR keeps no history of it. */
  readVersion(connectionId: string, ref: EhrReference, versionId: string): Promise<EhrResource | undefined>;
  /** The matches (never included resources), at most one page. */
  search(connectionId: string, resourceType: string, params: EhrSearch): Promise<readonly EhrResource[]>;
  /**
   * One page with its total and continuation: the first (from `params`) or the one `next` names
   * (a continuation this channel gave). Optional: without it, the governed reader answers `search`'s
   * one page with no total and no next page.
   */
  searchPage?(connectionId: string, resourceType: string, params: EhrSearch, next?: string): Promise<ChannelPage>;
  /**
   * Creates, unless a resource of the type already carries `ifNoneExist` as an identifier
   * (`system|value`): then that one is returned with `created: false`.
   */
  create(
    connectionId: string,
    resource: { readonly resourceType: string },
    ifNoneExist: string,
    context?: WriteContext,
  ): Promise<EhrResource & { readonly created: boolean }>;
  /** Replaces the resource only if the EHR still holds `ifMatch` (else EHR_CONFLICT). */
  update(
    connectionId: string,
    resource: { readonly resourceType: string; readonly id: string },
    ifMatch: string,
    context?: WriteContext,
  ): Promise<EhrResource>;
  /**
   * Whether the channel itself checks, in the same session and right before it enters anything,
   * that the open chart is the write's patient on two identifiers (screens: the patient banner).
   * Then the governed writer does not read the patient separately first (a second browser run);
   * it still checks the resource's patient references and pending merges. Default: false.
   */
  checksChartBeforeWrite?(connectionId: string): Promise<boolean>;
}

/**
 * One channel per connection (FHIR R4 for one, screens for another): each call goes to the
 * connection's own. What the governed decorator wraps when connections of both kinds exist.
 */
export class ChannelsByConnection implements EhrChannel {
  readonly kind = 'by-connection';

  constructor(private readonly channelOf: (connectionId: string) => Promise<EhrChannel>) {}

  async read(connectionId: string, ref: EhrReference): Promise<EhrResource> {
    return (await this.channelOf(connectionId)).read(connectionId, ref);
  }
  async readVersion(connectionId: string, ref: EhrReference, versionId: string): Promise<EhrResource | undefined> {
    return (await this.channelOf(connectionId)).readVersion(connectionId, ref, versionId);
  }
  async search(connectionId: string, resourceType: string, params: EhrSearch): Promise<readonly EhrResource[]> {
    return (await this.channelOf(connectionId)).search(connectionId, resourceType, params);
  }
  async searchPage(connectionId: string, resourceType: string, params: EhrSearch, next?: string): Promise<ChannelPage> {
    const channel = await this.channelOf(connectionId);
    if (channel.searchPage !== undefined) return channel.searchPage(connectionId, resourceType, params, next);
    return { resources: await channel.search(connectionId, resourceType, params) };
  }
  async create(
    connectionId: string,
    resource: { readonly resourceType: string },
    ifNoneExist: string,
    context?: WriteContext,
  ): Promise<EhrResource & { readonly created: boolean }> {
    return (await this.channelOf(connectionId)).create(connectionId, resource, ifNoneExist, context);
  }
  async update(
    connectionId: string,
    resource: { readonly resourceType: string; readonly id: string },
    ifMatch: string,
    context?: WriteContext,
  ): Promise<EhrResource> {
    return (await this.channelOf(connectionId)).update(connectionId, resource, ifMatch, context);
  }
  async checksChartBeforeWrite(connectionId: string): Promise<boolean> {
    return (await (await this.channelOf(connectionId)).checksChartBeforeWrite?.(connectionId)) === true;
  }
}

/** A patient as Steward needs them: the EHR id, identifiers, and whether the chart is still live. */
export interface EhrPatient {
  readonly ehrId: string;
  readonly identifiers: readonly { readonly system: string; readonly value: string }[];
  /** False when the EHR marks the record inactive or merged into another (`link.type` replaced-by). */
  readonly live: boolean;
}

/**
 * What is disclosed of a resource read, given the purpose of use of the grant that allowed the
 * read (minimum necessary): the resource handed back, whose elements the audit entry names.
 */
export type Disclosure = (resource: EhrResource, purposeOfUse: PurposeOfUse) => EhrResource;

export interface ReadOptions {
  /** Narrows what is disclosed, before the audit entry is written (default: the whole resource). */
  readonly disclose?: Disclosure;
}

export interface SearchPageOptions extends ReadOptions {
  /** A page link `searchPage` gave the same caller for the same connection and type. */
  readonly page?: string;
}

/** One page of a governed search. */
export interface EhrSearchPage {
  readonly resources: readonly EhrResource[];
  /** The number of matches across all pages, when the EHR said. */
  readonly total?: number;
  /**
   * The next page, sealed: opaque, bound to the caller, the connection and the type, expiring;
   * it carries the EHR's link inside, which no caller can read.
   */
  readonly next?: string;
}

/**
 * The read-only side of the governed EHR: what workflows (and any reader of charts) get. Every
 * call is allowed by policy (`phi.read` / `phi.search` at the connection's site, for `ctx`) and
 * leaves an audit entry naming the patients it touched. There is no way to write through it.
 */
export interface EhrReader {
  patient(ctx: RequestContext, connectionId: string, ehrId: string): Promise<EhrPatient>;
  read(ctx: RequestContext, connectionId: string, ref: EhrReference, options?: ReadOptions): Promise<EhrResource>;
  search(
    ctx: RequestContext,
    connectionId: string,
    resourceType: string,
    params: EhrSearch,
  ): Promise<readonly EhrResource[]>;
  /** One page with its total and a sealed link to the next (the FHIR facade's paging), each page decided and audited. */
  searchPage(
    ctx: RequestContext,
    connectionId: string,
    resourceType: string,
    params: EhrSearch,
    options?: SearchPageOptions,
  ): Promise<EhrSearchPage>;
}

/**
 * The writing side: held by the proposal applier only (lint refuses it elsewhere). It acts as the
 * connection's own interface account (which holds `ehr.write`); the request id and workflow of
 * whoever asked travel with the write's audit entry.
 */
export interface EhrWriteChannel {
  /** The current version (for a base version, a read-back or a conflict's diff). */
  read(connectionId: string, resourceType: string, id: string): Promise<EhrResource>;
  /** An older version, or undefined when the EHR keeps no history for it. */
  readVersion(
    connectionId: string,
    resourceType: string,
    id: string,
    versionId: string,
  ): Promise<Readonly<Record<string, unknown>> | undefined>;
  write(connectionId: string, request: WriteRequest, requestedBy: RequestContext): Promise<WriteOutcome>;
}
