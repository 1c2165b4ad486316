/**
 * @module `steward directory search|show|network`: the clinic directory (practitioners, roles,
 * organizations, locations, services per EHR connection) through the server's API. Reading needs
 * `directory.read` (every staff role); `network` marks an organization in or out of the clinic's
 * network (or clears it with `none`), which needs `config.manage` and is audited by the server.
 */
import { ValidationError } from '@steward/core';
import type { DirectoryEntry, NetworkMark } from '@steward/clinic';
import { connect, query, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';

export interface DirectorySearchFlags {
  readonly kind?: string;
  readonly connection?: string;
  readonly unresolved?: boolean;
  readonly network?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

const kinds = ['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'HealthcareService'];

export async function directorySearch(
  g: GlobalOptions,
  text: string | undefined,
  o: DirectorySearchFlags,
): Promise<void> {
  if (o.kind !== undefined && !kinds.includes(o.kind))
    throw new ValidationError('unknown kind', [{ path: '--kind', message: kinds.join(', ') }]);
  if (o.network !== undefined && o.network !== 'in' && o.network !== 'out')
    throw new ValidationError('bad network', [{ path: '--network', message: 'in or out' }]);
  const limit = o.limit !== undefined ? Number(o.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 200))
    throw new ValidationError('bad limit', [{ path: '--limit', message: '1 to 200' }]);
  const { items } = await connect(g).request<{ items: DirectoryEntry[] }>(
    'GET',
    `/directory${query({
      q: text,
      kind: o.kind,
      connection: o.connection,
      status: o.unresolved === true ? 'unresolved' : undefined,
      network: o.network,
      limit,
    })}`,
  );
  if (o.json === true) {
    printJson(g.io.stdout, { items });
    return;
  }
  printTable(
    g.io.stdout,
    items.map((e) => ({
      id: e.id,
      kind: e.kind,
      name: e.name ?? '(unresolved)',
      reference: e.reference,
      specialty: e.specialties[0] ?? '',
      organization: e.organizationName ?? '',
      network: e.network ?? '',
      from: e.sources.join(','),
    })),
    ['id', 'kind', 'name', 'reference', 'specialty', 'organization', 'network', 'from'],
  );
}

export async function directoryShow(g: GlobalOptions, id: string, o: { json?: boolean }): Promise<void> {
  const e = await connect(g).request<DirectoryEntry & { resolvedNetwork: NetworkMark | null }>(
    'GET',
    `/directory/${encodeURIComponent(id)}`,
  );
  if (o.json === true) {
    printJson(g.io.stdout, e);
    return;
  }
  const lines: [string, string][] = [
    ['name', e.name ?? '(unresolved)'],
    ['kind', e.kind],
    ['reference', e.reference],
    ['status', e.status + (e.lastError !== null ? ` (last read: ${e.lastError})` : '')],
    ['identifiers', e.identifiers.map((i) => `${i.system}|${i.value}`).join(', ')],
    ['specialties', e.specialties.join(', ')],
    ['telecom', e.telecom.map((t) => `${t.system}: ${t.value}`).join(', ')],
    ['address', e.address ?? ''],
    ['organization', e.links.organization ?? e.organizationName ?? ''],
    ['network', e.resolvedNetwork ?? 'unknown'],
    ['learned from', e.sources.join(', ')],
    ['updated', e.updatedAt],
  ];
  for (const [k, v] of lines) if (v !== '') g.io.stdout.write(`${k.padEnd(13)} ${v}\n`);
}

export async function directoryNetwork(g: GlobalOptions, id: string, mark: string): Promise<void> {
  if (mark !== 'in' && mark !== 'out' && mark !== 'none')
    throw new ValidationError('bad network mark', [{ path: 'mark', message: 'in, out or none' }]);
  const e = await connect(g).request<DirectoryEntry>('PUT', `/directory/${encodeURIComponent(id)}/network`, {
    network: mark === 'none' ? null : mark,
  });
  g.io.stdout.write(`${e.name ?? e.reference}: ${e.network ?? 'no network mark'}\n`);
}
