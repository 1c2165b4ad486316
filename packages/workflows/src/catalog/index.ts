/** @module The workflow catalog: packages register their workflows, routes and effects; the server reads one catalog. */
export { WorkflowCatalog, defineWorkflowPackage } from './workflow-catalog.js';
export type { WorkflowHost, WorkflowPackage } from './workflow-catalog.js';
export { builtinWorkflowPackages, referralsPackage, followupsPackage } from './builtin-workflows.js';
export { followupSettingsFor, referralCalendarFor } from './site-clocks.js';
