/**
 * @module /automation: screen maps (propose, review by a second person, list, history, show, diff)
 * and the automation account's credentials (set, status, remove), each route one governed call of
 * the automation package (decide, change, audit). Credentials go in and never come out.
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import {
  CredentialStatus,
  CredentialStatusList,
  CredentialsQuery,
  DiffQuery,
  MapDiff,
  MapHistory,
  MapList,
  MapParams,
  MapRecord,
  MapVersion,
  MapVersionParams,
  ProposeMapBody,
  ReviewMapBody,
  SetCredentialsBody,
} from '../contract/automation-maps.js';
import { errors, NoContent } from '../contract/common.js';
import { typed } from '../typed.js';

type Named = { proposedBy: string; reviewedBy: string | null };

export function automationMapRoutes(
  app: FastifyInstance,
  kernel: Pick<Kernel, 'screenMaps' | 'automationCredentials' | 'roster' | 'connections'>,
): void {
  const api = typed(app);
  // Connections by name, as every other answer names them (an id only for a disabled one).
  const connectionNames = async (): Promise<Map<string, string>> =>
    new Map((await kernel.connections.all()).map((c) => [c.id, c.name]));
  const withNames = async <T extends Named & { connectionId: string }>(items: readonly T[]) => {
    const names = await kernel.roster.actorNames(
      items.flatMap((i) => (i.reviewedBy !== null ? [i.proposedBy, i.reviewedBy] : [i.proposedBy])),
    );
    const connections = await connectionNames();
    return items.map((i) => ({
      ...i,
      connectionName: connections.get(i.connectionId),
      proposedByName: names.get(i.proposedBy),
      reviewedByName: i.reviewedBy !== null ? names.get(i.reviewedBy) : undefined,
    }));
  };

  api.get(
    '/automation/maps',
    {
      schema: {
        tags: ['automation'],
        summary: 'Screen maps: the latest version of each connection and site, and the approved version runs follow',
        response: { 200: MapList, ...errors },
      },
    },
    async (request) => ({ items: await withNames(await kernel.screenMaps.list(contextOf(request))) }),
  );
  api.post(
    '/automation/maps',
    {
      schema: {
        tags: ['automation'],
        summary:
          'Propose a screen map (automation.maps.propose): validated whole, every problem named by its JSON pointer; stored as the next version, proposed',
        body: ProposeMapBody,
        response: { 201: MapVersion, ...errors },
      },
    },
    async (request, reply) => {
      const v = await kernel.screenMaps.propose(contextOf(request), request.body.map, request.body.note);
      void reply.status(201);
      return (await withNames([v]))[0]!;
    },
  );
  api.get(
    '/automation/maps/:connectionId/:site',
    {
      schema: {
        tags: ['automation'],
        summary: 'Every version of one connection and site’s map, newest first',
        params: MapParams,
        response: { 200: MapHistory, ...errors },
      },
    },
    async (request) => {
      const { connectionId, site } = request.params;
      return { items: await withNames(await kernel.screenMaps.history(contextOf(request), connectionId, site)) };
    },
  );
  api.get(
    '/automation/maps/:connectionId/:site/:version',
    {
      schema: {
        tags: ['automation'],
        summary: 'One version with its map',
        params: MapVersionParams,
        response: { 200: MapRecord, ...errors },
      },
    },
    async (request) => {
      const { connectionId, site, version } = request.params;
      const r = await kernel.screenMaps.show(contextOf(request), connectionId, site, Number(version));
      return (await withNames([r]))[0]!;
    },
  );
  api.get(
    '/automation/maps/:connectionId/:site/:version/diff',
    {
      schema: {
        tags: ['automation'],
        summary:
          'What a version changes (screens, forms, fields, labels), from the version it was proposed on or `against`',
        params: MapVersionParams,
        querystring: DiffQuery,
        response: { 200: MapDiff, ...errors },
      },
    },
    async (request) => {
      const { connectionId, site, version } = request.params;
      const against = request.query.against;
      return kernel.screenMaps.diff(
        contextOf(request),
        connectionId,
        site,
        Number(version),
        against !== undefined ? Number(against) : undefined,
      );
    },
  );
  api.post(
    '/automation/maps/:connectionId/:site/:version/review',
    {
      schema: {
        tags: ['automation'],
        summary:
          'Approve or reject a proposed version (automation.maps.review), never one’s own; approving supersedes the version before and open proposals',
        params: MapVersionParams,
        body: ReviewMapBody,
        response: { 200: MapVersion, ...errors },
      },
    },
    async (request) => {
      const { connectionId, site, version } = request.params;
      const r = await kernel.screenMaps.review(
        contextOf(request),
        connectionId,
        site,
        Number(version),
        request.body.decision,
        request.body.reason,
      );
      return (await withNames([r]))[0]!;
    },
  );

  const statusNames = async <T extends { setBy: string; connectionId: string }>(items: readonly T[]) => {
    const names = await kernel.roster.actorNames(items.map((i) => i.setBy));
    const connections = await connectionNames();
    return items.map((i) => ({ ...i, setByName: names.get(i.setBy), connectionName: connections.get(i.connectionId) }));
  };
  api.get(
    '/automation/credentials',
    {
      schema: {
        tags: ['automation'],
        summary: 'Which connections and sites have automation credentials set, when and by whom (never the values)',
        querystring: CredentialsQuery,
        response: { 200: CredentialStatusList, ...errors },
      },
    },
    async (request) => ({
      items: await statusNames(
        await kernel.automationCredentials.status(contextOf(request), request.query.connectionId),
      ),
    }),
  );
  api.put(
    '/automation/credentials/:connectionId/:site',
    {
      schema: {
        tags: ['automation'],
        summary:
          'Set the automation account’s username, password and TOTP secret for a connection and site (automation.credentials.manage): sealed, never returned',
        params: MapParams,
        body: SetCredentialsBody,
        response: { 200: CredentialStatus, ...errors },
      },
    },
    async (request) => {
      const { connectionId, site } = request.params;
      const { username, password, totpSecret } = request.body;
      const status = await kernel.automationCredentials.set(contextOf(request), {
        connectionId,
        site,
        username,
        password,
        ...(totpSecret !== undefined ? { totpSecret } : {}),
      });
      return (await statusNames([status]))[0]!;
    },
  );
  api.delete(
    '/automation/credentials/:connectionId/:site',
    {
      schema: {
        tags: ['automation'],
        summary: 'Remove the automation credentials of a connection and site',
        params: MapParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await kernel.automationCredentials.remove(contextOf(request), request.params.connectionId, request.params.site);
      void reply.status(204);
    },
  );
}
