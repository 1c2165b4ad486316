/** @module The operations report for the console's dashboards, governed: its figures come from the workflows' and proposals' own queries. */
export { operationsReport, OperationsReports, MAX_WINDOW_DAYS } from './operations-report.js';
export type { OperationsReport, OperationsQuery, OperationsReportDeps } from './operations-report.js';
