/**
 * An EHR in memory behind the applier's port, with the writer's semantics that proposals rely
 * on: versions and history, `If-Match` (a stale base version is EHR_CONFLICT unless the resource
 * already holds what is being written), creates made idempotent by their key, and the wrong-chart
 * reference check. For fast tests of review and commit; the real writer is tested against the
 * sandbox EHR. `failNext` injects an error for the next write.
 */
import { UserError } from '@steward/core';
import type { WriteOutcome, WriteRequest } from '@steward/ehr';
import type { EhrPort, EhrResource } from './ehr-port.js';

type Json = Record<string, unknown>;

export class InMemoryEhr implements EhrPort {
  private readonly versions = new Map<string, Json[]>();
  private readonly keys = new Map<string, string>();
  private nextId = 1;
  private failure: Error | undefined;
  /** Every write request received, in order (including refused ones). */
  readonly writes: WriteRequest[] = [];

  /** A change made in the EHR by its own users: stores `resource` as a new version. */
  put(resource: Json & { resourceType: string }): EhrResource {
    const id = typeof resource['id'] === 'string' ? resource['id'] : String(this.nextId++);
    const key = `${resource.resourceType}/${id}`;
    const history = this.versions.get(key) ?? [];
    const versionId = String(history.length + 1);
    const stored = { ...resource, id, meta: { versionId } };
    this.versions.set(key, [...history, stored]);
    return { resource: stored, versionId };
  }

  failNext(error: Error): void {
    this.failure = error;
  }

  read(_connectionId: string, resourceType: string, id: string): Promise<EhrResource> {
    const current = this.versions.get(`${resourceType}/${id}`)?.at(-1);
    if (current === undefined) return Promise.reject(new UserError('EHR_REJECTED', `${resourceType} not found`));
    return Promise.resolve({ resource: current, versionId: versionOf(current) });
  }

  readVersion(_c: string, resourceType: string, id: string, versionId: string): Promise<Json | undefined> {
    return Promise.resolve(this.versions.get(`${resourceType}/${id}`)?.[Number(versionId) - 1]);
  }

  /** Ignores who asked: the real port writes as the connection's actor. */
  write(_connectionId: string, request: WriteRequest): Promise<WriteOutcome> {
    this.writes.push(request);
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) return Promise.reject(failure);
    const resource = request.resource as unknown as Json & { resourceType: string };
    if (!JSON.stringify(resource).includes(`"Patient/${request.patient.ehrId}"`))
      return Promise.reject(new UserError('EHR_WRONG_PATIENT', 'the resource does not point at its patient'));
    if (request.kind === 'create') {
      const existing = this.keys.get(request.idempotencyKey);
      if (existing !== undefined) {
        const [type, id] = existing.split('/') as [string, string];
        return this.outcome('already-written', type, id);
      }
      const { resource: stored } = this.put({ ...resource, id: undefined });
      this.keys.set(request.idempotencyKey, `${resource.resourceType}/${String(stored['id'])}`);
      return this.outcome('written', resource.resourceType, String(stored['id']));
    }
    const key = `${resource.resourceType}/${request.resource.id}`;
    const current = this.versions.get(key)?.at(-1);
    if (current === undefined) return Promise.reject(new UserError('EHR_REJECTED', 'not found'));
    if (versionOf(current) !== request.baseVersion) {
      if (holds(current, resource)) return this.outcome('already-written', resource.resourceType, request.resource.id);
      return Promise.reject(new UserError('EHR_CONFLICT', `${resource.resourceType} changed in the EHR`));
    }
    this.put(resource);
    return this.outcome('written', resource.resourceType, request.resource.id);
  }

  private outcome(status: WriteOutcome['status'], resourceType: string, id: string): Promise<WriteOutcome> {
    const current = this.versions.get(`${resourceType}/${id}`)?.at(-1);
    return Promise.resolve({ status, resourceType, id, versionId: current && versionOf(current), attempts: 1 });
  }
}

function versionOf(r: Json): string | undefined {
  return (r['meta'] as { versionId?: string } | undefined)?.versionId;
}

/** Whether `current` holds every top-level element of `sent` (meta, text aside), as the writer checks. */
export function holds(current: Readonly<Json>, sent: Readonly<Json>): boolean {
  for (const [k, v] of Object.entries(sent)) {
    if (k === 'meta' || k === 'text') continue;
    if (stable(current[k]) !== stable(v)) return false;
  }
  return true;
}

function stable(v: unknown): string {
  return (
    JSON.stringify(v, (_k, x: unknown) =>
      x !== null && typeof x === 'object' && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : x,
    ) ?? 'undefined'
  );
}
