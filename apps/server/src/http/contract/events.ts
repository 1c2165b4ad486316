/**
 * @module Events out's requests and answers (packages/events, ADR 0019): webhook subscriptions (the
 * secret shown once, at creation), the dead-letter list with replay, and the stream's query. The
 * webhook itself is a Standard Webhooks POST `{ type, timestamp, data }`; the stream sends the same
 * payload as each server-sent event's `data`, with the event id as its `id`.
 */
import { Type } from 'typebox';
import { DateTime, List, Nullable, QueryFlag, Strict, Uuid } from './common.js';

const EventType = Type.String({
  pattern: '^[a-z]+\\.[a-z-]+$',
  description: 'e.g. appointment.no-show, proposal.verified',
});

export const NewSubscriptionBody = Strict({
  url: Type.String({
    minLength: 1,
    maxLength: 2000,
    description: 'the webhook URL: it must lie under a destination in the egress registry',
  }),
  types: Type.Optional(
    Type.Array(EventType, { maxItems: 50, description: 'the event types wanted; none or empty for every type' }),
  ),
});

export const Subscription = Type.Object({
  id: Type.String(),
  destination: Type.String({ description: 'the egress destination the URL lies under' }),
  url: Type.String(),
  types: List(Type.String()),
  createdAt: DateTime,
});
export const SubscriptionCreated = Type.Object({
  subscription: Subscription,
  secret: Type.String({ description: 'whsec_…: the signing secret, shown this once' }),
});
export const SubscriptionList = Type.Object({ items: List(Subscription) });

export const Attempt = Type.Object({
  at: Type.String(),
  status: Type.Optional(Type.Integer({ description: "the receiver's status code" })),
  error: Type.Optional(Type.String({ description: 'why no answer came: TIMEOUT, UNREACHABLE, an error code' })),
  ms: Type.Integer(),
});
export const DeadLetter = Type.Object({
  id: Type.String(),
  subscriptionId: Type.String(),
  eventId: Type.String(),
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deadAt: DateTime,
  attemptLog: List(Attempt),
});
export const DeadLetterList = Type.Object({ items: List(DeadLetter) });
export const DeadLetterQuery = Strict({ limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$' })) });

export const StreamQuery = Strict({
  after: Type.Optional(Uuid),
  since: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'without after: start with the events recorded at or after this time',
    }),
  ),
  types: Type.Optional(Type.String({ maxLength: 2000, description: 'comma-separated event types' })),
  phi: Type.Optional(QueryFlag),
});
