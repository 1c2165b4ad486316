/**
 * @module /fhir/R4/<connection>: the FHIR R4 facade over one EHR connection (ADR 0018) — its
 * CapabilityStatement, read, and type search with paging. Each route is one call to the governed
 * facade service (`kernel.fhirFacade`), which reads through the governed EHR reader only. Answers
 * are `application/fhir+json`; errors are OperationOutcomes (fhir-outcome.ts, by path prefix).
 * The routes are left out of the OpenAPI document: a FHIR endpoint's contract is its
 * CapabilityStatement, and FHIR clients read that.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FacadeQuery } from '@steward/ehr';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';

const fhirJson = 'application/fhir+json';

interface ConnectionParams {
  readonly connection: string;
}
interface TypeParams extends ConnectionParams {
  readonly type: string;
}
interface ReadParams extends TypeParams {
  readonly id: string;
}

/** The facade's own base for this connection, as the caller reached it (never the EHR's). */
function baseOf(request: FastifyRequest, connection: string): string {
  return `${request.protocol}://${request.host}/fhir/R4/${encodeURIComponent(connection)}`;
}

function send(reply: FastifyReply, body: object): FastifyReply {
  return reply.type(fhirJson).header('cache-control', 'no-store').send(body);
}

export function fhirRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'fhirFacade'>): void {
  const facade = kernel.fhirFacade;
  const config = { fhir: true };

  app.get<{ Params: ConnectionParams }>(
    '/fhir/R4/:connection/metadata',
    { config, schema: { hide: true } },
    async (request, reply) =>
      send(
        reply,
        await facade.capabilities(
          contextOf(request),
          request.params.connection,
          baseOf(request, request.params.connection),
        ),
      ),
  );

  app.get<{ Params: ReadParams }>(
    '/fhir/R4/:connection/:type/:id',
    { config, schema: { hide: true } },
    async (request, reply) => {
      const { connection, type, id } = request.params;
      const found = await facade.read(contextOf(request), connection, type, id);
      if (found.versionId !== undefined) void reply.header('etag', `W/"${found.versionId}"`);
      return send(reply, found.resource);
    },
  );

  app.get<{ Params: TypeParams; Querystring: FacadeQuery }>(
    '/fhir/R4/:connection/:type',
    { config, schema: { hide: true } },
    async (request, reply) => {
      const { connection, type } = request.params;
      return send(
        reply,
        await facade.search(contextOf(request), connection, type, request.query, baseOf(request, connection)),
      );
    },
  );
}
