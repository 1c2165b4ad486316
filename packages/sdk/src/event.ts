/** @module The event Steward publishes, as webhooks and the stream carry it. */
import { isRecord } from './errors.js';

/**
 * One event as Steward delivers it, by webhook (the Standard Webhooks body) and on the stream (each
 * message's data): `{ type, timestamp, data }`. `data.references` always; the patient and the EHR's
 * facts only when `data.phi` is true (a destination with a BAA on record, or a stream asked with
 * `phi: true` by an account whose grant allows it). The shape is `packages/events`'s `toPayload`.
 */
export interface StewardEvent {
  /** e.g. `appointment.no-show`, `referral.created`, `proposal.verified`. */
  readonly type: string;
  /** When Steward recorded it (ISO-8601). */
  readonly timestamp: string;
  readonly data: {
    /** The event id: the webhook-id, the stream's event id; de-duplicate by it. */
    readonly id: string;
    readonly site: string;
    /** When it happened in the EHR, or when the proposal moved. */
    readonly occurredAt: string;
    readonly references: {
      /** The EHR resource it is about (`Appointment`/id), read it through `steward.fhir`. */
      readonly resource?: { readonly type: string; readonly id: string };
      /** The EHR connection, by id (the facade takes it in place of the name). */
      readonly connectionId?: string;
      readonly proposalId?: string;
      /** A proposal's action type. */
      readonly action?: string;
      /** A proposal move's machine reason (`rebased`, `exhausted`). */
      readonly reason?: string;
    };
    /** Whether the PHI part below is included. */
    readonly phi: boolean;
    readonly patient?: {
      readonly id: string | null;
      readonly ehrId?: string;
      readonly identifiers: readonly { readonly system?: string; readonly value: string }[];
    };
    /** What the EHR said (the normalised facts of the event's kind). */
    readonly facts?: { readonly kind: string; readonly [field: string]: unknown };
    /** A proposal's outcome before this one. */
    readonly previous?: string;
  };
}

/** The `{ type, timestamp, data: { id, … } }` shape, checked before it is trusted as an event. */
export function isStewardEvent(x: unknown): x is StewardEvent {
  return (
    isRecord(x) &&
    typeof x['type'] === 'string' &&
    typeof x['timestamp'] === 'string' &&
    isRecord(x['data']) &&
    typeof x['data']['id'] === 'string' &&
    typeof x['data']['site'] === 'string'
  );
}
