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
import { errors } from '../contract/common.js';
import { ConnectionNameParams, ReferralDecision, RuleSetBody, RuleSets } from '../contract/config.js';
import { typed } from '../typed.js';

export function referralRuleRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'referralRules'>): void {
  const api = typed(app);
  api.get(
    '/ehr/connections/:name/referral-rules',
    {
      schema: {
        tags: ['ehr'],
        summary: "A connection's referral rules: vendor defaults, the site's override, the rules in force",
        params: ConnectionNameParams,
        response: { 200: RuleSets, ...errors },
      },
    },
    async (request) => kernel.referralRules.show(contextOf(request), request.params.name),
  );

  api.put(
    '/ehr/connections/:name/referral-rules',
    {
      schema: {
        tags: ['ehr'],
        summary: "Replace the site's override: its own rules (first), default rules switched off, otherwise",
        params: ConnectionNameParams,
        body: RuleSetBody,
        response: { 200: RuleSets, ...errors },
      },
    },
    async (request) => kernel.referralRules.set(contextOf(request), request.params.name, request.body),
  );

  api.post(
    '/ehr/connections/:name/referral-rules/explain',
    {
      schema: {
        tags: ['ehr'],
        summary: 'Which rule decides whether a ServiceRequest is a referral on this connection (nothing is filed)',
        params: ConnectionNameParams,
        body: RuleSetBody,
        response: { 200: ReferralDecision, ...errors },
      },
    },
    async (request) => kernel.referralRules.explain(contextOf(request), request.params.name, request.body),
  );
}
