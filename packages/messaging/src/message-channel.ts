/**
 * The channel port: how a message reaches a patient. Embedded mode has one implementation, the
 * local outbox, where messages are kept (sealed) and nothing leaves the machine. A real SMS or
 * email vendor is a destination that receives PHI: it must be registered in the egress registry
 * with a signed BAA before a channel for it may be built (none exists yet: a known limit).
 */
import type { RequestContext } from '@steward/core';

export const channelKinds = ['sms', 'email'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export interface OutboundMessage {
  readonly site: string;
  readonly channel: ChannelKind;
  /** The phone number or email address (PHI). */
  readonly to: string;
  readonly subject?: string;
  /** The rendered text, with no clinical content (PHI all the same: it names an appointment). */
  readonly body: string;
  readonly language: string;
  readonly template: string;
  /** The same key is the same message: a channel sends it once. */
  readonly idempotencyKey: string;
  readonly proposalId?: string;
  /** The workflow a reply goes back to (a correlation key: references only). */
  readonly correlationKey?: string;
  /** Steward's patient id, for the audit trail. */
  readonly patientId?: string;
  /** Quiet hours: not delivered before this instant. */
  readonly notBefore: Date;
}

export interface MessageChannel {
  /** Sends (or queues) one message; idempotent by `idempotencyKey`. */
  send(ctx: RequestContext, message: OutboundMessage): Promise<{ readonly messageId: string }>;
}
