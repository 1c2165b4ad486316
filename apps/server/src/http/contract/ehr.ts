/**
 * @module The EHR layer's routes: connections and what each is doing, a connection check, the
 * attention list and flagged events (their shapes are the EHR package's, declared here in full;
 * only a poll's and a subscription set-up's own details stay open objects).
 */
import { Type } from 'typebox';
import { vendorIds, type NewConnection } from '@steward/ehr';
import { ehrEventFlagCodes } from '@steward/core';
import { DateTime, JsonBody, JsonObject, List, Maybe, Nullable, Strict } from './common.js';

export const NotificationParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** `k` is tolerated for EHRs that append it; other parameters are ignored. */
export const NotificationQuery = Type.Object({ k: Type.Optional(Type.String({ maxLength: 64 })) });
/** A FHIR notification Bundle, read by the subscription package. */
export const NotificationBody = JsonBody;
export const NotificationAnswer = Type.Object({ type: Type.String(), events: Type.Integer() });

/** What the EHR layer reports of a running connection (none when the layer is off or it is not running). */
const RunningConnection = Type.Object({
  name: Type.String(),
  mllp: Maybe(Type.Object({ host: Type.String(), port: Type.Integer() })),
  /** The subscriptions set up (per resource type), or why they could not be. */
  subscriptions: Maybe(JsonObject),
  lastPoll: Maybe(Type.Object({ at: Type.String(), result: JsonObject })),
  lastPollError: Maybe(Type.String()),
  /** The last subscription notification filed (none since the start: none yet, or no subscriptions). */
  lastNotification: Maybe(Type.Object({ at: Type.String(), type: Type.String(), events: Type.Integer() })),
  /** This node (host:pid), which owns the connection, and since when. */
  owner: Maybe(Type.Object({ node: Type.String(), since: Type.String() })),
});

/** GET /ehr/connections. */
export const ConnectionOverviewList = Type.Object({
  items: List(
    Type.Object({
      name: Type.String(),
      site: Type.String(),
      vendor: Type.String(),
      fhirBaseUrl: Nullable(Type.String()),
      facilityTimeZone: Type.String(),
      mllpPort: Nullable(Type.Integer()),
      requestsPerSecond: Type.Number(),
      running: Nullable(RunningConnection),
      /** Several processes over one PostgreSQL: the owning node (host:pid), since when, and whether its lock session lives. */
      owner: Nullable(Type.Object({ node: Type.String(), since: Type.String(), live: Type.Boolean() })),
    }),
  ),
});

/** POST /ehr/connections/:name/check: discovery, a SMART token, a read, each with what it found or why it failed. */
export const ConnectionCheckReport = Type.Object({
  connection: Type.String(),
  ok: Type.Boolean(),
  steps: List(
    Type.Object({
      step: Type.Enum(['discovery', 'token', 'read']),
      ok: Type.Boolean(),
      detail: Type.String(),
      ms: Type.Number(),
    }),
  ),
});

/** GET /ehr/connections/:name/dead-letters: what a person should see, never message content. */
export const AttentionList = Type.Object({
  counts: Type.Object({
    deadLetter: Type.Integer(),
    controlIdReused: Type.Integer(),
    /** Messages whose patient no EHR Patient (or more than one) carries: nothing was drafted for them. */
    patientNotFound: Type.Integer(),
    ignored: Type.Integer(),
  }),
  items: List(
    Type.Object({
      kind: Type.Enum(['dead-letter', 'control-id-reused', 'patient-not-found', 'ignored']),
      messageId: Type.String(),
      connectionId: Type.String(),
      channel: Type.Enum(['fhir-subscription', 'fhir-poll', 'hl7v2', 'sandbox', 'screens']),
      messageKey: Type.String(),
      messageType: Type.String(),
      receivedAt: DateTime,
      reason: Type.String(),
    }),
  ),
});

/** GET /ehr/connections/:name/flagged-events: codes and field names, never content. */
export const FlaggedEventPage = Type.Object({
  total: Type.Integer(),
  items: List(
    Type.Object({
      eventId: Type.String(),
      seq: Type.Integer(),
      type: Type.String(),
      sourceRef: Type.String(),
      occurredAt: Type.String(),
      flags: List(Type.Object({ code: Type.Enum([...ehrEventFlagCodes]), detail: Type.String() })),
    }),
  ),
});
export const FlaggedEventsQuery = Type.Object(
  // A query string carries text (the server does not coerce types): digits, 1 to 1000.
  { limit: Type.Optional(Type.String({ pattern: '^([1-9]\\d{0,2}|1000)$', description: '1-1000, default 100' })) },
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
  /** `screens`: written through its browser screens by the approved screen map (no FHIR base URL). */
  channel: Type.Optional(Type.Enum(['fhir-r4', 'screens'])),
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
