/**
 * @module Governed FHIR R4 reads through Steward's facade (`/fhir/R4/<connection>/…`): the EHR is
 * reached only through Steward, which decides, audits each patient read and removes the elements
 * outside the caller's purpose of use. Errors are OperationOutcomes, thrown as StewardApiError.
 */
import type { Bundle, CapabilityStatement, Resource, ResourceType } from '@medplum/fhirtypes';
import type { StewardTransport } from './client.js';
import { StewardApiError } from './errors.js';

export type SearchParams = Readonly<Record<string, string | number | readonly (string | number)[]>>;

const fhirJson = { accept: 'application/fhir+json' };

export class FhirReads {
  constructor(private readonly transport: StewardTransport) {}

  /** What the facade serves for a connection: resource types and search parameters. */
  async capabilities(connection: string): Promise<CapabilityStatement> {
    return this.get<CapabilityStatement>(`${base(connection)}/metadata`);
  }

  /** One resource; a record outside the caller's scope is NOT_FOUND, exactly like a missing one. */
  async read<T extends Resource>(connection: string, type: T['resourceType'], id: string): Promise<T> {
    return this.get<T>(`${base(connection)}/${encodeURIComponent(type)}/${encodeURIComponent(id)}`);
  }

  /** The first page of a search. Patient-compartment types must name `patient` (or `subject`). */
  async search<T extends Resource>(
    connection: string,
    type: T['resourceType'] & ResourceType,
    params: SearchParams = {},
  ): Promise<Bundle<T>> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params))
      for (const v of Array.isArray(value) ? value : [value]) query.append(name, String(v));
    const q = query.toString();
    return this.get<Bundle<T>>(`${base(connection)}/${encodeURIComponent(type)}${q === '' ? '' : `?${q}`}`);
  }

  /** Every matching resource, page after page (the facade's `next` links), up to `maxPages`. */
  async *searchAll<T extends Resource>(
    connection: string,
    type: T['resourceType'] & ResourceType,
    params: SearchParams = {},
    maxPages = 100,
  ): AsyncGenerator<T> {
    let page: Bundle<T> | undefined = await this.search<T>(connection, type, params);
    for (let n = 1; page !== undefined; n++) {
      for (const entry of page.entry ?? []) if (entry.resource !== undefined) yield entry.resource;
      const next: string | undefined = page.link?.find((l) => l.relation === 'next')?.url;
      if (next === undefined || n >= maxPages) return;
      page = await this.get<Bundle<T>>(this.samePlace(next));
    }
  }

  /** A `next` link must point back at this Steward: a token is never sent anywhere else. */
  private samePlace(link: string): string {
    const url = new URL(link, this.transport.baseUrl);
    const base = new URL(this.transport.baseUrl);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname))
      throw new StewardApiError(502, 'FOREIGN_LINK', 'the facade answered a paging link outside Steward; not followed');
    return url.pathname.slice(base.pathname.length) + url.search;
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.transport.request(path, { headers: fhirJson });
    return (await response.json()) as T;
  }
}

const base = (connection: string) => `fhir/R4/${encodeURIComponent(connection)}`;
