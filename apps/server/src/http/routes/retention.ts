/**
 * @module /retention: the retention policies per kind of stored data (a compliance officer sets
 * them, versioned), legal holds, and a purge run on demand (the server also runs it on a timer).
 * Each call is one governed method: the policy decision, the audit and the rows are there.
 */
import type { FastifyInstance } from 'fastify';
import type { LegalHoldInput } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams } from '../contract/common.js';
import {
  HoldBody,
  KindParams,
  LegalHold,
  LegalHoldList,
  PurgeReport,
  RetentionPolicy,
  RetentionPolicyList,
  SetPolicyBody,
} from '../contract/retention.js';
import { typed } from '../typed.js';

export function retentionRoutes(app: FastifyInstance, kernel: Kernel): void {
  const { policies, holds, purge } = kernel.retention;
  const api = typed(app);

  api.get(
    '/retention/policies',
    {
      schema: {
        tags: ['retention'],
        summary: 'The retention period in force per kind of stored data (the audit log: six years by default)',
        response: { 200: RetentionPolicyList, ...errors },
      },
    },
    async (request) => ({ items: await policies.list(contextOf(request)) }),
  );

  api.get(
    '/retention/policies/:kind/history',
    {
      schema: {
        tags: ['retention'],
        summary: "Every version of one kind's retention policy, newest first",
        params: KindParams,
        response: { 200: RetentionPolicyList, ...errors },
      },
    },
    async (request) => ({
      items: await policies.history(contextOf(request), request.params.kind),
    }),
  );

  api.put(
    '/retention/policies/:kind',
    {
      schema: {
        tags: ['retention'],
        summary: "Sets a kind's retention period as a new version (expectedVersion: the version you saw)",
        params: KindParams,
        body: SetPolicyBody,
        response: { 200: RetentionPolicy, ...errors },
      },
    },
    async (request) =>
      policies.set(contextOf(request), request.params.kind, request.body.periodDays, request.body.expectedVersion),
  );

  api.post(
    '/retention/purge',
    {
      schema: {
        tags: ['retention'],
        summary: 'Runs a purge now: deletes what the policies say expired, keeps what legal holds name',
        response: { 200: PurgeReport, ...errors },
      },
    },
    async (request) => purge.run(contextOf(request)),
  );

  api.get(
    '/retention/holds',
    {
      schema: {
        tags: ['retention'],
        summary: 'Legal holds, active ones first (reading them is audited)',
        response: { 200: LegalHoldList, ...errors },
      },
    },
    async (request) => ({ items: await holds.list(contextOf(request)) }),
  );

  api.post(
    '/retention/holds',
    {
      schema: {
        tags: ['retention'],
        summary: "Places a legal hold: a patient's data is kept, or (a case) every purge is suspended",
        body: HoldBody,
        response: { 201: LegalHold, ...errors },
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

  api.post(
    '/retention/holds/:id/release',
    {
      schema: {
        tags: ['retention'],
        summary: 'Releases a legal hold: what it kept is purged by the next run when expired',
        params: IdParams,
        response: { 200: LegalHold, ...errors },
      },
    },
    async (request) => holds.release(contextOf(request), request.params.id),
  );
}
