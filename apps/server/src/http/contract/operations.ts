/** @module The operations dashboards' report: aggregates only, sections withheld by permission are null. */
import { Type, type TSchema } from 'typebox';
import { referralStages } from '@steward/workflows';
import { List, Nullable, SiteCode, Strict } from './common.js';

const rate = Nullable(Type.Number());
const count = Type.Integer();
const section = <T extends TSchema>(item: T) => Nullable(List(item));

export const OperationsReport = Type.Object({
  site: Nullable(Type.String()),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  zone: Type.String(),
  generatedAt: Type.String({ format: 'date-time' }),
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
