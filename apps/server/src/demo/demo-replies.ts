/**
 * @module The demo's patient phone, for the reminder story (demo-stories.ts): once Steward has texted
 * the reminder, the patient texts back "X" (cancel). The reply comes in as an SMS provider's would:
 * read by the local outbox (`reply`, the messaging inbound) and signalled to the follow-up that sent
 * the message. The follow-up drafts the cancellation (an `appointment.status` update, based on the
 * appointment's current EHR version) and a rebooking task. Then the patient calls, and the clinic's
 * front desk moves the booking instead (`frontDeskMoves`): the cancellation waits for review on an
 * appointment the EHR has changed since drafting ("changed since drafting" on the review screen),
 * and approving it meets the conflict: a rebased revision, with its diff, to re-review.
 *
 * Acts as a local service account (`steward-sandbox-sms`, the automation role: it reads the
 * message it answers, audited). Only a freshly derived clinic has stories; a resumed one is left alone.
 */
import type { RequestContext } from '@steward/core';
import type { Logger } from '@steward/governance';
import { frontDeskMoves, type LiveClinic } from '@steward/sandbox-ehr';
import type { WorkflowEngine } from '@steward/workflows';
import type { Kernel } from '../kernel.js';
import { localServiceAccount } from '../local-accounts.js';

/** Where the story has got to. */
export type ReplyStoryPhase = 'awaiting-reminder' | 'awaiting-drafts' | 'done';

export interface DemoReplies {
  readonly phase: () => ReplyStoryPhase;
  /** One look: moves the story on if it can (true when it did). The loop calls it; tests may too. */
  tick(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface DemoRepliesOptions {
  readonly site: string;
  /** How often to look (ms); 0 starts no loop. Default 5000. */
  readonly intervalMs?: number;
}

export async function startDemoReplies(
  kernel: Kernel,
  engine: Pick<WorkflowEngine, 'signal'>,
  clinic: LiveClinic,
  logger: Logger,
  options: DemoRepliesOptions,
): Promise<DemoReplies> {
  const story = clinic.stories?.reminderAppointment;
  const ctx: RequestContext = {
    actor: await localServiceAccount(kernel, 'steward-sandbox-sms', 'automation', 'HOPERAT'),
    sourceAddress: 'local-sms-inbound',
  };
  let phase: ReplyStoryPhase = story === undefined ? 'done' : 'awaiting-reminder';
  let replied: { correlationKey: string; proposals: number } | undefined;
  const appointmentRef = (): string | undefined => {
    const id = story !== undefined ? clinic.derived.clinic.appointments.get(story)?.resource.id : undefined;
    return id !== undefined ? `Appointment/${id}` : undefined;
  };
  const followup = async (match: (i: { appointmentRef: string | null; correlationKey: string }) => boolean) =>
    (await kernel.followups.list(ctx, { site: options.site, limit: 500 })).items.find(match);

  /** Whether the last look moved the story on (the loop looks less often while nothing happens). */
  const tick = async (): Promise<boolean> => {
    const from = phase;
    await look();
    return phase !== from;
  };
  const look = async (): Promise<void> => {
    if (phase === 'awaiting-reminder') {
      const ref = appointmentRef();
      const item = await followup((i) => i.appointmentRef === ref);
      if (item === undefined || item.stage !== 'booked') return;
      const [message] = await kernel.outbox.list(ctx, { site: options.site, correlationKey: item.correlationKey });
      if (message === undefined) return;
      const reply = await kernel.outbox.reply(ctx, message.id, 'X');
      if (reply === undefined || !('signal' in reply)) return;
      await engine.signal(reply.correlationKey ?? item.correlationKey, 'reply', reply.signal);
      replied = { correlationKey: item.correlationKey, proposals: item.proposals };
      phase = 'awaiting-drafts';
      logger.info({ story: 'reply-then-move' }, 'demo patient replied to a reminder: cancel');
      return;
    }
    if (phase === 'awaiting-drafts' && replied !== undefined) {
      const key = replied.correlationKey;
      const item = await followup((i) => i.correlationKey === key);
      // The cancellation and the rebooking task are both drafted: the cancellation's base version is read.
      if (item === undefined || item.proposals < replied.proposals + 2) return;
      const moved = await frontDeskMoves(clinic.simulator, story ?? '');
      phase = 'done';
      logger.info(
        { story: 'reply-then-move', moved },
        moved
          ? 'demo front desk moved the booking the patient asked to cancel: the cancellation meets a changed EHR'
          : 'demo front desk could not move the booking: no conflict story this time',
      );
    }
  };

  // Each look is an audited search: while nothing happens (a reminder held for quiet hours) the
  // looks space out, up to one every 30 s.
  const every = options.intervalMs ?? 5000;
  let delay = every;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const loop = (): void => {
    running = tick()
      .then((moved) => {
        delay = moved ? every : Math.min(30_000, delay * 2);
      })
      .catch((e: unknown) =>
        logger.warn({ code: (e as { code?: string }).code ?? 'INTERNAL', err: e }, 'demo reply story: retrying'),
      )
      .finally(() => {
        running = undefined;
        if (phase !== 'done' && timer !== undefined) timer = setTimeout(loop, delay);
      });
  };
  if (every > 0 && phase !== 'done') timer = setTimeout(loop, every);
  return {
    phase: () => phase,
    tick,
    async stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
