/**
 * @module /audit: who accessed a patient, what an actor accessed, and the chain's integrity.
 * Reading the audit trail is itself audited.
 */
import type { FastifyInstance } from 'fastify';
import { queryAudit, verifyAuditLog } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, uuidPattern } from '../schemas.js';

const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$' } as const;

export function auditRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get<{
    Querystring: { patient?: string; actor?: string; from?: string; to?: string; limit?: string; after?: string };
  }>(
    '/audit/events',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit entries by patient and/or actor and time range',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            patient: { type: 'string', pattern: uuidPattern },
            actor: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' },
            from: isoDate,
            to: isoDate,
            limit: { type: 'string', pattern: '^[1-9]\\d{0,3}$' },
            after: { type: 'string', pattern: '^\\d{1,15}$' },
          },
        },
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'audit.read');
      const q = request.query;
      const page = await queryAudit(kernel.db, kernel.cipher, {
        ...(q.patient !== undefined ? { patientId: q.patient } : {}),
        ...(q.actor !== undefined ? { actorId: q.actor } : {}),
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
        ...(q.after !== undefined ? { after: Number(q.after) } : {}),
      });
      await kernel.audit.append({
        actor: ctx.actor,
        event: 'audit.queried',
        action: 'R',
        outcome: 'success',
        ...(q.patient !== undefined ? { patientIds: [q.patient] } : {}),
        query: Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)),
      });
      return { items: page.entries, next: page.next };
    },
  );

  app.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Verify the audit chain and checkpoints from genesis',
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'audit.verify');
      await kernel.audit.flush();
      const result = await verifyAuditLog(kernel.db);
      await kernel.audit.append({
        actor: ctx.actor,
        event: 'audit.verified',
        action: 'E',
        outcome: result.ok ? 'success' : 'failure',
      });
      return result;
    },
  );
}
