/**
 * @module /retention: the retention policies per kind of stored data (a compliance officer sets
 * them, versioned), legal holds, and a purge run on demand (the server also runs it on a timer).
 * Each call is one governed method: the policy decision, the audit and the rows are there.
 */
import type { FastifyInstance } from 'fastify';
import { retentionKinds, type LegalHoldInput } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, idParams, uuidPattern } from '../schemas.js';

const anyObject = { type: 'object', additionalProperties: true } as const;
const kindParams = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: { kind: { type: 'string', enum: [...retentionKinds] } },
} as const;
const identifier = {
  type: 'object',
  additionalProperties: false,
  required: ['system', 'value'],
  properties: {
    system: { type: 'string', minLength: 1, maxLength: 200 },
    value: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

interface HoldBody {
  scope: 'patient' | 'case';
  reason: string;
  caseRef?: string;
  patient?: { stewardId?: string; ehrId?: string; identifiers?: { system: string; value: string }[] };
}

export function retentionRoutes(app: FastifyInstance, kernel: Kernel): void {
  const { policies, holds, purge } = kernel.retention;

  app.get(
    '/retention/policies',
    {
      schema: {
        tags: ['retention'],
        summary: 'The retention period in force per kind of stored data (the audit log: six years by default)',
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: anyObject } } }, ...errors },
      },
    },
    async (request) => ({ items: await policies.list(contextOf(request)) }),
  );

  app.get<{ Params: { kind: string } }>(
    '/retention/policies/:kind/history',
    {
      schema: {
        tags: ['retention'],
        summary: "Every version of one kind's retention policy, newest first",
        params: kindParams,
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: anyObject } } }, ...errors },
      },
    },
    async (request) => ({
      items: await policies.history(contextOf(request), request.params.kind as (typeof retentionKinds)[number]),
    }),
  );

  app.put<{ Params: { kind: string }; Body: { periodDays: number; expectedVersion?: number } }>(
    '/retention/policies/:kind',
    {
      schema: {
        tags: ['retention'],
        summary: "Sets a kind's retention period as a new version (expectedVersion: the version you saw)",
        params: kindParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['periodDays'],
          properties: {
            periodDays: { type: 'integer', minimum: 1, maximum: 36600 },
            expectedVersion: { type: 'integer', minimum: 0 },
          },
        },
        response: { 200: anyObject, ...errors },
      },
    },
    async (request) =>
      policies.set(contextOf(request), request.params.kind, request.body.periodDays, request.body.expectedVersion),
  );

  app.post(
    '/retention/purge',
    {
      schema: {
        tags: ['retention'],
        summary: 'Runs a purge now: deletes what the policies say expired, keeps what legal holds name',
        response: { 200: anyObject, ...errors },
      },
    },
    async (request) => purge.run(contextOf(request)),
  );

  app.get(
    '/retention/holds',
    {
      schema: {
        tags: ['retention'],
        summary: 'Legal holds, active ones first (reading them is audited)',
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: anyObject } } }, ...errors },
      },
    },
    async (request) => ({ items: await holds.list(contextOf(request)) }),
  );

  app.post<{ Body: HoldBody }>(
    '/retention/holds',
    {
      schema: {
        tags: ['retention'],
        summary: "Places a legal hold: a patient's data is kept, or (a case) every purge is suspended",
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['scope', 'reason'],
          properties: {
            scope: { type: 'string', enum: ['patient', 'case'] },
            reason: { type: 'string', minLength: 1, maxLength: 500 },
            caseRef: { type: 'string', minLength: 1, maxLength: 200 },
            patient: {
              type: 'object',
              additionalProperties: false,
              properties: {
                stewardId: { type: 'string', pattern: uuidPattern },
                ehrId: { type: 'string', minLength: 1, maxLength: 64 },
                identifiers: { type: 'array', maxItems: 20, items: identifier },
              },
            },
          },
        },
        response: { 201: anyObject, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const input: LegalHoldInput =
        b.scope === 'patient'
          ? { scope: 'patient', patient: b.patient ?? {}, reason: b.reason }
          : { scope: 'case', caseRef: b.caseRef ?? '', reason: b.reason };
      return reply.code(201).send(await holds.place(contextOf(request), input));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/retention/holds/:id/release',
    {
      schema: {
        tags: ['retention'],
        summary: 'Releases a legal hold: what it kept is purged by the next run when expired',
        params: idParams,
        response: { 200: anyObject, ...errors },
      },
    },
    async (request) => holds.release(contextOf(request), request.params.id),
  );
}
