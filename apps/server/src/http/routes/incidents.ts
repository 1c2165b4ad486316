/**
 * @module /incidents: incident response for data in the wrong place. A compliance officer opens
 * one (from a proposal, an audited write, a patient or a time range), reads it and its report
 * (JSON, or Markdown for people); a reviewer at the site approves or rejects each proposed
 * rollback. Everything goes through `IncidentDesk`, which decides and audits.
 */
import type { FastifyInstance } from 'fastify';
import { renderIncidentReport, type IncidentOrigin } from '@steward/proposals';
import { ValidationError } from '@steward/core';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, idParams, uuidPattern } from '../schemas.js';

const anyObject = { type: 'object', additionalProperties: true } as const;
const isoTime = {
  type: 'string',
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$',
} as const;
const containmentParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'proposalId'],
  properties: { id: { type: 'string', pattern: uuidPattern }, proposalId: { type: 'string', pattern: uuidPattern } },
} as const;

interface OriginBody {
  kind: IncidentOrigin['kind'];
  proposalId?: string;
  auditSeq?: number;
  patientId?: string;
  from?: string;
  to?: string;
}

/** The flat origin the schema accepts, as the desk's union; what a kind needs and lacks is refused. */
export function originOf(o: OriginBody): IncidentOrigin {
  const missing = (field: string): never => {
    throw new ValidationError('invalid incident origin', [
      { path: `origin.${field}`, message: `required for ${o.kind}` },
    ]);
  };
  switch (o.kind) {
    case 'proposal':
      return { kind: 'proposal', proposalId: o.proposalId ?? missing('proposalId') };
    case 'write':
      return { kind: 'write', auditSeq: o.auditSeq ?? missing('auditSeq') };
    case 'patient':
      return {
        kind: 'patient',
        patientId: o.patientId ?? missing('patientId'),
        ...(o.from !== undefined ? { from: o.from } : {}),
        ...(o.to !== undefined ? { to: o.to } : {}),
      };
    case 'range':
      return { kind: 'range', from: o.from ?? missing('from'), to: o.to ?? missing('to') };
  }
}

export function incidentRoutes(app: FastifyInstance, kernel: Kernel): void {
  const desk = kernel.incidents;

  app.post<{ Body: { origin: OriginBody; summary: string; discoveredAt?: string } }>(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Opens an incident; its scope is read from the audit trail and rollbacks are proposed',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['origin', 'summary'],
          properties: {
            origin: {
              type: 'object',
              additionalProperties: false,
              required: ['kind'],
              properties: {
                kind: { type: 'string', enum: ['proposal', 'write', 'patient', 'range'] },
                proposalId: { type: 'string', pattern: uuidPattern },
                auditSeq: { type: 'integer', minimum: 1 },
                patientId: { type: 'string', pattern: uuidPattern },
                from: isoTime,
                to: isoTime,
              },
            },
            summary: { type: 'string', minLength: 1, maxLength: 4000 },
            discoveredAt: isoTime,
          },
        },
        response: { 201: anyObject, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const incident = await desk.open(contextOf(request), {
        origin: originOf(b.origin),
        summary: b.summary,
        ...(b.discoveredAt !== undefined ? { discoveredAt: b.discoveredAt } : {}),
      });
      return reply.code(201).send(incident);
    },
  );

  app.get(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Incidents, newest first',
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: anyObject } } }, ...errors },
      },
    },
    async (request) => ({ items: await desk.list(contextOf(request)) }),
  );

  app.get<{ Params: { id: string } }>(
    '/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'One incident and its proposed, applied and rejected rollbacks',
        params: idParams,
        response: { 200: anyObject, ...errors },
      },
    },
    async (request) => desk.show(contextOf(request), request.params.id),
  );

  app.get<{ Params: { id: string }; Querystring: { format?: 'json' | 'markdown' } }>(
    '/incidents/:id/report',
    {
      schema: {
        tags: ['incidents'],
        summary: 'The incident report: notification clock, patients, PHI accesses and writes, containment',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: ['json', 'markdown'] } },
        },
        response: { 200: {}, ...errors },
      },
    },
    async (request, reply) => {
      const report = await desk.report(contextOf(request), request.params.id);
      if (request.query.format === 'markdown')
        return reply.type('text/markdown; charset=utf-8').send(renderIncidentReport(report));
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(report));
    },
  );

  for (const [verb, summary] of [
    ['approve', 'Approves a proposed rollback; the applier makes the compensating write (a reviewer at the site)'],
    ['reject', 'Rejects a proposed rollback: the write stays (a reviewer at the site)'],
  ] as const) {
    app.post<{ Params: { id: string; proposalId: string } }>(
      `/incidents/:id/containment/:proposalId/${verb}`,
      {
        schema: { tags: ['incidents'], summary, params: containmentParams, response: { 200: anyObject, ...errors } },
      },
      async (request) => {
        const { id, proposalId } = request.params;
        const ctx = contextOf(request);
        return verb === 'approve'
          ? desk.approveContainment(ctx, id, proposalId)
          : desk.rejectContainment(ctx, id, proposalId);
      },
    );
  }

  app.post<{ Params: { id: string } }>(
    '/incidents/:id/close',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Closes an incident',
        params: idParams,
        response: { 200: anyObject, ...errors },
      },
    },
    async (request) => desk.close(contextOf(request), request.params.id),
  );
}
