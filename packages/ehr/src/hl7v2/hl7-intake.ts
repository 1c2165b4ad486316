/**
 * @module What happens to one received HL7 v2 frame, whatever carried it: parse, check the sender,
 * route by message type, store through the journal, and the ACK to send back — one ACK per frame,
 * or for a batch (FHS/BHS … BTS/FTS) one batch of ACKs, one per message, in one frame.
 *
 * Outcomes, each visible somewhere:
 * - stored (AA); a reused MSH-10 with different content is stored AND flagged `control-id-reused`
 *   on the attention list (the journal decides; see `EhrJournal.fileAll`), with a warn log;
 * - a resend (same MSH-10, same content): AA, nothing stored again;
 * - a type the connection does not route: AA and kept as `ignored` (counted on the attention list).
 *   AR would make an interface engine stop the whole queue for a message nobody here needs;
 * - cannot be parsed or mapped, or from a sender the connection does not allow: dead letter, AR;
 * - the store failed: AE, nothing stored, the sender resends.
 */
import { createHash } from 'node:crypto';
import { isStewardError, newId, type Clock, type InboundJournal, type InboundMessage } from '@steward/core';
import { ackSourceFromRaw, buildAck, type AckCode, type AckSource } from './ack.js';
import { buildBatchAck, splitBatch } from './batch.js';
import { decodeHl7, type Hl7Decoded, type Hl7Routing, type Hl7SenderRules } from './hl7-decode.js';
import type { Hl7MapContext } from './map-common.js';

/** What the listener logs: operational facts only (connection, type, reason), never message content. */
export interface Hl7Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export type { Hl7Routing, Hl7SenderRules } from './hl7-decode.js';

export interface Hl7IntakeOptions {
  readonly connectionId: string;
  readonly journal: InboundJournal;
  readonly mapContext: Hl7MapContext;
  readonly clock: Clock;
  readonly routing?: Hl7Routing;
  readonly senders?: Hl7SenderRules;
  readonly logger?: Hl7Logger;
  /**
   * Hears each MDM message once it is filed (intake takes the document in OBX-5 from it). Called
   * after the journal stored the message and before the ACK; a failure is logged, never un-ACKs it.
   */
  readonly documents?: (raw: string) => Promise<void>;
  /**
   * Decodes (parses, routes, maps) off this thread: a worker pool (`Hl7DecodePool`). Absent, or
   * when it fails, messages are decoded inline.
   */
  readonly decoder?: { decode(raw: string): Promise<Hl7Decoded> };
}

interface Reply {
  readonly code: AckCode;
  readonly source: AckSource;
  readonly reason?: string;
  readonly errorCode?: string;
}

export class Hl7Intake {
  constructor(private readonly o: Hl7IntakeOptions) {}

  /** The ACK text for one frame's payload (a message or a batch). Never rejects. */
  async frame(payload: Buffer): Promise<string> {
    const raw = payload.toString('utf8');
    const batch = splitBatch(raw);
    if (batch === undefined) return this.ack(await this.message(raw, payload));
    if (batch.refusal !== undefined) {
      // The envelope cannot be read: keep it as one dead letter, with a reason that names the batch.
      const reply = await this.deadLetter(raw, payload, 'batch', batch.refusal, ackSourceFromRaw(''), '100');
      return this.ack(reply);
    }
    if (batch.problems.length > 0)
      this.o.logger?.warn(
        { connectionId: this.o.connectionId, problems: batch.problems },
        'hl7 batch envelope problem',
      );
    const acks: string[] = [];
    for (const text of batch.messages) acks.push(this.ack(await this.message(text, Buffer.from(text, 'utf8'))));
    return buildBatchAck({ batch, acks, ackControlId: newId(), now: this.o.clock.now() });
  }

  private ack(reply: Reply): string {
    return buildAck({
      code: reply.code,
      source: reply.source,
      ackControlId: newId(),
      now: this.o.clock.now(),
      ...(reply.reason === undefined ? {} : { reason: reply.reason }),
      ...(reply.errorCode === undefined ? {} : { errorCode: reply.errorCode }),
    });
  }

  private async message(raw: string, bytes: Buffer): Promise<Reply> {
    const receivedAt = this.o.clock.now();
    const decoded = await this.decode(raw);
    if (decoded.kind === 'unparseable')
      return this.deadLetter(raw, bytes, 'unknown', decoded.reason, decoded.source, '102');
    // HL7 table 0357 has no "sender not allowed"; 103 (table value not found) is the closest: MSH-3/4 is not in the allowed list.
    if (decoded.kind === 'refused')
      return this.deadLetter(raw, bytes, decoded.type, decoded.reason, decoded.source, '103');
    if (decoded.kind === 'unmappable')
      return this.deadLetter(raw, bytes, decoded.type, decoded.reason, decoded.source, '102');
    const { source, events, ignored, subject } = decoded;
    const parsed = { type: decoded.type, code: decoded.code };
    const base: InboundMessage = {
      connectionId: this.o.connectionId,
      channel: 'hl7v2',
      messageKey: decoded.controlId,
      keyMayRepeat: true,
      raw,
      messageType: decoded.type,
      receivedAt,
    };
    const message = subject === undefined ? base : { ...base, subject };
    try {
      const outcome =
        ignored === undefined
          ? await this.o.journal.receive(message, events)
          : await this.o.journal.ignore(message, ignored);
      if (outcome.status === 'dead-letter')
        return { code: 'AR', source, reason: 'the message was put on the dead-letter list', errorCode: '102' };
      if (parsed.code === 'MDM' && outcome.status === 'stored' && this.o.documents !== undefined)
        await this.o.documents(raw).catch((err: unknown) =>
          this.o.logger?.warn(
            {
              connectionId: this.o.connectionId,
              messageType: parsed.type,
              code: (err as { code?: unknown }).code ?? 'INTERNAL',
            },
            'hl7 document not taken into intake (the message is filed)',
          ),
        );
      if ((outcome.status === 'stored' || outcome.status === 'ignored') && outcome.flag === 'control-id-reused')
        this.o.logger?.warn(
          { connectionId: this.o.connectionId, messageType: parsed.type, messageId: outcome.messageId },
          'hl7 control id reused for a different message: filed as its own message and flagged for a person',
        );
      return { code: 'AA', source };
    } catch (err) {
      // Nothing was stored: AE tells the sender to resend later.
      this.o.logger?.warn(
        {
          connectionId: this.o.connectionId,
          messageType: parsed.type,
          code: isStewardError(err) ? err.code : 'UNEXPECTED',
        },
        'hl7 message could not be stored',
      );
      return { code: 'AE', source, reason: 'the message could not be stored; resend later', errorCode: '207' };
    }
  }

  /** Dead-letters a message (keyed by its bytes, so a corrected resend under the same MSH-10 is new) and refuses it. */
  private async deadLetter(
    raw: string,
    bytes: Buffer,
    messageType: string,
    reason: string,
    source: AckSource,
    errorCode: string,
  ): Promise<Reply> {
    const message: InboundMessage = {
      connectionId: this.o.connectionId,
      channel: 'hl7v2',
      messageKey: `dead:${createHash('sha256').update(bytes).digest('hex')}`,
      raw,
      messageType,
      receivedAt: this.o.clock.now(),
    };
    try {
      await this.o.journal.deadLetter(message, reason);
    } catch (err) {
      this.o.logger?.warn(
        { connectionId: this.o.connectionId, messageType, code: isStewardError(err) ? err.code : 'UNEXPECTED' },
        'hl7 message could not be stored',
      );
      return { code: 'AE', source, reason: 'the message could not be stored; resend later', errorCode: '207' };
    }
    this.o.logger?.info({ connectionId: this.o.connectionId, messageType, reason }, 'hl7 message dead-lettered');
    return { code: 'AR', source, reason, errorCode };
  }

  /** On the decoder's thread when there is one; inline when not, or when it failed. */
  private async decode(raw: string): Promise<Hl7Decoded> {
    const options = {
      mapContext: this.o.mapContext,
      ...(this.o.routing === undefined ? {} : { routing: this.o.routing }),
      ...(this.o.senders === undefined ? {} : { senders: this.o.senders }),
    };
    if (this.o.decoder === undefined) return decodeHl7(raw, options);
    try {
      return await this.o.decoder.decode(raw);
    } catch {
      return decodeHl7(raw, options);
    }
  }
}

/** Validates routing patterns; the problems, for a ConfigError. */
export function routingProblems(routing: Hl7Routing | undefined, path: string): { path: string; message: string }[] {
  const pattern = /^(\*|[A-Z][A-Z0-9]{2}(\^(\*|[A-Z0-9]{3}))?)$/i;
  const out: { path: string; message: string }[] = [];
  for (const key of ['route', 'ignore'] as const) {
    for (const p of routing?.[key] ?? [])
      if (!pattern.test(p))
        out.push({ path: `${path}.${key}`, message: `${p} is not a type pattern like ADT or SIU^S12` });
  }
  return out;
}
