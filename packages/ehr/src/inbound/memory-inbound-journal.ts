/** @module An in-memory `InboundJournal`, for tests of listeners and mappers. Same contract, no durability. */
import { createHash } from 'node:crypto';
import { newId, type EhrEvent, type EhrEventInput } from '@steward/core';

import type {
  AttentionItem,
  AttentionList,
  DeadLetter,
  InboundFlag,
  InboundJournal,
  InboundMessage,
  ReceiveOutcome,
} from '@steward/core';

interface Kept {
  readonly id: string;
  readonly message: InboundMessage;
  readonly hash: string;
  readonly status: 'stored' | 'dead-letter' | 'ignored';
  readonly reason?: string;
  readonly flag?: InboundFlag;
}

export class MemoryInboundJournal implements InboundJournal {
  private readonly messages = new Map<string, Kept>();
  private readonly stored: EhrEvent[] = [];
  private readonly eventKeys = new Set<string>();

  receive(message: InboundMessage, events: readonly EhrEventInput[]): Promise<ReceiveOutcome> {
    return Promise.resolve(this.file(message, events, 'stored'));
  }

  /** Each item as by `receive`, in order. */
  async receiveMany(
    items: readonly { readonly message: InboundMessage; readonly events: readonly EhrEventInput[] }[],
  ): Promise<readonly ReceiveOutcome[]> {
    const out: ReceiveOutcome[] = [];
    for (const { message, events } of items) out.push(await this.receive(message, events));
    return out;
  }

  deadLetter(message: InboundMessage, reason: string): Promise<ReceiveOutcome> {
    const known = this.messages.get(keyOf(message));
    if (known !== undefined) return Promise.resolve({ status: 'duplicate', messageId: known.id });
    const id = newId();
    this.messages.set(keyOf(message), { id, message, hash: hashOf(message.raw), status: 'dead-letter', reason });
    return Promise.resolve({ status: 'dead-letter', messageId: id });
  }

  ignore(message: InboundMessage, reason: string): Promise<ReceiveOutcome> {
    return Promise.resolve(this.file(message, [], 'ignored', reason));
  }

  deadLetters(connectionId?: string): Promise<readonly DeadLetter[]> {
    return Promise.resolve(
      this.attentionItems(connectionId)
        .filter((m) => m.kind === 'dead-letter')
        .map((m): DeadLetter => {
          const { kind, ...d } = m;
          void kind;
          return d;
        }),
    );
  }

  attention(limit = 200): Promise<AttentionList> {
    const items = this.attentionItems();
    return Promise.resolve({
      counts: {
        deadLetter: items.filter((i) => i.kind === 'dead-letter').length,
        controlIdReused: items.filter((i) => i.kind === 'control-id-reused').length,
        patientNotFound: items.filter((i) => i.kind === 'patient-not-found').length,
        ignored: [...this.messages.values()].filter((m) => m.status === 'ignored').length,
      },
      items: items.slice(-limit),
    });
  }

  events(afterSeq: number, limit: number): Promise<readonly EhrEvent[]> {
    return Promise.resolve(this.stored.filter((e) => e.seq > afterSeq).slice(0, limit));
  }

  /** As the governed journal: a reused key with different content is filed under key#hash and flagged. */
  private file(
    message: InboundMessage,
    events: readonly EhrEventInput[],
    status: 'stored' | 'ignored',
    reason?: string,
  ): ReceiveOutcome {
    const hash = hashOf(message.raw);
    let known = this.messages.get(keyOf(message));
    let suffix = '';
    if (known !== undefined && message.keyMayRepeat === true && known.hash !== hash) {
      suffix = `#${hash}`;
      message = { ...message, messageKey: `${message.messageKey}${suffix}` };
      known = this.messages.get(keyOf(message));
    }
    if (known !== undefined) return { status: 'duplicate', messageId: known.id };
    const id = newId();
    const flag: { flag?: InboundFlag } = suffix === '' ? {} : { flag: 'control-id-reused' };
    this.messages.set(keyOf(message), {
      id,
      message,
      hash,
      status,
      ...(reason === undefined ? {} : { reason }),
      ...flag,
    });
    if (status === 'ignored') return { status: 'ignored', messageId: id, ...flag };
    const added: EhrEvent[] = [];
    for (const input of events) {
      // The same change seen twice (a poll and a notification) is one event.
      const eventKey = `${input.connectionId}\u0000${input.dedupKey}${suffix}`;
      if (this.eventKeys.has(eventKey)) continue;
      this.eventKeys.add(eventKey);
      const event: EhrEvent = {
        ...input,
        dedupKey: `${input.dedupKey}${suffix}`,
        id: newId(),
        seq: this.stored.length + 1,
        recordedAt: new Date(),
      };
      this.stored.push(event);
      added.push(event);
    }
    return { status: 'stored', messageId: id, events: added, ...flag };
  }

  private attentionItems(connectionId?: string): AttentionItem[] {
    return [...this.messages.values()]
      .filter(
        (m) =>
          (m.status !== 'stored' || m.flag !== undefined) &&
          (connectionId === undefined || m.message.connectionId === connectionId),
      )
      .map((m) => ({
        kind: m.status === 'dead-letter' ? 'dead-letter' : (m.flag ?? 'ignored'),
        messageId: m.id,
        connectionId: m.message.connectionId,
        channel: m.message.channel,
        messageKey: m.message.messageKey,
        messageType: m.message.messageType,
        receivedAt: m.message.receivedAt,
        reason: m.reason ?? (m.flag !== undefined ? 'the control id was used before for a different message' : ''),
      }));
  }
}

function keyOf(m: InboundMessage): string {
  return `${m.connectionId}\u0000${m.channel}\u0000${m.messageKey}`;
}

function hashOf(raw: string): string {
  const text = (raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).replace(/\r\n|\n/g, '\r').replace(/\r+$/, '');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
