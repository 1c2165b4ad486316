/** @module The shape of `GET /reports/operations` (see apps/server/src/reports). */

export interface ReferralWeek {
  /** The Monday the week starts on, `YYYY-MM-DD` in the zone asked for. */
  readonly week: string;
  readonly started: number;
  readonly closed: number;
  readonly leaked: number;
  readonly closureRate: number | null;
  readonly leakageRate: number | null;
}

export interface StageDuration {
  readonly stage: string;
  readonly count: number;
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
}

export interface NoShowLine {
  readonly serviceLine: string;
  readonly followups: number;
  readonly booked: number;
  readonly noShows: number;
  readonly rate: number | null;
}

export interface HourThroughput {
  readonly hour: number;
  readonly reviewed: number;
  readonly autoApproved: number;
  readonly committed: number;
}

export const queueAgeBuckets = [
  { key: 'under1h', label: 'Under 1 h' },
  { key: 'from1to4h', label: '1–4 h' },
  { key: 'from4to24h', label: '4–24 h' },
  { key: 'from1to3d', label: '1–3 days' },
  { key: 'over3d', label: 'Over 3 days' },
] as const;
export type QueueAgeBucket = (typeof queueAgeBuckets)[number]['key'];

export type QueueAgeRow = Readonly<Record<QueueAgeBucket, number>> & {
  readonly priority: number;
  readonly total: number;
};

export interface OperationsReport {
  readonly site: string | null;
  readonly from: string;
  readonly to: string;
  readonly zone: string;
  readonly generatedAt: string;
  readonly withheld: readonly string[];
  readonly referralWeeks: readonly ReferralWeek[] | null;
  readonly timeInStage: readonly StageDuration[] | null;
  readonly noShows: readonly NoShowLine[] | null;
  readonly throughput: readonly HourThroughput[] | null;
  readonly queueAge: readonly QueueAgeRow[] | null;
}
