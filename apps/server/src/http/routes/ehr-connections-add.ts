/**
 * @module POST /ehr/connections: register an EHR connection (`steward ehr add`). The registry
 * checks `config.manage` and the settings; a running EHR layer starts the connection at once
 * (its listener, polling, subscriptions), so no restart is needed. The private key is sealed by
 * the registry and never answered back.
 */
import type { FastifyInstance } from 'fastify';
import type { EhrRuntime } from '@steward/ehr';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { ConnectionAdded, NewConnectionBody } from '../contract/ehr.js';
import { typed } from '../typed.js';

export function ehrConnectionAddRoutes(app: FastifyInstance, kernel: Kernel, runtime: EhrRuntime | undefined): void {
  typed(app).post(
    '/ehr/connections',
    {
      schema: {
        tags: ['ehr'],
        summary: 'Register an EHR connection for a site (FHIR R4 with SMART Backend Services, and/or an HL7 v2 feed)',
        body: NewConnectionBody,
        response: { 201: ConnectionAdded, ...errors },
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
