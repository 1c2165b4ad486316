/** @module The EHR layer, running: per-connection feeds, polling and subscriptions, and the connection check. */
export { connectionClient, ConnectionClients } from './connection-client.js';
export type { ConnectionClient, ConnectionClientDeps, ClientTuning } from './connection-client.js';
export { ConnectionRuntime, followedTypes } from './connection-runtime.js';
export type { ConnectionRuntimeOptions, ConnectionStatus, RuntimeLogger } from './connection-runtime.js';
export { EhrRuntime } from './ehr-runtime.js';
export type { EhrRuntimeDeps, EhrRuntimeOptions } from './ehr-runtime.js';
export { ensureSubscriptions, subscriptionFor } from './subscriptions.js';
export type { SubscriptionPlan, SubscriptionSetup } from './subscriptions.js';
export { checkConnection } from './ehr-check.js';
export { ConnectionOperations } from './connection-operations.js';
export type { ConnectionOperationsDeps, ConnectionOverview } from './connection-operations.js';
export type { CheckReport, CheckStep } from './ehr-check.js';
