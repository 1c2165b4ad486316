/**
 * @module /handoffs, /handoff-policies and /rotas: internal handoffs (raise, the caller's queue, a
 * pool's, a subject's, one with its history, accept, decline, done), a site+kind's escalation
 * policy, and a site's on-call rota; each call one governed method of the handoff service or the
 * rotas (decided, audited there).
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import {
  CreateHandoffBody,
  DeclineHandoffBody,
  EscalationPolicy,
  EscalationPolicyParams,
  HandoffDetail,
  HandoffList,
  HandoffParams,
  HandoffPoolParams,
  HandoffQueueQuery,
  HandoffSubjectQuery,
  Rota,
  RotaParams,
  SetEscalationPolicyBody,
  SetRotaBody,
} from '../contract/handoffs.js';
import { typed } from '../typed.js';

export function handoffRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'handoffs' | 'rotas'>): void {
  const api = typed(app);
  const limit = (q: { limit?: string }): { limit?: number } =>
    q.limit === undefined ? {} : { limit: Number(q.limit) };
  api.post(
    '/handoffs',
    {
      schema: {
        tags: ['handoffs'],
        summary:
          "Raise a handoff to a person, a pool or a role at a site, due at an instant or in the site's business hours or days; its site+kind's escalation policy is planned now",
        body: CreateHandoffBody,
        response: { 201: HandoffDetail, ...errors },
      },
    },
    async (request, reply) => {
      const { due, patientId, key, ...rest } = request.body;
      const created = await kernel.handoffs.create(contextOf(request), {
        ...rest,
        ...(due !== undefined ? { due } : {}),
        ...(patientId !== undefined ? { patientId } : {}),
        ...(key !== undefined ? { key } : {}),
      });
      return reply.code(201).send(created);
    },
  );
  api.get(
    '/handoffs/mine',
    {
      schema: {
        tags: ['handoffs'],
        summary: 'My work: handoffs I hold, offered to me, my pools or my roles, or escalated to me (overdue first)',
        querystring: HandoffQueueQuery,
        response: { 200: HandoffList, ...errors },
      },
    },
    async (request) => ({ items: await kernel.handoffs.mine(contextOf(request), limit(request.query)) }),
  );
  api.get(
    '/handoffs/pools/:pool',
    {
      schema: {
        tags: ['handoffs'],
        summary: "A pool's queue: the open handoffs offered or escalated to it (overdue first)",
        params: HandoffPoolParams,
        querystring: HandoffQueueQuery,
        response: { 200: HandoffList, ...errors },
      },
    },
    async (request) => ({
      items: await kernel.handoffs.pool(contextOf(request), request.params.pool, limit(request.query)),
    }),
  );
  api.get(
    '/handoffs',
    {
      schema: {
        tags: ['handoffs'],
        summary: 'The handoffs about one subject (a patient, referral, document or proposal), done ones too',
        querystring: HandoffSubjectQuery,
        response: { 200: HandoffList, ...errors },
      },
    },
    async (request) => ({ items: await kernel.handoffs.bySubject(contextOf(request), request.query) }),
  );
  api.get(
    '/handoffs/:id',
    {
      schema: {
        tags: ['handoffs'],
        summary: 'One handoff with its history (each transition and escalation, with its actor and time)',
        params: HandoffParams,
        response: { 200: HandoffDetail, ...errors },
      },
    },
    async (request) => kernel.handoffs.show(contextOf(request), request.params.id),
  );
  for (const action of ['accept', 'done'] as const)
    api.post(
      `/handoffs/:id/${action}`,
      {
        schema: {
          tags: ['handoffs'],
          summary:
            action === 'accept'
              ? 'Take a handoff offered to me, my pool or my role'
              : 'Mark a handoff done (its holder, or one it is offered to)',
          params: HandoffParams,
          response: { 200: HandoffDetail, ...errors },
        },
      },
      async (request) => kernel.handoffs[action](contextOf(request), request.params.id),
    );
  api.post(
    '/handoffs/:id/decline',
    {
      schema: {
        tags: ['handoffs'],
        summary: "Give a handoff back with a reason: to its pool or role, or to its sender (else the decliner's lead)",
        params: HandoffParams,
        body: DeclineHandoffBody,
        response: { 200: HandoffDetail, ...errors },
      },
    },
    async (request) => kernel.handoffs.decline(contextOf(request), request.params.id, request.body.reason),
  );
  api.get(
    '/handoff-policies/:site/:kind',
    {
      schema: {
        tags: ['handoffs'],
        summary: "A site+kind's escalation policy (version 0, no steps: none set)",
        params: EscalationPolicyParams,
        response: { 200: EscalationPolicy, ...errors },
      },
    },
    async (request) => kernel.handoffs.policy(contextOf(request), request.params.site, request.params.kind),
  );
  api.put(
    '/handoff-policies/:site/:kind',
    {
      schema: {
        tags: ['handoffs'],
        summary:
          "Replace a site+kind's escalation policy (config.manage, audited); handoffs already raised keep their planned steps",
        params: EscalationPolicyParams,
        body: SetEscalationPolicyBody,
        response: { 200: EscalationPolicy, ...errors },
      },
    },
    async (request) =>
      kernel.handoffs.setPolicy(
        contextOf(request),
        request.params.site,
        request.params.kind,
        request.body.steps,
        request.body.expectedVersion,
      ),
  );
  api.get(
    '/rotas/:site/:name',
    {
      schema: {
        tags: ['staff'],
        summary: "A site's on-call rota: shifts of staff by name",
        params: RotaParams,
        response: { 200: Rota, ...errors },
      },
    },
    async (request) => kernel.rotas.get(contextOf(request), request.params.site, request.params.name),
  );
  api.put(
    '/rotas/:site/:name',
    {
      schema: {
        tags: ['staff'],
        summary: "Replace a site's on-call rota (staff.manage, audited); the shift starting last covers an overlap",
        params: RotaParams,
        body: SetRotaBody,
        response: { 200: Rota, ...errors },
      },
    },
    async (request) =>
      kernel.rotas.set(
        contextOf(request),
        request.params.site,
        request.params.name,
        request.body.shifts,
        request.body.expectedVersion,
      ),
  );
}
