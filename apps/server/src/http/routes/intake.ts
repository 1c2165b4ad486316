/**
 * @module /intake: documents arriving (an upload, the EHR's MDM or DocumentReference, a provider's
 * signed webhook: 202 with the arrival while its file waits to be read, `Location` the arrival to
 * poll; 200 when there is nothing to wait for, a duplicate of a file read before), what became of
 * an arrival, the intake queue, one document beside what was read from it, its page images
 * (decrypted PNG, `no-store`, audited as a PHI read naming the patient), the sort / match / reject
 * actions that send a document on, and the per-site intake policy and webhook sources.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ValidationError, type RequestContext } from '@steward/core';
import {
  binaryFile,
  checkArrivingFile,
  decodeBase64,
  fhirDocumentSource,
  maxIntakeBytes,
  mdmDocument,
  type ArrivalView as Arrival,
} from '@steward/intake';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import {
  ArrivalView,
  IntakeArrivalParams,
  IntakeCandidates,
  IntakeCandidatesQuery,
  IntakeDocumentDetail,
  IntakeDocumentSummary,
  IntakeFhirBody,
  IntakeHl7Body,
  IntakeMatchBody,
  IntakeReferralBody,
  IntakePageParams,
  IntakePolicyBody,
  IntakePolicyView,
  IntakeQueuePage,
  IntakeQueueQuery,
  IntakeRejectBody,
  IntakeSiteParams,
  IntakeSortBody,
  IntakeUploadBody,
  IntakeWebhookParams,
  IntakeWebhookSourceBody,
  IntakeWebhookSourceView,
} from '../contract/intake.js';
import { IdParams } from '../contract/common.js';
import { typed } from '../typed.js';

/** A base64 body of the largest file, and JSON around it. */
const fileBodyLimit = Math.ceil((maxIntakeBytes * 4) / 3) + 128 * 1024;
const tags = ['intake'];
/** An arrival's answer: 202 while its file waits to be read (poll `Location`), 200 when it is settled (a duplicate). */
const arrivalResponse = { 200: ArrivalView, 202: ArrivalView, ...errors };

function answered(reply: FastifyReply, arrival: Arrival): Arrival {
  if (arrival.reading === 'received' || arrival.reading === 'reading')
    void reply.status(202).header('location', `/intake/arrivals/${arrival.arrivalId}`);
  return arrival;
}

export function intakeRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);

  /**
   * The file a FHIR arrival holds: inline, or the Binary its attachment points at, read from the
   * named connection at the arrival's site as the caller (the EHR reader decides and audits it).
   * An unknown connection and one at another site are refused alike, naming the field.
   */
  async function fhirFile(ctx: RequestContext, body: { site: string; resource: unknown; connection?: string }) {
    const source = fhirDocumentSource(body.resource);
    if (source.kind === 'inline') return source.file;
    const noConnection = (message: string) =>
      new ValidationError('the attachment is by url: name the EHR connection at the site to read it from', [
        { path: 'connection', message },
      ]);
    if (body.connection === undefined) throw noConnection(`the EHR connection that holds Binary/${source.binaryId}`);
    const connection = await kernel.connections.get(body.connection).catch(() => undefined);
    if (connection === undefined || connection.site !== body.site)
      throw noConnection(`no EHR connection ${body.connection} at site ${body.site}`);
    const binary = await kernel.ehr.read(ctx, connection.id, { resourceType: 'Binary', id: source.binaryId });
    return binaryFile(binary.resource, {
      ...(source.contentType !== undefined ? { contentType: source.contentType } : {}),
      reference: source.reference,
    });
  }

  api.post(
    '/intake/uploads',
    {
      bodyLimit: fileBodyLimit,
      schema: {
        tags,
        summary:
          'Uploads a document (PDF, TIFF, PNG or JPEG as base64): recorded and sealed, then read and routed by the reading worker (intake.upload at the site). 202 while it waits to be read: poll GET /intake/arrivals/{id}',
        body: IntakeUploadBody,
        response: arrivalResponse,
      },
    },
    async (request, reply) => {
      const { site, mediaType, fileName, data } = request.body;
      const file = checkArrivingFile(decodeBase64(data, 'data'), mediaType, fileName);
      return answered(reply, await kernel.intake.receive(contextOf(request), { site, source: 'upload', file }));
    },
  );

  api.get(
    '/intake/arrivals/:id',
    {
      schema: {
        tags,
        summary:
          'What became of an arrival: its file waiting to be read, being read, read (its documents) or unreadable (why). intake.upload at its site: who may bring a file may follow it; no PHI',
        params: IntakeArrivalParams,
        response: { 200: ArrivalView, ...errors },
      },
    },
    async (request) => kernel.intake.arrival(contextOf(request), request.params.id),
  );

  api.post(
    '/intake/arrivals/hl7',
    {
      bodyLimit: fileBodyLimit,
      schema: {
        tags,
        summary:
          "A document from the EHR as an HL7 v2 MDM^T02 (the document in OBX-5, ED, Base64): the EHR interface's account",
        body: IntakeHl7Body,
        response: arrivalResponse,
      },
    },
    async (request, reply) =>
      answered(
        reply,
        await kernel.intake.receive(contextOf(request), {
          site: request.body.site,
          source: 'hl7-mdm',
          file: mdmDocument(request.body.message),
        }),
      ),
  );

  api.post(
    '/intake/arrivals/fhir',
    {
      bodyLimit: fileBodyLimit,
      schema: {
        tags,
        summary:
          'A document from the EHR as a FHIR DocumentReference (attachment data inline, or by url to a Binary read from the named connection) or Binary',
        body: IntakeFhirBody,
        response: arrivalResponse,
      },
    },
    async (request, reply) =>
      answered(
        reply,
        await kernel.intake.receive(contextOf(request), {
          site: request.body.site,
          source: 'fhir',
          file: await fhirFile(contextOf(request), request.body),
        }),
      ),
  );

  api.get(
    '/intake/documents',
    {
      schema: {
        tags,
        summary:
          'The intake queue, newest change first: by state, type, confidence and completeness; patients by name where the reader may see names',
        querystring: IntakeQueueQuery,
        response: { 200: IntakeQueuePage, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      return kernel.intake.list(contextOf(request), {
        ...(q.site !== undefined ? { site: q.site } : {}),
        ...(q.state !== undefined ? { state: q.state.split(',') } : {}),
        ...(q.type !== undefined ? { type: q.type } : {}),
        ...(q.minConfidence !== undefined ? { minConfidence: Number(q.minConfidence) } : {}),
        ...(q.maxConfidence !== undefined ? { maxConfidence: Number(q.maxConfidence) } : {}),
        ...(q.complete !== undefined ? { complete: q.complete === 'true' } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
      });
    },
  );

  api.get(
    '/intake/documents/:id',
    {
      schema: {
        tags,
        summary:
          'One document: what was read from it (fields, page text) beside its pages and how it got here (PHI: phi.read, audited)',
        params: IdParams,
        response: { 200: IntakeDocumentDetail, ...errors },
      },
    },
    async (request) => kernel.intake.show(contextOf(request), request.params.id),
  );

  api.get(
    '/intake/documents/:id/pages/:page',
    {
      schema: {
        tags,
        summary:
          "One page of a document as a PNG, decrypted (PHI): phi.read at the document's site; each view audited naming the patient",
        params: IntakePageParams,
        produces: ['image/png'],
      },
    },
    async (request, reply) => {
      const png = await kernel.intake.pageImage(contextOf(request), request.params.id, Number(request.params.page));
      return reply.type('image/png').header('cache-control', 'no-store').send(png);
    },
  );

  api.post(
    '/intake/documents/:id/sort',
    {
      schema: {
        tags,
        summary:
          'Sets the type of a document the classifier abstained on (intake.work, audited); it then goes on to matching and filing',
        params: IdParams,
        body: IntakeSortBody,
        response: { 200: IntakeDocumentSummary, ...errors },
      },
    },
    async (request) => kernel.intake.sort(contextOf(request), request.params.id, request.body.type),
  );

  api.post(
    '/intake/documents/:id/match',
    {
      schema: {
        tags,
        summary:
          'Names the patient of a document waiting for one (a Steward patient id; intake.work, audited); it then goes on',
        params: IdParams,
        body: IntakeMatchBody,
        response: { 200: IntakeDocumentSummary, ...errors },
      },
    },
    async (request) => kernel.intake.match(contextOf(request), request.params.id, request.body.patientId),
  );

  api.post(
    '/intake/documents/:id/referral',
    {
      schema: {
        tags,
        summary:
          'Links a consult note or result to the referral it answers, or says it answers none (null) (intake.work, audited); a document waiting for its referral then goes on to filing',
        params: IdParams,
        body: IntakeReferralBody,
        response: { 200: IntakeDocumentSummary, ...errors },
      },
    },
    async (request) => kernel.intake.linkReferral(contextOf(request), request.params.id, request.body.referral),
  );

  api.get(
    '/intake/documents/:id/candidates',
    {
      schema: {
        tags,
        summary:
          'The patients a person may name for a document: found by the MRN, member id, or name and birth date read on it, or by a value typed (intake.work; the index audits each search)',
        params: IdParams,
        querystring: IntakeCandidatesQuery,
        response: { 200: IntakeCandidates, ...errors },
      },
    },
    async (request) => ({
      items: await kernel.intake.candidates(contextOf(request), request.params.id, request.query.value),
    }),
  );

  api.post(
    '/intake/documents/:id/reject',
    {
      schema: {
        tags,
        summary: 'Ends a document that is not to be filed, with a reason (intake.work, audited)',
        params: IdParams,
        body: IntakeRejectBody,
        response: { 200: IntakeDocumentSummary, ...errors },
      },
    },
    async (request) => kernel.intake.reject(contextOf(request), request.params.id, request.body.reason),
  );

  api.post(
    '/intake/documents/:id/resume',
    {
      schema: {
        tags,
        summary: 'Takes a document on again after its routing stopped on an error (intake.work, audited)',
        params: IdParams,
        response: { 200: IntakeDocumentSummary, ...errors },
      },
    },
    async (request) => kernel.intake.resume(contextOf(request), request.params.id),
  );

  api.get(
    '/intake/policies/:site',
    {
      schema: {
        tags,
        summary: "The site's intake policy: which document types are filed without a person, above which confidence",
        params: IntakeSiteParams,
        response: { 200: IntakePolicyView, ...errors },
      },
    },
    async (request) => kernel.intake.policy(contextOf(request), request.params.site),
  );

  api.put(
    '/intake/policies/:site',
    {
      schema: {
        tags,
        summary: "Sets the site's intake policy (intake.manage; versioned, audited)",
        params: IntakeSiteParams,
        body: IntakePolicyBody,
        response: { 200: IntakePolicyView, ...errors },
      },
    },
    async (request) =>
      kernel.intake.setPolicy(contextOf(request), {
        site: request.params.site,
        autoFileTypes: request.body.autoFileTypes,
        confidenceFloor: request.body.confidenceFloor,
        ...(request.body.intakePool !== undefined ? { intakePool: request.body.intakePool } : {}),
      }),
  );

  api.post(
    '/intake/webhook-sources',
    {
      schema: {
        tags,
        summary:
          "Registers (or re-keys) a fax or e-mail provider's webhook source at a site, naming its egress destination; the secret is shown once",
        body: IntakeWebhookSourceBody,
        response: { 200: IntakeWebhookSourceView, ...errors },
      },
    },
    async (request) => kernel.intakeWebhooks.register(contextOf(request), request.body),
  );

  // The provider's delivery: the raw body is what is signed, so this scope keeps JSON as bytes.
  void app.register((scope, _options, registered) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: fileBodyLimit },
      (_req, body, done) => {
        done(null, body);
      },
    );
    typed(scope).post(
      '/intake/webhooks/:name',
      {
        bodyLimit: fileBodyLimit,
        config: { public: true },
        schema: {
          tags,
          summary:
            'A provider delivers a document (Standard Webhooks signature: webhook-id, webhook-timestamp, webhook-signature). JSON body: {messageId, from?, mediaType?, data (base64)}',
          params: IntakeWebhookParams,
          response: arrivalResponse,
        },
      },
      async (request, reply) => {
        const header = (name: string): string | undefined => {
          const v = request.headers[name];
          return typeof v === 'string' ? v : undefined;
        };
        const id = header('webhook-id');
        const timestamp = header('webhook-timestamp');
        const signature = header('webhook-signature');
        return answered(
          reply,
          await kernel.intakeWebhooks.receive(
            request.params.name,
            {
              ...(id !== undefined ? { id } : {}),
              ...(timestamp !== undefined ? { timestamp } : {}),
              ...(signature !== undefined ? { signature } : {}),
            },
            request.body as Buffer,
            request.ip,
          ),
        );
      },
    );
    registered();
  });
}
