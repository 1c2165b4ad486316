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
import { errors, IdParams } from '../contract/common.js';
import {
  ContainmentParams,
  Incident,
  IncidentList,
  IncidentReport,
  OpenIncident,
  ReportQuery,
  type IncidentOrigin as OriginBody,
} from '../contract/incidents.js';
import { typed } from '../typed.js';

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
  const api = typed(app);

  api.post(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Opens an incident; its scope is read from the audit trail and rollbacks are proposed',
        body: OpenIncident,
        response: { 201: Incident, ...errors },
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

  api.get(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Incidents, newest first',
        response: { 200: IncidentList, ...errors },
      },
    },
    async (request) => ({ items: await desk.list(contextOf(request)) }),
  );

  api.get(
    '/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'One incident and its proposed, applied and rejected rollbacks',
        params: IdParams,
        response: { 200: Incident, ...errors },
      },
    },
    async (request) => desk.show(contextOf(request), request.params.id),
  );

  api.get(
    '/incidents/:id/report',
    {
      schema: {
        tags: ['incidents'],
        summary: 'The incident report: notification clock, patients, PHI accesses and writes, containment',
        params: IdParams,
        querystring: ReportQuery,
        response: { 200: IncidentReport, ...errors },
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
    api.post(
      `/incidents/:id/containment/:proposalId/${verb}`,
      {
        schema: { tags: ['incidents'], summary, params: ContainmentParams, response: { 200: Incident, ...errors } },
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

  api.post(
    '/incidents/:id/close',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Closes an incident',
        params: IdParams,
        response: { 200: Incident, ...errors },
      },
    },
    async (request) => desk.close(contextOf(request), request.params.id),
  );
}
