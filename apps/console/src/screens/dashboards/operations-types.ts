/**
 * @module The operations dashboards' names for the report's parts. The report's shape is generated
 * from the server's OpenAPI document (api/types.ts), re-exported here for the dashboards' files.
 */
import type { QueueAgeRow } from '../../api/types.js';

export type {
  HourThroughput,
  NoShowLine,
  OperationsReport,
  QueueAgeRow,
  ReferralWeek,
  StageDuration,
} from '../../api/types.js';

export const queueAgeBuckets = [
  { key: 'under1h', label: 'Under 1 h' },
  { key: 'from1to4h', label: '1–4 h' },
  { key: 'from4to24h', label: '4–24 h' },
  { key: 'from1to3d', label: '1–3 days' },
  { key: 'over3d', label: 'Over 3 days' },
] as const satisfies readonly { key: keyof QueueAgeRow; label: string }[];
export type QueueAgeBucket = (typeof queueAgeBuckets)[number]['key'];
