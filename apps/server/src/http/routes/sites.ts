/**
 * @module /sites: the clinic's sites as admin-managed records (config.manage), each call one
 * governed method of the site registry (decide, change, audit). A site referenced by grants or
 * EHR connections without a record is listed with `configured: false`.
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { NewSiteBody, Site, SiteList, SiteListing, SiteParams, SiteZones, UpdateSiteBody } from '../contract/sites.js';
import { typed } from '../typed.js';

/** Where a site has neither a record nor a connection: the registry's own default. */
const fallbackZone = 'America/New_York';

export function siteRoutes(
  app: FastifyInstance,
  kernel: Pick<Kernel, 'sites' | 'roster' | 'grants' | 'connections'>,
): void {
  const api = typed(app);
  api.get(
    '/site-zones',
    {
      schema: {
        tags: ['sites'],
        summary:
          "The time zone of each site the caller holds a grant at (every site for `*`): how the console shows times in the site's zone",
        response: { 200: SiteZones, ...errors },
      },
    },
    async (request) => {
      // Any signed-in person: a zone is how times are shown, not site configuration (that stays config.manage).
      const { actor } = contextOf(request);
      const granted = new Set((await kernel.grants.forPrincipal(actor.id)).map((g) => g.site));
      const connections = await kernel.connections.all();
      const ids = new Set([...granted].filter((s) => s !== '*'));
      if (granted.has('*')) for (const c of connections) ids.add(c.site);
      const items = [];
      for (const site of [...ids].sort()) {
        const zone =
          (await kernel.sites.get(site))?.zone ??
          connections.find((c) => c.site === site && c.facilityTimeZone !== undefined)?.facilityTimeZone ??
          fallbackZone;
        items.push({ site, zone });
      }
      const zones = new Set(items.map((i) => i.zone));
      return { items, fallback: zones.size === 1 ? [...zones][0]! : fallbackZone };
    },
  );
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
