/**
 * @module The port every inbound channel (HL7 v2 over MLLP, FHIR subscription notifications, FHIR
 * polling) hands its messages to. `receive` resolves only once the raw message and the events
 * normalized from it are durably stored, together, so a listener may acknowledge then and not
 * before. The governed implementation (encrypted, audited) is `EhrJournal` in governance;
 * `MemoryInboundJournal` (in @steward/ehr) is the in-memory one for fast tests.
 */
import type { EhrEvent, EhrEventChannel, EhrEventInput, PatientRef } from './ehr-events.js';

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
  /**
   * True when `messageKey` is a sender's control id that may repeat for different content (HL7
   * MSH-10: counters reset daily, ids reused across message types). The journal then compares
   * content: the same content is a duplicate; different content is filed as its own message
   * (under the key plus its content hash) and flagged `control-id-reused` for a person.
   */
  readonly keyMayRepeat?: boolean;
  /**
   * The patient the message is about, when the channel can tell (a FHIR resource's patient, an
   * HL7 message's PID). Receiving a patient's data is a PHI access even when no event comes of it
   * (a superseded document, a type's first sync): the governed journal resolves this patient in
   * the filing transaction and names them on the receipt's audit entry when no event does.
   */
  readonly subject?: PatientRef;
}

/**
 * Why a filed message is on the attention list although it was processed: its control id was used
 * before for another message, or a workflow could not find the patient it names in the EHR (no EHR
 * Patient, or two, carry its identifiers), so nothing was drafted for it until a person settles it.
 */
export type InboundFlag = 'control-id-reused' | 'patient-not-found';

export type ReceiveOutcome =
  | {
      readonly status: 'stored';
      readonly messageId: string;
      readonly events: readonly EhrEvent[];
      readonly flag?: InboundFlag;
    }
  | { readonly status: 'duplicate'; readonly messageId: string }
  | { readonly status: 'dead-letter'; readonly messageId: string }
  /** Kept and acknowledged, not routed (a message type the connection does not route). */
  | { readonly status: 'ignored'; readonly messageId: string; readonly flag?: InboundFlag };

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

/** One entry of a connection's attention list: what a person should see. Never message content. */
export interface AttentionItem extends DeadLetter {
  readonly kind: 'dead-letter' | InboundFlag | 'ignored';
}

/** The attention list with its counts per kind (the counts cover every item, the list the newest). */
export interface AttentionList {
  readonly counts: {
    readonly deadLetter: number;
    readonly controlIdReused: number;
    readonly patientNotFound: number;
    readonly ignored: number;
  };
  readonly items: readonly AttentionItem[];
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
  /**
   * Stores a message that is acknowledged but not routed (its type is not routed on this
   * connection), with the reason; deduplicated like `receive`, counted on the attention list.
   */
  ignore(message: InboundMessage, reason: string): Promise<ReceiveOutcome>;
  /** Dead letters, flagged messages and ignored ones, newest last, with counts per kind. */
  attention(limit?: number): Promise<AttentionList>;
  /** Events after `afterSeq`, in order (per patient, arrival order). */
  events(afterSeq: number, limit: number): Promise<readonly EhrEvent[]>;
}
