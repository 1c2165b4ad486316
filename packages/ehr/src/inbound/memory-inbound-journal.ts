/** @module An in-memory `InboundJournal`, for tests of listeners and mappers. Same contract, no durability. */
import { newId, type EhrEvent, type EhrEventInput } from '@steward/core';

import type { DeadLetter, InboundJournal, InboundMessage, ReceiveOutcome } from '@steward/core';

export class MemoryInboundJournal implements InboundJournal {
  private readonly messages = new Map<string, { id: string; message: InboundMessage; deadLetter?: string }>();
  private readonly stored: EhrEvent[] = [];
  private readonly eventKeys = new Set<string>();

  receive(message: InboundMessage, events: readonly EhrEventInput[]): Promise<ReceiveOutcome> {
    const known = this.messages.get(keyOf(message));
    if (known !== undefined) return Promise.resolve({ status: 'duplicate', messageId: known.id });
    const id = newId();
    this.messages.set(keyOf(message), { id, message });
    const added: EhrEvent[] = [];
    for (const input of events) {
      // The same change seen twice (a poll and a notification) is one event.
      const eventKey = `${input.connectionId}\u0000${input.dedupKey}`;
      if (this.eventKeys.has(eventKey)) continue;
      this.eventKeys.add(eventKey);
      const event: EhrEvent = { ...input, id: newId(), seq: this.stored.length + 1, recordedAt: new Date() };
      this.stored.push(event);
      added.push(event);
    }
    return Promise.resolve({ status: 'stored', messageId: id, events: added });
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
    this.messages.set(keyOf(message), { id, message, deadLetter: reason });
    return Promise.resolve({ status: 'dead-letter', messageId: id });
  }

  deadLetters(connectionId?: string): Promise<readonly DeadLetter[]> {
    return Promise.resolve(
      [...this.messages.values()]
        .filter(
          (m) => m.deadLetter !== undefined && (connectionId === undefined || m.message.connectionId === connectionId),
        )
        .map((m) => ({
          messageId: m.id,
          connectionId: m.message.connectionId,
          channel: m.message.channel,
          messageKey: m.message.messageKey,
          messageType: m.message.messageType,
          receivedAt: m.message.receivedAt,
          reason: m.deadLetter ?? '',
        })),
    );
  }

  events(afterSeq: number, limit: number): Promise<readonly EhrEvent[]> {
    return Promise.resolve(this.stored.filter((e) => e.seq > afterSeq).slice(0, limit));
  }
}

function keyOf(m: InboundMessage): string {
  return `${m.connectionId}\u0000${m.channel}\u0000${m.messageKey}`;
}
