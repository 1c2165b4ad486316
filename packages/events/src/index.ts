/**
 * @module @steward/events: events out (issue 18, ADR 0019). Normalised events from the EHR journal
 * and the proposals' outcomes, filed in a sealed outbox in commit order; webhook subscriptions
 * (Standard Webhooks signatures, retries, per-patient order, dead letters) and a server-sent
 * event stream, both scoped by the subscriber's grants, with PHI only under a BAA.
 */
export { eventTypes, publishedEhrTypes, fromEhrEvent, fromProposalChange, toPayload } from './model/event-record.js';
export type { EventPayload, EventPhi, EventReferences, NewEvent, StewardEvent } from './model/event-record.js';
export { proposalOutcomeOf, proposalOutcomes } from './model/proposal-outcome.js';
export type { ProposalOutcome } from './model/proposal-outcome.js';
export { EventOutbox } from './outbox/event-outbox.js';
export type { OutboxFilter } from './outbox/event-outbox.js';
export { EventCapture } from './capture/event-capture.js';
export type { CapturedConnection, CaptureRound, EventSources } from './capture/event-capture.js';
export { EventSubscriptions } from './subscriptions/event-subscriptions.js';
export type {
  ActiveSubscription,
  AttemptRecord,
  DeadLetter,
  EventSubscriptionsDeps,
  NewSubscription,
  Subscription,
} from './subscriptions/event-subscriptions.js';
export { DeliveryWorker } from './delivery/delivery-worker.js';
export type { DeliveryOptions } from './delivery/delivery-worker.js';
export { EventStream } from './stream/event-stream.js';
export { EventDeadLetterRetention, EventsOutRetention } from './retention/events-retention.js';
export type { StreamItem, StreamRequest } from './stream/event-stream.js';
