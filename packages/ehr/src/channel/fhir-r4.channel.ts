/**
 * @module The first EHR channel: FHIR R4 over the connection's own `FhirClient` (SMART Backend
 * Services, egress-checked, within the connection's request budget; built once per connection by
 * `ConnectionClients`, so reads and writes share one token cache and one budget). A conditional
 * create answers 200 for a resource that already carried the key, 201 for a new one. Vendor
 * declarations (`vendors/`) stay where they are enforced today — the runtime's polling plan and
 * `steward ehr check`; this channel adds no vendor refusal of its own, so writes behave as before.
 */
import type { Bundle, Resource, ResourceType } from '@medplum/fhirtypes';
import type { FhirClient, FhirResult } from '../fhir-r4/index.js';
import type { ChannelPage, EhrChannel, EhrReference, EhrResource, EhrSearch } from './ehr-channel.js';

export class FhirR4Channel implements EhrChannel {
  readonly kind = 'fhir-r4';

  /** `clientOf` gives the connection's client (e.g. `ConnectionClients.byId`). */
  constructor(private readonly clientOf: (connectionId: string) => Promise<FhirClient>) {}

  async read(connectionId: string, ref: EhrReference): Promise<EhrResource> {
    const client = await this.clientOf(connectionId);
    return plain(await client.read(ref.resourceType as ResourceType, ref.id));
  }

  async readVersion(connectionId: string, ref: EhrReference, versionId: string): Promise<EhrResource | undefined> {
    const client = await this.clientOf(connectionId);
    try {
      return plain(await client.vread(ref.resourceType as ResourceType, ref.id, versionId));
    } catch {
      // No history at this EHR (or not this version): the caller falls back (a diff to the payload).
      return undefined;
    }
  }

  async search(connectionId: string, resourceType: string, params: EhrSearch): Promise<readonly EhrResource[]> {
    const client = await this.clientOf(connectionId);
    return matches(await client.search(resourceType as ResourceType, { ...params }));
  }

  /** One page: the first from `params`, or the one the EHR's `next` link names (same origin only). */
  async searchPage(connectionId: string, resourceType: string, params: EhrSearch, next?: string): Promise<ChannelPage> {
    const client = await this.clientOf(connectionId);
    const bundle =
      next !== undefined
        ? await client.searchNext(resourceType as ResourceType, next)
        : await client.search(resourceType as ResourceType, { ...params });
    const link = bundle.link?.find((l) => l.relation === 'next')?.url;
    return {
      resources: matches(bundle),
      ...(typeof bundle.total === 'number' ? { total: bundle.total } : {}),
      ...(link !== undefined ? { next: link } : {}),
    };
  }

  async create(
    connectionId: string,
    resource: { readonly resourceType: string },
    ifNoneExist: string,
  ): Promise<EhrResource & { readonly created: boolean }> {
    const client = await this.clientOf(connectionId);
    const result = await client.create(resource as Resource, { ifNoneExist: { identifier: ifNoneExist } });
    return { ...plain(result), created: result.status !== 200 };
  }

  async update(
    connectionId: string,
    resource: { readonly resourceType: string; readonly id: string },
    ifMatch: string,
  ): Promise<EhrResource> {
    const client = await this.clientOf(connectionId);
    return plain(await client.update(resource as Resource, { ifMatch }));
  }
}

/** The matches of a search page (included resources and outcomes left out). */
function matches(bundle: Bundle): EhrResource[] {
  return (bundle.entry ?? []).flatMap((e) =>
    e.resource !== undefined && e.search?.mode !== 'include' && e.resource.resourceType !== 'OperationOutcome'
      ? [{ resource: json(e.resource), versionId: e.resource.meta?.versionId }]
      : [],
  );
}

function plain(r: FhirResult<Resource>): EhrResource {
  return { resource: json(r.resource), versionId: r.versionId };
}

/** A FHIR resource as plain JSON (the channel port speaks JSON, not one standard's types). */
function json(resource: Resource): Readonly<Record<string, unknown>> {
  return resource as unknown as Readonly<Record<string, unknown>>;
}
