/**
 * @module The operations report, governed: the referral and follow-up figures need `phi.search`
 * at the site asked for (without a site, at every site), the review-queue figures `review.read`;
 * a caller with one of the two gets its sections and the others come back null and named in
 * `withheld`; a caller with neither is refused (and the refusal audited). The read is audited as
 * a search of an aggregate report (no patient ids: the figures name none), like the review queue.
 *
 * The figures are read where reports read (`reports`: a read-only streaming replica when
 * STEWARD_REPORTING_DATABASE_URL is set, in one snapshot; else the primary) and `source` says
 * which and how fresh ("data as of"); the decision and the audit entry stay on the primary.
 */
import { ValidationError, type Clock, type RequestContext } from '@steward/core';
import { sourceOf, type AuditSink, type PolicyDecisionPoint } from '@steward/governance';
import { primaryReports, type ReportReader, type ReportSource, type Sql } from '@steward/store';
import { queueAge, throughputByHour, type HourThroughput, type QueueAgeRow } from '@steward/proposals';
import {
  noShowsByServiceLine,
  referralTimeInStage,
  referralWeeks,
  type FigureWindow,
  type NoShowLine,
  type ReferralWeek,
  type StageDuration,
} from '@steward/workflows';

export interface OperationsReportDeps {
  readonly db: Sql;
  /** Where the figures are read: a read-only replica (STEWARD_REPORTING_DATABASE_URL). Default: `db`. */
  readonly reports?: ReportReader;
  readonly policy: Pick<PolicyDecisionPoint, 'decide' | 'enforce'>;
  readonly audit: AuditSink;
  readonly clock: Clock;
  /** A configured site's clock: the report's default zone for that site. */
  readonly sites?: { clockOf(site: string): Promise<{ readonly zone: string } | undefined> };
}

export interface OperationsQuery {
  readonly site?: string;
  /** Default: 12 weeks before `to`. */
  readonly from?: Date;
  /** Default: now. */
  readonly to?: Date;
  /** IANA zone for weeks and hours of day. Default: the site's zone when it has a record, else UTC. */
  readonly zone?: string;
}

export interface OperationsReport {
  readonly site: string | null;
  readonly from: string;
  readonly to: string;
  readonly zone: string;
  readonly generatedAt: string;
  /** Where the figures were read: the primary, or a replica with the time its data is as of. */
  readonly source: ReportSource;
  /** Permissions the caller lacks, whose sections are null. */
  readonly withheld: readonly ('phi.search' | 'review.read')[];
  readonly referralWeeks: readonly ReferralWeek[] | null;
  readonly timeInStage: readonly StageDuration[] | null;
  readonly noShows: readonly NoShowLine[] | null;
  readonly throughput: readonly HourThroughput[] | null;
  readonly queueAge: readonly QueueAgeRow[] | null;
}

const DAY = 86_400_000;
/** The longest window: a year and a day (53 weeks of weekly buckets at most). */
export const MAX_WINDOW_DAYS = 366;

function checkZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ValidationError('unknown time zone', [{ path: 'zone', message: 'not an IANA time zone name' }]);
  }
}

/** The operations report as a governed service: the kernel builds it over the store it keeps. */
export class OperationsReports {
  readonly #deps: OperationsReportDeps;

  constructor(deps: OperationsReportDeps) {
    this.#deps = deps;
  }

  /** The figures the caller may see; the rest null and named in `withheld`; audited as a search. */
  report(ctx: RequestContext, q: OperationsQuery): Promise<OperationsReport> {
    return operationsReport(this.#deps, ctx, q);
  }
}

export async function operationsReport(
  deps: OperationsReportDeps,
  ctx: RequestContext,
  q: OperationsQuery,
): Promise<OperationsReport> {
  const now = deps.clock.now();
  const to = q.to ?? now;
  const from = q.from ?? new Date(to.getTime() - 84 * DAY);
  const siteZone = q.zone === undefined && q.site !== undefined ? (await deps.sites?.clockOf(q.site))?.zone : undefined;
  const zone = q.zone ?? siteZone ?? 'UTC';
  checkZone(zone);
  if (from.getTime() >= to.getTime())
    throw new ValidationError('empty window', [{ path: 'from', message: 'must be before to' }]);
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY)
    throw new ValidationError('window too long', [{ path: 'from', message: `at most ${MAX_WINDOW_DAYS} days` }]);

  const scope = q.site !== undefined ? { site: q.site } : {};
  const phi = await deps.policy.decide(ctx, 'phi.search', scope);
  const review = await deps.policy.decide(ctx, 'review.read', scope);
  // Neither: refuse through enforce, which audits the denial.
  const granted = phi.allowed ? phi : review.allowed ? review : await deps.policy.enforce(ctx, 'phi.search', scope);

  const w: FigureWindow = { ...scope, from, to, zone };
  const reports = deps.reports ?? primaryReports(deps.db);
  const { value: figures, source } = await reports.read(async (sql) => ({
    referralWeeks: phi.allowed ? await referralWeeks(sql, w) : null,
    timeInStage: phi.allowed ? await referralTimeInStage(sql, w) : null,
    noShows: phi.allowed ? await noShowsByServiceLine(sql, w) : null,
    throughput: review.allowed ? await throughputByHour(sql, w) : null,
    queueAge: review.allowed ? await queueAge(sql, { ...scope, now }) : null,
  }));
  const report: OperationsReport = {
    site: q.site ?? null,
    from: from.toISOString(),
    to: to.toISOString(),
    zone,
    generatedAt: now.toISOString(),
    source,
    withheld: [...(phi.allowed ? [] : ['phi.search' as const]), ...(review.allowed ? [] : ['review.read' as const])],
    ...figures,
  };
  // On the primary's audit log (deps.audit), never the replica's connection.
  await deps.audit.append({
    actor: ctx.actor,
    event: 'phi.search',
    action: 'R',
    outcome: 'success',
    entity: { kind: 'OperationsReport', id: '*' },
    ...scope,
    purposeOfUse: granted.purposeOfUse,
    ...(granted.breakGlassId !== undefined ? { breakGlassId: granted.breakGlassId } : {}),
    source: sourceOf(ctx),
    query: { from: report.from, to: report.to, zone, ...scope },
    reason: `sections:${[phi.allowed ? 'referrals,followups' : '', review.allowed ? 'queue' : ''].filter((s) => s !== '').join(',')}`,
  });
  return report;
}
