/**
 * @module POST /ai/calls: a model provider called only through an egress destination of kind `ai`
 * (issue 18), for a service account holding `ai.call` at the site. The prompt goes as it is to a
 * destination with a BAA on record and de-identified to one without; every call is audited without
 * its content (kernel.aiCalls).
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { AiCallAnswer, AiCallRequest } from '../contract/ai.js';
import { errors } from '../contract/common.js';
import { typed } from '../typed.js';

export function aiRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'aiCalls'>): void {
  typed(app).post(
    '/ai/calls',
    {
      schema: {
        tags: ['ai'],
        summary:
          'Call an AI provider (OpenAI-compatible chat completions) through a registered egress destination: the prompt de-identified unless a BAA is on record; audited without content',
        body: AiCallRequest,
        response: { 200: AiCallAnswer, ...errors },
      },
    },
    async (request) => kernel.aiCalls.call(contextOf(request), request.body),
  );
}
