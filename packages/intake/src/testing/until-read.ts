/**
 * @module Waiting in a test until a reading worker has read an arrival's file and routed its
 * documents (or ended it unreadable): the arrival then. Polls `IntakeService.arrival`; fails naming
 * where the file still is when the time runs out.
 */
import type { RequestContext } from '@steward/core';
import type { IntakeService } from '../service/intake-service.js';
import type { ArrivalView } from '../service/intake-views.js';

export async function untilRead(
  intake: Pick<IntakeService, 'arrival'>,
  ctx: RequestContext,
  arrivalId: string,
  timeoutMs = 10_000,
): Promise<ArrivalView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const arrival = await intake.arrival(ctx, arrivalId);
    if (arrival.reading === 'read' || arrival.reading === 'unreadable') return arrival;
    if (Date.now() > deadline)
      throw new Error(`arrival ${arrivalId} not read within ${timeoutMs} ms: ${arrival.readingNote}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
