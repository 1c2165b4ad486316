/**
 * @module /directory: the clinic directory — practitioners, practitioner roles, organizations,
 * locations and healthcare services per EHR connection, as Steward learned them from FHIR and
 * HL7 v2 — searched and shown to every staff role (`directory.read`; not PHI). PUT
 * /directory/:id/network marks an organization in or out of the clinic's network (or clears the
 * mark): `config.manage`, audited. The governed act is the clinic package's DirectoryService.
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams } from '../contract/common.js';
import {
  DirectoryEntry,
  DirectoryEntryDetail,
  DirectoryList,
  DirectoryQuery,
  NetworkBody,
} from '../contract/directory.js';
import { typed } from '../typed.js';

export function directoryRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'directory'>): void {
  const api = typed(app);

  api.get(
    '/directory',
    {
      schema: {
        tags: ['directory'],
        summary: 'Search the directory by name, identifier or EHR id; filter by kind, connection, status, network',
        querystring: DirectoryQuery,
        response: { 200: DirectoryList, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await kernel.directory.search(contextOf(request), {
        ...(q.q !== undefined ? { q: q.q } : {}),
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
        ...(q.connection !== undefined ? { connectionId: q.connection } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.network !== undefined ? { network: q.network } : {}),
        ...(q.limit !== undefined ? { limit: Math.min(Number(q.limit), 200) } : {}),
      });
      return { items };
    },
  );

  api.get(
    '/directory/:id',
    {
      schema: {
        tags: ['directory'],
        summary: 'One directory entry: names, identifiers, specialties, contact points, links, network',
        params: IdParams,
        response: { 200: DirectoryEntryDetail, ...errors },
      },
    },
    async (request) => kernel.directory.show(contextOf(request), request.params.id),
  );

  api.put(
    '/directory/:id/network',
    {
      schema: {
        tags: ['directory'],
        summary: "Mark an organization in or out of the clinic's network (null clears the mark); audited",
        params: IdParams,
        body: NetworkBody,
        response: { 200: DirectoryEntry, ...errors },
      },
    },
    async (request) => kernel.directory.setNetwork(contextOf(request), request.params.id, request.body.network),
  );
}
