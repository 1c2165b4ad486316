/**
 * @module /patients/:id/overview: one Steward patient's whole picture for a coordinator: the patient
 * as the minimum-necessary rule lets the reader see them, their referrals and follow-ups, their
 * proposals (when the reader may see the review queue there), and their recent EHR events. Each
 * part is a governed read of the service that owns it, decided at the patient's site and audited
 * naming the patient with what it showed (`matches:1`, the label's read, `referrals:<n>`,
 * `followups:<n>`, `patient-events:<n>`). A patient outside the reader's scope, or unknown, is
 * NOT_FOUND (the same answer, so ids are not probed). Contacts and relationships come from the
 * contact-graph person the patient is linked to (`PUT|DELETE /patients/:id/contact-link`, made by a
 * person with the contacts write permission, audited); without a link, the graph's exact matches on
 * name and birth date are suggested, never shown as the patient's contacts.
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '@steward/core';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams, NoContent } from '../contract/common.js';
import { ContactLinkBody, PatientContactLink, PatientPage } from '../contract/patient-page.js';
import { typed } from '../typed.js';

type Deps = Pick<Kernel, 'patients' | 'patientLabels' | 'referrals' | 'followups' | 'proposals' | 'policy'> &
  Pick<Kernel, 'ehrJournal' | 'connections' | 'clock' | 'relationships'>;

const LIMIT = 50;
/** The most recent EHR events shown: enough to see what happened lately, not the whole chart's feed. */
const EVENTS = 20;

export function patientPageRoutes(app: FastifyInstance, kernel: Deps): void {
  typed(app).get(
    '/patients/:id/overview',
    {
      schema: {
        tags: ['patients'],
        summary: "One patient's page: referrals, follow-ups, proposals and recent EHR events (audited)",
        params: IdParams,
        response: { 200: PatientPage, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      // Found only where the reader may search patients (phi.search at the patient's site).
      const [found] = await kernel.patients.find(ctx, { term: request.params.id });
      if (found === undefined) throw new NotFoundError('patient');
      const site = found.site;
      const ids = [found.id, ...found.mergedIds];
      const [label] = await kernel.patientLabels.label(ctx, [{ patientId: found.id, site }]);
      const referrals = await kernel.referrals.list(ctx, { site, patientIds: ids, limit: LIMIT });
      const followups = await kernel.followups.list(ctx, { site, patientIds: ids, limit: LIMIT });
      const mayReview = (await kernel.policy.decide(ctx, 'review.read', { site })).allowed;
      const proposals = mayReview
        ? (
            await kernel.proposals.list(ctx, {
              site,
              patientId: found.id,
              status: ['pending_review', 'approved', 'committed', 'verified', 'conflicted', 'failed', 'rejected'],
              limit: LIMIT,
            })
          ).items
        : null;
      const connectionIds = (await kernel.connections.all()).filter((c) => c.site === site).map((c) => c.id);
      const events = await kernel.ehrJournal.patientEvents(ctx, {
        site,
        patientIds: ids,
        connectionIds,
        limit: EVENTS,
      });
      const contacts = await kernel.relationships.patientLinks.contactsOf(ctx, found);
      return {
        patient: label ?? { id: found.id },
        site,
        mergedIds: [...found.mergedIds],
        referrals: referrals.items.map((r) => ({ ...r, ...(label !== undefined ? { patientLabel: label } : {}) })),
        followups: followups.items.map((f) => ({ ...f, ...(label !== undefined ? { patientLabel: label } : {}) })),
        proposals:
          proposals?.map((p) => ({
            id: p.id,
            action: p.action,
            status: p.status,
            reasonCode: p.reasonCode,
            workflow: p.workflow ?? null,
            priority: p.priority,
            dueAt: p.dueAt?.toISOString() ?? null,
            createdAt: p.createdAt.toISOString(),
            updatedAt: p.updatedAt.toISOString(),
          })) ?? null,
        events: events.map((e) => ({
          id: e.id,
          type: e.type,
          kind: e.facts.kind,
          status: 'status' in e.facts && typeof e.facts.status === 'string' ? e.facts.status : null,
          occurredAt: e.occurredAt,
          recordedAt: new Date(e.recordedAt).toISOString(),
          sourceRef: e.sourceRef,
          connectionId: e.connectionId,
        })),
        contacts,
        asOf: kernel.clock.now().toISOString(),
      };
    },
  );

  typed(app).put(
    '/patients/:id/contact-link',
    {
      schema: {
        tags: ['patients'],
        summary: 'Link the patient to their person in the contact graph, as confirmed by the caller (audited)',
        params: IdParams,
        body: ContactLinkBody,
        response: { 200: PatientContactLink, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const [found] = await kernel.patients.find(ctx, { term: request.params.id });
      if (found === undefined) throw new NotFoundError('patient');
      return kernel.relationships.patientLinks.link(ctx, found, request.body.partyId);
    },
  );

  typed(app).delete(
    '/patients/:id/contact-link',
    {
      schema: {
        tags: ['patients'],
        summary: "Remove the patient's link to the contact graph (audited)",
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const [found] = await kernel.patients.find(ctx, { term: request.params.id });
      if (found === undefined) throw new NotFoundError('patient');
      await kernel.relationships.patientLinks.unlink(ctx, found);
      void reply.status(204);
    },
  );
}
