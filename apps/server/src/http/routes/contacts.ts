/**
 * @module /contacts: the relationships graph over HTTP — a person or organization with every
 * relationship (with its authority and whether it is current) and note, a search by name, the practice's
 * relationship types, the import of a practice's export (`steward contacts import` reads the
 * files and sends their rows; the console uploads the files themselves, parsed by the same reader;
 * either may ask for a dry run) and the export (JSON, CSV or a FHIR Bundle) so the data is never
 * locked in. Governed below: `phi.read` to show, `phi.write` to import, `phi.export` to export,
 * all audited.
 */
import type { FastifyInstance } from 'fastify';
import { contactSourceOfFiles, parseMapping, type SourceRow } from '@steward/relationships';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import {
  ContactExportQuery,
  ContactGraph,
  ContactImportBody,
  ContactImportFilesBody,
  ContactImportReport,
  ContactParams,
  ContactSearchQuery,
  ContactSearchResult,
  ContactSiteQuery,
} from '../contract/config.js';
import { typed } from '../typed.js';

/**
 * A practice's whole export in one body: far above the API's usual limit. The import holds the
 * whole source in memory anyway (a known limit of the migration); the body is parsed only after
 * the caller is authenticated.
 */
const importBodyLimitBytes = 64 * 1024 * 1024;

export function contactRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'relationships'>): void {
  const api = typed(app);
  api.post(
    '/contacts/import',
    {
      bodyLimit: importBodyLimitBytes,
      schema: {
        tags: ['contacts'],
        summary: "Import a practice's contacts, relationships and notes; answers the reconciliation report",
        body: ContactImportBody,
        response: { 200: ContactImportReport, ...errors },
      },
    },
    async (request) => {
      const { site, dryRun, mapping, digest, contacts, relationships, notes } = request.body;
      // A row without values is one the CLI could not parse: it is listed as not imported, with its problem.
      const rows = (list: typeof contacts): SourceRow[] =>
        list.map((r) => ({
          file: r.file,
          row: r.row,
          values: r.values,
          ...(r.problem !== undefined ? { problem: r.problem } : {}),
        }));
      return kernel.relationships.migration.run(
        contextOf(request),
        {
          mapping: parseMapping(mapping, 'mapping'),
          digest,
          contacts: rows(contacts),
          relationships: rows(relationships),
          notes: rows(notes),
        },
        { site, dryRun: dryRun === true },
      );
    },
  );
  api.post(
    '/contacts/import/files',
    {
      bodyLimit: importBodyLimitBytes,
      schema: {
        tags: ['contacts'],
        summary:
          "Import a practice's uploaded files (mapping, contacts and the files it names); `dryRun` answers the report without writing",
        body: ContactImportFilesBody,
        response: { 200: ContactImportReport, ...errors },
      },
    },
    async (request) => {
      const { site, dryRun, mapping, contacts, files } = request.body;
      const file = (f: { name: string; content: string }) => ({ name: f.name, bytes: Buffer.from(f.content, 'utf8') });
      const source = await contactSourceOfFiles(file(mapping), file(contacts), files.map(file));
      return kernel.relationships.migration.run(contextOf(request), source, { site, dryRun: dryRun === true });
    },
  );
  api.get(
    '/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Find people and organizations at a site by name, birth date (YYYY-MM-DD) or phone',
        querystring: ContactSearchQuery,
        response: { 200: ContactSearchResult, ...errors },
      },
    },
    async (request) => kernel.relationships.graph.search(contextOf(request), request.query.site, request.query.q),
  );
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
