/**
 * @module /audit: who accessed a patient, what an actor accessed, which events of a kind happened,
 * the chain's integrity, and an export of a search as FHIR AuditEvent (IHE BALP) NDJSON.
 * Reading, verifying and exporting the audit trail are each audited themselves.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  auditEvents,
  iterateAudit,
  queryAudit,
  toFhirAuditEvents,
  verifyAuditLog,
  type AuditEvent,
  sourceOf,
} from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { AuditEventsQuery, AuditFilterQuery, AuditPage, EventCodes, VerifyAnswer } from '../contract/audit.js';
import { typed } from '../typed.js';

interface FilterQuery {
  patient?: string;
  actor?: string;
  event?: string;
  from?: string;
  to?: string;
}

function filterOf(q: FilterQuery): {
  patientId?: string;
  actorId?: string;
  events?: AuditEvent[];
  from?: string;
  to?: string;
} {
  return {
    ...(q.patient !== undefined ? { patientId: q.patient } : {}),
    ...(q.actor !== undefined ? { actorId: q.actor } : {}),
    ...(q.event !== undefined ? { events: [...new Set(q.event.split(','))] as AuditEvent[] } : {}),
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
  };
}

const definedOnly = (q: object): Record<string, string> =>
  Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'));

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
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'audit.read');
      return { codes: auditEvents };
    },
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
      await kernel.policy.enforce(ctx, 'audit.read');
      const q = request.query;
      const page = await queryAudit(kernel.db, kernel.cipher, {
        ...filterOf(q),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
        ...(q.after !== undefined ? { after: Number(q.after) } : {}),
      });
      await kernel.audit.append({
        actor: ctx.actor,
        event: 'audit.queried',
        action: 'R',
        outcome: 'success',
        ...(q.patient !== undefined ? { patientIds: [q.patient] } : {}),
        query: definedOnly(q),
      });
      return { items: page.entries, next: page.next };
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
    async (request) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'audit.verify');
      await kernel.audit.flush();
      const checkedAt = kernel.clock.now().toISOString();
      const result = await verifyAuditLog(kernel.db, { witnesses: kernel.audit.witnesses });
      // The last entry known good: the head when the chain holds, the one before the first bad one otherwise.
      const goodSeq = result.ok ? result.headSeq : result.firstBadSeq - 1;
      const at =
        goodSeq > 0
          ? ((await kernel.db.query<{ at: Date | string }>('select at from audit_log where seq = $1', [goodSeq]))
              .rows[0]?.at ?? null)
          : null;
      await kernel.audit.append({
        actor: ctx.actor,
        event: 'audit.verified',
        action: 'E',
        outcome: result.ok ? 'success' : 'failure',
        reason: result.ok ? `verified-to:${goodSeq}` : `${result.problem}:${result.firstBadSeq}`,
      });
      return {
        ...result,
        checkedAt,
        verifiedTo: { seq: goodSeq, at: at === null ? null : new Date(at).toISOString() },
      };
    },
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
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'audit.export');
      const q = request.query;
      // Audited before the first line leaves: an export that breaks off midway is still on record.
      await kernel.audit.append({
        actor: ctx.actor,
        event: 'audit.exported',
        action: 'E',
        outcome: 'success',
        ...(q.patient !== undefined ? { patientIds: [q.patient] } : {}),
        query: definedOnly(q),
        source: sourceOf(ctx),
        reason: 'fhir-ndjson',
      });
      await kernel.audit.flush();
      const out = new PassThrough();
      const write = (line: string): void | Promise<void> => {
        if (out.destroyed) throw new Error('export stream closed');
        if (out.write(`${line}\n`)) return;
        return new Promise<void>((resolve, reject) => {
          const drained = (): void => {
            out.off('close', closed);
            resolve();
          };
          const closed = (): void => {
            out.off('drain', drained);
            reject(new Error('export stream closed'));
          };
          out.once('drain', drained);
          out.once('close', closed);
        });
      };
      void exportLines(kernel, filterOf(q), q.patient, write).then(
        (r) => {
          request.log.info({ entries: r.entries, events: r.events }, 'audit export done');
          out.end();
        },
        (error: unknown) => {
          // Headers are gone by now: the client sees a cut-off body. The log names the failure, not data.
          request.log.error({ err: error instanceof Error ? error.name : 'unknown' }, 'audit export failed');
          out.destroy(error instanceof Error ? error : new Error('audit export failed'));
        },
      );
      return reply
        .header('content-type', 'application/fhir+ndjson')
        .header('content-disposition', 'attachment; filename="audit-events.ndjson"')
        .header('cache-control', 'no-store')
        .send(out);
    },
  );
}

/**
 * The matching entries as AuditEvent lines, in seq order. BALP gives each patient of an entry its
 * own AuditEvent; exporting one patient's trail keeps only that patient's (an entry that also
 * touched others is still exported, for this patient).
 */
async function exportLines(
  kernel: Kernel,
  filter: ReturnType<typeof filterOf>,
  patient: string | undefined,
  write: (line: string) => void | Promise<void>,
): Promise<{ entries: number; events: number }> {
  let entries = 0;
  let events = 0;
  for await (const record of iterateAudit(kernel.db, kernel.cipher, filter)) {
    entries++;
    for (const event of toFhirAuditEvents(record)) {
      if (patient !== undefined && !event.entity?.some((e) => e.what?.reference === `Patient/${patient}`)) continue;
      await write(JSON.stringify(event));
      events++;
    }
  }
  return { entries, events };
}
