/**
 * @module Server-sent events read from a fetch response, in Node and in browsers (no EventSource:
 * it cannot send an Authorization header), with resume from the last event id after a drop.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** The messages of one text/event-stream response, in order, until it ends or `signal` aborts. */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<EventSourceMessage> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => queue.push(message) });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const abort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
      while (queue.length > 0) yield queue.shift() as EventSourceMessage;
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    reader.releaseLock();
  }
}

export type { EventSourceMessage };
