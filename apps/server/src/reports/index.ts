/** @module Operations figures for the console's dashboards: SQL aggregates and the governed report. */
export { operationsReport, MAX_WINDOW_DAYS } from './operations-report.js';
export type { OperationsReport, OperationsQuery, OperationsReportDeps } from './operations-report.js';
export { referralWeeks, referralTimeInStage, noShowsByServiceLine } from './workflow-figures.js';
export type { FigureWindow, ReferralWeek, StageDuration, NoShowLine } from './workflow-figures.js';
export { throughputByHour, queueAge, queueAgeBuckets } from '@steward/proposals';
export type { HourThroughput, QueueAgeRow, QueueAgeBucket, QueueWindow } from '@steward/proposals';
