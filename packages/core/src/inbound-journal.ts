/**
 * @module The port every inbound channel (HL7 v2 over MLLP, FHIR subscription notifications, FHIR
 * polling) hands its messages to. `receive` resolves only once the raw message and the events
 * normalized from it are durably stored, together, so a listener may acknowledge then and not
 * before. The governed implementation (encrypted, audited) is `EhrJournal` in governance;
 * `MemoryInboundJournal` (in @steward/ehr) is the in-memory one for fast tests.
 */
import type { EhrEvent, EhrEventChannel, EhrEventInput } from './ehr-events.js';

export interface InboundMessage {
  readonly connectionId: string;
  readonly channel: EhrEventChannel;
  /** Unique per connection and channel: HL7 MSH-10, a notification's bundle id + event number, a poll's version key. */
  readonly messageKey: string;
  /** The message as received (HL7 v2 text, FHIR JSON). PHI: stored encrypted, never logged. */
  readonly raw: string;
  /** A short label for operators, never PHI: `ADT^A01`, `Appointment`. */
  readonly messageType: string;
  readonly receivedAt: Date;
}

export type ReceiveOutcome =
  | { readonly status: 'stored'; readonly messageId: string; readonly events: readonly EhrEvent[] }
  | { readonly status: 'duplicate'; readonly messageId: string }
  | { readonly status: 'dead-letter'; readonly messageId: string };

export interface DeadLetter {
  readonly messageId: string;
  readonly connectionId: string;
  readonly channel: EhrEventChannel;
  readonly messageKey: string;
  readonly messageType: string;
  readonly receivedAt: Date;
  /** Why it was not processed: a parser or mapping message, never PHI. */
  readonly reason: string;
}

export interface InboundJournal {
  /**
   * Stores the message and its events in one transaction. A message whose (connection, channel,
   * messageKey) was stored before is a duplicate: nothing is stored again and `duplicate` is
   * returned, so the sender can be acknowledged again.
   */
  receive(message: InboundMessage, events: readonly EhrEventInput[]): Promise<ReceiveOutcome>;
  /**
   * `receive` for several messages at once (a FHIR search page): each item is stored and
   * deduplicated exactly as by `receive`, in order, typically in one transaction; one item that
   * cannot be stored does not keep the others from being stored. Resolves with one outcome per
   * item; rejects (after every item is settled) with the first item's error if any failed.
   * Optional: callers fall back to `receive` per item.
   */
  receiveMany?(
    items: readonly { readonly message: InboundMessage; readonly events: readonly EhrEventInput[] }[],
  ): Promise<readonly ReceiveOutcome[]>;
  /** Stores a message that could not be parsed or mapped, with the reason, on the dead-letter list. */
  deadLetter(message: InboundMessage, reason: string): Promise<ReceiveOutcome>;
  deadLetters(connectionId?: string): Promise<readonly DeadLetter[]>;
  /** Events after `afterSeq`, in order (per patient, arrival order). */
  events(afterSeq: number, limit: number): Promise<readonly EhrEvent[]>;
}
