/**
 * @module /contacts: the relationships graph over HTTP — a person or organization with every
 * relationship (with its authority and whether it is current) and note, the practice's
 * relationship types, and the export (JSON, CSV or a FHIR Bundle) so the data is never locked in.
 * Import stays a command (`steward contacts import`): it reads a practice's export files and
 * reports progress. Governed below: `phi.read` to show, `phi.export` to export, all audited.
 */
import type { FastifyInstance } from 'fastify';
import { exportFormats, type ExportFormat } from '@steward/relationships';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../schemas.js';

const site = { type: 'string', pattern: '^[a-z0-9*][a-z0-9._-]{0,63}$' } as const;

export function contactRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get<{ Params: { id: string } }>(
    '/contacts/:id',
    {
      schema: {
        tags: ['contacts'],
        summary: 'A person or organization with every relationship and note',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
    },
    async (request) => kernel.relationships.graph.show(contextOf(request), request.params.id),
  );

  app.get<{ Querystring: { site: string; format: ExportFormat } }>(
    '/contacts/export',
    {
      schema: {
        tags: ['contacts'],
        summary: "Export a site's whole contact graph (JSON, CSV files, or a FHIR Bundle)",
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['site', 'format'],
          properties: { site, format: { type: 'string', enum: [...exportFormats] } },
        },
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
    },
    async (request) =>
      kernel.relationships.exporter.export(contextOf(request), request.query.site, request.query.format),
  );

  app.get<{ Querystring: { site: string } }>(
    '/contacts/relationship-types',
    {
      schema: {
        tags: ['contacts'],
        summary: "The practice's relationship types (direction, reciprocal name, authority, FHIR home)",
        querystring: { type: 'object', additionalProperties: false, required: ['site'], properties: { site } },
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
    },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'phi.read', { site: request.query.site });
      return { items: [...(await kernel.relationships.types.forSite(request.query.site)).values()] };
    },
  );
}
