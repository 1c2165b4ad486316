/**
 * @module Medplum's MemoryRepository with what a sandbox EHR needs on top: integer version ids, a change log
 * (for type and system `_history`, and for subscriptions), and change listeners.
 *
 * Why a change log of our own: MemoryRepository 4.5's `readHistory` reverses its internal history array in
 * place, so a second call (or a later write) scrambles version order; we keep every version ourselves instead.
 * Known limits: transactions are not rolled back on failure (MemoryRepository has no rollback); deleted
 * resources read as 404 from the router, so the server turns that into 410 using `wasDeleted`.
 */
import type { WithId } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

export type ChangeKind = 'create' | 'update' | 'delete';

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
  /** Only changes at or after this instant (ISO). */
  readonly since?: string;
  readonly offset?: number;
  readonly count?: number;
}

export class SandboxRepository extends MemoryRepository {
  readonly #log: ResourceChange[] = [];
  readonly #versions = new Map<string, WithId<Resource>[]>();
  readonly #deleted = new Set<string>();
  readonly #listeners = new Set<ChangeListener>();

  /** Calls `listener` after every committed write (create, update, delete), in commit order. */
  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** MemoryRepository routes updates through createResource, so this sees every write. */
  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const copy = structuredClone(resource);
    const id = copy.id ?? this.generateId();
    copy.id = id;
    const key = `${copy.resourceType}/${id}`;
    const prior = this.#versions.get(key) ?? [];
    // The server, not the client, assigns version and time.
    copy.meta = { ...copy.meta, versionId: String(prior.length + 1), lastUpdated: new Date().toISOString() };
    const saved = await super.createResource(copy);
    prior.push(structuredClone(saved) as unknown as WithId<Resource>);
    this.#versions.set(key, prior);
    const wasDeleted = this.#deleted.delete(key);
    this.#record({
      kind: prior.length === 1 || wasDeleted ? 'create' : 'update',
      resourceType: saved.resourceType,
      id,
      resource: structuredClone(saved) as unknown as WithId<Resource>,
      at: saved.meta?.lastUpdated ?? new Date().toISOString(),
    });
    return saved;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.#deleted.add(`${resourceType}/${id}`);
    this.#record({ kind: 'delete', resourceType, id, at: new Date().toISOString() });
  }

  override async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<T>> {
    const versions = this.#versions.get(`${resourceType}/${id}`);
    if (!versions) await super.readResource(resourceType, id); // throws the router's not-found outcome
    const entry = [...(versions ?? [])].reverse().map((r) => ({ resource: structuredClone(r) as T }));
    return { resourceType: 'Bundle', type: 'history', total: entry.length, ...(entry.length ? { entry } : {}) };
  }

  /** Whether a resource existed and was deleted (so a read should say 410 Gone, not 404). */
  wasDeleted(resourceType: string, id: string): boolean {
    return this.#deleted.has(`${resourceType}/${id}`);
  }

  /** Type-level or system-level history, newest first, as Bundle entries (without links). */
  changeHistory(options: HistoryOptions): { total: number; entry: BundleEntry[] } {
    const matching = this.#log.filter(
      (c) =>
        (options.resourceType === undefined || c.resourceType === options.resourceType) &&
        (options.since === undefined || c.at >= options.since),
    );
    matching.reverse();
    const start = options.offset ?? 0;
    const page = matching.slice(start, options.count === undefined ? undefined : start + options.count);
    const entry = page.map((c): BundleEntry => {
      const method = c.kind === 'create' ? 'POST' : c.kind === 'update' ? 'PUT' : 'DELETE';
      const url = c.kind === 'create' ? c.resourceType : `${c.resourceType}/${c.id}`;
      return {
        ...(c.resource ? { resource: structuredClone(c.resource) } : {}),
        request: { method, url },
        response: { status: c.kind === 'create' ? '201' : c.kind === 'update' ? '200' : '204', lastModified: c.at },
      };
    });
    return { total: matching.length, entry };
  }

  #record(change: ResourceChange): void {
    this.#log.push(change);
    for (const listener of this.#listeners) listener(change);
  }
}
