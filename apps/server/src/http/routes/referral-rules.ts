/**
 * @module /ehr/connections/:name/referral-rules: which inbound requests a connection treats as
 * referrals — the vendor profile's default rules, the site's override, and the rules in force —
 * for whoever may manage configuration. PUT replaces the site's override (audited; it applies to
 * the next message routed, no restart); `explain` says which rule decides one ServiceRequest
 * without filing it (the resource is read for its codes and not kept).
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../schemas.js';

const nameParam = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;
const anyObject = { type: 'object', additionalProperties: true } as const;

export function referralRuleRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'referralRules'>): void {
  app.get<{ Params: { name: string } }>(
    '/ehr/connections/:name/referral-rules',
    {
      schema: {
        tags: ['ehr'],
        summary: "A connection's referral rules: vendor defaults, the site's override, the rules in force",
        params: nameParam,
        response: { 200: anyObject, ...errors },
      },
    },
    async (request) => kernel.referralRules.show(contextOf(request), request.params.name),
  );

  app.put<{ Params: { name: string }; Body: unknown }>(
    '/ehr/connections/:name/referral-rules',
    {
      schema: {
        tags: ['ehr'],
        summary: "Replace the site's override: its own rules (first), default rules switched off, otherwise",
        params: nameParam,
        body: anyObject,
        response: { 200: anyObject, ...errors },
      },
    },
    async (request) => kernel.referralRules.set(contextOf(request), request.params.name, request.body),
  );

  app.post<{ Params: { name: string }; Body: unknown }>(
    '/ehr/connections/:name/referral-rules/explain',
    {
      schema: {
        tags: ['ehr'],
        summary: 'Which rule decides whether a ServiceRequest is a referral on this connection (nothing is filed)',
        params: nameParam,
        body: anyObject,
        response: {
          200: {
            type: 'object',
            properties: {
              referral: { type: 'boolean' },
              rule: { type: 'string' },
              origin: { type: 'string' },
              description: { type: 'string' },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => kernel.referralRules.explain(contextOf(request), request.params.name, request.body),
  );
}
