/**
 * @module POST /ehr/connections: register an EHR connection (`steward ehr add`). The registry
 * checks `config.manage` and the settings; a running EHR layer starts the connection at once
 * (its listener, polling, subscriptions), so no restart is needed. The private key is sealed by
 * the registry and never answered back.
 */
import type { FastifyInstance } from 'fastify';
import { vendorIds, type EhrRuntime, type NewConnection } from '@steward/ehr';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../schemas.js';

const names = { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 } } as const;

export function ehrConnectionAddRoutes(app: FastifyInstance, kernel: Kernel, runtime: EhrRuntime | undefined): void {
  app.post<{ Body: NewConnection }>(
    '/ehr/connections',
    {
      schema: {
        tags: ['ehr'],
        summary: 'Register an EHR connection for a site (FHIR R4 with SMART Backend Services, and/or an HL7 v2 feed)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'site', 'vendor', 'facilityTimeZone'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 48 },
            site: { type: 'string', minLength: 1, maxLength: 64 },
            vendor: { type: 'string', enum: [...vendorIds] },
            facilityTimeZone: { type: 'string', minLength: 1, maxLength: 64 },
            fhirBaseUrl: { type: 'string', minLength: 8, maxLength: 2000 },
            clientId: { type: 'string', minLength: 1, maxLength: 200 },
            privateKey: {
              type: 'object',
              required: ['kty'],
              additionalProperties: true,
              properties: { kty: { type: 'string' }, kid: { type: 'string' }, alg: { type: 'string' } },
            },
            scopes: names,
            mllpPort: { type: 'integer', minimum: 0, maximum: 65535 },
            mllp: {
              type: 'object',
              additionalProperties: false,
              properties: {
                allowedSources: names,
                sendingApplications: names,
                sendingFacilities: names,
                routeTypes: names,
                ignoreTypes: names,
                tls: { type: 'boolean' },
              },
            },
            pollIntervalSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
            budget: {
              type: 'object',
              additionalProperties: false,
              properties: { requestsPerSecond: { type: 'integer', minimum: 1, maximum: 10_000 } },
            },
            zonelessTimes: { type: 'string', enum: ['infer', 'refuse'] },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              site: { type: 'string' },
              vendor: { type: 'string' },
              fhirBaseUrl: { type: ['string', 'null'] },
              serviceAccount: { type: 'string' },
              started: { type: 'boolean', description: 'whether the running EHR layer started it now' },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const c = await kernel.connections.add(contextOf(request), request.body);
      let started = false;
      if (runtime !== undefined) {
        try {
          await runtime.startConnection(c);
          started = true;
        } catch (e) {
          // Registered all the same: the next start tries again; the log says why (a code, no data).
          const code = e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'INTERNAL';
          request.log.error({ connection: c.name, code }, 'EHR connection did not start');
        }
      }
      void reply.status(201);
      return {
        name: c.name,
        site: c.site,
        vendor: c.vendor,
        fhirBaseUrl: c.fhirBaseUrl ?? null,
        serviceAccount: `ehr-${c.name}`,
        started,
      };
    },
  );
}
