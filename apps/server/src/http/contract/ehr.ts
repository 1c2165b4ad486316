/**
 * @module The EHR layer's routes. Status, checks, the attention list and flagged events are sent
 * whole, as JSON objects: their shape is the EHR package's (packages/ehr/src/runtime, inbound).
 */
import { Type } from 'typebox';
import { JsonBody, JsonObject } from './common.js';

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
