/**
 * @module The EHR layer's routes. Status, checks, the attention list and flagged events are sent
 * whole, as JSON objects: their shape is the EHR package's (packages/ehr/src/runtime, inbound).
 */
import { Type } from 'typebox';
import { vendorIds, type NewConnection } from '@steward/ehr';
import { JsonBody, JsonObject, Strict } from './common.js';

export const NotificationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** `k` is tolerated for EHRs that append it; other parameters are ignored. */
export const NotificationQuery = Type.Object({ k: Type.Optional(Type.String({ maxLength: 64 })) });
/** A FHIR notification Bundle, read by the subscription package. */
export const NotificationBody = JsonBody;
export const NotificationAnswer = Type.Object({ type: Type.String(), events: Type.Integer() });

export const ConnectionStatus = JsonObject;
export const FlaggedEventsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { additionalProperties: false },
);

const names = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 });

/** POST /ehr/connections: a connection for a site (FHIR R4 with SMART Backend Services, and/or an HL7 v2 feed). */
export const NewConnectionBody = Strict({
  name: Type.String({ minLength: 1, maxLength: 48 }),
  site: Type.String({ minLength: 1, maxLength: 64 }),
  vendor: Type.Enum(vendorIds),
  facilityTimeZone: Type.String({ minLength: 1, maxLength: 64 }),
  fhirBaseUrl: Type.Optional(Type.String({ minLength: 8, maxLength: 2000 })),
  clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  // A private JWK: its key fields vary by key type (kept whole; sealed by the registry).
  privateKey: Type.Optional(
    Type.Unsafe<NonNullable<NewConnection['privateKey']>>(
      Type.Object(
        { kty: Type.String(), kid: Type.Optional(Type.String()), alg: Type.Optional(Type.String()) },
        { additionalProperties: true },
      ),
    ),
  ),
  scopes: Type.Optional(names),
  mllpPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  mllp: Type.Optional(
    Strict({
      allowedSources: Type.Optional(names),
      sendingApplications: Type.Optional(names),
      sendingFacilities: Type.Optional(names),
      routeTypes: Type.Optional(names),
      ignoreTypes: Type.Optional(names),
      tls: Type.Optional(Type.Boolean()),
    }),
  ),
  pollIntervalSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  budget: Type.Optional(Strict({ requestsPerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) })),
  zonelessTimes: Type.Optional(Type.Enum(['infer', 'refuse'])),
});

/** A connection just registered: never its key. */
export const ConnectionAdded = Type.Object({
  name: Type.String(),
  site: Type.String(),
  vendor: Type.String(),
  fhirBaseUrl: Type.Union([Type.String(), Type.Null()]),
  serviceAccount: Type.String(),
  started: Type.Boolean({ description: 'whether the running EHR layer started it now' }),
});
