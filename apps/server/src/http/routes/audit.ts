/**
 * @module /audit: who accessed a patient, what an actor accessed, which events of a kind happened,
 * the chain's integrity, and an export of a search as FHIR AuditEvent (IHE BALP) NDJSON. Each
 * route is its schema and one call to governance's `AuditService`, which decides, reads and
 * audits the reading, verifying and exporting of the trail.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AuditExportLines } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { AuditEventsQuery, AuditFilterQuery, AuditPage, EventCodes, VerifyAnswer } from '../contract/audit.js';
import { typed } from '../typed.js';
import { labelAuditEntries } from '../item-labels.js';

export function auditRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);
  api.get(
    '/audit/event-codes',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit event codes the search and export filter by',
        response: { 200: EventCodes, ...errors },
      },
    },
    async (request) => kernel.auditService.eventCodes(contextOf(request)),
  );

  api.get(
    '/audit/events',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit entries by patient, actor, event code and time range, by seq; page with `after`',
        querystring: AuditEventsQuery,
        response: { 200: AuditPage, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const page = await kernel.auditService.query(ctx, request.query);
      return { ...page, items: await labelAuditEntries(kernel, ctx, page.items) };
    },
  );

  api.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Verify the audit chain and checkpoints from genesis; says up to which entry (seq, time) it holds',
        response: { 200: VerifyAnswer, ...errors },
      },
    },
    async (request) => kernel.auditService.verify(contextOf(request)),
  );

  api.get(
    '/audit/export',
    {
      schema: {
        tags: ['audit'],
        summary: 'The entries a search finds, as FHIR R4 AuditEvent (IHE BALP) NDJSON, one resource a line',
        querystring: AuditFilterQuery,
        produces: ['application/fhir+ndjson'],
      },
    },
    async (request, reply) => {
      const lines = await kernel.auditService.export(contextOf(request), request.query);
      return reply
        .header('content-type', 'application/fhir+ndjson')
        .header('content-disposition', 'attachment; filename="audit-events.ndjson"')
        .header('cache-control', 'no-store')
        .send(Readable.from(logged(lines, request.log), { objectMode: false }));
    },
  );
}

/** The export's lines, its end logged with the counts; a failure logged by name, never with data. */
async function* logged(lines: AuditExportLines, log: FastifyInstance['log']): AsyncGenerator<string> {
  try {
    const counts = yield* lines;
    log.info(counts, 'audit export done');
  } catch (error) {
    // Headers are gone by now: the client sees a cut-off body.
    log.error({ err: error instanceof Error ? error.name : 'unknown' }, 'audit export failed');
    throw error;
  }
}
