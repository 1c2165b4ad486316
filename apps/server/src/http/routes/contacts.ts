/**
 * @module /contacts: the relationships graph over HTTP — a person or organization with every
 * relationship (with its authority and whether it is current) and note, the practice's
 * relationship types, and the export (JSON, CSV or a FHIR Bundle) so the data is never locked in.
 * Import stays a command (`steward contacts import`): it reads a practice's export files and
 * reports progress. Governed below: `phi.read` to show, `phi.export` to export, all audited.
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { ContactExportQuery, ContactGraph, ContactParams, ContactSiteQuery } from '../contract/config.js';
import { typed } from '../typed.js';

export function contactRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'relationships'>): void {
  const api = typed(app);
  api.get(
    '/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'A person or organization with every relationship and note',
        params: ContactParams,
        response: { 200: ContactGraph, ...errors },
      },
    },
    async (request) => kernel.relationships.graph.show(contextOf(request), request.params.id),
  );

  api.get(
    '/contacts/export',
    {
      schema: {
        tags: ['contacts'],
        summary: "Export a site's whole contact graph (JSON, CSV files, or a FHIR Bundle)",
        querystring: ContactExportQuery,
        response: { 200: ContactGraph, ...errors },
      },
    },
    async (request) =>
      kernel.relationships.exporter.export(contextOf(request), request.query.site, request.query.format),
  );

  api.get(
    '/contacts/relationship-types',
    {
      schema: {
        tags: ['contacts'],
        summary: "The practice's relationship types (direction, reciprocal name, authority, FHIR home)",
        querystring: ContactSiteQuery,
        response: { 200: ContactGraph, ...errors },
      },
    },
    async (request) => ({ items: await kernel.relationships.types.list(contextOf(request), request.query.site) }),
  );
}
