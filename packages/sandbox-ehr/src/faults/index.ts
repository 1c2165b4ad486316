/** @module Deterministic fault injection for the sandbox EHR. */
export { FaultInjector, parseFaultRules, faultKinds } from './fault-injector.js';
export type { FaultKind, FaultRule, FaultDecision, FaultCounters, FaultState } from './fault-injector.js';
