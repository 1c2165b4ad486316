/**
 * @module `steward referrals list` and `steward report referrals`: the referral worklist and its
 * figures from a terminal, through the server's API (`phi.search` at the site, or at every site
 * without `--site`, decided there). Output is references, codes and the names of practitioners and
 * practices from the clinic directory (a raw reference, marked unresolved, when it has none); never PHI.
 */
import { ValidationError } from '@steward/core';
import type { ParticipantView } from '@steward/clinic';
import { isReferralStage, type ReferralFigures, type ReferralItemPage, type ReferralStage } from '@steward/workflows';
import { connect, query, type GlobalOptions } from '../client/http.js';
import { patientText, printJson, printTable, type Recognisable } from '../output.js';

export interface ReferralsListFlags {
  readonly site?: string;
  readonly stage?: string;
  readonly overdue?: boolean;
  readonly cursor?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

export async function referralsList(g: GlobalOptions, o: ReferralsListFlags): Promise<void> {
  const stage = o.stage !== undefined ? stageOf(o.stage) : undefined;
  const limit = o.limit !== undefined ? Number(o.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 200))
    throw new ValidationError('bad limit', [{ path: '--limit', message: '1 to 200' }]);
  {
    const page = await connect(g).request<ReferralItemPage>(
      'GET',
      `/referrals${query({
        site: o.site,
        stage,
        overdue: o.overdue === true ? 'true' : undefined,
        cursor: o.cursor,
        limit,
      })}`,
    );
    if (o.json === true) {
      printJson(g.io.stdout, page);
      return;
    }
    printTable(
      g.io.stdout,
      page.items.map((r) => ({
        referral: r.serviceRequest ?? r.correlationKey,
        site: r.site,
        patient: patientText((r as Recognisable).patientLabel),
        from: named(r.requester),
        to: named(r.destination),
        network: r.destination?.network ?? '',
        stage: r.stage,
        since: r.stageEnteredAt,
        awaiting: r.awaiting,
        due: r.dueAt,
        overdue: r.overdue ?? '',
        escalated: r.escalated ? 'yes' : '',
        leaked: r.leaked ?? '',
        status: r.status,
      })),
      [
        'referral',
        'site',
        'patient',
        'from',
        'to',
        'network',
        'stage',
        'since',
        'awaiting',
        'due',
        'overdue',
        'escalated',
        'leaked',
        'status',
      ],
    );
    if (page.next !== undefined) g.io.stdout.write(`more: --cursor ${page.next}\n`);
  }
}

export interface ReportReferralsFlags {
  readonly site?: string;
  readonly since?: string;
  readonly json?: boolean;
}

export async function reportReferralsCommand(g: GlobalOptions, o: ReportReferralsFlags): Promise<void> {
  const since = o.since !== undefined ? new Date(o.since) : undefined;
  if (since !== undefined && Number.isNaN(since.getTime()))
    throw new ValidationError('bad --since', [{ path: '--since', message: 'an ISO 8601 date or instant' }]);
  {
    const f = await connect(g).request<ReferralFigures>('GET', `/reports/referrals${query({ site: o.site, since })}`);
    if (o.json === true) {
      printJson(g.io.stdout, f);
      return;
    }
    const pct = (r: number | null): string => (r === null ? '-' : `${(r * 100).toFixed(1)}%`);
    g.io.stdout.write(
      `referrals: ${f.total} started${f.since !== null ? ` since ${f.since}` : ''}${f.site !== null ? ` at ${f.site}` : ''}\n` +
        `closed: ${f.closed} (${pct(f.closureRate)})   overdue: ${f.overdue} (escalated ${f.escalated})   ` +
        `leaked: ${f.leakage.count} (${pct(f.leakage.rate)})\n`,
    );
    printTable(
      g.io.stdout,
      Object.entries(f.byStage).map(([stage, count]) => {
        const t = f.timeInStage[stage as ReferralStage];
        return { stage, now: count, moved_on: t.count, median_h: t.medianHours ?? '-', p90_h: t.p90Hours ?? '-' };
      }),
      ['stage', 'now', 'moved_on', 'median_h', 'p90_h'],
    );
    printTable(
      g.io.stdout,
      Object.entries(f.leakage.byReason).map(([reason, l]) => ({ leakage: reason, count: l.count, rate: pct(l.rate) })),
      ['leakage', 'count', 'rate'],
    );
  }
}

function stageOf(value: string): ReferralStage {
  if (!isReferralStage(value))
    throw new ValidationError('unknown stage', [
      { path: '--stage', message: 'sent, received, accepted, scheduled, attended, reported or closed' },
    ]);
  return value;
}

/** A participant by name (with its service and organization), or its raw reference marked unresolved. */
export function named(v: ParticipantView | null): string {
  if (v === null) return '';
  if (v.name === null) return `${v.reference ?? v.kind} (unresolved)`;
  const where = [v.service, v.organization].filter((x) => x !== null && x !== v.name);
  return where.length > 0 ? `${v.name} (${where.join(', ')})` : v.name;
}
