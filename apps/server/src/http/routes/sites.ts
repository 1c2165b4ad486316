/**
 * @module /sites: the clinic's sites as admin-managed records (config.manage), each call one
 * governed method of the site registry (decide, change, audit). A site referenced by grants or
 * EHR connections without a record is listed with `configured: false`.
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { NewSiteBody, Site, SiteList, SiteListing, SiteParams, UpdateSiteBody } from '../contract/sites.js';
import { typed } from '../typed.js';

export function siteRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'sites' | 'roster'>): void {
  const api = typed(app);
  api.get(
    '/sites',
    {
      schema: {
        tags: ['sites'],
        summary: 'The configured sites, and the sites grants or connections name without a record (not configured)',
        response: { 200: SiteList, ...errors },
      },
    },
    async (request) => {
      const items = await kernel.sites.list(contextOf(request));
      const names = await kernel.roster.actorNames(items.flatMap((i) => (i.site !== null ? [i.site.updatedBy] : [])));
      return {
        items: items.map((i) =>
          i.site !== null ? { ...i, site: { ...i.site, updatedByName: names.get(i.site.updatedBy) } } : i,
        ),
      };
    },
  );
  api.get(
    '/sites/:id',
    {
      schema: {
        tags: ['sites'],
        summary: 'One site: its record, or a referenced site not configured yet',
        params: SiteParams,
        response: { 200: SiteListing, ...errors },
      },
    },
    async (request) => kernel.sites.show(contextOf(request), request.params.id),
  );
  api.post(
    '/sites',
    {
      schema: {
        tags: ['sites'],
        summary:
          'Configure a site: name and IANA zone required; hours Mon–Fri 08:00–17:00 and quiet 20:00–08:00 unless given',
        body: NewSiteBody,
        response: { 201: Site, ...errors },
      },
    },
    async (request, reply) => {
      const { id, ...input } = request.body;
      const site = await kernel.sites.add(contextOf(request), id, input);
      void reply.status(201);
      return site;
    },
  );
  api.patch(
    '/sites/:id',
    {
      schema: {
        tags: ['sites'],
        summary: "Change a site's fields given (the others stay); expectedVersion refuses a stale change",
        params: SiteParams,
        body: UpdateSiteBody,
        response: { 200: Site, ...errors },
      },
    },
    async (request) => {
      const { expectedVersion, ...input } = request.body;
      return kernel.sites.update(contextOf(request), request.params.id, input, expectedVersion);
    },
  );
}
