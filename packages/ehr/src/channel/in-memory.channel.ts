/**
 * @module An EHR channel in memory, with the semantics the governed decorator relies on: versions
 * and history, `If-Match` (a stale version is EHR_CONFLICT), conditional create on an identifier,
 * search by `identifier` (`system|value`), by `patient` / `subject` (any patient reference the
 * resource carries) and by any other top-level element's value. For fast tests
 * of governance and workflows; the FHIR R4 channel is tested against the sandbox EHR.
 */
import { UserError } from '@steward/core';
import type { EhrChannel, EhrReference, EhrResource, EhrSearch } from './ehr-channel.js';
import { patientReferences } from './governed-write.js';

type Json = Record<string, unknown>;

export class InMemoryEhrChannel implements EhrChannel {
  readonly kind = 'in-memory';
  private readonly versions = new Map<string, Json[]>();
  private nextId = 1;
  /** Every call, in order (`read Patient/p1`, `create Task`), to show what reached the EHR. */
  readonly calls: string[] = [];

  /** A change made in the EHR by its own users: stores `resource` as a new version. */
  put(resource: Json & { readonly resourceType: string }): EhrResource {
    const id = typeof resource['id'] === 'string' ? resource['id'] : `m${this.nextId++}`;
    const key = `${resource.resourceType}/${id}`;
    const history = this.versions.get(key) ?? [];
    const versionId = String(history.length + 1);
    const stored = { ...resource, id, meta: { versionId } };
    this.versions.set(key, [...history, stored]);
    return { resource: stored, versionId };
  }

  read(_connectionId: string, ref: EhrReference): Promise<EhrResource> {
    this.calls.push(`read ${ref.resourceType}/${ref.id}`);
    const current = this.versions.get(`${ref.resourceType}/${ref.id}`)?.at(-1);
    if (current === undefined)
      return Promise.reject(
        new UserError('EHR_REJECTED', `${ref.resourceType} not found`, [{ path: 'http.status', message: '404' }]),
      );
    return Promise.resolve({ resource: current, versionId: versionOf(current) });
  }

  readVersion(_connectionId: string, ref: EhrReference, versionId: string): Promise<EhrResource | undefined> {
    this.calls.push(`vread ${ref.resourceType}/${ref.id}`);
    const found = this.versions.get(`${ref.resourceType}/${ref.id}`)?.[Number(versionId) - 1];
    return Promise.resolve(found === undefined ? undefined : { resource: found, versionId });
  }

  search(_connectionId: string, resourceType: string, params: EhrSearch): Promise<readonly EhrResource[]> {
    this.calls.push(`search ${resourceType}`);
    const matches = [...this.versions.entries()]
      .filter(([key]) => key.startsWith(`${resourceType}/`))
      .map(([, history]) => history.at(-1) as Json)
      .filter((r) => Object.entries(params).every(([name, value]) => matchesParam(r, name, value)));
    return Promise.resolve(matches.map((r) => ({ resource: r, versionId: versionOf(r) })));
  }

  async create(
    connectionId: string,
    resource: { readonly resourceType: string },
    ifNoneExist: string,
  ): Promise<EhrResource & { readonly created: boolean }> {
    this.calls.push(`create ${resource.resourceType}`);
    const [existing] = await this.search(connectionId, resource.resourceType, { identifier: ifNoneExist });
    if (existing !== undefined) return { ...existing, created: false };
    // The EHR assigns the id of what is created.
    const rest: Json = { ...(resource as Json) };
    delete rest['id'];
    return { ...this.put({ ...rest, resourceType: resource.resourceType }), created: true };
  }

  update(
    _connectionId: string,
    resource: { readonly resourceType: string; readonly id: string },
    ifMatch: string,
  ): Promise<EhrResource> {
    this.calls.push(`update ${resource.resourceType}/${resource.id}`);
    const current = this.versions.get(`${resource.resourceType}/${resource.id}`)?.at(-1);
    if (current === undefined) return Promise.reject(new UserError('EHR_REJECTED', 'not found'));
    if (versionOf(current) !== ifMatch)
      return Promise.reject(new UserError('EHR_CONFLICT', `${resource.resourceType} changed in the EHR`));
    return Promise.resolve(this.put({ ...(resource as Json), resourceType: resource.resourceType }));
  }
}

function versionOf(r: Json): string | undefined {
  return (r['meta'] as { versionId?: string } | undefined)?.versionId;
}

function matchesParam(r: Json, name: string, value: string): boolean {
  if (name === 'identifier') {
    const ids = (r['identifier'] as { system?: string; value?: string }[] | undefined) ?? [];
    return ids.some((i) => `${i.system ?? ''}|${i.value ?? ''}` === value);
  }
  if (name === 'patient' || name === 'subject') {
    const ref = value.startsWith('Patient/') ? value : `Patient/${value}`;
    return patientReferences(r).includes(ref);
  }
  return String(r[name]) === value;
}
