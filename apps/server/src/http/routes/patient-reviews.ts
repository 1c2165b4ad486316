/**
 * @module /patient-reviews: the patient index's review list (same name and birth date, no shared
 * identifier). Listing, linking and dismissing are each one governed call (decide, act, audit).
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { errors, IdParams } from '../contract/common.js';
import { PatientReview, PatientReviewList, PatientReviewQuery } from '../contract/patients.js';
import { typed } from '../typed.js';
import { contextOf } from '../authenticate.js';

export function patientReviewRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);
  api.get(
    '/patient-reviews',
    {
      schema: {
        tags: ['patients'],
        summary: 'Open patient candidates to link or dismiss, at the sites the caller may read',
        querystring: PatientReviewQuery,
        response: { 200: PatientReviewList, ...errors },
      },
    },
    async (request) => ({
      items: await kernel.patientReviews.list(contextOf(request), Number(request.query.limit ?? 100)),
    }),
  );
  api.post(
    '/patient-reviews/:id/link',
    {
      schema: {
        tags: ['patients'],
        summary: 'The two are one person: the new patient is retired into the candidate (audited)',
        params: IdParams,
        response: { 200: PatientReview, ...errors },
      },
    },
    async (request) => kernel.patientReviews.link(contextOf(request), request.params.id),
  );
  api.post(
    '/patient-reviews/:id/dismiss',
    {
      schema: {
        tags: ['patients'],
        summary: 'The two are different people: the candidate is dismissed (audited)',
        params: IdParams,
        response: { 200: PatientReview, ...errors },
      },
    },
    async (request) => kernel.patientReviews.dismiss(contextOf(request), request.params.id),
  );
}
