/**
 * @module `steward followups list` and `steward report followups`: recheck follow-ups and their
 * figures from a terminal, through the server's API (references, stages, times; no demographics;
 * `phi.search` at the site decided and audited there).
 */
import { ValidationError } from '@steward/core';
import { followupStages, type FollowupFigures, type FollowupView } from '@steward/workflows';
import { connect, query, type GlobalOptions } from '../client/http.js';
import { patientText, printJson, printTable, type Recognisable } from '../output.js';
import { named } from './referrals.js';

export interface FollowupListFlags {
  readonly site: string;
  readonly stage?: string;
  readonly overdue?: boolean;
  readonly status?: string;
  readonly cursor?: string;
  /** The older name of --cursor. */
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
  const page = await connect(g).request<{ items: FollowupView[]; next?: string }>(
    'GET',
    `/followups${query({
      site: o.site,
      stage: o.stage,
      overdue: o.overdue === true ? 'true' : undefined,
      status: o.status,
      after: o.cursor ?? o.after,
      limit,
    })}`,
  );
  const items = page.items;
  {
    if (o.json === true) {
      printJson(g.io.stdout, page);
      return;
    }
    printTable(
      g.io.stdout,
      items.map((f) => ({
        id: f.id,
        order: f.orderRef,
        patient: patientText((f as Recognisable).patientLabel),
        owner: f.owner !== null ? named(f.owner) : 'not recorded',
        stage: f.stage,
        since: f.stageAt,
        due: f.window?.end,
        appointment: f.appointmentRef,
        start: f.appointmentStart,
        reminder: f.nextReminderAt,
        reply: f.confirmation,
        flags: [f.overdue ? 'overdue' : '', f.optedOut ? 'opted-out' : ''].filter((x) => x !== '').join(','),
      })),
      [
        'id',
        'order',
        'patient',
        'owner',
        'stage',
        'since',
        'due',
        'appointment',
        'start',
        'reminder',
        'reply',
        'flags',
      ],
    );
    if (page.next !== undefined) g.io.stdout.write(`more: --cursor ${page.next}\n`);
  }
}

export async function reportFollowups(
  g: GlobalOptions,
  o: { readonly site: string; readonly since?: string; readonly json?: boolean },
): Promise<void> {
  const since = o.since !== undefined ? new Date(o.since) : undefined;
  if (since !== undefined && Number.isNaN(since.getTime()))
    throw new ValidationError('invalid date', [{ path: '--since', message: 'YYYY-MM-DD or an ISO 8601 instant' }]);
  const f = await connect(g).request<FollowupFigures>(
    'GET',
    `/reports/followups${query({ site: o.site, since: o.since })}`,
  );
  {
    if (o.json === true) {
      printJson(g.io.stdout, f);
      return;
    }
    printTable(
      g.io.stdout,
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
    g.io.stdout.write(
      `total ${f.total}, open ${f.open}, overdue ${f.overdue}; booked ${f.booked}, no-shows ${f.noShows} (${pct(f.noShowRate)}), ` +
        `cancellations ${f.cancellations}; fulfilled ${pct(f.fulfilledRate)} of finished; reminders proposed ${f.remindersProposed}; opted out ${f.optedOut}\n`,
    );
  }
}
