/** @module The operations dashboards' report: aggregates only, sections withheld by permission are null. */
import { Type, type TSchema } from 'typebox';
import { referralStages } from '@steward/workflows';
import { List, Nullable, SiteCode, Strict } from './common.js';

const rate = Nullable(Type.Number());
const count = Type.Integer();
const section = <T extends TSchema>(item: T) => Nullable(List(item));

/**
 * Where a report's figures were read: the primary, or the read-only streaming replica
 * (STEWARD_REPORTING_DATABASE_URL) with the commit time its data is as of.
 */
export const ReportSource = Type.Union([
  Type.Object({ database: Type.Literal('primary') }),
  Type.Object({
    database: Type.Literal('replica'),
    dataAsOf: Nullable(
      Type.String({
        format: 'date-time',
        description: 'the commit time of the last transaction the replica replayed; null before its first',
      }),
    ),
    lagSeconds: Nullable(Type.Number({ description: 'seconds between dataAsOf and the replica clock when read' })),
    caughtUp: Type.Boolean({
      description: 'the replica had replayed all it received (an idle primary sends nothing, so lag grows)',
    }),
    standby: Type.Boolean({ description: 'false: the setting names a server that is not a standby (live data)' }),
  }),
]);

export const OperationsReport = Type.Object({
  site: Nullable(Type.String()),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  zone: Type.String(),
  generatedAt: Type.String({ format: 'date-time' }),
  source: ReportSource,
  /** Permissions the caller lacks, whose sections are null. */
  withheld: List(Type.Enum(['phi.search', 'review.read'])),
  referralWeeks: section(
    Type.Object({
      week: Type.String({ description: 'the Monday starting the week, YYYY-MM-DD in the zone' }),
      started: count,
      closed: count,
      leaked: count,
      closureRate: rate,
      leakageRate: rate,
    }),
  ),
  timeInStage: section(Type.Object({ stage: Type.Enum(referralStages), count, medianHours: rate, p90Hours: rate })),
  noShows: section(Type.Object({ serviceLine: Type.String(), followups: count, booked: count, noShows: count, rate })),
  throughput: section(Type.Object({ hour: count, reviewed: count, autoApproved: count, committed: count })),
  queueAge: section(
    Type.Object({
      priority: count,
      total: count,
      under1h: count,
      from1to4h: count,
      from4to24h: count,
      from1to3d: count,
      over3d: count,
    }),
  ),
});

export const OperationsQuery = Strict({
  site: Type.Optional(SiteCode),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive; default 12 weeks before to' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive; default now' })),
  zone: Type.Optional(
    Type.String({
      maxLength: 64,
      pattern: '^[A-Za-z][A-Za-z0-9_+/-]*$',
      description:
        'IANA time zone for weeks and hours of day; default: the zone of the site when it has a record, else UTC',
    }),
  ),
});
