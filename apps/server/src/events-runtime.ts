/**
 * @module Events out, running in the server (ADR 0019): the capture that files the journal's and
 * the proposals' new events in the outbox (every `captureMs`, at once again while there is more),
 * and the webhook delivery worker. `STEWARD_EVENTS=off` leaves both to another process. Stops
 * cleanly: the capture's round in progress lands, the worker finishes and records its sends.
 */
import type { DeliveryOptions, DeliveryWorker } from '@steward/events';
import type { Logger } from '@steward/governance';
import type { Kernel } from './kernel.js';

export interface EventsRuntimeOptions {
  /** How often the capture reads the sources when they were read to the end (ms). Default 250. */
  readonly captureMs?: number;
  readonly delivery?: DeliveryOptions;
}

export interface EventsRuntime {
  readonly worker: DeliveryWorker;
  stop(): Promise<void>;
}

export function startEventsRuntime(
  kernel: Pick<Kernel, 'events'>,
  logger: Logger,
  options: EventsRuntimeOptions = {},
): EventsRuntime {
  const { capture } = kernel.events;
  const worker = kernel.events.delivery({
    ...options.delivery,
    onError: (e) =>
      logger.warn(
        { code: (e as { code?: string }).code ?? 'INTERNAL', err: e },
        'event delivery round failed: retrying',
      ),
  });
  worker.start();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const loop = (): void => {
    running = capture
      .runOnce()
      .then((r) => r.read)
      .catch((e: unknown) => {
        logger.warn(
          { code: (e as { code?: string }).code ?? 'INTERNAL', err: e },
          'event capture round failed: retrying',
        );
        return 0;
      })
      .then((read) => {
        if (!stopped) timer = setTimeout(loop, read > 0 ? 0 : (options.captureMs ?? 250));
      });
  };
  timer = setTimeout(loop, 0);
  logger.info('events out running (capture and webhook delivery)');
  return {
    worker,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
      await worker.stop();
    },
  };
}
