/**
 * @module Medplum's MemoryRepository with what a sandbox EHR needs on top: every write validated against the R4
 * definitions, integer version ids, units of work that commit or roll back whole (so a transaction Bundle is
 * atomic), a change log (for `_history` and subscriptions), change listeners, and an optional journal that makes
 * every committed unit durable before it is acknowledged.
 *
 * How units work: every write (create, update, patch, delete, or a whole transaction through `withTransaction`)
 * runs under one lock, in an AsyncLocalStorage context; writes inside join the unit. Each change records how to
 * undo itself; a unit that throws is undone in reverse order, one that returns is journaled (fsync) and only then
 * logged and announced to listeners. Known limit: reads are not locked, so a search during a transaction may see
 * its uncommitted writes (there is no isolation beyond the write lock).
 *
 * Why a change log of our own: MemoryRepository's `readHistory` (4.5 and 5.2) reverses its internal history array in
 * place and keeps rolled-back versions; we keep every committed version ourselves instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SearchRequest, WithId } from '@medplum/core';
import { notFound, OperationOutcomeError } from '@medplum/core';
import { FhirRepository, MemoryRepository } from '@medplum/fhir-router';
import type { CreateResourceOptions } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { Journal, JournalRecord } from '../persistence/index.js';
import { validateR4 } from './validation.js';

export type ChangeKind = 'create' | 'update' | 'delete';

/**
 * A deep copy of a resource, which is FHIR JSON: objects, arrays, strings, numbers, booleans and
 * null only (parsed from a request or a fixture). About twice as fast as `structuredClone` on
 * Synthea's resources, and every write to the sandbox makes three copies and every read one.
 */
function copyResource<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => copyResource(v)) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyResource((value as Record<string, unknown>)[key]);
  return out as T;
}

export interface ResourceChange {
  readonly kind: ChangeKind;
  readonly resourceType: string;
  readonly id: string;
  /** The stored version; absent for a delete. */
  readonly resource?: WithId<Resource>;
  readonly at: string;
}

export type ChangeListener = (change: ResourceChange) => void;

export interface HistoryOptions {
  readonly resourceType?: string;
  /** With resourceType: one resource's history. */
  readonly id?: string;
  /** Only changes at or after this instant (epoch ms). */
  readonly since?: number;
  readonly offset?: number;
  readonly count?: number;
}

export interface SandboxRepositoryOptions {
  /** Where committed units go before they are acknowledged; none keeps everything in memory only. */
  readonly journal?: Journal;
}

interface Unit {
  readonly undo: (() => void)[];
  readonly changes: ResourceChange[];
  /** False only for `importUnit` (known-good data such as the seed). */
  readonly validate: boolean;
}

const base = MemoryRepository.prototype;
/**
 * MemoryRepository's own writes (no validation, versioning or unit): synchronous inside, so the map changes now.
 * As an update (the id may exist) and seeding, since Medplum 5 otherwise replaces the version id and time we set.
 */
const rawPut = (repo: MemoryRepository, resource: Resource): void => {
  void repo.withSeeding(() => base.createResource.call(repo, resource, undefined, true));
};
const rawDelete = (repo: MemoryRepository, resourceType: string, id: string): void => {
  base.deleteResource.call(repo, resourceType, id).catch(() => undefined);
};

type ConditionalCreated<T extends Resource> = Promise<{ resource: WithId<T>; outcome: OperationOutcome }>;
/** FhirRepository's own methods, e.g. its search-then-create (through withTransaction and createResource, so ours). */
const generic = FhirRepository.prototype;

export class SandboxRepository extends MemoryRepository {
  readonly #log: ResourceChange[] = [];
  /** Each change's time in epoch ms, parsed once (a history read filters the whole log by it). */
  readonly #logAt: number[] = [];
  /** Positions in the log by resource type, so a type's history does not scan every other type's changes. */
  readonly #logByType = new Map<string, number[]>();
  readonly #versions = new Map<string, WithId<Resource>[]>();
  readonly #deleted = new Set<string>();
  readonly #listeners = new Set<ChangeListener>();
  readonly #unit = new AsyncLocalStorage<Unit>();
  readonly #meta = new Map<string, unknown>();
  readonly #journal: Journal | undefined;
  #lock: Promise<void> = Promise.resolve();

  /** The time a write is stamped with (`meta.lastUpdated`): the real clock unless a clinic simulator sets its own. */
  #clock: () => number = Date.now;

  constructor(options: SandboxRepositoryOptions = {}) {
    super();
    this.#journal = options.journal;
    if (this.#journal) this.#replay(this.#journal.open().records);
  }

  /**
   * Stamps later writes with `now` instead of the real clock: the demo's clinic plays its past on
   * its own clock, so the EHR's record times are the clinic's (never later than the real clock).
   */
  useClock(now: () => number): void {
    this.#clock = now;
  }

  /** The time the next write would be stamped with (epoch ms). */
  now(): number {
    return this.#clock();
  }

  /** Calls `listener` after every committed write (create, update, delete), in commit order. */
  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A value kept with the data (e.g. that the seed was applied), journaled like a write. */
  meta<T>(key: string): T | undefined {
    return this.#meta.get(key) as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.#exclusive(() => {
      this.#journal?.append([{ kind: 'meta', key, value }]);
      this.#meta.set(key, structuredClone(value));
      return Promise.resolve();
    });
  }

  /** How many committed changes the store holds (all versions and deletes). */
  get changeCount(): number {
    return this.#log.length;
  }

  override createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    return this.#exclusive(() => Promise.resolve(this.#store(resource)));
  }

  override updateResource<T extends Resource>(
    resource: T,
    options?: Parameters<MemoryRepository['updateResource']>[1],
  ): Promise<WithId<T>> {
    return this.#exclusive(() => super.updateResource(resource, options));
  }

  override patchResource<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    patch: Parameters<MemoryRepository['patchResource']>[2],
  ): Promise<WithId<T>> {
    return this.#exclusive(() => super.patchResource<T>(resourceType, id, patch));
  }

  override deleteResource(resourceType: string, id: string): Promise<void> {
    return this.#exclusive(async () => {
      const key = `${resourceType}/${id}`;
      const prior = this.#versions.get(key);
      const current = prior?.[prior.length - 1];
      await base.deleteResource.call(this, resourceType, id); // throws not-found when absent
      this.#deleted.add(key);
      this.#currentUnit().undo.push(() => {
        this.#deleted.delete(key);
        if (current) rawPut(this, copyResource(current));
      });
      this.#currentUnit().changes.push({ kind: 'delete', resourceType, id, at: new Date(this.#clock()).toISOString() });
    });
  }

  /** One unit of work: everything the callback writes commits together or not at all. */
  override withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    return this.#exclusive(() => callback(this));
  }

  /**
   * The generic search-then-create in one unit: Medplum 5's MemoryRepository stores a conditional create
   * directly, which would skip validation, versioning and the unit.
   */
  override conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): ConditionalCreated<T> {
    return generic.conditionalCreate.call<
      FhirRepository,
      [T, SearchRequest<T>, CreateResourceOptions?],
      ConditionalCreated<T>
    >(this, resource, search, options);
  }

  /**
   * One unit of work for loading known-good data (the Synthea seed, which the seed test validates): not
   * validated again, journaled as one line, all or nothing.
   */
  importUnit<T>(callback: () => Promise<T>): Promise<T> {
    return this.#exclusive(callback, false);
  }

  override readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<T>> {
    const versions = this.#versions.get(`${resourceType}/${id}`);
    if (!versions) return Promise.reject(new OperationOutcomeError(notFound));
    const entry = [...versions].reverse().map((r) => ({ resource: copyResource(r) as T }));
    return Promise.resolve({
      resourceType: 'Bundle',
      type: 'history',
      total: entry.length,
      ...(entry.length ? { entry } : {}),
    });
  }

  override readVersion<T extends Resource>(resourceType: string, id: string, versionId: string): Promise<T> {
    const version = this.#versions.get(`${resourceType}/${id}`)?.find((v) => v.meta?.versionId === versionId);
    if (!version) return Promise.reject(new OperationOutcomeError(notFound));
    return Promise.resolve(copyResource(version) as T);
  }

  /** Whether a resource existed and was deleted (so a read should say 410 Gone, not 404). */
  wasDeleted(resourceType: string, id: string): boolean {
    return this.#deleted.has(`${resourceType}/${id}`);
  }

  /** Whether the resource ever existed (has at least one version, deleted or not). */
  hasHistory(resourceType: string, id: string): boolean {
    return this.#versions.has(`${resourceType}/${id}`);
  }

  /** System, type or instance history, newest first, as Bundle entries with request and response (no links). */
  changeHistory(options: HistoryOptions): { total: number; entry: BundleEntry[] } {
    const matching: ResourceChange[] = [];
    const positions =
      options.resourceType === undefined ? undefined : (this.#logByType.get(options.resourceType) ?? []);
    for (let n = (positions ?? this.#log).length - 1; n >= 0; n--) {
      const i = positions === undefined ? n : positions[n]!;
      const c = this.#log[i]!;
      if (
        (options.resourceType === undefined || c.resourceType === options.resourceType) &&
        (options.id === undefined || c.id === options.id) &&
        (options.since === undefined || this.#logAt[i]! >= options.since)
      )
        matching.push(c);
    }
    const start = options.offset ?? 0;
    const page = matching.slice(start, options.count === undefined ? undefined : start + options.count);
    const entry = page.map((c): BundleEntry => {
      const method = c.kind === 'create' ? 'POST' : c.kind === 'update' ? 'PUT' : 'DELETE';
      const url = c.kind === 'create' ? c.resourceType : `${c.resourceType}/${c.id}`;
      const version = c.resource?.meta?.versionId;
      return {
        ...(c.resource ? { resource: copyResource(c.resource) } : {}),
        request: { method, url },
        response: {
          status: c.kind === 'create' ? '201 Created' : c.kind === 'update' ? '200 OK' : '204 No Content',
          ...(version ? { etag: `W/"${version}"` } : {}),
          lastModified: c.at,
        },
      };
    });
    return { total: matching.length, entry };
  }

  #currentUnit(): Unit {
    const unit = this.#unit.getStore();
    if (!unit) throw new Error('a write outside a unit of work');
    return unit;
  }

  /** Runs `fn` as a unit of work, or inside the caller's unit when there is one. */
  async #exclusive<T>(fn: () => Promise<T>, validate = true): Promise<T> {
    if (this.#unit.getStore()) return fn();
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const unit: Unit = { undo: [], changes: [], validate };
    try {
      let result: T;
      try {
        result = await this.#unit.run(unit, fn);
        if (unit.changes.length > 0) this.#journal?.append([{ kind: 'changes', changes: unit.changes }]);
      } catch (e) {
        for (const undo of unit.undo.reverse()) undo();
        throw e;
      }
      for (const change of unit.changes) this.#commit(change);
      return result;
    } finally {
      release();
    }
  }

  /** Validates and stores one version; the caller's unit learns how to undo it. */
  #store<T extends Resource>(resource: T): WithId<T> {
    const copy = copyResource(resource);
    const id = copy.id ?? this.generateId();
    copy.id = id;
    const key = `${copy.resourceType}/${id}`;
    const prior = this.#versions.get(key) ?? [];
    // The server, not the client, assigns version and time.
    copy.meta = {
      ...copy.meta,
      versionId: String(prior.length + 1),
      lastUpdated: new Date(this.#clock()).toISOString(),
    };
    const unit = this.#currentUnit();
    if (unit.validate) validateR4(copy);
    const current = prior[prior.length - 1];
    const wasDeleted = this.#deleted.has(key);
    rawPut(this, copy);
    // One stored snapshot serves the version list and the change log; both hand out copies only.
    const stored = copyResource(copy) as WithId<Resource>;
    prior.push(stored);
    this.#versions.set(key, prior);
    this.#deleted.delete(key);
    unit.undo.push(() => {
      prior.pop();
      if (prior.length === 0) this.#versions.delete(key);
      if (wasDeleted) this.#deleted.add(key);
      if (current && !wasDeleted) rawPut(this, copyResource(current));
      else rawDelete(this, copy.resourceType, id);
    });
    unit.changes.push({
      kind: prior.length === 1 || wasDeleted ? 'create' : 'update',
      resourceType: copy.resourceType,
      id,
      resource: stored,
      at: copy.meta.lastUpdated ?? new Date().toISOString(),
    });
    return copyResource(copy) as WithId<T>;
  }

  #commit(change: ResourceChange): void {
    this.#append(change);
    for (const listener of this.#listeners) listener(change);
  }

  /** Rebuilds the store from the journal, as committed, without validating or versioning again. */
  #replay(records: readonly JournalRecord[]): void {
    for (const record of records) {
      if (record.kind === 'meta') {
        this.#meta.set(record.key, record.value);
        continue;
      }
      for (const change of record.changes as ResourceChange[]) {
        const key = `${change.resourceType}/${change.id}`;
        if (change.kind === 'delete') {
          rawDelete(this, change.resourceType, change.id);
          this.#deleted.add(key);
        } else if (change.resource) {
          rawPut(this, copyResource(change.resource));
          const versions = this.#versions.get(key) ?? [];
          versions.push(change.resource);
          this.#versions.set(key, versions);
          this.#deleted.delete(key);
        }
        this.#append(change);
      }
    }
  }

  #append(change: ResourceChange): void {
    const positions = this.#logByType.get(change.resourceType) ?? [];
    positions.push(this.#log.length);
    this.#logByType.set(change.resourceType, positions);
    this.#log.push(change);
    this.#logAt.push(Date.parse(change.at));
  }
}
