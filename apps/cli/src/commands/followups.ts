/**
 * @module `steward followups list` and `steward report followups`: recheck follow-ups and their
 * figures from a terminal, read from the workflows' state (references, stages, times; no
 * demographics), after the same `phi.search` check at the site as the API, and audited.
 */
import { ValidationError, type RequestContext } from '@steward/core';
import type { Kernel } from '@steward/server';
import { followupFigures, followupStages, listFollowups, type FollowupStage } from '@steward/workflows';
import { withSession, type GlobalOptions } from '../session.js';
import { printJson, printTable } from '../output.js';

export interface FollowupListFlags {
  readonly site: string;
  readonly stage?: string;
  readonly overdue?: boolean;
  readonly status?: string;
  readonly after?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

export async function followupsList(g: GlobalOptions, o: FollowupListFlags): Promise<void> {
  if (o.stage !== undefined && !(followupStages as readonly string[]).includes(o.stage))
    throw new ValidationError('unknown stage', [{ path: '--stage', message: `one of ${followupStages.join(', ')}` }]);
  if (o.status !== undefined && !['running', 'completed', 'failed'].includes(o.status))
    throw new ValidationError('unknown status', [{ path: '--status', message: 'running, completed or failed' }]);
  const limit = o.limit !== undefined ? Number(o.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new ValidationError('invalid limit', [{ path: '--limit', message: '1 to 500' }]);
  await withSession(g, async ({ kernel, ctx }) => {
    await searched(kernel, ctx, o.site, 'Followup');
    const items = await listFollowups(kernel.db, {
      site: o.site,
      limit,
      ...(o.stage !== undefined ? { stage: o.stage as FollowupStage } : {}),
      ...(o.overdue === true ? { overdue: true } : {}),
      ...(o.status !== undefined ? { status: o.status as 'running' | 'completed' | 'failed' } : {}),
      ...(o.after !== undefined ? { after: o.after } : {}),
    });
    if (o.json === true) {
      printJson({ items });
      return;
    }
    printTable(
      items.map((f) => ({
        id: f.id,
        order: f.orderRef,
        stage: f.stage,
        since: f.stageAt,
        due: f.window?.end,
        appointment: f.appointmentRef,
        start: f.appointmentStart,
        reminder: f.nextReminderAt,
        reply: f.confirmation,
        flags: [f.overdue ? 'overdue' : '', f.optedOut ? 'opted-out' : ''].filter((x) => x !== '').join(','),
      })),
      ['id', 'order', 'stage', 'since', 'due', 'appointment', 'start', 'reminder', 'reply', 'flags'],
    );
    const last = items.at(-1);
    if (items.length === limit && last !== undefined) process.stdout.write(`more: --after ${last.id}\n`);
  });
}

export async function reportFollowups(
  g: GlobalOptions,
  o: { readonly site: string; readonly since?: string; readonly json?: boolean },
): Promise<void> {
  const since = o.since !== undefined ? new Date(o.since) : undefined;
  if (since !== undefined && Number.isNaN(since.getTime()))
    throw new ValidationError('invalid date', [{ path: '--since', message: 'YYYY-MM-DD or an ISO 8601 instant' }]);
  await withSession(g, async ({ kernel, ctx }) => {
    await searched(kernel, ctx, o.site, 'FollowupReport');
    const f = await followupFigures(kernel.db, {
      site: o.site,
      now: kernel.clock.now(),
      ...(since !== undefined ? { since } : {}),
    });
    if (o.json === true) {
      printJson(f);
      return;
    }
    printTable(
      f.byStage.map((s) => ({
        stage: s.stage,
        open: s.open,
        finished: s.finished,
        'mean h in stage': s.meanHoursInStage,
        'max h in stage': s.maxHoursInStage,
      })),
      ['stage', 'open', 'finished', 'mean h in stage', 'max h in stage'],
    );
    const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
    process.stdout.write(
      `total ${f.total}, open ${f.open}, overdue ${f.overdue}; booked ${f.booked}, no-shows ${f.noShows} (${pct(f.noShowRate)}), ` +
        `cancellations ${f.cancellations}; fulfilled ${pct(f.fulfilledRate)} of finished; reminders proposed ${f.remindersProposed}; opted out ${f.optedOut}\n`,
    );
  });
}

async function searched(kernel: Kernel, ctx: RequestContext, site: string, entity: string): Promise<void> {
  const decision = await kernel.policy.enforce(ctx, 'phi.search', { site });
  await kernel.audit.append({
    actor: ctx.actor,
    event: 'phi.search',
    action: 'R',
    outcome: 'success',
    entity: { kind: entity, id: '*' },
    site,
    purposeOfUse: decision.purposeOfUse,
    query: { site },
  });
}
